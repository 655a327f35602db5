package rules

import (
	"github.com/archdiag/archdiag/model"
)

// CDNMisplaced reports CDNs placed inside the back end.
var CDNMisplaced = &Rule{
	ID:       "cdn/misplaced",
	Title:    "a CDN sits behind back-end components instead of at the edge",
	Severity: model.SeverityError,
	Doc: `A CDN is a network of edge servers that serve static content close to the
users; DNS sends clients to it. It is not in the back end: it sits in front
of its origin (object storage, or the public load balancer). A CDN called
by back-end components is reached only after the request has paid the trip
to the back end, so it cannot serve users from the edge.

Trigger: a CDN called by a component other than a client, DNS or another
CDN; or a CDN that calls something that cannot be an origin (anything but
object storage, a load balancer, a webserver, an app server, a waiting room
or another CDN). One finding per CDN for each of the two, naming every
caller or origin.

Example:

    users: { kind: client, calls: [cdn, lb] }    # the client calls the CDN
    cdn: { kind: cdn, managed: true, origin: assets, calls: [assets] }`,
	Fix: "Put the CDN at the edge: clients call it, and it fetches from object storage or the public load balancer.",
	Run: func(p *Pass) {
		for _, c := range p.Model.Components {
			if c.Kind.Val != model.CDN {
				continue
			}
			var inside []*model.Call
			for _, call := range p.ix.callers(c) {
				switch call.From.Kind.Val {
				case model.Client, model.DNS, model.CDN:
					continue
				}
				inside = append(inside, call)
			}
			if len(inside) > 0 {
				callers := make([]string, 0, len(inside))
				for _, call := range inside {
					callers = append(callers, named(call.From))
				}
				d := p.Reportf(c, inside[0].Pos, "CDN '%s' is called by %s, inside the back end: requests reach it only after the trip to the back end, so it cannot serve users from the edge", c.ID, listAnd(callers))
				for _, call := range inside[1:] {
					d.Related(call.Pos, "%s", call)
				}
			}
			var origins []*model.Call
			for _, call := range c.Calls {
				switch call.To.Target.Kind.Val {
				case model.ObjectStorage, model.LoadBalancer, model.Webserver, model.App, model.WaitingRoom, model.CDN:
					continue
				}
				origins = append(origins, call)
			}
			if len(origins) > 0 {
				targets := make([]string, 0, len(origins))
				for _, call := range origins {
					targets = append(targets, named(call.To.Target))
				}
				d := p.Reportf(c, origins[0].Pos, "CDN '%s' fetches from %s: a CDN's origin is object storage or the public entry (a load balancer or webserver)", c.ID, listAnd(targets))
				for _, call := range origins[1:] {
					d.Related(call.Pos, "%s", call)
				}
			}
		}
	},
}
