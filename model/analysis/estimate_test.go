package analysis_test

import (
	"math"
	"strings"
	"testing"

	"github.com/archdiag/archdiag/model"
)

const estimateModel = `archdiag: 1
name: e
traffic: { baseline_rps: 1000, peak_multiplier: 3, read_write_ratio: "9:1" }
components:
  users: {kind: client, calls: [app]}
  app:
    kind: app
    instances: 4
    capacity: { rps_per_instance: 400 }
    calls:
      - { to: cache, op: read }
      - { to: db, op: write }
      - { to: r1, op: read }
      - { to: r2, op: read }
      - q
  cache: {kind: cache, hit_ratio: 0.9}
  db: {kind: database, capacity: {write_qps: 2000, read_qps: 3000}}
  r1: {kind: database, replica_of: db}
  r2: {kind: database, replica_of: db}
  q: {kind: queue}
  cron: {kind: cron, schedule: "*/1 * * * *", batch_size: 500, calls: [q]}
`

func TestEstimate(t *testing.T) {
	a := analyze(t, estimateModel)
	if a.Peak.Value != 3000 || a.Average.Value != 1000 || a.Reads.Value != 2700 {
		t.Fatalf("peak %v avg %v reads %v", a.Peak.Value, a.Average.Value, a.Reads.Value)
	}
	app := facts(t, a, "app")
	if app.Capacity.Value != 1600 || app.Needed != 11 || app.Utilisation != 3000.0/1600 {
		t.Errorf("app: capacity %v needed %d utilisation %v", app.Capacity.Value, app.Needed, app.Utilisation)
	}
	if got, want := facts(t, a, "r1").Peak.Total.String(), "3,000 rps at peak × 0.9 reads × (1 − 0.9 cache hit ratio) ÷ 2 read targets = 135 rps"; got != want {
		t.Errorf("r1 formula:\n got %s\nwant %s", got, want)
	}
	q := facts(t, a, "q")
	if q.Capacity.String() != "500 per run ÷ 60 s = 8.3/s" || math.Abs(q.Peak.Total.Value-300) > 0.1 {
		t.Errorf("queue: %v at %s", q.Peak.Total.Value, q.Capacity)
	}
	if len(a.Missing) != 0 {
		t.Errorf("missing %q", a.Missing)
	}
	bare := analyze(t, "archdiag: 1\nname: e\ncomponents:\n  u: {kind: client, calls: [a]}\n  a: {kind: app}\n")
	var got []string
	for _, m := range bare.Missing {
		got = append(got, m.Text)
	}
	if strings.Join(got, "|") != "traffic (baseline_rps, peak_multiplier, read_write_ratio)|a.capacity.rps_per_instance" {
		t.Errorf("missing = %q", got)
	}
}

// A cache's hits never reach the database, whether the caller fetches the
// misses (cache-aside, or a read_write call beside it) or the cache does
// (read-through); every subscriber of a pub/sub queue drains it, so the
// slowest sets its rate.
func TestCachesAndSubscribers(t *testing.T) {
	a := analyze(t, `archdiag: 1
name: e
traffic: {baseline_rps: 500, peak_multiplier: 2, read_write_ratio: "9:1"}
components:
  users: {kind: client, calls: [app, app2]}
  app:
    kind: app
    calls:
      - {to: rt, op: read}
      - {to: db, op: read_write}
      - {to: events}
  rt: {kind: cache, pattern: read-through, hit_ratio: 0.9, calls: [db]}
  app2:
    kind: app
    calls:
      - {to: aside, op: read}
      - {to: db2, op: read_write}
  aside: {kind: cache, pattern: cache-aside, hit_ratio: 0.8}
  db: {kind: database}
  db2: {kind: database}
  events: {kind: queue, mode: pubsub}
  fast: {kind: worker, instances: 2, concurrency: 10, service_time_ms: 100, calls: [events]}
  slow: {kind: worker, instances: 1, concurrency: 1, service_time_ms: 100, calls: [events]}
`)
	// app: 1,000 rps at peak; 900 reads reach rt, which fetches its 90
	// misses from db itself; app's own read_write call carries 900 reads
	// and 100 writes, not discounted again.
	if db := facts(t, a, "db"); !near(db.Peak.Reads.Value, 990) || !near(db.Peak.Writes.Value, 100) {
		t.Errorf("db: %v reads/s, %v writes/s; want 990 and 100 (%s)", db.Peak.Reads.Value, db.Peak.Writes.Value, db.Peak.Total)
	}
	// app2: 900 reads × 0.2 misses = 180 reads/s and 100 writes/s on one read_write call.
	if db2 := facts(t, a, "db2"); !near(db2.Peak.Reads.Value, 180) || !near(db2.Peak.Writes.Value, 100) || !strings.Contains(db2.Peak.Total.String(), "aside hit ratio") {
		t.Errorf("db2: %v reads/s, %v writes/s; want 180 and 100 (%s)", db2.Peak.Reads.Value, db2.Peak.Writes.Value, db2.Peak.Total)
	}
	if q := facts(t, a, "events"); q.Capacity.Value != 10 {
		t.Errorf("events drains %v/s (%s); want the slowest subscriber's 10/s", q.Capacity.Value, q.Capacity)
	}
}

// Admission and draining cap what flows on: a waiting room passes at most
// its admission rate, a consumer at most what it drains; the average load
// flows the same way, so it is capped only where it exceeds a cap.
func TestCapsAndAverage(t *testing.T) {
	a := analyze(t, `archdiag: 1
name: caps
traffic: {baseline_rps: 500, peak_multiplier: 100, read_write_ratio: "1:1"}
components:
  users: {kind: client, calls: [room]}
  room: {kind: waiting_room, admit_rps: 5000, calls: [app]}
  app: {kind: app, calls: [{to: jobs}]}
  jobs: {kind: queue}
  worker: {kind: worker, instances: 2, concurrency: 10, service_time_ms: 100, calls: [jobs, {to: pay, timeout_ms: 1000}]}
  pay: {kind: external, provider: payment}
`)
	jobs, pay := facts(t, a, "jobs"), facts(t, a, "pay")
	// Peak 50,000 rps, 5,000 admitted, half of them publish: 2,500/s; the
	// worker drains 200/s. On average 500 rps pass the room, 250/s publish.
	if jobs.Peak.Total.Value != 2500 || jobs.Average.Total.Value != 250 {
		t.Errorf("jobs: peak %v, average %v; want 2,500 and 250", jobs.Peak.Total.Value, jobs.Average.Total.Value)
	}
	if pay.Peak.Total.Value != 200 {
		t.Errorf("pay: %v (%s); want the worker's 200/s", pay.Peak.Total.Value, pay.Peak.Total)
	}
}

// Bounds keep the analysis finite: without them 1e19 rps overflowed into
// negative numbers in the notes.
func TestStaysFinite(t *testing.T) {
	a := analyze(t, "archdiag: 1\nname: e\ntraffic: {baseline_rps: 1e9, peak_multiplier: 1000, read_write_ratio: \"1:1\"}\ncomponents:\n  u: {kind: client, calls: [a]}\n  a: {kind: app, instances: 100000, capacity: {rps_per_instance: 1e-9}}\n")
	f := facts(t, a, "a")
	if got := model.Rate(a.Peak.Value); got != "1,000,000,000,000" {
		t.Errorf("peak = %s", got)
	}
	if f.Needed != 0 {
		t.Errorf("needed = %d, want 0 (unknown) rather than an overflowed int", f.Needed)
	}
	if math.IsInf(f.Utilisation, 0) || f.Utilisation <= 0 {
		t.Errorf("utilisation = %v", f.Utilisation)
	}
}
