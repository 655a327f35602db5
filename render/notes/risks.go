package notes

import (
	"slices"
	"strings"

	"github.com/archdiag/archdiag/model"
)

// tradeOff is a fix phrased for an interview: we gain, we pay, and why the
// price is acceptable.
type tradeOff struct{ gain, pay, because string }

// tradeOffs covers every rule the lint engine reports. The component's name
// replaces {c}.
var tradeOffs = map[string]tradeOff{
	"spof/single-instance":            {"a system that survives losing {c}", "a second instance or a managed service, plus replication if {c} holds state", "{c} is on every path to something critical, so its failure is a full outage"},
	"lb/single-instance":              {"no single box in front of every request", "a second load balancer (an active-passive pair behind a floating IP, or a managed one)", "it costs little next to an outage of the whole site"},
	"lb/no-health-check":              {"a pool that drops a dead server within a few check intervals", "a health endpoint to maintain and some probe traffic", "without it a crashed server keeps receiving its share of requests"},
	"state/local-sessions":            {"interchangeable app servers that we add and remove freely", "a shared session store (or signed tokens) and a network hop per request", "sessions in one server's memory log users out whenever a request lands elsewhere"},
	"state/sticky-sessions":           {"even load and painless scale-in", "the work of moving sessions to a shared store", "sticky sessions log out a failed server's users and let hot users skew the load"},
	"state/local-uploads":             {"uploads that survive the loss of a server and that every server sees", "object-storage calls instead of local file writes", "a file on one server's disk is invisible to the others and dies with it"},
	"db/no-failover":                  {"a standby that takes over in seconds to minutes", "a second database server, replication, and possibly the last writes with async replication", "{c} holds data every write path needs"},
	"db/write-to-replica":             {"writes that land on the primary, the only node that accepts them", "separate routing for writes and reads in the app", "a replica is a read-only copy: writes there fail or diverge"},
	"db/read-after-write-lag":         {"users who see their own writes", "extra load on the primary from reading a writer's recent data there", "async replicas lag, so a read right after a write can miss it"},
	"cache/read-through-spof":         {"a cache outage that costs latency, not availability", "miss handling in the app (cache-aside)", "read-through puts {c} on every read path"},
	"cache/no-expiry":                 {"stale entries that age out on their own", "more misses and database reads after each TTL", "without a TTL a missed invalidation serves stale data indefinitely"},
	"queue/no-consumer":               {"messages that get processed", "a worker or cron job to run and watch", "a queue nobody consumes only grows"},
	"queue/orphan-consumer":           {"a consumer with something to consume", "the work of wiring the producer or removing the consumer", "a consumer of a queue nobody publishes to does nothing"},
	"queue/no-dlq":                    {"poison messages that stop looping and are kept for inspection", "a dead-letter queue to watch and a way to replay it", "a malformed job otherwise retries forever or is dropped silently"},
	"queue/dlq-unmonitored":           {"news of a failed job within minutes, for example in a chat channel", "an alert and the occasional noise", "a dead-letter queue nobody watches is where jobs go to be forgotten"},
	"async/slow-call-on-request-path": {"an answer to the user in milliseconds", "a queue, a worker and a status field to track the job", "nobody should wait seconds for an email or a webhook"},
	"async/no-status-field":           {"records whose place in the workflow support and users can see", "a status column and an update at every step", "without it a stuck job is invisible"},
	"cron/invalid-schedule":           {"a job that runs when we think it does", "a minute checking the expression", "a schedule that does not parse never runs"},
	"cron/single-runner":              {"jobs that keep flowing when a runner's host dies", "a lock or leader election so two runners never take the same batch", "one runner is a single point of failure for the whole backlog"},
	"shard/hash-mod-n":                {"resharding that moves about 1/(n+1) of the keys instead of n/(n+1)", "a hash ring with virtual nodes and a lookup per key", "resharding then copies a fraction of the data, not nearly all of it"},
	"cdn/misplaced":                   {"static content served from the edge, outside the back end", "a CDN pointed at an origin instead of routed through the back end", "a CDN behind the load balancer offloads nothing"},
	"capacity/under-provisioned":      {"headroom at peak", "more instances", "past the 70% target latency climbs steeply, and past 100% requests queue and fail"},
	"capacity/missing-numbers":        {"numbers to size each tier", "the work of estimating traffic and load-testing one instance", "without them every capacity claim is a guess"},
	"surge/no-admission-control":      {"a back end that sees only the load it can serve, and users who see a queue position instead of errors", "a waiting room, and users who wait", "a surge we can prepare for should not take the site down"},
	"auth/weak-password-hash":         {"a stolen table that costs attackers years rather than hours", "tens of milliseconds of CPU per login", "logins are rare next to other requests"},
	"auth/missing-salt":               {"different hashes for equal passwords, so precomputed tables are useless", "a salt stored beside each hash", "without salts one lookup table cracks every common password"},
	"resilience/sync-fanout":          {"one round trip per request instead of one per item", "a batch endpoint or a cache next to {c}", "the slowest of many calls sets the latency, and each call multiplies the callee's load"},
	"resilience/timeouts":             {"slow dependencies that fail fast instead of holding every thread", "timeouts to choose and errors to handle", "one hung call without a timeout can exhaust the caller's pool"},
	"async/dual-write":                {"a message that is queued if and only if the row is committed", "a transactional outbox table and a relay that publishes from it", "a crash between the write and the publish otherwise loses the job or sends it for a write that never happened"},
	"capacity/db-connections":         {"a database that keeps accepting connections at peak", "smaller pools per instance, or a connection pooler in front of the database", "every new instance opens its own pool, so the limit is hit exactly when autoscaling adds instances"},
	"queue/backlog-growth":            {"a queue that drains after each peak", "more consumers, more concurrency or bigger batches", "a queue only flattens the curve while the consumers outpace the average rate"},
	"ratelimit/missing-at-edge":       {"capacity kept for the clients that behave, and a fast 429 with Retry-After for the rest", "a limit to choose per client and in all, and clients that must back off", "one bot or retry storm can otherwise take all of {c}'s capacity"},
	"model/unused-suppression":        {"suppressions that still mean something", "deleting the stale suppression", "a suppression that silences nothing hides the next real finding"},
	"model/unreachable-component":     {"a diagram that shows only what runs", "the work of wiring or removing {c}", "an unreachable component is either dead weight or a missing call"},
}

func (d *doc) tradeOffText(f model.Finding) string {
	to, ok := tradeOffs[f.Rule]
	if !ok {
		return ""
	}
	c := "it"
	if comp := d.m.Component(f.Component); comp != nil {
		c = name(comp)
	}
	r := func(s string) string { return strings.ReplaceAll(s, "{c}", c) }
	return "We gain " + r(to.gain) + "; we pay " + r(to.pay) + "; acceptable because " + r(to.because) + "."
}

func (d *doc) risks() {
	d.w.heading(2, secRisks)
	if !d.linted {
		d.w.para("Lint was not run for these notes, so no bottlenecks or single points of failure are listed; run " + code("archdiag lint") + " on the model and generate the notes with its findings.")
		return
	}
	// Errors before warnings before infos; the given order within each.
	findings := slices.Clone(d.findings)
	slices.SortStableFunc(findings, func(a, b model.Finding) int { return int(b.Severity) - int(a.Severity) })
	var serious, info, suppressed []string
	for _, f := range findings {
		line := d.findingLine(f)
		switch {
		case f.Suppressed:
			s := line
			if f.Justification != "" {
				s += " Accepted: " + sentence(esc(f.Justification))
			}
			suppressed = append(suppressed, s)
		case f.Severity >= model.SeverityWarning:
			if t := d.tradeOffText(f); t != "" {
				line += " " + t
			}
			serious = append(serious, line)
		case f.Severity == model.SeverityInfo:
			info = append(info, line)
		}
	}
	if len(serious) == 0 {
		d.w.para("Lint found no errors or warnings.")
	} else {
		d.w.para("From the lint findings, errors first, each fix as a trade-off:")
		d.w.bullets(serious)
	}
	if len(suppressed) > 0 {
		d.w.para("Risks accepted on purpose (suppressed, with the reason):")
		d.w.bullets(suppressed)
	}
	if len(info) > 0 {
		d.w.para("Things to mention if asked:")
		d.w.bullets(info)
	}
}

func (d *doc) findingLine(f model.Finding) string {
	s := ""
	if c := d.m.Component(f.Component); c != nil {
		s = bold(name(c)) + ", "
	}
	s += code(f.Rule) + " (" + f.Severity.String() + "): " + sentence(esc(f.Message))
	if f.Fix != "" {
		s += " Fix: " + sentence(esc(f.Fix))
	}
	return s
}

// spofRules are the rules whose findings call a component a single point
// of failure.
var spofRules = []string{"spof/single-instance", "lb/single-instance", "db/no-failover", "cache/read-through-spof", "cron/single-runner", "spof/single-zone"}

// spofFinding returns lint's finding that makes c a single point of
// failure, or nil when lint reports none.
func (d *doc) spofFinding(c *model.Component) *model.Finding {
	for _, r := range spofRules {
		if f := d.finding(r, c); f != nil {
			return f
		}
	}
	return nil
}

// spofCite cites the finding that makes c a single point of failure, or ""
// when lint reports none.
func (d *doc) spofCite(c *model.Component) string {
	if f := d.spofFinding(c); f != nil {
		return d.cite(f.Rule, c)
	}
	return ""
}
