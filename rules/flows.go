package rules

import (
	"fmt"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/analysis"
)

// flowNeeds returns, by component index, the flows that break when the
// component fails, each with the first step that needs it: the analysis's
// Breaks, which every output reads.
func (ix *index) flowNeeds() [][]analysis.Break {
	if ix.needs != nil {
		return ix.needs
	}
	a := ix.load()
	ix.needs = make([][]analysis.Break, len(ix.m.Components))
	for i, c := range ix.m.Components {
		ix.needs[i] = a.Of(c).Breaks
	}
	return ix.needs
}

// flowsBrokenBy returns the flows that c's failure breaks, in file order.
func (ix *index) flowsBrokenBy(c *model.Component) []*model.Flow {
	var out []*model.Flow
	for _, n := range ix.flowNeeds()[ix.num[c]] {
		out = append(out, n.Flow)
	}
	return out
}

// flowClause says which flows break when c fails, for the end of a
// message: "; flows that break: signup, login", or "".
func flowClause(ix *index, c *model.Component) string {
	fs := ix.flowsBrokenBy(c)
	if len(fs) == 0 {
		return ""
	}
	return "; flows that break: " + listAnd(flowNames(fs))
}

// flowSPOFMessage describes a component that no dominator finding covers
// but that declared flows cannot do without: "app server 'api' (1
// instance, no failover) carries step 3 of flow 'read' (web -> api) alone:
// when it fails, the flow breaks".
func flowSPOFMessage(ix *index, c *model.Component, redundancy string) string {
	needs := ix.flowNeeds()[ix.num[c]]
	var what string
	if len(needs) == 1 {
		n := needs[0]
		what = fmt.Sprintf("step %d of flow '%s' (%s)", n.Step.Number, n.Flow.Name, n.Step.Call)
	} else {
		parts := make([]string, len(needs))
		for i, n := range needs {
			parts[i] = fmt.Sprintf("'%s' (step %d)", n.Flow.Name, n.Step.Number)
		}
		what = "flows " + listAnd(parts)
	}
	msg := fmt.Sprintf("%s (%s) carries %s alone: when it fails, ", named(c), redundancy, what)
	if len(needs) == 1 {
		msg += "the flow breaks"
	} else {
		msg += "they break"
	}
	if rs := replicasRead(ix, c); len(rs) > 0 {
		msg += ", and with it every read of " + quoted(ids(rs))
	}
	return msg
}

// replicasRead returns the read replicas that c calls.
func replicasRead(ix *index, c *model.Component) []*model.Component {
	var out []*model.Component
	for _, call := range c.Calls {
		if t := call.To.Target; t != nil && t.Kind.Val == model.Database && t.Role.Val == model.RoleReplica {
			out = append(out, t)
		}
	}
	return out
}
