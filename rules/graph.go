package rules

import (
	"slices"

	"github.com/archdiag/archdiag/model"
)

// A depEdge is a hard dependency: when its target fails, its source fails.
type depEdge struct {
	to   int       // vertex
	pos  model.Pos // where the dependency is written
	text string    // e.g. "app -> db"
}

// depGraph is the hard-dependency graph over the components (vertex i is
// m.Components[i]). Consumption is not a dependency: a queue's consumers
// form their own sub-graph rooted at the queue.
type depGraph struct {
	out [][]depEdge
}

// hardDependency reports whether call.From fails when call.To fails: a
// synchronous call or a publish, with no fallback, no graceful degradation
// and no outbox (cache-aside reads are soft too).
func hardDependency(call *model.Call) bool {
	if call.Op.Val.Consumes() || call.Soft() {
		return false
	}
	return call.Mode.Val == model.Sync || call.Op.Val == model.OpPublish
}

func (ix *index) graph() *depGraph {
	if ix.deps != nil {
		return ix.deps
	}
	g := &depGraph{out: make([][]depEdge, len(ix.m.Components))}
	for i, c := range ix.m.Components {
		for _, call := range c.Calls {
			if t, ok := ix.num[call.To.Target]; ok && hardDependency(call) {
				g.out[i] = append(g.out[i], depEdge{to: t, pos: call.Pos, text: call.String()})
			}
		}
		// A shared session or upload store is used on every request even
		// when the model draws no call to it.
		if s := c.State; s != nil {
			for _, ref := range []model.Ref{s.SessionStore, s.UploadStore} {
				t, ok := ix.num[ref.Target]
				if !ok || ix.calls(c, ref.Target) {
					continue
				}
				g.out[i] = append(g.out[i], depEdge{to: t, pos: ref.Pos, text: c.ID + " -> " + ref.Name})
			}
		}
	}
	ix.deps = g
	return g
}

// calls reports whether from has a call to to.
func (ix *index) calls(from, to *model.Component) bool {
	for _, call := range from.Calls {
		if call.To.Target == to {
			return true
		}
	}
	return false
}

// criticalRole says why c is a critical target of the SPOF analysis, or
// "" when it is not one. critical: false takes a component out.
func (ix *index) criticalRole(c *model.Component) string {
	if c.Critical.Set() {
		if c.Critical.Val {
			return "critical " + c.Kind.Val.Title()
		}
		return ""
	}
	switch c.Kind.Val {
	case model.Database:
		if c.Role.Val != model.RoleReplica {
			return "database"
		}
	case model.AuthStore, model.ObjectStorage, model.External:
		return c.Kind.Val.Title()
	case model.Queue:
		if len(ix.publishersOf(c)) > 0 {
			return "queue"
		}
	case model.Cache:
		if c.Pattern.Val == model.SessionStore {
			return "session store"
		}
	}
	return ""
}

// spofCandidate reports whether c can be a single point of failure: it is
// not redundant, not an entry, and not a provider's network (a third-party
// service, DNS or a CDN, which are many machines whatever the model's
// instance count says).
func spofCandidate(c *model.Component) bool {
	return !c.Redundant() && !c.Kind.Val.IsEntry() && !providerNetwork(c)
}

// providerNetwork reports whether c is run by a provider as a distributed
// network: an external API, DNS or a CDN.
func providerNetwork(c *model.Component) bool {
	switch c.Kind.Val {
	case model.External, model.DNS, model.CDN:
		return true
	}
	return false
}

// A loss is what fails when one component fails.
type loss struct {
	queue   *model.Component   // nil: seen from the entries; else the queue whose sub-graph this is
	targets []*model.Component // critical targets cut off, in file order; may hold the component itself
	reads   []*model.Component // primaries whose read replicas are all cut off
	sole    bool               // the component is the only consumer of queue
	path    []depEdge          // a shortest path from the root to the first target
	entries []*model.Component // the entries whose paths pass through the component
}

// spofResult holds every candidate's losses, by component index.
type spofResult struct {
	losses [][]loss
}

// spofs runs the dominator analysis once per Run, for components without
// redundancy.
func (ix *index) spofs() *spofResult {
	if ix.spof == nil {
		ix.spof = ix.dominators(spofCandidate)
	}
	return ix.spof
}

// zoneSPOFs runs it for components whose instances share one zone.
func (ix *index) zoneSPOFs() *spofResult {
	if ix.zoneSPOF == nil {
		ix.zoneSPOF = ix.dominators(singleZone)
	}
	return ix.zoneSPOF
}

// singleZone reports whether c is redundant only by instances that the
// model says all run in one availability zone.
func singleZone(c *model.Component) bool {
	return c.MinInstances() >= 2 && c.Zones.Set() && c.Zones.Val <= 1 && !c.Managed.Val && !c.AutomaticFailover() &&
		!c.Kind.Val.IsEntry() && !providerNetwork(c)
}

// dominators finds, for each component that candidate accepts, the critical
// targets it dominates from the entries and from each consumed queue.
func (ix *index) dominators(candidate func(*model.Component) bool) *spofResult {
	n := len(ix.m.Components)
	res := &spofResult{losses: make([][]loss, n)}
	g := ix.graph()
	maxConsumers := 0
	for _, cs := range ix.consumers {
		maxConsumers = max(maxConsumers, len(cs))
	}
	// The reads that go to a primary's replicas are a target of their own,
	// numbered after the super-source: replicas are not critical one by one
	// (another replica, or the primary, can take a replica's reads), but
	// whatever stands between the clients and all of them stops every such
	// read.
	var readSets []*model.Component // virtual vertex n+1+k: the replicas of readSets[k]
	readSet := make([]int, n)       // by replica: its virtual vertex, or 0
	for i, c := range ix.m.Components {
		if len(ix.replicas[i]) == 0 {
			continue
		}
		readSets = append(readSets, c)
		for _, r := range ix.replicas[i] {
			readSet[ix.num[r]] = n + len(readSets)
		}
	}
	local := make([]int32, n+1+max(maxConsumers, len(readSets)))
	for i := range local {
		local[i] = -1
	}

	// From the entries: a virtual super-source n feeds every entry.
	root := n
	var entries []int
	for i, c := range ix.m.Components {
		if c.Kind.Val.IsEntry() {
			entries = append(entries, i)
		}
	}
	t := domTree(root, local, func(v int, add func(depEdge)) {
		switch {
		case v == root:
			for _, e := range entries {
				add(depEdge{to: e})
			}
			return
		case v > root:
			return
		}
		for _, e := range g.out[v] {
			add(e)
		}
		if rs := readSet[v]; rs > 0 {
			add(depEdge{to: rs})
		}
	})
	ix.collectLosses(res, t, nil, candidate, func(v int) bool {
		return v > root || (v < n && ix.criticalRole(ix.m.Components[v]) != "")
	}, func(v int) *model.Component { return readSets[v-root-1] })

	// From each consumed queue: queue → consumers → their hard dependencies,
	// plus virtual "processing" targets after the consumers. Point-to-point
	// consumers compete, so any of them processes a message; each pubsub
	// subscriber processes its own copy.
	for qi, q := range ix.m.Components {
		if q.Kind.Val != model.Queue || len(ix.consumers[qi]) == 0 {
			continue
		}
		var cons []int
		for _, call := range ix.consumers[qi] {
			if ci := ix.num[call.From]; !slices.Contains(cons, ci) {
				cons = append(cons, ci)
			}
		}
		pubsub := q.Mode.Val == model.PubSub
		virtual := func(v int) bool { return v >= n }
		t := domTree(qi, local, func(v int, add func(depEdge)) {
			switch {
			case v == qi:
				for _, call := range ix.consumers[qi] {
					add(depEdge{to: ix.num[call.From], pos: call.Pos, text: call.String()})
				}
				return
			case virtual(v):
				return
			}
			for j, ci := range cons {
				if ci == v {
					if pubsub {
						add(depEdge{to: n + j})
					} else {
						add(depEdge{to: n})
					}
				}
			}
			for _, e := range g.out[v] {
				add(e)
			}
		})
		ix.collectLosses(res, t, q, candidate, func(v int) bool {
			return virtual(v) || (v != qi && ix.criticalRole(ix.m.Components[v]) != "")
		}, nil)
	}
	return res
}

// collectLosses records, for every candidate vertex in t, the targets it
// dominates. Virtual targets (numbered from len(m.Components)) stand for a
// primary's replica reads when readsOf names that primary, and otherwise
// for the processing of a queue's messages.
func (ix *index) collectLosses(res *spofResult, t *dominatorTree, queue *model.Component, candidate func(*model.Component) bool, isTarget func(v int) bool, readsOf func(v int) *model.Component) {
	defer t.release()
	n := len(ix.m.Components)
	// Targets in file order (virtual targets, numbered after the
	// components, come last).
	var targets []int32
	for li, v := range t.verts {
		if li > 0 && isTarget(v) {
			targets = append(targets, int32(li))
		}
	}
	slices.SortFunc(targets, func(a, b int32) int { return t.verts[a] - t.verts[b] })
	lost := map[int32]*loss{} // candidate's local index → its loss; looked up only
	var order []int32         // candidates in the order first found
	add := func(cand, target int32) {
		v := t.verts[cand]
		if v >= n || !candidate(ix.m.Components[v]) || (queue != nil && ix.m.Components[v] == queue) {
			return
		}
		tv := t.verts[target]
		// A replica is not what stops the reads of its set: the others, or
		// the primary, can take them.
		if tv >= n && readsOf != nil && ix.m.Components[v].Role.Val == model.RoleReplica {
			return
		}
		l := lost[cand]
		if l == nil {
			l = &loss{queue: queue, path: t.pathTo(target)}
			lost[cand] = l
			order = append(order, cand)
		}
		// Each target walks its dominator chain once, so it reaches a
		// candidate at most once.
		switch {
		case tv >= n && readsOf != nil:
			l.reads = append(l.reads, readsOf(tv))
		case tv >= n:
			l.sole = true
		default:
			l.targets = append(l.targets, ix.m.Components[tv])
		}
	}
	for _, tg := range targets {
		add(tg, tg)
		for d := t.idom[tg]; d != 0; d = t.idom[d] {
			add(d, tg)
		}
	}
	var reach [][]uint64
	if queue == nil && len(order) > 0 {
		reach = t.entryReach()
	}
	for _, cand := range order {
		l := lost[cand]
		if reach != nil {
			for li, bits := range reach[cand] {
				for b := 0; b < 64; b++ {
					if bits&(1<<b) != 0 {
						l.entries = append(l.entries, ix.m.Components[t.verts[t.adj[0][li*64+b].to]])
					}
				}
			}
		}
		v := t.verts[cand]
		res.losses[v] = append(res.losses[v], *l)
	}
}

// dominatorTree is the dominator tree of the vertices reachable from a root.
type dominatorTree struct {
	verts  []int       // local index → vertex; verts[0] is the root
	adj    [][]depEdge // local adjacency; depEdge.to holds local indices
	parent []int32     // breadth-first parent, for shortest paths
	via    []int32     // index in adj[parent] of the edge used
	idom   []int32     // local index → local index of the immediate dominator
	local  []int32     // vertex → local index, -1 elsewhere; restored by release
}

// domTree computes immediate dominators with Cooper, Harvey and Kennedy's
// iterative algorithm ("A Simple, Fast Dominance Algorithm", 2001) over the
// vertices reachable from root; succ lists a vertex's edges in a stable
// order. local must map every vertex to -1.
func domTree(root int, local []int32, succ func(v int, add func(depEdge))) *dominatorTree {
	t := &dominatorTree{verts: []int{root}, parent: []int32{-1}, via: []int32{-1}, local: local}
	local[root] = 0
	for i := 0; i < len(t.verts); i++ {
		var out []depEdge
		succ(t.verts[i], func(e depEdge) {
			w := local[e.to]
			if w < 0 {
				w = int32(len(t.verts))
				local[e.to] = w
				t.verts = append(t.verts, e.to)
				t.parent = append(t.parent, int32(i))
				t.via = append(t.via, int32(len(out)))
			}
			e.to = int(w)
			out = append(out, e)
		})
		t.adj = append(t.adj, out)
	}
	n := len(t.verts)

	// Postorder numbers by an iterative depth-first search.
	post := make([]int32, n)
	order := make([]int32, 0, n)
	seen := make([]bool, n)
	type frame struct{ v, next int32 }
	stack := []frame{{0, 0}}
	seen[0] = true
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		if int(f.next) < len(t.adj[f.v]) {
			w := int32(t.adj[f.v][f.next].to)
			f.next++
			if !seen[w] {
				seen[w] = true
				stack = append(stack, frame{w, 0})
			}
			continue
		}
		post[f.v] = int32(len(order))
		order = append(order, f.v)
		stack = stack[:len(stack)-1]
	}
	preds := make([][]int32, n)
	for v, es := range t.adj {
		for _, e := range es {
			preds[e.to] = append(preds[e.to], int32(v))
		}
	}
	idom := make([]int32, n)
	for i := range idom {
		idom[i] = -1
	}
	idom[0] = 0
	intersect := func(a, b int32) int32 {
		for a != b {
			for post[a] < post[b] {
				a = idom[a]
			}
			for post[b] < post[a] {
				b = idom[b]
			}
		}
		return a
	}
	for changed := true; changed; {
		changed = false
		for i := n - 1; i >= 0; i-- { // reverse postorder
			b := order[i]
			if b == 0 {
				continue
			}
			d := int32(-1)
			for _, p := range preds[b] {
				switch {
				case idom[p] < 0:
				case d < 0:
					d = p
				default:
					d = intersect(p, d)
				}
			}
			if idom[b] != d {
				idom[b] = d
				changed = true
			}
		}
	}
	t.idom = idom
	return t
}

// release restores the shared vertex → local map.
func (t *dominatorTree) release() {
	for _, v := range t.verts {
		t.local[v] = -1
	}
}

// pathTo returns the edges of the breadth-first path from the root to the
// vertex at local index li, skipping edges without a position.
func (t *dominatorTree) pathTo(li int32) []depEdge {
	var path []depEdge
	for v := li; v > 0; v = t.parent[v] {
		if e := t.adj[t.parent[v]][t.via[v]]; e.pos.IsValid() {
			path = append(path, e)
		}
	}
	slices.Reverse(path)
	return path
}

// entryReach returns, for every local vertex, a bit set of the root's
// successors (the entries) that reach it.
func (t *dominatorTree) entryReach() [][]uint64 {
	words := (len(t.adj[0]) + 63) / 64
	reach := make([][]uint64, len(t.verts))
	for i := range reach {
		reach[i] = make([]uint64, words)
	}
	for b, e := range t.adj[0] {
		reach[e.to][b/64] |= 1 << (b % 64)
	}
	for changed := true; changed; {
		changed = false
		for v := 1; v < len(t.verts); v++ {
			for _, e := range t.adj[v] {
				for w, bits := range reach[v] {
					if reach[e.to][w]|bits != reach[e.to][w] {
						reach[e.to][w] |= bits
						changed = true
					}
				}
			}
		}
	}
	return reach
}

// reachFromEntries walks breadth first from the clients along the calls
// that follow accepts. It marks the components reached, by index, and
// records the call that first reached each (nil for the clients).
func (ix *index) reachFromEntries(follow func(*model.Call) bool) (reached []bool, via []*model.Call) {
	reached = make([]bool, len(ix.m.Components))
	via = make([]*model.Call, len(ix.m.Components))
	var queue []*model.Component
	for i, c := range ix.m.Components {
		if c.Kind.Val.IsEntry() {
			reached[i] = true
			queue = append(queue, c)
		}
	}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		for _, call := range c.Calls {
			t, ok := ix.num[call.To.Target]
			if !ok || reached[t] || !follow(call) {
				continue
			}
			reached[t], via[t] = true, call
			queue = append(queue, call.To.Target)
		}
	}
	return reached, via
}

// fromEntries marks the components that the clients reach along hard
// dependencies.
func (ix *index) fromEntries() []bool {
	g := ix.graph()
	reached := make([]bool, len(ix.m.Components))
	var stack []int
	for i, c := range ix.m.Components {
		if c.Kind.Val.IsEntry() {
			reached[i] = true
			stack = append(stack, i)
		}
	}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, e := range g.out[v] {
			if !reached[e.to] {
				reached[e.to] = true
				stack = append(stack, e.to)
			}
		}
	}
	return reached
}
