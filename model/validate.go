package model

import (
	"fmt"
	"slices"
	"strconv"
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
			d.errs.Add(rc.ref.Pos, fmt.Sprintf("%s must name %s; %q is %s", rc.what, Article(kindTitles(rc.want)), t.ID, Article(t.Kind.Val.Title())))
		default:
			rc.ref.Target = t
		}
	}
	for _, ps := range d.steps {
		from, to := ps.step.from.Target, ps.step.to.Target
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
	if len(s) > 2 {
		return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
	}
	return strings.Join(s, " or ")
}

// validate fills defaults and checks what the field tables cannot express.
func (d *decoder) validate() {
	d.validateTraffic(d.m.Traffic)
	for _, c := range d.m.Components {
		d.validateComponent(c)
		d.duplicateCalls(c)
		d.queueOps(c)
	}
	d.replicaChains()
	for _, call := range d.m.calls {
		d.validateCall(call)
	}
	for _, fl := range d.m.Flows {
		d.validateFlow(fl)
	}
	for _, e := range d.m.Entities {
		d.validateEntity(e)
	}
}

func (d *decoder) validateTraffic(t *Traffic) {
	if t == nil {
		return
	}
	switch {
	case t.BaselineRPS.Set() && t.DailyActiveUsers.Set():
		d.errs.Add(t.DailyActiveUsers.Pos, "traffic: give baseline_rps or daily_active_users with requests_per_user, not both")
	case t.DailyActiveUsers.Set() != t.RequestsPerUser.Set():
		p := t.DailyActiveUsers.Pos.Or(t.RequestsPerUser.Pos)
		d.errs.Add(p, "traffic: daily_active_users and requests_per_user go together; give both, or baseline_rps instead")
	}
	if t.PeakMultiplier.Set() && t.PeakRPS.Set() {
		d.errs.Add(t.PeakRPS.Pos, "traffic: give peak_multiplier or peak_rps, not both")
	}
}

// queueOps refuses a worker or cron job that calls several queues without
// saying, on each, whether it consumes or publishes: the default (consume)
// would silently make it a consumer of every one. A worker driven by its
// own loop publishes by default, so nothing is left to guess.
func (d *decoder) queueOps(c *Component) {
	if !c.Kind.Val.IsConsumer() || c.DrivenBy() == DrivenByLoop {
		return
	}
	var queues []string
	for _, call := range c.Calls {
		if t := call.To.Target; t != nil && t.Kind.Val == Queue {
			queues = append(queues, strconv.Quote(t.ID))
		}
	}
	if len(queues) < 2 {
		return
	}
	for _, call := range c.Calls {
		t := call.To.Target
		if t == nil || t.Kind.Val != Queue || call.Op.Set() {
			continue
		}
		take := OpConsume
		if t.Mode.Val == PubSub {
			take = OpSubscribe
		}
		d.errs.Add(call.Pos, fmt.Sprintf("component %q: call to %q: %q calls %d queues, %s, so say on each call what it does: write {to: %s, op: %s} if it takes jobs off %q, or {to: %s, op: publish} if it puts jobs on it",
			c.ID, t.ID, c.ID, len(queues), join(queues), t.ID, take, t.ID, t.ID))
	}
}

// join lists words as "a, b and c".
func join(words []string) string {
	if n := len(words); n > 1 {
		return strings.Join(words[:n-1], ", ") + " and " + words[n-1]
	}
	return strings.Join(words, "")
}

func (d *decoder) validateEntity(e *Entity) {
	if e.Store.Set() {
		return
	}
	what := fmt.Sprintf("entity %q", e.Name)
	for _, f := range []struct {
		name string
		pos  Pos
	}{{"record_bytes", e.RecordBytes.Pos}, {"records_per_write", e.RecordsPerWrite.Pos}, {"retention_days", e.RetentionDays.Pos}} {
		if f.pos.IsValid() {
			d.errs.Add(f.pos, fmt.Sprintf("%s: %s needs store, the database, object storage or auth store that holds the records, whose writes it counts; add store: <id>", what, f.name))
		}
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
	if c.HostName.Set() && strings.TrimSpace(c.HostName.Val) == "" {
		d.errs.Add(c.HostName.Pos, what+": host: name the machine, e.g. host: vps-1")
	}
	if c.State != nil {
		d.validateState(what+": state", c.State)
	}
	if s := c.Shards; s != nil && s.VNodes.Set() && s.Strategy.Val != ConsistentHash && s.Strategy.Set() {
		d.errs.Add(s.VNodes.Pos, what+": shards: vnodes applies to strategy consistent-hash only")
	}
	if c.Kind.Val == Worker && !c.Driver.Set() {
		c.Driver.Val = DrivenByQueue
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

func (d *decoder) validateState(what string, s *State) {
	switch {
	case s.Sessions.Val == SessionsExternal && !s.SessionStore.Set():
		d.errs.Add(s.Sessions.Pos, what+": sessions: external needs session_store, the component that holds them")
	case s.SessionStore.Set() && s.Sessions.Val != SessionsExternal:
		d.errs.Add(s.SessionStore.Pos, what+": session_store goes with sessions: external")
	}
	switch {
	case s.Uploads.Val == UploadsObjectStorage && !s.UploadStore.Set():
		d.errs.Add(s.Uploads.Pos, what+": uploads: object_storage needs upload_store, the object storage component")
	case s.UploadStore.Set() && s.Uploads.Val != UploadsObjectStorage:
		d.errs.Add(s.UploadStore.Pos, what+": upload_store goes with uploads: object_storage")
	}
}

func (d *decoder) validateCall(call *Call) {
	t := call.To.Target
	if t == nil {
		return
	}
	what := fmt.Sprintf("component %q: call to %q", call.From.ID, t.ID)
	if t.Kind.Val == Client {
		d.errs.Add(call.To.Pos, fmt.Sprintf("%s: %q is a client, and clients start requests; nothing calls them: remove the call, or if %q sends requests to %q, list %q under components.%s.calls", what, t.ID, t.ID, call.From.ID, call.From.ID, t.ID))
	}
	queueOp := call.Op.Val == OpPublish || call.Op.Val.Consumes()
	switch {
	case t.Kind.Val == Queue && call.Op.Set() && !queueOp:
		d.errs.Add(call.Op.Pos, fmt.Sprintf("%s: op %s does not apply to a queue; use publish, consume or subscribe", what, call.Op.Val))
	case t.Kind.Val != Queue && call.Op.Set() && queueOp:
		d.errs.Add(call.Op.Pos, fmt.Sprintf("%s: op %s applies to queues, and %q is a %s", what, call.Op.Val, t.ID, t.Kind.Val.Title()))
	}
	loop := call.From.DrivenBy() == DrivenByLoop
	if loop && call.Op.Val.Consumes() {
		d.errs.Add(call.Op.Pos, fmt.Sprintf("%s: op %s, but %q is driven_by: loop, its own loop over a store, not by jobs off a queue: drop driven_by (a queue is the default), or publish to %q instead", what, call.Op.Val, call.From.ID, t.ID))
	}
	consumer := call.From.Kind.Val.IsConsumer() && !loop
	if !call.Op.Set() {
		switch {
		case t.Kind.Val == Queue && consumer && t.Mode.Val == PubSub:
			call.Op.Val = OpSubscribe
		case t.Kind.Val == Queue && consumer:
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
	if call.FanoutFactor.Set() && call.Op.Val.Consumes() {
		d.errs.Add(call.FanoutFactor.Pos, fmt.Sprintf("%s: fanout applies to calls that send (one write to N timelines, one event to N subscribers), not to taking jobs off a queue: move it to the call that publishes to %q, or drop it", what, t.ID))
	}
	if !call.FanoutFactor.Set() {
		call.FanoutFactor.Val = 1
	}
	if call.Outbox.Val && call.Op.Val != OpPublish {
		d.errs.Add(call.Outbox.Pos, what+": outbox applies to publishing to a queue")
	}
	if call.Fallback.Target == t {
		d.errs.Add(call.Fallback.Pos, what+": the fallback is the target itself; name the component that serves when it fails")
	}
}

// duplicateCalls reports a second call to the same target: flow steps and
// the rules know a call by its caller and target, so the second would be
// ignored.
func (d *decoder) duplicateCalls(c *Component) {
	var first map[*Component]*Call // only for long lists: most are short and scanned
	for i, call := range c.Calls {
		t := call.To.Target
		if t == nil {
			continue
		}
		var prev *Call
		if len(c.Calls) <= 16 {
			for _, p := range c.Calls[:i] {
				if p.To.Target == t {
					prev = p
					break
				}
			}
		} else {
			if first == nil {
				first = make(map[*Component]*Call, len(c.Calls))
			}
			if prev = first[t]; prev == nil {
				first[t] = call
			}
		}
		if prev != nil {
			d.errs.Add(call.To.Pos, fmt.Sprintf("component %q: calls %q twice (first at line %d); keep one call per target (op: read_write covers reads and writes)", c.ID, call.To.Name, prev.To.Pos.Line))
		}
	}
}

// replicaChains reports replica_of cycles and replicas of replicas: a
// replica follows a primary, and capacity and the rules count a primary's
// replicas one level deep. Each component is walked once.
func (d *decoder) replicaChains() {
	const (
		unseen = iota
		onPath
		done
	)
	n := len(d.m.Components)
	for i, c := range d.m.Components {
		c.index = i
	}
	state := make([]uint8, n)
	root := make([]*Component, n) // the primary a chain ends at; nil in or behind a cycle
	inCycle := make([]bool, n)
	var path []*Component
	for _, c := range d.m.Components {
		path = path[:0]
		x := c
		for x != nil && state[x.index] == unseen {
			state[x.index] = onPath
			path = append(path, x)
			x = x.ReplicaOf.Target
		}
		var end *Component
		switch {
		case x == nil:
			end = path[len(path)-1] // the walk ended at a primary
		case state[x.index] == onPath:
			i := slices.Index(path, x)
			d.reportCycle(path[i:])
			for _, y := range path[i:] {
				inCycle[y.index], state[y.index] = true, done
			}
			path = path[:i]
		default:
			end = root[x.index]
		}
		for _, y := range path {
			state[y.index], root[y.index] = done, end
		}
	}
	for _, c := range d.m.Components {
		p := c.ReplicaOf.Target
		if p == nil || inCycle[c.index] || p.ReplicaOf.Target == nil {
			continue
		}
		fix := "name a primary instead"
		if r := root[c.index]; r != nil {
			fix = fmt.Sprintf("name its primary %q instead", r.ID)
		}
		d.errs.Add(c.ReplicaOf.Pos, fmt.Sprintf("component %q: replica_of names %q, which is itself a replica; a replica follows a primary: %s", c.ID, p.ID, fix))
	}
}

// reportCycle reports the replica_of cycle once, at the member that comes
// first in the file, listing the members from it in replica_of order.
func (d *decoder) reportCycle(cycle []*Component) {
	first := 0
	for i, c := range cycle {
		if c.Pos.Before(cycle[first].Pos) {
			first = i
		}
	}
	ids := make([]string, 0, len(cycle)+1)
	for i := range cycle {
		ids = append(ids, cycle[(first+i)%len(cycle)].ID)
	}
	ids = append(ids, cycle[first].ID)
	c := cycle[first]
	d.errs.Add(c.ReplicaOf.Pos, fmt.Sprintf("component %q: replica_of forms a cycle (%s); one of them is the primary: remove its replica_of", c.ID, strings.Join(ids, " → ")))
}

func (d *decoder) validateFlow(fl *Flow) {
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
