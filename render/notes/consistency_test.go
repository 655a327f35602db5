package notes

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/analysis"
	"github.com/archdiag/archdiag/rules"
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
			dbReads := num(newEstimate(analysis.Analyze(m, analysis.Options{})).Load(m.Component("db")).ReadRPS)
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
		"instances: 1":  "Every signed-in request now goes to sessions (1 instance, no failover), a single point of failure (`spof/single-instance`): losing it logs everyone out.",
	} {
		m := shop(t, "      - { to: db, op: read_write }", sessions, "cache-aside")
		got := section(t, notes(t, m, linted(t, m)), diveSessions)
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
	for _, line := range strings.Split(nums, "\n") {
		if strings.Contains(line, "autoscale maximum") && strings.Contains(line, "running") {
			t.Errorf("section 2 sets the maximum's utilisation against the instances running:\n%s", line)
		}
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
	if risks := section(t, md, secRisks); !strings.Contains(risks, "`capacity/missing-numbers` (info)") || !strings.Contains(risks, "so every call carries the whole load and each store is judged against more than it gets") {
		t.Errorf("section 6 should say what the missing numbers leave unchecked:\n%s", risks)
	}
	got := section(t, md, secNumbers)
	if !strings.Contains(got, "`utilisation = 200 ÷ 1,000 = 20%`") {
		t.Fatalf("the app's load is computed without the ratio:\n%s", got)
	}
	if strings.Contains(got, "no per-tier load can be computed") || !strings.Contains(got, "each store is judged against more than it gets") {
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

// Agreement with lint: the notes claim a risk only where lint reports it,
// for the component lint names, with the same configuration and
// suppressions; a scaling step marked taken has none of its own rules
// firing; and the figures both print agree.

// ruleRef is a rule id in a code span.
var ruleRef = regexp.MustCompile("`([a-z]+/[a-z0-9-]+)`")

// watchList is the study card's list of the rules that watch a kind: rules,
// not findings.
const watchList = "- **Rules that watch it**: "

// prose drops the study cards' lists of the rules that watch each kind.
func prose(md string) string {
	var out []string
	for _, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), watchList) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// checkCitations fails on a rule the notes cite that lint did not report,
// or that lint reported on none of the components the same line names.
func checkCitations(t *testing.T, r *report, label string, m *model.Model, fs []model.Finding, md string) {
	t.Helper()
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), watchList) {
			continue
		}
		for _, ref := range ruleRef.FindAllStringSubmatch(line, -1) {
			rule := ref[1]
			if rules.Lookup(rule) == nil {
				continue // a status value or a path, not a rule
			}
			var on []model.Finding
			for _, f := range fs {
				if f.Rule == rule {
					on = append(on, f)
				}
			}
			if len(on) == 0 {
				r.errorf("%s: the notes cite %s, which lint did not report:\n%s", label, rule, line)
				continue
			}
			// A list of rules that names no component ("fix the errors
			// first: ...") cites them all; otherwise the line must name a
			// component the finding is about.
			named, backed := false, false
			for _, c := range m.Components {
				if !namesComponent(line, c, m.Components) {
					continue
				}
				named = true
				for _, f := range on {
					if f.Component == c.ID || f.Component == "" {
						backed = true
					}
				}
			}
			if named && !backed {
				r.errorf("%s: the notes cite %s about components lint did not report it on:\n%s", label, rule, line)
			}
		}
	}
}

// namesComponent reports whether line names c as the notes write it, as a
// whole word.
func namesComponent(line string, c *model.Component, others []*model.Component) bool {
	n := name(c)
	for i := 0; ; {
		j := strings.Index(line[i:], n)
		if j < 0 {
			return false
		}
		j += i
		before, after := rune(' '), rune(' ')
		if j > 0 {
			before = rune(line[j-1])
		}
		if k := j + len(n); k < len(line) {
			after = rune(line[k])
		}
		if !isWordRune(before) && !isWordRune(after) && !withinLongerName(line, j, n, others) {
			return true
		}
		i = j + 1
	}
}

// withinLongerName reports whether the name n found at j is part of a
// longer component name there: "Creation" inside "API Gateway (Creation
// Fleet)" names the gateway, not the app.
func withinLongerName(line string, j int, n string, others []*model.Component) bool {
	for _, o := range others {
		on := name(o)
		if len(on) <= len(n) || !strings.Contains(on, n) {
			continue
		}
		for k := 0; ; {
			x := strings.Index(line[k:], on)
			if x < 0 {
				break
			}
			x += k
			if x <= j && j < x+len(on) {
				return true
			}
			k = x + 1
		}
	}
	return false
}

func isWordRune(r rune) bool {
	return r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}

// checkSPOFClaims fails on a wrap-up line that calls a component a single
// point of failure when lint does not.
func checkSPOFClaims(t *testing.T, r *report, label string, m *model.Model, fs []model.Finding, md string) {
	t.Helper()
	if !strings.Contains(md, "## "+secWrapUp) {
		return
	}
	for _, line := range strings.Split(section(t, md, secWrapUp), "\n") {
		if !strings.Contains(line, "single point of failure") {
			continue
		}
		for _, c := range m.Components {
			if !namesComponent(line, c, m.Components) {
				continue
			}
			if !slices.ContainsFunc(fs, func(f model.Finding) bool { return f.Component == c.ID && slices.Contains(spofRules, f.Rule) }) {
				r.errorf("%s: the wrap-up calls %s a single point of failure, which lint does not:\n%s", label, c.ID, line)
			}
		}
	}
}

// checkScalingSteps fails on a step marked taken while one of its own rules
// fires.
func checkScalingSteps(t *testing.T, r *report, label string, fs []model.Finding, md string) {
	t.Helper()
	if !strings.Contains(md, "## "+secScaling) {
		return
	}
	for _, line := range strings.Split(section(t, md, secScaling), "\n") {
		title, ok := strings.CutPrefix(line, "- **Taken**, ")
		if !ok {
			continue
		}
		title, _, _ = strings.Cut(title, ":")
		own, known := stepRules[title]
		if !known {
			r.errorf("%s: no rules are known for the step %q", label, title)
		}
		for _, f := range fs {
			if !f.Suppressed && slices.Contains(own, f.Rule) {
				r.errorf("%s: the step %q is marked taken while %s fires on %s:\n%s", label, title, f.Rule, f.Component, line)
			}
		}
	}
}

// A report collects what the checks find, so that a test can also show
// that they find a planted disagreement.
type report struct {
	problems []string
	compared int // figures found on both sides
}

func (r *report) errorf(format string, args ...any) {
	r.problems = append(r.problems, fmt.Sprintf(format, args...))
}

// agreement runs every check on the interview and study notes of m with
// findings fs.
func agreement(t *testing.T, label string, m *model.Model, fs []model.Finding) *report {
	t.Helper()
	r := &report{}
	for _, style := range []Style{Interview, Study} {
		md := notes(t, m, Options{Style: style, Findings: fs})
		l := label + "/" + style.String()
		checkCitations(t, r, l, m, fs, md)
		checkSPOFClaims(t, r, l, m, fs, md)
		checkScalingSteps(t, r, l, fs, md)
		checkNumbers(t, r, l, m, fs, md)
	}
	return r
}

// checkAgreement fails on every disagreement between the notes and lint.
func checkAgreement(t *testing.T, label string, m *model.Model, fs []model.Finding) *report {
	t.Helper()
	r := agreement(t, label, m, fs)
	for _, p := range r.problems {
		t.Error(p)
	}
	return r
}

// corpus returns every example and every corpus design, by path.
func corpus(t *testing.T) map[string]*model.Model {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(examplesDir, "*.yaml"))
	designs, _ := filepath.Glob("../../testdata/designs/*.yaml")
	out := map[string]*model.Model{}
	for _, p := range append(paths, designs...) {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		m, err := model.Load(filepath.Base(p), src)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		out[p] = m
	}
	if len(out) == 0 {
		t.Fatal("no models")
	}
	return out
}

func TestNotesAgreeWithLint(t *testing.T) {
	models := corpus(t)
	var paths []string
	for p := range models {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	compared := 0
	for _, p := range paths {
		m := models[p]
		t.Run(filepath.Base(p), func(t *testing.T) {
			fs, err := rules.Run(m, nil)
			if err != nil {
				t.Fatalf("lint refuses the model: %v", err)
			}
			compared += checkAgreement(t, p, m, fs).compared
		})
	}
	// The examples and designs are sized to pass; these edits push them over,
	// so lint prints figures the notes also print.
	for _, v := range []struct {
		name  string
		pairs []string
	}{
		{"signup-email", []string{"batch_size: 1000", "batch_size: 500"}},
		{"signup-email", []string{"batch_size: 1000", "batch_size: 100"}},
		{"three-tier", []string{"rps_per_instance: 200", "rps_per_instance: 60"}},
		{"n-tier", []string{"read_qps: 8000 }", "read_qps: 300 }", "write_qps: 3000", "write_qps: 20"}},
		{"ticket-surge", []string{"rps_per_instance: 500", "rps_per_instance: 50"}},
	} {
		label := v.name + " with " + strings.Join(v.pairs, " → ")
		t.Run(label, func(t *testing.T) {
			m := edited(t, v.name, v.pairs...)
			compared += checkAgreement(t, label, m, exampleFindings(t, m)).compared
		})
	}
	if compared == 0 {
		t.Error("no figure was found in both a lint message and the notes: the number check compared nothing")
	}
}

// The checks find what they look for: a figure, a citation and a step
// planted against lint are each reported.
func TestAgreementChecksFail(t *testing.T) {
	m := loadExample(t, "signup-email")
	fs := exampleFindings(t, m)
	if r := agreement(t, "honest", m, fs); len(r.problems) > 0 {
		t.Fatalf("the example disagrees already: %v", r.problems)
	}
	// Lint without db/no-failover: the notes cite it from the full list.
	md := notes(t, m, Options{Style: Interview, Findings: fs})
	var without []model.Finding
	for _, f := range fs {
		if f.Rule != "db/no-failover" {
			without = append(without, f)
		}
	}
	r := &report{}
	checkCitations(t, r, "planted", m, without, md)
	if len(r.problems) == 0 {
		t.Error("a citation of an unreported rule went unnoticed")
	}

	// A backlog lint sees at 99 messages/s against the notes' 12.
	q := m.Component("email-queue")
	planted := append(slices.Clone(fs), model.Finding{Rule: "queue/backlog-growth", Component: q.ID,
		Message: "at peak 99 messages/s reach queue 'email-queue' (x) and its consumers drain 16.7/s (y): the backlog grows by 82.3 messages/s, 296,280 an hour"})
	r = &report{}
	checkNumbers(t, r, "planted", m, planted, md)
	if len(r.problems) != 1 || r.compared != 2 {
		t.Errorf("want the peak reported and the drain agreeing; got %d compared: %v", r.compared, r.problems)
	}

	// The queue step marked taken while queue/no-consumer fires.
	r = &report{}
	checkScalingSteps(t, r, "planted", []model.Finding{{Rule: "queue/no-consumer", Component: q.ID}}, md)
	if len(r.problems) == 0 {
		t.Error("a taken step with its own rule firing went unnoticed")
	}
}

// Models that once made the notes contradict lint, each with what the
// notes said.
var contradictions = []struct {
	name, yaml string
	never      []string
}{
	{
		// An async replica read with no flow that writes first: lint has no
		// read-after-write to report.
		name: "lag without a flow",
		yaml: `archdiag: 1
name: lag
components:
  users: { kind: client, calls: [app] }
  app: { kind: app, instances: 2, state: { sessions: token }, calls: [{ to: db, op: write }, { to: ro, op: read }] }
  db: { kind: database, role: primary, failover: { mode: automatic, standby: ro } }
  ro: { kind: database, replica_of: db }
`,
		never: []string{"`db/read-after-write-lag`"},
	},
	{
		// Two instances without failover are redundant to lint.
		name: "database with two instances",
		yaml: `archdiag: 1
name: pair
components:
  users: { kind: client, calls: [app] }
  app: { kind: app, instances: 2, state: { sessions: token }, calls: [{ to: db, op: read_write }] }
  db: { kind: database, instances: 2 }
`,
		never: []string{"`db/no-failover`", "No failover: if"},
	},
	{
		// Replicas read through an internal load balancer, with no traffic
		// numbers to carry load there.
		name: "replicas behind a load balancer",
		yaml: `archdiag: 1
name: reads
components:
  users: { kind: client, calls: [app] }
  app: { kind: app, instances: 2, state: { sessions: token }, calls: [{ to: db, op: write }, { to: read-lb, op: read }] }
  read-lb: { kind: load_balancer, managed: true, health_check: { path: /health }, calls: [ro1, ro2] }
  db: { kind: database, managed: true }
  ro1: { kind: database, replica_of: db }
  ro2: { kind: database, replica_of: db }
`,
		never: []string{"serve no reads", "No read replicas yet", "**Later**, read replicas", "**Next**, read replicas"},
	},
	{
		// Sessions in a session-store cache the app calls, declared by the
		// call alone; one app instance.
		name: "sessions in a shared store",
		yaml: `archdiag: 1
name: shared
components:
  users: { kind: client, calls: [app] }
  app: { kind: app, calls: [{ to: sessions, op: read_write }, { to: db, op: read_write }] }
  sessions: { kind: cache, pattern: session-store, managed: true, ttl_s: 3600 }
  db: { kind: database, managed: true }
`,
		never: []string{"costs a shared session store or signed tokens", "does not declare where state lives", "does not say where sessions live"},
	},
	{
		// A CDN the app calls, inside the back end.
		name: "CDN behind the app",
		yaml: `archdiag: 1
name: cdn
components:
  users: { kind: client, calls: [lb] }
  lb: { kind: load_balancer, managed: true, health_check: { path: / }, calls: [app] }
  app: { kind: app, autoscale: { min: 2, max: 4 }, state: { sessions: token }, calls: [cdn, { to: db, op: read_write }] }
  cdn: { kind: cdn, managed: true, origin: assets, calls: [assets] }
  assets: { kind: object_storage, managed: true }
  db: { kind: database, managed: true }
`,
		never: []string{"**Taken**, CDN", "put a CDN in front of the static content"},
	},
	{
		// A single cache-aside cache is a soft dependency: lint reports no
		// single point of failure.
		name: "soft cache",
		yaml: `archdiag: 1
name: soft
components:
  users: { kind: client, calls: [lb] }
  lb: { kind: load_balancer, managed: true, health_check: { path: / }, calls: [app] }
  app: { kind: app, instances: 2, state: { sessions: token }, calls: [{ to: cache, op: read }, { to: db, op: read_write }] }
  cache: { kind: cache, pattern: cache-aside, ttl_s: 60, max_memory_mb: 512, eviction: allkeys-lru }
  db: { kind: database, managed: true }
`,
		never: []string{"each is a single point of failure until doubled", "it is a single point of failure until doubled"},
	},
	{
		// A queue without a dead-letter queue, consumed by a worker not
		// declared idempotent.
		name: "bare queue",
		yaml: `archdiag: 1
name: jobs
components:
  users: { kind: client, calls: [app] }
  app: { kind: app, instances: 2, state: { sessions: token }, calls: [{ to: jobs }] }
  jobs: { kind: queue, managed: true }
  worker: { kind: worker, instances: 2, calls: [{ to: jobs }] }
`,
		never: []string{"with idempotent consumers and a dead-letter queue"},
	},
}

func TestContradictions(t *testing.T) {
	for _, c := range contradictions {
		t.Run(c.name, func(t *testing.T) {
			m := load(t, c.yaml)
			fs, err := rules.Run(m, nil)
			if err != nil {
				t.Fatal(err)
			}
			checkAgreement(t, c.name, m, fs)
			for _, style := range []Style{Interview, Study} {
				md := prose(notes(t, m, Options{Style: style, Findings: fs}))
				for _, s := range c.never {
					if strings.Contains(md, s) {
						t.Errorf("%s notes say %q:\n%s", style, s, md)
					}
				}
			}
		})
	}
}

// The notes read lint's findings as the configuration and the model's
// suppressions leave them: a disabled rule is cited nowhere, a suppressed
// one only as accepted.
func TestNotesFollowLintConfiguration(t *testing.T) {
	m := loadExample(t, "signup-email")
	cfg := rules.NewConfig()
	if err := cfg.Disable("db/no-failover"); err != nil {
		t.Fatal(err)
	}
	fs, err := rules.Run(m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkAgreement(t, "db/no-failover disabled", m, fs)
	if md := prose(notes(t, m, Options{Style: All, Findings: fs})); strings.Contains(md, "db/no-failover") {
		t.Errorf("a disabled rule is cited:\n%s", md)
	}

	sup := edited(t, "signup-email", "  users-db:\n", "  users-db:\n    ignore: { db/no-failover: restored from backups within the hour }\n")
	fs = exampleFindings(t, sup)
	checkAgreement(t, "db/no-failover suppressed", sup, fs)
	dive := section(t, notes(t, sup, Options{Style: Interview, Findings: fs}), diveData)
	if !strings.Contains(dive, "(`db/no-failover`, accepted)") {
		t.Errorf("a suppressed finding should be cited as accepted:\n%s", dive)
	}
}

// A quantity is one figure that lint messages and the notes' load line for
// the same component both print, found by a pattern on each side.
type quantity struct {
	name        string
	lint, notes *regexp.Regexp
}

var quantities = []quantity{
	{"peak load", regexp.MustCompile(`at peak ([\d,.]+) (?:rps|messages/s) reach (?:queue )?'`), regexp.MustCompile(`^- \*\*[^:]+: ([\d,.]+) (?:rps|messages/s|jobs/s|calls/s) \(`)},
	{"surge load", regexp.MustCompile(`and ([\d,.]+) rps reach '`), regexp.MustCompile(`^- \*\*[^:]+: ([\d,.]+) rps \(`)},
	{"reads", regexp.MustCompile(`receives ([\d,.]+) reads/s`), regexp.MustCompile(`; ([\d,.]+) reads/s and `)},
	{"writes", regexp.MustCompile(`(?:receives|and) ([\d,.]+) writes/s`), regexp.MustCompile(` reads/s and ([\d,.]+) writes/s`)},
	{"utilisation", regexp.MustCompile(`utilisation ([\d,.]+%)`), regexp.MustCompile("(?:utilisation|reads|writes) [^`]*?[=≈] ([\\d,.]+%)")},
	{"instances needed", regexp.MustCompile(`; ([\d,]+) instances? keep it at`), regexp.MustCompile("needed = [^=≈]*[=≈] ([\\d,]+)`")},
	{"drain", regexp.MustCompile(`consumers drain ([\d,.]+)/s`), regexp.MustCompile("drain (?:`[^`]*= )?([\\d,.]+)/s")},
	{"backlog growth", regexp.MustCompile(`grows by ([\d,.]+) messages/s`), regexp.MustCompile("backlog grows `[^`]*[=≈] ([\\d,.]+)/s`")},
	{"backlog per hour", regexp.MustCompile(`messages/s, ([\d,.]+) an hour`), regexp.MustCompile("([\\d,.]+)` messages per hour")},
	{"average", regexp.MustCompile(`average ([\d,.]+)(?: messages)?/s`), regexp.MustCompile(`(?:average load \(|− )([\d,.]+)(?:/s\)|\))`)},
	{"drain time", regexp.MustCompile(`takes ([\d,.]+ (?:s|min|h)) to drain`), regexp.MustCompile(`\(about ([\d,.]+ (?:s|min|h))\)`)},
}

// figure parses a printed figure to a value and the half of its last
// digit: "1,234.5" is 1234.5 ± 0.05, "51 min" 3060 s ± 30 s, "12%" 12 ± 0.5.
func figure(s string) (v, half float64, ok bool) {
	scale := 1.0
	switch {
	case strings.HasSuffix(s, " min"):
		s, scale = strings.TrimSuffix(s, " min"), 60
	case strings.HasSuffix(s, " h"):
		s, scale = strings.TrimSuffix(s, " h"), 3600
	case strings.HasSuffix(s, " s"):
		s = strings.TrimSuffix(s, " s")
	}
	s = strings.TrimSuffix(strings.TrimSuffix(strings.ReplaceAll(s, ",", ""), "%"), ".")
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, 0, false
	}
	half = 0.5
	if i := strings.IndexByte(s, '.'); i >= 0 {
		half = 0.5 * math.Pow(10, -float64(len(s)-i-1))
	}
	return v * scale, half * scale, true
}

// checkNumbers fails when a figure lint prints about a component differs,
// beyond the rounding of either, from the same figure in the component's
// load line in section 2.
func checkNumbers(t *testing.T, r *report, label string, m *model.Model, fs []model.Finding, md string) {
	t.Helper()
	if !strings.Contains(md, "## "+secNumbers) {
		return
	}
	lines := strings.Split(section(t, md, secNumbers), "\n")
	for _, f := range fs {
		c := m.Component(f.Component)
		if c == nil {
			continue
		}
		var line string
		for _, l := range lines {
			if strings.HasPrefix(l, "- "+named(c)+":") {
				line = l
			}
		}
		if line == "" {
			continue
		}
		for _, q := range quantities {
			lg := q.lint.FindStringSubmatch(f.Message)
			if lg == nil {
				continue
			}
			lv, lh, ok := figure(lg[1])
			if !ok {
				continue
			}
			ns := q.notes.FindAllStringSubmatch(line, -1)
			if len(ns) == 0 {
				continue
			}
			r.compared++
			agree := false
			for _, n := range ns {
				if nv, nh, ok := figure(n[1]); ok && math.Abs(nv-lv) <= lh+nh+1e-9 {
					agree = true
				}
			}
			if !agree {
				r.errorf("%s: %s of %s: lint says %s (%s), the notes %q:\n%s", label, q.name, c.ID, lg[1], f.Rule, ns[0][1], line)
			}
		}
	}
}
