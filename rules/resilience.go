package rules

import (
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

Trigger: a synchronous call made by a back-end component (clients, DNS,
CDNs and waiting rooms answer at the edge and are left out) without
timeout_ms; or a call A -> B with timeout_ms no longer than the longest
single call of B, counting its retries (max_attempts × timeout_ms).

Example:

    lb:
      kind: load_balancer
      calls:
        - { to: app, timeout_ms: 3000 }`,
	Fix: "Give every synchronous call a timeout derived from the callee's latency, and keep each caller's timeout above the worst case of the calls it waits for.",
	Run: func(p *Pass) {
		for _, call := range p.Model.Calls() {
			from, to := call.From, call.To.Target
			if call.Mode.Val != model.Sync || call.Op.Val.Consumes() || from.Kind.Val.Tier() == model.TierEdge {
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
whose backoff is not exponential or that has no jitter (warning).

Example:

    calls:
      - to: payments
        timeout_ms: 10000
        retries: { max_attempts: 3, backoff: exponential, jitter: true }
        idempotency_key: order_id`,
	Fix: "Send an idempotency key with every retried write or provider call, and retry with capped exponential backoff and jitter.",
	Run: func(p *Pass) {
		for _, call := range p.Model.Calls() {
			r, to := call.Retries, call.To.Target
			if r == nil || r.MaxAttempts.Val <= 1 || to == nil {
				continue
			}
			attempts := model.Plural(r.MaxAttempts.Val, "attempt")
			// Providers that send or charge act on every attempt.
			acts := to.Kind.Val == model.External && to.Provider.Set() && to.Provider.Val != model.ProviderOther
			sideEffects := call.Op.Val.Writes() || acts
			if sideEffects && call.IdempotencyKey.Val == "" {
				p.Reportf(call.From, r.Pos, "'%s' retries its call to '%s' (%s) with no idempotency_key: when an attempt times out after '%s' acted, the next one acts again, a second write, charge or email",
					call.From.ID, to.ID, attempts, to.ID).Severity(model.SeverityError)
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
				p.Reportf(call.From, r.Pos, "'%s' retries '%s' (%s) with %s: after an outage every caller retries at the same moments, and '%s' takes them all at once as it recovers",
					call.From.ID, to.ID, attempts, how, to.ID)
			}
		}
	},
}
