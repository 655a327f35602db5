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
