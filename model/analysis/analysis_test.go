package analysis_test

import (
	"math"
	"strings"
	"testing"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/analysis"
)

func analyze(t *testing.T, src string) *analysis.Analysis {
	t.Helper()
	m, err := model.Load("test.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return analysis.Analyze(m, analysis.Options{})
}

func facts(t *testing.T, a *analysis.Analysis, id string) *analysis.Facts {
	t.Helper()
	c := a.Model.Component(id)
	if c == nil {
		t.Fatalf("no component %q", id)
	}
	return a.Of(c)
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6*math.Max(1, math.Abs(b)) }

const sharded = `archdiag: 1
name: sharded
traffic: {baseline_rps: 2000, peak_multiplier: 2, read_write_ratio: "1:1"}
components:
  users: {kind: client, calls: [app]}
  app:
    kind: app
    instances: 2
    capacity: {rps_per_instance: 5000}
    calls: [{to: db, op: read_write}]
  db:
    kind: database
    shards: {strategy: consistent-hash, count: SHARDS}
    failover: {mode: automatic, standby: standby}
    capacity: {read_qps: 4000, write_qps: 1000}
  standby: {kind: database, replica_of: db}
`

func TestShardsMultiplyCapacity(t *testing.T) {
	f4 := facts(t, analyze(t, strings.Replace(sharded, "SHARDS", "4", 1)), "db")
	f8 := facts(t, analyze(t, strings.Replace(sharded, "SHARDS", "8", 1)), "db")
	if f4.WriteCapacity.Value != 4000 || f8.WriteCapacity.Value != 8000 {
		t.Errorf("write capacity at 4 and 8 shards = %v, %v; want 4000, 8000", f4.WriteCapacity.Value, f8.WriteCapacity.Value)
	}
	if got := f4.WriteCapacity.String(); got != "4 shards × 1,000 writes/s = 4,000 writes/s" {
		t.Errorf("formula = %q", got)
	}
	if !near(f4.Utilisation, 2*f8.Utilisation) {
		t.Errorf("utilisation at 4 shards %v is not twice that at 8 shards %v", f4.Utilisation, f8.Utilisation)
	}
}

const replicasBehindBalancer = `archdiag: 1
name: read-lb
traffic: {baseline_rps: 500, peak_multiplier: 3, read_write_ratio: "9:1"}
components:
  users: {kind: client, calls: [lb]}
  lb: {kind: load_balancer, managed: true, calls: [app]}
  app:
    kind: app
    autoscale: {min: 2, max: 10}
    capacity: {rps_per_instance: 300}
    calls:
      - {to: read-lb, op: read}
      - {to: primary, op: write}
  read-lb: {kind: load_balancer, calls: [replica-1, replica-2]}
  primary: {kind: database, capacity: {read_qps: 2000, write_qps: 1000}}
  replica-1: {kind: database, replica_of: primary, capacity: {read_qps: 2000}}
  replica-2: {kind: database, replica_of: primary, capacity: {read_qps: 2000}}
`

// Reads are split by the ratio once, at the entry, and the balancer's pool
// shares them: 1,500 × 0.9 ÷ 2 = 675 per replica.
func TestReadsSplitOnceBehindABalancer(t *testing.T) {
	a := analyze(t, replicasBehindBalancer)
	for _, id := range []string{"replica-1", "replica-2"} {
		f := facts(t, a, id)
		if !near(f.Peak.Reads.Value, 675) || !near(f.Peak.Total.Value, 675) {
			t.Errorf("%s reads %v, total %v; want 675", id, f.Peak.Reads.Value, f.Peak.Total.Value)
		}
		if got := f.Peak.Total.String(); got != "1,500 rps at peak × 0.9 reads ÷ 2 pool members = 675 rps" {
			t.Errorf("%s formula %q", id, got)
		}
	}
	if p := facts(t, a, "primary"); !near(p.Peak.Writes.Value, 150) || p.Peak.Reads.Value != 0 {
		t.Errorf("primary writes %v reads %v; want 150 and 0", p.Peak.Writes.Value, p.Peak.Reads.Value)
	}
}

func TestAutoscaleAtMinimumAndMaximum(t *testing.T) {
	f := facts(t, analyze(t, replicasBehindBalancer), "app")
	if !near(f.Utilisation, 1500.0/3000) || !near(f.MinUtilisation, 1500.0/600) {
		t.Errorf("utilisation %v at max, %v at min; want 0.5 and 2.5", f.Utilisation, f.MinUtilisation)
	}
	if f.MinCapacity.String() != "2 instances × 300 rps = 600 rps" || f.Capacity.String() != "10 instances × 300 rps = 3,000 rps" {
		t.Errorf("capacities %q and %q", f.MinCapacity, f.Capacity)
	}
	if f.Needed != 8 {
		t.Errorf("needed %d, want ceil(1500 / 210) = 8", f.Needed)
	}
}

const unservedReads = `archdiag: 1
name: signup
traffic: {baseline_rps: 20, peak_multiplier: 3, read_write_ratio: "4:1"}
components:
  users: {kind: client, calls: [app]}
  app:
    kind: app
    calls:
      - {to: db, op: write}
  db: {kind: database}
`

func TestReadsThatReachNoStoreAreNamed(t *testing.T) {
	f := facts(t, analyze(t, unservedReads), "app")
	if !near(f.Unserved.Value, 48) {
		t.Errorf("unserved reads %v, want 48", f.Unserved.Value)
	}
}

func TestReferenceCapacityIsAnAssumption(t *testing.T) {
	a := analyze(t, unservedReads)
	db := facts(t, a, "db")
	if db.WriteCapacity.Assumed == nil || db.WriteCapacity.Value != 1000 {
		t.Fatalf("write capacity %+v, want the 1,000 writes/s reference", db.WriteCapacity)
	}
	if got := db.WriteCapacity.Assumed.Assumption(); got != "assuming a relational primary sustains about 1,000 writes/s" {
		t.Errorf("assumption %q", got)
	}
	for _, m := range a.Missing {
		if m.Component != nil && m.Component.ID == "db" {
			t.Errorf("db listed as missing numbers though a reference stands in: %v", m)
		}
	}
	managed := analyze(t, strings.Replace(unservedReads, "db: {kind: database}", "db: {kind: database, managed: true}", 1))
	if f := facts(t, managed, "db"); f.WriteCapacity.Known() {
		t.Errorf("a managed database got a reference capacity: %+v", f.WriteCapacity)
	}
}

func TestFiguresSayWhenOperandsAreRounded(t *testing.T) {
	exact := analysis.Figure{Value: 1200, Unit: "rps", Terms: []analysis.Term{{Value: 3, What: "instances"}, {Op: analysis.Times, Value: 400, What: "rps"}}}
	if got := exact.String(); got != "3 instances × 400 rps = 1,200 rps" {
		t.Errorf("exact: %q", got)
	}
	rounded := analysis.Figure{Value: 40000.0 * 20 / 21, Unit: "reads/s", Terms: []analysis.Term{{Value: 40000}, {Op: analysis.Times, Value: 20.0 / 21, Share: true}}}
	if got := rounded.String(); got != "40,000 × 0.952 ≈ 38,095 reads/s" {
		t.Errorf("rounded: %q", got)
	}
}

const flows = `archdiag: 1
name: flows
components:
  users: {kind: client, calls: [app]}
  app:
    kind: app
    calls:
      - {to: cache, op: read}
      - {to: db, op: write}
      - {to: queue}
  cache: {kind: cache, pattern: cache-aside}
  db: {kind: database}
  queue: {kind: queue}
  worker: {kind: worker, calls: [{to: queue, op: consume}, email]}
  email: {kind: external, provider: email}
flows:
  signup:
    steps:
      - {from: users, to: app}
      - {from: app, to: cache}
      - {from: app, to: db}
      - {from: app, to: queue}
      - {from: worker, to: queue}
      - {from: worker, to: email}
`

func TestFlowsThatBreak(t *testing.T) {
	a := analyze(t, flows)
	for id, want := range map[string]int{"users": 1, "app": 1, "cache": 0, "db": 1, "queue": 1, "worker": 1, "email": 1} {
		if got := len(facts(t, a, id).Breaks); got != want {
			t.Errorf("%s breaks %d flows, want %d", id, got, want)
		}
	}
}

const routes = `archdiag: 1
name: routes
traffic: {baseline_rps: 110000, read_write_ratio: "104:6"}
components:
  users: {kind: client, calls: [web]}
  web:
    kind: webserver
    instances: 2
    calls:
      - {to: write-api, op: write}
      - {to: read-api, op: read, share: 0.96}
      - {to: search-api, op: read, share: 0.04}
  write-api: {kind: app, calls: [{to: tweets, op: write}, {to: fanout, op: write}]}
  fanout: {kind: app, calls: [{to: timelines, op: write, fanout: 10}]}
  read-api: {kind: app, calls: [{to: timelines, op: read}]}
  search-api: {kind: app, calls: [{to: search, op: read}]}
  tweets: {kind: database}
  timelines: {kind: cache}
  search: {kind: database, engine: search}
`

// A proxy routes by op and share; each write call of a handler is made
// for every write (calls are "and", not "or"); fan-out multiplies.
func TestRoutesSharesAndFanout(t *testing.T) {
	a := analyze(t, routes)
	want := map[string]float64{"write-api": 6000, "read-api": 99840, "search-api": 4160, "tweets": 6000, "fanout": 6000}
	for id, v := range want {
		if got := facts(t, a, id).Peak.Total.Value; !near(got, v) {
			t.Errorf("%s: %v, want %v", id, got, v)
		}
	}
	tl := facts(t, a, "timelines")
	if !near(tl.Peak.Writes.Value, 60000) || !near(tl.Peak.Reads.Value, 99840) {
		t.Errorf("timelines: writes %v reads %v; want 60,000 and 99,840", tl.Peak.Writes.Value, tl.Peak.Reads.Value)
	}
	if got := tl.Peak.Writes.String(); got != "110,000 rps at average × 0.055 writes × 10 fan-out ≈ 60,000 writes/s" {
		t.Errorf("fan-out formula %q", got)
	}
	if got := facts(t, a, "read-api").Peak.Total.String(); got != "110,000 rps at average × 0.945 reads × 0.96 share ≈ 99,840 rps" {
		t.Errorf("share formula %q", got)
	}
	if s := facts(t, a, "search"); s.Capacity.Known() || s.WriteCapacity.Known() {
		t.Errorf("a search engine got the relational reference: %+v", s.Capacity)
	}
	if !a.OnAverage || a.When() != "on average" {
		t.Errorf("without a peak the analysis should judge at the average")
	}
}

const crawler = `archdiag: 1
name: crawler
components:
  crawler:
    kind: worker
    driven_by: loop
    rate_rps: 1600
    calls: [{to: pages, op: write}]
  pages: {kind: database, storage: {node_capacity_gb: 2000}, shards: {strategy: consistent-hash, count: 4}}
entities:
  page: {store: pages, record_bytes: 500000, retention_days: 30}
`

func TestOwnWorkAndStorage(t *testing.T) {
	a := analyze(t, crawler)
	p := facts(t, a, "pages")
	if !near(p.Peak.Writes.Value, 1600) {
		t.Fatalf("pages writes %v, want the crawler's 1,600/s", p.Peak.Writes.Value)
	}
	st := p.Storage
	if st == nil || !near(st.PerDay.Value, 69120) {
		t.Fatalf("storage %+v, want 1,600 × 500,000 B × 86,400 s = 69,120 GB/day", st)
	}
	if !near(st.Year1.Value, 69120*30) || !near(st.Year3.Value, 69120*30) {
		t.Errorf("retention of 30 days should cap what is held: %v, %v", st.Year1.Value, st.Year3.Value)
	}
	if st.NodeCapacity.String() != "4 shards × 2,000 GB = 8,000 GB" || st.NodeCapacity.Assumed != nil {
		t.Errorf("node capacity %q", st.NodeCapacity)
	}
}

const twoTables = `archdiag: 1
name: two-tables
traffic: {baseline_rps: 100, peak_multiplier: 2, read_write_ratio: "0:1"}
components:
  users: {kind: client, calls: [api]}
  api: {kind: app, calls: [{to: db, op: write}]}
  worker: {kind: worker, driven_by: loop, rate_rps: 50, calls: [{to: db, op: write}]}
  db: {kind: database}
flows:
  post:
    steps:
      - {from: users, to: api}
      - {from: api, to: db, entity: post}
entities:
  post: {store: db, record_bytes: 1000}
  audit: {store: db, record_bytes: 100}
`

// An entity that a flow step names grows with the writes of that step's
// call; one that no step names with every write that reaches its store.
func TestEntityGrowthFollowsTheStepsThatWriteIt(t *testing.T) {
	st := facts(t, analyze(t, twoTables), "db").Storage
	post := 100.0 * 1000 * 86400 / 1e9
	audit := 150.0 * 100 * 86400 / 1e9
	if st == nil || !near(st.PerDay.Value, post+audit) {
		t.Fatalf("growth %+v, want %v GB/day for posts plus %v for the audit log", st, post, audit)
	}
}

// An autoscaling group whose bounds the design leaves out counts as
// redundant, and its capacity is unknown: the analysis says how many
// instances the load needs instead of judging a count nobody stated.
func TestAutoscaleWithoutBounds(t *testing.T) {
	a := analyze(t, `archdiag: 1
name: unbounded
traffic: {baseline_rps: 40000, read_write_ratio: "1:0"}
components:
  users: {kind: client, calls: [web]}
  web: {kind: webserver, autoscale: {}, zones: 2}
`)
	f := facts(t, a, "web")
	if f.Capacity.Known() || f.Utilisation != 0 {
		t.Errorf("capacity %s, utilisation %v; want unknown", f.Capacity, f.Utilisation)
	}
	if f.Needed != 6 || f.PerInstance.Assumed == nil {
		t.Errorf("needed %d at %s; want 6 at the reverse-proxy reference", f.Needed, f.PerInstance)
	}
	if !f.Component.Redundant() || f.Component.RedundancyText() != "autoscaled with its bounds not stated" {
		t.Errorf("redundant %v, %q", f.Component.Redundant(), f.Component.RedundancyText())
	}
	var missing []string
	for _, m := range a.Missing {
		missing = append(missing, m.Field)
	}
	if !strings.Contains(strings.Join(missing, " "), "autoscale.max") {
		t.Errorf("missing %v; want autoscale.max named", missing)
	}
}
