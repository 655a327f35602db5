package render

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/archdiag/archdiag/model"
)

// A scene is what every output format draws: the model's components placed
// in tiers, the edges between them, the flow being walked through and the
// findings to outline. Building it once keeps DOT and Mermaid in step.
type scene struct {
	m        *model.Model
	rankdir  string
	flow     *model.Flow
	rows     []row
	edges    []*edge
	onFlow   map[*model.Component]bool
	order    map[*model.Component]int   // position in the file
	findings map[string][]model.Finding // visible findings by component id
	global   []model.Finding            // visible findings on no drawn component
	present  [numEdgeKinds]bool
	sync     bool // some call is drawn solid: the caller waits
	async    bool // some edge is asynchronous
}

// A row is one tier's components, grouped so that a primary sits beside its
// replicas and a queue beside its dead-letter queue.
type row struct {
	tier   model.Tier
	groups [][]*model.Component
}

type edge struct {
	from, to *model.Component
	kind     edgeKind
	async    bool
	label    string
	steps    []int // flow step numbers travelling this edge
	reverse  bool  // drawn from to to from: consumers receive from queues
}

func newScene(m *model.Model, opts Options) (*scene, error) {
	s := &scene{m: m, onFlow: map[*model.Component]bool{}, order: map[*model.Component]int{}, findings: map[string][]model.Finding{}}
	for i, c := range m.Components {
		s.order[c] = i
	}
	switch strings.ToUpper(opts.Direction) {
	case "", "TB":
		s.rankdir = "TB"
	case "LR":
		s.rankdir = "LR"
	default:
		return nil, &OptionError{"unknown direction " + strconv.Quote(opts.Direction) + " (want TB or LR)"}
	}
	if opts.Flow != "" {
		s.flow = m.Flow(opts.Flow)
		if s.flow == nil {
			return nil, &OptionError{unknownFlow(m, opts.Flow)}
		}
	}
	s.placeRows()
	s.addEdges()
	s.addFindings(opts.Findings)
	return s, nil
}

// OptionError reports options that do not fit the model: an unknown flow or
// direction.
type OptionError struct{ Msg string }

func (e *OptionError) Error() string { return e.Msg }

func unknownFlow(m *model.Model, name string) string {
	msg := "unknown flow " + strconv.Quote(name)
	if len(m.Flows) == 0 {
		return msg + ": the model has no flows"
	}
	names := make([]string, len(m.Flows))
	for i, f := range m.Flows {
		names[i] = f.Name
	}
	return msg + " (the model's flows: " + strings.Join(names, ", ") + ")"
}

func (s *scene) placeRows() {
	placed := map[*model.Component]bool{}
	ix := newGroupIndex(s.m)
	for _, t := range model.Tiers {
		r := row{tier: t}
		for _, c := range s.m.Components {
			if placed[c] || c.Kind.Val.Tier() != t {
				continue
			}
			g := s.group(c, placed, ix)
			r.groups = append(r.groups, g)
		}
		if len(r.groups) > 0 {
			s.rows = append(s.rows, r)
		}
	}
}

// groupIndex lists, in file order, the components that can join a group:
// each primary's replicas, each queue's consumers and the queues that
// dead-letter into each queue. Built once, so that grouping stays linear
// in the components.
type groupIndex struct {
	replicas, consumers, deadLetterSources map[*model.Component][]*model.Component
}

func newGroupIndex(m *model.Model) *groupIndex {
	ix := &groupIndex{
		replicas:          map[*model.Component][]*model.Component{},
		consumers:         map[*model.Component][]*model.Component{},
		deadLetterSources: map[*model.Component][]*model.Component{},
	}
	for _, c := range m.Components {
		if p := c.ReplicaOf.Target; p != nil {
			ix.replicas[p] = append(ix.replicas[p], c)
		}
		if d := c.DeadLetter.Target; d != nil {
			ix.deadLetterSources[d] = append(ix.deadLetterSources[d], c)
		}
		for _, call := range c.Calls {
			q := call.To.Target
			if q == nil || !call.Op.Val.Consumes() || q.Kind.Val != model.Queue {
				continue
			}
			if cs := ix.consumers[q]; len(cs) == 0 || cs[len(cs)-1] != c {
				ix.consumers[q] = append(cs, c)
			}
		}
	}
	return ix
}

// group returns c with the components drawn beside it, left to right: a
// primary database and its replicas (and theirs); or a queue's consumers,
// the queue and its dead-letter queue. Whichever member comes first in the
// file brings in the rest. Only members of c's tier join.
func (s *scene) group(c *model.Component, placed map[*model.Component]bool, ix *groupIndex) []*model.Component {
	tier := c.Kind.Val.Tier()
	free := func(x *model.Component) bool { return x != nil && !placed[x] && x.Kind.Val.Tier() == tier }
	root := c
	for range s.m.Components { // bounded: replica_of may form a cycle
		if !free(root.ReplicaOf.Target) {
			break
		}
		root = root.ReplicaOf.Target
	}
	if q := s.consumedQueue(root, free); q != nil {
		root = q
	}
	for _, q := range ix.deadLetterSources[root] {
		if free(q) {
			root = q
			break
		}
	}
	var g []*model.Component
	take := func(x *model.Component) {
		placed[x] = true
		g = append(g, x)
	}
	if root.Kind.Val == model.Queue {
		for _, x := range ix.consumers[root] {
			if x != root && free(x) && s.consumedQueue(x, free) == root {
				take(x)
			}
		}
		take(root)
		if d := root.DeadLetter.Target; free(d) {
			take(d)
		}
	} else {
		var replicas func(x *model.Component)
		replicas = func(x *model.Component) {
			take(x)
			for _, r := range ix.replicas[x] {
				if free(r) {
					replicas(r)
				}
			}
		}
		replicas(root)
	}
	if !placed[c] {
		take(c)
	}
	return g
}

// consumedQueue returns the first free queue that c consumes from, or nil.
func (s *scene) consumedQueue(c *model.Component, free func(*model.Component) bool) *model.Component {
	for _, call := range c.Calls {
		if q := call.To.Target; call.Op.Val.Consumes() && free(q) && q.Kind.Val == model.Queue {
			return q
		}
	}
	return nil
}

func (s *scene) addEdges() {
	steps := map[*model.Call][]int{}
	if s.flow != nil {
		for _, st := range s.flow.Steps {
			if st.Call == nil {
				continue
			}
			steps[st.Call] = append(steps[st.Call], st.Number)
			s.onFlow[st.Call.From] = true
			if st.Call.To.Target != nil {
				s.onFlow[st.Call.To.Target] = true
			}
		}
	}
	called := map[[2]*model.Component]bool{}
	for _, call := range s.m.Calls() {
		to := call.To.Target
		if to == nil {
			continue
		}
		called[[2]*model.Component{call.From, to}] = true
		e := &edge{from: call.From, to: to, label: call.Label.Val, steps: steps[call], async: call.Mode.Val == model.Async}
		switch op := call.Op.Val; {
		case op.Consumes():
			e.kind, e.reverse = edgeConsume, true
			if e.label == "" {
				e.label = string(op)
			}
		case op == model.OpRead:
			e.kind = edgeRead
		case op == model.OpWrite:
			e.kind = edgeWrite
		case op == model.OpReadWrite:
			e.kind = edgeReadWrite
		case e.async:
			e.kind = edgeAsync
		default:
			e.kind = edgeSync
		}
		if e.label == "" {
			switch e.kind {
			case edgeRead:
				e.label = "read"
			case edgeWrite:
				e.label = "write"
			case edgeReadWrite:
				e.label = "read/write"
			case edgeAsync:
				if call.Op.Val == model.OpPublish {
					e.label = "publish"
				}
			}
		}
		s.add(e)
	}
	for _, c := range s.m.Components {
		if p := c.ReplicaOf.Target; p != nil {
			mode := c.Replication.Val
			if mode == "" {
				mode = "async"
			}
			label := strings.ReplaceAll(mode, "_", "-") + " replication"
			if p.Failover != nil && p.Failover.Standby.Target == c {
				label += ", failover standby"
			}
			s.add(&edge{from: p, to: c, kind: edgeReplication, label: label})
		}
		if c.Failover != nil {
			if sb := c.Failover.Standby.Target; sb != nil && sb.ReplicaOf.Target != c {
				s.add(&edge{from: c, to: sb, kind: edgeFailover, label: string(c.Failover.Mode.Val) + " failover"})
			}
		}
		if d := c.DeadLetter.Target; d != nil {
			label := "dead letters"
			if c.MaxReceiveCount.Val > 0 {
				label = "after " + strconv.Itoa(c.MaxReceiveCount.Val) + " receives"
			}
			s.add(&edge{from: c, to: d, kind: edgeDeadLetter, label: label, async: true})
		}
		if o := c.Origin.Target; o != nil && !called[[2]*model.Component{c, o}] {
			s.add(&edge{from: c, to: o, kind: edgeOrigin, label: "origin"})
		}
	}
}

func (s *scene) add(e *edge) {
	s.edges = append(s.edges, e)
	s.present[e.kind] = true
	if e.async && e.kind != edgeDeadLetter {
		s.async = true
	}
	switch e.kind {
	case edgeSync, edgeRead, edgeWrite, edgeReadWrite:
		s.sync = s.sync || !e.async
	}
}

// addFindings keeps the findings a diagram shows: errors and warnings that
// are not suppressed, worst first, then by rule.
func (s *scene) addFindings(fs []model.Finding) {
	for _, f := range fs {
		if f.Suppressed || f.Severity < model.SeverityWarning {
			continue
		}
		if f.Component != "" && s.m.Component(f.Component) != nil {
			s.findings[f.Component] = append(s.findings[f.Component], f)
		} else {
			s.global = append(s.global, f)
		}
	}
	order := func(a, b model.Finding) int {
		if c := cmp.Compare(b.Severity, a.Severity); c != 0 {
			return c
		}
		return model.CompareFindings(a, b)
	}
	for _, fs := range s.findings {
		slices.SortStableFunc(fs, order)
	}
	slices.SortStableFunc(s.global, order)
}

// worst returns the highest severity among c's visible findings, or
// SeverityNone.
func (s *scene) worst(c *model.Component) model.Severity {
	fs := s.findings[c.ID]
	if len(fs) == 0 {
		return model.SeverityNone
	}
	return fs[0].Severity
}

// rules returns the distinct rule ids of c's visible findings for one
// severity, in order.
func (s *scene) rules(c *model.Component, sev model.Severity) []string {
	var out []string
	for _, f := range s.findings[c.ID] {
		if f.Severity == sev && !slices.Contains(out, f.Rule) {
			out = append(out, f.Rule)
		}
	}
	return out
}

// dim reports whether c is outside the flow being walked through.
func (s *scene) dim(c *model.Component) bool { return s.flow != nil && !s.onFlow[c] }

// standbyOnly reports whether replica c is its primary's failover standby
// and nothing reads from it.
func (s *scene) standbyOnly(c *model.Component) bool {
	p := c.ReplicaOf.Target
	if p == nil || !p.AutomaticFailover() || p.Failover.Standby.Target != c {
		return false
	}
	return !slices.ContainsFunc(s.m.Callers(c), func(call *model.Call) bool { return call.Op.Val.Reads() || call.Op.Val == model.OpCall })
}

// kindLine is the kind and the facts that qualify it, e.g. "database ·
// primary" or "cache · cache-aside".
func (s *scene) kindLine(c *model.Component) string {
	parts := []string{c.Kind.Val.Title()}
	switch c.Kind.Val {
	case model.Database:
		switch {
		case c.ReplicaOf.Set() && s.standbyOnly(c):
			parts = append(parts, "standby")
		case c.ReplicaOf.Set():
			parts = append(parts, "read replica")
		case c.Role.Val == model.RolePrimary:
			parts = append(parts, "primary")
		}
		if c.Shards != nil {
			parts = append(parts, model.Plural(c.Shards.Count.Val, "shard"))
		}
	case model.Cache:
		if c.Pattern.Val != "" {
			parts = append(parts, string(c.Pattern.Val))
		}
	case model.Queue:
		switch c.Mode.Val {
		case model.PubSub:
			parts = append(parts, "pub/sub")
		case model.PointToPoint:
			parts = append(parts, "point-to-point")
		}
	case model.Cron:
		if c.Schedule.Val != "" {
			parts = append(parts, c.Schedule.Val)
		}
	case model.External:
		if c.Provider.Val != "" {
			parts = append(parts, string(c.Provider.Val))
		}
	}
	return strings.Join(parts, " · ")
}

// scaleLine is how many instances run, over how many zones, and whether the
// service is managed; "" for a single unmanaged instance in one zone.
func scaleLine(c *model.Component) string {
	var parts []string
	switch {
	case c.Autoscale != nil:
		if n := c.Autoscale.Short(); n != "" {
			parts = append(parts, "×"+n+" autoscaled")
		} else {
			parts = append(parts, "autoscaled")
		}
	case c.Instances.Val > 1:
		parts = append(parts, "×"+strconv.Itoa(c.Instances.Val))
	}
	if c.Zones.Val > 1 {
		parts = append(parts, strconv.Itoa(c.Zones.Val)+" zones")
	}
	if c.Managed.Val {
		parts = append(parts, "managed")
	}
	return strings.Join(parts, " · ")
}

// stacked reports whether c is drawn as a stack of instances.
func stacked(c *model.Component) bool { return c.MaxInstances() > 1 && c.Shards == nil }

// shardLine describes a sharded database's strategy and key.
func shardLine(sh *model.Sharding) string {
	s := string(sh.Strategy.Val)
	if sh.Key.Val != "" {
		s += " on " + sh.Key.Val
	}
	return s
}
