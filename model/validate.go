package model

import (
	"fmt"
	"slices"
	"strings"
)

// resolve points every reference at its component and finds each flow
// step's call.
func (d *decoder) resolve() {
	ids := make([]string, 0, len(d.m.Components))
	for _, c := range d.m.Components {
		ids = append(ids, c.ID)
	}
	for _, rc := range d.refs {
		t := d.m.byID[rc.ref.Name]
		switch {
		case t == nil:
			d.errs.Add(rc.ref.Pos, fmt.Sprintf("%s names no component %q%s", rc.what, rc.ref.Name, didYouMean(rc.ref.Name, ids)))
		case rc.self != nil && t == rc.self:
			d.errs.Add(rc.ref.Pos, fmt.Sprintf("%s names %q itself; name another component", rc.what, rc.ref.Name))
		case !kindAllowed(t.Kind.Val, rc.want):
			d.errs.Add(rc.ref.Pos, fmt.Sprintf("%s must name a %s; %q is a %s", rc.what, kindTitles(rc.want), t.ID, t.Kind.Val.Title()))
		default:
			rc.ref.Target = t
		}
	}
	for _, ps := range d.steps {
		from, to := ps.from.Target, ps.to.Target
		if from == nil || to == nil {
			continue
		}
		for _, call := range from.Calls {
			if call.To.Target == to {
				ps.step.Call = call
				break
			}
		}
		if ps.step.Call == nil {
			d.errs.Add(ps.step.Pos, fmt.Sprintf("%s: %q has no call to %q; add %q to components.%s.calls", ps.what, from.ID, to.ID, to.ID, from.ID))
		}
	}
}

func kindAllowed(k Kind, want []Kind) bool {
	var real []Kind
	for _, w := range want {
		if w != "" {
			real = append(real, w)
		}
	}
	return len(real) == 0 || k == "" || slices.Contains(real, k)
}

func kindTitles(ks []Kind) string {
	var s []string
	for _, k := range ks {
		if k != "" {
			s = append(s, k.Title())
		}
	}
	return strings.Join(s, " or ")
}

// validate fills defaults and checks what the field tables cannot express.
func (d *decoder) validate() {
	for _, c := range d.m.Components {
		d.validateComponent(c)
	}
	for _, call := range d.m.calls {
		d.validateCall(call)
	}
	for _, fl := range d.m.Flows {
		d.validateFlow(fl)
	}
}

func (d *decoder) validateComponent(c *Component) {
	what := fmt.Sprintf("component %q", c.ID)
	if a := c.Autoscale; a != nil {
		if c.Instances.Set() {
			d.errs.Add(c.Instances.Pos, what+": give instances or autoscale, not both")
		}
		if a.Min.Set() && a.Max.Set() && a.Min.Val > a.Max.Val {
			d.errs.Add(a.Max.Pos, fmt.Sprintf("%s: autoscale max %d is below min %d", what, a.Max.Val, a.Min.Val))
		}
	}
	if f := c.Failover; f != nil && f.Mode.Val == FailoverAutomatic && !f.Standby.Set() {
		d.errs.Add(f.Mode.Pos, what+": automatic failover needs standby, the component that takes over (or set managed: true for a managed service)")
	}
	switch c.Kind.Val {
	case Database:
		switch {
		case c.ReplicaOf.Set() && c.Role.Set() && c.Role.Val != RoleReplica:
			d.errs.Add(c.Role.Pos, fmt.Sprintf("%s: role %s with replica_of; a database with replica_of is a replica", what, c.Role.Val))
		case c.Role.Val == RoleReplica && !c.ReplicaOf.Set():
			d.errs.Add(c.Role.Pos, what+": role replica needs replica_of, the primary it follows")
		case c.ReplicaOf.Set():
			c.Role.Val = RoleReplica
		case !c.Role.Set():
			c.Role.Val = RoleStandalone
		}
		if c.Replication.Set() && c.Role.Val != RoleReplica {
			d.errs.Add(c.Replication.Pos, what+": replication applies to replicas (set replica_of)")
		}
		if c.Role.Val == RoleReplica && !c.Replication.Set() {
			c.Replication.Val = "async"
		}
	case Queue:
		if !c.Mode.Set() {
			c.Mode.Val = PointToPoint
		}
		if !c.Delivery.Set() {
			c.Delivery.Val = "at-least-once"
		}
	case Cache:
		if !c.Pattern.Set() {
			c.Pattern.Val = CacheAside
		}
	case External:
		if !c.Provider.Set() {
			c.Provider.Val = ProviderOther
		}
		if !c.Ack.Set() {
			c.Ack.Val = "sync"
		}
	}
	if c.Shards != nil && !c.Shards.Growth.Set() {
		c.Shards.Growth.Val = "incremental"
	}
}

func (d *decoder) validateCall(call *Call) {
	t := call.To.Target
	if t == nil {
		return
	}
	what := fmt.Sprintf("component %q: call to %q", call.From.ID, t.ID)
	queueOp := call.Op.Val == OpPublish || call.Op.Val.Consumes()
	switch {
	case t.Kind.Val == Queue && call.Op.Set() && !queueOp:
		d.errs.Add(call.Op.Pos, fmt.Sprintf("%s: op %s does not apply to a queue; use publish, consume or subscribe", what, call.Op.Val))
	case t.Kind.Val != Queue && call.Op.Set() && queueOp:
		d.errs.Add(call.Op.Pos, fmt.Sprintf("%s: op %s applies to queues, and %q is a %s", what, call.Op.Val, t.ID, t.Kind.Val.Title()))
	}
	if !call.Op.Set() {
		switch {
		case t.Kind.Val == Queue && call.From.Kind.Val.IsConsumer() && t.Mode.Val == PubSub:
			call.Op.Val = OpSubscribe
		case t.Kind.Val == Queue && call.From.Kind.Val.IsConsumer():
			call.Op.Val = OpConsume
		case t.Kind.Val == Queue:
			call.Op.Val = OpPublish
		default:
			call.Op.Val = OpCall
		}
	}
	if !call.Mode.Set() {
		if t.Kind.Val == Queue {
			call.Mode.Val = Async
		} else {
			call.Mode.Val = Sync
		}
	}
	if call.Outbox.Val && call.Op.Val != OpPublish {
		d.errs.Add(call.Outbox.Pos, what+": outbox applies to publishing to a queue")
	}
	if call.Fallback.Target == t {
		d.errs.Add(call.Fallback.Pos, what+": the fallback is the target itself; name the component that serves when it fails")
	}
}

func (d *decoder) validateFlow(fl *Flow) {
	if len(fl.Steps) == 0 && fl.Pos.IsValid() {
		d.errs.Add(fl.Pos, fmt.Sprintf("flow %q has no steps; list the calls it travels in order", fl.Name))
	}
	var names []string
	for _, e := range d.m.Entities {
		names = append(names, e.Name)
	}
	for _, st := range fl.Steps {
		what := fmt.Sprintf("flow %q: step %d", fl.Name, st.Number)
		if st.Entity.Set() {
			e := d.m.Entity(st.Entity.Val)
			if e == nil {
				d.errs.Add(st.Entity.Pos, fmt.Sprintf("%s: entity %q is not declared under entities%s", what, st.Entity.Val, didYouMean(st.Entity.Val, names)))
				continue
			}
			if st.Status.Set() && len(e.Statuses) > 0 && !e.HasStatus(st.Status.Val) {
				var vals []string
				for _, s := range e.Statuses {
					vals = append(vals, s.Val)
				}
				d.errs.Add(st.Status.Pos, fmt.Sprintf("%s: status %q is not one of entity %q's statuses%s (statuses: %s)", what, st.Status.Val, e.Name, didYouMean(st.Status.Val, vals), strings.Join(vals, ", ")))
			}
			continue
		}
		if st.Status.Set() && len(d.m.Entities) > 0 {
			var owner *Entity
			for _, e := range d.m.Entities {
				if e.HasStatus(st.Status.Val) {
					owner = e
					break
				}
			}
			if owner == nil {
				d.errs.Add(st.Status.Pos, fmt.Sprintf("%s: status %q is not listed under any entity's statuses; add it, or name the entity", what, st.Status.Val))
				continue
			}
			st.Entity = String{Val: owner.Name}
		}
	}
}
