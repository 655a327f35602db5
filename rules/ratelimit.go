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
		// unlimited holds the components a client reaches without passing a
		// rate limit; via, the call that first reached each.
		unlimited := map[*model.Component]bool{}
		via := map[*model.Component]*model.Call{}
		var queue []*model.Component
		for _, c := range p.Model.Components {
			if c.Kind.Val.IsEntry() {
				unlimited[c] = true
				queue = append(queue, c)
			}
		}
		for len(queue) > 0 {
			c := queue[0]
			queue = queue[1:]
			if c.Kind.Val == model.App {
				continue // the first app tier: the edge ends here
			}
			for _, call := range c.Calls {
				t := call.To.Target
				if call.Mode.Val != model.Sync || unlimited[t] || t.RateLimit != nil {
					continue
				}
				switch t.Kind.Val {
				case model.WaitingRoom, model.LoadBalancer, model.Webserver, model.App:
					unlimited[t] = true
					via[t] = call
					queue = append(queue, t)
				}
			}
		}
		for _, c := range p.Model.Components {
			if c.Kind.Val != model.App || !unlimited[c] {
				continue
			}
			var path []*model.Call
			for call := via[c]; call != nil; call = via[call.From] {
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
