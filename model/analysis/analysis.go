// Package analysis computes the derived facts of a model once: the load
// each component receives at average and at peak, its capacity and
// utilisation, how fast queues drain, how storage grows, and which flows
// break when a component fails. Every figure carries its formula, so the
// lint messages, the notes and the diagram print the same arithmetic from
// the same value, and none of them computes a number of its own.
package analysis

import (
	"math"

	"github.com/archdiag/archdiag/model"
)

// TargetUtilisation is the share of capacity a tier should run at, at peak,
// to leave room for an instance failure and for latency to stay flat.
const TargetUtilisation = 0.7

// maxCount bounds instance counts the analysis proposes: past it no
// deployable number would do, so the count stays unknown.
const maxCount = 1e9

// Options adjust an analysis.
type Options struct {
	// References are the rules of thumb used where the model states no
	// capacity; nil means the documented defaults with the model's own
	// reference_capacity applied.
	References *ReferenceSet
}

// Analysis is the derived facts of one model.
type Analysis struct {
	Model         *model.Model
	Average, Peak Figure // requests/s at the entries; zero when unknown
	Reads, Writes Figure // peak reads and writes/s; zero when the ratio is unknown
	// Facts has one entry per component, in model order.
	Facts []*Facts
	// Missing lists the inputs the analysis lacks, in model order.
	Missing []Missing
	// OnAverage is set when the model gives an average but no peak: the
	// facts' peak figures then hold the average load, a lower bound of the
	// peak, and capacity is judged at it.
	OnAverage bool

	refs *ReferenceSet
	of   map[*model.Component]*Facts
	// callWrites is the average writes each call carries, for storage.
	callWrites map[*model.Call]float64
}

// A Missing is an input the analysis lacks.
type Missing struct {
	Component *model.Component // nil for the traffic
	Field     string           // e.g. "traffic.read_write_ratio", "capacity.rps_per_instance"
	Text      string           // for people, e.g. "db.capacity.read_qps and write_qps"
}

func (m Missing) String() string { return m.Text }

// Load is what reaches a component per second.
type Load struct {
	Total  Figure // requests (queues: messages; workers: jobs) per second
	Reads  Figure // the reads among them; zero when the ratio is unknown
	Writes Figure // the writes among them
}

// Facts is what the analysis knows about one component.
type Facts struct {
	Component *model.Component
	Peak      Load // zero when no load reaches it
	Average   Load // zero when the average is unknown

	// Capacity is what the component sustains at its most instances:
	// requests/s, reads/s for databases, the drain rate for queues.
	Capacity Figure
	// WriteCapacity is a database's writes/s.
	WriteCapacity Figure
	// MinCapacity is an autoscaled component's capacity at its minimum.
	MinCapacity Figure
	// Utilisation is peak over capacity (databases: the busier of reads and
	// writes); MinUtilisation the same at the autoscale minimum. Zero when
	// unknown.
	Utilisation, MinUtilisation float64
	// Needed is the instances that keep the component at TargetUtilisation
	// at peak; zero when unknown.
	Needed int
	// PerInstance is what one instance sustains, when known: the model's
	// rps_per_instance or a reference.
	PerInstance Figure
	// UnratedCaches are the caches in front of a database's reads whose hit
	// ratio the model does not state: every read is counted as a miss, an
	// upper bound of the database's reads.
	UnratedCaches []*model.Component
	// Unserved is the reads that reach a request handler with no call that
	// could serve them: the model does not say where they go.
	Unserved Figure
	// Storage is a store's projected data; nil for other kinds or when the
	// model gives no volume.
	Storage *Storage
	// Breaks lists the flows that stop when the component fails, in model
	// order: flows with a step it makes, or a hard step to it.
	Breaks []Break
}

// Receives reports whether load reaches the component.
func (f *Facts) Receives() bool { return f.Peak.Total.Value > 0 }

// Assumed returns the references the component's capacity rests on.
func (f *Facts) Assumed() []*Reference {
	var out []*Reference
	for _, fig := range []Figure{f.Capacity, f.WriteCapacity} {
		if fig.Assumed != nil && (len(out) == 0 || out[0] != fig.Assumed) {
			out = append(out, fig.Assumed)
		}
	}
	return out
}

// A Break is a flow that stops when a component fails, and the first step
// that needs the component.
type Break struct {
	Flow *model.Flow
	Step *model.Step
}

// Storage is a store's data projected from its growth.
type Storage struct {
	PerDay        Figure // GB a day
	Year1, Year3  Figure // GB held after one and three years, within the retention
	RetentionDays int    // 0 when everything is kept
	NodeCapacity  Figure // GB the store's nodes hold; zero for object storage
}

// Analyze computes the facts of m.
func Analyze(m *model.Model, opt Options) *Analysis {
	refs := opt.References
	if refs == nil {
		refs = ModelReferences(m, nil)
	}
	a := &Analysis{Model: m, refs: refs, Facts: make([]*Facts, len(m.Components)), of: make(map[*model.Component]*Facts, len(m.Components))}
	for i, c := range m.Components {
		a.Facts[i] = &Facts{Component: c}
		a.of[c] = a.Facts[i]
	}
	a.traffic()
	if a.Peak.Value == 0 && a.Average.Value > 0 {
		a.OnAverage = true
	}
	if a.Peak.Value > 0 || a.OnAverage || hasOwnWork(m) {
		a.propagate()
	}
	for _, f := range a.Facts {
		if f.Receives() {
			a.capacity(f)
		}
		a.storage(f)
	}
	a.breaks()
	a.Missing = append(a.Missing, a.missingCapacity()...)
	return a
}

// When is "at peak", or "on average" when the model gives no peak.
func (a *Analysis) When() string {
	if a.OnAverage {
		return "on average"
	}
	return "at peak"
}

// Of returns the facts of c.
func (a *Analysis) Of(c *model.Component) *Facts {
	if f := a.of[c]; f != nil {
		return f
	}
	return &Facts{Component: c}
}

// Loaded lists the components that receive load, in model order.
func (a *Analysis) Loaded() []*Facts {
	var out []*Facts
	for _, f := range a.Facts {
		if f.Receives() {
			out = append(out, f)
		}
	}
	return out
}

func (a *Analysis) traffic() {
	t := a.Model.Traffic
	avg, okAvg := t.AverageRPS()
	peak, okPeak := t.PeakLoad()
	readFrac, okRatio := t.ReadFraction()
	switch {
	case t == nil:
		a.Missing = append(a.Missing, Missing{Field: "traffic", Text: "traffic (baseline_rps, peak_multiplier, read_write_ratio)"})
	default:
		if !okAvg && !t.PeakRPS.Set() {
			a.Missing = append(a.Missing, Missing{Field: "traffic.baseline_rps", Text: "traffic.baseline_rps (or daily_active_users and requests_per_user)"})
		}
		if !okPeak && okAvg {
			a.Missing = append(a.Missing, Missing{Field: "traffic.peak_multiplier", Text: "traffic.peak_multiplier (or peak_rps)"})
		}
		if !okRatio {
			a.Missing = append(a.Missing, Missing{Field: "traffic.read_write_ratio", Text: "traffic.read_write_ratio"})
		}
	}
	if okAvg {
		a.Average = Figure{Value: avg, Unit: "rps"}
		if !t.BaselineRPS.Set() {
			a.Average.Terms = []Term{
				{Value: t.DailyActiveUsers.Val, What: "users"},
				{Op: Times, Value: t.RequestsPerUser.Val, What: "requests"},
				{Op: Over, Value: 86400, What: "s"},
			}
		}
	}
	if okPeak {
		a.Peak = Figure{Value: peak, Unit: "rps"}
		if !t.PeakRPS.Set() {
			a.Peak.Terms = []Term{{Value: avg, What: "rps"}, {Op: Times, Value: t.PeakMultiplier.Val, Share: true}}
		}
		if okRatio {
			a.Reads = Figure{Value: peak * readFrac, Unit: "reads/s", Terms: []Term{{Value: peak}, {Op: Times, Value: readFrac, Share: true}}}
			a.Writes = Figure{Value: peak * (1 - readFrac), Unit: "writes/s", Terms: []Term{{Value: peak}, {Op: Times, Value: 1 - readFrac, Share: true}}}
		}
	}
}

// ModelReferences returns the documented rules of thumb with the model's
// reference_capacity applied over base (the defaults when base is nil).
func ModelReferences(m *model.Model, base *ReferenceSet) *ReferenceSet {
	s := DefaultReferences()
	if base != nil {
		s = &ReferenceSet{refs: append([]Reference(nil), base.refs...)}
	}
	applyModelReferences(m, s)
	return s
}

// hasOwnWork reports whether some component originates load itself.
func hasOwnWork(m *model.Model) bool {
	for _, c := range m.Components {
		if _, ok := ownRate(c); ok {
			return true
		}
	}
	return false
}

func ceilCount(x float64) int {
	if math.IsNaN(x) || math.IsInf(x, 0) || x > maxCount {
		return 0
	}
	return int(math.Ceil(x))
}
