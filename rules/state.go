package rules

import (
	"fmt"
	"slices"

	"github.com/archdiag/archdiag/model"
)

// LocalSessions reports sessions kept on instances that nothing pins users to.
var LocalSessions = &Rule{
	ID:       "state/local-sessions",
	Title:    "sessions live in one instance's memory while requests go to any instance",
	Severity: model.SeverityError,
	Doc: `Servers behind a load balancer should be stateless: consecutive requests from
one user land on different instances, and a session kept in one instance's
memory is missing on all the others, so users are logged out at random and
carts empty. A stateless tier is also what makes autoscaling possible.

Trigger: an app server or webserver that can run two or more instances
(instances, or autoscale max) keeps sessions locally (state.sessions: local,
or sticky while no proxy in front of it has sticky_sessions), and no load
balancer or webserver that calls it pins users with sticky_sessions. With
pinning, state/sticky-sessions reports it instead.

Example:

    app:
      kind: app
      instances: 3
      state: { sessions: local }    # the next request finds the session 1 time in 3`,
	Fix: "Keep sessions in a shared store with expiry (sessions: external with a session_store) or in signed tokens held by the client.",
	Run: func(p *Pass) {
		for _, c := range p.Model.Components {
			st, n, pins := sessionState(p.ix, c)
			if st == nil || len(pins) > 0 {
				continue
			}
			what := "in local memory"
			if st.Sessions.Val == model.SessionsSticky {
				what = "locally and relies on sticky sessions"
			}
			front := "and nothing in front of it pins users to one instance"
			if proxies := proxiesOf(p.ix, c); len(proxies) > 0 {
				front = fmt.Sprintf("and %s does not pin users to one (no sticky_sessions)", quoted(callerIDs(proxies)))
			}
			odds := fmt.Sprintf("%d times in %d", n-1, n)
			if n == 2 {
				odds = "half the time"
			}
			d := p.Reportf(c, st.Sessions.Pos, "'%s' keeps sessions %s on %s %s: a user's next request lands on another instance about %s and finds no session",
				c.ID, what, instancesOf(c, n), front, odds)
			for _, call := range proxiesOf(p.ix, c) {
				d.Related(call.Pos, "%s", call)
			}
		}
	},
}

// StickySessions reports sessions kept locally behind a load balancer that
// pins users.
var StickySessions = &Rule{
	ID:       "state/sticky-sessions",
	Title:    "sticky sessions hide state kept on the instances",
	Severity: model.SeverityWarning,
	Doc: `Pinning each user to one instance makes local sessions work until that
instance fails, is scaled in or is redeployed: its users lose their
sessions. Load then follows users rather than capacity, and autoscaling
helps only new users. The twelve-factor methodology says sticky sessions
should never be relied upon; session state belongs in a store with expiry.

Trigger: an app server or webserver that can run two or more instances
keeps sessions locally (state.sessions: local or sticky) and a load
balancer or webserver that calls it has sticky_sessions: true.

Example:

    lb: { kind: load_balancer, instances: 2, sticky_sessions: true, calls: [app] }
    app: { kind: app, instances: 4, state: { sessions: sticky } }`,
	Fix: "Move sessions to a shared store with expiry or to signed tokens, then turn stickiness off.",
	Run: func(p *Pass) {
		for _, c := range p.Model.Components {
			st, n, pins := sessionState(p.ix, c)
			if st == nil || len(pins) == 0 {
				continue
			}
			d := p.Reportf(c, st.Sessions.Pos, "'%s' keeps sessions on its %d instances and %s pins each user to one (sticky_sessions): when an instance fails or is scaled in, its users, about 1 in %d, lose their sessions",
				c.ID, n, quoted(callerIDs(pins)), n)
			for _, call := range pins {
				d.Related(call.From.StickySessions.Pos, "%s pins users", call.From.ID)
			}
		}
	},
}

// LocalUploads reports uploads written to an instance's own disk.
var LocalUploads = &Rule{
	ID:       "state/local-uploads",
	Title:    "user uploads are written to an instance's local disk",
	Severity: model.SeverityError,
	Doc: `A file uploaded to one instance is absent on the others, and an instance that
is replaced or scaled in takes its users' files with it. Uploads and static
content belong in object storage, served through a CDN.

Trigger: an app server or webserver with state.uploads: local_disk. Error
when it can run two or more instances or autoscales; warning with a single
instance, where the files are lost with the instance and block scaling out.

Example:

    app:
      kind: app
      instances: 2
      state: { uploads: local_disk }   # use object_storage with an upload_store`,
	Fix: "Write uploads to object storage (uploads: object_storage with an upload_store), ideally with pre-signed direct uploads, and serve them through a CDN.",
	Run: func(p *Pass) {
		for _, c := range p.Model.Components {
			if c.State == nil || c.State.Uploads.Val != model.UploadsLocalDisk {
				continue
			}
			n := c.MaxInstances()
			if n >= 2 || c.Autoscale != nil {
				p.Reportf(c, c.State.Uploads.Pos, "'%s' writes uploads to local disk on %s: a file uploaded through one instance is missing on the other %d, and an instance that is replaced takes its files with it",
					c.ID, instancesOf(c, n), n-1)
				continue
			}
			p.Reportf(c, c.State.Uploads.Pos, "'%s' writes uploads to the local disk of its only instance: they are lost when it is replaced, and a second instance would not see them", c.ID).
				Severity(model.SeverityWarning)
		}
	},
}

// sessionState returns c's state when it keeps sessions locally on two or
// more instances, the most instances it runs, and the calls from proxies
// that pin users to instances.
func sessionState(ix *index, c *model.Component) (*model.State, int, []*model.Call) {
	st := c.State
	if st == nil || (st.Sessions.Val != model.SessionsLocal && st.Sessions.Val != model.SessionsSticky) {
		return nil, 0, nil
	}
	n := c.MaxInstances()
	if n < 2 {
		return nil, 0, nil
	}
	var pins []*model.Call
	for _, call := range proxiesOf(ix, c) {
		if call.From.StickySessions.Val {
			pins = append(pins, call)
		}
	}
	return st, n, pins
}

// proxiesOf returns the calls into c from load balancers and webservers
// that balance over it (c is in one of their pools).
func proxiesOf(ix *index, c *model.Component) []*model.Call {
	var out []*model.Call
	for _, call := range ix.callers(c) {
		if pl := ix.poolOf(call.From, c); pl != nil && slices.Contains(pl.calls, call) {
			out = append(out, call)
		}
	}
	return out
}

// instancesOf says how many instances c runs, n being the most: "its 3
// instances", or "up to 10 instances" when it autoscales.
func instancesOf(c *model.Component, n int) string {
	if c.Autoscale != nil {
		return "up to " + model.Plural(n, "instance")
	}
	return "its " + model.Plural(n, "instance")
}
