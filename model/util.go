package model

import (
	"strings"
)

// Plural is n, grouped by thousands, with noun, made plural unless n is 1:
// "1 instance", "1,200 instances".
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return Rate(float64(n)) + " " + noun + "s"
}

// Article puts "a" or "an" before s, by its first letter.
func Article(s string) string {
	if s != "" && strings.ContainsRune("aeiou", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}
