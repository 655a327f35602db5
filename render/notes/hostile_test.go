package notes

import (
	"bytes"
	"strings"
	"testing"
	"unicode"

	"github.com/yuin/goldmark"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/render"
	"github.com/archdiag/archdiag/rules"
)

// hostileNotesModel puts terminal escape sequences (ESC, BEL, NUL, C1 CSI,
// OSC 52 that writes the clipboard), bidirectional overrides, zero-width
// characters, Mermaid directives and workflow commands in every free-text
// field the notes print.
const hostileNotesModel = `archdiag: 1
name: "evil \e[2J\a name \u202Etxt.exe"
description: "::error file=README.md::INJECTED \e]52;c;SGVsbG8=\a \u009B31m red \u200B\u2066zw\u2069"
traffic: {baseline_rps: 100, peak_multiplier: 3, read_write_ratio: "9:1"}
components:
  users:
    kind: client
    label: "Users \e[31mRED\x00"
    calls:
      - {to: web, label: "x %%{init:{'theme':'dark'}}%%"}
  web:
    kind: webserver
    label: "front %%{a: b }%% back"
    host: "vps \e[5m\u202E1"
    calls: [{to: app, label: "App %%{a"}]
  app:
    kind: app
    label: "::warning::app"
    host: "vps \e[5m\u202E1"
    description: "\u202Eevil\u202C \u2028 line"
    calls:
      - {to: db, op: read_write, timeout_ms: 100, idempotency_key: "key\e[8m"}
      - {to: jobs, label: "publish \x7f\u0085"}
  jobs:
    kind: queue
    label: "##[error]jobs"
    alerts: [{when: "depth > 0 \e[2J", notify: "#ops\u202E"}]
  worker:
    kind: worker
    calls: [jobs]
  db:
    kind: database
    label: "DB \x00 nul \uFEFF"
flows:
  signup:
    description: "flow \e[2J\u200D"
    steps:
      - {from: users, to: web, action: "\e]0;title\a posts", entity: user, status: "pending\e[0m"}
entities:
  user:
    store: db
    statuses: ["pending\e[0m", "done\u202E"]
`

// stripSGR removes the Select Graphic Rendition sequences (ESC [ digits
// and semicolons m) glamour styles text with; a terminal control of any
// other kind is left for the checks to find.
func stripSGR(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "\x1b[")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := i + 2
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';') {
			j++
		}
		if j < len(s) && s[j] == 'm' {
			b.WriteString(s[:i])
		} else {
			b.WriteString(s[:j])
			j-- // keep what follows the sequence's start
		}
		s = s[j+1:]
	}
}

func loadHostileNotes(t testing.TB) (*model.Model, []model.Finding) {
	t.Helper()
	m, err := model.Load("hostile.yaml", []byte(hostileNotesModel))
	if err != nil {
		t.Fatal(err)
	}
	fs, err := rules.Run(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	return m, fs
}

func TestHostileNotes(t *testing.T) {
	m, fs := loadHostileNotes(t)
	for _, style := range []Style{Interview, Study, All} {
		md, err := Markdown(m, Options{Style: style, Findings: fs, SVGPath: "x.svg"})
		if err != nil {
			t.Fatal(err)
		}
		checkNoHidden(t, style.String()+" markdown", string(md), "\n\t")
		checkNoCommands(t, style.String()+" markdown", string(md))
		wants := []string{`^\[\[2J^G name \<U+202E>txt.exe`}
		if style != Study { // the study notes do not repeat the description
			wants = append(wants, `\<U+200B>\<U+2066>zw\<U+2069>`, `\<U+009B>31m`, `\::error file=README.md::INJECTED`)
		}
		for _, want := range wants {
			if !strings.Contains(string(md), want) {
				t.Errorf("%s markdown lacks %q", style, want)
			}
		}
		if style != Interview {
			checkMermaidBlocks(t, string(md))
		}
		for _, dark := range []bool{true, false} {
			out, err := Terminal(md, 80, dark)
			if err != nil {
				t.Fatal(err)
			}
			plain := stripSGR(string(out))
			checkNoHidden(t, style.String()+" terminal", plain, "\n\t")
			if !strings.Contains(plain, "^[[2J") {
				t.Errorf("%s terminal output does not show the escape sequence", style)
			}
		}
	}
}

// checkMermaidBlocks checks every mermaid block in md with checkMermaid.
func checkMermaidBlocks(t *testing.T, md string) {
	t.Helper()
	n := 0
	for _, block := range strings.Split(md, "```mermaid\n")[1:] {
		end := strings.Index(block, "\n```")
		if end < 0 {
			t.Fatal("an unclosed mermaid block")
		}
		if err := checkMermaid(block[:end]); err != nil {
			t.Errorf("mermaid block: %v\n%s", err, block[:end])
		}
		n++
	}
	if n == 0 {
		t.Error("no mermaid block")
	}
}

// TestStudyMermaidIsRendersMermaid checks that the study notes carry the
// diagram with render's Mermaid escaping, not their own.
func TestStudyMermaidIsRendersMermaid(t *testing.T) {
	m, fs := loadHostileNotes(t)
	md, err := Markdown(m, Options{Style: Study, Findings: fs})
	if err != nil {
		t.Fatal(err)
	}
	want, err := render.Mermaid(m, render.Options{Findings: fs})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "```mermaid\n"+string(want)) {
		t.Error("the study notes' mermaid block is not render.Mermaid's output")
	}
}

func TestNoWorkflowCommands(t *testing.T) {
	in := "::error::x\n  ##[group]y\n```\n::kept in code\n```\nplain :: text\n"
	want := "\\::error::x\n  \\##[group]y\n```\n::kept in code\n```\nplain :: text\n"
	if got := noWorkflowCommands(in); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// TestBreakLongWordsKeepsMarkdown checks that the spaces breakLongWords
// inserts change no markdown: the rendered HTML is the same but for them.
func TestBreakLongWordsKeepsMarkdown(t *testing.T) {
	long := strings.Repeat("x", 50)
	for _, in := range []string{
		long + long,
		"**" + long + long + "**",
		"- item " + strings.Repeat(`\*`, 60) + " end",
		strings.Repeat("a_", 60),
		"`" + strings.Repeat("code", 30) + "` and ``" + strings.Repeat("a`b", 30) + "``",
		"see [" + long + "](" + strings.Repeat("path/", 30) + "x.svg) now",
		strings.Repeat("é", 70) + strings.Repeat("e\u0301", 70),
		strings.Repeat(`\_`, 70),
		"# " + long + long + long,
	} {
		out := breakLongWords(in, 40)
		if got, want := htmlWithoutSpaces(t, out), htmlWithoutSpaces(t, in); got != want {
			t.Errorf("breaking %q changed the markdown:\n got %s\nwant %s", in, got, want)
		}
		if strings.Contains(in, "](") {
			continue // a link destination is left whole
		}
		for _, w := range strings.Fields(out) {
			if n := len([]rune(w)); n > 80 {
				t.Errorf("a run of %d characters is left in %q", n, out)
			}
		}
	}
}

func htmlWithoutSpaces(t *testing.T, md string) string {
	t.Helper()
	var b bytes.Buffer
	if err := goldmark.Convert([]byte(md), &b); err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(b.String()), "")
}

// TestPrewrapBoundsWords checks that nothing glamour wraps holds a run of
// more than twice the width without a place to break.
func TestPrewrapBoundsWords(t *testing.T) {
	md := "# " + strings.Repeat("h", 500) + "\n\n" + strings.Repeat("p", 500) + "\n\n- " + strings.Repeat(`\*`, 500) + "\n\n| " + strings.Repeat("t", 500) + " |\n"
	for _, line := range strings.Split(string(prewrap([]byte(md), 40)), "\n") {
		for _, w := range strings.FieldsFunc(line, func(r rune) bool { return unicode.IsSpace(r) || r == '-' }) {
			if n := len([]rune(w)); n > 80 {
				t.Errorf("a run of %d characters: %.60q...", n, w)
			}
		}
	}
}

// BenchmarkTerminalLongWord renders notes for a model whose name and label
// are single words of 250,000 characters: glamour's wrapper is quadratic in
// the length of a word, so prewrap breaks them first.
//
//	go test ./render/notes -run '^$' -bench TerminalLongWord -benchtime 1x
func BenchmarkTerminalLongWord(b *testing.B) {
	word := strings.Repeat("x", 250_000)
	src := "archdiag: 1\nname: " + word + "\ndescription: " + strings.Repeat(`\*`, 50_000) +
		"\ncomponents:\n  users: {kind: client, label: " + word + ", calls: [app]}\n  app: {kind: app}\n"
	m, err := model.Load("long.yaml", []byte(src))
	if err != nil {
		b.Fatal(err)
	}
	md, err := Markdown(m, Options{Style: Interview})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(md)))
	for b.Loop() {
		if _, err := Terminal(md, 80, true); err != nil {
			b.Fatal(err)
		}
	}
}

func TestStripSGR(t *testing.T) {
	if got, want := stripSGR("a\x1b[1;31mb\x1b[0m\x1b[2Jc\x1b["), "ab\x1b[2Jc\x1b["; got != want {
		t.Errorf("stripSGR = %q, want %q", got, want)
	}
}
