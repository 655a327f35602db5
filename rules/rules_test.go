package rules_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/rules"
	"github.com/archdiag/archdiag/rules/rulestest"
)

const fixtures = "../testdata/rules"

func TestFixtures(t *testing.T) {
	rulestest.Run(t, fixtures, nil)
}

var ruleID = regexp.MustCompile(`^[a-z]+/[a-z0-9]+(-[a-z0-9]+)*$`)

// TestRegistry keeps every rule well formed and the registry sorted.
func TestRegistry(t *testing.T) {
	all := rules.All()
	if len(all) == 0 {
		t.Fatal("no rules")
	}
	for i, r := range all {
		if !ruleID.MatchString(r.ID) {
			t.Errorf("rule %q: id is not category/kebab-case", r.ID)
		}
		if i > 0 && all[i-1].ID >= r.ID {
			t.Errorf("rule %q listed after %q: keep All sorted by id, without repeats", r.ID, all[i-1].ID)
		}
		if rules.Lookup(r.ID) != r {
			t.Errorf("Lookup(%q) does not return the rule", r.ID)
		}
		switch {
		case r.Title == "" || strings.ContainsAny(r.Title, "\n") || len(r.Title) > 80:
			t.Errorf("rule %q: title must be one line of at most 80 characters", r.ID)
		case strings.ToLower(r.Title[:1]) != r.Title[:1] || strings.HasSuffix(r.Title, "."):
			t.Errorf("rule %q: title %q must start in lower case and have no final period", r.ID, r.Title)
		}
		if !strings.Contains(r.Doc, "\n\nTrigger") || !strings.Contains(r.Doc, "\n\nExample:\n\n    ") {
			t.Errorf("rule %q: doc must give the rationale, then a Trigger paragraph and an indented Example", r.ID)
		}
		if r.Fix == "" || strings.Contains(r.Fix, "\n") || !strings.HasSuffix(r.Fix, ".") || strings.ToUpper(r.Fix[:1]) != r.Fix[:1] {
			t.Errorf("rule %q: fix %q must be one capitalised sentence ending with a period", r.ID, r.Fix)
		}
		if r.Severity < model.SeverityInfo || r.Severity > model.SeverityError {
			t.Errorf("rule %q: severity %v", r.ID, r.Severity)
		}
		if r.Run == nil {
			t.Errorf("rule %q: no Run", r.ID)
		}
	}
	if rules.Lookup("spof/none") != nil {
		t.Error("Lookup of an unknown id returned a rule")
	}
}

// TestEveryRuleHasFixtures checks that every rule has a fixture where it
// fires and a near miss, <category>/<name>_silent.yaml, where it does not.
func TestEveryRuleHasFixtures(t *testing.T) {
	files, err := rulestest.Fixtures(fixtures)
	if err != nil {
		t.Fatal(err)
	}
	wanted := map[string]bool{} // rule id → some fixture expects it
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		wants, _ := rulestest.Expectations(f, src)
		for _, ws := range wants {
			for _, w := range ws {
				for _, r := range rules.All() {
					if strings.Contains(w.Raw, r.ID) {
						wanted[r.ID] = true
					}
				}
			}
		}
	}
	for _, r := range rules.All() {
		if !wanted[r.ID] {
			t.Errorf("rule %s: no fixture under %s expects it (# want %q)", r.ID, fixtures, r.ID)
		}
		silent := filepath.Join(fixtures, r.ID+"_silent.yaml")
		src, err := os.ReadFile(silent)
		if err != nil {
			t.Errorf("rule %s: %v: add a near miss where the rule stays silent", r.ID, err)
			continue
		}
		wants, _ := rulestest.Expectations(silent, src)
		for line, ws := range wants {
			for _, w := range ws {
				if strings.Contains(w.Raw, r.ID) {
					t.Errorf("%s:%d: the near miss of %s expects it", silent, line, r.ID)
				}
			}
		}
	}
}

// lint loads a file and runs every rule.
func lint(t testing.TB, path string) []model.Finding {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Name the file as from the repository's root, as users type it.
	m, err := model.Load(strings.TrimPrefix(filepath.ToSlash(path), "../"), src)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := rules.Run(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// TestExamples pins the findings of the shipped examples.
func TestExamples(t *testing.T) {
	files, err := filepath.Glob("../examples/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".yaml")
		t.Run(name, func(t *testing.T) {
			r := &rules.Report{Findings: lint(t, path)}
			var b bytes.Buffer
			if err := rules.WriteText(&b, r, false); err != nil {
				t.Fatal(err)
			}
			golden(t, "examples/"+name+".txt", b.Bytes())
			switch name {
			case "three-tier":
				for _, id := range []string{"lb/single-instance", "spof/single-instance", "db/no-failover"} {
					if !hasRule(r.Findings, id) {
						t.Errorf("three-tier: no %s finding; its single web, app and database are single points of failure", id)
					}
				}
			case "n-tier", "ticket-surge":
				if r.Fails(model.SeverityError) {
					t.Errorf("%s has error findings:\n%s", name, b.String())
				}
			}
		})
	}
}

func hasRule(fs []model.Finding, id string) bool {
	for _, f := range fs {
		if f.Rule == id {
			return true
		}
	}
	return false
}

func TestRunIsDeterministic(t *testing.T) {
	path := filepath.Join(fixtures, "worked-signup.yaml")
	first := lint(t, path)
	for range 5 {
		again := lint(t, path)
		if len(again) != len(first) {
			t.Fatalf("run gave %d findings, then %d", len(first), len(again))
		}
		for i := range first {
			if first[i].String() != again[i].String() || len(first[i].Related) != len(again[i].Related) {
				t.Fatalf("finding %d differs between runs:\n%s\n%s", i, first[i], again[i])
			}
		}
	}
}

func TestUnknownSuppression(t *testing.T) {
	src := `archdiag: 1
name: x
components:
  users:
    kind: client
    calls: [web]
  web:
    kind: webserver
    ignore:
      lb/single-instanc: dev only
      nothing/like-it: dev only
`
	m, err := model.Load("x.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	_, err = rules.Run(m, nil)
	want := `x.yaml:10:7: component "web": ignore names unknown rule "lb/single-instanc" (did you mean "lb/single-instance"?)
x.yaml:11:7: component "web": ignore names unknown rule "nothing/like-it"; "archdiag rules" lists the rule ids`
	if _, ok := err.(model.ErrorList); !ok || err.Error() != want {
		t.Errorf("got error %T:\n%v\nwant:\n%s", err, err, want)
	}
}

// TestLoadReportsEveryIgnoreProblem: an ignore entry without a reason, or
// any other load error, does not hide the entries that name no rule.
func TestLoadReportsEveryIgnoreProblem(t *testing.T) {
	src := `archdiag: 1
name: ign
components:
  users: {kind: client, calls: [db]}
  db:
    kind: database
    ignore:
      spof/single-instance: ""
      nope/rule: "x"
      db/no-failovr:
  other:
    kind: database
    instance: 2
`
	_, err := rules.Load("ign.yaml", []byte(src))
	want := `ign.yaml:8:7: component "db": ignore: spof/single-instance needs a reason: say why the finding does not apply here
ign.yaml:9:7: component "db": ignore names unknown rule "nope/rule"; "archdiag rules" lists the rule ids
ign.yaml:10:7: component "db": ignore names unknown rule "db/no-failovr" (did you mean "db/no-failover"?)
ign.yaml:10:7: component "db": ignore: db/no-failovr needs a reason: say why the finding does not apply here
ign.yaml:13:5: component "other": unknown field "instance" (did you mean "instances"?)`
	if _, ok := err.(model.ErrorList); !ok || err.Error() != want {
		t.Errorf("got error %T:\n%v\nwant:\n%s", err, err, want)
	}

	// A file that loads: the unknown ids are the only problems.
	path := filepath.Join(t.TempDir(), "ok.yaml")
	ok := "archdiag: 1\nname: ok\ncomponents:\n  users: {kind: client, calls: [db]}\n  db:\n    kind: database\n    ignore: {db/no-failover: dev only, spof/single-instanc: dev only}\n"
	if err := os.WriteFile(path, []byte(ok), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := rules.LoadFile(path)
	want = path + `:7:40: component "db": ignore names unknown rule "spof/single-instanc" (did you mean "spof/single-instance"?)`
	if _, ok := err.(model.ErrorList); m != nil || !ok || err.Error() != want {
		t.Errorf("LoadFile = %v, %v; want the error:\n%s", m, err, want)
	}
	if _, err := rules.LoadFile(filepath.Join(t.TempDir(), "missing.yaml")); err == nil || !os.IsNotExist(err) {
		t.Errorf("LoadFile of a missing file: %v", err)
	}
	m, err = rules.Load("ok.yaml", []byte(strings.Replace(ok, ", spof/single-instanc: dev only", "", 1)))
	if err != nil || m == nil {
		t.Fatalf("Load of a valid model: %v", err)
	}

	// A model built in code can hold an entry without a reason.
	m.Component("db").Ignore = append(m.Component("db").Ignore, &model.Suppression{Rule: model.String{Val: "lb/single-instance"}})
	if err := rules.CheckIgnores(m); err == nil || !strings.Contains(err.Error(), `component "db": ignore: lb/single-instance needs a reason`) {
		t.Errorf("CheckIgnores of an entry without a reason: %v", err)
	}
}

func TestConfigSelectsRules(t *testing.T) {
	path := "../examples/three-tier.yaml"
	cfg, err := rules.LoadConfig(".archdiag.yaml", []byte("disable: [spof/single-instance, capacity/missing-numbers, ratelimit/missing-at-edge]\nseverity:\n  db/no-failover: warning\n"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := rules.Run(m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		got = append(got, f.Rule+" "+f.Severity.String())
	}
	want := "lb/single-instance error, db/no-failover warning"
	if strings.Join(got, ", ") != want {
		t.Errorf("got %s, want %s", strings.Join(got, ", "), want)
	}
	// Flags come after the file: enabling again wins.
	if err := cfg.Enable("spof/single-instance"); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Disable("lb/single-instanc"); err == nil || err.Error() != `unknown rule "lb/single-instanc" (did you mean "lb/single-instance"?)` {
		t.Errorf("Disable of a typo: %v", err)
	}
	if err := cfg.SetSeverity("db/no-failover", model.SeverityNone); err == nil {
		t.Error("SetSeverity accepted none")
	}
	fs, _ = rules.Run(m, cfg)
	if !hasRule(fs, "spof/single-instance") {
		t.Error("Enable did not bring the rule back")
	}
}

// TestUnstatedCountsOfDisabledRules: in a model that states no counts, the
// info names only what the enabled rules would report.
func TestUnstatedCountsOfDisabledRules(t *testing.T) {
	m, err := model.LoadFile(filepath.Join(fixtures, "spof", "single-instance_unstated.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := rules.NewConfig()
	for _, id := range []string{"lb/single-instance", "cron/single-runner"} {
		if err := cfg.Disable(id); err != nil {
			t.Fatal(err)
		}
	}
	fs, err := rules.Run(m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		if f.Rule == "spof/single-instance" && f.Severity == model.SeverityInfo {
			got = append(got, f.Message)
		}
	}
	want := "whether 'app', 'seats', 'db' and 'jobs' are single points of failure is left open"
	if len(got) != 1 || !strings.Contains(got[0], want) {
		t.Errorf("infos %q, want one that says %q", got, want)
	}
}

// TestUnusedSuppressionOfDisabledRule: a suppression of a rule that does
// not run cannot be judged, so it is not reported.
func TestUnusedSuppressionOfDisabledRule(t *testing.T) {
	m, err := model.LoadFile(filepath.Join(fixtures, "model", "unused-suppression.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := rules.NewConfig()
	for _, id := range []string{"lb/single-instance", "spof/single-instance"} {
		if err := cfg.Disable(id); err != nil {
			t.Fatal(err)
		}
	}
	fs, err := rules.Run(m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if hasRule(fs, "model/unused-suppression") {
		t.Errorf("suppressions of disabled rules reported: %v", fs)
	}
}

func TestLoadConfigErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"typo in a rule", "disable:\n  - spof/single-instanc\n", `.archdiag.yaml:2:5: unknown rule "spof/single-instanc" (did you mean "spof/single-instance"?)`},
		{"unknown key", "enable: []\ndisabel: [queue/no-dlq]\n", `.archdiag.yaml:2:1: unknown key "disabel" (did you mean "disable"?)`},
		{"far from any key", "rules: {}\n", `.archdiag.yaml:1:1: unknown key "rules" (want one of: disable, enable, severity, reference_capacity)`},
		{"enable and disable", "enable: [queue/no-dlq]\ndisable: [queue/no-dlq]\n", `.archdiag.yaml:2:11: rule "queue/no-dlq" is already listed at line 1`},
		{"bad severity", "severity:\n  queue/no-dlq: fatal\n", `.archdiag.yaml:2:17: severity of queue/no-dlq: got "fatal", want error, warning or info`},
		{"none is not a severity", "severity: { queue/no-dlq: none }\n", `.archdiag.yaml:1:27: severity of queue/no-dlq: got "none", want error, warning or info`},
		{"not a list", "disable: queue/no-dlq\n", `.archdiag.yaml:1:10: disable: want a list of rule ids, e.g. [queue/no-dlq]`},
		{"not a mapping", "- queue/no-dlq\n", `.archdiag.yaml:1:1: the configuration must be a mapping with keys disable, enable, severity, reference_capacity`},
		{"duplicate key", "disable: []\ndisable: []\n", `.archdiag.yaml:2:1: duplicate key "disable" (first at line 1)`},
		{"syntax", "disable: [\n", `.archdiag.yaml:1:1: YAML syntax error: did not find expected node content`},
		{"second document", "disable: []\n---\nenable: []\n", `.archdiag.yaml:2:1: a second YAML document; the configuration holds one document, so remove the "---" and what follows or move it to its own file`},
		{"several problems", "disable: [nope/a]\nseverity: { nope/b: error }\n", ".archdiag.yaml:1:11: unknown rule \"nope/a\"; \"archdiag rules\" lists the rule ids\n.archdiag.yaml:2:13: unknown rule \"nope/b\"; \"archdiag rules\" lists the rule ids"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := rules.LoadConfig(".archdiag.yaml", []byte(tt.src))
			if _, ok := err.(model.ErrorList); !ok || err.Error() != tt.want {
				t.Errorf("got %T:\n%v\nwant:\n%s", err, err, tt.want)
			}
		})
	}
	for _, src := range []string{"", "# nothing\n", "enable: []\ndisable: []\nseverity: {}\n"} {
		if cfg, err := rules.LoadConfig("c.yaml", []byte(src)); err != nil || cfg == nil || !cfg.Enabled("queue/no-dlq") {
			t.Errorf("LoadConfig(%q) = %v, %v; want the defaults", src, cfg, err)
		}
	}
}

func TestFindConfig(t *testing.T) {
	root := t.TempDir()
	repo := filepath.Join(root, "repo")
	deep := filepath.Join(repo, "arch", "shop")
	for _, d := range []string{filepath.Join(repo, ".git"), deep} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// Outside the work tree: never read.
	if err := os.WriteFile(filepath.Join(root, rules.ConfigFile), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if p, ok := rules.FindConfig(deep); ok {
		t.Errorf("found %s outside the Git work tree", p)
	}
	if err := os.WriteFile(filepath.Join(repo, rules.ConfigFile), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if p, ok := rules.FindConfig(deep); !ok || p != filepath.Join(deep, "..", "..", rules.ConfigFile) {
		t.Errorf("FindConfig = %q, %v", p, ok)
	}
	t.Chdir(deep)
	if p, ok := rules.FindConfig("."); !ok || p != filepath.Join("..", "..", rules.ConfigFile) {
		t.Errorf("FindConfig(.) = %q, %v; want a relative path", p, ok)
	}
}

func TestReportHelpers(t *testing.T) {
	r := &rules.Report{Findings: []model.Finding{
		{Severity: model.SeverityWarning},
		{Severity: model.SeverityError, Suppressed: true},
		{Severity: model.SeverityInfo},
	}}
	if c := r.Counts(); c != (rules.Counts{Warning: 1, Info: 1, Suppressed: 1}) || c.Total() != 2 {
		t.Errorf("Counts = %+v", c)
	}
	for sev, want := range map[model.Severity]bool{
		model.SeverityError: false, model.SeverityWarning: true, model.SeverityInfo: true, model.SeverityNone: false,
	} {
		if got := r.Fails(sev); got != want {
			t.Errorf("Fails(%s) = %v, want %v", sev, got, want)
		}
	}
}

// reports returns the reports the format goldens are made of.
func reports(t *testing.T) map[string]*rules.Report {
	t.Helper()
	_, err := model.Load("broken.yaml", []byte("archdiag: 1\nname: broken\ncomponents:\n  web:\n    kind: webserver\n    instance: 2\n"))
	errs, ok := err.(model.ErrorList)
	if !ok {
		t.Fatalf("the broken model loads: %v", err)
	}
	return map[string]*rules.Report{
		"signup":     {Findings: lint(t, filepath.Join(fixtures, "worked-signup.yaml"))},
		"suppressed": {Findings: lint(t, filepath.Join(fixtures, "model", "unused-suppression.yaml"))},
		"errors":     {Errors: errs},
	}
}

func TestWriteFormats(t *testing.T) {
	for name, r := range reports(t) {
		for _, format := range rules.Formats {
			var b bytes.Buffer
			if err := rules.Write(&b, r, format, rules.WriteOptions{Version: "0.0.0-test"}); err != nil {
				t.Fatal(err)
			}
			golden(t, "report/"+name+"."+format, b.Bytes())
		}
	}
	var b bytes.Buffer
	if err := rules.WriteText(&b, reports(t)["signup"], true); err != nil {
		t.Fatal(err)
	}
	golden(t, "report/signup.color.text", b.Bytes())
	if err := rules.Write(&b, &rules.Report{}, "xml", rules.WriteOptions{}); err == nil || !strings.Contains(err.Error(), "want one of: text, json, sarif, github") {
		t.Errorf("unknown format: %v", err)
	}
}

func TestWriteGitHubEscapes(t *testing.T) {
	r := &rules.Report{Findings: []model.Finding{{
		Pos: model.Pos{File: "a,b:c.yaml", Line: 3, Col: 5}, Rule: "x/y", Severity: model.SeverityInfo,
		Message: "100% sure\r\nsecond line", Fix: "Do it.",
	}}}
	var b bytes.Buffer
	if err := rules.WriteGitHub(&b, r); err != nil {
		t.Fatal(err)
	}
	want := "::notice file=a%2Cb%3Ac.yaml,line=3,col=5,title=x/y::100%25 sure^M%0Asecond line%0AFix: Do it.\n"
	if b.String() != want {
		t.Errorf("got  %q\nwant %q", b.String(), want)
	}
}

func TestRuleListings(t *testing.T) {
	for _, format := range rules.RuleFormats {
		var b bytes.Buffer
		if err := rules.WriteRules(&b, format); err != nil {
			t.Fatal(err)
		}
		golden(t, "rules."+map[string]string{"text": "txt", "markdown": "md", "json": "json"}[format], b.Bytes())
	}
	var b bytes.Buffer
	if err := rules.Explain(&b, "spof/single-instance"); err != nil {
		t.Fatal(err)
	}
	golden(t, "explain-spof-single-instance.txt", b.Bytes())
	if err := rules.Explain(&b, "spof/single-instnace"); err == nil || err.Error() != `unknown rule "spof/single-instnace" (did you mean "spof/single-instance"?)` {
		t.Errorf("Explain of a typo: %v", err)
	}
	if err := rules.Explain(&b, "nothing/like-it"); err == nil || err.Error() != `unknown rule "nothing/like-it"; "archdiag rules" lists the rule ids` {
		t.Errorf("Explain of a typo: %v", err)
	}
	if err := rules.WriteRules(&b, "html"); err == nil {
		t.Error("WriteRules accepted html")
	}
}
