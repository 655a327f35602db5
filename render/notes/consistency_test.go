package notes

import (
	"fmt"
	"strings"
	"testing"

	"github.com/archdiag/archdiag/model"
)

func load(t *testing.T, src string) *model.Model {
	t.Helper()
	m, err := model.Load("inline.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// shopYAML has a cache-aside cache in front of db; %s is app's call to db.
const shopYAML = `archdiag: 1
name: shop
traffic: { baseline_rps: 100, peak_multiplier: 2, read_write_ratio: "9:1" }
components:
  users: { kind: client, calls: [lb] }
  lb: { kind: load_balancer, managed: true, health_check: { path: / }, calls: [app] }
  app:
    kind: app
    autoscale: { min: 2, max: 10 }
    capacity: { rps_per_instance: 300 }
    state: { sessions: external, session_store: sessions }
    calls:
      - { to: sessions, op: read_write }
      - { to: cache, op: read }
%s
  sessions: { kind: cache, pattern: session-store, %s }
  cache: { kind: cache, pattern: %s, instances: 2, ttl_s: 60, hit_ratio: 0.8 }
  db: { kind: database, managed: true, capacity: { read_qps: 5000, write_qps: 1000 } }
`

func shop(t *testing.T, dbCalls, sessions, pattern string) *model.Model {
	return load(t, fmt.Sprintf(shopYAML, dbCalls, sessions, pattern))
}

// The caching deep dive quotes the database's read load that section 2
// prints: the estimate takes the cache's hits off reads and read_write
// calls behind a cache-aside cache, and off a read-through cache's reads.
func TestCacheMissesAgreeWithEstimate(t *testing.T) {
	for _, c := range []struct {
		name, calls, pattern string
		misses               bool
	}{
		{"read call", "      - { to: db, op: read }", "cache-aside", true},
		{"read_write call", "      - { to: db, op: read_write }", "cache-aside", true},
		{"read-through", "      - { to: db, op: read }", "read-through", true},
		{"write-through", "      - { to: db, op: read }", "write-through", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := shop(t, c.calls, "managed: true", c.pattern)
			md := notes(t, m, interview)
			dbReads := num(m.Estimate().Load(m.Component("db")).ReadRPS)
			if !strings.Contains(section(t, md, secNumbers), "**db**: ") || !strings.Contains(section(t, md, secNumbers), dbReads+" reads/s") {
				t.Fatalf("section 2 lacks db's %s reads/s", dbReads)
			}
			dive := section(t, md, diveCaching)
			if c.misses {
				if want := "= " + dbReads + " reads/s` reach the database (db)"; !strings.Contains(dive, want) {
					t.Errorf("the deep dive should say %q:\n%s", want, dive)
				}
				return
			}
			if strings.Contains(dive, "misses =") {
				t.Errorf("the estimate counts every read at db, so the deep dive must not quote a smaller miss rate:\n%s", dive)
			}
			if want := "counts all of db's " + dbReads + " reads/s"; !strings.Contains(dive, want) {
				t.Errorf("the deep dive should say %q:\n%s", want, dive)
			}
		})
	}
	rt := section(t, notes(t, shop(t, "      - { to: db, op: read }", "managed: true", "read-through"), interview), diveCaching)
	if !strings.Contains(rt, "cache is read-through") || strings.Contains(rt, "cold or failed cache") {
		t.Errorf("a failed read-through cache fails reads rather than sending them on:\n%s", rt)
	}
}

func TestSessionStoreSentence(t *testing.T) {
	for sessions, want := range map[string]string{
		"managed: true": "Every signed-in request now goes to sessions, a managed service whose provider keeps it available.",
		"instances: 2":  "Every signed-in request now goes to sessions (2 instances), which survives losing one instance.",
		"instances: 1":  "Every signed-in request now goes to sessions (1 instance, no failover), which is not redundant: losing it logs everyone out.",
	} {
		got := section(t, notes(t, shop(t, "      - { to: db, op: read_write }", sessions, "cache-aside"), interview), diveSessions)
		if !strings.Contains(got, want) {
			t.Errorf("%s: want %q in:\n%s", sessions, want, got)
		}
		// The sentence before already says the app's instances come and go
		// without logging anyone out; the store's sentence must not repeat it.
		if strings.Count(got, "log") > 1+strings.Count(want, "log") {
			t.Errorf("%s: the logging-out consequence is said twice:\n%s", sessions, got)
		}
	}
}

// An autoscaled app's utilisation is computed at the autoscale maximum, and
// the notes say so instead of setting it against the minimum.
func TestAutoscaleUtilisationBasis(t *testing.T) {
	md := notes(t, shop(t, "      - { to: db, op: read_write }", "managed: true", "cache-aside"), interview)
	nums := section(t, md, secNumbers)
	for _, want := range []string{
		"`utilisation = 200 ÷ 3,000 = 6.7%` (at the autoscale maximum: 10 instances × 300 rps = 3,000 rps)",
		"`needed = ⌈200 ÷ (300 × 0.7)⌉ = 1` instance, which the autoscale minimum of 2 already covers.",
	} {
		if !strings.Contains(nums, want) {
			t.Errorf("section 2 lacks %q:\n%s", want, nums)
		}
	}
	if strings.Contains(nums, "running") {
		t.Errorf("section 2 sets the maximum's utilisation against the instances running:\n%s", nums)
	}
	if wrap := section(t, md, secWrapUp); !strings.Contains(wrap, "(6.7% at peak by the estimate, with all 10 instances)") {
		t.Errorf("the wrap-up should say which instance count the utilisation is for:\n%s", wrap)
	}
	for needed, want := range map[string]string{
		"max: 10": ", within the autoscale range of 2 to 10",
		"max: 3":  ", more than the autoscale maximum of 3",
	} {
		m := load(t, strings.Replace(strings.Replace(fmt.Sprintf(shopYAML, "", "managed: true", "cache-aside"), "rps_per_instance: 300", "rps_per_instance: 50", 1), "max: 10", needed, 1))
		if got := section(t, notes(t, m, interview), secNumbers); !strings.Contains(got, want) {
			t.Errorf("%s: want %q in:\n%s", needed, want, got)
		}
	}
}

// signup-email's cron job drains 1,000 per minute. At 500 a run it falls
// behind at peak but catches up at the average; at 100 even the average
// outpaces it, and no section may promise that it catches up.
func TestQueueCatchUpOnlyWhenAverageDrains(t *testing.T) {
	behind := edited(t, "signup-email", "batch_size: 1000", "batch_size: 500")
	never := edited(t, "signup-email", "batch_size: 1000", "batch_size: 100")
	changes(t, diveQueues, "the consumers catch up after it", "the backlog grows without bound and the queue never empties", behind, never, interview)
	changes(t, "Flow: signup", "the consumers catch up after the peak", "the backlog grows without bound and the queue never empties; add consumers or make them faster", behind, never, interview)
	md := notes(t, never, interview)
	if strings.Contains(md, "catch up") {
		t.Errorf("the notes promise a catch-up that never comes:\n%s", md)
	}
	if got := section(t, md, secNumbers); !strings.Contains(got, "outpaces the drain, so it never empties") {
		t.Errorf("section 2 should say the queue never empties:\n%s", got)
	}
}

// consumersYAML is one queue with three consumers draining 200, 20 and
// 10 messages/s; %s is the queue's mode and %s the consuming op.
const consumersYAML = `archdiag: 1
name: fanout
traffic: { baseline_rps: 100, peak_multiplier: 2, read_write_ratio: "1:1" }
components:
  users: { kind: client, calls: [app] }
  app: { kind: app, instances: 2, capacity: { rps_per_instance: 1000 }, calls: [{ to: events }] }
  events: { kind: queue, managed: true, mode: %s }
  a: { kind: worker, instances: 2, concurrency: 10, service_time_ms: 100, calls: [{ to: events, op: %[2]s }] }
  b: { kind: worker, instances: 2, concurrency: 1, service_time_ms: 100, calls: [{ to: events, op: %[2]s }] }
  c: { kind: cron, schedule: "* * * * *", batch_size: 600, calls: [{ to: events, op: %[2]s }] }
`

func TestDrainArithmetic(t *testing.T) {
	pubsub := notes(t, load(t, fmt.Sprintf(consumersYAML, "pubsub", "subscribe")), interview)
	nums := section(t, pubsub, secNumbers)
	for _, want := range []string{
		"drain 10/s, the slowest of: a `2 workers × 10 concurrent ÷ 0.1 s = 200/s`; b `2 workers × 1 concurrent ÷ 0.1 s = 20/s`; c `600 per run ÷ 60 s = 10/s`; every subscriber gets every message, so the slowest, c, sets the drain rate",
		"**b**: 100 jobs/s",
	} {
		if !strings.Contains(nums, want) {
			t.Errorf("pub/sub: section 2 lacks %q:\n%s", want, nums)
		}
	}
	if strings.Contains(nums, "200/s + ") {
		t.Errorf("pub/sub: the subscribers' rates do not add up:\n%s", nums)
	}
	if dive := section(t, pubsub, diveQueues); !strings.Contains(dive, "(set by the slowest subscriber, c)") || !strings.Contains(dive, "speed up the slowest subscriber, c") {
		t.Errorf("pub/sub: the deep dive should name the slowest subscriber:\n%s", dive)
	}

	p2p := section(t, notes(t, load(t, fmt.Sprintf(consumersYAML, "point_to_point", "consume")), interview), secNumbers)
	for _, want := range []string{
		"drain `200 + 20 + 10 = 230/s`, the consumers sharing the messages",
		"**b**: competes with a and c for the messages on events (100/s at peak), so its share depends on its speed: at most `2 workers × 1 concurrent ÷ 0.1 s = 20/s`.",
	} {
		if !strings.Contains(p2p, want) {
			t.Errorf("point-to-point: section 2 lacks %q:\n%s", want, p2p)
		}
	}
	if strings.Contains(p2p, "33.3") {
		t.Errorf("point-to-point: an even share is more than b or c can take:\n%s", p2p)
	}
}

// Three tiers are presentation, application and data, named alike in both
// notes whatever the model holds.
func TestThreeTiers(t *testing.T) {
	m := load(t, `archdiag: 1
name: cron
components:
  q: { kind: queue, managed: true }
  job: { kind: cron, instances: 2, lock: true, batch_size: 100, schedule: "* * * * *", calls: [q] }
`)
	if got := section(t, notes(t, m, interview), secScaling); !strings.Contains(got, "Every design starts as three tiers: "+threeTiers+".") {
		t.Errorf("interview:\n%s", got)
	}
	if got := section(t, notes(t, m, Options{Style: Study}), "The 3-tier to N-tier path"); !strings.Contains(got, "Start with three tiers: "+threeTiers+".") {
		t.Errorf("study:\n%s", got)
	}
	if strings.Count(threeTiers, " tier (") != 3 {
		t.Errorf("threeTiers names %q", threeTiers)
	}
}

// The spoken summary gives the reason to shard that fits the ratio.
func TestSpokenShardingFollowsRatio(t *testing.T) {
	changes(t, secScaling, "sharded the write-heavy data", "sharded Orders so its data and writes can outgrow one primary",
		edited(t, "n-tier", `read_write_ratio: "9:1"`, `read_write_ratio: "1:4"`), loadExample(t, "n-tier"), interview)
}

func TestMissingRatioWhy(t *testing.T) {
	m := load(t, `archdiag: 1
name: big
traffic: { baseline_rps: 100, peak_multiplier: 2 }
components:
  users: { kind: client, calls: [app] }
  app: { kind: app, instances: 2, capacity: { rps_per_instance: 500 } }
`)
	md := notes(t, m, Options{Style: Interview, Findings: exampleFindings(t, m)})
	if risks := section(t, md, secRisks); !strings.Contains(risks, "`capacity/missing-numbers` (info)") || !strings.Contains(risks, "so no database's read or write capacity is checked") {
		t.Errorf("section 6 should say what the missing numbers leave unchecked:\n%s", risks)
	}
	got := section(t, md, secNumbers)
	if !strings.Contains(got, "`utilisation = 200 ÷ 1,000 = 20%`") {
		t.Fatalf("the app's load is computed without the ratio:\n%s", got)
	}
	if strings.Contains(got, "no per-tier load can be computed") || !strings.Contains(got, "no database's read or write capacity is checked") {
		t.Errorf("the missing ratio should name what goes unchecked:\n%s", got)
	}
}

func TestLargeNumbers(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{pct(2e6), "200,000,000%"},
		{pct(12.345), "1,235%"},
		{pct(0.8889), "88.9%"},
		{model.Plural(5714286, "instance"), "5,714,286 instances"},
		{count(1000), "1,000"},
		{num(2.592e25), "25,920,000,000,000,000,000,000,000"},
		{num(2e19), "20,000,000,000,000,000,000"},
		{num(1234.5), "1,235"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	m := load(t, `archdiag: 1
name: big
traffic: { baseline_rps: 1e9, peak_multiplier: 2 }
components:
  users: { kind: client, calls: [app] }
  app: { kind: app, instances: 2, capacity: { rps_per_instance: 500 } }
`)
	got := section(t, notes(t, m, interview), secNumbers)
	for _, want := range []string{"= 200,000,000%`", "= 5,714,286` instances against 2 running"} {
		if !strings.Contains(got, want) {
			t.Errorf("section 2 lacks %q:\n%s", want, got)
		}
	}
}
