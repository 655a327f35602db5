package analysis

import (
	"math"
	"sync"
	"time"

	"github.com/archdiag/archdiag/model"
)

// capacity fills in what f's component sustains and how busy it is.
func (a *Analysis) capacity(f *Facts) {
	c := f.Component
	switch c.Kind.Val {
	case model.Database:
		a.databaseCapacity(f)
	case model.Queue:
		f.Capacity = a.drain(c)
		if f.Capacity.Value > 0 {
			f.Utilisation = f.Peak.Total.Value / f.Capacity.Value
		}
	default:
		per, ref := a.perInstance(c)
		if per <= 0 {
			return
		}
		f.Needed = ceilCount(f.Peak.Total.Value / (per * TargetUtilisation))
		f.PerInstance = Figure{Value: per, Unit: "rps", Assumed: ref}
		if !c.Bounded() || ref != nil && !c.Instances.Set() && c.Autoscale == nil {
			// An autoscaling group with no stated ceiling, or a rule of
			// thumb per instance times a count nobody stated: what the load
			// needs is known, what the tier can serve is not.
			return
		}
		f.Capacity = instancesTimes(c.MaxInstances(), "instance", per, ref, "rps")
		f.Utilisation = f.Peak.Total.Value / f.Capacity.Value
		if c.Autoscale != nil && c.MinInstances() < c.MaxInstances() {
			f.MinCapacity = instancesTimes(c.MinInstances(), "instance", per, ref, "rps")
			f.MinUtilisation = f.Peak.Total.Value / f.MinCapacity.Value
		}
	}
}

// instancesTimes is n × per, e.g. "3 instances × 400 rps = 1,200 rps".
func instancesTimes(n int, noun string, per float64, ref *Reference, unit string) Figure {
	what := noun + "s"
	if n == 1 {
		what = noun
	}
	return Figure{
		Value:   float64(n) * per,
		Unit:    unit,
		Terms:   []Term{{Value: float64(n), What: what}, {Op: Times, Value: per, What: unit}},
		Assumed: ref,
	}
}

// perInstance is what one instance of c sustains: the model's number, or a
// reference for an unmanaged component of a kind that has one.
func (a *Analysis) perInstance(c *model.Component) (float64, *Reference) {
	if c.Capacity != nil && c.Capacity.RPSPerInstance.Set() {
		return c.Capacity.RPSPerInstance.Val, nil
	}
	if c.Managed.Val {
		return 0, nil
	}
	if r := a.refs.Lookup(c.Kind.Val, "rps_per_instance"); r != nil {
		return r.Value, r
	}
	return 0, nil
}

// databaseCapacity is a database's reads/s and writes/s: per node, times
// its shards. A replica takes no client writes, so only its reads count.
func (a *Analysis) databaseCapacity(f *Facts) {
	c := f.Component
	shards := 1
	if c.Shards != nil && c.Shards.Count.Val > 1 {
		shards = c.Shards.Count.Val
	}
	figure := func(stated model.Float, metric string) Figure {
		per, ref := 0.0, (*Reference)(nil)
		switch {
		case c.Capacity != nil && stated.Set():
			per = stated.Val
		case !c.Managed.Val && (!c.Engine.Set() || c.Engine.Val == model.Relational):
			if ref = a.refs.Lookup(model.Database, metric); ref != nil {
				per = ref.Value
			}
		}
		if per <= 0 {
			return Figure{}
		}
		unit := map[string]string{"read_qps": "reads/s", "write_qps": "writes/s"}[metric]
		if shards == 1 {
			return Figure{Value: per, Unit: unit, Assumed: ref}
		}
		return instancesTimes(shards, "shard", per, ref, unit)
	}
	var reads, writes model.Float
	if c.Capacity != nil {
		reads, writes = c.Capacity.ReadQPS, c.Capacity.WriteQPS
	}
	f.Capacity = figure(reads, "read_qps")
	if c.Role.Val != model.RoleReplica {
		f.WriteCapacity = figure(writes, "write_qps")
	}
	if f.Capacity.Value > 0 {
		// Without a read:write split every request counts against reads.
		load := f.Peak.Reads.Value
		if !f.Peak.Reads.Known() && !f.Peak.Writes.Known() {
			load = f.Peak.Total.Value
		}
		f.Utilisation = load / f.Capacity.Value
	}
	if f.WriteCapacity.Value > 0 {
		f.Utilisation = math.Max(f.Utilisation, f.Peak.Writes.Value/f.WriteCapacity.Value)
	}
}

// drain is how fast a queue's consumers take messages off it: the sum of
// their rates, or for pub/sub the slowest subscriber's, since each sees
// every message. Zero when a consumer's rate is unknown.
func (a *Analysis) drain(q *model.Component) Figure {
	consumers := a.Model.Consumers(q)
	if len(consumers) == 0 {
		return Figure{}
	}
	var rates []Figure
	for _, w := range consumers {
		r := DrainRate(w)
		if !r.Known() {
			return Figure{}
		}
		rates = append(rates, r)
	}
	if q.Mode.Val == model.PubSub {
		slowest := rates[0]
		for _, r := range rates[1:] {
			if r.Value < slowest.Value {
				slowest = r
			}
		}
		return slowest
	}
	if len(rates) == 1 {
		return rates[0]
	}
	total := Figure{Unit: "/s"}
	for i, r := range rates {
		t := Term{Value: r.Value, What: "/s from " + consumers[i].ID}
		if i > 0 {
			t.Op = Plus
		}
		total.Terms = append(total.Terms, t)
		total.Value += r.Value
	}
	return total
}

// DrainRate is how many jobs per second a worker or cron job takes off its
// queue; unknown (zero) when the model lacks the numbers.
func DrainRate(c *model.Component) Figure {
	switch c.Kind.Val {
	case model.Worker:
		if !c.ServiceTimeMS.Set() {
			return Figure{}
		}
		conc := max(c.Concurrency.Val, 1)
		n := c.MaxInstances()
		s := float64(c.ServiceTimeMS.Val) / 1000
		noun := "workers"
		if n == 1 {
			noun = "worker"
		}
		return Figure{Value: float64(n*conc) / s, Unit: "/s", Terms: []Term{
			{Value: float64(n), What: noun},
			{Op: Times, Value: float64(conc), What: "concurrent"},
			{Op: Over, Value: s, What: "s", Share: true},
		}}
	case model.Cron:
		interval, ok := Interval(c.Schedule.Val)
		if !ok || !c.BatchSize.Set() {
			return Figure{}
		}
		return Figure{Value: float64(c.BatchSize.Val) / interval.Seconds(), Unit: "/s", Terms: []Term{
			{Value: float64(c.BatchSize.Val), What: "per run"},
			{Op: Over, Value: interval.Seconds(), What: "s", Share: true},
		}}
	}
	return Figure{}
}

// ownRate is the work a worker or cron job originates itself, per second
// on average: rate_rps, or a cron job's batch per run over its interval
// when it consumes no queue.
func ownRate(c *model.Component) (Figure, bool) {
	if !c.Kind.Val.IsConsumer() {
		return Figure{}, false
	}
	if r := rateRPS(c); r > 0 {
		return Figure{Value: r, Unit: "/s"}, true
	}
	if c.Kind.Val == model.Cron && !consumes(c) {
		if r := DrainRate(c); r.Known() {
			return r, true
		}
	}
	return Figure{}, false
}

func consumes(c *model.Component) bool {
	for _, call := range c.Calls {
		if call.Op.Val.Consumes() {
			return true
		}
	}
	return false
}

// Interval is the average gap between runs of a cron schedule, which is
// what sets how much a job that takes a batch each run gets through, or
// false when it does not parse or never fires. Parsed once per schedule
// text: walking a schedule's runs costs far more than a lookup, and a model
// names few distinct schedules.
func Interval(schedule string) (time.Duration, bool) {
	intervals.Lock()
	defer intervals.Unlock()
	if iv, ok := intervals.m[schedule]; ok {
		return iv.d, iv.ok
	}
	iv := interval{}
	if s, err := model.ParseSchedule(schedule); err == nil && s.Fires() {
		iv = interval{s.AverageGap(), s.AverageGap() > 0}
	}
	if intervals.m == nil {
		intervals.m = map[string]interval{}
	}
	intervals.m[schedule] = iv
	return iv.d, iv.ok
}

type interval struct {
	d  time.Duration
	ok bool
}

var intervals struct {
	sync.Mutex
	m map[string]interval
}

func (a *Analysis) missingCapacity() []Missing {
	var out []Missing
	add := func(c *model.Component, field, text string) {
		out = append(out, Missing{Component: c, Field: field, Text: c.ID + "." + text})
	}
	for _, f := range a.Facts {
		c := f.Component
		onPath := f.Receives() || a.Peak.Value == 0
		switch {
		case !onPath:
		case !c.Bounded() && f.Needed > 0:
			add(c, "autoscale.max", "autoscale.max")
		case c.Kind.Val == model.App && !f.Capacity.Known():
			add(c, "capacity.rps_per_instance", "capacity.rps_per_instance")
		case c.Kind.Val == model.Database && c.Role.Val != model.RoleReplica && !f.Capacity.Known() && !f.WriteCapacity.Known() && !c.Managed.Val:
			add(c, "capacity.read_qps", "capacity.read_qps and write_qps")
		case c.Kind.Val == model.Worker && !c.ServiceTimeMS.Set() && rateRPS(c) == 0:
			add(c, "service_time_ms", "service_time_ms")
		case c.Kind.Val == model.Cron && !c.BatchSize.Set():
			add(c, "batch_size", "batch_size")
		}
	}
	return out
}
