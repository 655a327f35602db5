package notes

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/analysis"
)

// feedYAML is a cache-aside cache read by the API and filled by a worker
// that also reads the database; the worker drains 20 jobs/s of about 59,
// behind a synchronous standby. Tests edit it with strings.Replace.
const feedYAML = `archdiag: 1
name: feedlike
traffic: { baseline_rps: 1000, peak_multiplier: 3, read_write_ratio: "50:1" }
components:
  users: { kind: client, calls: [lb] }
  lb: { kind: load_balancer, managed: true, health_check: { path: / }, calls: [api] }
  api:
    kind: app
    autoscale: { min: 2, max: 20 }
    capacity: { rps_per_instance: 1000 }
    state: { sessions: token }
    calls:
      - { to: cache, op: read }
      - { to: db, op: read_write }
      - { to: events }
  cache: { kind: cache, pattern: cache-aside, instances: 2, ttl_s: 60, hit_ratio: 0.95 }
  events: { kind: queue, managed: true, delivery: at-least-once, dead_letter: dlq, max_receive_count: 5 }
  dlq: { kind: queue, managed: true, alerts: [{ when: "depth > 100", notify: "#oncall" }] }
  fanout:
    kind: worker
    instances: 2
    concurrency: 1
    service_time_ms: 100
    idempotent: true
    calls:
      - { to: events }
      - { to: db, op: read }
      - { to: cache, op: write }
      - { to: pay, timeout_ms: 8000 }
  rebuild:
    kind: cron
    schedule: "0 3 * * *"
    max_duration_s: 3600
    calls:
      - { to: cache, op: write }
  db:
    kind: database
    role: primary
    failover: { mode: automatic, standby: standby }
    capacity: { read_qps: 20000, write_qps: 4000 }
  standby: { kind: database, replica_of: db, replication: sync }
  pay: { kind: external, provider: payment, managed: true }
`

func feed(t *testing.T, pairs ...string) *model.Model {
	t.Helper()
	src := feedYAML
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(src, pairs[i]) {
			t.Fatalf("feedYAML lacks %q", pairs[i])
		}
		src = strings.ReplaceAll(src, pairs[i], pairs[i+1])
	}
	return load(t, src)
}

// With a cold cache the database takes the misses, the reads that never
// go through the cache and the hits; each term is named, and they add up.
// Only components that read the cache are its readers.
func TestColdCacheTermsAddUp(t *testing.T) {
	m := feed(t)
	dive := section(t, notes(t, m, interview), diveCaching)
	if !strings.Contains(dive, "the application (api) reads it first") {
		t.Errorf("only api reads the cache; fanout and rebuild only write it:\n%s", dive)
	}
	re := regexp.MustCompile("`([\\d,.]+) misses \\+ ([\\d,.]+) other reads \\+ ([\\d,.]+) hits ([=≈]) ([\\d,.]+) reads/s`")
	g := re.FindStringSubmatch(dive)
	if g == nil {
		t.Fatalf("the cold-cache sum should name misses, other reads and hits:\n%s", dive)
	}
	db := newEstimate(analysis.Analyze(m, analysis.Options{})).Load(m.Component("db"))
	cache := newEstimate(analysis.Analyze(m, analysis.Options{})).Load(m.Component("cache"))
	if want := num(cache.ReadRPS * 0.05); g[1] != want {
		t.Errorf("misses = %s, want %s", g[1], want)
	}
	if want := num(db.ReadRPS - cache.ReadRPS*0.05); g[2] != want {
		t.Errorf("other reads = %s, want %s (fanout's reads)", g[2], want)
	}
	if sum := parseNum(t, g[1]) + parseNum(t, g[2]) + parseNum(t, g[3]); (num(sum) == g[5]) != (g[4] == "=") {
		t.Errorf("%s + %s + %s %s %s", g[1], g[2], g[3], g[4], g[5])
	}

	// Without other readers of the database there is nothing to name.
	alone := section(t, notes(t, feed(t, "      - { to: db, op: read }\n", ""), interview), diveCaching)
	if strings.Contains(alone, "other reads") || !strings.Contains(alone, " misses + ") {
		t.Errorf("only misses and hits reach the database:\n%s", alone)
	}
}

func parseNum(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// binaryFormula matches "x op y = z" in a code span, with optional names
// and units: "205 × 3,600 s = 736,364", "reads 1,191 ÷ 20,000 = 6%".
var binaryFormula = regexp.MustCompile(`^(?:[a-zρ]+ = |[a-z]+ )?([\d,]+(?:\.\d+)?)(?: [a-z/]+)? ([×÷−]) ([\d,]+(?:\.\d+)?)(?: [a-z/]+)? ([=≈]) ([\d,]+(?:\.\d+)?)(%?)`)

var codeSpan = regexp.MustCompile("`([^`]+)`")

// checkFormulas fails on a formula whose shown operands do not give its
// shown result but that says "=", or that gives it but says "≈".
func checkFormulas(t *testing.T, label, md string) (checked int) {
	t.Helper()
	for _, span := range codeSpan.FindAllStringSubmatch(md, -1) {
		g := binaryFormula.FindStringSubmatch(span[1])
		if g == nil {
			continue
		}
		a, b := parseNum(t, g[1]), parseNum(t, g[3])
		var r float64
		switch g[2] {
		case "×":
			r = a * b
		case "÷":
			r = a / b
		case "−":
			r = a - b
		}
		got := num(r)
		switch {
		case g[6] == "%":
			got = strings.TrimSuffix(pct(r), "%")
		case strings.HasPrefix(span[1], "ρ"):
			got = short(round2(r))
		}
		if exact := got == g[5]; exact != (g[4] == "=") {
			t.Errorf("%s: `%s` computes %s", label, span[1], got)
		}
		checked++
	}
	return checked
}

// A formula with "=" multiplies out from the numbers it shows; one whose
// operands were rounded for display says "≈" instead.
func TestFormulasMultiplyOut(t *testing.T) {
	checked := 0
	for _, name := range exampleNames(t) {
		m := loadExample(t, name)
		checked += checkFormulas(t, name, notes(t, m, Options{Style: Interview, Findings: exampleFindings(t, m)}))
	}
	md := notes(t, feed(t), interview)
	checked += checkFormulas(t, "feed", md)
	if checked < 20 {
		t.Errorf("only %d formulas checked; the pattern no longer matches the notes", checked)
	}
	// 38.8/s of growth is 38.82 rounded: 38.8 × 3,600 is 139,680, not the
	// 139,765 the estimate carries.
	if nums := section(t, md, secNumbers); !strings.Contains(nums, "`38.8 × 3,600 s ≈ 139,765`") {
		t.Errorf("the rounded backlog product should say ≈:\n%s", nums)
	}
	for _, c := range []struct {
		fromShown, result float64
		want              string
	}{{205 * 3600, 204.5 * 3600, " ≈ "}, {250 * 3600, 250 * 3600, " = "}, {0.30001, 0.3, " = "}} {
		if got := eq(c.fromShown, c.result); got != c.want {
			t.Errorf("eq(%v, %v) = %q, want %q", c.fromShown, c.result, got, c.want)
		}
	}
}

// A consumer that receives more than it drains processes its drain rate;
// the rest is the queue's backlog, not work it does.
func TestConsumerOverDrain(t *testing.T) {
	nums := section(t, notes(t, feed(t), interview), secNumbers)
	want := "it processes at most `2 workers × 1 concurrent ÷ 0.1 s = 20/s`, so the other 38.8 jobs/s wait in events."
	if !strings.Contains(nums, want) {
		t.Errorf("section 2 lacks %q:\n%s", want, nums)
	}
	fast := section(t, notes(t, feed(t, "concurrency: 1", "concurrency: 10"), interview), secNumbers)
	if strings.Contains(fast, "processes at most") {
		t.Errorf("a consumer that keeps up processes all it receives:\n%s", fast)
	}
}

// The scaling path says an app keeps state on the instance only when the
// model says so.
func TestUndeclaredStateIsNotLocalState(t *testing.T) {
	extra := "  idgen: { kind: app, instances: 3, capacity: { rps_per_instance: 5000 } }\n  cache:"
	m := feed(t, "      - { to: cache, op: read }\n", "      - { to: cache, op: read }\n      - { to: idgen }\n", "  cache:", extra)
	got := section(t, notes(t, m, interview), secScaling)
	for _, want := range []string{
		"**Next**, load balancer and stateless app servers: lb spreads requests over api (2 to 20 instances, autoscaled), stateless; but idgen has no load balancer in front and does not declare where state lives.",
		"Trigger: idgen passing the 70% target",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("scaling path lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "keeps state on the instance") {
		t.Errorf("idgen declares no state, so none is on the instance:\n%s", got)
	}
	local := feed(t, "      - { to: cache, op: read }\n", "      - { to: cache, op: read }\n      - { to: idgen }\n", "  cache:",
		strings.Replace(extra, "rps_per_instance: 5000 }", "rps_per_instance: 5000 }, state: { sessions: local }", 1))
	if got := section(t, notes(t, local, interview), secScaling); !strings.Contains(got, "idgen has no load balancer in front and keeps state on the instance") {
		t.Errorf("local sessions are state on the instance:\n%s", got)
	}
}

// A dead-letter alert reaches a person in minutes only when it fires on
// the first message.
func TestDeadLetterAlertThreshold(t *testing.T) {
	late := notes(t, feed(t), interview)
	if dive := section(t, late, diveQueues); strings.Contains(dive, "in minutes") || !strings.Contains(dive, "only once 101 failed jobs have piled up") {
		t.Errorf("depth > 100 fires on the 101st failed job:\n%s", dive)
	}
	if wrap := section(t, late, secWrapUp); strings.Contains(wrap, "it already alerts") || !strings.Contains(wrap, "only once 101 failed jobs have piled up") {
		t.Errorf("the wrap-up should say the alert is late:\n%s", wrap)
	}
	for _, when := range []string{"depth > 0", "depth >= 1"} {
		md := notes(t, feed(t, "depth > 100", when), interview)
		if dive := section(t, md, diveQueues); !strings.Contains(dive, "a malformed job reaches a person in minutes") {
			t.Errorf("%s fires on the first failed job:\n%s", when, dive)
		}
		if wrap := section(t, md, secWrapUp); !strings.Contains(wrap, "it already alerts") {
			t.Errorf("%s: %s", when, wrap)
		}
	}
	if n, ok := alertDepth([]*model.Alert{{When: model.String{Val: "age > 5m"}}}); ok {
		t.Errorf("an age alert is no depth threshold, got %d", n)
	}
}

// A synchronous replica has no lag to monitor; an async one does.
func TestSyncReplicaHasNoLag(t *testing.T) {
	if wrap := section(t, notes(t, feed(t), interview), secWrapUp); strings.Contains(wrap, "standby: replication lag") {
		t.Errorf("a synchronous standby does not lag:\n%s", wrap)
	}
	if wrap := section(t, notes(t, feed(t, "replication: sync", "replication: async"), interview), secWrapUp); !strings.Contains(wrap, "standby: replication lag.") {
		t.Errorf("an async standby lags:\n%s", wrap)
	}
}

// An outage is a trigger for replicas and failover only where the database
// does not already fail over.
func TestReplicaTriggerOutage(t *testing.T) {
	spof := "or its outage being the next single point of failure"
	if got := section(t, notes(t, feed(t), interview), secScaling); strings.Contains(got, spof) {
		t.Errorf("db already fails over automatically:\n%s", got)
	}
	manual := feed(t, "failover: { mode: automatic, standby: standby }", "failover: { mode: manual }")
	if got := section(t, notes(t, manual, linted(t, manual)), secScaling); !strings.Contains(got, spof) {
		t.Errorf("db without automatic failover is a single point of failure:\n%s", got)
	}
}

// A database with no failover stops its readers as well as its writers.
func TestNoFailoverStopsReads(t *testing.T) {
	m := loadExample(t, "three-tier")
	got := section(t, notes(t, m, linted(t, m)), diveData)
	if !strings.Contains(got, "everything that reads or writes it stops until it is restored (`db/no-failover`)") {
		t.Errorf("reads stop too:\n%s", got)
	}
}

func TestArticle(t *testing.T) {
	for word, want := range map[string]string{
		"8,000": "an", "8": "an", "11": "an", "18": "an", "18,000": "an", "80": "an", "800": "an", "11.5": "an",
		"1,000": "a", "110": "a", "180": "a", "3,000": "a", "1,100": "a", "0.8": "a",
		"object": "an", "cache": "a",
	} {
		if got := article(word); got != want {
			t.Errorf("article(%q) = %q, want %q", word, got, want)
		}
	}
	dive := section(t, notes(t, feed(t), interview), diveExternal)
	if !strings.Contains(dive, "with an 8,000 ms timeout") {
		t.Errorf("want “an 8,000 ms timeout”:\n%s", dive)
	}
}

func TestJoin(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want string
	}{
		{[]string{"a", "b", "c"}, "a, b and c"},
		{[]string{"caching", "read replicas and failover", "sharding"}, "caching, read replicas and failover, and sharding"},
		{[]string{"reads and writes X", "publishes to Y"}, "reads and writes X, and publishes to Y"},
		{[]string{"reads A, B and C", "writes D", "publishes to E"}, "reads A, B and C; writes D; and publishes to E"},
		{[]string{"20,000 reads/s", "4,000 writes/s", "3,000 connections"}, "20,000 reads/s, 4,000 writes/s and 3,000 connections"},
		{[]string{"X (a, b)", "Y (c and d)", "Z"}, "X (a, b), Y (c and d) and Z"},
	} {
		if got := join(c.in); got != c.want {
			t.Errorf("join(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// nestedParens finds a parenthesis opened inside another in prose; code
// spans and the Mermaid block are left out.
func nestedParens(md string) string {
	inFence := false
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "```") {
			inFence = !inFence
			continue
		}
		if inFence {
			continue
		}
		depth := 0
		for _, r := range codeSpan.ReplaceAllString(line, "") {
			switch r {
			case '(':
				if depth++; depth > 1 {
					return line
				}
			case ')':
				depth = max(depth-1, 0)
			}
		}
	}
	return ""
}

// Small wording faults the notes must not make.
func TestWording(t *testing.T) {
	m := feed(t)
	md := notes(t, m, linted(t, m))
	study := notes(t, m, Options{Style: Study})
	for _, md := range []string{md, study} {
		if line := nestedParens(md); line != "" {
			t.Errorf("nested parentheses:\n%s", line)
		}
		if strings.Contains(md, "3600 s") {
			t.Error("3,600 s needs its thousands separator")
		}
	}
	for _, name := range exampleNames(t) {
		if line := nestedParens(notes(t, loadExample(t, name), interview)); line != "" {
			t.Errorf("%s: nested parentheses:\n%s", name, line)
		}
	}
	for _, want := range []string{
		"2 queues (one of them a dead-letter queue)",
		"Primary: takes the writes; replica: standby;",
		"One instance of rebuild: cheap and simple today, and it is a single point of failure until doubled (`cron/single-runner` on rebuild).",
		"run duration against its 3,600 s limit",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("interview notes lack %q", want)
		}
	}
	if got := section(t, notes(t, loadExample(t, "n-tier"), Options{Style: Study}), "Cache-aside versus read-through"); strings.Contains(got, "is a session store cache") || !strings.Contains(got, "Session store holds sessions for App servers") {
		t.Errorf("say whose sessions a session store holds:\n%s", got)
	}
}
