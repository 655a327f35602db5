package rules

import (
	"fmt"

	"github.com/archdiag/archdiag/model"
)

// Timeouts reports synchronous calls without a timeout, or with a timeout
// shorter than what the callee may spend on one call of its own.
var Timeouts = &Rule{
	ID:       "resilience/timeouts",
	Title:    "a synchronous call has no timeout, or a shorter one than its callee needs",
	Severity: model.SeverityWarning,
	Doc: `Without a timeout, a slow dependency holds a thread or connection of its
caller for each waiting request until the caller runs out of them, and the
slowness spreads upstream. With a timeout shorter than what the callee may
spend on one of its own calls, the caller gives up while the callee keeps
working on a request nobody will read.

Trigger: the calls judged are synchronous calls made by back-end
components (clients, DNS, CDNs and waiting rooms answer at the edge and are
left out). When no call of the model declares timeout_ms, the model does
not state timeouts at all: one info finding counts the calls judged. When
some calls declare one, each call judged without timeout_ms is a warning;
so is a call A -> B whose timeout_ms is no longer than the longest single
call of B, counting its retries (max_attempts × timeout_ms). A call that
async/slow-call-on-request-path reports as an error gets no second finding
here.

Example:

    lb:
      kind: load_balancer
      calls:
        - { to: app, timeout_ms: 3000 }`,
	Fix: "Give every synchronous call a timeout derived from the callee's latency, and keep each caller's timeout above the worst case of the calls it waits for.",
	Run: func(p *Pass) {
		var judged []*model.Call
		stated := false
		for _, call := range p.Model.Calls() {
			stated = stated || call.TimeoutMS.Set()
			if call.Mode.Val == model.Sync && !call.Op.Val.Consumes() && call.From.Kind.Val.Tier() != model.TierEdge {
				judged = append(judged, call)
			}
		}
		if len(judged) == 0 {
			return
		}
		if !stated {
			d := p.Reportf(nil, model.Pos{}, "no call in the model declares timeout_ms: %s between back-end components wait as long as the callee takes, so one slow dependency ties up the threads and connections of everything that calls it",
				model.Plural(len(judged), "synchronous call")).Severity(model.SeverityInfo)
			for _, call := range judged[:min(len(judged), maxNames)] {
				d.Related(call.Pos, "%s", call)
			}
			return
		}
		for _, call := range judged {
			from, to := call.From, call.To.Target
			if p.ix.reportsError(SlowCallOnRequestPath, call) {
				continue
			}
			if !call.TimeoutMS.Set() {
				p.Reportf(from, call.Pos, "'%s' calls '%s' synchronously with no timeout: if '%s' hangs, '%s' holds a connection for each waiting request until it runs out", from.ID, to.ID, to.ID, from.ID)
				continue
			}
			worst, longest, attempts := 0, (*model.Call)(nil), 1
			for _, inner := range to.Calls {
				if inner.Mode.Val != model.Sync || inner.Op.Val.Consumes() || !inner.TimeoutMS.Set() {
					continue
				}
				n := 1
				if inner.Retries != nil && inner.Retries.MaxAttempts.Set() {
					n = inner.Retries.MaxAttempts.Val
				}
				if w := n * inner.TimeoutMS.Val; w > worst {
					worst, longest, attempts = w, inner, n
				}
			}
			if longest == nil || call.TimeoutMS.Val > worst {
				continue
			}
			how := ms(worst)
			if attempts > 1 {
				how = model.Plural(attempts, "attempt") + " × " + ms(longest.TimeoutMS.Val) + " = " + ms(worst)
			}
			p.Reportf(from, call.TimeoutMS.Pos, "'%s' gives up on '%s' after %s, but one call of '%s' alone can take %s (%s): '%s' abandons requests that '%s' is still working on",
				from.ID, to.ID, ms(call.TimeoutMS.Val), to.ID, how, longest, from.ID, to.ID).
				Related(longest.Pos, "%s", longest)
		}
	},
}

// UnsafeRetry reports retries that repeat side effects or synchronise.
var UnsafeRetry = &Rule{
	ID:       "resilience/unsafe-retry",
	Title:    "a call is retried without an idempotency key, or without backoff and jitter",
	Severity: model.SeverityWarning,
	Doc: `A retry repeats whatever the first attempt did before it timed out:
retrying a write or a call to a provider (charge a card, send an email)
without an idempotency key charges or sends twice. And retries that wait
a fixed time, or not at all, synchronise: after an outage every caller
retries at the same moments, and the recovering service takes the herd.

Trigger: a call with retries.max_attempts above 1 that writes (op: write
or read_write) or calls a provider that sends or charges (email, payment,
SMS, push, webhook) without idempotency_key (error); or a retried call
whose backoff is not exponential or that has no jitter (warning). Calls
from one caller with the same retry policy and the same problem are one
finding, naming each target.

Example:

    calls:
      - to: payments
        timeout_ms: 10000
        retries: { max_attempts: 3, backoff: exponential, jitter: true }
        idempotency_key: order_id`,
	Fix: "Send an idempotency key with every retried write or provider call, and retry with capped exponential backoff and jitter.",
	Run: func(p *Pass) {
		// One finding per caller, policy and problem.
		type key struct {
			from     *model.Component
			problem  string // "idempotency" or the backoff text
			attempts int
		}
		var order []key
		groups := map[key][]*model.Call{} // looked up only
		add := func(k key, call *model.Call) {
			if groups[k] == nil {
				order = append(order, k)
			}
			groups[k] = append(groups[k], call)
		}
		for _, call := range p.Model.Calls() {
			r, to := call.Retries, call.To.Target
			if r == nil || r.MaxAttempts.Val <= 1 || to == nil {
				continue
			}
			// Providers that send or charge act on every attempt.
			acts := to.Kind.Val == model.External && to.Provider.Set() && to.Provider.Val != model.ProviderOther
			sideEffects := call.Op.Val.Writes() || acts
			if sideEffects && call.IdempotencyKey.Val == "" {
				add(key{call.From, "idempotency", r.MaxAttempts.Val}, call)
			}
			if r.Backoff.Val != "exponential" || !r.Jitter.Val {
				how := "no backoff"
				if r.Backoff.Set() && r.Backoff.Val != "none" {
					how = r.Backoff.Val + " backoff"
				}
				if r.Backoff.Val == "exponential" {
					how = "exponential backoff"
				}
				if !r.Jitter.Val {
					how += " and no jitter"
				}
				add(key{call.From, how, r.MaxAttempts.Val}, call)
			}
		}
		for _, k := range order {
			calls := groups[k]
			attempts := model.Plural(k.attempts, "attempt")
			targets := callerTargets(calls)
			var d *Diagnostic
			if k.problem == "idempotency" {
				what, it := "its call to", "'"+targets[0]+"'"
				if len(targets) > 1 {
					what, it = "its calls to", "the callee"
				}
				d = p.Reportf(k.from, calls[0].Retries.Pos, "'%s' retries %s %s (%s) with no idempotency_key: when an attempt times out after %s acted, the next one acts again, a second write, charge or email",
					k.from.ID, what, quoted(targets), attempts, it).Severity(model.SeverityError)
			} else {
				herd := quoted(targets) + " takes them"
				if len(targets) > 1 {
					herd = "each of them takes the retries"
				}
				d = p.Reportf(k.from, calls[0].Retries.Pos, "'%s' retries %s (%s) with %s: after an outage every caller retries at the same moments, and %s all at once as it recovers",
					k.from.ID, quoted(targets), attempts, k.problem, herd)
			}
			for _, call := range calls[1:] {
				d.Related(call.Retries.Pos, "%s", call)
			}
		}
	},
}

// syncFanoutLimit is the calls per request from which a synchronous
// fan-out is reported: an N+1 pattern rather than a few parallel reads.
const syncFanoutLimit = 10

// SyncFanout reports request handlers that wait for many synchronous calls.
var SyncFanout = &Rule{
	ID:       "resilience/sync-fanout",
	Title:    "a request waits for many synchronous calls to one callee",
	Severity: model.SeverityWarning,
	Doc: `A call made once per item of a list (a lookup for every friend in a search,
a read for every post in a feed) turns one request into tens or hundreds of
round trips. The user waits for all of them, the slowest one sets the
latency, and the callee takes the multiplied load: the N+1 problem of
services.

Trigger: a component on the request path (reached from the clients along
synchronous calls) with a synchronous call whose fanout is 10 or more. One
finding per component, naming every such call and the calls per request in
all.

Example:

    user-graph:
      kind: app
      calls:
        - { to: lookup, op: read, fanout: 50 }   # 50 lookups for every search`,
	Fix: "Batch the calls into one (a multi-get by ids), answer them from a cache next to the caller, or move the fan-out behind a queue off the request path.",
	Run: func(p *Pass) {
		for _, c := range p.Model.Components {
			if !p.ix.onRequestPath(c) {
				continue
			}
			var parts []string
			var calls []*model.Call
			total := 0.0
			for _, call := range c.Calls {
				if call.Mode.Val != model.Sync || call.Op.Val.Consumes() || call.Op.Val == model.OpPublish || call.Fanout() < syncFanoutLimit {
					continue
				}
				calls = append(calls, call)
				total += call.Fanout()
				parts = append(parts, fmt.Sprintf("%s to '%s'", model.Rate(call.Fanout()), call.To.Name))
			}
			if len(calls) == 0 {
				continue
			}
			d := p.Reportf(c, calls[0].Pos, "each request '%s' serves makes %s synchronous calls (%s): it waits for all of them, the slowest sets its latency, and the callees take the load multiplied",
				c.ID, model.Rate(total), joinAnd(parts))
			for _, call := range calls[1:] {
				d.Related(call.Pos, "fanout %s to %s", model.Rate(call.Fanout()), call.To.Name)
			}
		}
	},
}
