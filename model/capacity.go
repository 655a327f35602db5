package model

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// TargetUtilisation is the share of capacity a tier should run at, at peak,
// to leave room for an instance failure and for latency to stay flat.
const TargetUtilisation = 0.7

// Estimate is the back-of-the-envelope load of a model at peak. Numbers
// come only from what the user wrote; what is missing is listed, never
// guessed.
type Estimate struct {
	Average, Peak float64          // requests/s at the entries (0 when unknown)
	Reads, Writes float64          // peak reads and writes per second (0 when the ratio is unknown)
	Loads         []*ComponentLoad // one per component that receives load, in component order
	Missing       []Missing        // inputs that are missing, in model order

	byComponent []*ComponentLoad // by component index
}

// A Missing is an input the estimate lacks.
type Missing struct {
	Component *Component // nil for the traffic
	Field     string     // e.g. "traffic.read_write_ratio", "capacity.rps_per_instance"
	Text      string     // for people, e.g. "db.capacity.read_qps and write_qps"
}

func (m Missing) String() string { return m.Text }

// ComponentLoad is the load one component receives at peak.
type ComponentLoad struct {
	Component     *Component
	PeakRPS       float64 // requests (queues: messages) per second reaching it at peak
	AverageRPS    float64 // the same at average load; 0 when the average is unknown
	ReadRPS       float64 // the reads among them
	WriteRPS      float64 // the writes among them
	Formula       string  // how PeakRPS was computed, with the numbers
	Capacity      float64 // instances × per-instance capacity (databases: reads/s; queues: drain rate); 0 when unknown
	WriteCapacity float64 // databases: writes/s; 0 when unknown
	CapacityHow   string  // how Capacity was computed, with the numbers
	Utilisation   float64 // PeakRPS / Capacity (databases: the busier of reads and writes); 0 when unknown
	Needed        int     // instances needed to stay at TargetUtilisation; 0 when unknown
}

// Load returns c's load, or nil when c receives none.
func (e *Estimate) Load(c *Component) *ComponentLoad {
	if c.index >= len(e.byComponent) {
		return nil
	}
	return e.byComponent[c.index]
}

// loadEdge carries a share of one component's load to another.
type loadEdge struct {
	to            *Component
	factor        float64 // share of the source's load
	reads, writes float64 // shares of the source's load that are reads and writes
	how           string  // the factor in words, e.g. " × 0.9 reads"
}

// Estimate propagates the peak load from the entries along synchronous
// calls, publishes and queue consumption: reads and writes split by the
// read:write ratio, database reads behind a cache-aside or read-through
// cache reduced by its hit ratio and spread over the primary's read targets,
// and what passes a waiting room capped at its admission rate.
func (m *Model) Estimate() *Estimate {
	e := &Estimate{byComponent: make([]*ComponentLoad, len(m.Components))}
	t := m.Traffic
	avg, okAvg := t.AverageRPS()
	peak, okPeak := t.PeakLoad()
	readFrac, okRatio := t.ReadFraction()
	switch {
	case t == nil:
		e.Missing = append(e.Missing, Missing{Field: "traffic", Text: "traffic (baseline_rps, peak_multiplier, read_write_ratio)"})
	default:
		if !okAvg && !t.PeakRPS.Set() {
			e.Missing = append(e.Missing, Missing{Field: "traffic.baseline_rps", Text: "traffic.baseline_rps (or daily_active_users and requests_per_user)"})
		}
		if !okPeak && okAvg {
			e.Missing = append(e.Missing, Missing{Field: "traffic.peak_multiplier", Text: "traffic.peak_multiplier (or peak_rps)"})
		}
		if !okRatio {
			e.Missing = append(e.Missing, Missing{Field: "traffic.read_write_ratio", Text: "traffic.read_write_ratio"})
		}
	}
	e.Average = avg
	if okPeak {
		e.Peak = peak
		if okRatio {
			e.Reads, e.Writes = peak*readFrac, peak*(1-readFrac)
		}
		e.propagate(m, peak, avg, readFrac, okRatio)
	}
	e.Missing = append(e.Missing, m.missingCapacity(e)...)
	return e
}

type accumulated struct {
	total, reads, writes float64
	parts                []string
}

func (e *Estimate) propagate(m *Model, peak, average, readFrac float64, okRatio bool) {
	edges := m.loadEdges(readFrac, okRatio)
	acc := flow(m, edges, peak, readFrac, okRatio)
	var avg []accumulated
	if average > 0 {
		avg = flow(m, edges, average, readFrac, okRatio)
	}
	for _, c := range m.Components {
		a := &acc[c.index]
		if a.total <= 0 {
			continue
		}
		cl := &ComponentLoad{Component: c, PeakRPS: a.total, ReadRPS: a.reads, WriteRPS: a.writes}
		if avg != nil {
			cl.AverageRPS = avg[c.index].total
		}
		cl.Formula = strings.Join(a.parts, " + ")
		if len(a.parts) > 1 || strings.Contains(cl.Formula, "×") || strings.Contains(cl.Formula, "÷") {
			cl.Formula += " = " + Rate(a.total)
		}
		e.capacity(m, cl)
		e.Loads = append(e.Loads, cl)
		e.byComponent[c.index] = cl
	}
}

// flow carries load from the entries along edges, in component order.
func flow(m *Model, edges [][]loadEdge, entryLoad, readFrac float64, okRatio bool) []accumulated {
	indeg := make([]int, len(m.Components))
	for _, out := range edges {
		for _, le := range out {
			indeg[le.to.index]++
		}
	}
	acc := make([]accumulated, len(m.Components))
	get := func(c *Component) *accumulated { return &acc[c.index] }
	var entries []*Component
	for _, c := range m.Components {
		if c.Kind.Val.IsEntry() {
			entries = append(entries, c)
		}
	}
	for _, c := range entries {
		share := entryLoad / float64(len(entries))
		a := get(c)
		a.total += share
		if okRatio {
			a.reads, a.writes = share*readFrac, share*(1-readFrac)
		}
		a.parts = append(a.parts, "peak "+Rate(share))
	}
	// Kahn's algorithm in component order; a component on a cycle keeps the
	// load that reached it from outside the cycle.
	var ready []*Component
	for _, c := range m.Components {
		if indeg[c.index] == 0 {
			ready = append(ready, c)
		}
	}
	for len(ready) > 0 {
		c := ready[0]
		ready = ready[1:]
		load := acc[c.index].total
		from := " from " + c.ID
		switch {
		case c.Kind.Val == WaitingRoom && c.AdmitRPS.Set() && load > c.AdmitRPS.Val:
			// The waiting room holds the surplus back: downstream sees only
			// what it admits.
			load, from = c.AdmitRPS.Val, " admitted by "+c.ID
		case c.Kind.Val.IsConsumer():
			// A consumer does no more than it drains; the rest waits in its
			// queue (queue/backlog-growth).
			if rate, how := DrainRate(c); how != "" && load > rate {
				load, from = rate, " processed by "+c.ID
			}
		}
		for _, le := range edges[c.index] {
			if load > 0 {
				a := get(le.to)
				a.total += load * le.factor
				a.reads += load * le.reads
				a.writes += load * le.writes
				a.parts = append(a.parts, Rate(load)+from+le.how)
			}
			if indeg[le.to.index]--; indeg[le.to.index] == 0 {
				ready = append(ready, le.to)
			}
		}
	}
	return acc
}

// loadEdges lists, per component, where its load goes.
func (m *Model) loadEdges(readFrac float64, okRatio bool) [][]loadEdge {
	out := make([][]loadEdge, len(m.Components))
	for _, u := range m.Components {
		if servedAtEdge(u) {
			continue
		}
		// A handler's load is user requests, split by the ratio; a cache's
		// load has been split already, on the way to it.
		handler := !u.Kind.Val.IsConsumer() && u.Kind.Val != Cache
		cacheHit, cacheID := 0.0, ""
		readTargets := map[*Component]int{} // primary → read targets among u's calls
		for _, call := range u.Calls {
			t := call.To.Target
			// Reads that a cache answers do not reach the database. The
			// caller's own database reads are the misses, unless a
			// read-through cache fetches them itself (missesOnly counts those).
			if t.Kind.Val == Cache && (t.Pattern.Val == CacheAside || t.Pattern.Val == ReadThrough && !fetchesFromDatabase(t)) && !call.Op.Val.Writes() && t.HitRatio.Set() {
				cacheHit, cacheID = t.HitRatio.Val, t.ID
			}
			if t.Kind.Val == Database && call.Op.Val == OpRead {
				readTargets[primaryOf(t)]++
			}
		}
		for _, call := range u.Calls {
			t := call.To.Target
			op := call.Op.Val
			if servedAtEdge(t) {
				continue
			}
			switch {
			case op.Consumes():
				n := 1
				if t.Mode.Val == PointToPoint {
					n = len(m.Consumers(t))
				}
				le := loadEdge{to: u, factor: 1 / float64(n)}
				if n > 1 {
					le.how = " ÷ " + strconv.Itoa(n) + " consumers"
				}
				out[t.index] = append(out[t.index], le)
				continue
			case op == OpPublish && handler && okRatio:
				out[u.index] = append(out[u.index], loadEdge{to: t, factor: 1 - readFrac, writes: 1 - readFrac, how: " × " + fmtShare(1-readFrac) + " writes"})
				continue
			case call.Mode.Val == Async || !handler:
				le := loadEdge{to: t, factor: 1}
				switch {
				case missesOnly(u, t) && !op.Writes():
					le.factor, le.reads = 1-u.HitRatio.Val, 1-u.HitRatio.Val
					le.how = " × (1 − " + fmtShare(u.HitRatio.Val) + " " + u.ID + " hit ratio)"
				case op.Reads() && !op.Writes():
					le.reads = 1
				case op.Writes() || op == OpPublish:
					le.writes = 1
				}
				out[u.index] = append(out[u.index], le)
				continue
			}
			le := loadEdge{to: t, factor: 1}
			switch {
			case op == OpRead && okRatio:
				le.factor, le.reads, le.how = readFrac, readFrac, " × "+fmtShare(readFrac)+" reads"
				if t.Kind.Val == Database {
					if cacheID != "" {
						le.factor *= 1 - cacheHit
						le.reads = le.factor
						le.how += " × (1 − " + fmtShare(cacheHit) + " " + cacheID + " hit ratio)"
					}
					if n := readTargets[primaryOf(t)]; n > 1 {
						le.factor /= float64(n)
						le.reads = le.factor
						le.how += " ÷ " + strconv.Itoa(n) + " read targets"
					}
				}
			case op == OpWrite && okRatio:
				le.factor, le.writes, le.how = 1-readFrac, 1-readFrac, " × "+fmtShare(1-readFrac)+" writes"
			case okRatio:
				le.reads, le.writes = readFrac, 1-readFrac
				if t.Kind.Val == Database && cacheID != "" && (op == OpReadWrite || op == OpCall) {
					le.reads = readFrac * (1 - cacheHit)
					le.factor = le.reads + le.writes
					le.how = " × (" + fmtShare(readFrac) + " reads × (1 − " + fmtShare(cacheHit) + " " + cacheID + " hit ratio) + " + fmtShare(1-readFrac) + " writes)"
				}
			}
			out[u.index] = append(out[u.index], le)
		}
	}
	return out
}

// missesOnly reports whether reads from u to t are a read-through cache's
// misses: the cache fetches from the database what it does not hold.
func missesOnly(u, t *Component) bool {
	return u.Kind.Val == Cache && u.Pattern.Val == ReadThrough && u.HitRatio.Set() && t.Kind.Val == Database
}

// fetchesFromDatabase reports whether cache c calls a database itself.
func fetchesFromDatabase(c *Component) bool {
	for _, call := range c.Calls {
		if call.To.Target != nil && call.To.Target.Kind.Val == Database {
			return true
		}
	}
	return false
}

// servedAtEdge reports whether c answers at the edge (DNS, CDN): its share
// of the traffic and of its origin's is unknown, so no load is carried
// through it.
func servedAtEdge(c *Component) bool { return c.Kind.Val == DNS || c.Kind.Val == CDN }

func primaryOf(db *Component) *Component {
	if db.ReplicaOf.Target != nil {
		return db.ReplicaOf.Target
	}
	return db
}

// Consumers returns the components that take messages off queue q, in file order.
func (m *Model) Consumers(q *Component) []*Component { return m.consumers[q.index] }

func (e *Estimate) capacity(m *Model, cl *ComponentLoad) {
	c := cl.Component
	switch {
	case c.Kind.Val == Database && c.Capacity != nil && (c.Capacity.ReadQPS.Set() || c.Capacity.WriteQPS.Set()):
		var hows []string
		if c.Capacity.ReadQPS.Set() {
			cl.Capacity = c.Capacity.ReadQPS.Val
			hows = append(hows, Rate(cl.Capacity)+" reads/s")
			if cl.Capacity > 0 {
				cl.Utilisation = cl.ReadRPS / cl.Capacity
			}
		}
		if c.Capacity.WriteQPS.Set() {
			cl.WriteCapacity = c.Capacity.WriteQPS.Val
			hows = append(hows, Rate(cl.WriteCapacity)+" writes/s")
			if cl.WriteCapacity > 0 {
				cl.Utilisation = math.Max(cl.Utilisation, cl.WriteRPS/cl.WriteCapacity)
			}
		}
		cl.CapacityHow = strings.Join(hows, ", ")
	case c.Capacity != nil && c.Capacity.RPSPerInstance.Set():
		per := c.Capacity.RPSPerInstance.Val
		n := c.MaxInstances()
		cl.Capacity = float64(n) * per
		cl.CapacityHow = Plural(n, "instance") + " × " + Rate(per) + " rps = " + Rate(cl.Capacity) + " rps"
		if cl.Capacity > 0 {
			cl.Utilisation = cl.PeakRPS / cl.Capacity
		}
		// Beyond maxCount no deployable number would do; leave it unknown
		// rather than overflow an int.
		if need := math.Ceil(cl.PeakRPS / (per * TargetUtilisation)); per > 0 && need <= maxCount {
			cl.Needed = int(need)
		}
	case c.Kind.Val == Queue:
		var hows []string
		for _, w := range m.Consumers(c) {
			rate, how := DrainRate(w)
			if how == "" {
				return // one consumer's rate is unknown, so the total is too
			}
			cl.Capacity += rate
			hows = append(hows, how)
		}
		if len(hows) == 0 {
			return
		}
		cl.CapacityHow = strings.Join(hows, " + ")
		if c.Mode.Val == PubSub {
			// Every subscriber sees every message: the slowest sets the pace.
			cl.Capacity = math.Inf(1)
			for _, w := range m.Consumers(c) {
				r, _ := DrainRate(w)
				cl.Capacity = math.Min(cl.Capacity, r)
			}
			cl.CapacityHow = hows[0]
			if len(hows) > 1 {
				cl.CapacityHow = "the slowest of " + strings.Join(hows, "; ")
			}
		}
		if cl.Capacity > 0 {
			cl.Utilisation = cl.PeakRPS / cl.Capacity
		}
	}
}

// DrainRate is how many jobs per second a worker or cron job takes off its
// queue, and the arithmetic in words; how is "" when the numbers are missing.
func DrainRate(c *Component) (rate float64, how string) {
	switch c.Kind.Val {
	case Worker:
		if !c.ServiceTimeMS.Set() {
			return 0, ""
		}
		conc := max(c.Concurrency.Val, 1)
		n := c.MaxInstances()
		s := float64(c.ServiceTimeMS.Val) / 1000
		rate = float64(n*conc) / s
		return rate, Plural(n, "worker") + " × " + strconv.Itoa(conc) + " concurrent ÷ " + fmtShare(s) + " s = " + Rate(rate) + "/s"
	case Cron:
		interval, ok := CronInterval(c.Schedule.Val)
		if !ok || !c.BatchSize.Set() {
			return 0, ""
		}
		rate = float64(c.BatchSize.Val) / interval.Seconds()
		return rate, Rate(float64(c.BatchSize.Val)) + " per run ÷ " + fmtShare(interval.Seconds()) + " s = " + Rate(rate) + "/s"
	}
	return 0, ""
}

// CronInterval is the shortest gap between runs of a standard cron
// schedule, looked for over the first week of 2024 (the first gap for
// rarer schedules), or false when the schedule does not parse or never
// fires.
func CronInterval(schedule string) (time.Duration, bool) {
	s, err := cron.ParseStandard(schedule)
	if err != nil {
		return 0, false
	}
	horizon := 8 * 24 * time.Hour
	switch s := s.(type) {
	case cron.ConstantDelaySchedule: // @every
		// robfig raises what is written to at least a second, and runs it
		// so; cron/invalid-schedule reports what was written.
		return s.Delay, true
	case *cron.SpecSchedule:
		const star = 1 << 63 // robfig marks a field written as * with this bit
		if s.Dom&star != 0 && s.Month&star != 0 && s.Dow&star != 0 {
			horizon = 25 * time.Hour // the same every day: one day shows every gap
		}
	}
	t := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC) // a fixed start keeps the answer deterministic
	end := t.Add(horizon)
	prev := s.Next(t)
	gap := time.Duration(0)
	// At least one gap, however rare the runs; a minute is the shortest gap
	// 5-field cron has.
	for (gap == 0 || prev.Before(end)) && gap != time.Minute {
		next := s.Next(prev)
		if next.IsZero() {
			break
		}
		if d := next.Sub(prev); gap == 0 || d < gap {
			gap = d
		}
		prev = next
	}
	return gap, gap > 0
}

func (m *Model) missingCapacity(e *Estimate) []Missing {
	var out []Missing
	add := func(c *Component, field, text string) {
		out = append(out, Missing{Component: c, Field: field, Text: c.ID + "." + text})
	}
	for _, c := range m.Components {
		onPath := e.Load(c) != nil || e.Peak == 0
		switch {
		case !onPath:
		case c.Kind.Val == App && (c.Capacity == nil || !c.Capacity.RPSPerInstance.Set()):
			add(c, "capacity.rps_per_instance", "capacity.rps_per_instance")
		case c.Kind.Val == Database && c.Role.Val != RoleReplica && (c.Capacity == nil || !(c.Capacity.ReadQPS.Set() || c.Capacity.WriteQPS.Set())) && !c.Managed.Val:
			add(c, "capacity.read_qps", "capacity.read_qps and write_qps")
		case c.Kind.Val == Worker && !c.ServiceTimeMS.Set():
			add(c, "service_time_ms", "service_time_ms")
		case c.Kind.Val == Cron && !c.BatchSize.Set():
			add(c, "batch_size", "batch_size")
		}
	}
	return out
}

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

// fmtShare formats a share or a small quantity: 0.9, 0.25, 60.
func fmtShare(x float64) string {
	return strconv.FormatFloat(math.Round(x*1000)/1000, 'f', -1, 64)
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
