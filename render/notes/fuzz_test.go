package notes

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/visible"
	"github.com/archdiag/archdiag/render"
	"github.com/archdiag/archdiag/rules"
)

// FuzzPipeline runs what a user can run on one model, as the CLI does:
// load it, lint it and write the report in every format, draw DOT and
// Mermaid, write the notes in every style as markdown and for a terminal.
// Besides never panicking, it checks that no output passes a control,
// bidirectional or zero-width character through (terminal output keeps
// only glamour's own colour sequences), that no line of text meant for a
// CI log is a workflow command, that JSON and SARIF are JSON, and that
// Mermaid has no directive or comment and every label is one quoted string
// (checkMermaid). The file name is fuzzed too, since reports print it.
// Seeds: the examples, the render fixtures and the hostile model, and when
// fuzzing the published designs too.
//
//	go test ./render/notes -run '^$' -fuzz FuzzPipeline -fuzztime 5m -fuzzminimizetime 30s
func FuzzPipeline(f *testing.F) {
	patterns := []string{"../../examples/*.yaml", "../../testdata/render/*.yaml"}
	if fuzzing() { // plain go test runs the seeds as tests: keep it quick
		patterns = append(patterns, "../../testdata/designs/*.yaml")
	}
	var seeds []string
	for _, pattern := range patterns {
		files, _ := filepath.Glob(pattern)
		seeds = append(seeds, files...)
	}
	names := []string{"model.yaml", "x\n::error file=README.md::INJECTED\n.yaml", "::warning::a.yaml", "e\x1b[2J\u202e.yaml"}
	for i, path := range seeds {
		src, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src, names[i%len(names)])
	}
	f.Add([]byte(hostileNotesModel), names[1])
	f.Fuzz(func(t *testing.T, src []byte, name string) {
		if name == "" || len(name) > 200 {
			name = "f.yaml"
		}
		m, err := model.Load(name, src)
		if err != nil {
			return
		}
		fs, err := rules.Run(m, nil)
		if err != nil {
			return // a suppression naming an unknown rule: reported, not drawn
		}
		checkReports(t, &rules.Report{Findings: fs, Errors: model.ErrorList{{Pos: model.Pos{File: name, Line: 1}, Msg: m.Name.Val}}})
		dot, err := render.DOT(m, render.Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkNoHidden(t, "DOT", string(dot), "\n")
		mm, err := render.Mermaid(m, render.Options{Findings: fs})
		if err != nil {
			t.Fatal(err)
		}
		if err := checkMermaid(string(mm)); err != nil {
			t.Fatalf("Mermaid: %v\n%s", err, mm)
		}
		md, err := Markdown(m, Options{Style: All, Findings: fs, SVGPath: "diagram.svg"})
		if err != nil {
			t.Fatal(err)
		}
		checkNoHidden(t, "markdown", string(md), "\n\t")
		checkNoCommands(t, "markdown", string(md))
		checkMermaidBlocks(t, string(md))
		// Glamour is most of the cost: the terminal gets the interview
		// notes alone, which pass through the same escaping.
		spoken, err := Markdown(m, Options{Style: Interview, Findings: fs})
		if err != nil {
			t.Fatal(err)
		}
		term, err := Terminal(spoken, 80, true)
		if err != nil {
			t.Fatal(err)
		}
		checkNoHidden(t, "terminal", stripSGR(string(term)), "\n\t")
	})
}

// fuzzing reports whether go test was asked to fuzz.
func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}

// checkReports writes r in every format and checks each.
func checkReports(t *testing.T, r *rules.Report) {
	t.Helper()
	for _, format := range rules.Formats {
		var b bytes.Buffer
		if err := rules.Write(&b, r, format, rules.WriteOptions{Version: "0.0.0-fuzz"}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		checkNoHidden(t, format, out, "\n")
		switch format {
		case "github":
			for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
				if !strings.HasPrefix(line, "::error file=") && !strings.HasPrefix(line, "::warning file=") && !strings.HasPrefix(line, "::notice file=") {
					t.Fatalf("github: not one of our workflow commands: %q", line)
				}
			}
		case "json", "sarif":
			if !json.Valid(b.Bytes()) {
				t.Fatalf("%s: not JSON", format)
			}
			checkNoCommands(t, format, out)
		default:
			checkNoCommands(t, format, out)
		}
	}
}

// checkNoHidden fails on a character visible.Hidden reports, bar those in
// keep, and on bytes that are not UTF-8.
func checkNoHidden(t *testing.T, what, out, keep string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("%s: not UTF-8", what)
	}
	for i, r := range out {
		if visible.Hidden(r) && !strings.ContainsRune(keep, r) {
			t.Fatalf("%s: %U at byte %d: %q", what, r, i, out[max(0, i-40):min(len(out), i+40)])
		}
	}
}

// checkNoCommands fails on a line outside code blocks that GitHub Actions
// would run as a workflow command: :: or ##[ after spaces.
func checkNoCommands(t *testing.T, what, out string) {
	t.Helper()
	fence := false
	for _, line := range strings.Split(out, "\n") {
		l := strings.TrimLeftFunc(line, unicode.IsSpace)
		if strings.HasPrefix(l, "```") {
			fence = !fence
		}
		if !fence && (strings.HasPrefix(l, "::") || strings.HasPrefix(l, "##[")) {
			t.Fatalf("%s: a line is a workflow command: %q", what, line)
		}
	}
}

// The statements render writes in a Mermaid flowchart, with each quoted
// label replaced by \x00.
var mermaidStatements = []*regexp.Regexp{
	regexp.MustCompile(`^ *subgraph \w+\[\x00\]$`),
	regexp.MustCompile(`^ *end$`),
	regexp.MustCompile(`^ *\w+[\[\](){}>/\\]{1,2}\x00[\[\](){}/\\]{1,2}$`),              // a node in its shape
	regexp.MustCompile(`^ *\w+ (-->|-\.->)(\|\x00\|)? \w+$`),                            // an edge
	regexp.MustCompile(`^ *\w+ ~~~ \w+$`),                                               // an invisible link
	regexp.MustCompile(`^ *(style|classDef) \w+ [a-z-]+:[#\w. ]+(,[a-z-]+:[#\w. ]+)*$`), // styles
	regexp.MustCompile(`^ *class \w+(,\w+)* \w+$`),
	regexp.MustCompile(`^ *linkStyle \d+ [a-z-]+:[#\w.]+(,[a-z-]+:[#\w.]+)*$`),
}

// mermaidEntity is an entity code, which Mermaid decodes inside labels.
var mermaidEntity = regexp.MustCompile(`^#\w+;`)

// checkMermaid checks a flowchart as render writes it, so that a label can
// neither restyle the diagram, nor break the parse, nor hide other text:
// no %% anywhere (Mermaid reads %%{...}%% as a directive and %% as a
// comment to the end of the line, even inside quotes); every line one of
// the statements render writes, with at most one quoted label; every label
// free of the characters that end or reinterpret it, with '#' only
// starting an entity code and '<' only in <br/>.
func checkMermaid(src string) error {
	if i := strings.Index(src, "%%"); i >= 0 {
		return fmt.Errorf("%%%% at byte %d", i)
	}
	lines := strings.Split(strings.TrimSuffix(src, "\n"), "\n")
	if lines[0] != "flowchart TB" && lines[0] != "flowchart LR" {
		return fmt.Errorf("first line %q", lines[0])
	}
	for n, line := range lines[1:] {
		parts := strings.Split(line, `"`)
		switch len(parts) {
		case 1:
		case 3:
			if err := checkMermaidLabel(parts[1]); err != nil {
				return fmt.Errorf("line %d: %v in %q", n+2, err, line)
			}
			line = parts[0] + "\x00" + parts[2]
		default:
			return fmt.Errorf("line %d: %d quotes in %q", n+2, len(parts)-1, line)
		}
		ok := false
		for _, re := range mermaidStatements {
			ok = ok || re.MatchString(line)
		}
		if !ok {
			return fmt.Errorf("line %d: not a statement render writes: %q", n+2, lines[n+1])
		}
	}
	return nil
}

func checkMermaidLabel(label string) error {
	if strings.Contains(label, "style") || strings.Contains(label, "classDef") {
		return fmt.Errorf("a keyword Mermaid rewrites the line for")
	}
	rest := strings.ReplaceAll(label, "<br/>", "\n")
	for i := 0; i < len(rest); i++ {
		switch c := rest[i]; c {
		case '#':
			e := mermaidEntity.FindString(rest[i:])
			if e == "" {
				return fmt.Errorf("'#' starts no entity code")
			}
			i += len(e) - 1
		case '%', '{', '}', '\'', '`', '|', '\\', '<', '>', '&':
			return fmt.Errorf("%q unencoded", c)
		}
	}
	return nil
}

func TestCheckMermaidRefuses(t *testing.T) {
	for _, bad := range []string{
		"flowchart TB\n  a[\"x %%{init:{'theme':'dark'}}%%\"]",
		"flowchart TB\n  a[\"App %{a\"]",
		"flowchart TB\n  a[\"a\"b\"]",
		"flowchart TB\n  a[\"#quot\"]",
		"flowchart TB\n  a[\"x\"] --> b\n  click a call alert()",
		"flowchart TB\n  a[\"<img src=x>\"]",
	} {
		if checkMermaid(bad) == nil {
			t.Errorf("checkMermaid accepted %q", bad)
		}
	}
}
