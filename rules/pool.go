package rules

import (
	"slices"

	"github.com/archdiag/archdiag/model"
)

// A pool is what a load balancer or reverse proxy balances across: the
// interchangeable components it calls. A proxy that also reads a session
// cache or writes a database uses those; it does not balance over them.
type pool struct {
	members []*model.Component // in the order the proxy calls them
	calls   []*model.Call      // the proxy's calls into the members
}

// poolsOf returns the pools c balances across, in the order of its calls;
// nil when c is not a load balancer or webserver. A pool is one server (a
// webserver or app server, with its instances) or the read replicas of one
// primary, which hold the same data. Two server components are two
// services, even when they look alike: a proxy routes to each by path or
// host, it does not spread one request stream over both.
func (ix *index) poolsOf(c *model.Component) []*pool {
	if !c.Kind.Val.IsProxy() {
		return nil
	}
	if ps, ok := ix.pools[c]; ok {
		return ps
	}
	var out []*pool
	byRole := map[string]*pool{} // looked up only
	for _, call := range c.Calls {
		t := call.To.Target
		if t == nil || call.Mode.Val != model.Sync || call.Op.Val.Consumes() {
			continue
		}
		role := poolRole(t)
		if role == "" {
			continue
		}
		p := byRole[role]
		if p == nil {
			p = &pool{}
			byRole[role] = p
			out = append(out, p)
		}
		if !slices.Contains(p.members, t) {
			p.members = append(p.members, t)
		}
		p.calls = append(p.calls, call)
	}
	ix.pools[c] = out
	return out
}

// poolRole names what makes a component interchangeable with others behind
// one proxy, or "" when a proxy does not balance over it.
func poolRole(t *model.Component) string {
	switch t.Kind.Val {
	case model.Webserver, model.App:
		return "server " + t.ID
	case model.Database:
		if t.Role.Val == model.RoleReplica && t.ReplicaOf.Target != nil {
			return "replica of " + t.ReplicaOf.Target.ID
		}
	}
	return ""
}

// size is how many instances the pool has: the autoscale minimums, or the
// maxima when the minimums leave fewer than two.
func (p *pool) size() int {
	lo, hi := 0, 0
	for _, m := range p.members {
		lo += m.MinInstances()
		hi += m.MaxInstances()
	}
	if lo >= 2 {
		return lo
	}
	return hi
}

// poolOf returns the pool of proxy that holds c, or nil.
func (ix *index) poolOf(proxy, c *model.Component) *pool {
	for _, p := range ix.poolsOf(proxy) {
		if slices.Contains(p.members, c) {
			return p
		}
	}
	return nil
}

// instancesText is "the 3 'app' instances", or "the 2 instances of 'a'
// and 'b'" for a pool of several components.
func (p *pool) instancesText(n int) string {
	if len(p.members) == 1 {
		return "the " + model.Rate(float64(n)) + " '" + p.members[0].ID + "' instances"
	}
	return "the " + model.Plural(n, "instance") + " of " + quoted(ids(p.members))
}
