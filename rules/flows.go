package rules

import (
	"fmt"

	"github.com/archdiag/archdiag/model"
)

// A flowNeed is a flow that cannot complete without a component, and the
// first step that needs it.
type flowNeed struct {
	flow *model.Flow
	step *model.Step
}

// flowNeeds returns, by component index, the flows that break when the
// component fails, each with the first step that needs it; computed once.
// A flow needs the component that makes each step's call, and the target
// of each step whose call is not soft (a fallback, degrade, an outbox
// publish or a cache-aside read lets the flow go on; an asynchronous step
// still loses its work).
func (ix *index) flowNeeds() [][]flowNeed {
	if ix.needs != nil {
		return ix.needs
	}
	ix.needs = make([][]flowNeed, len(ix.m.Components))
	for _, fl := range ix.m.Flows {
		need := func(c *model.Component, st *model.Step) {
			i, ok := ix.num[c]
			if !ok {
				return
			}
			if ns := ix.needs[i]; len(ns) == 0 || ns[len(ns)-1].flow != fl {
				ix.needs[i] = append(ix.needs[i], flowNeed{fl, st})
			}
		}
		for _, st := range fl.Steps {
			if st.Call == nil {
				continue
			}
			need(st.Call.From, st)
			if !st.Call.Soft() {
				need(st.Call.To.Target, st)
			}
		}
	}
	return ix.needs
}

// flowsBrokenBy returns the flows that c's failure breaks, in file order.
func (ix *index) flowsBrokenBy(c *model.Component) []*model.Flow {
	var out []*model.Flow
	for _, n := range ix.flowNeeds()[ix.num[c]] {
		out = append(out, n.flow)
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
		what = fmt.Sprintf("step %d of flow '%s' (%s)", n.step.Number, n.flow.Name, n.step.Call)
	} else {
		parts := make([]string, len(needs))
		for i, n := range needs {
			parts[i] = fmt.Sprintf("'%s' (step %d)", n.flow.Name, n.step.Number)
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
