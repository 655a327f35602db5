package model

import "strconv"

func itoa(n int) string { return strconv.Itoa(n) }

// plural returns "1 instance", "2 instances".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
