package notes

import (
	"slices"
	"strings"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/analysis"
)

// A scalingStep is one step on the 3-tier → N-tier path, judged against
// the model.
type scalingStep struct {
	title    string
	taken    bool
	evidence string // what in the model shows the step, or what is missing
	spoken   string // the step in a sentence, for the spoken summary
	trigger  string // what would make it the next move, as a noun phrase
	buys     string // noun phrase
	costs    string // noun phrase
}

// stepRules are, by step title, the rules whose findings say the step is
// not done yet: a step is taken only while none of them fires.
var stepRules = map[string][]string{
	titleStateless:   {"state/local-sessions", "state/sticky-sessions", "state/local-uploads"},
	titleCaching:     nil,
	titleReplicas:    nil,
	titleQueues:      {"queue/no-consumer"},
	titleSharding:    nil,
	titleCDN:         {"cdn/misplaced"},
	titleWaitingRoom: {"surge/no-admission-control"},
}

const (
	titleStateless   = "load balancer and stateless app servers"
	titleCaching     = "caching"
	titleReplicas    = "read replicas and failover"
	titleQueues      = "queues and workers"
	titleSharding    = "sharding"
	titleCDN         = "CDN"
	titleWaitingRoom = "waiting room for planned surges"
)

func (d *doc) scalingSteps() []scalingStep {
	steps := []scalingStep{
		d.stepStateless(),
		d.stepCaching(),
		d.stepReplicas(),
		d.stepQueues(),
		d.stepSharding(),
		d.stepCDN(),
		d.stepWaitingRoom(),
	}
	for i := range steps {
		d.unfinished(&steps[i])
	}
	return steps
}

// unfinished takes back a step whose own rules lint reports: the design has
// started it, and the findings say what is left.
func (d *doc) unfinished(st *scalingStep) {
	var left []string
	for _, r := range stepRules[st.title] {
		var on []*model.Component
		for _, f := range d.byRule[r] {
			if c := d.m.Component(f.Component); c != nil && !f.Suppressed && !slices.Contains(on, c) {
				on = append(on, c)
			}
		}
		if len(on) > 0 {
			left = append(left, code(r)+" on "+names(on))
		}
	}
	if len(left) == 0 {
		return
	}
	if st.taken {
		st.evidence += " Started, but lint reports " + join(left) + "."
	} else {
		st.evidence += " Lint reports " + join(left) + "."
	}
	st.taken = false
	st.trigger = "what lint reports: " + join(left)
}

// scaleTrigger says at what peak a component reaches the target
// utilisation, when the estimate knows its utilisation.
func (d *doc) scaleTrigger(c *model.Component) string {
	cl := d.est.Load(c)
	if cl == nil || cl.Utilisation <= 0 || d.est.Peak <= 0 {
		return ""
	}
	factor := analysis.TargetUtilisation / cl.Utilisation
	s := name(c) + " passing the " + pct(analysis.TargetUtilisation) + " target"
	if factor <= 1 {
		return s + ", which it already does at peak (" + pct(cl.Utilisation) + utilBasis(c) + ")"
	}
	return s + ": at " + pct(cl.Utilisation) + " today" + utilBasis(c) + ", that happens at " +
		code(num(d.est.Peak)+" rps × ("+short(analysis.TargetUtilisation)+" ÷ "+short(round4(cl.Utilisation))+")"+eq(shown(d.est.Peak)*analysis.TargetUtilisation/round4(cl.Utilisation), d.est.Peak*factor)+num(d.est.Peak*factor)+" rps") +
		" of peak traffic, or at its first outage"
}

func round4(x float64) float64 { return float64(int64(x*10000+0.5)) / 10000 }

func (d *doc) stepStateless() scalingStep {
	st := scalingStep{
		title:   titleStateless,
		buys:    "capacity and redundancy in the app tier, with interchangeable servers",
		costs:   "a shared session store or signed tokens, object storage for uploads, and a load balancer that must itself be redundant and health-check its pool",
		trigger: "the single app server saturating at peak, or its first outage taking the site down",
	}
	apps := d.ofKind(model.App)
	if len(apps) == 0 {
		st.evidence = "The model has no app server."
		return st
	}
	var fronted, missing []string
	taken, allStateless, unfronted, single := true, true, false, false
	gapTrigger := false
	for _, a := range apps {
		px := d.proxiesOf(a)
		var gaps []string
		if len(px) == 0 {
			unfronted = true
			gaps = append(gaps, agree(one(a), "has", "have")+" no load balancer in front")
		}
		if a.MinInstances() < 2 {
			single = true
			gaps = append(gaps, agree(one(a), "runs", "run")+" "+d.instanceCount(a))
		}
		// Only state the model shows is off the instance counts; an app
		// that declares none is not known to be stateless either.
		mode, _ := d.sessionsOf(a)
		stateless := d.stateless(a)
		allStateless = allStateless && stateless
		switch {
		case mode == "":
			gaps = append(gaps, agree(one(a), "does", "do")+" not declare where state lives")
		case !stateless:
			gaps = append(gaps, agree(one(a), "keeps", "keep")+" state on the instance")
		}
		switch {
		case len(gaps) > 0 && stateless:
			taken = false
			missing = append(missing, name(a)+" "+agree(one(a), "is", "are")+" stateless already but "+join(gaps))
		case len(gaps) > 0:
			taken = false
			missing = append(missing, name(a)+" "+join(gaps))
		default:
			fronted = append(fronted, subject(px, "spreads", "spread")+" requests over "+name(a)+" ("+d.instanceCountFlat(a)+")")
		}
		// The trigger is about an app that still needs the step, if any.
		if t := d.scaleTrigger(a); t != "" && (len(gaps) > 0 || !gapTrigger) {
			st.trigger = t
			gapTrigger = len(gaps) > 0
		}
	}
	st.taken = taken
	if !single {
		st.trigger = strings.Replace(st.trigger, "the single app server saturating at peak, or its first outage taking the site down", "the app tier saturating at peak", 1)
	}
	// The costs are what is left to do: state off the instance, a second
	// instance, a load balancer.
	if !taken {
		var left []string
		if !allStateless {
			left = append(left, "a shared session store or signed tokens and object storage for uploads")
		}
		if single {
			left = append(left, "a second instance")
		}
		if unfronted || single {
			left = append(left, "a load balancer that must itself be redundant and health-check its pool")
		}
		st.costs = join(left)
	}
	if taken {
		st.evidence = finish(join(fronted) + ", stateless")
		st.spoken = "put stateless app servers behind a load balancer"
	} else {
		st.evidence = finish(join(missing))
		if len(fronted) > 0 {
			// Say what is done too, so the step does not read as untouched.
			st.evidence = finish(join(fronted) + ", stateless; but " + join(missing))
		}
	}
	return st
}

// instanceCountFlat is instanceCount without parentheses, for use inside
// them: "10 to 50 instances, autoscaled".
func (d *doc) instanceCountFlat(c *model.Component) string {
	return strings.Replace(d.instanceCount(c), " (autoscaled)", ", autoscaled", 1)
}

func (d *doc) stepCaching() scalingStep {
	st := scalingStep{
		title: titleCaching,
		buys:  "lower latency and less database load, since database reads become reads × (1 − hit ratio)",
		costs: "stale data up to the TTL, invalidation work and cold starts after a restart",
	}
	st.trigger = "database read load or read latency becoming the bottleneck"
	if r, ok := d.m.Traffic.ReadFraction(); ok {
		st.trigger += ", likely here since reads are " + pct(r) + " of requests"
	}
	cs := d.dataCaches()
	if len(cs) == 0 {
		st.evidence = "No data cache yet."
		return st
	}
	st.taken = true
	var ev []string
	for _, c := range cs {
		e := name(c) + " (" + string(c.Pattern.Val)
		if c.HitRatio.Set() {
			e += ", " + pct(c.HitRatio.Val) + " hits"
		}
		ev = append(ev, e+")")
	}
	st.evidence = finish(join(ev) + " " + agree(cs, "takes", "take") + " reads off the database")
	st.spoken = "added " + string(cs[0].Pattern.Val) + " caching for the hot reads"
	return st
}

func (d *doc) stepReplicas() scalingStep {
	st := scalingStep{
		title: titleReplicas,
		buys:  "read capacity and a standby that can be promoted",
		costs: "replication lag (users may not see their own writes), one primary for all writes, and possibly the last writes on an async failover",
	}
	// An outage is a reason for this step only where lint reports it.
	spof := len(d.byRule["db/no-failover"]) > 0
	st.trigger = "reads that miss the cache approaching one database's capacity"
	if spof {
		st.trigger += ", or the database's outage being the next single point of failure"
	}
	var ev []string
	for _, db := range d.ofKind(model.Database) {
		if db.Role.Val == model.RoleReplica {
			continue
		}
		var readers []*model.Component
		for _, r := range d.m.Replicas(db) {
			if len(d.readers(r)) > 0 {
				readers = append(readers, r)
			}
		}
		if len(readers) > 0 {
			ev = append(ev, subject(readers, "serves", "serve")+" reads for "+name(db))
		}
		if cl := d.est.Load(db); cl != nil && db.Capacity != nil && db.Capacity.ReadQPS.Set() && db.Capacity.ReadQPS.Val > 0 && len(readers) == 0 {
			st.trigger = name(db) + "'s reads approaching its capacity (today " + code(num(cl.ReadRPS)+" ÷ "+num(db.Capacity.ReadQPS.Val)+eqPct(shown(cl.ReadRPS)/shown(db.Capacity.ReadQPS.Val), cl.ReadRPS/db.Capacity.ReadQPS.Val)+pct(cl.ReadRPS/db.Capacity.ReadQPS.Val)) + " at peak)"
			if d.finding("db/no-failover", db) != nil {
				st.trigger += ", or its outage being the next single point of failure"
			}
		}
	}
	if len(ev) == 0 {
		st.evidence = "No read replicas yet."
		for _, db := range d.ofKind(model.Database) {
			if db.AutomaticFailover() {
				st.evidence = "No read replicas yet; " + name(db) + " already fails over automatically to " + name(db.Failover.Standby.Target) + "."
			}
		}
		return st
	}
	st.taken = true
	st.evidence = finish(join(ev))
	st.spoken = "added read replicas"
	for _, db := range d.ofKind(model.Database) {
		if len(d.m.Replicas(db)) > 0 && (db.AutomaticFailover() || db.Managed.Val) {
			st.spoken = "added read replicas with failover"
		}
	}
	return st
}

func (d *doc) stepQueues() scalingStep {
	st := scalingStep{
		title:   titleQueues,
		buys:    "fast responses, a flattened load curve that protects the database, and workers that scale on their own",
		costs:   "eventual consistency, idempotent consumers for at-least-once delivery, dead-letter queues to watch and status fields to track each job",
		trigger: "slow or bursty work (emails, payments, webhooks) landing on the request path",
	}
	for _, call := range d.m.Calls() {
		t := call.To.Target
		if t != nil && t.Kind.Val == model.External && call.Mode.Val == model.Sync && !call.From.Kind.Val.IsConsumer() {
			st.trigger = subject(one(call.From), "calls", "call") + " " + name(t) + " while the user waits"
			break
		}
	}
	var ev []string
	idempotent, deadLetters := true, true
	for _, q := range d.workQueues() {
		cons := d.consumers(q)
		if len(cons) == 0 {
			continue
		}
		ev = append(ev, subject(cons, "takes", "take")+" work off "+name(q))
		deadLetters = deadLetters && q.DeadLetter.Target != nil
		for _, c := range cons {
			idempotent = idempotent && c.Idempotent.Val
		}
	}
	if len(ev) == 0 {
		st.evidence = "No queue with consumers yet."
		return st
	}
	st.taken = true
	st.evidence = finish(join(ev))
	// Say only what the model has: idempotent consumers, dead letters.
	var with []string
	if idempotent {
		with = append(with, "idempotent consumers")
	}
	if deadLetters {
		with = append(with, "a dead-letter queue")
	}
	st.spoken = "moved slow work behind a queue"
	if len(with) > 0 {
		st.spoken += " with " + join(with)
	}
	return st
}

func (d *doc) stepSharding() scalingStep {
	st := scalingStep{
		title:   titleSharding,
		buys:    "write throughput and storage beyond one primary",
		costs:   "a shard key to choose, hot keys, cross-shard queries, and resharding, which consistent hashing keeps to about 1/n of the keys",
		trigger: "writes or data size outgrowing one primary",
	}
	for _, db := range d.ofKind(model.Database) {
		cl := d.est.Load(db)
		if db.Shards == nil && cl != nil && db.Capacity != nil && db.Capacity.WriteQPS.Set() && db.Capacity.WriteQPS.Val > 0 {
			st.trigger = name(db) + "'s writes approaching its capacity (today " + code(num(cl.WriteRPS)+" ÷ "+num(db.Capacity.WriteQPS.Val)+eqPct(shown(cl.WriteRPS)/shown(db.Capacity.WriteQPS.Val), cl.WriteRPS/db.Capacity.WriteQPS.Val)+pct(cl.WriteRPS/db.Capacity.WriteQPS.Val)) + " at peak)"
			break
		}
	}
	sh := d.sharded()
	if len(sh) == 0 {
		st.evidence = "No sharded database yet."
		return st
	}
	st.taken = true
	var ev []string
	modN := false
	for _, db := range sh {
		ev = append(ev, name(db)+" ("+model.Plural(db.Shards.Count.Val, "shard")+", "+string(db.Shards.Strategy.Val)+")")
		modN = modN || db.Shards.Strategy.Val == model.HashMod
	}
	st.evidence = join(ev) + " " + agree(sh, "is", "are") + " sharded"
	if modN {
		st.evidence += "; moving from hash mod n to consistent hashing is still to do"
	}
	st.evidence = finish(st.evidence)
	// Sharding is for writes and size; a read-heavy model shards for size,
	// its reads being what caches and replicas take.
	if r, ok := d.m.Traffic.ReadFraction(); ok && r < 0.5 {
		st.spoken = "sharded the write-heavy data"
	} else {
		st.spoken = "sharded " + names(sh) + " so its data and writes can outgrow one primary"
	}
	return st
}

func (d *doc) stepCDN() scalingStep {
	st := scalingStep{
		title:   titleCDN,
		buys:    "static content served close to users, outside the back end, and less load on the origin",
		costs:   "money, and content that stays stale until its TTL or an invalidation",
		trigger: "static assets taking a noticeable share of requests, or users far from the servers",
	}
	cdns := d.ofKind(model.CDN)
	if len(cdns) == 0 {
		st.evidence = "No CDN yet."
		return st
	}
	st.taken = true
	var ev []string
	for _, c := range cdns {
		if d.active("cdn/misplaced", c) {
			ev = append(ev, name(c)+" sits inside the back end")
			continue
		}
		e := name(c) + " serves static content at the edge"
		if c.Origin.Target != nil {
			e += " from " + name(c.Origin.Target)
		}
		ev = append(ev, e+", outside the back end")
	}
	st.evidence = finish(join(ev))
	st.spoken = "put a CDN in front of the static content"
	return st
}

func (d *doc) stepWaitingRoom() scalingStep {
	st := scalingStep{
		title:   titleWaitingRoom,
		buys:    "a queue with positions instead of a crashing site when a known surge arrives",
		costs:   "users who wait, and one more component at the edge",
		trigger: "a surge we can predict, such as an on-sale or a launch",
	}
	wrs := d.ofKind(model.WaitingRoom)
	if len(wrs) == 0 {
		st.evidence = "No waiting room."
		return st
	}
	st.taken = true
	var ev []string
	for _, w := range wrs {
		e := name(w) + " admits users"
		if w.AdmitRPS.Set() {
			e += " at " + num(w.AdmitRPS.Val) + "/s"
		}
		ev = append(ev, e)
	}
	st.evidence = finish(join(ev))
	st.spoken = "added a waiting room for planned surges"
	return st
}

// threeTiers names the classic three tiers, the same in the interview and
// the study notes.
const threeTiers = "a presentation tier (a webserver or load balancer in front), an application tier (the app servers) and a data tier (the database)"

func (d *doc) scalingPath() {
	d.w.heading(2, secScaling)
	steps := d.scalingSteps()
	d.w.para("Every design starts as three tiers: " + threeTiers + ". Each step below answers a symptom and buys scale with complexity. Where this design stands:")
	var items []string
	next := -1
	for i, st := range steps {
		label := "Taken"
		if !st.taken {
			if next < 0 {
				next = i
				label = "Next"
			} else {
				label = "Later"
			}
		}
		items = append(items, bold(label)+", "+st.title+": "+st.evidence)
	}
	d.w.bullets(items)

	var spoken []string
	for _, st := range steps {
		if st.taken {
			spoken = append(spoken, st.spoken)
		}
	}
	if len(spoken) > 0 {
		d.w.para("Spoken: “We started from three tiers, then " + join(spoken) + ". Each step traded simplicity for scale.”")
	}

	if next < 0 {
		d.w.para("Every step on the path is taken. Beyond it: several regions behind geo-DNS, splitting the app into services, and observability and automation to run it all.")
		return
	}
	st := steps[next]
	d.w.para("Next step, " + st.title + ". Trigger: " + st.trigger + ". It buys " + st.buys + "; it costs " + st.costs + ".")
}

// nextStep returns the first step not taken, if any.
func (d *doc) nextStep() (scalingStep, bool) {
	for _, st := range d.scalingSteps() {
		if !st.taken {
			return st, true
		}
	}
	return scalingStep{}, false
}
