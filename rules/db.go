package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/archdiag/archdiag/model"
)

// DBNoFailover reports primary databases that do not fail over automatically.
var DBNoFailover = &Rule{
	ID:       "db/no-failover",
	Title:    "a primary database has no automatic failover",
	Severity: model.SeverityError,
	Doc: `When a primary fails, writes stop until a replica is promoted or a new
primary is provisioned. Promotion has to be automated to keep the outage
short; read replicas alone only keep reads going.

Trigger: a database that is not a replica (role primary or standalone),
not managed, with fewer than two instances and no automatic failover to a
standby, and not on a host that spof/shared-host reports (that finding
covers it). Error when clients reach it along hard dependencies; warning
when failover is manual, or when only asynchronous consumers use it. The
message names the flows that break. In a model that states no counts the
database is named in the info of spof/single-instance instead.

Example:

    db:
      kind: database
      role: primary          # add failover: { mode: automatic, standby: db-standby }`,
	Fix: "Add a standby in another zone with automatic failover (failover: { mode: automatic, standby: ... }), or use a managed highly available database.",
	Run: func(p *Pass) {
		reached := p.ix.fromEntries()
		for i, c := range p.Model.Components {
			if !noFailoverCandidate(p.ix, c) || !p.ix.countJudged(p.Rule, c) {
				continue
			}
			rs := p.ix.replicasOf(c)
			writes := lostAccess(p.ix.callers(c))
			var b strings.Builder
			manual := c.Failover != nil && c.Failover.Mode.Val == model.FailoverManual
			if manual {
				fmt.Fprintf(&b, "%s (%s) fails over only by hand: when it fails, %s stop until someone promotes a standby", named(c), c.RedundancyText(), writes)
			} else {
				fmt.Fprintf(&b, "%s (%s) has no automatic failover: when it fails, %s stop until it is restored", named(c), c.RedundancyText(), writes)
			}
			var serving int
			for _, r := range rs {
				if len(p.ix.callers(r)) > 0 {
					serving++
				}
			}
			switch {
			case serving == 1 && len(rs) == 1:
				b.WriteString(" (its replica keeps serving the reads sent to it)")
			case serving > 0:
				fmt.Fprintf(&b, " (%s of its replicas keep serving the reads sent to them)", model.Rate(float64(serving)))
			}
			b.WriteString(flowClause(p.ix, c))
			d := p.Reportf(c, model.Pos{}, "%s", b.String())
			if manual || !reached[i] {
				d.Severity(model.SeverityWarning)
			}
			if c.Failover != nil {
				d.Related(c.Failover.Mode.Pos, "failover mode %s", c.Failover.Mode.Val)
			}
		}
	},
}

// lostAccess says what stops when a store fails, by what its callers do:
// "writes from 'api' and reads from 'web'", or "reads and writes from 'app'".
func lostAccess(calls []*model.Call) string {
	var both, reads, writes []string
	add := func(list *[]string, id string) {
		if !slices.Contains(*list, id) {
			*list = append(*list, id)
		}
	}
	for _, call := range calls {
		op, id := call.Op.Val, call.From.ID
		switch {
		case op == model.OpRead:
			add(&reads, id)
		case op == model.OpWrite || op == model.OpPublish:
			add(&writes, id)
		default:
			add(&both, id)
		}
	}
	var parts []string
	for _, p := range []struct {
		what string
		ids  []string
	}{{"reads and writes", both}, {"writes", writes}, {"reads", reads}} {
		if len(p.ids) > 0 {
			parts = append(parts, p.what+" from "+quoted(p.ids))
		}
	}
	if len(parts) == 0 {
		return "reads and writes"
	}
	return joinAnd(parts)
}

// noFailoverCandidate reports whether c is a primary or standalone database
// without redundancy that no host finding covers.
func noFailoverCandidate(ix *index, c *model.Component) bool {
	return c.Kind.Val == model.Database && c.Role.Val != model.RoleReplica && !c.Redundant() && !ix.onReportedHost(c)
}

// DBWriteToReplica reports writes sent to read replicas.
var DBWriteToReplica = &Rule{
	ID:       "db/write-to-replica",
	Title:    "a call writes to a read replica",
	Severity: model.SeverityError,
	Doc: `A primary serves reads and writes; its replicas serve reads only. A write
sent to a replica fails because the replica is read-only or, worse,
succeeds and makes the replica diverge from its primary.

Trigger: a call with op write or read_write to a database that is a replica
(replica_of is set). One finding per replica, naming every writer.

Example:

    app:
      calls:
        - { to: users-ro, op: write }   # users-ro has replica_of: users-db`,
	Fix: "Send writes to the primary and split reads from writes in the data-access layer.",
	Run: func(p *Pass) {
		for _, t := range p.Model.Components {
			if t.Kind.Val != model.Database || t.Role.Val != model.RoleReplica {
				continue
			}
			var writes []*model.Call
			for _, call := range p.ix.callers(t) {
				if call.Op.Val.Writes() {
					writes = append(writes, call)
				}
			}
			if len(writes) == 0 {
				continue
			}
			primary := t.ReplicaOf.Name
			first := writes[0]
			d := p.Reportf(first.From, first.Pos, "%s %s to '%s', a read replica of '%s' (%s replication): replicas are read-only, so the write fails or makes the replica diverge from '%s'",
				quoted(callerIDs(writes)), writeVerb(len(callerIDs(writes))), t.ID, primary, t.Replication.Val, primary).
				Related(t.ReplicaOf.Pos, "%s follows %s", t.ID, primary)
			for _, call := range writes[1:] {
				d.Related(call.Pos, "%s", call)
			}
		}
	},
}

// writeVerb is "writes" for one writer, "write" for more.
func writeVerb(n int) string {
	if n == 1 {
		return "writes"
	}
	return "write"
}

// DBReadAfterWriteLag reports flows that read their own write from a
// lagging replica.
var DBReadAfterWriteLag = &Rule{
	ID:       "db/read-after-write-lag",
	Title:    "a flow reads its own write from an asynchronous replica",
	Severity: model.SeverityWarning,
	Doc: `Asynchronous replicas lag behind their primary. A user who has just signed up
and is sent to a page that reads from a replica may find nothing there. The
usual remedies read what the user may have changed from the primary, read
from the primary for a while after a write, or wait until the replica has
caught up with the user's last write.

Trigger: within one flow, a step writes (op write or read_write) to a
primary, and a later step reads (op read or read_write) from a replica of
that primary with asynchronous replication (the default), and the reading
component does not declare read_your_writes: true. One finding per flow,
reader and replica, naming each step that reads it.

Example:

    flows:
      signup:
        steps:
          - { from: app, to: users-db, action: inserts the user }
          - { from: app, to: users-ro, action: shows the profile }   # users-ro is an async replica`,
	Fix: "Read the user's own recent writes from the primary (and set read_your_writes: true), or use synchronous replication for this data.",
	Run: func(p *Pass) {
		for _, fl := range p.Model.Flows {
			written := map[*model.Component]*model.Step{} // primary → first step writing it; looked up only
			type key struct{ reader, replica *model.Component }
			reported := map[key]*Diagnostic{} // looked up only
			for _, st := range fl.Steps {
				call := st.Call
				if call == nil {
					continue
				}
				t := call.To.Target
				if call.Op.Val.Writes() && t.Kind.Val == model.Database && t.Role.Val != model.RoleReplica && written[t] == nil {
					written[t] = st
				}
				if !call.Op.Val.Reads() || t.Kind.Val != model.Database || t.Role.Val != model.RoleReplica || t.Replication.Val != "async" {
					continue
				}
				w := written[t.ReplicaOf.Target]
				if w == nil || call.From.ReadYourWrites.Val {
					continue
				}
				if d := reported[key{call.From, t}]; d != nil {
					d.Related(st.Pos, "step %d reads %s again", st.Number, t.ID)
					continue
				}
				reported[key{call.From, t}] = p.Reportf(call.From, st.Pos, "flow '%s' writes '%s' in step %d, then reads '%s', an asynchronous replica of it, in step %d: while the replica lags the read misses the write, and '%s' does not declare read_your_writes",
					fl.Name, t.ReplicaOf.Name, w.Number, t.ID, st.Number, call.From.ID).
					Related(w.Pos, "step %d writes %s", w.Number, t.ReplicaOf.Name)
			}
		}
	},
}
