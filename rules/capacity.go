package rules

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/analysis"
)

// connectionReserve is the share of a database's connections kept for
// administration and replication.
const connectionReserve = 0.1

// CapacityUnderProvisioned reports components that the stated peak
// saturates.
var CapacityUnderProvisioned = &Rule{
	ID:       "capacity/under-provisioned",
	Title:    "the stated peak exceeds a component's capacity",
	Severity: model.SeverityError,
	Doc: `At or above full utilisation a tier saturates: requests queue, latency
explodes, health checks fail and load shifts to the survivors, which is how
cascading failures start. Tiers should run at about 70% at peak, leaving
room for an instance failure and a rolling deploy.

Trigger: from the traffic section (average load, peak multiplier, read:write
ratio) the shared analysis carries the peak along synchronous calls,
publishes and consumption, with fan-out, cache hit ratios, read replicas
and balanced pools taken into account (without a peak multiplier, the
average load is used, a lower bound of the peak). A component whose
capacity is at or below its load fires: instances (the autoscale maximum)
× capacity.rps_per_instance; for databases read_qps and write_qps times
the shards. Where an unmanaged component states no capacity, a documented
rule of thumb stands in (a relational primary's writes/s, a database
node's reads/s, a cache node's operations/s, a reverse proxy's
requests/s; see README, overridable under reference_capacity in the model
or .archdiag.yaml); a finding that rests on one says so and is a warning.
Queues are left to queue/backlog-growth; numbers that nothing stands in
for are listed by capacity/missing-numbers.

Example:

    traffic: { baseline_rps: 1000, peak_multiplier: 3 }
    components:
      api: { kind: app, instances: 4, capacity: { rps_per_instance: 400 } }   # 3,000 > 1,600`,
	Fix: "Add instances (the message says how many keep the tier at 70%), cache reads, add read replicas or shards, or admit load at a sustainable rate.",
	Run: func(p *Pass) {
		// Read replicas of one primary overloaded alike are one cause: the
		// first carries the finding and names the others.
		reported := map[*model.Component]bool{}
		for _, f := range p.ix.load().Loaded() {
			c := f.Component
			if c.Kind.Val == model.Queue || f.Utilisation < 1 || reported[c] {
				continue
			}
			msg, assumed := overloadMessage(p.ix.load().When(), f)
			var alike []string
			if c.ReplicaOf.Target != nil {
				for _, r := range p.ix.replicasOf(c.ReplicaOf.Target) {
					if g := p.ix.load().Of(r); r != c && g.Utilisation >= 1 && g.Peak.Reads.Value == f.Peak.Reads.Value && g.Capacity.Value == f.Capacity.Value {
						reported[r] = true
						alike = append(alike, r.ID)
					}
				}
			}
			if len(alike) > 0 {
				msg += fmt.Sprintf("; the other replicas of '%s' (%s) receive the same", c.ReplicaOf.Target.ID, quoted(alike))
			}
			d := p.Reportf(c, capacityPos(c), "%s", msg)
			if assumed {
				d.Severity(model.SeverityWarning)
			}
		}
	},
}

// overloadMessage says what exceeds f's capacity at peak, with the
// arithmetic of both sides and what was assumed; assumed reports whether an
// exceeded capacity rests on a rule of thumb.
func overloadMessage(when string, f *analysis.Facts) (msg string, assumed bool) {
	c := f.Component
	switch {
	case c.Kind.Val == model.Database:
		var over []string
		if cp := f.Capacity; cp.Value > 0 {
			load := f.Peak.Reads
			if !load.Known() && !f.Peak.Writes.Known() {
				load = f.Peak.Total
			}
			if load.Value >= cp.Value {
				assumed = assumed || cp.Assumed != nil
				s := fmt.Sprintf("%s reads/s%s against %s", load.Number(), load.Paren(), cp.Stated())
				if caches := f.UnratedCaches; len(caches) > 0 {
					// Every read was counted as a miss: say what the cache
					// must answer instead of judging a hit ratio of 0.
					assumed = true
					ids := make([]string, len(caches))
					for i, c := range caches {
						ids[i] = c.ID
					}
					s += fmt.Sprintf(", counting every read as a miss of %s, which states no hit_ratio: %s must answer at least %s of them for '%s' to keep up",
						quoted(ids), agreeCaches(len(ids)), percent(1-cp.Value/load.Value), c.ID)
				}
				over = append(over, s)
			}
		}
		if cp := f.WriteCapacity; cp.Value > 0 && f.Peak.Writes.Value >= cp.Value {
			assumed = assumed || cp.Assumed != nil
			over = append(over, fmt.Sprintf("%s writes/s%s against %s", f.Peak.Writes.Number(), f.Peak.Writes.Paren(), cp.Stated()))
		}
		msg = fmt.Sprintf("%s '%s' receives %s: utilisation %s", when, c.ID, joinAnd(over), percent(f.Utilisation))
	default:
		assumed = f.Capacity.Assumed != nil
		msg = fmt.Sprintf("%s %s rps reach '%s'%s against a capacity of %s: utilisation %s",
			when, f.Peak.Total.Number(), c.ID, f.Peak.Total.Paren(), f.Capacity.Stated(), percent(f.Utilisation))
		if f.Needed > 0 {
			msg += fmt.Sprintf("; %s keep it at %s", model.Plural(f.Needed, "instance"), percent(analysis.TargetUtilisation))
		}
	}
	return msg, assumed
}

// agreeCaches is the subject for a number of caches: "it" or "together they".
func agreeCaches(n int) string {
	if n == 1 {
		return "it"
	}
	return "together they"
}

// capacityPos is where c's capacity is written, or its key.
func capacityPos(c *model.Component) model.Pos {
	if c.Capacity != nil {
		return c.Capacity.Pos
	}
	return c.Pos
}

// CapacityMissingNumbers lists the numbers the capacity rules lack.
var CapacityMissingNumbers = &Rule{
	ID:       "capacity/missing-numbers",
	Title:    "capacity checks were skipped for want of numbers",
	Severity: model.SeverityInfo,
	Doc: `An explicit "not checked" beats a silent pass or an invented default. The
capacity rules use only the numbers the model states; one finding lists
the missing ones, each with what it leaves unchecked, so the model can be
completed or the rule disabled.

Trigger: the load estimate misses at least one input: the traffic (average
load, peak multiplier, read:write ratio), an app server's
capacity.rps_per_instance, a primary's read_qps and write_qps, a worker's
service_time_ms or a cron job's batch_size, for components that receive
load. One finding per model, where the first missing number belongs.

Example:

    traffic: { baseline_rps: 50, peak_multiplier: 2, read_write_ratio: "9:1" }
    components:
      app: { kind: app, capacity: { rps_per_instance: 200 } }
      db: { kind: database, capacity: { read_qps: 5000, write_qps: 1000 } }`,
	Fix: "Add the missing numbers to the model, or disable capacity/missing-numbers in .archdiag.yaml.",
	Run: func(p *Pass) {
		miss := p.ix.load().Missing
		if len(miss) == 0 {
			return
		}
		// One finding, where the first missing number belongs: the traffic,
		// or the first component that lacks one.
		var pos model.Pos
		if p.Model.Traffic != nil {
			pos = p.Model.Traffic.Pos
		}
		if c := miss[0].Component; c != nil {
			pos = c.Pos
		}
		var what []string
		for _, m := range miss {
			what = append(what, m.Text+unchecked(m))
		}
		p.Reportf(nil, pos, "capacity checks were skipped for want of %s", strings.Join(what, "; "))
	},
}

// unchecked says what a missing number leaves unchecked.
func unchecked(m analysis.Missing) string {
	switch m.Field {
	case "traffic.read_write_ratio":
		return ", so every call carries the whole load and each store is judged against more than it gets"
	case "traffic", "traffic.baseline_rps":
		return ", so no load is estimated and no capacity checked"
	case "traffic.peak_multiplier":
		return ", so capacity is checked only against the average load"
	case "capacity.rps_per_instance":
		return ", so the utilisation of '" + m.Component.ID + "' is not checked"
	case "capacity.read_qps":
		return ", so the read and write load on '" + m.Component.ID + "' is not checked"
	case "autoscale.max":
		return ", so whether '" + m.Component.ID + "' can grow to what the load needs is not checked"
	case "batch_size":
		for _, call := range m.Component.Calls {
			if call.Op.Val.Consumes() {
				return ", so how fast '" + m.Component.ID + "' drains its queue is unknown"
			}
		}
		return ", so the work '" + m.Component.ID + "' starts on its schedule is not counted"
	case "service_time_ms":
		return ", so how fast '" + m.Component.ID + "' drains its queue is unknown"
	}
	return ""
}

// joinAnd is "a", "a and b", "a, b and c".
func joinAnd(s []string) string {
	if len(s) <= 1 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// CapacityDBConnections reports databases that their callers' connection
// pools can exhaust.
var CapacityDBConnections = &Rule{
	ID:       "capacity/db-connections",
	Title:    "connection pools can exceed a database's connection limit",
	Severity: model.SeverityError,
	Doc: `Every instance of a caller holds its own pool of database connections, so
the total grows as the callers scale out, and the limit is hit exactly when
autoscaling adds instances during a peak. About 10% of the connections
should stay free for administration and replication.

Trigger: a database with capacity.max_connections where the sum over the
components that call it of (most instances, the autoscale maximum when
autoscaled, × db_pool_size) exceeds 90% of max_connections. Callers without
db_pool_size are left out of the sum and named in the message.

Example:

    app: { kind: app, autoscale: { min: 4, max: 20 }, db_pool_size: 20, calls: [db] }
    db: { kind: database, managed: true, capacity: { max_connections: 300 } }   # 400 > 270`,
	Fix: "Shrink the pools (about peak queries per second per instance × query time), put a connection pooler in front of the database, or raise max_connections.",
	Run: func(p *Pass) {
		for _, c := range p.Model.Components {
			if c.Kind.Val != model.Database || c.Capacity == nil || !c.Capacity.MaxConnections.Set() {
				continue
			}
			var parts, unknown []string
			var seen []*model.Component
			total := 0
			for _, call := range p.ix.callers(c) {
				u := call.From
				if slices.Contains(seen, u) {
					continue
				}
				seen = append(seen, u)
				if !u.DBPoolSize.Set() {
					unknown = append(unknown, u.ID)
					continue
				}
				n := u.MaxInstances() * u.DBPoolSize.Val
				total += n
				parts = append(parts, fmt.Sprintf("'%s' %s × %d", u.ID, model.Plural(u.MaxInstances(), "instance"), u.DBPoolSize.Val))
			}
			limit := c.Capacity.MaxConnections.Val
			usable := int(math.Floor(float64(limit) * (1 - connectionReserve)))
			if total <= usable {
				continue
			}
			msg := fmt.Sprintf("%s open up to %s connections to '%s', over the %s of its %s max_connections that leave %s for administration and replication",
				joinAnd(parts), model.Rate(float64(total)), c.ID, model.Rate(float64(usable)), model.Rate(float64(limit)), percent(connectionReserve))
			if len(unknown) > 0 {
				msg += fmt.Sprintf(" (not counting %s, with no db_pool_size)", quoted(unknown))
			}
			d := p.Reportf(c, c.Capacity.MaxConnections.Pos, "%s", msg)
			for _, u := range seen {
				d.Related(u.DBPoolSize.Pos, "%s db_pool_size", u.ID)
			}
		}
	},
}

// surgeMultiplier is the peak-to-average ratio from which the traffic
// counts as a surge.
const surgeMultiplier = 5

// SurgeNoAdmissionControl reports surges that reach an app tier with no
// admission control in front.
var SurgeNoAdmissionControl = &Rule{
	ID:       "surge/no-admission-control",
	Title:    "a traffic surge exceeds the app tier with nothing admitting users at a set rate",
	Severity: model.SeverityError,
	Doc: `A known event, such as a ticket on-sale, brings 10 to 100 times the usual
load within seconds: autoscaling cannot start instances that fast. A
waiting room admits users at the rate the back end sustains and tells the
others where they stand; pre-scaling and pre-warmed caches do the rest.

Trigger: the peak is at least 5 times the average load, the peak load that
reaches an app server exceeds its capacity at its minimum instances, and
every synchronous path from the clients to it avoids a waiting room and any
component with a global rate limit (rate_limit.global_rps; per-client limits
do not cap a crowd). Error when the peak also exceeds the capacity at the
autoscale maximum; warning when only the minimum falls short.

Example:

    traffic: { baseline_rps: 2000, peak_multiplier: 20 }
    components:
      fans: { kind: client, calls: [waiting-room] }
      waiting-room: { kind: waiting_room, managed: true, admit_rps: 30000, calls: [lb] }`,
	Fix: "Put a waiting room (or a global rate limit) in front of the app tier with an admission rate it can sustain, and pre-scale before the event.",
	Run: func(p *Pass) {
		t := p.Model.Traffic
		avg, okAvg := t.AverageRPS()
		peak, okPeak := t.PeakLoad()
		if !okAvg || !okPeak || avg <= 0 || peak < surgeMultiplier*avg {
			return
		}
		open := unadmitted(p.ix)
		for i, c := range p.Model.Components {
			f := p.ix.load().Of(c)
			if c.Kind.Val != model.App || !open[i] || !f.Capacity.Known() {
				continue
			}
			minCap := f.Capacity
			if f.MinCapacity.Known() {
				minCap = f.MinCapacity
			}
			load := f.Peak.Total
			if load.Value <= minCap.Value {
				continue
			}
			at := ""
			if f.MinCapacity.Known() {
				at = " at its autoscale minimum"
			}
			d := p.Reportf(c, model.Pos{}, "the peak is %s× the average (%s rps against %s) and %s rps reach '%s', over its capacity of %s%s; no waiting room or global rate limit stands in front of it",
				model.Rate(peak/avg), model.Rate(peak), model.Rate(avg), load.Number(), c.ID, minCap.Stated(), at)
			if load.Value <= f.Capacity.Value || len(f.Assumed()) > 0 {
				d.Severity(model.SeverityWarning)
			}
			d.Related(t.Pos, "traffic")
		}
	},
}

// unadmitted marks the components that the clients reach along synchronous
// calls without passing a waiting room or a global rate limit.
func unadmitted(ix *index) []bool {
	open, _ := ix.reachFromEntries(func(call *model.Call) bool {
		t := call.To.Target
		admits := t.Kind.Val == model.WaitingRoom || (t.RateLimit != nil && t.RateLimit.GlobalRPS.Set())
		return call.Mode.Val == model.Sync && !call.Op.Val.Consumes() && !admits
	})
	return open
}

// CapacityStorageGrowth reports stores whose data outgrows their nodes.
var CapacityStorageGrowth = &Rule{
	ID:       "capacity/storage-growth",
	Title:    "a store's data outgrows what its nodes hold within three years",
	Severity: model.SeverityWarning,
	Doc: `A database that outgrows one node's disk has to be sharded, or its large
records moved to object storage, and doing either under pressure is far
harder than planning it: a move that copies terabytes takes days.

Trigger: a database or auth store whose growth is known, from
storage.growth_gb_per_day or from its entities' record_bytes (and
records_per_write, default 1) times the average writes that reach it,
holds more after three years (or its retention_days, when shorter) than
its nodes: storage.node_capacity_gb, or the reference of about 1,000 GB a
node, times its shards. Error when the model states the node capacity and
even one year's data does not fit; otherwise a warning. Object storage
grows without such a limit and is not checked.

Example:

    pastes-db:
      kind: database
      storage: { growth_gb_per_day: 3 }   # 3,285 GB after three years`,
	Fix: "Shard the store (consistent hashing keeps moves small), move large records to object storage and keep references, or set a retention that deletes old data.",
	Run: func(p *Pass) {
		for _, f := range p.ix.load().Facts {
			st := f.Storage
			if st == nil || !st.NodeCapacity.Known() || st.Year3.Value <= st.NodeCapacity.Value {
				continue
			}
			c := f.Component
			when, held := "three years", st.Year3
			if st.Year1.Value > st.NodeCapacity.Value {
				when, held = "one year", st.Year1
			}
			msg := fmt.Sprintf("'%s' grows %s: within %s it holds %s, over the %s its nodes hold",
				c.ID, st.PerDay, when, held, st.NodeCapacity)
			if r := st.NodeCapacity.Assumed; r != nil {
				msg += " (" + r.Assumption() + ")"
			}
			if c.Shards == nil {
				msg += ", and it is not sharded"
			}
			d := p.Reportf(c, model.Pos{}, "%s", msg)
			if when == "one year" && st.NodeCapacity.Assumed == nil {
				d.Severity(model.SeverityError)
			}
		}
	},
}
