package render

import (
	"strings"

	"github.com/archdiag/archdiag/model/visible"
)

// Every string that comes from a model reaches DOT, SVG or Mermaid through
// this file. Graphviz interprets backslash escapes (\N, \G, \E...) in plain
// and in HTML-like labels alike, and passes fontname, stylesheet, URL and
// href through unescaped, so user text only ever becomes a quoted DOT string
// (qstr) or text inside an HTML-like label (htmlText); every other attribute
// value is a constant of this package (lit).

// clean returns s as valid UTF-8 on one line, its characters visible:
// line breaks and tabs become spaces, and every other control, format
// (bidirectional, zero-width) or noncharacter is written out as
// visible.Line does, so that a label can neither break a line-oriented
// format, nor be forbidden by XML, nor disguise itself or its neighbours.
func clean(s string) string {
	if strings.ContainsAny(s, "\n\r\t") {
		s = strings.Map(func(r rune) rune {
			if r == '\n' || r == '\r' || r == '\t' {
				return ' '
			}
			return r
		}, s)
	}
	return visible.Line(s)
}

// dotValue is an attribute value written verbatim into DOT: a quoted string
// or an HTML-like label. Only the constructors below make one.
type dotValue string

// lit quotes a constant of this package. Constants never hold quotes or
// backslashes; a violation is a bug, caught by the tests.
func lit(s string) dotValue {
	if strings.ContainsAny(s, "\"\\\n") {
		panic("render: constant needs escaping: " + s)
	}
	return dotValue(`"` + s + `"`)
}

// qstr quotes user text for DOT. Inside quotes DOT itself unescapes only \";
// Graphviz then reads \\ as a backslash in labels, and leaves it doubled in
// names, which is harmless.
func qstr(s string) dotValue {
	s = clean(s)
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return dotValue(b.String())
}

// qlines quotes user text wrapped at width characters as a plain label;
// Graphviz centres the lines it separates at \n.
func qlines(s string, width int) dotValue {
	lines := wrap(clean(s), width)
	var b strings.Builder
	b.WriteByte('"')
	for i, l := range lines {
		if i > 0 {
			b.WriteString(`\n`)
		}
		for _, r := range l {
			if r == '"' || r == '\\' {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return dotValue(b.String())
}

// htmlText is markup for an HTML-like label: escaped user text and this
// package's own tags.
type htmlText string

// xmlEscaper escapes the five characters XML reserves.
var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

// esc makes user text safe inside an HTML-like label. Entities are decoded
// before Graphviz substitutes \N and friends, so a backslash is doubled
// rather than written as an entity.
func esc(s string) htmlText {
	return htmlText(strings.ReplaceAll(xmlEscaper.Replace(clean(s)), `\`, `\\`))
}

// escLines wraps user text at width characters and joins the escaped lines
// with line breaks aligned as align ("LEFT", "CENTER").
func escLines(s string, width int, align string) htmlText {
	lines := wrap(clean(s), width)
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteString(`<BR ALIGN="` + align + `"/>`)
		}
		b.WriteString(string(esc(l)))
	}
	if align == "LEFT" && len(lines) > 1 {
		b.WriteString(`<BR ALIGN="LEFT"/>`)
	}
	return htmlText(b.String())
}

// html wraps markup as an HTML-like label value.
func html(h htmlText) dotValue { return dotValue("<" + string(h) + ">") }

// xmlText escapes user text for SVG elements this package writes itself
// (the document's title and description).
func xmlText(s string) string { return xmlEscaper.Replace(clean(s)) }

// mermaidText escapes user text for a quoted Mermaid label. Mermaid reads
// %%{...}%% as a directive and %% as a comment to the end of the line
// wherever they stand, even inside quotes, and decodes #name; and #number;
// entity codes, so '#' is encoded first and '%', braces and quotes, which a
// directive needs, are encoded as well: the label stays one quoted string.
// Mermaid also drops the last ';' of a line that holds "style" or
// "classDef", a colon and a '#', which would cut an entity short, so those
// words are broken with an entity too.
func mermaidText(s string) string {
	s = clean(s)
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '#':
			b.WriteString("#35;")
		case '"':
			b.WriteString("#quot;")
		case '&':
			b.WriteString("#amp;")
		case '<':
			b.WriteString("#lt;")
		case '>':
			b.WriteString("#gt;")
		case '|':
			b.WriteString("#124;")
		case '`':
			b.WriteString("#96;")
		case '\\':
			b.WriteString("#92;")
		case '%':
			b.WriteString("#37;")
		case '{':
			b.WriteString("#123;")
		case '}':
			b.WriteString("#125;")
		case '\'':
			b.WriteString("#39;")
		default:
			b.WriteRune(r)
		}
	}
	return mermaidKeywords.Replace(b.String())
}

var mermaidKeywords = strings.NewReplacer("style", "#115;tyle", "classDef", "#99;lassDef")

// mermaidLines wraps and escapes user text, joining lines with <br/>.
func mermaidLines(s string, width int) string {
	lines := wrap(clean(s), width)
	for i, l := range lines {
		lines[i] = mermaidText(l)
	}
	return strings.Join(lines, "<br/>")
}

// wrap breaks s into lines of at most width characters at spaces; a word
// longer than width is split, but not inside a character that clean wrote
// out (^[ or <U+202E>).
func wrap(s string, width int) []string {
	var lines []string
	var cur []rune
	for _, w := range strings.Fields(s) {
		word := []rune(w)
		for len(word) > width {
			if len(cur) > 0 {
				lines = append(lines, string(cur))
				cur = nil
			}
			cut := splitAt(word, width)
			lines = append(lines, string(word[:cut]))
			word = word[cut:]
		}
		switch {
		case len(cur) == 0:
			cur = word
		case len(cur)+1+len(word) <= width:
			cur = append(append(cur, ' '), word...)
		default:
			lines = append(lines, string(cur))
			cur = word
		}
	}
	if len(cur) > 0 || len(lines) == 0 {
		lines = append(lines, string(cur))
	}
	return lines
}

// splitAt returns where to split a word longer than width: at width, or
// earlier when that would cut a caret pair (^[) or a code (<U+202E>) that
// clean wrote in two.
func splitAt(word []rune, width int) int {
	for i := width - 1; i > 0 && i >= width-len("<U+10FFFF>"); i-- {
		if word[i] == '>' {
			break // a code that ends before the cut
		}
		if word[i] == '<' && i+2 < len(word) && word[i+1] == 'U' && word[i+2] == '+' {
			return i
		}
	}
	if word[width-1] == '^' && width > 1 {
		return width - 1
	}
	return width
}
