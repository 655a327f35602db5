package analysis

import (
	"github.com/archdiag/archdiag/model"
)

const bytesPerGB = 1e9

// storage projects a store's data from its stated growth, or from the
// record sizes of the entities it holds and the writes that reach it.
func (a *Analysis) storage(f *Facts) {
	c := f.Component
	if !c.Kind.Val.IsStore() || c.Role.Val == model.RoleReplica {
		return
	}
	st := &Storage{}
	perDay, retention := storageDeclared(c)
	switch {
	case perDay > 0:
		st.PerDay = Figure{Value: perDay, Unit: "GB/day"}
	default:
		writes := f.Average.Writes.Value
		if !f.Average.Writes.Known() {
			writes = f.Average.Total.Value
		}
		if writes <= 0 {
			return
		}
		for _, e := range a.Model.Entities {
			bytes, perWrite, keep := entityVolume(e)
			if e.Store.Target != c || bytes <= 0 {
				continue
			}
			writes := writes
			if w, named := a.entityWrites(e, c); named {
				writes = w
			}
			if writes <= 0 {
				continue
			}
			gb := writes * perWrite * float64(bytes) * 86400 / bytesPerGB
			terms := []Term{{Value: writes, What: "writes/s"}}
			if perWrite != 1 {
				terms = append(terms, Term{Op: Times, Value: perWrite, What: "records", Share: true})
			}
			terms = append(terms, Term{Op: Times, Value: float64(bytes), What: "bytes per " + e.Name}, Term{Op: Times, Value: 86400, What: "s"}, Term{Op: Over, Value: bytesPerGB, What: "bytes per GB"})
			if len(st.PerDay.Terms) > 0 {
				terms[0].Op = Plus
			}
			st.PerDay.Terms = append(st.PerDay.Terms, terms...)
			st.PerDay.Value += gb
			if keep > 0 && (retention == 0 || keep > retention) {
				retention = keep
			}
		}
		if st.PerDay.Value <= 0 {
			return
		}
		st.PerDay.Unit = "GB/day"
	}
	st.RetentionDays = retention
	kept := func(days int) Figure {
		held := days
		if retention > 0 && retention < days {
			held = retention
		}
		return Figure{Value: st.PerDay.Value * float64(held), Unit: "GB", Terms: []Term{
			{Value: st.PerDay.Value, What: "GB/day"}, {Op: Times, Value: float64(held), What: "days"},
		}}
	}
	st.Year1, st.Year3 = kept(365), kept(3*365)
	if c.Kind.Val != model.ObjectStorage {
		per, ref := nodeCapacity(c), (*Reference)(nil)
		if per <= 0 && !c.Managed.Val {
			if ref = a.refs.Lookup(c.Kind.Val, "node_capacity_gb"); ref != nil {
				per = ref.Value
			}
		}
		if per > 0 {
			shards := 1
			if c.Shards != nil && c.Shards.Count.Val > 1 {
				shards = c.Shards.Count.Val
			}
			st.NodeCapacity = Figure{Value: per, Unit: "GB", Assumed: ref}
			if shards > 1 {
				st.NodeCapacity = instancesTimes(shards, "shard", per, ref, "GB")
			}
		}
	}
	f.Storage = st
}

// entityWrites is the average writes that create e's records in store:
// those of the calls that flow steps naming e travel. named is false when
// no step names e, and then every write that reaches the store counts.
func (a *Analysis) entityWrites(e *model.Entity, store *model.Component) (writes float64, named bool) {
	seen := map[*model.Call]bool{}
	for _, fl := range a.Model.Flows {
		for _, st := range fl.Steps {
			if st.Call == nil || st.Entity.Val != e.Name || st.Call.To.Target != store || seen[st.Call] {
				continue
			}
			seen[st.Call] = true
			named = true
			writes += a.callWrites[st.Call]
		}
	}
	return writes, named
}

// breaks lists, for each component, the flows that stop when it fails: a
// flow stops when a step's caller fails, or the target of a step that
// depends on it hard (no fallback, no graceful degradation, no outbox, not
// a cache-aside read; an asynchronous step still loses its work).
func (a *Analysis) breaks() {
	for _, fl := range a.Model.Flows {
		need := func(c *model.Component, st *model.Step) {
			f := a.of[c]
			if f == nil {
				return
			}
			if n := len(f.Breaks); n == 0 || f.Breaks[n-1].Flow != fl {
				f.Breaks = append(f.Breaks, Break{Flow: fl, Step: st})
			}
		}
		for _, st := range fl.Steps {
			if st.Call == nil {
				continue
			}
			need(st.Call.From, st)
			if !st.Call.Soft() {
				need(st.Call.To.Target, st)
			}
		}
	}
}
