package visible

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain text, ünïcödé ✓", "plain text, ünïcödé ✓"},
		{"\x1b[2J clear", "^[[2J clear"},
		{"bell\a nul\x00 del\x7f", "bell^G nul^@ del^?"},
		{"x\n::error file=README.md::INJECTED\n.yaml", "x^J::error file=README.md::INJECTED^J.yaml"},
		{"cr\r tab\t", "cr^M tab^I"},
		{"csi \u009b31m nel \u0085", "csi <U+009B>31m nel <U+0085>"},
		{"osc \x1b]52;c;SGVsbG8=\a", "osc ^[]52;c;SGVsbG8=^G"},
		{"admin\u202etxt.exe", "admin<U+202E>txt.exe"},
		{"\u2066iso\u2069 \u200e\u200f\u061c", "<U+2066>iso<U+2069> <U+200E><U+200F><U+061C>"},
		{"zero\u200bwidth\u200c\u200d\u2060\ufeff", "zero<U+200B>width<U+200C><U+200D><U+2060><U+FEFF>"},
		{"line\u2028sep\u2029", "line<U+2028>sep<U+2029>"},
		{"tag\U000E0041", "tag<U+E0041>"},
		{"bad \xff byte", "bad \ufffd byte"},
	} {
		if got := Line(c.in); got != c.want {
			t.Errorf("Line(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFileName(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"examples/shop.yaml", "examples/shop.yaml"},
		{"/abs/::x.yaml", "/abs/::x.yaml"},
		{"::error file=README.md::INJECTED.yaml", "./::error file=README.md::INJECTED.yaml"},
		{"  ::warning::x.yaml", "./  ::warning::x.yaml"},
		{"##[error]x.yaml", "./##[error]x.yaml"},
		{" spaced.yaml", "./ spaced.yaml"},
		{"x\n::error file=README.md::INJECTED\n.yaml", "x^J::error file=README.md::INJECTED^J.yaml"},
	} {
		if got := FileName(c.in); got != c.want {
			t.Errorf("FileName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestText(t *testing.T) {
	in := "two\nlines\twith \x1b[31mred\u202e"
	if got, want := Text(in), "two\nlines\twith ^[[31mred<U+202E>"; got != want {
		t.Errorf("Text(%q) = %q, want %q", in, got, want)
	}
}

// TestNothingHiddenSurvives checks every code point up to U+FFFF and the
// planes' tag characters: what Line returns holds no control or format
// character and is valid UTF-8.
func TestNothingHiddenSurvives(t *testing.T) {
	var b strings.Builder
	for r := rune(0); r <= 0xffff; r++ {
		if r >= 0xd800 && r <= 0xdfff {
			continue
		}
		b.WriteRune(r)
	}
	b.WriteString("\U000E0001\U000E007F\xc0\x80")
	out := Line(b.String())
	if !utf8.ValidString(out) {
		t.Fatal("output is not UTF-8")
	}
	for _, r := range out {
		if Hidden(r) {
			t.Fatalf("%U survived", r)
		}
	}
}

func TestUnchangedIsNotCopied(t *testing.T) {
	s := strings.Repeat("abc ", 1000)
	if allocs := testing.AllocsPerRun(10, func() { _ = Line(s) }); allocs != 0 {
		t.Errorf("Line allocated %v times for plain text", allocs)
	}
}
