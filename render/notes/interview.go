package notes

import (
	"math"
	"strings"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/analysis"
)

// The interview notes' section headings, in order. Tests walk the document
// for exactly these.
const (
	secSystem  = "1. The system in two sentences"
	secNumbers = "2. Requirements and back-of-the-envelope numbers"
	secDesign  = "3. High-level design"
	secFlows   = "4. Flows, step by step"
	secDeep    = "5. Deep dives"
	secRisks   = "6. Bottlenecks and single points of failure"
	secScaling = "7. The scaling path"
	secWrapUp  = "8. Wrap-up"
)

func (d *doc) interview() {
	d.w.heading(1, esc(d.m.Name.Val)+": interview speaking notes")
	d.system()
	d.numbers()
	d.design()
	d.flows()
	d.deepDives()
	d.risks()
	d.scalingPath()
	d.wrapUp()
}

// system states what the system is in two sentences: the description (or
// the flows) and the components.
func (d *doc) system() {
	d.w.heading(2, secSystem)
	var first string
	switch {
	case d.m.Description.Val != "":
		first = sentence(esc(d.m.Description.Val))
	case len(d.m.Flows) > 0:
		var fl []string
		for _, f := range d.m.Flows {
			fl = append(fl, bold(esc(f.Name)))
		}
		first = bold(esc(d.m.Name.Val)) + " serves " + model.Plural(len(d.m.Flows), "flow") + ": " + join(fl) + "."
	default:
		first = bold(esc(d.m.Name.Val)) + " has no description or flows in the model, so these notes describe it by its components."
	}
	var parts []string
	for _, k := range d.kindsPresent() {
		cs := d.ofKind(k)
		p := countOf(k, len(cs))
		switch k {
		case model.Queue:
			if n := len(cs) - len(d.workQueues()); n > 0 {
				switch {
				case n == 1 && len(cs) == 1:
					p += " (a dead-letter queue)"
				case n == len(cs):
					p += " (all dead-letter queues)"
				case n == 1:
					p += " (one of them a dead-letter queue)"
				default:
					p += " (" + itoa(n) + " of them dead-letter queues)"
				}
			}
		case model.External:
			var provs []string
			for _, c := range cs {
				provs = append(provs, string(c.Provider.Val))
			}
			p += " (" + strings.Join(provs, ", ") + ")"
		}
		parts = append(parts, p)
	}
	second := "It has " + model.Plural(len(d.m.Components), "component") + " in " + model.Plural(len(d.tiersPresent()), "tier") + ", front to back: " + join(parts) + "."
	d.w.para(first + " " + second)
}

// numbers gives the requirements and the back-of-the-envelope arithmetic.
func (d *doc) numbers() {
	d.w.heading(2, secNumbers)
	if len(d.m.Flows) > 0 {
		d.w.para("Functional requirements, one per flow:")
		var items []string
		for _, f := range d.m.Flows {
			s := bold(esc(f.Name))
			if f.Description.Val != "" {
				s += ": " + sentence(esc(f.Description.Val))
			} else {
				s += ": " + model.Plural(len(f.Steps), "step") + ", no description."
			}
			items = append(items, s)
		}
		d.w.bullets(items)
	} else {
		d.w.para("The model declares no flows, so the functional requirements come from the components alone; confirm the core user journeys first.")
	}

	t := d.m.Traffic
	e := d.est
	var traffic []string
	if avg, ok := t.AverageRPS(); ok {
		switch {
		case t.BaselineRPS.Set():
			traffic = append(traffic, "Average: "+code("average = "+num(avg)+" rps")+" (given).")
		default:
			traffic = append(traffic, "Average: "+code("average = "+num(t.DailyActiveUsers.Val)+" users × "+num(t.RequestsPerUser.Val)+" requests ÷ 86,400 s"+eq(shown(t.DailyActiveUsers.Val)*shown(t.RequestsPerUser.Val)/86400, avg)+num(avg)+" rps")+".")
		}
		traffic = append(traffic, "Per 30-day month: "+code("≈ "+num(avg)+" rps × 2,592,000 s = "+num(avg*2592000)+" requests")+".")
	}
	if peak, ok := t.PeakLoad(); ok {
		if t.PeakRPS.Set() {
			traffic = append(traffic, "Peak: "+code("peak = "+num(peak)+" rps")+" (given).")
		} else {
			avg, _ := t.AverageRPS()
			traffic = append(traffic, "Peak: "+code("peak = "+num(avg)+" rps × "+short(t.PeakMultiplier.Val)+eq(shown(avg)*t.PeakMultiplier.Val, peak)+num(peak)+" rps")+".")
		}
		if frac, ok := t.ReadFraction(); ok {
			r := t.ReadWriteRatio.Val
			sum := short(r.Reads + r.Writes)
			kind := "balanced"
			switch {
			case frac > 0.5:
				kind = "read-heavy, so caches and read replicas pay off"
			case frac < 0.5:
				kind = "write-heavy, so the primary and the queues carry the load"
			}
			traffic = append(traffic, "Reads and writes at "+ratioText(r)+": "+
				code("reads = "+num(peak)+" × "+short(r.Reads)+"/"+sum+eq(shown(peak)*r.Reads/(r.Reads+r.Writes), e.Reads)+num(e.Reads)+" rps")+", "+
				code("writes = "+num(peak)+" × "+short(r.Writes)+"/"+sum+eq(shown(peak)*r.Writes/(r.Reads+r.Writes), e.Writes)+num(e.Writes)+" rps")+"; "+kind+".")
		}
	}
	if len(traffic) > 0 {
		d.w.para("Traffic, from the model:")
		d.w.bullets(traffic)
	}

	var loads []string
	for _, cl := range e.Loads {
		if cl.Component.Kind.Val.IsEntry() {
			continue
		}
		loads = append(loads, d.loadLine(cl))
	}
	if len(loads) > 0 {
		d.w.para("Load per component " + e.a.When() + ", after caches, against a " + pct(analysis.TargetUtilisation) + " target utilisation:")
		d.w.bullets(loads)
	}

	var stores []string
	for _, f := range e.a.Facts {
		if st := f.Storage; st != nil {
			stores = append(stores, storageLine(f.Component, st))
		}
	}
	if len(stores) > 0 {
		d.w.para("Storage, projected from the model's volumes:")
		d.w.bullets(stores)
	}

	if len(e.Missing) > 0 {
		d.w.para("Numbers the model does not give, and why they matter:")
		var items []string
		for _, miss := range e.Missing {
			items = append(items, code(miss.Text)+": "+missingWhy(miss))
		}
		d.w.bullets(items)
	}
}

// storageLine projects a store's data over one and three years against
// what its nodes hold.
func storageLine(c *model.Component, st *analysis.Storage) string {
	s := named(c) + ": " + code(st.PerDay.String()) + "; " + code(st.Year1.String()) + " after a year, " + code(st.Year3.String()) + " after three"
	if st.RetentionDays > 0 {
		s += " (kept " + model.Plural(st.RetentionDays, "day") + ")"
	}
	if nc := st.NodeCapacity; nc.Known() {
		s += ", against " + code(nc.String())
		if nc.Assumed != nil {
			s += " (" + nc.Assumed.Assumption() + ")"
		}
		switch {
		case st.Year1.Value > nc.Value:
			s += ": it outgrows its nodes within a year"
		case st.Year3.Value > nc.Value:
			s += ": it outgrows its nodes within three years"
		default:
			s += ": it fits"
		}
	}
	return s + "."
}

func (d *doc) loadLine(cl *compLoad) string {
	c := cl.Component
	s := named(c) + ": " + num(cl.PeakRPS) + " " + analysis.Unit(c)
	if cl.Formula != "" {
		s += " (" + code(cl.Formula) + ")"
	}
	if u := cl.Facts.Unserved; u.Known() {
		s += "; " + num(u.Value) + " of them are reads that reach no store the model declares, so they are served from memory or not modelled"
	}
	shared := d.sharedConsumer(c)
	switch {
	case c.Kind.Val == model.Queue:
		s += d.queueLoadText(cl)
	case c.Kind.Val == model.Database:
		s += dbLoadText(cl)
	case shared != nil:
		return d.sharedConsumerLine(c, shared)
	case c.Kind.Val.IsConsumer():
		s += d.overDrainText(cl)
	case cl.Needed > 0 && cl.Capacity == 0 && cl.Facts.PerInstance.Known():
		pi := cl.Facts.PerInstance
		s += "; " + code("needed = ⌈"+num(cl.PeakRPS)+" ÷ ("+num(pi.Value)+" × "+short(analysis.TargetUtilisation)+")⌉"+eq(math.Ceil(shown(cl.PeakRPS)/(shown(pi.Value)*analysis.TargetUtilisation)), float64(cl.Needed))+num(float64(cl.Needed))) + strings.TrimPrefix(model.Plural(cl.Needed, "instance"), count(cl.Needed))
		if pi.Assumed != nil {
			s += " (" + pi.Assumed.Assumption() + ")"
		}
		if c.Autoscale != nil {
			s += ", for an autoscaling group " + c.Autoscale.Range()
		} else {
			s += "; the model does not state how many run"
		}
	case cl.Capacity > 0:
		f := cl.Facts
		per := f.Capacity.Value / float64(c.MaxInstances())
		s += "; " + code("utilisation = "+num(cl.PeakRPS)+" ÷ "+num(cl.Capacity)+eqPct(shown(cl.PeakRPS)/shown(cl.Capacity), cl.Utilisation)+pct(cl.Utilisation)) +
			" (" + autoscaleMax(c) + esc(cl.CapacityHow) + ")"
		if m := f.MinCapacity; m.Known() {
			s += ", " + code(num(cl.PeakRPS)+" ÷ "+num(m.Value)+eqPct(shown(cl.PeakRPS)/shown(m.Value), f.MinUtilisation)+pct(f.MinUtilisation)) + " at the minimum of " + count(c.MinInstances())
		}
		if per > 0 {
			// The estimate leaves Needed at 0 past what any tier deploys;
			// the arithmetic still says how far off the design is.
			needed := float64(cl.Needed)
			if cl.Needed == 0 {
				needed = math.Ceil(cl.PeakRPS / (per * analysis.TargetUtilisation))
			}
			noun := " instances"
			if needed == 1 {
				noun = " instance"
			}
			s += "; " + code("needed = ⌈"+num(cl.PeakRPS)+" ÷ ("+num(per)+" × "+short(analysis.TargetUtilisation)+")⌉"+eq(math.Ceil(shown(cl.PeakRPS)/(shown(per)*analysis.TargetUtilisation)), needed)+num(needed)) + noun + neededText(c, needed)
			if cl.Needed == 0 {
				s += ", more than any tier deploys"
			}
		}
		switch {
		case cl.Utilisation > 1:
			s += ": over capacity " + d.est.a.When()
		case cl.Utilisation > analysis.TargetUtilisation:
			s += ": above the target " + d.est.a.When()
		}
	}
	return s + "."
}

// utilBasis says which instance count a utilisation was computed for: the
// estimate divides by the autoscale maximum, not by what runs at the minimum.
func utilBasis(c *model.Component) string {
	if c.Autoscale == nil {
		return ""
	}
	return ", with all " + count(c.MaxInstances()) + " instances"
}

// autoscaleMax labels a capacity computed at the autoscale maximum.
func autoscaleMax(c *model.Component) string {
	if c.Autoscale == nil {
		return ""
	}
	return "at the autoscale maximum: "
}

// neededText sets the instances needed against what c runs.
func neededText(c *model.Component, needed float64) string {
	a := c.Autoscale
	switch {
	case a == nil:
		return " against " + count(c.Instances.Val) + " running"
	case needed <= float64(a.Min.Val):
		return ", which the autoscale minimum of " + count(a.Min.Val) + " already covers"
	case needed <= float64(a.Max.Val):
		return ", within the autoscale range of " + count(a.Min.Val) + " to " + count(a.Max.Val)
	}
	return ", more than the autoscale maximum of " + count(a.Max.Val)
}

// queueLoadText compares a queue's peak enqueue rate with its drain rate.
func (d *doc) queueLoadText(cl *compLoad) string {
	if cl.Capacity <= 0 {
		return "; drain rate unknown"
	}
	s := "; " + d.drainText(cl) + "; " + code("ρ = "+num(cl.PeakRPS)+" ÷ "+num(cl.Capacity)+eqShort(round2(shown(cl.PeakRPS)/shown(cl.Capacity)), round2(cl.Utilisation))+short(round2(cl.Utilisation)))
	fate, avgIn := d.queueFate(cl)
	if fate == keepsUp {
		return s + ": the consumers keep up even at peak"
	}
	growth := cl.PeakRPS - cl.Capacity
	backlog := growth * 3600
	s += ": the backlog grows " + code(num(cl.PeakRPS)+" − "+num(cl.Capacity)+eq(shown(cl.PeakRPS)-shown(cl.Capacity), growth)+num(growth)+"/s") +
		", " + code(num(growth)+" × 3,600 s"+eq(shown(growth)*3600, backlog)+num(backlog)) + " messages per hour of peak"
	switch fate {
	case catchesUp:
		drain := backlog / (cl.Capacity - avgIn)
		s += ", cleared at average load in " + code(num(backlog)+" ÷ ("+num(cl.Capacity)+" − "+num(avgIn)+")"+eq(shown(backlog)/(shown(cl.Capacity)-shown(avgIn)), drain)+num(drain)+" s") + " (" + durationWords(drain) + ")"
	case neverDrains:
		s += ", and even average load (" + num(avgIn) + "/s) outpaces the drain, so it never empties"
	}
	return s
}

// queueFate is what a queue's backlog does over a day.
type queueFate int

const (
	keepsUp     queueFate = iota // the consumers outpace even the peak
	catchesUp                    // the peak builds a backlog that drains at average load
	neverDrains                  // even the average outpaces the consumers
	avgUnknown                   // the peak builds a backlog; no average to say more
)

// queueFate judges a queue with a known drain rate the way
// queue/backlog-growth does, and returns the average enqueue rate it used
// (0 when unknown).
func (d *doc) queueFate(cl *compLoad) (queueFate, float64) {
	if cl.PeakRPS < cl.Capacity {
		return keepsUp, 0
	}
	if cl.AverageRPS <= 0 {
		return avgUnknown, 0
	}
	avgIn := cl.AverageRPS
	if avgIn >= cl.Capacity {
		return neverDrains, avgIn
	}
	return catchesUp, avgIn
}

// drainText says how fast a queue's consumers drain it. A point-to-point
// queue's consumers share the messages, so their rates add up; every
// subscriber of a pub/sub queue gets every message, so the slowest one sets
// the pace.
func (d *doc) drainText(cl *compLoad) string {
	q := cl.Component
	cons := d.consumers(q)
	if len(cons) <= 1 {
		return "drain " + code(cl.CapacityHow)
	}
	var hows []string
	for _, c := range cons {
		_, how := d.drainRate(c)
		hows = append(hows, name(c)+" "+code(how))
	}
	if q.Mode.Val == model.PubSub {
		s := "drain " + num(cl.Capacity) + "/s, the slowest of: " + strings.Join(hows, "; ")
		if slowest := d.slowest(q); len(slowest) > 0 {
			s += "; every subscriber gets every message, so the slowest, " + names(slowest) + ", " + agree(slowest, "sets", "set") + " the drain rate"
		}
		return s
	}
	var rates []string
	for _, c := range cons {
		rate, _ := d.drainRate(c)
		rates = append(rates, num(rate))
	}
	return "drain " + code(strings.Join(rates, " + ")+" = "+num(cl.Capacity)+"/s") + ", the consumers sharing the messages: " + strings.Join(hows, "; ")
}

// slowest returns the subscribers of pub/sub queue q that drain it at the
// estimate's rate, the slowest; nil when that rate is unknown or q has
// fewer than two subscribers.
func (d *doc) slowest(q *model.Component) []*model.Component {
	cl := d.est.Load(q)
	cons := d.consumers(q)
	if q.Mode.Val != model.PubSub || cl == nil || cl.Capacity <= 0 || len(cons) < 2 {
		return nil
	}
	var out []*model.Component
	for _, c := range cons {
		// The estimate takes the minimum of these same rates, so they match exactly.
		if rate, _ := d.drainRate(c); rate == cl.Capacity {
			out = append(out, c)
		}
	}
	return out
}

// overDrainText says, for a consumer whose queues bring more than it
// drains, that it processes only its drain rate: the estimate passes no
// more than that downstream, and the rest is the queue's backlog.
func (d *doc) overDrainText(cl *compLoad) string {
	c := cl.Component
	rate, how := d.drainRate(c)
	if how == "" || cl.PeakRPS <= rate {
		return ""
	}
	var queues []*model.Component
	for _, call := range c.Calls {
		if call.Op.Val.Consumes() && call.To.Target != nil {
			queues = append(queues, call.To.Target)
		}
	}
	if len(queues) == 0 {
		return ""
	}
	return "; " + agree(one(c), "it processes", "they process") + " at most " + code(how) + ", so the other " + num(cl.PeakRPS-rate) + " " + analysis.Unit(c) + " wait in " + names(queues)
}

// sharedConsumer returns the point-to-point queue c shares with other
// consumers when that queue is all c's load, or nil. The estimate splits
// such a queue evenly, which no consumer slower than the share can take.
func (d *doc) sharedConsumer(c *model.Component) *model.Component {
	if !c.Kind.Val.IsConsumer() || len(d.m.Callers(c)) > 0 {
		return nil
	}
	var q *model.Component
	for _, call := range c.Calls {
		if call.Op.Val.Consumes() && call.To.Target != nil {
			if q != nil {
				return nil
			}
			q = call.To.Target
		}
	}
	if q == nil || q.Mode.Val == model.PubSub || len(d.consumers(q)) < 2 {
		return nil
	}
	return q
}

// sharedConsumerLine describes a consumer that competes for a queue's
// messages: its share depends on its speed, so only its ceiling is given.
func (d *doc) sharedConsumerLine(c, q *model.Component) string {
	var others []*model.Component
	for _, o := range d.consumers(q) {
		if o != c {
			others = append(others, o)
		}
	}
	s := named(c) + ": competes with " + names(others) + " for the messages on " + name(q)
	if ql := d.est.Load(q); ql != nil {
		s += " (" + num(ql.PeakRPS) + "/s at peak)"
	}
	s += ", so its share depends on its speed"
	if _, how := d.drainRate(c); how != "" {
		s += ": at most " + code(how)
	}
	return s + "."
}

func round2(x float64) float64 {
	return float64(int64(x*100+0.5)) / 100
}

// durationWords rounds seconds to a spoken duration: "51 min", "3.4 h".
func durationWords(s float64) string {
	switch {
	case s < 90:
		return "about " + num(s) + " s"
	case s < 5400:
		return "about " + num(s/60) + " min"
	}
	return "about " + num(s/3600) + " h"
}

func dbLoadText(cl *compLoad) string {
	f := cl.Facts
	var parts []string
	parts = append(parts, num(cl.ReadRPS)+" reads/s and "+num(cl.WriteRPS)+" writes/s")
	var assumed []string
	share := func(what string, load float64, cp analysis.Figure) {
		if cp.Value <= 0 {
			return
		}
		parts = append(parts, code(what+" "+num(load)+" ÷ "+num(cp.Value)+eqPct(shown(load)/shown(cp.Value), load/cp.Value)+pct(load/cp.Value)))
		if cp.Assumed != nil {
			assumed = append(assumed, cp.Assumed.Assumption())
		}
	}
	share("reads", cl.ReadRPS, f.Capacity)
	share("writes", cl.WriteRPS, f.WriteCapacity)
	s := "; " + strings.Join(parts, "; ")
	if len(assumed) > 0 {
		s += " (" + strings.Join(assumed, " and ") + ")"
	}
	if cl.Utilisation > analysis.TargetUtilisation {
		s += ": above the " + pct(analysis.TargetUtilisation) + " target"
	}
	return s
}

// missingWhy says why a missing input matters.
func missingWhy(m analysis.Missing) string {
	switch m.Field {
	case "traffic.read_write_ratio":
		return "splits the load into reads (cacheable, served by replicas) and writes (primary only); without it every call carries the whole load, counted as reads or writes by the call's op, so each store is judged against more than it gets."
	case "traffic.peak_multiplier":
		return "systems are sized for the peak, not the average; without it every component is judged at the average load, which the peak only exceeds."
	case "traffic", "traffic.baseline_rps":
		return "without a request rate there is no peak, so no tier can be sized; ask for daily active users and requests per user."
	case "autoscale.max":
		return "the autoscaling group's ceiling; without it we know how many instances the load needs, not whether the group may grow that far."
	case "capacity.rps_per_instance":
		return "without it there is no utilisation or instance count for " + code(m.Component.ID) + "; load-test one instance to find it."
	case "capacity.read_qps":
		return "without them we cannot tell whether " + code(m.Component.ID) + " carries the load or when it needs replicas or shards."
	case "service_time_ms":
		return "sets the worker's drain rate, so without it we cannot tell whether its queue keeps up."
	case "batch_size":
		for _, call := range m.Component.Calls {
			if call.Op.Val.Consumes() {
				return "sets the cron job's drain rate, so without it we cannot tell whether its queue keeps up."
			}
		}
		// A cron job that consumes nothing originates its work.
		return "with the schedule it sets how much work the cron job starts per second, so without it that work is not counted."
	}
	return "the estimate needs it."
}

// design walks the components tier by tier.
func (d *doc) design() {
	d.w.heading(2, secDesign)
	d.w.para("Tier by tier, front to back, naming each box's job:")
	var tiers []string
	for _, t := range d.tiersPresent() {
		var items []string
		for _, c := range d.m.Components {
			if c.Kind.Val.Tier() == t {
				items = append(items, d.componentLine(c))
			}
		}
		tiers = append(tiers, sublist(capitalize(t.String())+":", items))
	}
	d.w.bullets(tiers)
}

// componentLine is one component's role: kind, redundancy, description,
// settings and what it calls.
func (d *doc) componentLine(c *model.Component) string {
	head := named(c) + ", " + c.Kind.Val.Title()
	if r := d.redundancy(c); r != "" {
		head += ", " + r
	}
	var body []string
	if c.Description.Val != "" {
		body = append(body, sentence(esc(c.Description.Val)))
	}
	body = append(body, d.facts(c)...)
	if ct := callsText(c); ct != "" {
		body = append(body, sentence(ct))
	}
	if len(body) == 0 {
		return head + "."
	}
	return head + ": " + strings.Join(body, " ")
}
