package analysis

import (
	"slices"

	"github.com/archdiag/archdiag/model"
)

// part is which share of a component's load an edge carries.
type part int

const (
	partTotal part = iota
	partReads
	partWrites
	// partAll carries the whole load: reads as reads, writes as writes,
	// and jobs as jobs.
	partAll
)

// An edge carries one part of a component's load to another, where it
// lands as the same or another part, scaled by factors.
type edge struct {
	call    *model.Call // nil for a queue's delivery to its consumers
	to      *model.Component
	from    part
	lands   part // partTotal: counted in the total only (the split is unknown)
	factors []Term
	// unsplit: where the share of the source's load that is not split into
	// reads and writes (jobs that reached a request handler) lands, when
	// this edge carries it.
	unsplit        part
	carriesUnsplit bool
	// whole: the call's op is read or write alone, so a handler that
	// receives only the other kind makes it for every request.
	whole bool
}

func (e edge) factor() float64 {
	f := 1.0
	for _, t := range e.factors {
		v := t.Value
		if t.Neg {
			v = 1 - v
		}
		if t.Op == Over {
			f /= v
		} else {
			f *= v
		}
	}
	return f
}

// vec is a load: its total and, when the read:write ratio is known, its
// reads and writes, each with the contributions that make it up.
type vec struct {
	total, reads, writes float64
	totalTerms           []contribution
	readTerms            []contribution
	writeTerms           []contribution
}

// A contribution is one product in a load's formula, in two forms: named
// by where it comes from ("278 writes/s from app"), and derived from the
// entry ("2,778 rps at peak × 0.1 writes"). A sum shows the first, so each
// addend says where it comes from; a lone product the second, which shows
// all the arithmetic.
type contribution struct{ named, derived []Term }

func (v *vec) get(p part) float64 {
	switch p {
	case partReads:
		return v.reads
	case partWrites:
		return v.writes
	}
	return v.total
}

func (v *vec) add(p part, x float64, terms contribution) {
	v.total += x
	v.totalTerms = append(v.totalTerms, terms)
	switch p {
	case partReads:
		v.reads += x
		v.readTerms = append(v.readTerms, terms)
	case partWrites:
		v.writes += x
		v.writeTerms = append(v.writeTerms, terms)
	}
}

// addAll adds all of src's load scaled by k: one contribution to the
// total, and the reads and writes each to their own.
func (v *vec) addAll(src *vec, k float64, terms func(p part, x float64, what string) contribution, unit string) {
	v.total += src.total * k
	v.totalTerms = append(v.totalTerms, terms(partTotal, src.total, unit))
	if src.reads > 0 {
		v.reads += src.reads * k
		v.readTerms = append(v.readTerms, terms(partReads, src.reads, "reads/s"))
	}
	if src.writes > 0 {
		v.writes += src.writes * k
		v.writeTerms = append(v.writeTerms, terms(partWrites, src.writes, "writes/s"))
	}
}

// Unit names what a component's load counts: messages/s for queues, jobs/s
// for workers and cron jobs, calls/s for external providers, else rps.
func Unit(c *model.Component) string {
	switch {
	case c.Kind.Val == model.Queue:
		return "messages/s"
	case c.Kind.Val.IsConsumer():
		return "jobs/s"
	case c.Kind.Val == model.External:
		return "calls/s"
	}
	return "rps"
}

// scale caps the load at limit, keeping the share of reads and writes.
func (v *vec) scale(limit float64) {
	if v.total <= limit || v.total <= 0 {
		return
	}
	k := limit / v.total
	v.total, v.reads, v.writes = limit, v.reads*k, v.writes*k
}

func (a *Analysis) propagate() {
	readFrac, okRatio := a.Model.Traffic.ReadFraction()
	edges := a.edges(okRatio)
	basis := a.Peak.Value
	if a.OnAverage {
		basis = a.Average.Value
	}
	peak := a.flow(edges, basis, readFrac, okRatio, !a.OnAverage, nil)
	var avg []vec
	if a.Average.Value > 0 || hasOwnWork(a.Model) {
		a.callWrites = map[*model.Call]float64{}
		avg = a.flow(edges, a.Average.Value, readFrac, okRatio, false, a.callWrites)
	}
	for i, f := range a.Facts {
		unit := Unit(f.Component)
		f.Peak = peak[i].load(unit)
		if avg != nil {
			f.Average = avg[i].load(unit)
		}
		if f.Receives() {
			f.Unserved = a.unserved(f.Component, peak[i], okRatio)
		}
	}
}

func (v *vec) load(unit string) Load {
	if v.total <= 0 {
		return Load{}
	}
	l := Load{Total: sum(v.total, unit, v.totalTerms)}
	if len(v.readTerms) > 0 || len(v.writeTerms) > 0 {
		l.Reads = sum(v.reads, "reads/s", v.readTerms)
		l.Writes = sum(v.writes, "writes/s", v.writeTerms)
	}
	return l
}

// sum joins contributions into one figure: a + b × c + ...
func sum(value float64, unit string, cs []contribution) Figure {
	f := Figure{Value: value, Unit: unit}
	if len(cs) == 1 {
		if len(cs[0].derived) <= 1 {
			return f // a single contribution unscaled is the number itself
		}
		f.Terms = cs[0].derived
		return f
	}
	for i, c := range cs {
		p := c.named
		for j, t := range p {
			if j == 0 && i > 0 {
				t.Op = Plus
			}
			f.Terms = append(f.Terms, t)
		}
	}
	return f
}

// flow carries load from the entries and from components that originate
// their own work along the edges, in model order.
// callWrites, when not nil, receives the writes each call carries.
func (a *Analysis) flow(edges [][]edge, entryLoad, readFrac float64, okRatio, peak bool, callWrites map[*model.Call]float64) []vec {
	m := a.Model
	n := len(m.Components)
	indeg := make([]int, n)
	index := make(map[*model.Component]int, n)
	for i, c := range m.Components {
		index[c] = i
	}
	for _, out := range edges {
		for _, e := range out {
			indeg[index[e.to]]++
		}
	}
	acc := make([]vec, n)
	var entries []int
	for i, c := range m.Components {
		if c.Kind.Val.IsEntry() {
			entries = append(entries, i)
		}
	}
	what := "average"
	if peak {
		what = "peak"
	}
	for _, i := range entries {
		if entryLoad <= 0 {
			break
		}
		share := entryLoad / float64(len(entries))
		at := Term{Value: share, What: "rps at " + what}
		terms := contribution{[]Term{at}, []Term{at}}
		if okRatio {
			reads, writes := []Term{at}, []Term{at}
			if readFrac < 1 && readFrac > 0 {
				reads = append(reads, Term{Op: Times, Value: readFrac, What: "reads", Share: true})
				writes = append(writes, Term{Op: Times, Value: 1 - readFrac, What: "writes", Share: true})
			}
			acc[i].add(partReads, share*readFrac, contribution{reads, reads})
			acc[i].add(partWrites, share*(1-readFrac), contribution{writes, writes})
			acc[i].totalTerms = []contribution{terms}
		} else {
			acc[i].add(partTotal, share, terms)
		}
	}
	for i, c := range m.Components {
		if rate, ok := ownRate(c); ok {
			own := []Term{{Value: rate.Value, What: "jobs/s of its own"}}
			acc[i].add(partTotal, rate.Value, contribution{own, own})
		}
	}
	var ready []int
	for i := range m.Components {
		if indeg[i] == 0 {
			ready = append(ready, i)
		}
	}
	// Kahn's algorithm in model order; a component on a cycle keeps the load
	// that reached it from outside the cycle.
	for len(ready) > 0 {
		i := ready[0]
		ready = ready[1:]
		c := m.Components[i]
		out := acc[i]
		via := " from " + c.ID
		capped := false
		switch {
		case c.Kind.Val == model.WaitingRoom && c.AdmitRPS.Set() && out.total > c.AdmitRPS.Val:
			// The waiting room holds the surplus back: downstream sees only
			// what it admits.
			out.scale(c.AdmitRPS.Val)
			via, capped = " admitted by "+c.ID, true
		case c.Kind.Val.IsConsumer():
			// A consumer does no more than it drains; the rest waits in its
			// queue.
			if rate := DrainRate(c); rate.Known() && out.total > rate.Value {
				out.scale(rate.Value)
				via, capped = " processed by "+c.ID, true
			}
		}
		// A part that one derivation made is carried with that derivation, so
		// the formula downstream shows the arithmetic from the entry: "2,778
		// rps at peak × 0.9 reads × (1 − 0.9 cache hit ratio)".
		origin := func(p part, x float64, what string, factors []Term) contribution {
			named := append([]Term{{Value: x, What: what + via}}, factors...)
			cs := out.totalTerms
			switch p {
			case partReads:
				cs = out.readTerms
			case partWrites:
				cs = out.writeTerms
			}
			if capped || len(cs) != 1 {
				return contribution{named, named}
			}
			derived := cs[0].derived
			if len(derived) <= 1 {
				derived = []Term{{Value: x, What: what + via}}
			}
			return contribution{named, slices.Concat(derived, factors)}
		}
		for _, e := range edges[i] {
			to := &acc[index[e.to]]
			if e.from == partAll {
				if out.total > 0 {
					to.addAll(&out, e.factor(), func(p part, x float64, what string) contribution {
						return origin(p, x, what, e.factors)
					}, Unit(c))
					if callWrites != nil && e.call != nil {
						callWrites[e.call] += out.writes * e.factor()
					}
				}
			} else {
				from := e.from
				// A handler that receives only writes makes its read calls
				// while serving them (a follower lookup for each tweet), and
				// one that receives only reads its write calls (a hit
				// counter): every request makes the call.
				switch {
				case !e.whole:
				case from == partReads && out.reads == 0 && out.writes > 0:
					from = partWrites
				case from == partWrites && out.writes == 0 && out.reads > 0:
					from = partReads
				}
				if x := out.get(from); x > 0 {
					// Jobs, and requests of one kind that make a call of the
					// other, are named by what they do to the callee.
					what := map[part]string{partTotal: Unit(c), partReads: "reads/s", partWrites: "writes/s"}[from]
					if (from == partTotal || from != e.from) && e.lands != partTotal {
						what = map[part]string{partReads: "reads/s", partWrites: "writes/s"}[e.lands]
					}
					to.add(e.lands, x*e.factor(), origin(from, x, what, e.factors))
					if callWrites != nil && e.call != nil && e.lands == partWrites {
						callWrites[e.call] += x * e.factor()
					}
				}
			}
			if rest := out.total - out.reads - out.writes; e.carriesUnsplit && e.from != partTotal && rest > 1e-9 {
				terms := append([]Term{{Value: rest, What: "jobs/s" + via}}, e.factors...)
				acc[index[e.to]].add(e.unsplit, rest*e.factor(), contribution{terms, terms})
			}
			if j := index[e.to]; indeg[j] > 0 {
				if indeg[j]--; indeg[j] == 0 {
					ready = append(ready, j)
				}
			}
		}
	}
	return acc
}

// edges lists, per component, where its load goes.
func (a *Analysis) edges(okRatio bool) [][]edge {
	m := a.Model
	index := make(map[*model.Component]int, len(m.Components))
	for i, c := range m.Components {
		index[c] = i
	}
	out := make([][]edge, len(m.Components))
	for i, u := range m.Components {
		if servedAtEdge(u) {
			continue
		}
		job := u.Kind.Val.IsConsumer() // each job makes every call once
		pools := pools(u)
		cacheMiss := cacheAsideMiss(u)
		unrated := unratedCache(u)
		readTargets := map[*model.Component]int{} // primary → u's read calls to it or its replicas
		for _, call := range u.Calls {
			if t := call.To.Target; t != nil && t.Kind.Val == model.Database && call.Op.Val == model.OpRead {
				readTargets[primaryOf(t)]++
			}
		}
		for _, call := range u.Calls {
			t := call.To.Target
			if t == nil || servedAtEdge(t) {
				continue
			}
			op := call.Op.Val
			if unrated != nil && t.Kind.Val == model.Database && (op == model.OpRead || op == model.OpReadWrite || op == model.OpCall) {
				a.noteUnrated(t, unrated)
			}
			var factors []Term
			if sh := call.Share; sh.Set() {
				factors = append(factors, Term{Op: Times, Value: sh.Val, What: "share", Share: true})
			}
			if fan := fanout(call); fan > 1 {
				factors = append(factors, Term{Op: Times, Value: fan, What: "fan-out", Share: true})
			}
			if n := pools[t]; n > 1 {
				factors = append(factors, Term{Op: Over, Value: float64(n), What: "pool members"})
			}
			add := func(from, lands part, extra ...Term) {
				fs := append(append([]Term(nil), factors...), extra...)
				out[i] = append(out[i], edge{call: call, to: t, from: from, lands: lands, factors: fs})
			}
			// Jobs that reach a request handler make each of its calls once.
			carry := func(lands part) {
				e := &out[i][len(out[i])-1]
				e.unsplit, e.carriesUnsplit = lands, true
			}
			switch {
			case op.Consumes():
				// Messages flow from the queue to its consumers.
				var fs []Term
				if t.Mode.Val != model.PubSub {
					if n := len(m.Consumers(t)); n > 1 {
						fs = append(fs, Term{Op: Over, Value: float64(n), What: "consumers"})
					}
				}
				out[index[t]] = append(out[index[t]], edge{to: u, from: partTotal, lands: partTotal, factors: fs})
			case job || !okRatio:
				switch {
				case op == model.OpRead:
					add(partTotal, partReads, readMiss(u, t, true, cacheMiss)...)
				case op == model.OpWrite || op == model.OpPublish:
					add(partTotal, partWrites)
				case op == model.OpReadWrite && okRatio:
					add(partTotal, partReads, readMiss(u, t, true, cacheMiss)...)
					add(partTotal, partWrites)
				default:
					add(partTotal, partTotal)
				}
			case op == model.OpRead:
				extra := readMiss(u, t, false, cacheMiss)
				if n := readTargets[primaryOf(t)]; t.Kind.Val == model.Database && n > 1 && pools[t] == 0 {
					extra = append(extra, Term{Op: Over, Value: float64(n), What: "read targets"})
				}
				add(partReads, partReads, extra...)
				carry(partReads)
				out[i][len(out[i])-1].whole = true
			case op == model.OpWrite || op == model.OpPublish:
				add(partWrites, partWrites)
				carry(partWrites)
				out[i][len(out[i])-1].whole = op == model.OpWrite
			default: // a call or read_write: reads as reads, writes as writes
				if miss := readMiss(u, t, false, cacheMiss); len(miss) > 0 {
					add(partReads, partReads, miss...)
					carry(partReads)
					add(partWrites, partWrites)
					break
				}
				add(partAll, partAll)
			}
		}
	}
	return out
}

// readMiss is the factor by which a cache cuts the reads from u that reach
// database t: a read-through cache's own fetches are its misses, and a
// caller that reads a cache-aside cache first reads the database on a miss.
func readMiss(u, t *model.Component, job bool, cacheAside *model.Component) []Term {
	if t.Kind.Val != model.Database {
		return nil
	}
	if u.Kind.Val == model.Cache && u.Pattern.Val == model.ReadThrough && u.HitRatio.Set() {
		return []Term{{Op: Times, Value: u.HitRatio.Val, What: u.ID + " hit ratio", Share: true, Neg: true}}
	}
	if cacheAside != nil && !job {
		return []Term{{Op: Times, Value: cacheAside.HitRatio.Val, What: cacheAside.ID + " hit ratio", Share: true, Neg: true}}
	}
	return nil
}

// unratedCache returns the cache in front of u's database reads whose hit
// ratio the model does not state, so every read counts as a miss: a
// read-through cache that fetches itself, or one u reads before the
// database.
func unratedCache(u *model.Component) *model.Component {
	if u.Kind.Val == model.Cache && u.Pattern.Val == model.ReadThrough && !u.HitRatio.Set() {
		return u
	}
	for _, call := range u.Calls {
		t := call.To.Target
		if t == nil || t.Kind.Val != model.Cache || call.Op.Val.Writes() || t.HitRatio.Set() {
			continue
		}
		if t.Pattern.Val == model.CacheAside || !t.Pattern.Set() || t.Pattern.Val == model.ReadThrough && !fetchesFromDatabase(t) {
			return t
		}
	}
	return nil
}

// noteUnrated records that c's reads come past cache without a stated
// hit ratio.
func (a *Analysis) noteUnrated(c, cache *model.Component) {
	f := a.of[c]
	if f == nil || slices.Contains(f.UnratedCaches, cache) {
		return
	}
	f.UnratedCaches = append(f.UnratedCaches, cache)
}

// cacheAsideMiss returns the cache whose hits u's database reads are the
// misses of: a cache-aside cache u reads, or a read-through cache that
// does not fetch from a database itself (u fills it), with a hit ratio.
func cacheAsideMiss(u *model.Component) *model.Component {
	for _, call := range u.Calls {
		t := call.To.Target
		if t == nil || t.Kind.Val != model.Cache || call.Op.Val.Writes() || !t.HitRatio.Set() {
			continue
		}
		if t.Pattern.Val == model.CacheAside || t.Pattern.Val == model.ReadThrough && !fetchesFromDatabase(t) {
			return t
		}
	}
	return nil
}

// pools returns, for a load balancer or reverse proxy, how many members
// share each callee's load: the read replicas of one primary, which hold
// the same data. Two server components are two services, routed to by path
// or host: each takes the requests its calls say (op, share), and a server
// component's own instances share its load inside it.
func pools(u *model.Component) map[*model.Component]int {
	if !isBalancer(u) {
		return nil
	}
	members := map[*model.Component][]*model.Component{} // primary → replicas called
	for _, call := range u.Calls {
		t := call.To.Target
		if t == nil || t.Kind.Val != model.Database || t.ReplicaOf.Target == nil || call.Op.Val.Writes() {
			continue
		}
		members[t.ReplicaOf.Target] = append(members[t.ReplicaOf.Target], t)
	}
	out := map[*model.Component]int{}
	for _, group := range members {
		for _, t := range group {
			out[t] = len(group)
		}
	}
	return out
}

func isBalancer(c *model.Component) bool {
	return c.Kind.Val == model.LoadBalancer || c.Kind.Val == model.Webserver || c.Kind.Val == model.WaitingRoom
}

// unserved is the reads that reach handler c and no store: c has no call
// that reads.
// A service that calls nothing holds its own data; one that writes stores
// but reads none leaves its reads unaccounted for.
func (a *Analysis) unserved(c *model.Component, v vec, okRatio bool) Figure {
	if !okRatio || c.Kind.Val != model.App || v.reads <= 0 || v.writes <= 0 {
		return Figure{}
	}
	writesStore := false
	for _, call := range c.Calls {
		op := call.Op.Val
		if op == model.OpRead || op == model.OpReadWrite || op == model.OpCall {
			return Figure{}
		}
		if t := call.To.Target; t != nil && op == model.OpWrite && (t.Kind.Val.IsStore() || t.Kind.Val == model.Cache) {
			writesStore = true
		}
	}
	if !writesStore {
		return Figure{}
	}
	return Figure{Value: v.reads, Unit: "reads/s"}
}

// fetchesFromDatabase reports whether cache c calls a database itself.
func fetchesFromDatabase(c *model.Component) bool {
	for _, call := range c.Calls {
		if call.To.Target != nil && call.To.Target.Kind.Val == model.Database {
			return true
		}
	}
	return false
}

// servedAtEdge reports whether c answers at the edge (DNS, CDN): its share
// of the traffic and of its origin's is unknown, so no load is carried
// through it.
func servedAtEdge(c *model.Component) bool {
	return c.Kind.Val == model.DNS || c.Kind.Val == model.CDN
}

func primaryOf(db *model.Component) *model.Component {
	if db.ReplicaOf.Target != nil {
		return db.ReplicaOf.Target
	}
	return db
}
