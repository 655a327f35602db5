// Package visible shows text from a model, or a file name, as the characters
// it holds, so that it can neither act on whatever displays it nor hide or
// reorder other text. Every output format archdiag writes passes such text
// through Line or Text before its own escaping. It imports nothing.
package visible

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line returns s on one line with every character that a terminal, a log
// reader or a line-oriented format would act on, and every character that
// is invisible or reorders text, written out as visible text:
//
//   - C0 controls and DEL in caret notation: ESC is ^[, a line feed ^J,
//     NUL ^@, DEL ^?;
//   - C1 controls (U+0080 to U+009F, CSI among them), the line and paragraph
//     separators and format characters (bidirectional overrides and
//     isolates, zero-width spaces and joiners, the byte order mark) as
//     <U+202E>;
//   - bytes that are not UTF-8 as U+FFFD.
//
// Text without such characters is returned as it is.
func Line(s string) string { return show(s, false) }

// Text is Line for text of several lines: line feeds and tabs are kept.
func Text(s string) string { return show(s, true) }

// FileName is Line for a file name that may start a line of output. A
// name that a CI log reader would take for a workflow command (:: or ##[
// after any leading spaces, which GitHub Actions trims) is written as
// ./NAME, the same file.
func FileName(name string) string {
	s := Line(name)
	t := strings.TrimLeftFunc(s, unicode.IsSpace)
	if strings.HasPrefix(t, "::") || strings.HasPrefix(t, "##[") || (t != s && t != "") {
		return "./" + s
	}
	return s
}

// Hidden reports whether r is a character Line writes out rather than
// passes through: a control, a line or paragraph separator or a format
// character.
func Hidden(r rune) bool {
	switch {
	case r < 0x20 || r >= 0x7f && r < 0xa0:
		return true
	case r < 0xa0:
		return false
	}
	return r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Cf, r) || r == 0xfffe || r == 0xffff
}

func show(s string, multiline bool) string {
	i := firstHidden(s, multiline)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case multiline && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case r < 0x20:
			b.WriteByte('^')
			b.WriteByte(byte(r) + '@')
		case r == 0x7f:
			b.WriteString("^?")
		case Hidden(r):
			b.WriteString(Code(r))
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// Code is how Line writes a character by its code point: <U+202E>.
func Code(r rune) string {
	hex := strings.ToUpper(strconv.FormatInt(int64(r), 16))
	for len(hex) < 4 {
		hex = "0" + hex
	}
	return "<U+" + hex + ">"
}

// firstHidden returns the byte offset of the first character show must
// change, or -1. ASCII is checked a byte at a time, the rest a rune at a
// time.
func firstHidden(s string, multiline bool) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && !(multiline && (c == '\n' || c == '\t')) || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || Hidden(r) {
			return i
		}
		i += size
	}
	return -1
}
