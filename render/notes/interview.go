package notes

import (
	"strings"

	"github.com/archdiag/archdiag/model"
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
		first = bold(esc(d.m.Name.Val)) + " serves " + plural(len(d.m.Flows), "flow") + ": " + join(fl) + "."
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
				if n == len(cs) {
					p += " (dead-letter)"
				} else {
					p += " (" + itoa(n) + " of them dead-letter)"
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
	second := "It has " + plural(len(d.m.Components), "component") + " in " + plural(len(d.tiersPresent()), "tier") + ", front to back: " + join(parts) + "."
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
				s += ": " + plural(len(f.Steps), "step") + ", no description."
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
			traffic = append(traffic, "Average: "+code("average = "+num(t.DailyActiveUsers.Val)+" users × "+num(t.RequestsPerUser.Val)+" requests ÷ 86,400 s = "+num(avg)+" rps")+".")
		}
		traffic = append(traffic, "Per 30-day month: "+code("≈ "+num(avg)+" rps × 2,592,000 s = "+num(avg*2592000)+" requests")+".")
	}
	if peak, ok := t.PeakLoad(); ok {
		if t.PeakRPS.Set() {
			traffic = append(traffic, "Peak: "+code("peak = "+num(peak)+" rps")+" (given).")
		} else {
			avg, _ := t.AverageRPS()
			traffic = append(traffic, "Peak: "+code("peak = "+num(avg)+" rps × "+short(t.PeakMultiplier.Val)+" = "+num(peak)+" rps")+".")
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
				code("reads = "+num(peak)+" × "+short(r.Reads)+"/"+sum+" = "+num(e.Reads)+" rps")+", "+
				code("writes = "+num(peak)+" × "+short(r.Writes)+"/"+sum+" = "+num(e.Writes)+" rps")+"; "+kind+".")
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
		d.w.para("Load per component at peak, after caches, against a " + pct(model.TargetUtilisation) + " target utilisation:")
		d.w.bullets(loads)
	}

	if len(e.Missing) > 0 {
		d.w.para("Numbers the model does not give, and why they matter:")
		var items []string
		for _, miss := range e.Missing {
			items = append(items, code(miss)+": "+missingWhy(miss))
		}
		d.w.bullets(items)
	}
}

// unit is what a component's load counts.
func unit(c *model.Component) string {
	switch c.Kind.Val {
	case model.Queue:
		return "messages/s"
	case model.Worker, model.Cron:
		return "jobs/s"
	case model.External:
		return "calls/s"
	}
	return "rps"
}

func (d *doc) loadLine(cl *model.ComponentLoad) string {
	c := cl.Component
	u := unit(c)
	s := named(c) + ": " + num(cl.PeakRPS) + " " + u + " (" + code(cl.Formula) + ")"
	switch {
	case c.Kind.Val == model.Queue:
		s += d.queueLoadText(cl)
	case c.Kind.Val == model.Database:
		s += dbLoadText(cl)
	case cl.Capacity > 0 && c.Capacity != nil && c.Capacity.RPSPerInstance.Set():
		per := c.Capacity.RPSPerInstance.Val
		s += "; " + code("utilisation = "+num(cl.PeakRPS)+" ÷ "+num(cl.Capacity)+" = "+pct(cl.Utilisation)) +
			" (" + esc(cl.CapacityHow) + "); " +
			code("needed = ⌈"+num(cl.PeakRPS)+" ÷ ("+num(per)+" × "+short(model.TargetUtilisation)+")⌉ = "+itoa(cl.Needed)) +
			" " + pluralWord(cl.Needed, "instance") + " against " + itoa(c.MinInstances()) + " running"
		if c.Autoscale != nil {
			s += " (autoscale " + itoa(c.Autoscale.Min.Val) + " to " + itoa(c.Autoscale.Max.Val) + ")"
		}
		switch {
		case cl.Utilisation > 1:
			s += ": over capacity at peak"
		case cl.Utilisation > model.TargetUtilisation:
			s += ": above the target at peak"
		}
	}
	return s + "."
}

func pluralWord(n int, noun string) string {
	if n == 1 {
		return noun
	}
	return noun + "s"
}

// queueLoadText compares a queue's peak enqueue rate with its drain rate.
func (d *doc) queueLoadText(cl *model.ComponentLoad) string {
	if cl.Capacity <= 0 {
		return "; drain rate unknown"
	}
	s := "; drain " + code(cl.CapacityHow) + "; " + code("ρ = "+num(cl.PeakRPS)+" ÷ "+num(cl.Capacity)+" = "+short(round2(cl.Utilisation)))
	if cl.Utilisation <= 1 {
		return s + ": the consumers keep up even at peak"
	}
	growth := cl.PeakRPS - cl.Capacity
	backlog := growth * 3600
	s += ": the backlog grows " + code(num(cl.PeakRPS)+" − "+num(cl.Capacity)+" = "+num(growth)+"/s") +
		", " + code(num(growth)+" × 3,600 s = "+num(backlog)) + " messages per hour of peak"
	if d.est.Peak > 0 && d.est.Average > 0 {
		avgIn := cl.PeakRPS * d.est.Average / d.est.Peak
		if avgIn < cl.Capacity {
			drain := backlog / (cl.Capacity - avgIn)
			s += ", cleared at average load in " + code(num(backlog)+" ÷ ("+num(cl.Capacity)+" − "+num(avgIn)+") = "+num(drain)+" s") + " (" + durationWords(drain) + ")"
		} else {
			s += ", and even average load (" + num(avgIn) + "/s) outpaces the drain"
		}
	}
	return s
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

func dbLoadText(cl *model.ComponentLoad) string {
	c := cl.Component
	var parts []string
	parts = append(parts, num(cl.ReadRPS)+" reads/s and "+num(cl.WriteRPS)+" writes/s")
	if cp := c.Capacity; cp != nil {
		if cp.ReadQPS.Set() && cp.ReadQPS.Val > 0 {
			parts = append(parts, code("reads "+num(cl.ReadRPS)+" ÷ "+num(cp.ReadQPS.Val)+" = "+pct(cl.ReadRPS/cp.ReadQPS.Val)))
		}
		if cp.WriteQPS.Set() && cp.WriteQPS.Val > 0 {
			parts = append(parts, code("writes "+num(cl.WriteRPS)+" ÷ "+num(cp.WriteQPS.Val)+" = "+pct(cl.WriteRPS/cp.WriteQPS.Val)))
		}
	}
	s := "; " + strings.Join(parts, "; ")
	if cl.Utilisation > model.TargetUtilisation {
		s += ": above the " + pct(model.TargetUtilisation) + " target"
	}
	return s
}

// missingWhy says why a missing input matters.
func missingWhy(what string) string {
	switch {
	case strings.HasPrefix(what, "traffic.read_write_ratio"):
		return "splits the load into reads (cacheable, served by replicas) and writes (primary only); without it no per-tier load can be computed."
	case strings.HasPrefix(what, "traffic.peak"):
		return "systems are sized for the peak, not the average; without it nothing can be sized."
	case strings.HasPrefix(what, "traffic"):
		return "without a request rate there is no peak, so no tier can be sized; ask for daily active users and requests per user."
	case strings.HasSuffix(what, ".capacity.rps_per_instance"):
		id := strings.TrimSuffix(what, ".capacity.rps_per_instance")
		return "without it there is no utilisation or instance count for " + code(id) + "; load-test one instance to find it."
	case strings.Contains(what, ".capacity.read_qps"):
		id := what[:strings.Index(what, ".capacity.")]
		return "without them we cannot tell whether " + code(id) + " carries the load or when it needs replicas or shards."
	case strings.HasSuffix(what, ".service_time_ms"):
		return "sets the worker's drain rate, so without it we cannot tell whether its queue keeps up."
	case strings.HasSuffix(what, ".batch_size"):
		return "sets the cron job's drain rate, so without it we cannot tell whether its queue keeps up."
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
	if r := redundancy(c); r != "" {
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
