package notes

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*[a-zA-Z]")

func TestTerminal(t *testing.T) {
	m := loadExample(t, "signup-email")
	md, err := Markdown(m, Options{Style: Interview, Findings: exampleFindings(t, m)})
	if err != nil {
		t.Fatal(err)
	}
	for _, width := range []int{60, 100} {
		dark, err := Terminal(md, width, true)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(dark, []byte("\x1b[")) {
			t.Fatal("no ANSI styling in the terminal output")
		}
		plain := ansi.ReplaceAllString(string(dark), "")
		for i, line := range strings.Split(plain, "\n") {
			// glamour pads lines with spaces to the wrap width.
			line = strings.TrimRight(line, " ")
			if n := utf8.RuneCountInString(line); n > width {
				t.Errorf("width %d: line %d has %d columns: %q", width, i+1, n, line)
			}
		}
		for _, want := range []string{"interview speaking notes", "peak = 20 rps × 3 = 60 rps", "pending_email_outbound"} {
			if !strings.Contains(plain, want) {
				t.Errorf("width %d: terminal output lacks %q", width, want)
			}
		}
		light, err := Terminal(md, width, false)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(dark, light) {
			t.Error("dark and light styles render the same bytes")
		}
		again, err := Terminal(md, width, true)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(dark, again) {
			t.Error("two terminal renders differ")
		}
	}
	if _, err := Terminal(md, 0, true); err == nil {
		t.Error("width 0 should be refused")
	}
}

// Glamour wraps paragraphs twice and used to leave lone words on their own
// line ("which reads" / "and" / "writes one database"); the notes wrap
// their text themselves so that no prose line is cut that way.
func TestTerminalLeavesNoLoneWords(t *testing.T) {
	for _, name := range exampleNames(t) {
		m := loadExample(t, name)
		md, err := Markdown(m, Options{Style: Interview, Findings: exampleFindings(t, m)})
		if err != nil {
			t.Fatal(err)
		}
		for width := 60; width <= 120; width += 4 {
			out, err := Terminal(md, width, true)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(ansi.ReplaceAllString(string(out), ""), "\n")
			for i := 0; i+1 < len(lines); i++ {
				a, b := strings.TrimSpace(lines[i]), strings.TrimSpace(lines[i+1])
				if a != "" && !strings.Contains(a, " ") && b != "" && b[0] >= 'a' && b[0] <= 'z' {
					t.Errorf("%s at width %d: a lone word %q before %q", name, width, a, b)
				}
			}
		}
	}
}

func TestPrewrap(t *testing.T) {
	md := "# A heading that is long enough to need wrapping but must stay on one line\n\n" +
		"A paragraph with `a code span that must not break` and more words to wrap.\n\n" +
		"- a list item that goes on for long enough to wrap onto a second line\n\n" +
		"```text\na code block line that is long and must stay exactly as it is\n```\n"
	got := string(prewrap([]byte(md), 30))
	want := "# A heading that is long enough to need wrapping but must stay on one line\n\n" +
		"A paragraph with\n`a code span that must not break`\nand more words to wrap.\n\n" +
		// No-break spaces hang a list item's later lines under its text.
		"- a list item that goes on for\n  \u00a0\u00a0long enough to wrap onto a\n  \u00a0\u00a0second line\n\n" +
		"```text\na code block line that is long and must stay exactly as it is\n```\n"
	if got != want {
		t.Errorf("prewrap:\n%s\nwant:\n%s", got, want)
	}
}
