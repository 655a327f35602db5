package notes

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/analysis"
)

// Deep-dive headings; each appears only when the model has what it covers.
const (
	diveSessions = "Session state and stateless app servers"
	diveCaching  = "Caching: cache-aside versus read-through"
	diveData     = "Replication, failover and lag"
	diveQueues   = "Queues, delivery guarantees and dead letters"
	diveExternal = "External providers"
	diveSharding = "Sharding and key movement"
	diveAuth     = "Password hashing with salts"
	diveSurge    = "Waiting room for surges"
)

func (d *doc) deepDives() {
	d.w.heading(2, secDeep)
	dives := []struct {
		title string
		items func() []string
	}{
		{diveSessions, d.sessionDive},
		{diveCaching, d.cacheDive},
		{diveData, d.dataDive},
		{diveQueues, d.queueDive},
		{diveExternal, d.externalDive},
		{diveSharding, d.shardDive},
		{diveAuth, d.authDive},
		{diveSurge, d.surgeDive},
	}
	any := false
	for _, dv := range dives {
		items := dv.items()
		if len(items) == 0 {
			continue
		}
		any = true
		d.w.heading(3, dv.title)
		d.w.bullets(items)
	}
	if !any {
		d.w.para("The model has no component that calls for a deep dive.")
	}
}

// proxiesOf returns the load balancers and reverse proxies that call c.
func (d *doc) proxiesOf(c *model.Component) []*model.Component {
	var out []*model.Component
	for _, call := range d.m.Callers(c) {
		if call.From.Kind.Val.IsProxy() {
			out = append(out, call.From)
		}
	}
	return out
}

// instancesText says how many instances c runs, as a clause: "App server
// runs 1 instance", "App servers run 6 to 30 instances (autoscaled)".
func (d *doc) instancesText(c *model.Component) string {
	return subject(one(c), "runs", "run") + " " + d.instanceCount(c)
}

func (d *doc) instanceCount(c *model.Component) string {
	if !d.m.StatesRedundancy() {
		return "an unstated number of instances"
	}
	if c.Autoscale != nil {
		if a := c.Autoscale; a.Min.Set() && a.Max.Set() {
			return count(a.Min.Val) + " to " + count(a.Max.Val) + " instances (autoscaled)"
		}
		return "an autoscaled group " + c.Autoscale.Range()
	}
	return model.Plural(c.Instances.Val, "instance")
}

func (d *doc) sessionDive() []string {
	var out []string
	for _, c := range d.ofKind(model.App) {
		s := d.instancesText(c)
		if px := d.proxiesOf(c); len(px) > 0 {
			s += " behind " + names(px)
		}
		s += "."
		st := c.State
		mode, store := d.sessionsOf(c)
		switch mode {
		case model.SessionsToken:
			s += " Sessions are signed tokens held by the client, so the servers are stateless: any instance serves any request, and scaling out is adding instances. We pay with revocation: a stolen token stays valid until it expires."
		case model.SessionsExternal:
			s += " Sessions live in "
			if store != nil {
				s += name(store)
			} else {
				s += "a shared store"
			}
			s += ", so the servers are stateless: any instance serves any request and instances come and go without logging anyone out."
			if store != nil {
				s += " Every signed-in request now goes to " + name(store)
				switch spof := d.spofCite(store); {
				// The sentence before already says instances of the app come
				// and go freely; this one is about the store.
				case store.Managed.Val:
					s += ", a managed service whose provider keeps it available."
				case store.Redundant():
					s += " (" + d.redundancy(store) + "), which survives losing one instance."
				case spof != "":
					s += " (" + d.redundancy(store) + "), a single point of failure" + spof + ": losing it logs everyone out."
				default:
					s += " (" + d.redundancy(store) + "), which is not redundant."
				}
			}
		case model.SessionsLocal:
			s += " Sessions sit in each server's memory. "
			if cite := d.cite("state/local-sessions", c); cite != "" {
				s += "With " + count(c.MaxInstances()) + " instances a user's next request can land on a server that never saw them, which logs them out" + cite + "."
			} else {
				s += "On one instance that works, but it blocks horizontal scaling: behind a load balancer a user's next request could land on a server that never saw them."
			}
			s += " Move sessions to a shared store or signed tokens before scaling out."
		case model.SessionsSticky:
			if cite := d.cite("state/local-sessions", c); cite != "" {
				s += " Sessions sit on each server, relying on sticky sessions, but nothing in front pins users to one server, so a user's next request can land on a server that never saw them" + cite + "."
			} else {
				s += " Sticky sessions pin each user to one server: that server's failure logs its users out, hot users skew the load, and scaling in is disruptive" + d.cite("state/sticky-sessions", c) + "."
			}
			s += " A shared session store removes all of it."
		case model.SessionsNone:
			s += " It keeps no sessions, so any instance serves any request."
		default:
			s += " The model does not say where sessions live; say it before being asked: in a shared store or in signed tokens, never only in one server's memory."
		}
		out = append(out, s)
		if st != nil {
			switch st.Uploads.Val {
			case model.UploadsLocalDisk:
				out = append(out, "Uploads go to "+name(c)+"'s local disk: a file written on one server is invisible to the others and lost with it. Write them to object storage instead"+d.cite("state/local-uploads", c)+".")
			case model.UploadsObjectStorage:
				if st.UploadStore.Target != nil {
					out = append(out, "Uploads go to "+name(st.UploadStore.Target)+", not local disk, so every server sees them and none holds data that dies with it.")
				}
			}
		}
		if d.stateless(c) && c.Autoscale != nil {
			out = append(out, "Because nothing lives on the instance, the autoscaler can add and remove instances of "+name(c)+" freely: horizontal scaling, rather than buying a bigger machine (vertical scaling), which has a ceiling and stays a single point of failure.")
		}
	}
	return out
}

// dbReadTargets returns the components that read cache and the databases
// they read directly: what a cache miss, or a cold cache, falls through to.
// A caller that only writes the cache (a worker filling it) is no reader.
func (d *doc) dbReadTargets(cache *model.Component) (readers, targets []*model.Component) {
	seen := map[*model.Component]bool{}
	for _, call := range d.m.Callers(cache) {
		r := call.From
		if seen[r] || !readsCache(call.Op.Val) {
			continue
		}
		seen[r] = true
		readers = append(readers, r)
		for _, c := range r.Calls {
			t := c.To.Target
			if t != nil && t.Kind.Val == model.Database && c.Op.Val.Reads() && !seen[t] {
				seen[t] = true
				targets = append(targets, t)
			}
		}
	}
	return readers, targets
}

func (d *doc) cacheDive() []string {
	var out []string
	for _, c := range d.dataCaches() {
		readers, targets := d.dbReadTargets(c)
		who := "its callers"
		if len(readers) > 0 {
			who = names(readers)
		}
		switch c.Pattern.Val {
		case model.CacheAside:
			out = append(out, name(c)+" is cache-aside: the application ("+who+") reads it first; on a miss it reads the database and fills the cache. It is a soft dependency: if it fails, reads fall through to the database, slower but still served. That is why cache-aside beats read-through here: read-through sits in the read path, so its outage is an outage, a single point of failure unless the cache itself is redundant.")
		case model.ReadThrough:
			soft := true
			for _, call := range d.m.Callers(c) {
				soft = soft && call.Soft()
			}
			if soft {
				out = append(out, name(c)+" is read-through, but every caller declares a fallback, so a cache outage degrades reads instead of failing them.")
				break
			}
			s := name(c) + " is read-through: every read goes through it and it loads from the database on a miss, so it is a hard dependency (" + esc(c.RedundancyText()) + ")"
			cite := d.cite("cache/read-through-spof", c)
			switch {
			case c.Redundant():
				s += ". It is redundant, but a cache-wide outage still stops reads" + cite + "; cache-aside would let the app fall back to the database."
			case cite != "":
				s += " and a single point of failure" + cite + ". Cache-aside would let the app fall back to the database when the cache fails."
			default:
				s += ". Cache-aside would let the app fall back to the database when the cache fails."
			}
			out = append(out, s)
		case model.WriteThrough:
			out = append(out, name(c)+" is write-through: writes go through it to the database, so it never serves data older than the last write, at the cost of slower writes and a cache on the write path.")
		case model.WriteBehind:
			out = append(out, name(c)+" is write-behind: writes land in the cache and reach the database later; fast, but a cache crash loses the writes not yet flushed.")
		}
		cl := d.est.Load(c)
		if cl != nil && cl.ReadRPS > 0 && c.HitRatio.Set() {
			var s string
			// What the databases would take with every hit a miss: their
			// reads now, plus the hits when the estimate took them off.
			cold, coldHow := 0.0, ""
			for _, t := range targets {
				if tl := d.est.Load(t); tl != nil {
					cold += tl.ReadRPS
				}
			}
			full := d.undiscounted(c, targets)
			if hits := cl.ReadRPS * c.HitRatio.Val; len(full) == 0 && len(targets) > 0 {
				// The databases' reads are the misses plus reads that never
				// go through this cache; name each so the sum adds up.
				misses := cl.ReadRPS * (1 - c.HitRatio.Val)
				other := cold - misses
				switch {
				case math.Abs(other) < 0.5:
					coldHow = num(misses) + " misses + " + num(hits) + " hits" + eq(shown(misses)+shown(hits), cold+hits)
				case other > 0:
					coldHow = num(misses) + " misses + " + num(other) + " other reads + " + num(hits) + " hits" + eq(shown(misses)+shown(other)+shown(hits), cold+hits)
				default:
					coldHow = num(cold) + " + " + num(hits) + " hits" + eq(shown(cold)+shown(hits), cold+hits)
				}
				cold += hits
			}
			if len(full) == 0 {
				misses := cl.ReadRPS * (1 - c.HitRatio.Val)
				s = "At peak " + code("misses = "+num(cl.ReadRPS)+" × (1 − "+short(c.HitRatio.Val)+")"+eq(shown(cl.ReadRPS)*(1-c.HitRatio.Val), misses)+num(misses)+" reads/s") + " reach the database"
				if len(targets) > 0 {
					s += " (" + names(targets) + ")"
				}
				s += "."
			} else {
				// Section 2 prints the estimate; quoting a smaller miss rate
				// here would give the same database two read loads.
				var loads []string
				for _, t := range full {
					loads = append(loads, name(t)+"'s "+num(d.est.Load(t).ReadRPS)+" reads/s")
				}
				s = "The estimate in section 2 counts all of " + join(loads) + ", not only the misses after " + name(c) + "'s " + pct(c.HitRatio.Val) + " hits: it takes hits off only the synchronous reads of request handlers behind a cache-aside or read-through cache"
				if c.Pattern.Val != model.CacheAside && c.Pattern.Val != model.ReadThrough {
					s += ", and " + name(c) + " is " + patternText(c.Pattern.Val) + "."
				} else {
					s += "."
				}
			}
			fall := " With a cold or failed cache"
			if c.Pattern.Val == model.ReadThrough {
				fall = " With a cold cache" // a failed read-through cache fails the reads instead
			}
			if capTotal, ok := readCapacity(targets); ok && len(targets) > 0 {
				s += fall + " every read reaches the database: " + code(coldHow+num(cold)+" reads/s") + ", " + code(num(cold)+" ÷ "+num(capTotal)+eqPct(shown(cold)/shown(capTotal), cold/capTotal)+pct(cold/capTotal)) + " of the read capacity"
				switch {
				case cold > capTotal:
					s += ", more than the database can serve"
					if c.Prewarm.Val {
						s += ", which is why the cache is pre-warmed before the surge"
					} else {
						s += "; pre-warm the cache before known surges"
					}
				case cold/capTotal > analysis.TargetUtilisation:
					s += ", above the " + pct(analysis.TargetUtilisation) + " target but survivable"
				default:
					s += ", so the database survives losing the cache"
				}
				s += "."
			}
			out = append(out, s)
		}
		if c.TTLSeconds.Set() {
			out = append(out, "TTL "+num(float64(c.TTLSeconds.Val))+" s: an entry can be up to "+durationText(secs(c.TTLSeconds.Val))+" stale; deleting the key on every write narrows that window.")
		} else {
			out = append(out, name(c)+" has no TTL: a missed invalidation serves stale data until eviction"+d.cite("cache/no-expiry", c)+".")
		}
		if c.MaxMemoryMB.Set() && c.Eviction.Set() {
			out = append(out, "Bounded at "+num(float64(c.MaxMemoryMB.Val))+" MB with "+code(c.Eviction.Val)+" eviction, so a full cache drops keys rather than refusing writes.")
		}
	}
	return out
}

// readsCache reports whether a call with op reads the cache: a read, a
// read_write, or a call that does not say it writes.
func readsCache(op model.Op) bool {
	return op.Reads() || op == model.OpCall
}

// undiscounted returns the databases behind cache whose estimated load
// counts every read, not only the misses. The estimate writes the hit
// ratio it applied into the load's formula.
func (d *doc) undiscounted(cache *model.Component, targets []*model.Component) []*model.Component {
	var out []*model.Component
	for _, t := range targets {
		if tl := d.est.Load(t); tl != nil && tl.ReadRPS > 0 && !strings.Contains(tl.Formula, " "+cache.ID+" hit ratio") {
			out = append(out, t)
		}
	}
	return out
}

// readCapacity sums the stated read capacity of databases; ok is false
// unless every one states it.
func readCapacity(dbs []*model.Component) (float64, bool) {
	total := 0.0
	for _, db := range dbs {
		if db.Capacity == nil || !db.Capacity.ReadQPS.Set() {
			return 0, false
		}
		total += db.Capacity.ReadQPS.Val
	}
	return total, len(dbs) > 0 && total > 0
}

func (d *doc) dataDive() []string {
	var out []string
	for _, db := range d.ofKind(model.Database) {
		if db.Role.Val == model.RoleReplica {
			continue
		}
		reps := d.m.Replicas(db)
		cl := d.est.Load(db)
		switch {
		case len(reps) > 0:
			var readers, standbys []*model.Component
			for _, r := range reps {
				if len(d.readers(r)) > 0 {
					readers = append(readers, r)
				} else {
					standbys = append(standbys, r)
				}
			}
			s := name(db) + " takes every write"
			if len(readers) > 0 {
				s += "; " + subject(readers, "serves", "serve") + " reads"
			}
			if len(standbys) > 0 {
				s += "; " + subject(standbys, "follows", "follow") + " it for failover and " + agree(standbys, "serves", "serve") + " no reads"
			}
			s += "."
			if cl != nil && cl.WriteRPS > 0 {
				if len(readers) > 0 {
					s += " Every replica also replays all " + num(cl.WriteRPS) + " writes/s the primary takes, so replicas scale reads, not writes."
				} else {
					s += " " + agree(reps, "It replays", "They replay") + " all " + num(cl.WriteRPS) + " writes/s the primary takes."
				}
			}
			out = append(out, s)
			for _, r := range readers {
				rl := d.est.Load(r)
				if rl == nil || r.Capacity == nil || !r.Capacity.ReadQPS.Set() || r.Capacity.ReadQPS.Val <= 0 {
					continue
				}
				out = append(out, name(r)+" at peak: "+code(num(rl.ReadRPS)+" reads/s ÷ "+num(r.Capacity.ReadQPS.Val)+eqPct(shown(rl.ReadRPS)/shown(r.Capacity.ReadQPS.Val), rl.ReadRPS/r.Capacity.ReadQPS.Val)+pct(rl.ReadRPS/r.Capacity.ReadQPS.Val))+" of its read capacity.")
			}
			out = append(out, d.lagText(db, reps)...)
		case db.Shards == nil && !db.Managed.Val:
			out = append(out, name(db)+" is a single database with no replica: simple and consistent, but reads cannot scale out.")
		}
		out = append(out, d.failoverText(db))
		if db.Shards != nil {
			out = append(out, name(db)+" is also sharded; see the sharding deep dive.")
		}
	}
	return out
}

func (d *doc) lagText(db *model.Component, reps []*model.Component) []string {
	var out []string
	var async []*model.Component
	for _, r := range reps {
		switch r.Replication.Val {
		case "async":
			async = append(async, r)
		case "semi_sync":
			out = append(out, name(r)+" replicates semi-synchronously: a commit waits until it has the write, so failing over to it loses nothing acknowledged; each write pays a network round trip.")
		case "sync":
			out = append(out, name(r)+" replicates synchronously: no lag and no lost writes on failover, but every write waits for it and stops if it is down.")
		}
	}
	if len(async) == 0 {
		return out
	}
	s := "Replication to " + names(async) + " is async, so replicas lag: a user who just wrote can read the old value from a replica."
	var ryw, not []*model.Component
	for _, r := range async {
		for _, c := range d.readers(r) {
			switch {
			case slices.Contains(ryw, c) || slices.Contains(not, c):
			case c.ReadYourWrites.Val:
				ryw = append(ryw, c)
			default:
				not = append(not, c)
			}
		}
	}
	if len(ryw) > 0 {
		s += " " + subject(ryw, "reads", "read") + " a user's own recent writes from the primary (read-your-writes), which adds those reads to the primary's load."
	}
	if len(not) > 0 {
		s += " " + subject(not, "reads", "read") + " replicas with no read-your-writes routing; either route a writer's next reads to the primary or accept the lag" + d.citeOn("db/read-after-write-lag", not) + "."
	}
	return append(out, s)
}

func (d *doc) failoverText(db *model.Component) string {
	cite := d.cite("db/no-failover", db)
	switch {
	case db.Managed.Val:
		return name(db) + " is a managed service: the provider replicates it and runs failover."
	case db.AutomaticFailover():
		s := "Automatic failover: if " + name(db) + " dies, " + name(db.Failover.Standby.Target) + " is promoted and the app reconnects to it"
		if db.Failover.Standby.Target.Replication.Val == "async" {
			s += "; with async replication the last writes before the crash can be lost"
		}
		return s + "."
	case db.Failover != nil && db.Failover.Mode.Val == model.FailoverManual:
		return "Manual failover: someone must promote a standby or restore " + name(db) + ", so an outage lasts as long as that takes" + cite + "."
	case db.Redundant():
		return name(db) + " runs " + d.instanceCount(db) + " and declares no failover mode: say how a second instance takes over the writes."
	case cite != "":
		return "No failover: if " + name(db) + " fails, everything that reads or writes it stops until it is restored" + cite + ". Next: a standby replica with automatic failover."
	}
	return "No failover is declared for " + name(db) + "."
}

func (d *doc) queueDive() []string {
	var out []string
	for _, q := range d.workQueues() {
		prods, cons := d.producers(q), d.consumers(q)
		s := name(q) + " is " + modeText(q.Mode.Val)
		if q.Mode.Val == model.PubSub {
			s += ": every subscriber gets its own copy of each message, right for events several consumers react to"
		} else {
			s += ": each message goes to one consumer, and consumers compete for the work, right for jobs that must be done once, such as sending an email"
		}
		s += "."
		if len(prods) > 0 || len(cons) > 0 {
			s += " "
			if len(prods) > 0 {
				s += subject(prods, "publishes", "publish") + " to it"
			} else {
				s += "Nothing publishes to it"
			}
			if len(cons) > 0 {
				s += "; " + subject(cons, "takes", "take") + " messages off it"
			} else {
				s += "; nothing consumes it" + d.cite("queue/no-consumer", q)
			}
			s += "."
		}
		out = append(out, s)

		if q.Delivery.Val == "at-least-once" {
			s := "Delivery is at-least-once: a consumer that crashes after doing the work but before acknowledging gets the message again, so consumers must be idempotent."
			var idem, notIdem []*model.Component
			for _, c := range cons {
				if c.Idempotent.Val {
					idem = append(idem, c)
				} else {
					notIdem = append(notIdem, c)
				}
			}
			if len(idem) > 0 {
				s += " " + subject(idem, "is", "are") + " declared idempotent."
			}
			if len(notIdem) > 0 {
				s += " " + subject(notIdem, "is", "are") + " not declared idempotent: a redelivery does the work twice."
			}
			out = append(out, s)
		} else {
			out = append(out, "Delivery is "+esc(q.Delivery.Val)+".")
		}

		for _, p := range prods {
			w := writtenStores(p)
			switch {
			case len(w) == 0:
			case publishesThroughOutbox(p, q):
				out = append(out, subject(one(p), "writes", "write")+" "+names(w)+" and "+agree(one(p), "publishes", "publish")+" to "+name(q)+" through a transactional outbox: the message is written in the same database transaction and a relay publishes it, so a crash cannot leave a saved record with no job queued.")
			case d.finding("async/dual-write", p) != nil:
				out = append(out, subject(one(p), "writes", "write")+" "+names(w)+" and "+agree(one(p), "publishes", "publish")+" to "+name(q)+" as two operations: a crash in between leaves a saved record with no job queued. A transactional outbox closes the gap: write the message in the same database transaction and let a relay publish it"+d.cite("async/dual-write", p)+".")
			}
		}

		payload := "Each message is the job serialised to a string, usually JSON, that the consumer de-serialises; it must carry everything the consumer needs, because one queue can carry many jobs."
		for _, call := range d.m.Callers(q) {
			if call.Op.Val == model.OpPublish && call.Label.Val != "" {
				payload += " " + subject(one(call.From), "publishes", "publish") + " " + quote(call.Label.Val) + "."
			}
		}
		out = append(out, payload)

		switch dlq := q.DeadLetter.Target; {
		case dlq == nil && d.finding("queue/no-dlq", q) != nil:
			out = append(out, "No dead-letter queue: a malformed message is retried forever or silently dropped"+d.cite("queue/no-dlq", q)+".")
		case dlq == nil:
			out = append(out, "No dead-letter queue is declared.")
		default:
			s := "A message that fails"
			if q.MaxReceiveCount.Set() {
				s += " " + model.Plural(q.MaxReceiveCount.Val, "time")
			} else {
				s += " repeatedly"
			}
			s += " moves to " + name(dlq)
			n, depth := alertDepth(dlq.Alerts)
			switch {
			case len(dlq.Alerts) > 0 && depth && n <= 1:
				s += ", which " + alertsText(dlq.Alerts) + ": a malformed job reaches a person in minutes instead of blocking the queue."
			case len(dlq.Alerts) > 0 && depth:
				// A higher threshold hears of failures late: say how late.
				s += ", which " + alertsText(dlq.Alerts) + ": failed jobs stop blocking the queue, but a person hears of them " + alertWait(dlq.Alerts) + "; " + code("depth > 0") + " would report the first."
			case len(dlq.Alerts) > 0:
				s += " instead of blocking the queue, and " + name(dlq) + " " + alertsText(dlq.Alerts) + "."
			case d.finding("queue/dlq-unmonitored", dlq) != nil:
				s += ", which has no alert, so failed jobs pile up unseen" + d.cite("queue/dlq-unmonitored", dlq) + "."
			default:
				s += ", which has no alert."
			}
			out = append(out, s)
		}

		if cl := d.est.Load(q); cl != nil && cl.Capacity > 0 {
			s := "Peak enqueue " + num(cl.PeakRPS) + "/s against a drain of " + num(cl.Capacity) + "/s"
			if slow := d.slowest(q); len(slow) > 0 {
				s += " (set by the slowest subscriber, " + names(slow) + ")"
			}
			switch fate, avgIn := d.queueFate(cl); fate {
			case catchesUp:
				s += ": the queue absorbs the burst and the consumers catch up after it; that is the load curve flattened, paid for in delay (numbers in section 2)."
			case neverDrains:
				s += ", and even the average " + num(avgIn) + "/s is more than the consumers take: the backlog grows without bound and the queue never empties, so it delays the work instead of flattening the curve" + d.cite("queue/backlog-growth", q) + ". To fix it, " + d.drainRemedy(q, avgIn) + "."
			case avgUnknown:
				s += ": the queue absorbs the burst, and the consumers catch up after it only if the average rate stays below the drain; the model gives no average to check."
			default:
				s += ": the consumers keep up, so messages wait about one consumer cycle."
			}
			out = append(out, s)
		}
		for _, c := range cons {
			if c.Kind.Val == model.Cron {
				out = append(out, d.cronText(c))
			}
		}
	}
	return out
}

func quote(s string) string { return "“" + esc(s) + "”" }

// cronText covers a cron job that drains a queue.
func (d *doc) cronText(c *model.Component) string {
	s := subject(one(c), "is", "are") + " a cron job that runs " + code(c.Schedule.Val) + " (" + d.scheduleWords(c.Schedule.Val) + ")"
	if c.BatchSize.Set() {
		s += ", taking up to " + num(float64(c.BatchSize.Val)) + " jobs a run"
	}
	s += ": simpler to run than an always-on consumer."
	if sc := d.schedule(c.Schedule.Val); c.MaxDurationS.Set() && sc != nil && sc.Fires() {
		// A run overlaps the next only where the runs are closest.
		gap := durationText(sc.ShortestGap()) + " between runs"
		if !sc.Regular() {
			gap = durationText(sc.ShortestGap()) + " between its closest runs"
		}
		if secs(c.MaxDurationS.Val) < sc.ShortestGap() {
			s += " A run takes at most " + count(c.MaxDurationS.Val) + " s, inside the " + gap
		} else {
			s += " A run can take " + count(c.MaxDurationS.Val) + " s, longer than the " + gap + ", so runs can overlap"
		}
		if c.ConcurrencyPolicy.Val == "forbid" {
			s += ", and policy " + code("forbid") + " stops a late run from overlapping the next"
		}
		s += "."
	}
	if cite := d.cite("cron/single-runner", c); cite != "" && !c.Redundant() {
		s += " One runner on one host: if it dies, jobs wait until it is back" + cite + "."
	}
	return s
}

func (d *doc) externalDive() []string {
	var out []string
	for _, x := range d.ofKind(model.External) {
		for _, call := range d.m.Callers(x) {
			from := call.From
			s := subject(one(from), "calls", "call") + " " + name(x) + " (" + string(x.Provider.Val) + ")"
			if from.Kind.Val.IsConsumer() {
				s += " in the background, off the request path"
			} else if call.Mode.Val == model.Sync {
				s += " synchronously, on the request path"
			}
			var guards []string
			if call.TimeoutMS.Set() {
				guards = append(guards, withArticle(num(float64(call.TimeoutMS.Val)))+" ms timeout")
			}
			if r := call.Retries; r != nil && r.MaxAttempts.Set() {
				g := model.Plural(r.MaxAttempts.Val, "attempt")
				var how []string
				if r.Backoff.Set() {
					how = append(how, esc(r.Backoff.Val)+" backoff")
				}
				if r.Jitter.Val {
					how = append(how, "jitter")
				}
				if len(how) > 0 {
					g += " (" + strings.Join(how, ", ") + ")"
				}
				guards = append(guards, g)
			}
			if call.IdempotencyKey.Set() {
				guards = append(guards, "idempotency key "+code(call.IdempotencyKey.Val)+" so a retry never "+repeatHarm(x.Provider.Val))
			}
			if len(guards) > 0 {
				s += ", with " + join(guards)
			} else {
				s += ", with no timeout, retry policy or idempotency key declared" + d.cite("resilience/timeouts", from)
			}
			out = append(out, s+".")
		}
		if x.Ack.Val == "optimistic" {
			s := name(x) + " answers optimistically: the answer means it accepted the request, not that it delivered; we assume it went through and check delivery later (the provider reports it)."
			if st := d.statusAfter(x); st != "" {
				s += " So the status recorded next is " + code(st) + ", not a delivered state."
			}
			out = append(out, s)
		}
	}
	return out
}

// statusAfter returns the status the caller of x records in the step that
// follows its call to x, in the first flow where that happens.
func (d *doc) statusAfter(x *model.Component) string {
	for _, f := range d.m.Flows {
		for i, st := range f.Steps {
			if st.Call.To.Target != x {
				continue
			}
			for _, next := range f.Steps[i+1:] {
				if next.Call.From == st.Call.From && next.Status.Val != "" {
					return next.Status.Val
				}
			}
		}
	}
	return ""
}

func (d *doc) shardDive() []string {
	var out []string
	for _, db := range d.sharded() {
		sh := db.Shards
		n := sh.Count.Val
		s := name(db) + " is split into " + model.Plural(n, "shard") + " by " + string(sh.Strategy.Val)
		if sh.Key.Set() {
			s += " on " + code(sh.Key.Val) + "; queries that do not include " + code(sh.Key.Val) + " must ask every shard"
		}
		out = append(out, s+".")
		if cl := d.est.Load(db); cl != nil {
			out = append(out, "Per shard "+d.est.a.When()+": "+code(num(cl.PeakRPS)+" ÷ "+itoa(n)+eq(shown(cl.PeakRPS)/float64(n), cl.PeakRPS/float64(n))+num(cl.PeakRPS/float64(n))+" rps")+" if keys spread evenly.")
		}
		out = append(out, "Growing "+itoa(n)+" → "+itoa(n+1)+" shards: hash mod n moves "+code(itoa(n)+"/"+itoa(n+1)+" = "+pct(hashModMoved(n)))+" of the keys; consistent hashing moves about "+code("1/"+itoa(n+1)+" = "+pct(consistentMoved(n)))+", only what the new shard takes over.")
		switch sh.Strategy.Val {
		case model.ConsistentHash:
			if sh.VNodes.Set() {
				v := sh.VNodes.Val
				out = append(out, count(v)+" virtual nodes per shard even out the ring: each shard's share varies by about "+code("√(("+itoa(n)+" − 1) ÷ ("+itoa(n)+" × "+itoa(v)+" + 1)) = "+pct(vnodeSpread(n, v)))+" (one standard deviation).")
			} else {
				out = append(out, "No virtual nodes declared: with one token per shard, shares are uneven (the busiest shard can carry several times the average); use 100–200 per shard.")
			}
		case model.HashMod:
			if sh.Growth.Val == "doubling" {
				out = append(out, "Hash mod n is tolerable here because growth is by doubling, which moves exactly half the keys, the minimum for doubling.")
			} else {
				out = append(out, "Hash mod n is the risk here: adding one shard reshuffles nearly all the data"+d.cite("shard/hash-mod-n", db)+"; consistent hashing fixes it.")
			}
		case model.Directory:
			out = append(out, "A directory maps keys to shards: flexible rebalancing, but the directory is on every query path and must be redundant.")
		case model.RangeSharding:
			out = append(out, "Range sharding keeps range scans on one shard, but new keys pile onto the last range: a hot shard.")
		}
	}
	return out
}

// weakHashes are algorithms fast enough to brute-force, or not hashes.
var weakHashes = map[string]bool{"md5": true, "sha1": true, "sha256": true, "sha512": true, "plaintext": true, "encrypted": true}

func (d *doc) authDive() []string {
	var out []string
	for _, a := range d.ofKind(model.AuthStore) {
		out = append(out, name(a)+" keeps credentials apart from the user profile: it is read on every login, so it stays small and hot, and a leak of profile data does not include password hashes.")
		ph := a.PasswordHash
		switch {
		case ph == nil:
			out = append(out, "The model does not say how passwords are hashed; say Argon2id with a per-user salt.")
		case weakHashes[ph.Algorithm.Val]:
			out = append(out, "Passwords use "+hashText(ph)+", which is fast or reversible: a stolen table is cracked in hours"+d.cite("auth/weak-password-hash", a)+". Use a slow, salted password hash: Argon2id, scrypt or bcrypt.")
		default:
			out = append(out, "Passwords are hashed with "+hashText(ph)+": one-way and deliberately slow, so a stolen table costs an attacker years, while a login pays milliseconds.")
		}
		switch a.Salt.Val {
		case "per_user":
			out = append(out, "A random salt per user is added before hashing, so equal passwords get different hashes and precomputed lookup tables are useless.")
		case "global":
			out = append(out, "One global salt defeats generic lookup tables but not a table built for this site; use a salt per user"+d.cite("auth/missing-salt", a)+".")
		default:
			out = append(out, "No salt: equal passwords share a hash and one lookup table cracks them all"+d.cite("auth/missing-salt", a)+".")
		}
	}
	return out
}

func (d *doc) surgeDive() []string {
	var out []string
	for _, wr := range d.ofKind(model.WaitingRoom) {
		s := "The surge is one we can prepare for, so " + name(wr) + " holds users in a queue at the edge"
		if wr.AdmitRPS.Set() {
			s += " and admits " + num(wr.AdmitRPS.Val) + " users/s"
		}
		s += ": users see their place in line instead of errors, and the back end sees only what it can serve."
		if peak, ok := d.m.Traffic.PeakLoad(); ok {
			s += " The peak is " + num(peak) + " rps"
			if d.m.Traffic.PeakMultiplier.Set() {
				avg, _ := d.m.Traffic.AverageRPS()
				s += " (" + code(num(avg)+" × "+short(d.m.Traffic.PeakMultiplier.Val)) + ")"
			}
			s += "."
		}
		out = append(out, s)
		for _, app := range d.ofKind(model.App) {
			if app.Capacity == nil || !app.Capacity.RPSPerInstance.Set() {
				continue
			}
			per := app.Capacity.RPSPerInstance.Val
			n := app.MaxInstances()
			safe := float64(n) * per * analysis.TargetUtilisation
			s := "Admission must stay within what " + subject(one(app), "serves", "serve") + " at the target: " + code(model.Plural(n, "instance")+" × "+num(per)+" rps × "+short(analysis.TargetUtilisation)+eq(float64(n)*shown(per)*analysis.TargetUtilisation, safe)+num(safe)+" rps")
			if wr.AdmitRPS.Set() && wr.AdmitRPS.Val > 0 {
				s += ", so " + num(wr.AdmitRPS.Val) + " admitted users/s fit if each sends at most " + code(num(safe)+" ÷ "+num(wr.AdmitRPS.Val)+eqShort(round2(shown(safe)/shown(wr.AdmitRPS.Val)), round2(safe/wr.AdmitRPS.Val))+short(round2(safe/wr.AdmitRPS.Val))) + " requests per second"
			}
			out = append(out, s+".")
			if app.Autoscale != nil {
				s := "Pre-scale before the sale: autoscaling reacts in minutes, a sale peaks in seconds, so start at the size the peak needs"
				if cl := d.est.Load(app); cl != nil && cl.Needed > 0 {
					s += " (" + model.Plural(cl.Needed, "instance") + " by the estimate in section 2)"
				}
				out = append(out, s+", not the autoscale minimum of "+count(app.MinInstances())+".")
			}
		}
		var warmed []*model.Component
		for _, c := range d.dataCaches() {
			if c.Prewarm.Val {
				warmed = append(warmed, c)
			}
		}
		if len(warmed) > 0 {
			out = append(out, subject(warmed, "is", "are")+" pre-warmed, so the first seconds of the sale do not hit the database cold.")
		}
		if wr.RateLimit != nil && wr.RateLimit.PerClientRPS.Set() {
			out = append(out, "A per-client limit of "+num(wr.RateLimit.PerClientRPS.Val)+" rps keeps bots and refresh-hammering from taking more than their share.")
		}
	}
	return out
}

// secs converts whole seconds to a duration.
func secs(n int) time.Duration { return time.Duration(n) * time.Second }

// repeatHarm is what a duplicate call to a provider would do.
func repeatHarm(p model.Provider) string {
	switch p {
	case model.ProviderEmail:
		return "sends the email twice"
	case model.ProviderPayment:
		return "charges twice"
	case model.ProviderSMS:
		return "sends the message twice"
	case model.ProviderPush:
		return "pushes the notification twice"
	}
	return "repeats the operation"
}

// writtenStores returns the databases c writes synchronously.
func writtenStores(c *model.Component) []*model.Component {
	var out []*model.Component
	for _, call := range c.Calls {
		if t := call.To.Target; t != nil && t.Kind.Val == model.Database && call.Op.Val.Writes() && call.Mode.Val == model.Sync {
			out = append(out, t)
		}
	}
	return out
}

// publishesThroughOutbox reports whether p publishes to q through an outbox.
func publishesThroughOutbox(p, q *model.Component) bool {
	for _, call := range p.Calls {
		if call.To.Target == q && call.Op.Val == model.OpPublish && call.Outbox.Val {
			return true
		}
	}
	return false
}
