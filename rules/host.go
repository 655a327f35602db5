package rules

import (
	"fmt"
	"slices"

	"github.com/archdiag/archdiag/model"
)

// SharedHost reports machines that several components share and that lie
// on every path to a critical target.
var SharedHost = &Rule{
	ID:       "spof/shared-host",
	Title:    "components that share one host lie on every path to a critical target",
	Severity: model.SeverityError,
	Doc: `Components that run on one machine fail together: a disk, a kernel panic,
a reboot for patches or the provider retiring the instance stops all of
them at once, whatever each one's own settings say. A single VPS running
the reverse proxy, the application and its databases is one failure domain,
and the usual first step out of it is to move the database to its own
machine and run two application servers behind a load balancer.

Trigger: two or more components name the same host, and with all of them
removed from the hard-dependency graph of spof/single-instance, a critical
target reachable from the clients is no longer reached (or is itself on the
host), or a consumed queue loses every consumer. One finding per host, at
its first component, naming every component on it. The components on such
a host get no spof/single-instance, lb/single-instance, db/no-failover or
cron/single-runner finding of their own: the host's finding stands for
them.

Example:

    components:
      users: { kind: client, calls: [nginx] }
      nginx: { kind: webserver, host: vps, calls: [app] }
      app: { kind: app, host: vps, calls: [{ to: db, op: read_write }] }
      db: { kind: database, host: vps }`,
	Fix: "Move the databases to their own machines (or a managed service) with a standby, and run the application on two or more machines behind a load balancer.",
	Run: func(p *Pass) {
		for _, h := range p.Model.Hosts() {
			hl := p.ix.hostLoss(h)
			if hl == nil {
				continue
			}
			first := h.Components[0]
			n := len(h.Components)
			msg := fmt.Sprintf("host '%s' runs %s: one machine failure stops %s", h.Name, quoted(ids(h.Components)), allOf(n))
			if len(hl.targets) > 0 {
				msg += fmt.Sprintf(", and every path from %s to %s passes through it", quoted(ids(hl.entries)), quoted(ids(hl.targets)))
			}
			for _, q := range hl.queues {
				msg += fmt.Sprintf("; it runs every consumer of queue '%s', so its messages wait while it is down", q.ID)
			}
			var flows []*model.Flow
			for _, c := range h.Components {
				for _, fl := range p.ix.flowsBrokenBy(c) {
					if !slices.Contains(flows, fl) {
						flows = append(flows, fl)
					}
				}
			}
			if len(flows) > 0 {
				msg += "; flows that break: " + listAnd(flowNames(flows))
			}
			msg += "; their own single-point-of-failure findings are folded into this one"
			d := p.Reportf(first, model.Pos{}, "%s", msg)
			d.Related(h.Pos, "host %s", h.Name)
			for _, c := range h.Components[1:] {
				d.Related(c.HostName.Pos, "%s runs on %s", c.ID, h.Name)
			}
		}
	},
}

// allOf is "both", "all three", ..., "all 12".
func allOf(n int) string {
	words := []string{"", "it", "both", "all three", "all four", "all five", "all six", "all seven", "all eight", "all nine", "all ten"}
	if n < len(words) {
		return words[n]
	}
	return "all " + model.Rate(float64(n))
}

// A hostLossResult is what fails with a shared host.
type hostLossResult struct {
	entries []*model.Component // the clients whose paths it cuts
	targets []*model.Component // critical targets cut off or on the host, in file order
	queues  []*model.Component // consumed queues whose consumers all run on it
}

// hostLoss returns what fails with h, or nil when h runs fewer than two
// components or cuts nothing critical; computed once per host.
func (ix *index) hostLoss(h *model.Host) *hostLossResult {
	if hl, ok := ix.hosts[h]; ok {
		return hl
	}
	var res *hostLossResult
	if len(h.Components) >= 2 {
		res = ix.computeHostLoss(h)
	}
	ix.hosts[h] = res
	return res
}

func (ix *index) computeHostLoss(h *model.Host) *hostLossResult {
	n := len(ix.m.Components)
	on := make([]bool, n)
	for _, c := range h.Components {
		on[ix.num[c]] = true
	}
	g := ix.graph()
	// reach walks the hard-dependency graph from the clients, skipping the
	// host's components when skip is set.
	reach := func(skip bool) []bool {
		seen := make([]bool, n)
		var stack []int
		for i, c := range ix.m.Components {
			if c.Kind.Val.IsEntry() && !(skip && on[i]) {
				seen[i] = true
				stack = append(stack, i)
			}
		}
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, e := range g.out[v] {
				if !seen[e.to] && !(skip && on[e.to]) {
					seen[e.to] = true
					stack = append(stack, e.to)
				}
			}
		}
		return seen
	}
	all, without := reach(false), reach(true)
	res := &hostLossResult{}
	lost := make([]bool, n)
	for i, c := range ix.m.Components {
		if all[i] && ix.criticalRole(c) != "" && (on[i] || !without[i]) {
			lost[i] = true
			res.targets = append(res.targets, c)
		}
	}
	// The clients whose paths it cuts: those that reach a lost target.
	if len(res.targets) > 0 {
		into := make([][]int, n)
		for v := range g.out {
			for _, e := range g.out[v] {
				into[e.to] = append(into[e.to], v)
			}
		}
		seen := slices.Clone(lost)
		var stack []int
		for i := range lost {
			if lost[i] {
				stack = append(stack, i)
			}
		}
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, u := range into[v] {
				if !seen[u] {
					seen[u] = true
					stack = append(stack, u)
				}
			}
		}
		for i, c := range ix.m.Components {
			if seen[i] && c.Kind.Val.IsEntry() {
				res.entries = append(res.entries, c)
			}
		}
	}
	for qi, q := range ix.m.Components {
		cons := ix.consumers[qi]
		if q.Kind.Val != model.Queue || on[qi] || len(cons) == 0 {
			continue
		}
		if !slices.ContainsFunc(cons, func(call *model.Call) bool { return !on[ix.num[call.From]] }) {
			res.queues = append(res.queues, q)
		}
	}
	if len(res.targets) == 0 && len(res.queues) == 0 {
		return nil
	}
	return res
}

// onReportedHost reports whether c runs on a host that spof/shared-host
// reports, so that c's own single-point-of-failure finding would repeat it.
func (ix *index) onReportedHost(c *model.Component) bool {
	h := c.Host()
	return h != nil && ix.cfg.Enabled(SharedHost.ID) && ix.hostLoss(h) != nil
}
