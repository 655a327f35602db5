package rules

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/archdiag/archdiag/model"
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
ratio) the load estimate carries the peak along synchronous calls, publishes
and consumption, with cache hit ratios and read replicas taken into
account. A component whose declared capacity (instances, or the autoscale
maximum, × capacity.rps_per_instance; read_qps and write_qps for databases)
is at or below its peak load fires. Queues are left to queue/backlog-growth.
Nothing is guessed: components without numbers are listed by
capacity/missing-numbers.

Example:

    traffic: { baseline_rps: 1000, peak_multiplier: 3 }
    components:
      api: { kind: app, instances: 4, capacity: { rps_per_instance: 400 } }   # 3,000 > 1,600`,
	Fix: "Add instances (the message says how many keep the tier at 70%), cache reads, add read replicas or shards, or admit load at a sustainable rate.",
	Run: func(p *Pass) {
		for _, cl := range p.ix.load().Loads {
			c := cl.Component
			if c.Kind.Val == model.Queue || cl.Utilisation < 1 || (cl.Capacity <= 0 && cl.WriteCapacity <= 0) {
				continue
			}
			var msg string
			if c.Kind.Val == model.Database {
				var got []string
				if cl.ReadRPS > 0 {
					got = append(got, model.Rate(cl.ReadRPS)+" reads/s")
				}
				if cl.WriteRPS > 0 {
					got = append(got, model.Rate(cl.WriteRPS)+" writes/s")
				}
				msg = fmt.Sprintf("at peak '%s' receives %s (%s) against a capacity of %s: utilisation %s",
					c.ID, joinAnd(got), cl.Formula, cl.CapacityHow, percent(cl.Utilisation))
			} else {
				msg = fmt.Sprintf("at peak %s rps reach '%s' (%s) against a capacity of %s: utilisation %s",
					model.Rate(cl.PeakRPS), c.ID, cl.Formula, cl.CapacityHow, percent(cl.Utilisation))
				if cl.Needed > 0 {
					msg += fmt.Sprintf("; %s keep it at %s", model.Plural(cl.Needed, "instance"), percent(model.TargetUtilisation))
				}
			}
			p.Reportf(c, capacityPos(c), "%s", msg)
		}
	},
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
func unchecked(m model.Missing) string {
	switch m.Field {
	case "traffic.read_write_ratio":
		return ", so no database's read or write capacity is checked"
	case "traffic", "traffic.baseline_rps", "traffic.peak_multiplier":
		return ", so no load is estimated and no capacity checked"
	case "capacity.rps_per_instance":
		return ", so the utilisation of '" + m.Component.ID + "' is not checked"
	case "capacity.read_qps":
		return ", so the read and write load on '" + m.Component.ID + "' is not checked"
	case "service_time_ms", "batch_size":
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
			cl := p.ix.load().Load(c)
			if c.Kind.Val != model.App || !open[i] || cl == nil || c.Capacity == nil || !c.Capacity.RPSPerInstance.Set() {
				continue
			}
			per := c.Capacity.RPSPerInstance.Val
			minCap := float64(c.MinInstances()) * per
			maxCap := float64(c.MaxInstances()) * per
			if cl.PeakRPS <= minCap {
				continue
			}
			d := p.Reportf(c, model.Pos{}, "the peak is %s× the average (%s rps against %s) and %s rps reach '%s', over its %s rps at %s; no waiting room or global rate limit stands in front of it",
				model.Rate(peak/avg), model.Rate(peak), model.Rate(avg), model.Rate(cl.PeakRPS), c.ID, model.Rate(minCap), model.Plural(c.MinInstances(), "instance"))
			if cl.PeakRPS <= maxCap {
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
