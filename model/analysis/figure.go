package analysis

import (
	"math"
	"strconv"
	"strings"

	"github.com/archdiag/archdiag/model"
)

// An Operator joins a term to what stands before it in a formula.
type Operator string

const (
	Plus  Operator = "+"
	Minus Operator = "−"
	Times Operator = "×"
	Over  Operator = "÷"
)

// A Term is one operand of a formula: a number and what it counts.
type Term struct {
	Op    Operator // empty for the first term
	Value float64
	What  string // after the number, e.g. "instances", "rps from app", "hit ratio of seat-cache"
	Share bool   // a share or a small quantity, printed as 0.95 rather than 0.95 rounded as a rate
	Neg   bool   // printed as (1 − Value), e.g. the misses of a hit ratio
}

// A Figure is a number with the arithmetic that produced it. Rules, notes
// and diagrams print the same figure from the same value, so the figures
// they show can never disagree.
type Figure struct {
	Value float64
	Unit  string // e.g. "rps", "reads/s", "GB"
	Terms []Term // empty for a number stated in the model
	// Assumed names the reference capacity that stands in for a number the
	// model does not give; nil when every operand comes from the model.
	Assumed *Reference
}

// Known reports whether the figure holds a number.
func (f Figure) Known() bool { return f.Value > 0 || len(f.Terms) > 0 }

// Number formats the value for people: 3,000; 135; 8.3; 0.05.
func (f Figure) Number() string { return model.Rate(f.Value) }

// WithUnit is the value and its unit, e.g. "1,200 rps".
func (f Figure) WithUnit() string {
	if f.Unit == "" {
		return f.Number()
	}
	if strings.HasPrefix(f.Unit, "/") {
		return f.Number() + f.Unit
	}
	return f.Number() + " " + f.Unit
}

// Expression is the arithmetic alone, e.g. "3 instances × 400 rps";
// "" for a stated number.
func (f Figure) Expression() string {
	var b strings.Builder
	for i, t := range f.Terms {
		if i > 0 {
			b.WriteString(" " + string(t.Op) + " ")
		}
		b.WriteString(t.text())
	}
	return b.String()
}

// Exact reports whether the operands as printed give the result as printed;
// formulas whose printed operands are rounded are shown with ≈.
func (f Figure) Exact() bool {
	if len(f.Terms) == 0 {
		return true
	}
	var sum, product float64
	for i, t := range f.Terms {
		v := t.printed()
		switch {
		case i == 0:
			product = v
		case t.Op == Times:
			product *= v
		case t.Op == Over:
			if v == 0 {
				return false
			}
			product /= v
		case t.Op == Plus:
			sum += product
			product = v
		case t.Op == Minus:
			sum += product
			product = -v
		}
	}
	sum += product
	return model.Rate(sum) == f.Number()
}

// Sign is "=" for an exact formula and "≈" for one with rounded operands.
func (f Figure) Sign() string {
	if f.Exact() {
		return "="
	}
	return "≈"
}

// String is the formula with its result, e.g. "3 instances × 400 rps =
// 1,200 rps", or the value alone for a stated number.
func (f Figure) String() string {
	if len(f.Terms) <= 1 {
		return f.WithUnit()
	}
	return f.Expression() + " " + f.Sign() + " " + f.WithUnit()
}

// Stated is the figure with its formula and, when it rests on a rule of
// thumb, the assumption: "1 instance × 10,000 rps = 10,000 rps, assuming a
// reverse proxy sustains about 10,000 requests/s".
func (f Figure) Stated() string {
	if f.Assumed == nil {
		return f.String()
	}
	return f.String() + ", " + f.Assumed.Assumption()
}

// Paren is the formula in parentheses after a space, " (3 instances × 400
// rps = 1,200 rps)", or "" for a number with no arithmetic to show.
func (f Figure) Paren() string {
	if len(f.Terms) <= 1 {
		return ""
	}
	return " (" + f.String() + ")"
}

func (t Term) text() string {
	n := model.Rate(t.Value)
	if t.Share {
		n = share(t.Value)
	}
	if t.What != "" {
		n += " " + t.What
	}
	if t.Neg {
		return "(1 − " + n + ")"
	}
	return n
}

// printed is the operand's value as the reader sees it.
func (t Term) printed() float64 {
	v := t.Value
	if !t.Share {
		v = parseRate(model.Rate(v))
	} else {
		v = math.Round(v*1000) / 1000
	}
	if t.Neg {
		return 1 - v
	}
	return v
}

func parseRate(s string) float64 {
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	if err != nil {
		return math.NaN()
	}
	return v
}

// share formats a share or a small quantity exactly to three places: 0.9,
// 0.25, 60.
func share(x float64) string {
	return strconv.FormatFloat(math.Round(x*1000)/1000, 'f', -1, 64)
}
