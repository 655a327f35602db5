package notes

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/archdiag/archdiag/model/visible"
)

// mdWriter builds CommonMark one block at a time. Every block is followed
// by a blank line; Bytes trims the last one so the file ends in exactly one
// newline. Heading levels are relative: shift moves the whole document down
// when interview and study notes share one file.
type mdWriter struct {
	buf   bytes.Buffer
	shift int
}

func (w *mdWriter) heading(level int, text string) {
	w.buf.WriteString(strings.Repeat("#", level+w.shift))
	w.buf.WriteByte(' ')
	w.buf.WriteString(text)
	w.buf.WriteString("\n\n")
}

func (w *mdWriter) para(text string) {
	if text == "" {
		return
	}
	w.buf.WriteString(safeStart(text))
	w.buf.WriteString("\n\n")
}

// bullets writes an unordered list; items may hold nested lists made with
// sublist.
func (w *mdWriter) bullets(items []string) {
	if len(items) == 0 {
		return
	}
	for _, it := range items {
		w.buf.WriteString("- ")
		w.buf.WriteString(safeStart(it))
		w.buf.WriteByte('\n')
	}
	w.buf.WriteByte('\n')
}

// numbered writes an ordered list with the given numbers, which must run
// 1, 2, 3... so that the list renders with the numbers the diagram shows.
func (w *mdWriter) numbered(items []string) {
	for i, it := range items {
		w.buf.WriteString(itoa(i+1) + ". " + safeStart(it) + "\n")
	}
	w.buf.WriteByte('\n')
}

// fenced writes a fenced code block whose fence is longer than any run of
// backticks inside it.
func (w *mdWriter) fenced(lang, text string) {
	fence := strings.Repeat("`", max(3, longestRun(text, '`')+1))
	w.buf.WriteString(fence + lang + "\n")
	w.buf.WriteString(strings.TrimRight(text, "\n"))
	w.buf.WriteString("\n" + fence + "\n\n")
}

// Bytes returns the document. Text from the model is shown by esc and
// code; this last pass guarantees for everything else that no control,
// bidirectional or zero-width character reaches a reader, whatever
// renders the markdown, and that no line of it is a CI workflow command.
func (w *mdWriter) Bytes() []byte {
	out := visible.Text(string(bytes.TrimRight(w.buf.Bytes(), "\n")))
	return []byte(noWorkflowCommands(out) + "\n")
}

// noWorkflowCommands escapes the first character of a line outside code
// blocks that GitHub Actions would run as a workflow command (:: or ##[
// after spaces) when notes are printed in a CI log. A backslash before
// ASCII punctuation renders as the character alone.
func noWorkflowCommands(md string) string {
	if !strings.Contains(md, "::") && !strings.Contains(md, "##[") {
		return md
	}
	lines := strings.Split(md, "\n")
	fence := ""
	for i, line := range lines {
		body := strings.TrimLeft(line, " ")
		switch {
		case fence != "":
			if strings.HasPrefix(body, fence) {
				fence = ""
			}
		case strings.HasPrefix(body, "```"):
			fence = body[:len(body)-len(strings.TrimLeft(body, "`"))]
		case strings.HasPrefix(body, "::") || strings.HasPrefix(body, "##["):
			lines[i] = line[:len(line)-len(body)] + "\\" + body
		}
	}
	return strings.Join(lines, "\n")
}

// sublist renders items as a list nested under a bullet.
func sublist(head string, items []string) string {
	var b strings.Builder
	b.WriteString(head)
	for _, it := range items {
		b.WriteString("\n  - ")
		b.WriteString(safeStart(it))
	}
	return b.String()
}

func longestRun(s string, c byte) int {
	best, cur := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			cur++
			best = max(best, cur)
		} else {
			cur = 0
		}
	}
	return best
}

// esc escapes text from the model so that it renders literally: emphasis,
// links, HTML, entities, code spans and strikethrough are neutralised, and
// so is a block marker at the start; control, bidirectional and zero-width
// characters are shown as visible.Line shows them. It leaves alone what
// CommonMark reads literally anyway (an underscore inside a word, a '>'
// after the start) so the raw Markdown stays readable.
func esc(s string) string {
	rs := []rune(visible.Line(strings.Join(strings.Fields(s), " ")))
	alnum := func(i int) bool {
		return i >= 0 && i < len(rs) && (unicode.IsLetter(rs[i]) || unicode.IsDigit(rs[i]))
	}
	var b strings.Builder
	for i, r := range rs {
		switch {
		case strings.ContainsRune("\\`*[]<~", r):
			b.WriteByte('\\')
		case r == '_' && !(alnum(i-1) && alnum(i+1)):
			b.WriteByte('\\')
		case r == '&' && i+1 < len(rs) && (unicode.IsLetter(rs[i+1]) || rs[i+1] == '#'):
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// safeStart escapes a block marker at the start of a paragraph or list
// item, where a name from the model such as "# ops" or "1. primary" would
// otherwise open a heading, quote or list.
func safeStart(s string) string {
	if s == "" {
		return s
	}
	spaceAt := func(i int) bool { return i >= len(s) || s[i] == ' ' }
	switch s[0] {
	case '#', '>':
		return "\\" + s
	case '-', '+', '*':
		if spaceAt(1) {
			return "\\" + s
		}
	}
	j := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	if j > 0 && (s[j] == '.' || s[j] == ')') && spaceAt(j+1) {
		return s[:j] + "\\" + s[j:]
	}
	return s
}

// code renders s as an inline code span.
func code(s string) string {
	s = visible.Line(strings.Join(strings.Fields(s), " "))
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

func bold(s string) string { return "**" + s + "**" }

// sentence capitalises the first letter and ends s with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	s = capitalize(s)
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "!") && !strings.HasSuffix(s, "?") {
		s += "."
	}
	return s
}

// join lists words as "a", "a and b", "a, b and c". When an item holds an
// "and" of its own, a comma before the last "and" shows where the items
// part ("caching, read replicas and failover, and sharding"); when items
// hold commas too, semicolons do.
func join(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	sep, last := ", ", " and "
	for _, w := range words {
		plain := outsideBrackets(w)
		switch {
		case len(words) > 2 && strings.Contains(plain, ", "): // not 20,000
			sep, last = "; ", "; and "
		case strings.Contains(plain, " and ") && last == " and ":
			last = ", and "
		}
	}
	return strings.Join(words[:len(words)-1], sep) + last + words[len(words)-1]
}

// outsideBrackets returns s without what sits inside parentheses or code
// spans, where a comma or an "and" does not split a list.
func outsideBrackets(s string) string {
	var b strings.Builder
	depth, inCode := 0, false
	for _, r := range s {
		switch {
		case r == '`':
			inCode = !inCode
		case inCode:
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// capitalize upper-cases the first letter of s.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// finish ends s with a full stop without touching its first letter, for
// sentences that open with a name from the model ("nginx proxies...").
func finish(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasSuffix(s, ".") {
		return s
	}
	return s + "."
}
