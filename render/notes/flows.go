package notes

import (
	"strings"

	"github.com/archdiag/archdiag/model"
)

func (d *doc) flows() {
	d.w.heading(2, secFlows)
	if len(d.m.Flows) == 0 {
		d.w.para("The model declares no flows. Walk one request end to end anyway, starting at the client and naming each hop; add it to the model under " + code("flows") + " so the diagram can number it.")
		return
	}
	d.w.para("Numbered as on the diagram (" + code("archdiag render --flow NAME") + " draws the same numbers).")
	for _, f := range d.m.Flows {
		d.flow(f)
	}
}

// background reports whether a step runs after the user has the answer:
// workers and cron jobs act on their own schedule.
func background(st *model.Step) bool { return st.Call.From.Kind.Val.IsConsumer() }

func stepRange(sts []*model.Step) string {
	if len(sts) == 0 {
		return ""
	}
	a, b := sts[0].Number, sts[len(sts)-1].Number
	if a == b {
		return "step " + itoa(a)
	}
	return "steps " + itoa(a) + "–" + itoa(b)
}

func (d *doc) flow(f *model.Flow) {
	d.w.heading(3, "Flow: "+esc(f.Name))
	if f.Description.Val != "" {
		d.w.para(sentence(esc(f.Description.Val)))
	}
	var items []string
	for _, st := range f.Steps {
		items = append(items, d.stepLine(st))
	}
	d.w.numbered(items)

	var front, back []*model.Step
	for _, st := range f.Steps {
		if background(st) {
			back = append(back, st)
		} else {
			front = append(front, st)
		}
	}
	var para []string
	switch {
	case len(back) > 0:
		para = append(para, d.asyncExplanation(front, back)...)
	default:
		para = append(para, d.syncExplanation(f)...)
	}
	para = append(para, d.statusSummary(f, len(back) > 0)...)
	d.w.para(strings.Join(para, " "))
}

func (d *doc) stepLine(st *model.Step) string {
	call := st.Call
	s := name(call.From) + " → " + name(call.To.Target)
	if call.Mode.Val == model.Async {
		s += " (async)"
	}
	action := verb(call) + " " + name(call.To.Target)
	if st.Action.Val != "" {
		action = esc(st.Action.Val)
	}
	s += ": " + action
	if st.Status.Val != "" {
		s += "; records " + code(d.statusField(st)+" = "+st.Status.Val)
		if st.Entity.Val != "" {
			s += " on the " + esc(st.Entity.Val)
		}
	}
	// Names keep their case: "nginx" stays lower-case at the start.
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

func (d *doc) statusField(st *model.Step) string {
	if e := d.m.Entity(st.Entity.Val); e != nil && e.StatusField.Val != "" {
		return e.StatusField.Val
	}
	return "status"
}

// asyncExplanation says which steps the user waits for and why the rest
// run later.
func (d *doc) asyncExplanation(front, back []*model.Step) []string {
	var out []string
	var handoff *model.Step
	for _, st := range front {
		if st.Call.Op.Val == model.OpPublish {
			handoff = st
		}
	}
	var workers []*model.Component
	seen := map[*model.Component]bool{}
	for _, st := range back {
		if !seen[st.Call.From] {
			seen[st.Call.From] = true
			workers = append(workers, st.Call.From)
		}
	}
	s := "The user waits only for " + stepRange(front)
	if handoff != nil {
		s += "; step " + itoa(handoff.Number) + " hands the work to " + name(handoff.Call.To.Target)
	}
	s += ", and " + stepRange(back) + " run later in " + names(workers) + "."
	out = append(out, s)

	var slow []string
	for _, st := range back {
		if t := st.Call.To.Target; t.Kind.Val == model.External {
			slow = append(slow, "calling "+name(t)+" (step "+itoa(st.Number)+")")
		}
	}
	why := "so the response does not wait for them"
	if len(slow) > 0 {
		why = "because the slow part, " + join(slow) + ", can take seconds and fail"
	}
	out = append(out, sentence("they are asynchronous "+why+": we respond to the user first, and the queue decouples the work from the response and flattens the load curve"))
	if handoff != nil {
		if cl := d.est.Load(handoff.Call.To.Target); cl != nil && cl.Capacity > 0 {
			out = append(out, sentence("at peak "+num(cl.PeakRPS)+" messages/s go in and the consumers take "+num(cl.Capacity)+"/s off, "+d.flattenText(cl)))
		}
	}
	return out
}

func (d *doc) flattenText(cl *compLoad) string {
	switch fate, avgIn := d.queueFate(cl); fate {
	case catchesUp:
		return "so the queue holds the excess and the consumers catch up after the peak (numbers in section 2)"
	case neverDrains:
		return "but even the average " + num(avgIn) + "/s is at least what they take, so the backlog grows without bound and the queue never empties; " + d.drainRemedy(cl.Component, avgIn) + " (numbers in section 2)"
	case avgUnknown:
		return "so the queue holds the excess; the consumers catch up after the peak only if the average rate stays below " + num(cl.Capacity) + "/s (numbers in section 2)"
	}
	return "so the queue stays near empty"
}

// drainRemedy says how to make q's consumers outpace its average rate:
// on a pub/sub queue only the slowest subscribers need to be faster.
func (d *doc) drainRemedy(q *model.Component, avgIn float64) string {
	if slow := d.slowest(q); len(slow) > 0 {
		return "speed up the slowest subscriber, " + names(slow) + " (more instances, more concurrency or bigger batches), until it takes more than " + num(avgIn) + "/s"
	}
	return "add consumers or make them faster (more instances, more concurrency or bigger batches) until they take more than " + num(avgIn) + "/s"
}

// syncExplanation covers flows the user waits for end to end.
func (d *doc) syncExplanation(f *model.Flow) []string {
	var out []string
	var slow []string
	var callers []*model.Component
	for _, st := range f.Steps {
		t := st.Call.To.Target
		if t.Kind.Val == model.External && t.Provider.Val.Slow() && st.Call.Mode.Val == model.Sync {
			slow = append(slow, "step "+itoa(st.Number)+" ("+hop(st.Call)+")")
			callers = append(callers, st.Call.From)
		}
	}
	if len(slow) > 0 {
		s := "the user waits for " + join(slow) + ", a slow provider called synchronously"
		if cite := d.citeOn("async/slow-call-on-request-path", callers); cite != "" {
			s += "; move it behind a queue and respond first" + cite
		}
		out = append(out, sentence(s))
	}
	sync := true
	for _, st := range f.Steps {
		if st.Call.Mode.Val != model.Sync {
			sync = false
		}
	}
	if sync {
		s := "Every step is synchronous, so the user waits for all " + itoa(len(f.Steps))
		switch len(f.Steps) {
		case 1:
			s = "The step is synchronous, so the user waits for it"
		case 2:
			s = "Both steps are synchronous, so the user waits for both"
		}
		var bounds, none []string
		for _, st := range f.Steps {
			if st.Call.From.Kind.Val.IsEntry() {
				continue
			}
			if st.Call.TimeoutMS.Set() {
				bounds = append(bounds, hop(st.Call)+" "+num(float64(st.Call.TimeoutMS.Val))+" ms")
			} else {
				none = append(none, hop(st.Call))
			}
		}
		if len(bounds) > 0 {
			s += "; the timeouts bound the wait: " + join(bounds)
		}
		if len(none) > 0 {
			s += "; no timeout on " + join(none)
		}
		out = append(out, s+".")
	}
	return out
}

// statusSummary lists the statuses the flow records, in order, and the
// declared ones it never records.
func (d *doc) statusSummary(f *model.Flow, async bool) []string {
	var out []string
	var entities []string
	recorded := map[string][]string{}
	for _, st := range f.Steps {
		if st.Status.Val == "" || st.Entity.Val == "" {
			continue
		}
		if _, ok := recorded[st.Entity.Val]; !ok {
			entities = append(entities, st.Entity.Val)
		}
		recorded[st.Entity.Val] = append(recorded[st.Entity.Val], st.Status.Val)
	}
	for _, en := range entities {
		var codes []string
		for _, s := range recorded[en] {
			codes = append(codes, code(s))
		}
		var s string
		if len(codes) == 1 {
			s = "The " + esc(en) + " record reaches " + codes[0] + " in this flow"
		} else {
			s = "The " + esc(en) + " record moves through " + strings.Join(codes, " → ") + " in this flow, granular enough to see where a stuck request stopped"
		}
		if e := d.m.Entity(en); e != nil {
			var unused []string
			for _, v := range e.Statuses {
				if !contains(recorded[en], v.Val) {
					unused = append(unused, code(v.Val))
				}
			}
			if len(unused) > 0 {
				s += "; " + join(unused) + " " + isAre(len(unused)) + " declared but no step of this flow records " + itThem(len(unused))
			}
		}
		out = append(out, s+".")
	}
	if async && len(entities) == 0 {
		var in []*model.Component
		for _, st := range f.Steps {
			in = append(in, st.Call.From, st.Call.To.Target)
		}
		if cite := d.citeOn("async/no-status-field", in); cite != "" {
			out = append(out, "No step records a status, so nobody can tell where a request stopped; add a granular status field such as "+code("pending_email_outbound")+cite+".")
		} else {
			out = append(out, "No step records a status.")
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

func itThem(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// hop names a call as "App server → users DB".
func hop(call *model.Call) string { return name(call.From) + " → " + name(call.To.Target) }
