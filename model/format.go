package model

import (
	"math"
	"strconv"
	"strings"
)

// Rate formats a rate for people: 3,000; 135; 8.3; 0.05.
func Rate(x float64) string {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	if math.Abs(x) >= 1e15 { // past 1e15 a float no longer holds every integer
		return bigInt(x)
	}
	if x >= 100 || x == math.Trunc(x) {
		return commas(int64(math.Round(x)))
	}
	if x >= 1 {
		return strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64)
	}
	return strconv.FormatFloat(x, 'g', 2, 64)
}

func commas(n int64) string { return groupDigits(strconv.FormatInt(n, 10)) }

// bigInt writes a large whole number from the shortest decimal that gives x
// back, so 2.592e25 reads 25,920,000,… and not the float's binary tail.
func bigInt(x float64) string {
	mant, exp, _ := strings.Cut(strconv.FormatFloat(math.Round(x), 'e', -1, 64), "e")
	e, _ := strconv.Atoi(exp)
	neg := strings.HasPrefix(mant, "-")
	digits := strings.Replace(strings.TrimPrefix(mant, "-"), ".", "", 1)
	if pad := e + 1 - len(digits); pad > 0 {
		digits += strings.Repeat("0", pad)
	} else {
		digits = digits[:e+1]
	}
	if neg {
		digits = "-" + digits
	}
	return groupDigits(digits)
}

// groupDigits puts a comma between every three digits of a whole number.
func groupDigits(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
