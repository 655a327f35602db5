package notes

import (
	"math"
	"strconv"
	"strings"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/analysis"
)

func itoa(n int) string { return strconv.Itoa(n) }

// count formats a count of things with thousands separators: 5,714,286.
func count(n int) string { return model.Rate(float64(n)) }

// num formats a quantity the way the capacity estimate does, so numbers in
// the notes match the formulas it writes.
func num(x float64) string { return model.Rate(x) }

// shown is x as num prints it, so that a formula's result can be checked
// against the operands a reader sees.
func shown(x float64) float64 {
	v, err := strconv.ParseFloat(strings.ReplaceAll(num(x), ",", ""), 64)
	if err != nil {
		return x
	}
	return v
}

// eq is the sign between a formula and its result: " = " when the shown
// operands give the shown result (fromShown, computed from shown values),
// " ≈ " when rounding an operand for display throws the product off, so
// "205 × 3,600 s ≈ 736,364" does not read as an error.
func eq(fromShown, result float64) string { return sign(num, fromShown, result) }

// eqPct is eq for a result printed as a percentage.
func eqPct(fromShown, result float64) string { return sign(pct, fromShown, result) }

// eqShort is eq for a result printed with short.
func eqShort(fromShown, result float64) string { return sign(short, fromShown, result) }

func sign(format func(float64) string, fromShown, result float64) string {
	if format(fromShown) == format(result) {
		return " = "
	}
	return " ≈ "
}

// pct formats a share as a percentage: 0.4 → "40%", 0.8889 → "88.9%",
// 2e6 → "200,000,000%".
func pct(x float64) string {
	p := math.Round(x*1000) / 10
	if math.Abs(p) >= 1000 {
		return model.Rate(math.Round(p)) + "%"
	}
	return strconv.FormatFloat(p, 'f', -1, 64) + "%"
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

// estimate is the shared analysis as the notes read it: every number the
// notes print comes from it, so the notes and lint print the same figures.
type estimate struct {
	Peak, Average, Reads, Writes float64
	Loads                        []*compLoad // components that receive load, in model order
	Missing                      []analysis.Missing
	a                            *analysis.Analysis
	by                           map[*model.Component]*compLoad
}

// compLoad is one component's facts, with the figures the notes print.
type compLoad struct {
	Component               *model.Component
	Facts                   *analysis.Facts
	PeakRPS, AverageRPS     float64
	ReadRPS, WriteRPS       float64
	Formula                 string // how PeakRPS was computed
	Capacity, WriteCapacity float64
	CapacityHow             string // how Capacity was computed
	Utilisation             float64
	Needed                  int
}

func newEstimate(a *analysis.Analysis) *estimate {
	e := &estimate{
		Peak: a.Peak.Value, Average: a.Average.Value, Reads: a.Reads.Value, Writes: a.Writes.Value,
		Missing: a.Missing, a: a, by: map[*model.Component]*compLoad{},
	}
	for _, f := range a.Loaded() {
		l := &compLoad{
			Component: f.Component, Facts: f,
			PeakRPS: f.Peak.Total.Value, AverageRPS: f.Average.Total.Value,
			ReadRPS: f.Peak.Reads.Value, WriteRPS: f.Peak.Writes.Value,
			Formula:  formula(f.Peak.Total),
			Capacity: f.Capacity.Value, WriteCapacity: f.WriteCapacity.Value,
			CapacityHow: capacityHow(f),
			Utilisation: f.Utilisation, Needed: f.Needed,
		}
		e.Loads = append(e.Loads, l)
		e.by[f.Component] = l
	}
	return e
}

// formula is a figure's arithmetic with its result, or "" for a number
// with no arithmetic to show.
func formula(f analysis.Figure) string {
	if len(f.Terms) <= 1 {
		return ""
	}
	return f.String()
}

// Load returns c's load, or nil when none reaches it.
func (e *estimate) Load(c *model.Component) *compLoad { return e.by[c] }

// capacityHow is a capacity's arithmetic, a database's reads and writes
// side by side, with what a rule of thumb stands in for.
func capacityHow(f *analysis.Facts) string {
	var parts []string
	for _, fig := range []analysis.Figure{f.Capacity, f.WriteCapacity} {
		if !fig.Known() {
			continue
		}
		parts = append(parts, fig.Stated())
	}
	return strings.Join(parts, "; ")
}
