package rules

import (
	"fmt"

	"github.com/archdiag/archdiag/model"
)

// QueueNoConsumer reports queues that are published to and never consumed.
var QueueNoConsumer = &Rule{
	ID:       "queue/no-consumer",
	Title:    "a queue receives messages that nothing consumes",
	Severity: model.SeverityError,
	Doc: `Messages on a point-to-point queue nobody consumes pile up until retention
deletes them; on a pub/sub topic with no subscriber they are dropped at
once. Either way the work they stand for never happens, silently.

Trigger: a queue with at least one publish call into it and no consume or
subscribe call.

Example:

    app: { kind: app, calls: [email-queue] }   # publishes
    email-queue: { kind: queue, managed: true }  # no worker or cron job consumes it`,
	Fix: "Add the worker or cron job that consumes the queue, or remove the publish.",
	Run: func(p *Pass) {
		for _, c := range p.Model.Components {
			pubs := p.ix.publishersOf(c)
			if c.Kind.Val != model.Queue || len(pubs) == 0 || len(p.ix.consumersOf(c)) > 0 {
				continue
			}
			fate := "point-to-point, so its messages pile up until retention deletes them"
			if c.Mode.Val == model.PubSub {
				fate = "pubsub with no subscriber, so each message is dropped"
			}
			d := p.Reportf(c, model.Pos{}, "queue '%s' receives messages from %s but nothing consumes it: it is %s, and the work never happens", c.ID, quoted(callerIDs(pubs)), fate)
			for _, call := range pubs {
				d.Related(call.Pos, "%s", call)
			}
		}
	},
}

// QueueOrphanConsumer reports queue-driven workers with nothing to consume.
var QueueOrphanConsumer = &Rule{
	ID:       "queue/orphan-consumer",
	Title:    "a worker consumes a queue nobody publishes to, or no queue at all",
	Severity: model.SeverityWarning,
	Doc: `A consumer whose queue receives nothing, or a worker that consumes nothing,
is dead weight in the architecture, usually left by a renamed queue: the
diagram and the notes describe a flow that does not exist.

Trigger: only a worker driven by a queue (driven_by: queue, the default)
is judged; a cron job works on its schedule and a worker with driven_by:
loop on its own loop over a store. Such a worker fires when it consumes a
queue that no component publishes to and that is no queue's dead-letter
queue, or when it consumes no queue at all. A worker that leaves
driven_by unwritten, consumes no queue and calls a store is read as a
loop over that store (a crawler walking a table of links), not as an
orphan.

Example:

    worker:
      kind: worker
      calls: [jobs]      # nothing publishes to jobs`,
	Fix: "Connect the producer to the queue, remove the consumer, or say what drives the worker (driven_by: loop for its own loop over a store).",
	Run: func(p *Pass) {
		for _, c := range p.Model.Components {
			if c.DrivenBy() != model.DrivenByQueue {
				continue
			}
			consumes := false
			for _, call := range c.Calls {
				if !call.Op.Val.Consumes() {
					continue
				}
				consumes = true
				q := call.To.Target
				if len(p.ix.publishersOf(q)) == 0 && len(p.ix.deadLetterOf(q)) == 0 {
					p.Reportf(c, call.Pos, "'%s' consumes queue '%s', but nothing publishes to '%s' and no queue dead-letters into it", c.ID, q.ID, q.ID)
				}
			}
			if consumes || (!c.Driver.Set() && loopsOverStore(c)) {
				continue
			}
			p.Reportf(c, model.Pos{}, "worker '%s' consumes no queue and has no loop of its own: nothing gives it work; if it walks a store, say driven_by: loop", c.ID)
		}
	},
}

// loopsOverStore reports whether c calls a store, the mark of a worker that
// works through a table on its own.
func loopsOverStore(c *model.Component) bool {
	for _, call := range c.Calls {
		if t := call.To.Target; t != nil && t.Kind.Val.IsStore() {
			return true
		}
	}
	return false
}

// QueueNoDLQ reports consumed queues without a dead-letter queue.
var QueueNoDLQ = &Rule{
	ID:       "queue/no-dlq",
	Title:    "a consumed queue has no dead-letter queue",
	Severity: model.SeverityWarning,
	Doc: `A malformed or permanently failing message (a poison message) is delivered
again and again: it burns consumer capacity, can block ordered queues, and
never tells anyone. A dead-letter queue takes such messages aside after a
set number of deliveries, where they can be inspected and replayed.

Trigger: a queue with at least one consumer, that is not itself a
dead-letter queue, without dead_letter. Error when a consumer calls an
external provider, since each redelivery calls the provider again. A queue
with dead_letter but without max_receive_count gets an info finding: the
dead-letter queue exists, and the broker's default count applies until the
model says otherwise. When no queue of the model names a dead_letter, the
model does not describe dead-letter handling at all: one info finding names
the consumed queues instead.

Example:

    email-queue:
      kind: queue
      managed: true
      dead_letter: email-dlq
      max_receive_count: 5`,
	Fix: "Name a dead-letter queue with dead_letter and max_receive_count (3 to 5), and send invalid messages there without retrying them.",
	Run: func(p *Pass) {
		var consumed []*model.Component
		stated := false
		for _, c := range p.Model.Components {
			stated = stated || c.DeadLetter.Set()
			if c.Kind.Val == model.Queue && len(p.ix.consumersOf(c)) > 0 {
				consumed = append(consumed, c)
			}
		}
		if !stated {
			if len(consumed) > 0 {
				p.Reportf(nil, model.Pos{}, "no queue in the model names a dead_letter, so what becomes of a message on %s that always fails is left open",
					quoted(ids(consumed))).Severity(model.SeverityInfo)
			}
			return
		}
		for _, c := range consumed {
			cons := p.ix.consumersOf(c)
			if len(p.ix.deadLetterOf(c)) > 0 {
				continue
			}
			var d *Diagnostic
			switch {
			case !c.DeadLetter.Set():
				d = p.Reportf(c, model.Pos{}, "queue '%s' is consumed by %s but has no dead-letter queue: a message that always fails is delivered again and again, and nobody hears of it", c.ID, quoted(callerIDs(cons)))
			case !c.MaxReceiveCount.Set():
				p.Reportf(c, c.DeadLetter.Pos, "queue '%s' names dead-letter queue '%s' but no max_receive_count: the model does not say after how many deliveries a failing message moves there, so the broker's default applies", c.ID, c.DeadLetter.Name).
					Severity(model.SeverityInfo)
				continue
			default:
				continue
			}
			for _, call := range cons {
				if ext := externalCall(call.From); ext != nil {
					d.Severity(model.SeverityError).Related(ext.Pos, "each redelivery calls %s again", ext.To.Name)
					break
				}
			}
		}
	},
}

// externalCall returns c's first call to an external provider, or nil.
func externalCall(c *model.Component) *model.Call {
	for _, call := range c.Calls {
		if call.To.Target.Kind.Val == model.External {
			return call
		}
	}
	return nil
}

// QueueDLQUnmonitored reports dead-letter queues without alerts.
var QueueDLQUnmonitored = &Rule{
	ID:       "queue/dlq-unmonitored",
	Title:    "a dead-letter queue has no alert",
	Severity: model.SeverityWarning,
	Doc: `A dead-letter queue nobody watches loses data with a delay: the failed
activation emails simply never arrive. Someone has to hear when a message
lands there, for example in a chat channel.

Trigger: a queue that some queue names as dead_letter and that has no
alerts.

Example:

    email-dlq:
      kind: queue
      alerts:
        - { when: depth > 0, notify: "#signup-alerts" }`,
	Fix: "Add an alert on the dead-letter queue's depth (depth > 0) and on its oldest message's age, with a runbook to replay messages.",
	Run: func(p *Pass) {
		for _, c := range p.Model.Components {
			srcs := p.ix.deadLetterOf(c)
			if len(srcs) == 0 || len(c.Alerts) > 0 {
				continue
			}
			d := p.Reportf(c, model.Pos{}, "'%s' is the dead-letter queue of %s but has no alerts: failed messages land there and nobody hears of it", c.ID, quoted(ids(srcs)))
			for _, s := range srcs {
				d.Related(s.DeadLetter.Pos, "%s dead-letters into %s", s.ID, c.ID)
			}
		}
	},
}

// QueueBacklogGrowth reports queues that fill faster than they drain.
var QueueBacklogGrowth = &Rule{
	ID:       "queue/backlog-growth",
	Title:    "messages reach a queue faster than its consumers drain them",
	Severity: model.SeverityWarning,
	Doc: `A queue flattens the traffic curve: it absorbs a peak and its consumers
catch up afterwards. That works only while the consumers drain faster than
messages arrive on average; otherwise the queue grows without bound, and
the time a message waits grows with it.

Trigger: with the load estimate (traffic numbers, the read:write ratio, and
each consumer's drain rate: workers × concurrency ÷ service time, or a
cron job's batch_size per run), the peak message rate reaching a queue is
at or above the rate its consumers drain. Warning when the average rate is
below the drain rate, so the backlog built during a peak drains afterwards
(the message says how fast it grows and how long it takes to drain); error
when even the average rate is not drained.

Example:

    email-cron:
      kind: cron
      schedule: "* * * * *"
      batch_size: 500      # drains 8.3 messages/s; at a peak of 12/s the queue grows`,
	Fix: "Add consumers or concurrency, take bigger batches, replace a once-a-minute cron with always-on workers, or push back on producers.",
	Run: func(p *Pass) {
		for _, f := range p.ix.load().Loaded() {
			q := f.Component
			peak, drain := f.Peak.Total, f.Capacity
			if q.Kind.Val != model.Queue || drain.Value <= 0 || peak.Value < drain.Value {
				continue
			}
			msg := fmt.Sprintf("%s %s messages/s reach queue '%s'%s and its consumers drain %s/s%s: the backlog grows by %s messages/s, %s an hour",
				p.ix.load().When(), peak.Number(), q.ID, peak.Paren(), drain.Number(), drain.Paren(),
				model.Rate(peak.Value-drain.Value), model.Rate((peak.Value-drain.Value)*3600))
			avg := f.Average.Total.Value
			if avg <= 0 {
				p.Reportf(q, model.Pos{}, "%s", msg)
				continue
			}
			if avg >= drain.Value {
				p.Reportf(q, model.Pos{}, "%s; even the average %s messages/s is not drained, so it never empties", msg, model.Rate(avg)).
					Severity(model.SeverityError)
				continue
			}
			hour := (peak.Value - drain.Value) * 3600
			p.Reportf(q, model.Pos{}, "%s; at the average %s/s, each hour of peak takes %s to drain", msg, model.Rate(avg), seconds(hour/(drain.Value-avg)))
		}
	},
}
