package rules

import (
	"slices"

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
server nor any component on some such path declares rate_limit. One
finding per entry, the first component after the client, where a limit
would cover every app server behind it: it names each app server reached
through it unlimited. When no component of the model declares rate_limit
and there is no waiting room, the model does not describe throttling at
all: one info finding names the app servers reached instead.

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
		// Group the app servers by the entry their unlimited path goes
		// through: one missing limit there is one cause.
		type group struct {
			entry *model.Component
			apps  []*model.Component
			paths [][]*model.Call
		}
		var groups []*group
		byEntry := map[*model.Component]*group{} // looked up only
		for i, c := range p.Model.Components {
			if c.Kind.Val != model.App || !unlimited[i] {
				continue
			}
			var path []*model.Call
			for call := via[i]; call != nil; call = via[p.ix.num[call.From]] {
				path = append([]*model.Call{call}, path...)
			}
			entry := path[0].To.Target
			g := byEntry[entry]
			if g == nil {
				g = &group{entry: entry}
				byEntry[entry] = g
				groups = append(groups, g)
			}
			g.apps = append(g.apps, c)
			g.paths = append(g.paths, path)
		}
		if len(groups) == 0 {
			return
		}
		stated := slices.ContainsFunc(p.Model.Components, func(c *model.Component) bool {
			return c.RateLimit != nil || c.Kind.Val == model.WaitingRoom
		})
		if !stated {
			var apps []*model.Component
			for _, g := range groups {
				apps = append(apps, g.apps...)
			}
			p.Reportf(nil, model.Pos{}, "no component in the model declares rate_limit: clients reach %s with nothing limiting how fast one client, or all of them, may send",
				quoted(ids(apps))).Severity(model.SeverityInfo)
			return
		}
		for _, g := range groups {
			first := g.paths[0]
			client := first[0].From.ID
			var d *Diagnostic
			switch {
			case g.entry == g.apps[0]:
				d = p.Reportf(g.entry, model.Pos{}, "requests from '%s' reach %s directly, with no rate limit on the way (%s): a misbehaving client or a retry storm can take all of its capacity",
					client, named(g.entry), pathText(first))
			case len(g.apps) == 1:
				d = p.Reportf(g.entry, model.Pos{}, "requests from '%s' reach %s through %s with no rate limit on the way (%s): a misbehaving client or a retry storm can take all of its capacity",
					client, named(g.apps[0]), named(g.entry), pathText(first))
			default:
				d = p.Reportf(g.entry, model.Pos{}, "requests from '%s' reach %s app servers, %s, through %s with no rate limit on the way (%s, ...): a misbehaving client or a retry storm can take all of their capacity",
					client, model.Rate(float64(len(g.apps))), quoted(ids(g.apps)), named(g.entry), pathText(first))
			}
			var seen []*model.Call
			for _, path := range g.paths {
				for _, call := range path {
					if !slices.Contains(seen, call) {
						seen = append(seen, call)
						d.Related(call.Pos, "%s", call.String())
					}
				}
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
