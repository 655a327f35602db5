package notes

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/archdiag/archdiag/model"
)

// edited loads an example after replacing old with new in its YAML; the
// replacement must apply, so a changed example fails loudly here.
func edited(t *testing.T, name string, pairs ...string) *model.Model {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(examplesDir, name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			t.Fatalf("%s.yaml no longer contains %q", name, pairs[i])
		}
		s = strings.ReplaceAll(s, pairs[i], pairs[i+1])
	}
	m, err := model.Load(name+".yaml", []byte(s))
	if err != nil {
		t.Fatalf("load edited %s: %v", name, err)
	}
	return m
}

func notes(t *testing.T, m *model.Model, opts Options) string {
	t.Helper()
	md, err := Markdown(m, opts)
	if err != nil {
		t.Fatal(err)
	}
	return string(md)
}

// section returns the text under the heading title, up to the next heading
// of the same or a higher level.
func section(t *testing.T, md, title string) string {
	t.Helper()
	lines := strings.Split(md, "\n")
	for i, l := range lines {
		hashes := len(l) - len(strings.TrimLeft(l, "#"))
		if hashes == 0 || strings.TrimSpace(l[hashes:]) != title {
			continue
		}
		var out []string
		for _, k := range lines[i+1:] {
			if h := len(k) - len(strings.TrimLeft(k, "#")); h > 0 && h <= hashes && strings.HasPrefix(k[h:], " ") {
				break
			}
			out = append(out, k)
		}
		return strings.Join(out, "\n")
	}
	t.Fatalf("no heading %q in:\n%s", title, md)
	return ""
}

// changes checks that a sentence stated in a section of the original
// notes gives way to another once the model is edited.
func changes(t *testing.T, title, before, after string, orig, edit *model.Model, opts Options) {
	t.Helper()
	a := section(t, notes(t, orig, opts), title)
	b := section(t, notes(t, edit, opts), title)
	if !strings.Contains(a, before) {
		t.Errorf("section %q of the original lacks %q:\n%s", title, before, a)
	}
	if strings.Contains(b, before) {
		t.Errorf("section %q still says %q after the edit", title, before)
	}
	if !strings.Contains(b, after) {
		t.Errorf("section %q of the edited model lacks %q:\n%s", title, after, b)
	}
}

var interview = Options{Style: Interview}

// linted is the interview notes with m's lint findings.
func linted(t testing.TB, m *model.Model) Options {
	return Options{Style: Interview, Findings: exampleFindings(t, m)}
}

func TestSystemFromModel(t *testing.T) {
	orig := loadExample(t, "three-tier")
	changes(t, secSystem, "A classic 3-tier web application", "A tiny shop.", orig,
		edited(t, "three-tier", "A classic 3-tier web application: a webserver proxies requests to one app\n  server, which reads and writes one database.", "A tiny shop."), interview)
	changes(t, secSystem, "It has 4 components in 4 tiers, front to back: a client, a webserver, an app server and a database.",
		"It has 5 components in 5 tiers, front to back: a client, a webserver, an app server, a cache and a database.", orig,
		edited(t, "three-tier", "  db:\n", "  spare-cache:\n    kind: cache\n\n  db:\n"), interview)
}

func TestNumbersFromModel(t *testing.T) {
	orig := loadExample(t, "signup-email")
	more := edited(t, "signup-email", "baseline_rps: 20", "baseline_rps: 40")
	changes(t, secNumbers, "`peak = 20 rps × 3 = 60 rps`", "`peak = 40 rps × 3 = 120 rps`", orig, more, interview)
	changes(t, secNumbers, "`utilisation = 60 ÷ 150 = 40%`", "`utilisation = 120 ÷ 150 = 80%`", orig, more, interview)
	changes(t, secNumbers, "`needed = ⌈60 ÷ (150 × 0.7)⌉ = 1` instance against 1 running.",
		"`needed = ⌈120 ÷ (150 × 0.7)⌉ = 2` instances against 1 running: above the target at peak.", orig, more, interview)
	changes(t, secNumbers, "`reads = 60 × 4/5 = 48 rps`", "`reads = 60 × 9/10 = 54 rps`", orig,
		edited(t, "signup-email", `read_write_ratio: "4:1"`, `read_write_ratio: "9:1"`), interview)
	// Without capacity, the notes say what is missing and why.
	changes(t, secNumbers, "`utilisation = 60 ÷ 150", "`app.capacity.rps_per_instance`: without it there is no utilisation or instance count for `app`", orig,
		edited(t, "signup-email", "    capacity: { rps_per_instance: 150 }\n", ""), interview)
	// A slower cron makes the queue fall behind, with the backlog computed.
	changes(t, secNumbers, "the consumers keep up even at peak", "the backlog grows `12 − 1.7 = 10.3/s`", orig,
		edited(t, "signup-email", "batch_size: 1000", "batch_size: 100"), interview)
}

func TestDesignFromModel(t *testing.T) {
	orig := loadExample(t, "signup-email")
	changes(t, secDesign, "**nginx** (`web`), webserver, 1 instance, no failover", "**Caddy** (`web`), webserver, 2 instances:", orig,
		edited(t, "signup-email", "label: nginx", "label: Caddy\n    instances: 2"), interview)
}

func TestFlowsFromModel(t *testing.T) {
	orig := loadExample(t, "signup-email")
	changes(t, "Flow: signup", "records `status = pending_email_outbound` on the user",
		"records `status = pending_activation_email` on the user", orig,
		edited(t, "signup-email", "pending_email_outbound", "pending_activation_email"), interview)
}

// A flow that sends email while the user waits is called out; moving the
// call to a cron job behind a queue changes the explanation.
func TestSlowCallOnRequestPath(t *testing.T) {
	const base = `archdiag: 1
name: mailer
components:
  users: { kind: client, calls: [app] }
  app: { kind: app, calls: [%s] }
  q: { kind: queue }
  cron: { kind: cron, schedule: "*/5 * * * *", calls: [q, mail] }
  mail: { kind: external, provider: email }
flows:
  signup:
    steps:
      - { from: users, to: app }
%s`
	load := func(calls, steps string) *model.Model {
		m, err := model.Load("mailer.yaml", []byte(fmt.Sprintf(base, calls, steps)))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	sync := load("mail, q", "      - { from: app, to: mail }\n")
	async := load("q", "      - { from: app, to: q }\n      - { from: cron, to: q }\n      - { from: cron, to: mail }\n")
	changes(t, "Flow: signup", "The user waits for step 2 (app → mail), a slow provider called synchronously",
		"The user waits only for steps 1–2; step 2 hands the work to q, and steps 3–4 run later in cron. They are asynchronous because the slow part, calling mail (step 4), can take seconds and fail",
		sync, async, interview)
}

func TestDeepDivesFromModel(t *testing.T) {
	orig := loadExample(t, "n-tier")
	changes(t, diveSharding, "`8/9 = 88.9%`", "`10/11 = 90.9%`", orig,
		edited(t, "n-tier", "count: 8", "count: 10"), interview)
	changes(t, diveSharding, "`1/9 = 11.1%`", "`1/11 = 9.1%`", orig,
		edited(t, "n-tier", "count: 8", "count: 10"), interview)
	changes(t, diveCaching, "Product cache is cache-aside", "Product cache is read-through", orig,
		edited(t, "n-tier", "pattern: cache-aside", "pattern: read-through"), interview)
	changes(t, diveData, "Replication to Catalog replica 1 and Catalog replica 2 is async", "Catalog replica 2 replicates semi-synchronously", orig,
		edited(t, "n-tier", "    replica_of: catalog-db\n    capacity: { read_qps: 8000 }\n\n  orders-db", "    replica_of: catalog-db\n    replication: semi_sync\n    capacity: { read_qps: 8000 }\n\n  orders-db"), interview)

	surge := loadExample(t, "ticket-surge")
	changes(t, diveSurge, "`120 instances × 500 rps × 0.7 = 42,000 rps`", "`100 instances × 500 rps × 0.7 = 35,000 rps`", surge,
		edited(t, "ticket-surge", "max: 120", "max: 100"), interview)
	changes(t, diveCaching, "which is why the cache is pre-warmed", "pre-warm the cache before known surges", surge,
		edited(t, "ticket-surge", "    prewarm: true\n", ""), interview)
}

func TestRisksFromFindings(t *testing.T) {
	m := loadExample(t, "three-tier")
	none := section(t, notes(t, m, Options{Style: Interview}), secRisks)
	if !strings.Contains(none, "Lint was not run") {
		t.Errorf("nil findings should say lint was not run:\n%s", none)
	}
	clean := section(t, notes(t, m, Options{Style: Interview, Findings: []model.Finding{}}), secRisks)
	if !strings.Contains(clean, "Lint found no errors or warnings.") {
		t.Errorf("empty findings should say lint found nothing:\n%s", clean)
	}
	fs := []model.Finding{
		{Rule: "capacity/missing-numbers", Severity: model.SeverityInfo, Message: "db has no capacity"},
		{Rule: "lb/no-health-check", Severity: model.SeverityWarning, Component: "web", Message: "no health check"},
		{Rule: "db/no-failover", Severity: model.SeverityError, Component: "db", Message: "no failover"},
		{Rule: "spof/single-instance", Severity: model.SeverityError, Component: "app", Message: "one app", Suppressed: true, Justification: "a demo"},
	}
	got := section(t, notes(t, m, Options{Style: Interview, Findings: fs}), secRisks)
	for _, want := range []string{
		"**PostgreSQL**, `db/no-failover` (error): No failover. We gain a standby that takes over",
		"acceptable because PostgreSQL holds data every write path needs.",
		"**nginx**, `lb/no-health-check` (warning)",
		"Risks accepted on purpose",
		"**App server**, `spof/single-instance` (error): One app. Accepted: A demo.",
		"Things to mention if asked:\n\n- `capacity/missing-numbers` (info): Db has no capacity.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("risks lack %q:\n%s", want, got)
		}
	}
	if strings.Index(got, "db/no-failover") > strings.Index(got, "lb/no-health-check") {
		t.Error("errors must come before warnings")
	}
	wrap := section(t, notes(t, m, Options{Style: Interview, Findings: fs}), secWrapUp)
	if !strings.Contains(wrap, "fix the 1 error from section 6 first (`db/no-failover` on PostgreSQL)") {
		t.Errorf("wrap-up should count the unsuppressed errors:\n%s", wrap)
	}
}

func TestScalingPathFromModel(t *testing.T) {
	orig := loadExample(t, "signup-email")
	two := edited(t, "signup-email", "    capacity: { rps_per_instance: 150 }", "    instances: 2\n    capacity: { rps_per_instance: 150 }")
	changes(t, secScaling, "**Next**, load balancer and stateless app servers: App server is stateless already but runs 1 instance.",
		"**Taken**, load balancer and stateless app servers: nginx spreads requests over App server (2 instances), stateless.", orig, two, interview)
	changes(t, secScaling, "Next step, load balancer and stateless app servers.", "Next step, caching.", orig, two, interview)
	changes(t, secScaling, "at `60 rps × (0.7 ÷ 0.4) = 105 rps` of peak traffic", "at `60 rps × (0.7 ÷ 0.2) = 210 rps` of peak traffic", orig,
		edited(t, "signup-email", "rps_per_instance: 150", "rps_per_instance: 300"), interview)
}

func TestWrapUpFromModel(t *testing.T) {
	orig := loadExample(t, "signup-email")
	changes(t, secWrapUp, "it already alerts #signup-alerts when `depth > 0`", "no alert is declared yet", orig,
		edited(t, "signup-email", "    alerts:\n      - { when: depth > 0, notify: \"#signup-alerts\" }\n", ""), interview)
	changes(t, secWrapUp, "a job can wait up to 1 minute before it starts", "a job can wait up to 5 minutes before it starts", orig,
		edited(t, "signup-email", `schedule: "* * * * *"`, `schedule: "*/5 * * * *"`), interview)
}

func TestStudyFromModel(t *testing.T) {
	orig := loadExample(t, "n-tier")
	study := Options{Style: Study}
	changes(t, "Consistent hashing versus hash mod n", "adding one moves `8/9 = 88.9%`", "adding one moves `4/5 = 80%`", orig,
		edited(t, "n-tier", "count: 8", "count: 4"), study)
	changes(t, "Consistent hashing versus hash mod n", "varies by about 5.8%", "varies by about 9.3%", orig,
		edited(t, "n-tier", "vnodes: 256", "vnodes: 100"), study)
	changes(t, "Point-to-point versus pub/sub", "order events is pub/sub", "order events is point-to-point", orig,
		edited(t, "n-tier", "mode: pubsub", "mode: point_to_point", "op: subscribe", "op: consume"), study)
	withSVG := notes(t, orig, Options{Style: Study, SVGPath: "docs/n tier.svg"})
	if !strings.Contains(withSVG, "[n-tier diagram (SVG)](<docs/n tier.svg>)") {
		t.Error("the study notes should link the SVG, bracketing a path with spaces")
	}
	if strings.Contains(notes(t, orig, study), "(SVG)") {
		t.Error("no SVG link without SVGPath")
	}
}
