package rules

import (
	"github.com/archdiag/archdiag/model"
)

// UnreachableComponent reports components nothing leads to.
var UnreachableComponent = &Rule{
	ID:       "model/unreachable-component",
	Title:    "a component is reached from no client, cron job or worker",
	Severity: model.SeverityWarning,
	Doc: `A box that nothing leads to is usually left over from an edit: it makes the
diagram and the speaking notes describe something the system does not do.

Trigger: starting from the clients, cron jobs and workers (which start work
on their own), follow every call, dead_letter, CDN origin, failover
standby, session and upload store, and a primary's replicas; a component
that is never reached fires. A component that only an unreached one leads
to is named in that one's finding rather than reported again: one
forgotten corner of the model is one finding.

Example:

    components:
      users: { kind: client, calls: [app] }
      app: { kind: app }
      old-cache: { kind: cache }   # nothing calls it`,
	Fix: "Connect the component with a call, or remove it from the model.",
	Run: func(p *Pass) {
		ix := p.ix
		n := len(p.Model.Components)
		// walk marks what the starts lead to, skipping what mark already holds.
		walk := func(mark []bool, starts ...*model.Component) []*model.Component {
			var found, stack []*model.Component
			visit := func(c *model.Component) {
				if i, ok := ix.num[c]; ok && !mark[i] {
					mark[i] = true
					stack = append(stack, c)
					found = append(found, c)
				}
			}
			for _, c := range starts {
				visit(c)
			}
			for len(stack) > 0 {
				c := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				for _, t := range leadsTo(ix, c) {
					visit(t)
				}
			}
			return found
		}
		reached := make([]bool, n)
		var starts []*model.Component
		for _, c := range p.Model.Components {
			if k := c.Kind.Val; k.IsEntry() || k.IsConsumer() {
				starts = append(starts, c)
			}
		}
		walk(reached, starts...)
		// What another unreached component leads to is covered by it.
		ledTo := make([]bool, n)
		for i, c := range p.Model.Components {
			if reached[i] {
				continue
			}
			for _, t := range leadsTo(ix, c) {
				if j, ok := ix.num[t]; ok && t != c {
					ledTo[j] = true
				}
			}
		}
		report := func(c *model.Component) {
			rest := walk(reached, c)[1:]
			msg := named(c) + " is reached from no client, cron job or worker: nothing calls it"
			if len(rest) > 0 {
				msg += ", and it is all that leads to " + quoted(ids(rest))
			}
			p.Reportf(c, model.Pos{}, "%s", msg)
		}
		for i, c := range p.Model.Components {
			if !reached[i] && !ledTo[i] {
				report(c)
			}
		}
		// Cycles that nothing outside leads to: report their first member.
		for i, c := range p.Model.Components {
			if !reached[i] {
				report(c)
			}
		}
	},
}

// leadsTo lists what c leads to: its calls and fallbacks, dead-letter
// queue, CDN origin, failover standby, session and upload stores, and a
// primary's replicas.
func leadsTo(ix *index, c *model.Component) []*model.Component {
	var out []*model.Component
	for _, call := range c.Calls {
		out = append(out, call.To.Target, call.Fallback.Target)
	}
	out = append(out, c.DeadLetter.Target, c.Origin.Target)
	if c.Failover != nil {
		out = append(out, c.Failover.Standby.Target)
	}
	if c.State != nil {
		out = append(out, c.State.SessionStore.Target, c.State.UploadStore.Target)
	}
	return append(out, ix.replicasOf(c)...)
}

// UnusedSuppression reports ignore entries that suppress nothing. Run
// applies it after every other rule, once suppressions are known.
var UnusedSuppression = &Rule{
	ID:       "model/unused-suppression",
	Title:    "a suppression in an ignore list suppresses nothing",
	Severity: model.SeverityWarning,
	Doc: `A suppression that matches no finding is stale: the problem was fixed, or the
rule id or the component is wrong. Left in place it would silence a future
finding that nobody has reviewed.

Trigger: an entry of a component's ignore list names an enabled rule that
reports no finding on that component. Suppressions of disabled rules are
not judged.

Example:

    lb:
      kind: load_balancer
      instances: 2
      ignore:
        lb/single-instance: "dev only"   # nothing to suppress: lb has 2 instances`,
	Fix: "Remove the suppression, or move it to the component the finding is about.",
	Run: func(p *Pass) {
		for _, c := range p.Model.Components {
			for _, s := range c.Ignore {
				if p.ix.usedSuppressions[s] || s.Rule.Val == p.Rule.ID || !p.ix.cfg.Enabled(s.Rule.Val) {
					continue
				}
				p.Reportf(c, s.Pos, "the suppression of %s on '%s' suppresses nothing: the rule reports no finding on '%s'", s.Rule.Val, c.ID, c.ID)
			}
		}
	},
}
