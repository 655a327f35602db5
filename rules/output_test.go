package rules_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/visible"
	"github.com/archdiag/archdiag/rules"
)

// hostileNames are file names that try to become GitHub workflow commands
// or terminal escape sequences wherever a report names them.
var hostileNames = []string{
	"x\n::error file=README.md::INJECTED\n.yaml",
	"::error file=README.md::INJECTED.yaml",
	"  ::warning::spaced.yaml",
	"esc\x1b[2J\x1b]52;c;SGVsbG8=\a\u009b31m.yaml",
	"admin\u202eylm.yaml",
}

// hostileReport holds findings and load errors whose file names and text
// hold control, bidirectional and zero-width characters.
func hostileReport() *rules.Report {
	r := &rules.Report{}
	for i, name := range hostileNames {
		r.Findings = append(r.Findings, model.Finding{
			Pos: model.Pos{File: name, Line: i + 1, Col: 3}, Rule: "spof/single-instance", Severity: model.SeverityError,
			Component: "app", Message: "'app' \x1b[31mlabel\u200b\u2066 hidden\u2069\n::error::next",
			Fix: "fix \x07 it", Justification: "because\u202e", Suppressed: i == 4,
			Related: []model.Related{{Pos: model.Pos{File: name, Line: 1, Col: 1}, Message: "users -> app\x1b[0m"}},
		})
		r.Errors = append(r.Errors, &model.Error{Pos: model.Pos{File: name, Line: 2}, Msg: "bad \x1b[2J value\n::error::x"})
	}
	return r
}

func write(t *testing.T, r *rules.Report, format string) string {
	t.Helper()
	var b bytes.Buffer
	if err := rules.Write(&b, r, format, rules.WriteOptions{Version: "0.0.0-test"}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// checkNoHidden fails on any control character but line feed, and on any
// bidirectional or zero-width character, in out.
func checkNoHidden(t *testing.T, what, out string) {
	t.Helper()
	for i, r := range out {
		if r != '\n' && visible.Hidden(r) || r == unicode.ReplacementChar {
			t.Errorf("%s: %U at byte %d: %q", what, r, i, out[max(0, i-40):min(len(out), i+40)])
			return
		}
	}
}

// checkNoWorkflowCommand fails on a line that GitHub Actions would run as
// a workflow command: one starting, after spaces, with :: or ##[.
func checkNoWorkflowCommand(t *testing.T, what, out string) {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if l := strings.TrimLeftFunc(line, unicode.IsSpace); strings.HasPrefix(l, "::") || strings.HasPrefix(l, "##[") {
			t.Errorf("%s: a line is a workflow command: %q", what, line)
		}
	}
}

func TestTextShowsHostileNames(t *testing.T) {
	out := write(t, hostileReport(), "text")
	checkNoHidden(t, "text", out)
	checkNoWorkflowCommand(t, "text", out)
	for _, want := range []string{
		"x^J::error file=README.md::INJECTED^J.yaml:1:3: error:",
		"./::error file=README.md::INJECTED.yaml:2:3: error:",
		"esc^[[2J^[]52;c;SGVsbG8=^G<U+009B>31m.yaml:4:3",
		"'app' ^[[31mlabel<U+200B><U+2066> hidden<U+2069>^J::error::next",
		"fix: fix ^G it",
		"bad ^[[2J value^J::error::x",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	// Colour is ours; the model's escape sequences are not.
	var b bytes.Buffer
	if err := rules.WriteText(&b, hostileReport(), true); err != nil {
		t.Fatal(err)
	}
	if plain := strings.NewReplacer("\x1b[0m", "", "\x1b[1m", "", "\x1b[2m", "", "\x1b[1;31m", "", "\x1b[33m", "", "\x1b[36m", "").Replace(b.String()); strings.Contains(plain, "\x1b") {
		t.Errorf("coloured text output passes an escape sequence through:\n%q", plain)
	}
}

func TestGitHubShowsHostileNames(t *testing.T) {
	r := hostileReport()
	out := write(t, r, "github")
	checkNoHidden(t, "github", out)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if want := len(r.Findings) - 1 + len(r.Errors); len(lines) != want { // one finding is suppressed
		t.Fatalf("want %d workflow commands, one a line, got %d:\n%s", want, len(lines), out)
	}
	for _, line := range lines {
		cmd, rest, ok := strings.Cut(line, " ")
		if !ok || (cmd != "::error" && cmd != "::warning" && cmd != "::notice") {
			t.Errorf("not a workflow command of ours: %q", line)
		}
		// Properties end at the first "::" and part at commas; the runner
		// splits each at its first '='.
		props, _, ok := strings.Cut(rest, "::")
		if !ok {
			t.Fatalf("no message: %q", line)
		}
		for _, p := range strings.Split(props, ",") {
			key, _, _ := strings.Cut(p, "=")
			if key != "file" && key != "line" && key != "col" && key != "title" {
				t.Errorf("property %q broken out of: %q", p, line)
			}
		}
	}
	if !strings.Contains(out, "file=x^J%3A%3Aerror file=README.md%3A%3AINJECTED^J.yaml,line=1,col=3,") {
		t.Errorf("file property not escaped:\n%s", out)
	}
}

func TestJSONAndSARIFEscapeHostileText(t *testing.T) {
	r := hostileReport()
	for _, format := range []string{"json", "sarif"} {
		out := write(t, r, format)
		checkNoHidden(t, format, out)
		checkNoWorkflowCommand(t, format, out)
		if !json.Valid([]byte(out)) {
			t.Fatalf("%s output is not JSON", format)
		}
		if !strings.Contains(out, `^[[31mlabel<U+200B><U+2066> hidden<U+2069>^J::error::next`) {
			t.Errorf("%s: message not shown visibly", format)
		}
	}
	// JSON keeps the file name exact: \u escapes decode to it.
	var doc struct {
		Findings []struct {
			Location struct{ File string } `json:"location"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(write(t, r, "json")), &doc); err != nil {
		t.Fatal(err)
	}
	for i, f := range doc.Findings {
		if f.Location.File != hostileNames[i] {
			t.Errorf("file %q decoded as %q", hostileNames[i], f.Location.File)
		}
	}
}

// manyRelated is one finding related to n places.
func manyRelated(n int) *rules.Report {
	f := model.Finding{Pos: model.Pos{File: "dense.yaml", Line: 1, Col: 1}, Rule: "spof/single-instance", Severity: model.SeverityError, Component: "a0", Message: "m"}
	for i := range n {
		f.Related = append(f.Related, model.Related{Pos: model.Pos{File: "dense.yaml", Line: i + 2, Col: 3}, Message: fmt.Sprintf("a%d -> a0", i)})
	}
	return &rules.Report{Findings: []model.Finding{f}}
}

func TestRelatedLocationsCapped(t *testing.T) {
	r := manyRelated(1000)
	var doc struct {
		Findings []struct {
			Related []json.RawMessage `json:"related"`
			Omitted int               `json:"related_omitted"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(write(t, r, "json")), &doc); err != nil {
		t.Fatal(err)
	}
	if f := doc.Findings[0]; len(f.Related) != rules.MaxRelated || f.Omitted != 1000-rules.MaxRelated {
		t.Errorf("JSON lists %d related and omits %d, want %d and %d", len(f.Related), f.Omitted, rules.MaxRelated, 1000-rules.MaxRelated)
	}
	if out := write(t, manyRelated(3), "json"); strings.Contains(out, "related_omitted") {
		t.Error("related_omitted is written when nothing is left out")
	}
	var log struct {
		Runs []struct {
			Results []struct {
				Message          struct{ Text string }
				RelatedLocations []json.RawMessage
			}
		}
	}
	if err := json.Unmarshal([]byte(write(t, r, "sarif")), &log); err != nil {
		t.Fatal(err)
	}
	res := log.Runs[0].Results[0]
	if len(res.RelatedLocations) != rules.MaxRelated || !strings.HasSuffix(res.Message.Text, fmt.Sprintf("The first %d of 1000 related locations are listed.", rules.MaxRelated)) {
		t.Errorf("SARIF lists %d related locations, message %q", len(res.RelatedLocations), res.Message.Text)
	}
}

// completeGraph is a model of n app servers each calling every other, the
// densest a model gets: n² calls, and paths through every component.
func completeGraph(n int) []byte {
	var b strings.Builder
	b.WriteString("archdiag: 1\nname: dense\ncomponents:\n  users: {kind: client, calls: [a0]}\n  db: {kind: database}\n")
	for i := range n {
		fmt.Fprintf(&b, "  a%d: {kind: app, calls: [db", i)
		for j := range n {
			if j != i {
				fmt.Fprintf(&b, ", a%d", j)
			}
		}
		b.WriteString("]}\n")
	}
	return []byte(b.String())
}

// denseSARIF lints the complete graph of n components and returns the
// SARIF log's size and the number of findings.
func denseSARIF(tb testing.TB, n int) (size, findings int) {
	tb.Helper()
	m, err := model.Load("dense.yaml", completeGraph(n))
	if err != nil {
		tb.Fatal(err)
	}
	fs, err := rules.Run(m, nil)
	if err != nil {
		tb.Fatal(err)
	}
	var b bytes.Buffer
	if err := rules.WriteSARIF(&b, &rules.Report{Findings: fs}, "0.0.0-test"); err != nil {
		tb.Fatal(err)
	}
	return b.Len(), len(fs)
}

// TestDenseSARIFSize bounds the SARIF log of a dense model by its findings:
// the rules' descriptions, then a few kilobytes a finding, however many
// places each finding is related to.
func TestDenseSARIFSize(t *testing.T) {
	const n = 60
	size, findings := denseSARIF(t, n)
	var empty bytes.Buffer
	if err := rules.WriteSARIF(&empty, &rules.Report{}, "0.0.0-test"); err != nil {
		t.Fatal(err)
	}
	// A finding's message lists at most a few names; the one listing
	// every component's missing numbers grows with the model instead.
	bound := empty.Len() + 4096*findings + 200*n
	if size > bound {
		t.Errorf("SARIF for a complete graph of %d components: %d bytes for %d findings, over the bound of %d", n, size, findings, bound)
	}
}

// BenchmarkDenseSARIF reports the SARIF log's size for complete graphs: it
// grows with the findings, not with the places each finding relates.
//
//	go test ./rules -run '^$' -bench DenseSARIF -benchtime 1x
func BenchmarkDenseSARIF(b *testing.B) {
	for _, n := range []int{100, 300} {
		b.Run(fmt.Sprintf("components=%d", n), func(b *testing.B) {
			var size, findings int
			for b.Loop() {
				size, findings = denseSARIF(b, n)
			}
			b.ReportMetric(float64(size), "bytes")
			b.ReportMetric(float64(findings), "findings")
			b.ReportMetric(float64(size)/float64(max(findings, 1)), "bytes/finding")
		})
	}
}

// TestHostileSARIFValidates runs the SARIF validator (see
// TestSARIFValidates) on the hostile report and on a finding whose related
// locations were capped.
func TestHostileSARIFValidates(t *testing.T) {
	bin := os.Getenv("ARCHDIAG_SARIF_MULTITOOL")
	if bin == "" {
		t.Skip("ARCHDIAG_SARIF_MULTITOOL is not set")
	}
	dir := t.TempDir()
	for name, r := range map[string]*rules.Report{"hostile": hostileReport(), "capped": manyRelated(300)} {
		in := filepath.Join(dir, name+".sarif")
		if err := os.WriteFile(in, []byte(write(t, r, "sarif")), 0o644); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, name+".validation.sarif")
		if msg, err := exec.Command(bin, "validate", "--level", "Error;Warning", "--log", "ForceOverwrite", "-o", out, in).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, msg)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		var log struct {
			Runs []struct {
				Results []json.RawMessage `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(data, &log); err != nil || len(log.Runs) == 0 {
			t.Fatalf("%s: reading the validator's log: %v", name, err)
		}
		for _, res := range log.Runs[0].Results {
			t.Errorf("%s: %s", name, res)
		}
	}
}
