package notes

import (
	"strings"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/analysis"
	"github.com/archdiag/archdiag/render"
)

// Study notes' section headings.
const (
	secDiagram    = "Diagram"
	secComponents = "Component cards"
	secConcepts   = "Concept cards"
)

func (d *doc) study() error {
	d.w.heading(1, esc(d.m.Name.Val)+": study notes")
	if err := d.diagram(); err != nil {
		return err
	}
	d.w.heading(2, secComponents)
	d.w.para("One card per kind of component in this model.")
	for _, k := range d.kindsPresent() {
		d.kindCard(k)
	}
	d.w.heading(2, secConcepts)
	d.w.para("The ideas this model relies on.")
	for _, c := range d.concepts() {
		d.w.heading(3, c.title)
		d.w.bullets(c.points)
	}
	return nil
}

func (d *doc) diagram() error {
	d.w.heading(2, secDiagram)
	mm, err := render.Mermaid(d.m, render.Options{Findings: d.findings})
	if err != nil {
		return err
	}
	d.w.fenced("mermaid", string(mm))
	if d.svg != "" {
		d.w.para("The same diagram laid out by Graphviz: [" + esc(d.m.Name.Val) + " diagram (SVG)](" + linkDest(d.svg) + ").")
	}
	return nil
}

// linkDest writes a link destination; angle brackets allow spaces and
// parentheses.
func linkDest(p string) string {
	if strings.ContainsAny(p, " ()<>") {
		return "<" + strings.NewReplacer("<", "%3C", ">", "%3E").Replace(p) + ">"
	}
	return p
}

// kindCard teaches one component kind, from the kind's study card in the
// model's descriptor.
func (d *doc) kindCard(k model.Kind) {
	ki, ok := k.Info()
	d.w.heading(3, capitalize(k.Title()))
	if !ok {
		return
	}
	c := ki.Card
	var inModel []string
	for _, comp := range d.ofKind(k) {
		inModel = append(inModel, d.componentLine(comp))
	}
	var rules []string
	for _, r := range c.Rules {
		rules = append(rules, code(r))
	}
	d.w.bullets([]string{
		bold("What it is") + ": " + c.What,
		bold("Use it when") + ": " + c.When,
		bold("Knobs") + ": " + c.Knobs,
		bold("Trade-offs") + ": " + c.TradeOffs,
		bold("Failure modes") + ": " + c.Failures,
		sublist(bold("In this model")+":", inModel),
		bold("Rules that watch it") + ": " + strings.Join(rules, ", ") + ".",
	})
}

type concept struct {
	title  string
	points []string
}

// concepts lists the concept cards the model touches, in a fixed order.
func (d *doc) concepts() []concept {
	var out []concept
	add := func(c concept) { out = append(out, c) }
	add(d.pathConcept())
	if d.has(model.App) {
		add(d.scalingConcept())
		add(d.statelessConcept())
	}
	if d.has(model.Cache) {
		add(d.cacheConcept())
	}
	if len(d.replicated()) > 0 {
		add(d.replicaConcept())
	}
	if d.has(model.Queue) {
		add(d.queueModeConcept())
		add(d.dlqConcept())
		add(d.payloadConcept())
	}
	if d.has(model.Queue) || len(d.m.Entities) > 0 {
		add(d.statusConcept())
	}
	for _, x := range d.ofKind(model.External) {
		if x.Ack.Val == "optimistic" {
			add(d.optimisticConcept())
			break
		}
	}
	if len(d.sharded()) > 0 {
		add(d.hashingConcept())
	}
	if d.has(model.CDN) {
		add(d.cdnConcept())
	}
	if d.has(model.AuthStore) {
		add(d.passwordConcept())
	}
	if d.has(model.WaitingRoom) {
		add(d.surgeConcept())
	}
	return out
}

func (d *doc) pathConcept() concept {
	points := []string{
		"Start with three tiers: " + threeTiers + ". Then, one symptom at a time: stateless app servers behind a redundant load balancer; caching (cache-aside) and a CDN; read replicas with automatic failover; queues and workers for slow work; sharding with consistent hashing; a waiting room for planned surges.",
		"Each step buys scale and costs simplicity: shared session state, stale caches, replication lag, eventual consistency, cross-shard queries.",
	}
	var taken []string
	for _, st := range d.scalingSteps() {
		if st.taken {
			taken = append(taken, st.title)
		}
	}
	if len(taken) > 0 {
		points = append(points, "This model has taken: "+join(taken)+".")
	} else {
		points = append(points, "This model is still the baseline: none of the steps is taken yet.")
	}
	return concept{"The 3-tier to N-tier path", points}
}

func (d *doc) scalingConcept() concept {
	points := []string{
		"Vertical scaling buys a bigger machine: no code changes, but there is a ceiling, the price climbs steeply near it, and the machine stays a single point of failure.",
		"Horizontal scaling adds machines behind a load balancer: no ceiling and redundancy for free, but the servers must be stateless and everything behind them sees more connections.",
	}
	for _, a := range d.ofKind(model.App) {
		s := "In this model " + d.instancesText(a)
		if cl := d.est.Load(a); cl != nil && cl.Needed > 0 {
			s += "; the estimate needs " + model.Plural(cl.Needed, "instance") + " at peak to stay under " + pct(analysis.TargetUtilisation)
		}
		points = append(points, s+".")
	}
	return concept{"Vertical versus horizontal scaling", points}
}

func (d *doc) statelessConcept() concept {
	points := []string{
		"A stateless app server keeps nothing a later request needs: sessions live in a shared store or in signed tokens, uploads in object storage. Any instance can then serve any request, and instances can be added, removed or lost freely.",
		"Sticky sessions are a half-way house: the load balancer pins each user to one server, so that server's failure still logs its users out.",
	}
	for _, a := range d.ofKind(model.App) {
		mode, _ := d.sessionsOf(a)
		switch {
		case d.stateless(a):
			points = append(points, "In this model "+subject(one(a), "is", "are")+" stateless.")
		case mode == "":
			points = append(points, "In this model "+subject(one(a), "does", "do")+" not declare where state lives.")
		default:
			points = append(points, "In this model "+subject(one(a), "keeps", "keep")+" state on the instance: "+d.sessionAndUploads(a)+".")
		}
	}
	return concept{"Stateless app servers", points}
}

func (d *doc) sessionAndUploads(a *model.Component) string {
	var p []string
	if t := d.sessionText(a); t != "" {
		p = append(p, t)
	}
	if a.State != nil {
		if t := uploadText(a.State); t != "" {
			p = append(p, t)
		}
	}
	return join(p)
}

func (d *doc) cacheConcept() concept {
	points := []string{
		"Cache-aside: the application reads the cache, and on a miss reads the database and fills the cache. The cache is off the critical path: if it fails, reads go to the database, slower but working.",
		"Read-through: the application reads only the cache, which loads from the database on a miss. Simpler application code, but the cache is on every read path: a single point of failure unless it is replicated. That is why cache-aside is preferred.",
		"Either way: data is stale for up to the TTL, a cold cache sends every read to the database, and a hot key expiring can stampede it.",
	}
	for _, c := range d.ofKind(model.Cache) {
		if c.Pattern.Val == model.SessionStore {
			// "Session store is a session store cache" says nothing: say
			// whose sessions it holds.
			var apps []*model.Component
			for _, a := range d.ofKind(model.App) {
				if a.State != nil && a.State.SessionStore.Target == c {
					apps = append(apps, a)
				}
			}
			s := "In this model " + name(c) + " holds sessions"
			if len(apps) > 0 {
				s += " for " + names(apps)
			}
			points = append(points, s+", not cached data.")
			continue
		}
		points = append(points, "In this model "+name(c)+" is "+article(patternText(c.Pattern.Val))+" "+patternText(c.Pattern.Val)+" cache.")
	}
	return concept{"Cache-aside versus read-through", points}
}

func (d *doc) replicaConcept() concept {
	points := []string{
		"A read replica follows the primary and serves reads; every replica replays every write, so replicas scale reads, never writes.",
		"Async replication lags: a user who just wrote may read the old value from a replica. Fix it by reading a user's own recent writes from the primary (read-your-writes).",
		"A replica can double as the failover standby: promoted automatically when the primary dies, losing the last writes if replication was async.",
	}
	for _, db := range d.replicated() {
		points = append(points, "In this model "+name(db)+" has "+model.Plural(len(d.m.Replicas(db)), "replica")+": "+names(d.m.Replicas(db))+".")
	}
	return concept{"Read replicas", points}
}

func (d *doc) queueModeConcept() concept {
	points := []string{
		"Point-to-point: the queue holds jobs in flight, usually first in first out, and each message goes to exactly one consumer, like orders a waiter leaves for the kitchen. Messages are alike; consumers compete for them.",
		"Publish/subscribe: each message is pushed to every subscriber that wants it, like a magazine subscription. Messages differ by topic; Kafka is the best-known example.",
		"A cron job that drains a point-to-point queue is often easier to set up than a pub/sub system.",
	}
	for _, q := range d.workQueues() {
		points = append(points, "In this model "+name(q)+" is "+modeText(q.Mode.Val)+".")
	}
	return concept{"Point-to-point versus pub/sub", points}
}

func (d *doc) dlqConcept() concept {
	points := []string{
		"A dead-letter queue receives the messages a consumer cannot process, such as a malformed job, after a set number of attempts, so they stop blocking or looping and are kept for inspection.",
		"A DLQ is only useful if someone looks: alert on its depth, for example with a notification in a chat channel.",
	}
	for _, q := range d.workQueues() {
		if dlq := q.DeadLetter.Target; dlq != nil {
			s := "In this model " + name(q) + " sends failed messages to " + name(dlq)
			if len(dlq.Alerts) > 0 {
				s += ", which " + alertsText(dlq.Alerts)
			} else {
				s += ", which has no alert"
			}
			points = append(points, s+".")
		} else {
			points = append(points, "In this model "+name(q)+" has no dead-letter queue.")
		}
	}
	return concept{"Dead-letter queues", points}
}

func (d *doc) payloadConcept() concept {
	points := []string{
		"A queue carries strings, so a job object is serialised (turned into a string, typically JSON) before it is queued and de-serialised by the consumer. The format must be agreed beforehand.",
		"What goes in the message depends on the queue's responsibility: one queue for all email means each message carries the whole email (to, from, subject, body); a queue for one kind of job can carry just an id.",
		"Only jobs that should run now go in the queue; timing logic belongs in the app server or a cron job.",
	}
	for _, call := range d.m.Calls() {
		if call.Op.Val == model.OpPublish && call.Label.Val != "" {
			points = append(points, "In this model "+subject(one(call.From), "publishes", "publish")+" "+quote(call.Label.Val)+" to "+name(call.To.Target)+".")
		}
	}
	return concept{"Serialising job payloads", points}
}

func (d *doc) statusConcept() concept {
	points := []string{
		"An asynchronous workflow records where each record is in a status field, as granular as possible: " + code("pending_email_outbound") + " says more than " + code("pending") + " when a user never gets the email and someone must debug it.",
		"Statuses can live as strings in a column or in a separate table of status codes; a separate table helps when the steps belong to different teams.",
	}
	for _, e := range d.m.Entities {
		var vals []string
		for _, v := range e.Statuses {
			vals = append(vals, code(v.Val))
		}
		if len(vals) > 0 {
			points = append(points, "In this model the "+esc(e.Name)+" record's "+code(e.StatusField.Val)+" takes "+strings.Join(vals, ", ")+".")
		}
	}
	return concept{"Granular status fields for async workflows", points}
}

func (d *doc) optimisticConcept() concept {
	points := []string{
		"Providers such as transactional email services answer optimistically: the answer confirms they received the request, not that the email arrived.",
		"We usually assume it was sent, record that the provider has it, and check later (delivery reports or webhooks) if it matters.",
	}
	for _, x := range d.ofKind(model.External) {
		if x.Ack.Val == "optimistic" {
			points = append(points, "In this model "+name(x)+" acknowledges optimistically.")
		}
	}
	return concept{"Optimistic acknowledgements", points}
}

func (d *doc) hashingConcept() concept {
	points := []string{
		"Hash mod n puts key k on shard hash(k) mod n. Going from n to n+1 shards, a key stays only when both moduli agree, which holds for 1 in n+1 keys, so n/(n+1) of them move: nearly all.",
		"Consistent hashing places shards and keys on a ring; a key belongs to the next shard clockwise. A new shard takes over only the arc before it, about 1/(n+1) of the keys, and the others keep theirs.",
		"Virtual nodes, many points per shard on the ring, even out the shares: the spread of a shard's share is about √((n − 1) ÷ (n × v + 1)), roughly 1/√v.",
		"Doubling under hash mod n moves exactly half the keys, which is the minimum for doubling, so hash mod n is tolerable only when shards always double.",
	}
	for _, db := range d.sharded() {
		n := db.Shards.Count.Val
		s := "In this model " + name(db) + " has " + model.Plural(n, "shard") + ": adding one moves " + code(itoa(n)+"/"+itoa(n+1)+" = "+pct(hashModMoved(n))) + " of the keys under hash mod n and about " + code("1/"+itoa(n+1)+" = "+pct(consistentMoved(n))) + " under consistent hashing"
		if v := db.Shards.VNodes.Val; db.Shards.VNodes.Set() {
			s += "; with " + count(v) + " virtual nodes a shard's share varies by about " + pct(vnodeSpread(n, v))
		}
		points = append(points, s+".")
	}
	return concept{"Consistent hashing versus hash mod n", points}
}

func (d *doc) cdnConcept() concept {
	points := []string{
		"A CDN is not part of the back end: it belongs to the wider internet, a global network of servers between users and the system. Draw it beside the back end, in front of its origin, not behind the load balancer.",
		"It serves content that many users share; keep user-specific data out of it. A cache inside the back end should hold different data from the CDN.",
	}
	for _, c := range d.ofKind(model.CDN) {
		if c.Origin.Target != nil {
			points = append(points, "In this model "+name(c)+" fetches from "+name(c.Origin.Target)+".")
		}
	}
	return concept{"CDNs sit outside the back end", points}
}

func (d *doc) passwordConcept() concept {
	points := []string{
		"A hash function is one-way: there is no way back from the hash to the password. Store the hash, never the password.",
		"A salt is a random string added to each password before hashing, so equal passwords get different hashes and a precomputed table of hashes is useless.",
		"Password hashes must be slow on purpose: Argon2id, scrypt or bcrypt, not MD5 or SHA-256.",
		"Keep credentials in their own table: it is read on every login, while the user profile is read rarely.",
	}
	for _, a := range d.ofKind(model.AuthStore) {
		s := "In this model " + name(a)
		if ph := a.PasswordHash; ph != nil {
			s += " uses " + hashText(ph)
		} else {
			s += " declares no password hash"
		}
		if a.Salt.Set() {
			s += ", salt " + esc(strings.ReplaceAll(a.Salt.Val, "_", " "))
		}
		points = append(points, s+".")
	}
	return concept{"Hashing and salting passwords", points}
}

func (d *doc) surgeConcept() concept {
	points := []string{
		"Some surges are unexpected; many are not. A ticket on-sale is announced, so prepare: scale out ahead of time, pre-warm caches, and put a waiting room in front.",
		"A waiting room admits users at a set rate; everyone else waits with a position, instead of the site failing for all.",
	}
	if t := d.m.Traffic; t != nil && t.PeakMultiplier.Set() {
		points = append(points, "In this model the peak is "+short(t.PeakMultiplier.Val)+"× the average.")
	}
	return concept{"Planned surges", points}
}
