package rules

import (
	"fmt"
	"strings"

	"github.com/archdiag/archdiag/model"
)

// SlowCallOnRequestPath reports slow third-party calls made while the user
// waits.
var SlowCallOnRequestPath = &Rule{
	ID:       "async/slow-call-on-request-path",
	Title:    "a slow third-party call is made while the user waits",
	Severity: model.SeverityError,
	Doc: `Sending an email can take seconds, and the provider can be down. Made inline,
the call adds its latency and its failures to every request that makes it.
The usual design saves the record with a status, queues the job, answers
the user at once, and lets a worker or cron job call the provider.

Trigger: a synchronous call to an external provider of kind email, sms,
push, webhook or payment, made by a component on the request path (reached
from a client along synchronous calls). For payment, a warning instead of
an error when the call has a timeout, an idempotency key and a fallback or
degrade, since a user often does wait for a payment.

Example:

    app:
      calls:
        - { to: email-api, timeout_ms: 5000 }   # send it from a worker instead`,
	Fix: "Queue the work, answer the user at once, and have a worker call the provider with a timeout, retries and an idempotency key, tracking progress in a status field.",
	Run: func(p *Pass) {
		for _, call := range p.Model.Calls() {
			t := call.To.Target
			prov := t.Provider.Val
			if t.Kind.Val != model.External || (!prov.Slow() && prov != model.ProviderPayment) || call.Mode.Val != model.Sync || !p.ix.onRequestPath(call.From) {
				continue
			}
			path := p.ix.requestPath(call.From)
			hops := []string{}
			if len(path) > 0 {
				hops = append(hops, path[0].From.ID)
			} else {
				hops = append(hops, call.From.ID)
			}
			for _, c := range path {
				hops = append(hops, c.To.Target.ID)
			}
			wait := "with no timeout"
			if call.TimeoutMS.Set() {
				wait = "for up to " + ms(call.TimeoutMS.Val)
			}
			d := p.Reportf(call.From, call.Pos, "'%s' calls %s provider '%s' synchronously while the user waits (%s): each request waits %s and fails when the provider does",
				call.From.ID, prov, t.ID, strings.Join(hops, " -> "), wait)
			if prov == model.ProviderPayment && call.TimeoutMS.Set() && call.IdempotencyKey.Set() && (call.Fallback.Set() || call.Degrade.Val) {
				d.Severity(model.SeverityWarning)
			}
			for _, c := range path {
				d.Related(c.Pos, "%s", c)
			}
		}
	},
}

// asyncWork is a flow that writes a store, publishes, and has a consumer
// of the queue write the store again.
type asyncWork struct {
	flow     *model.Flow
	write    *model.Step // the step that writes the store
	publish  *model.Step // the later step that publishes
	store    *model.Component
	consumer *model.Component
}

// asyncWorkflows lists the asynchronous workflows of the model's flows.
func asyncWorkflows(ix *index) []asyncWork {
	var out []asyncWork
	type key struct{ store, consumer *model.Component }
	for _, fl := range ix.m.Flows {
		seen := map[key]bool{} // looked up only
		var writes []*model.Step
		for _, st := range fl.Steps {
			call := st.Call
			if call == nil {
				continue
			}
			if call.Op.Val.Writes() && call.To.Target.Kind.Val.IsStore() {
				writes = append(writes, st)
				continue
			}
			if call.Op.Val != model.OpPublish {
				continue
			}
			for _, w := range writes {
				store := w.Call.To.Target
				for _, cc := range ix.consumersOf(call.To.Target) {
					k := key{store, cc.From}
					if seen[k] || !writesTo(cc.From, store) {
						continue
					}
					seen[k] = true
					out = append(out, asyncWork{flow: fl, write: w, publish: st, store: store, consumer: cc.From})
				}
			}
		}
	}
	return out
}

// writesTo reports whether c has a call that writes to store.
func writesTo(c, store *model.Component) bool {
	for _, call := range c.Calls {
		if call.To.Target == store && call.Op.Val.Writes() {
			return true
		}
	}
	return false
}

// NoStatusField reports asynchronous workflows that leave no status to
// debug them by.
var NoStatusField = &Rule{
	ID:       "async/no-status-field",
	Title:    "an asynchronous workflow records no status",
	Severity: model.SeverityWarning,
	Doc: `When a request saves a record, queues work and returns, the record's status
is the only trace of how far the work got: pending_email_outbound, then
email_request_to_provider once the worker has handed the email over. The
more specific the status, the easier it is to find what broke when a user
says the email never came; a sweeper can also find records stuck in a
pending state.

Trigger: a flow writes one or more stores (a database, object storage or
auth store), then publishes to a queue whose consumer also writes them, and
either no entity stored in any of them declares statuses, or a step of the
flow in which the consumer writes a store whose entity declares statuses
records no status. The status has to live in one store of the workflow, not
in each: files kept in object storage with their status in a database row
that both sides update satisfy the rule.

Example:

    entities:
      user:
        store: users-db
        statuses: [pending_email_outbound, email_request_to_provider, active]`,
	Fix: "Declare the entity's statuses (pending, handed over, done, failed) in one of the stores the workflow writes, and record in the flow the status each step sets.",
	Run: func(p *Pass) {
		// One workflow per flow and consumer: the stores the flow writes
		// before publishing and the consumer writes again.
		type key struct {
			flow     *model.Flow
			consumer *model.Component
		}
		var order []key
		works := map[key][]asyncWork{}
		for _, w := range asyncWorkflows(p.ix) {
			k := key{w.flow, w.consumer}
			if works[k] == nil {
				order = append(order, k)
			}
			works[k] = append(works[k], w)
		}
		for _, k := range order {
			ws := works[k]
			var withStatuses []*model.Entity
			for _, w := range ws {
				for _, e := range p.Model.Entities {
					if e.Store.Target == w.store && len(e.Statuses) > 0 {
						withStatuses = append(withStatuses, e)
					}
				}
			}
			if len(withStatuses) == 0 {
				reportNoStatuses(p, ws)
				continue
			}
			// Some store holds the status: each step where the consumer
			// writes such a store should say which status it sets.
			for _, w := range ws {
				var declared *model.Entity
				for _, e := range withStatuses {
					if e.Store.Target == w.store {
						declared = e
						break
					}
				}
				if declared == nil {
					continue
				}
				what := fmt.Sprintf("flow '%s' writes '%s' (step %d) and publishes to '%s' (step %d), and '%s' later writes '%s' again",
					w.flow.Name, w.store.ID, w.write.Number, w.publish.Call.To.Name, w.publish.Number, w.consumer.ID, w.store.ID)
				for _, st := range w.flow.Steps {
					if st.Call != nil && st.Call.From == w.consumer && st.Call.To.Target == w.store && st.Call.Op.Val.Writes() && !st.Status.Set() {
						p.Reportf(w.consumer, st.Pos, "%s, but step %d, where '%s' writes '%s', records no status: nobody can tell which records it has handled", what, st.Number, w.consumer.ID, w.store.ID).
							Related(declared.Pos, "entity %s declares the statuses", declared.Name)
					}
				}
			}
		}
	},
}

// reportNoStatuses reports a workflow none of whose stores holds an entity
// with statuses, at the first store's entity or write step.
func reportNoStatuses(p *Pass, ws []asyncWork) {
	w := ws[0]
	var stores, writes []string
	for _, x := range ws {
		stores = append(stores, x.store.ID)
		writes = append(writes, fmt.Sprintf("'%s' (step %d)", x.store.ID, x.write.Number))
	}
	pos := w.write.Pos
	for _, e := range p.Model.Entities {
		if e.Store.Target == w.store {
			pos = e.Pos
			break
		}
	}
	sep, again, where := " and", "'"+w.store.ID+"'", "'"+w.store.ID+"'"
	if len(ws) > 1 {
		sep, again, where = ", then", "them", strings.Join(quotedAll(stores[:len(stores)-1]), ", ")+" or '"+stores[len(stores)-1]+"'"
	}
	d := p.Reportf(w.store, pos, "flow '%s' writes %s%s publishes to '%s' (step %d), and '%s' later writes %s again, but no entity stored in %s declares statuses: nobody can tell which records '%s' has handled",
		w.flow.Name, joinAnd(writes), sep, w.publish.Call.To.Name, w.publish.Number, w.consumer.ID, again, where, w.consumer.ID)
	d.Related(w.publish.Pos, "step %d publishes", w.publish.Number)
	for _, x := range ws[1:] {
		d.Related(x.write.Pos, "step %d writes %s", x.write.Number, x.store.ID)
	}
}

// quotedAll puts each name in single quotes.
func quotedAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "'" + n + "'"
	}
	return out
}

// DualWrite reports a store write and a publish made as two separate
// operations.
var DualWrite = &Rule{
	ID:       "async/dual-write",
	Title:    "a handler writes a store and publishes a message as two operations",
	Severity: model.SeverityWarning,
	Doc: `Committing a row and publishing a message are two operations: a crash
between them leaves a user saved with no activation email queued (or a
message about a write that was rolled back). A transactional outbox writes
the message into the same database transaction and a relay publishes it; a
cron job that re-publishes records left in a pending status does the same
job by polling.

Trigger: within one flow, the same component writes a store (a database,
object storage or auth store) in one step and publishes to a queue in
another, and no other component both reads that store and publishes to that
queue (a relay or sweeper).

Example:

    flows:
      signup:
        steps:
          - { from: app, to: users-db, action: inserts the user }
          - { from: app, to: email-queue, action: queues the email }`,
	Fix: "Write the message to an outbox table in the same transaction and relay it to the queue, or add a sweeper that re-publishes records stuck in their pending status.",
	Run: func(p *Pass) {
		for _, fl := range p.Model.Flows {
			type key struct{ from, queue *model.Component }
			seen := map[key]bool{} // looked up only
			for _, pub := range fl.Steps {
				if pub.Call == nil || pub.Call.Op.Val != model.OpPublish || pub.Call.Outbox.Val {
					continue
				}
				from, queue := pub.Call.From, pub.Call.To.Target
				if seen[key{from, queue}] {
					continue
				}
				seen[key{from, queue}] = true
				var writes []*model.Step
				var stores []string
				for _, w := range fl.Steps {
					if w.Call == nil || w.Call.From != from || !w.Call.Op.Val.Writes() || !w.Call.To.Target.Kind.Val.IsStore() {
						continue
					}
					if store := w.Call.To.Target; !hasRelay(p.ix, from, store, queue) {
						writes = append(writes, w)
						stores = append(stores, fmt.Sprintf("'%s' (step %d)", store.ID, w.Number))
					}
				}
				if len(writes) == 0 {
					continue
				}
				last := writes[len(writes)-1]
				first, second := last, pub
				if pub.Number < last.Number {
					first, second = pub, writes[0]
				}
				what := "write"
				if len(writes) > 1 {
					what = "writes"
				}
				d := p.Reportf(from, second.Pos, "in flow '%s', '%s' publishes to '%s' (step %d) apart from its %s to %s: a crash between steps %d and %d leaves one done without the other",
					fl.Name, from.ID, queue.ID, pub.Number, what, joinAnd(stores), first.Number, second.Number)
				for _, w := range writes {
					d.Related(w.Pos, "step %d writes %s", w.Number, w.Call.To.Name)
				}
			}
		}
	},
}

// hasRelay reports whether a component other than from reads store and
// publishes to queue.
func hasRelay(ix *index, from, store, queue *model.Component) bool {
	for _, pub := range ix.publishersOf(queue) {
		c := pub.From
		if c == from {
			continue
		}
		for _, call := range c.Calls {
			if call.To.Target == store && call.Op.Val.Reads() {
				return true
			}
		}
	}
	return false
}
