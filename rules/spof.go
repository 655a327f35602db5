package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/archdiag/archdiag/model"
)

// SingleInstance is the generic single-point-of-failure rule.
var SingleInstance = &Rule{
	ID:       "spof/single-instance",
	Title:    "a component without redundancy lies on every path to a critical target",
	Severity: model.SeverityError,
	Doc: `Components in series multiply their availability: one hop with a single
instance caps every request that needs it. Redundancy has to exist at every
tier, but only where it matters, so archdiag treats a single point of
failure as a property of the graph rather than of an instance count.

Trigger: build the hard-dependency graph from the clients along hard
dependencies. A call is a hard dependency when it is synchronous (the
default for calls that are not queue operations) or publishes to a queue,
unless it is soft: it names a fallback, sets degrade: true, is a publish
marked outbox: true (the message is committed with the caller's own writes
and relayed later), or goes to a cache-aside cache. Consuming from a queue
and other calls marked mode: async are not dependencies; a shared session or
upload store named under state: is one even when no call is drawn to it.
Critical targets are primary and standalone databases, auth stores, object
storage, queues that are published to, session-store caches, external
providers reached along hard calls, and anything marked critical: true
(critical: false takes a component out). The reads sent to a primary's
read replicas are a target too: no replica is critical on its own (another
replica, or the primary, can take its reads), but whatever stands between
the clients and all of them stops every such read. A component that is not
redundant (fewer than two instances, or an autoscale minimum below two,
without automatic failover to a standby and not managed; DNS, CDNs and
external providers are the provider's networks and never count) fires when
every path from the clients to at least one critical target passes through
it, i.e. when it dominates that target. Declared flows are critical paths
too: a component that is not redundant and that a flow needs (it makes a
step's call, or is the target of a step that is not soft) fires even when
it dominates no critical target, naming the flows that break; read
replicas are not reported this way. Every finding names the flows that
break. Each consumed queue is also the root of its own
sub-graph (queue, consumers, their hard dependencies), so a worker's
database is not on the user's request path, and a queue whose only consumer
is not redundant reports that consumer. Load balancers, reverse proxies and
waiting rooms (lb/single-instance), database primaries (db/no-failover),
read- and write-through caches (cache/read-through-spof) and cron jobs
(cron/single-runner) have their own rules and are skipped here, and so
are components on a host that spof/shared-host reports, so each component
is reported once.

A model in which no component states instances, autoscale, managed,
failover or zones says nothing about how many of anything run: a component
diagram draws one box for five instances (host: is about colocation and
does not count). There the default of one instance is no fact, so this
rule, lb/single-instance, db/no-failover and cron/single-runner report
nothing and cache/read-through-spof reports an inline cache as a warning;
instead one info finding on the model names the components they would
report (of the rules that are enabled) and asks for instances, autoscale,
managed or failover on them. Once any component states one of those
fields, an unstated count is 1 again. A component whose ignore list names
the rule that would report it is judged as before: its author has accepted
the finding, which is reported, suppressed.

Example:

    components:
      users: { kind: client, calls: [lb] }
      lb: { kind: load_balancer, instances: 2, health_check: { path: /healthz }, calls: [app] }
      app: { kind: app, calls: [{ to: db, op: write, timeout_ms: 500 }] }   # 1 instance
      db: { kind: database, managed: true }

reports app: every path from 'users' to 'db' passes through it.`,
	Fix: "Run at least two instances across zones, add automatic failover to a standby, or make the calls on the path soft: a fallback, degrade: true, or for a publish outbox: true.",
	Run: func(p *Pass) {
		if !p.ix.countsStated {
			reportUnstatedCounts(p)
		}
		reportSPOFs(p, notOwnSPOFRule)
	},
}

// SingleZone reports redundant components whose instances share one zone.
var SingleZone = &Rule{
	ID:       "spof/single-zone",
	Title:    "instances that share one zone lie on every path to a critical target",
	Severity: model.SeverityWarning,
	Doc: `Instances in one availability zone fail together: a power, network or
deployment failure of the zone stops them all at once. Two instances in
one zone survive the loss of a machine, not of a zone; the zone is the
boundary that isolates faults.

Trigger: a component that states zones: 1 and has at least two instances
(or an autoscale minimum of two), not managed and without automatic
failover, dominates a critical target: the analysis of
spof/single-instance, with these components as the candidates. A
component that does not state zones is not judged: a model that says
nothing about zones gets no zone findings.

Example:

    app:
      kind: app
      instances: 3
      zones: 2`,
	Fix: "Spread the instances over at least two zones (zones: 2 or more), or use a managed service that spans zones.",
	Run: func(p *Pass) {
		reportLosses(p, p.ix.zoneSPOFs(), func(*model.Component) bool { return true },
			func(c *model.Component) string { return c.RedundancyText() + ", all in one zone" },
			": one zone outage stops every instance at once")
	},
}

// LBSingleInstance reports load balancers, reverse proxies and waiting rooms
// that are single points of failure.
var LBSingleInstance = &Rule{
	ID:       "lb/single-instance",
	Title:    "a load balancer, reverse proxy or waiting room is a single point of failure",
	Severity: model.SeverityError,
	Doc: `A load balancer is usually the first hop of every request, so a single one
is a single point of failure for the whole system; the same holds for a
lone reverse proxy (nginx in front of the app servers) or waiting room.

Trigger: a component of kind load_balancer, webserver or waiting_room that
meets the condition of spof/single-instance: it is not redundant and every
path from the clients to at least one critical target (or to all the read
replicas of a primary) passes through it, or a declared flow needs it.
Two proxies side by side (both called by the client) do not fire, since
neither dominates any target. A proxy on a host that spof/shared-host
reports is covered by that finding. In a model that states no counts the
proxy is named in the info of spof/single-instance instead.

Example:

    web:
      kind: webserver        # 1 instance, no failover: every request needs it
      calls: [{ to: app, timeout_ms: 5000 }]`,
	Fix: "Use a managed load balancer, or run two in an active-passive pair with a floating IP or health-checked DNS.",
	Run: func(p *Pass) { reportSPOFs(p, isEntryProxy) },
}

// LBNoHealthCheck reports proxies that forward to a pool without checking
// its members.
var LBNoHealthCheck = &Rule{
	ID:       "lb/no-health-check",
	Title:    "a load balancer forwards to a pool without a health check",
	Severity: model.SeverityWarning,
	Doc: `A load balancer's value is that it stops sending requests to members that
fail. Without a health check, a crashed or wedged instance keeps receiving
its share of the traffic, and those requests fail.

Trigger: a load_balancer or webserver that is not managed, has no
health_check, and balances synchronous calls over a pool of two or more
instances. A pool is what the proxy balances across: one webserver or app
server with its instances (the autoscale minimum, or the maximum when the
minimum is below two), or the read replicas of one primary. Caches,
queues, primaries and other components the proxy merely uses are not a
pool. Managed load balancers (a cloud load balancer) check the health of
their targets by default, so they do not fire. One finding per proxy,
naming every pool it balances. When no component of the model states a
health_check, the model does not describe health checks at all: one info
finding names the proxies instead.

Example:

    lb:
      kind: load_balancer
      instances: 2
      calls: [app]           # app has instances: 3; add health_check: { path: /healthz }`,
	Fix: "Add a health check (an endpoint, an interval and thresholds) so the load balancer stops sending to members that fail.",
	Run: func(p *Pass) {
		type unchecked struct {
			proxy   *model.Component
			pools   []*pool
			members []*model.Component
		}
		var found []unchecked
		stated := false
		for _, c := range p.Model.Components {
			stated = stated || c.HealthCheck != nil
			if !c.Kind.Val.IsProxy() || c.HealthCheck != nil || c.Managed.Val {
				continue
			}
			u := unchecked{proxy: c}
			for _, pl := range p.ix.poolsOf(c) {
				if pl.size() >= 2 {
					u.pools = append(u.pools, pl)
					u.members = append(u.members, pl.members...)
				}
			}
			if len(u.pools) > 0 {
				found = append(found, u)
			}
		}
		if len(found) > 0 && !stated {
			proxies := make([]*model.Component, len(found))
			for i, u := range found {
				proxies[i] = u.proxy
			}
			stop := "stop"
			if len(proxies) == 1 {
				stop = "stops"
			}
			p.Reportf(nil, model.Pos{}, "no component in the model states a health_check, so whether %s %s sending to a member that fails is left open",
				quoted(ids(proxies)), stop).Severity(model.SeverityInfo)
			return
		}
		for _, u := range found {
			c, pools, members := u.proxy, u.pools, u.members
			first := pools[0]
			n := first.size()
			d := p.Reportf(c, model.Pos{}, "%s forwards to %s without a health check: when one of %s crashes, it keeps getting about 1 in %d requests, and they fail",
				named(c), quoted(ids(members)), first.instancesText(n), n)
			for _, pl := range pools {
				for _, call := range pl.calls {
					d.Related(call.Pos, "%s", call)
				}
			}
		}
	},
}

// callerTargets returns the ids of the calls' targets.
func callerTargets(calls []*model.Call) []string {
	cs := make([]*model.Component, len(calls))
	for i, call := range calls {
		cs[i] = call.To.Target
	}
	return ids(cs)
}

// isEntryProxy reports whether c is a load balancer, reverse proxy or
// waiting room.
func isEntryProxy(c *model.Component) bool {
	return c.Kind.Val.IsProxy() || c.Kind.Val == model.WaitingRoom
}

// notOwnSPOFRule reports whether spof/single-instance itself judges c.
func notOwnSPOFRule(c *model.Component) bool { return !hasOwnSPOFRule(c) }

// hasOwnSPOFRule reports whether a rule more specific than
// spof/single-instance covers c.
func hasOwnSPOFRule(c *model.Component) bool {
	switch {
	case isEntryProxy(c), c.Kind.Val == model.Cron:
		return true
	case c.Kind.Val == model.Database:
		return c.Role.Val != model.RoleReplica
	case c.Kind.Val == model.Cache:
		return c.Pattern.Val.Inline()
	}
	return false
}

// reportSPOFs reports the components that want selects and that the
// dominator analysis found to be single points of failure, or that a
// declared flow cannot do without.
func reportSPOFs(p *Pass, want func(*model.Component) bool) {
	want = func(want func(*model.Component) bool) func(*model.Component) bool {
		return func(c *model.Component) bool {
			return want(c) && !p.ix.onReportedHost(c) && p.ix.countJudged(p.Rule, c)
		}
	}(want)
	reportLosses(p, p.ix.spofs(), want, (*model.Component).RedundancyText, "")
	res := p.ix.spofs()
	for i, c := range p.Model.Components {
		if len(res.losses[i]) > 0 || !want(c) || !flowCandidate(c) || len(p.ix.flowNeeds()[i]) == 0 {
			continue
		}
		d := p.Reportf(c, model.Pos{}, "%s", flowSPOFMessage(p.ix, c, c.RedundancyText()))
		for _, n := range p.ix.flowNeeds()[i] {
			d.Related(n.Step.Pos, "flow %s, step %d: %s", n.Flow.Name, n.Step.Number, n.Step.Call)
		}
	}
}

// singlePoint reports whether reportSPOFs, given want, reports c when the
// count is judged: c dominates a critical target, or a flow needs it.
func (ix *index) singlePoint(c *model.Component, want func(*model.Component) bool) bool {
	if !want(c) || ix.onReportedHost(c) {
		return false
	}
	i := ix.num[c]
	return len(ix.spofs().losses[i]) > 0 || (flowCandidate(c) && len(ix.flowNeeds()[i]) > 0)
}

// singleByDefault returns the id of the rule that reports c as a single
// point of failure at the default of one instance, or "".
func singleByDefault(ix *index, c *model.Component) string {
	switch {
	case ix.singlePoint(c, isEntryProxy):
		return "lb/single-instance"
	case ix.singlePoint(c, notOwnSPOFRule):
		return "spof/single-instance"
	case noFailoverCandidate(ix, c):
		return "db/no-failover"
	case singleRunner(ix, c):
		return "cron/single-runner"
	case len(inlineHardCalls(ix, c)) > 0 && !c.Redundant():
		return "cache/read-through-spof"
	}
	return ""
}

// reportUnstatedCounts reports, for a model that states no instance
// counts, the components that the single-point-of-failure rules would
// report at the default of one instance, in one info finding.
func reportUnstatedCounts(p *Pass) {
	var found []*model.Component
	var by []string
	for _, c := range p.Model.Components {
		id := singleByDefault(p.ix, c)
		// A suppressed finding is reported as before (see countJudged).
		if id == "" || !p.ix.cfg.Enabled(id) || c.Suppressed(id) != nil {
			continue
		}
		found = append(found, c)
		by = append(by, id)
	}
	if len(found) == 0 {
		return
	}
	what, would := "are single points of failure", "they would be"
	if len(found) == 1 {
		what, would = "is a single point of failure", "it would be"
	}
	d := p.Reportf(nil, model.Pos{}, "no component in the model states instances, autoscale, managed, failover or zones, so whether %s %s is left open: at the default of 1 instance %s; state instances (or autoscale, managed, failover) on the components for the full analysis",
		quoted(ids(found)), what, would).Severity(model.SeverityInfo)
	for i, c := range found {
		d.Related(c.Pos, "%s: %s at 1 instance", named(c), by[i])
	}
}

// flowCandidate reports whether c can break a flow on its own: it can be a
// single point of failure and is not a read replica, whose reads another
// replica or the primary can take.
func flowCandidate(c *model.Component) bool {
	return spofCandidate(c) && c.Role.Val != model.RoleReplica
}

// reportLosses reports each wanted component with losses in res, its
// redundancy described by redundancy, the message ending with tail.
func reportLosses(p *Pass, res *spofResult, want func(*model.Component) bool, redundancy func(*model.Component) string, tail string) {
	for i, c := range p.Model.Components {
		ls := res.losses[i]
		if len(ls) == 0 || !want(c) {
			continue
		}
		d := p.Reportf(c, model.Pos{}, "%s", spofMessage(p.ix, c, ls, redundancy(c), tail))
		var seen []model.Pos
		for _, l := range ls {
			for _, e := range l.path {
				if !slices.Contains(seen, e.pos) {
					seen = append(seen, e.pos)
					d.Related(e.pos, "%s", e.text)
				}
			}
		}
	}
}

// spofMessage states what fails with c: the targets cut off from the
// entries and from each queue it serves, and the flows that break.
func spofMessage(ix *index, c *model.Component, ls []loss, redundancy, tail string) string {
	first := true
	subject := func() string {
		if first {
			first = false
			return fmt.Sprintf("%s (%s)", named(c), redundancy)
		}
		return "it"
	}
	role := ix.criticalRole(c)
	var clauses []string
	for _, l := range ls {
		var others []*model.Component
		for _, t := range l.targets {
			if t != c {
				others = append(others, t)
			}
		}
		self := slices.Contains(l.targets, c)
		from := quoted(ids(l.entries))
		if l.queue != nil {
			from = "queue '" + l.queue.ID + "'"
		}
		if l.sole {
			clauses = append(clauses, fmt.Sprintf("%s is the only consumer of %s, so its messages wait while it is down", subject(), from))
		}
		// Replica reads are worth naming only where the primary itself is
		// not cut off.
		to := quotedAll(ids(others))
		for _, primary := range l.reads {
			if !slices.Contains(l.targets, primary) {
				to = append(to, "the read replicas of '"+primary.ID+"'")
			}
		}
		switch {
		case len(to) > 0:
			s := fmt.Sprintf("every path from %s to %s passes through %s", from, listAnd(to), subject())
			if self {
				s += ", itself " + model.Article(role)
			}
			clauses = append(clauses, s)
		case self:
			who := "requests from " + from
			if l.queue != nil {
				who = "the consumers of " + from
			}
			as := ""
			if role != c.Kind.Val.Title() {
				as = ", " + model.Article(role) + ","
			}
			clauses = append(clauses, fmt.Sprintf("%s depend on %s%s with no fallback", who, subject(), as))
		}
	}
	return strings.Join(clauses, "; ") + tail + flowClause(ix, c)
}
