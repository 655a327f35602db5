package notes

import (
	"math"
	"strconv"
	"strings"

	"github.com/archdiag/archdiag/model"
)

func itoa(n int) string { return strconv.Itoa(n) }

// count formats a count of things with thousands separators: 5,714,286.
func count(n int) string { return grouped(strconv.Itoa(n)) }

// num formats a quantity the way the capacity estimate does, so numbers in
// the notes match the formulas it writes. Past 1e15 a float no longer holds
// every integer, and model.Rate's int64 conversion overflows past 9.2e18,
// so such quantities are written from the float itself.
func num(x float64) string {
	if math.Abs(x) >= 1e15 && !math.IsInf(x, 0) {
		return bigInt(x)
	}
	return model.Rate(x)
}

// bigInt writes a large whole number with separators, from the shortest
// decimal that gives x back, so 2.592e25 reads 25,920,000,… and not the
// float's binary tail.
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
	return grouped(digits)
}

// pct formats a share as a percentage: 0.4 → "40%", 0.8889 → "88.9%",
// 2e6 → "200,000,000%".
func pct(x float64) string {
	p := math.Round(x*1000) / 10
	switch {
	case math.Abs(p) >= 1e15 && !math.IsInf(p, 0):
		return bigInt(p) + "%"
	case math.Abs(p) >= 1000:
		return grouped(strconv.FormatFloat(math.Round(p), 'f', 0, 64)) + "%"
	}
	return strconv.FormatFloat(p, 'f', -1, 64) + "%"
}

// grouped puts thousands separators into a string of digits with an
// optional minus sign.
func grouped(digits string) string {
	neg := strings.HasPrefix(digits, "-")
	digits = strings.TrimPrefix(digits, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// plural returns "1 instance", "3 instances", "5,714,286 instances".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return count(n) + " " + noun + "s"
}

// ratioText formats a read:write ratio as the user wrote it: "9:1".
func ratioText(r model.Ratio) string {
	return short(r.Reads) + ":" + short(r.Writes)
}

// short formats a small number without trailing zeros: 4, 0.5.
func short(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// Key movement when a hash-partitioned store grows from n to n+1 nodes.
// hash mod n keeps a key only when h mod n == h mod (n+1), which holds for
// n of every n(n+1) hash values, so n/(n+1) of the keys move. An ideal
// consistent hash moves only the new node's share, 1/(n+1).
func hashModMoved(n int) float64    { return float64(n) / float64(n+1) }
func consistentMoved(n int) float64 { return 1 / float64(n+1) }

// vnodeSpread is the coefficient of variation of one node's share of a
// consistent-hash ring with n nodes of v random tokens each: a node's share
// is Beta(v, (n−1)v), whose sd/mean is √((n−1)/(n·v+1)).
func vnodeSpread(n, v int) float64 {
	return math.Sqrt(float64(n-1) / float64(n*v+1))
}
