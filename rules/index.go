package rules

import (
	"slices"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/analysis"
)

// index holds what several rules look up, built once per Run so that no
// rule scans every call for every component.
type index struct {
	m   *model.Model
	cfg *Config
	num map[*model.Component]int // position in m.Components

	in         [][]*model.Call                 // calls into each component, in file order
	consumers  [][]*model.Call                 // consume and subscribe calls into each queue
	publishers [][]*model.Call                 // publish calls into each queue
	replicas   [][]*model.Component            // replicas of each primary
	deadLetter [][]*model.Component            // queues that name each queue as dead_letter
	pools      map[*model.Component][]*pool    // what each proxy balances across
	hosts      map[*model.Host]*hostLossResult // what fails with each shared host

	usedSuppressions map[*model.Suppression]bool

	// countsStated: some component states instances, autoscale, managed,
	// failover or zones (see countJudged).
	countsStated bool

	analysis   *analysis.Analysis
	needs      [][]analysis.Break // by component: the flows that break without it
	deps       *depGraph
	spof       *spofResult
	zoneSPOF   *spofResult
	request    []bool        // on the request path: reached from an entry along sync calls
	requestVia []*model.Call // the call that first reached each component on the request path
}

func newIndex(m *model.Model, cfg *Config) *index {
	n := len(m.Components)
	ix := &index{
		m:                m,
		cfg:              cfg,
		num:              make(map[*model.Component]int, n),
		in:               make([][]*model.Call, n),
		consumers:        make([][]*model.Call, n),
		publishers:       make([][]*model.Call, n),
		replicas:         make([][]*model.Component, n),
		deadLetter:       make([][]*model.Component, n),
		pools:            map[*model.Component][]*pool{},
		hosts:            map[*model.Host]*hostLossResult{},
		usedSuppressions: map[*model.Suppression]bool{},
	}
	for i, c := range m.Components {
		ix.num[c] = i
	}
	ix.countsStated = m.StatesRedundancy()
	for _, call := range m.Calls() {
		t, ok := ix.num[call.To.Target]
		if !ok {
			continue
		}
		ix.in[t] = append(ix.in[t], call)
		switch {
		case call.Op.Val.Consumes():
			ix.consumers[t] = append(ix.consumers[t], call)
		case call.Op.Val == model.OpPublish:
			ix.publishers[t] = append(ix.publishers[t], call)
		}
	}
	for _, c := range m.Components {
		if p, ok := ix.num[c.ReplicaOf.Target]; ok {
			ix.replicas[p] = append(ix.replicas[p], c)
		}
		if q, ok := ix.num[c.DeadLetter.Target]; ok {
			ix.deadLetter[q] = append(ix.deadLetter[q], c)
		}
	}
	return ix
}

// countJudged reports whether rule may read c's instance count as a fact.
// A model in which no component states instances, autoscale, managed,
// failover or zones says nothing about how many of anything run (a
// component diagram draws one box for five instances), so the default of
// one instance is no finding there; spof/single-instance names what it
// leaves open in one info instead. A component whose ignore list names the
// rule is judged all the same: its author has accepted the finding.
func (ix *index) countJudged(rule *Rule, c *model.Component) bool {
	return ix.countsStated || c.Suppressed(rule.ID) != nil
}

// callers returns the calls into c.
func (ix *index) callers(c *model.Component) []*model.Call { return ix.in[ix.num[c]] }

// consumersOf returns the consume and subscribe calls into queue q.
func (ix *index) consumersOf(q *model.Component) []*model.Call { return ix.consumers[ix.num[q]] }

// publishersOf returns the publish calls into queue q.
func (ix *index) publishersOf(q *model.Component) []*model.Call { return ix.publishers[ix.num[q]] }

// replicasOf returns the replicas that follow primary.
func (ix *index) replicasOf(primary *model.Component) []*model.Component {
	return ix.replicas[ix.num[primary]]
}

// deadLetterOf returns the queues that name q as their dead-letter queue.
func (ix *index) deadLetterOf(q *model.Component) []*model.Component {
	return ix.deadLetter[ix.num[q]]
}

// load returns the model's analysis, computed once.
func (ix *index) load() *analysis.Analysis {
	if ix.analysis == nil {
		ix.analysis = Analyze(ix.m, ix.cfg)
	}
	return ix.analysis
}

// onRequestPath reports whether c is reached from an entry along
// synchronous calls, so that its work adds to what the user waits for.
func (ix *index) onRequestPath(c *model.Component) bool {
	ix.requestTree()
	return ix.request[ix.num[c]]
}

// requestPath returns the calls of a shortest synchronous path from an
// entry to c, or nil when c is an entry or off the request path.
func (ix *index) requestPath(c *model.Component) []*model.Call {
	ix.requestTree()
	var path []*model.Call
	for call := ix.requestVia[ix.num[c]]; call != nil; call = ix.requestVia[ix.num[call.From]] {
		path = append(path, call)
	}
	slices.Reverse(path)
	return path
}

// requestTree runs a breadth-first search from the entries along
// synchronous calls, once.
func (ix *index) requestTree() {
	if ix.request != nil {
		return
	}
	ix.request = make([]bool, len(ix.m.Components))
	ix.requestVia = make([]*model.Call, len(ix.m.Components))
	var queue []*model.Component
	for i, c := range ix.m.Components {
		if c.Kind.Val.IsEntry() {
			ix.request[i] = true
			queue = append(queue, c)
		}
	}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		for _, call := range c.Calls {
			t, ok := ix.num[call.To.Target]
			if ok && call.Mode.Val == model.Sync && !call.Op.Val.Consumes() && !ix.request[t] {
				ix.request[t] = true
				ix.requestVia[t] = call
				queue = append(queue, call.To.Target)
			}
		}
	}
}

// reportsError reports whether rule, enabled, reports an error about call
// itself, so that another rule need not report the same call again.
func (ix *index) reportsError(rule *Rule, call *model.Call) bool {
	if !ix.cfg.Enabled(rule.ID) {
		return false
	}
	var sev model.Severity
	switch rule {
	case SlowCallOnRequestPath:
		s, ok := slowCall(ix, call)
		if !ok {
			return false
		}
		sev = s
	default:
		return false
	}
	if s, ok := ix.cfg.severityOf(rule.ID); ok {
		sev = s
	}
	return sev == model.SeverityError
}
