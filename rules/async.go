package rules

import (
	"fmt"
	"slices"
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
			sev, ok := slowCall(p.ix, call)
			if !ok {
				continue
			}
			t := call.To.Target
			prov := t.Provider.Val
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
			d.Severity(sev)
			for _, c := range path {
				d.Related(c.Pos, "%s", c)
			}
		}
	},
}

// slowCall reports whether async/slow-call-on-request-path judges call,
// and at which severity.
func slowCall(ix *index, call *model.Call) (model.Severity, bool) {
	t := call.To.Target
	prov := t.Provider.Val
	if t.Kind.Val != model.External || (!prov.Slow() && prov != model.ProviderPayment) || call.Mode.Val != model.Sync || !ix.onRequestPath(call.From) {
		return 0, false
	}
	if prov == model.ProviderPayment && call.TimeoutMS.Set() && call.IdempotencyKey.Set() && (call.Fallback.Set() || call.Degrade.Val) {
		return model.SeverityWarning, true
	}
	return model.SeverityError, true
}

// NoStatusField reports flows that hand work off and keep no status to
// trace it by.
var NoStatusField = &Rule{
	ID:       "async/no-status-field",
	Title:    "a flow hands work off and records no status",
	Severity: model.SeverityWarning,
	Doc: `When a request saves a record and hands work to something slow or outside
the system (a queue, a worker or cron job, a provider), the record's status
is the only trace of how far the work got: pending_email_outbound, then
email_request_to_provider once the email is handed over. The more specific
the status, the easier it is to find what broke when a user says the email
never came; a sweeper can also find records stuck in a pending state. A
boolean such as email_sent says whether, not how far: it cannot tell
"never queued" from "handed to the provider and bounced".

Trigger: a flow with a step to a queue, worker, cron job or external
provider (a hand-off) that writes a store (a database, object storage or
auth store) in some step, where no entity stored in any store the flow
writes declares granular statuses: at least two values that are not
booleans (true/false, yes/no, 0/1), in a status_field not named like a
boolean (is_*, has_*, *_sent and the like). One finding per flow, at the
boolean entity when there is one, else at the first hand-off. When such an
entity exists, the steps after the first hand-off that write its store
should say which status they set: those that do not are one finding. The
status has to live in one store of the flow, not in each: files kept in
object storage with their status in a database row satisfy the rule.

Example:

    entities:
      user:
        store: users-db
        statuses: [pending_email_outbound, email_request_to_provider, active]`,
	Fix: "Declare the entity's statuses (pending, handed over, done, failed) in one of the stores the flow writes, and record in the flow the status each step sets.",
	Run: func(p *Pass) {
		for _, fl := range p.Model.Flows {
			checkFlowStatus(p, fl)
		}
	},
}

// checkFlowStatus applies async/no-status-field to one flow.
func checkFlowStatus(p *Pass, fl *model.Flow) {
	var handoff *model.Step
	var stores []*model.Component
	var writes []*model.Step // the first step writing each store
	for _, st := range fl.Steps {
		call := st.Call
		if call == nil {
			continue
		}
		if handoff == nil && handsOff(call.To.Target) {
			handoff = st
		}
		if t := call.To.Target; call.Op.Val.Writes() && t.Kind.Val.IsStore() && !slices.Contains(stores, t) {
			stores = append(stores, t)
			writes = append(writes, st)
		}
	}
	if handoff == nil || len(stores) == 0 {
		return
	}
	var granular, booleans []*model.Entity
	for _, e := range p.Model.Entities {
		if !slices.Contains(stores, e.Store.Target) || len(e.Statuses) == 0 {
			continue
		}
		if granularStatuses(e) {
			granular = append(granular, e)
		} else {
			booleans = append(booleans, e)
		}
	}
	// Say it in the order it happens: the writes before the hand-off, or
	// the hand-off and the writes after it.
	target := handoff.Call.To.Target
	var before, after []string
	for i, st := range writes {
		w := fmt.Sprintf("'%s' (step %d)", stores[i].ID, st.Number)
		if st.Number < handoff.Number {
			before = append(before, w)
		} else {
			after = append(after, w)
		}
	}
	hands := fmt.Sprintf("hands work to %s (step %d)", named(target), handoff.Number)
	what := fmt.Sprintf("flow '%s' %s, then writes %s", fl.Name, hands, listAnd(after))
	if len(before) > 0 {
		what = fmt.Sprintf("flow '%s' writes %s, then %s", fl.Name, listAnd(before), hands)
	}
	if len(granular) == 0 {
		if len(booleans) > 0 {
			e := booleans[0]
			pos := e.Pos
			if e.StatusField.Set() {
				pos = e.StatusField.Pos
			}
			d := p.Reportf(e.Store.Target, pos, "%s, but entity '%s' keeps only %s: it says whether the work happened, not how far it got, so a record stuck between the steps cannot be told from one that failed",
				what, e.Name, booleanText(e))
			d.Related(handoff.Pos, "step %d hands work to %s", handoff.Number, target.ID)
			return
		}
		d := p.Reportf(stores[0], handoff.Pos, "%s, but no entity stored in %s declares statuses: nobody can tell how far each record got, or find those left half done",
			what, orList(ids(stores)))
		for i, st := range writes {
			d.Related(st.Pos, "step %d writes %s", st.Number, stores[i].ID)
		}
		return
	}
	// A store holds the status: each later step that writes it should say
	// which status it sets.
	var silent []*model.Step
	for _, st := range fl.Steps {
		if st.Number <= handoff.Number || st.Call == nil || !st.Call.Op.Val.Writes() || st.Status.Set() {
			continue
		}
		if slices.ContainsFunc(granular, func(e *model.Entity) bool { return e.Store.Target == st.Call.To.Target }) {
			silent = append(silent, st)
		}
	}
	if len(silent) == 0 {
		return
	}
	first := silent[0]
	steps := make([]string, len(silent))
	for i, st := range silent {
		steps[i] = fmt.Sprintf("step %d, where '%s' writes '%s'", st.Number, st.Call.From.ID, st.Call.To.Target.ID)
	}
	record := "records no status"
	if len(silent) > 1 {
		record = "record no status"
	}
	d := p.Reportf(first.Call.From, first.Pos, "%s, but %s, %s: nobody can tell which records got that far",
		what, listAnd(steps), record)
	for _, st := range silent[1:] {
		d.Related(st.Pos, "step %d", st.Number)
	}
	for _, e := range granular {
		if e.Store.Target == first.Call.To.Target {
			d.Related(e.Pos, "entity %s declares the statuses", e.Name)
			break
		}
	}
}

// handsOff reports whether a step to t hands work to something slow or
// outside the system: a queue, a worker or cron job, or a provider.
func handsOff(t *model.Component) bool {
	switch t.Kind.Val {
	case model.Queue, model.Worker, model.Cron, model.External:
		return true
	}
	return false
}

// granularStatuses reports whether e's statuses say how far work got: two
// or more values that are not booleans, in a field not named as a boolean.
func granularStatuses(e *model.Entity) bool {
	if booleanName(e.StatusField.Val) {
		return false
	}
	n := 0
	for _, s := range e.Statuses {
		if !booleanValue(s.Val) {
			n++
		}
	}
	return n >= 2
}

// booleanValue reports whether a status value is a truth value.
func booleanValue(s string) bool {
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "y", "n", "t", "f", "0", "1", "on", "off":
		return true
	}
	return false
}

// booleanName reports whether a field is named like a flag: is_active,
// has_paid, email_sent.
func booleanName(field string) bool {
	f := strings.ToLower(field)
	for _, p := range []string{"is_", "has_", "was_", "did_", "can_"} {
		if strings.HasPrefix(f, p) {
			return true
		}
	}
	for _, s := range []string{"_sent", "_done", "_flag", "_ok", "_verified", "_confirmed", "_processed", "_delivered", "_enabled"} {
		if strings.HasSuffix(f, s) {
			return true
		}
	}
	return false
}

// booleanText describes a boolean status: "a boolean (email_sent: true,
// false)".
func booleanText(e *model.Entity) string {
	vals := make([]string, len(e.Statuses))
	for i, s := range e.Statuses {
		vals[i] = s.Val
	}
	field := e.StatusField.Val
	if field == "" {
		field = "status"
	}
	if len(vals) == 1 {
		return fmt.Sprintf("one status (%s: %s)", field, vals[0])
	}
	return fmt.Sprintf("a boolean (%s: %s)", field, strings.Join(vals, "/"))
}

// orList is "'a'", "'a' or 'b'", "'a', 'b' or 'c'".
func orList(names []string) string {
	q := quotedAll(names)
	if len(q) <= 1 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
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
queue (a relay or sweeper). Info instead of a warning when a write before
the publish records a status of an entity with granular statuses (see
async/no-status-field), such as pending_email_outbound: a record left by a
crash stays in that status, where a sweeper can find it, though none is
modelled yet.

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
				var pending *model.Step
				for _, w := range writes {
					if w.Number < pub.Number && recordsGranularStatus(p.Model, w) {
						pending = w
					}
				}
				if pending != nil {
					p.Reportf(from, second.Pos, "in flow '%s', '%s' publishes to '%s' (step %d) apart from its %s to %s: a crash between steps %d and %d leaves records in status %s, where a sweeper that re-publishes them would find them, but none is modelled",
						fl.Name, from.ID, queue.ID, pub.Number, what, listAnd(stores), first.Number, second.Number, pending.Status.Val).
						Severity(model.SeverityInfo).Related(pending.Pos, "step %d records %s", pending.Number, pending.Status.Val)
					continue
				}
				d := p.Reportf(from, second.Pos, "in flow '%s', '%s' publishes to '%s' (step %d) apart from its %s to %s: a crash between steps %d and %d leaves one done without the other",
					fl.Name, from.ID, queue.ID, pub.Number, what, listAnd(stores), first.Number, second.Number)
				for _, w := range writes {
					d.Related(w.Pos, "step %d writes %s", w.Number, w.Call.To.Name)
				}
			}
		}
	},
}

// recordsGranularStatus reports whether step st records a status of an
// entity, kept in the store it writes, whose statuses say how far work got.
func recordsGranularStatus(m *model.Model, st *model.Step) bool {
	if !st.Status.Set() {
		return false
	}
	for _, e := range m.Entities {
		if e.Store.Target == st.Call.To.Target && granularStatuses(e) && e.HasStatus(st.Status.Val) && (!st.Entity.Set() || st.Entity.Val == e.Name) {
			return true
		}
	}
	return false
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
