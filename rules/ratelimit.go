package rules

import (
	"github.com/archdiag/archdiag/model"
)

// RateLimitMissingAtEdge reports app servers that clients reach with no
// rate limit on the way.
var RateLimitMissingAtEdge = &Rule{
	ID:       "ratelimit/missing-at-edge",
	Title:    "clients reach an app server with no rate limit on the way",
	Severity: model.SeverityWarning,
	Doc: `A misbehaving client, a bot or a retry storm can take all of a service's
capacity unless something between the clients and the application limits
how fast each client (and everyone together) may send. Throttling at the
edge answers the excess at once with 429 and Retry-After, and keeps the
app servers for the requests that are admitted. Bot traffic is a large
share of the load in a ticket on-sale.

Trigger: an app server reached from a client along synchronous calls
through waiting rooms, load balancers and webservers, where neither the app
server nor any component on some such path declares rate_limit.

Example:

    lb:
      kind: load_balancer
      rate_limit: { per_client_rps: 20 }`,
	Fix: "Declare a rate limit at the edge (per client, and globally) on the waiting room, load balancer or webserver, answering 429 with Retry-After beyond it.",
	Run: func(p *Pass) {
		// The clients' requests reach the first app tier through the edge;
		// a component with a rate limit stops the walk.
		unlimited, via := p.ix.reachFromEntries(func(call *model.Call) bool {
			t := call.To.Target
			switch t.Kind.Val {
			case model.WaitingRoom, model.LoadBalancer, model.Webserver, model.App:
				return call.From.Kind.Val != model.App && call.Mode.Val == model.Sync && t.RateLimit == nil
			}
			return false
		})
		for i, c := range p.Model.Components {
			if c.Kind.Val != model.App || !unlimited[i] {
				continue
			}
			var path []*model.Call
			for call := via[i]; call != nil; call = via[p.ix.num[call.From]] {
				path = append([]*model.Call{call}, path...)
			}
			entry := path[0].From
			d := p.Reportf(c, model.Pos{}, "requests from '%s' reach %s with no rate limit on the way (%s): a misbehaving client or a retry storm can take all of its capacity", entry.ID, named(c), pathText(path))
			for _, call := range path {
				d.Related(call.Pos, "%s", call.String())
			}
		}
	},
}

// pathText is "users -> lb -> app".
func pathText(path []*model.Call) string {
	s := path[0].From.ID
	for _, call := range path {
		s += " -> " + call.To.Target.ID
	}
	return s
}
