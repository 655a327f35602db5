package notes

import (
	"slices"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/analysis"
)

func (d *doc) wrapUp() {
	d.w.heading(2, secWrapUp)
	if t := d.acceptedTradeOffs(); len(t) > 0 {
		d.w.para("Trade-offs this design accepts:")
		d.w.bullets(t)
	}
	if m := d.monitoring(); len(m) > 0 {
		d.w.para("What to monitor:")
		d.w.bullets(m)
	}
	d.w.para(d.comesNext())
}

// singleInstances are the components whose loss the design accepts: one
// instance, no failover, not managed. Replicas, clients and third parties
// are left out: they are not ours to double.
func (d *doc) singleInstances() []*model.Component {
	var out []*model.Component
	for _, c := range d.m.Components {
		switch {
		case c.Kind.Val == model.Client, c.Kind.Val == model.External, c.Role.Val == model.RoleReplica:
		case !c.Redundant():
			out = append(out, c)
		}
	}
	return out
}

func (d *doc) acceptedTradeOffs() []string {
	var out []string
	// A model that states no instance counts leaves single points of
	// failure open, and lint says so once: the notes claim no count either.
	for _, f := range d.byRule["spof/single-instance"] {
		if f.Severity == model.SeverityInfo && f.Component == "" {
			out = append(out, "Instance counts are not stated, so which parts are single points of failure is left open ("+code("spof/single-instance")+"): state them to weigh redundancy against cost.")
			return append(out, d.otherTradeOffs()...)
		}
	}
	// Only lint says which single instances are single points of failure.
	var spof, other []*model.Component
	var fs []*model.Finding
	for _, c := range d.singleInstances() {
		if f := d.spofFinding(c); f != nil {
			spof = append(spof, c)
			fs = append(fs, f)
		} else {
			other = append(other, c)
		}
	}
	if len(spof) > 0 {
		each := "each is"
		if len(spof) == 1 {
			each = "it is"
		}
		out = append(out, "One instance of "+names(spof)+": cheap and simple today, and "+each+" a single point of failure until doubled ("+d.byComponent(fs)+").")
	}
	switch {
	case len(other) > 0 && d.linted:
		out = append(out, "One instance of "+names(other)+": cheap and simple today; lint finds no request that fails with "+itThem(len(other))+" alone.")
	case len(other) > 0:
		out = append(out, "One instance of "+names(other)+": cheap and simple today.")
	}
	return append(out, d.otherTradeOffs()...)
}

// otherTradeOffs are the trade-offs the model accepts beyond instance
// counts: where sessions live, how caches are used.
func (d *doc) otherTradeOffs() []string {
	var out []string
	for _, a := range d.ofKind(model.App) {
		if a.State == nil {
			continue
		}
		switch a.State.Sessions.Val {
		case model.SessionsToken:
			out = append(out, "Signed session tokens on "+name(a)+": no session store to run, but a token cannot be revoked before it expires.")
		case model.SessionsExternal:
			if s := a.State.SessionStore.Target; s != nil {
				out = append(out, "Sessions in "+name(s)+": stateless servers, paid for with a network hop per request and one more store to keep up.")
			}
		}
	}
	for _, c := range d.dataCaches() {
		s := string(c.Pattern.Val) + " " + name(c)
		if c.TTLSeconds.Set() {
			s += ": reads can be up to " + durationText(secs(c.TTLSeconds.Val)) + " stale, in exchange for fewer database reads."
		} else {
			s += ": fewer database reads, in exchange for data that is stale until invalidated."
		}
		out = append(out, capitalize(s))
	}
	var async []*model.Component
	for _, r := range d.ofKind(model.Database) {
		if r.Role.Val == model.RoleReplica && r.Replication.Val == "async" {
			async = append(async, r)
		}
	}
	if len(async) > 0 {
		out = append(out, "Async replication to "+names(async)+": fast writes, paid for with replica lag and possibly the last writes on failover.")
	}
	for _, r := range d.ofKind(model.Database) {
		if r.Role.Val == model.RoleReplica && r.Replication.Val != "async" {
			out = append(out, capitalize(replicationText(r.Replication.Val))+" replication to "+name(r)+": no acknowledged write is lost on failover, paid for with a round trip on every write.")
		}
	}
	for _, q := range d.workQueues() {
		if len(d.consumers(q)) == 0 {
			continue
		}
		s := "Work through " + name(q) + ": the user gets an answer before the work is done (eventual consistency)"
		if q.Delivery.Val == "at-least-once" {
			s += ", and at-least-once delivery means a job can run twice, so consumers must be idempotent"
		}
		out = append(out, s+".")
	}
	for _, c := range d.ofKind(model.Cron) {
		if s := d.schedule(c.Schedule.Val); s != nil && s.Fires() {
			out = append(out, "A cron job rather than an always-on worker for "+name(c)+": simpler to run, but a job can wait up to "+durationText(s.LongestGap())+" before it starts.")
		}
	}
	for _, x := range d.ofKind(model.External) {
		if x.Ack.Val == "optimistic" {
			out = append(out, "Trusting "+name(x)+"'s optimistic answer: we assume the request went through and learn about failures later.")
		}
	}
	for _, db := range d.sharded() {
		out = append(out, "Sharding "+name(db)+": writes scale out, but queries across shards cost a scatter-gather and resharding moves data.")
	}
	for _, w := range d.ofKind(model.WaitingRoom) {
		out = append(out, name(w)+": the site stays up through the surge, and users wait their turn instead.")
	}
	return out
}

func (d *doc) monitoring() []string {
	var out []string
	for _, c := range d.m.Components {
		switch c.Kind.Val {
		case model.LoadBalancer, model.Webserver:
			out = append(out, name(c)+": healthy hosts behind it, 5xx rate and latency.")
		case model.App:
			s := name(c) + ": utilisation against the " + pct(analysis.TargetUtilisation) + " target"
			if cl := d.est.Load(c); cl != nil && cl.Utilisation > 0 {
				s += " (" + pct(cl.Utilisation) + " at peak by the estimate" + utilBasis(c) + ")"
			}
			out = append(out, s+", and p99 latency.")
		case model.Cache:
			if c.Pattern.Val == model.SessionStore {
				out = append(out, name(c)+": memory and evictions; an evicted session logs a user out.")
				break
			}
			s := name(c) + ": hit ratio"
			if c.HitRatio.Set() {
				s += " against the " + pct(c.HitRatio.Val) + " assumed; below it the database takes the difference"
			}
			out = append(out, s+", and evictions.")
		case model.Queue:
			if src := d.deadLetterOf(c); src != nil {
				s := name(c) + " depth: every message in it is a failed job"
				switch w := alertWait(c.Alerts); {
				case len(c.Alerts) > 0 && w != "":
					s += "; it " + alertsText(c.Alerts) + ", so it speaks up " + w + "; alert on " + code("depth > 0") + " to hear of the first"
				case len(c.Alerts) > 0:
					s += "; it already " + alertsText(c.Alerts)
				default:
					s += "; no alert is declared yet"
				}
				out = append(out, s+".")
				break
			}
			out = append(out, name(c)+": depth and the age of the oldest message; a growing age means the consumers are falling behind.")
		case model.Cron:
			s := name(c) + ": run duration"
			if c.MaxDurationS.Set() {
				s += " against its " + count(c.MaxDurationS.Val) + " s limit"
			}
			out = append(out, s+", failed runs and runs that did not start.")
		case model.Worker:
			out = append(out, name(c)+": jobs per second against the enqueue rate, and failures.")
		case model.Database:
			if c.Role.Val == model.RoleReplica {
				if c.Replication.Val == "sync" {
					// A synchronous replica never lags; what hurts is a slow
					// or missing one, since every write waits for it.
					out = append(out, name(c)+": health and write commit latency; every write waits for it.")
				} else {
					out = append(out, name(c)+": replication lag.")
				}
				break
			}
			s := name(c) + ": connections"
			if c.Capacity != nil && c.Capacity.MaxConnections.Set() {
				s += " (limit " + num(float64(c.Capacity.MaxConnections.Val)) + ")"
			}
			s += ", CPU and slow queries"
			if c.Shards != nil {
				s += ", and load per shard to catch hot keys"
			}
			out = append(out, s+".")
		case model.External:
			s := name(c) + ": error rate and latency"
			if c.Ack.Val == "optimistic" {
				s += ", and the delivery reports it sends later (bounces, failures)"
			}
			out = append(out, s+".")
		case model.WaitingRoom:
			out = append(out, name(c)+": people waiting and the admission rate.")
		case model.AuthStore:
			out = append(out, name(c)+": failed logins per account and per address, the sign of credential stuffing.")
		}
	}
	return out
}

func (d *doc) comesNext() string {
	var errs []*model.Finding
	for i, f := range d.findings {
		if f.Severity == model.SeverityError && !f.Suppressed {
			errs = append(errs, &d.findings[i])
		}
	}
	s := "What comes next: "
	switch {
	case len(errs) > 0:
		s += "fix the " + model.Plural(len(errs), "error") + " from section 6 first (" + d.byComponent(errs) + "), then "
	case !d.linted:
		s += "run the linter, then "
	}
	if st, ok := d.nextStep(); ok {
		s += "take the next scaling step, " + st.title + ", triggered by " + st.trigger + "."
	} else {
		s += "go beyond one region: geo-DNS, services split by domain, and automation."
	}
	return s
}

// byComponent lists findings by rule, each with the components it is on,
// in the order given: "`lb/single-instance` on nginx, `spof/single-instance`
// on App server and auth DB". A rule found only where it was accepted says so.
func (d *doc) byComponent(fs []*model.Finding) string {
	var rules []string
	on := map[string][]*model.Component{}
	accepted := map[string]bool{}
	for _, f := range fs {
		if _, seen := on[f.Rule]; !seen {
			rules = append(rules, f.Rule)
			on[f.Rule] = nil
			accepted[f.Rule] = true
		}
		accepted[f.Rule] = accepted[f.Rule] && f.Suppressed
		if c := d.m.Component(f.Component); c != nil && !slices.Contains(on[f.Rule], c) {
			on[f.Rule] = append(on[f.Rule], c)
		}
	}
	var out []string
	for _, r := range rules {
		s := code(r)
		if len(on[r]) > 0 {
			s += " on " + names(on[r])
		}
		if accepted[r] {
			s += ", accepted"
		}
		out = append(out, s)
	}
	return join(out)
}
