package model

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// yaml.v3 reports a syntax error as "line N: problem" without a column,
// and numbers the line from 0 for parser errors but from 1 for scanner
// errors. syntaxError recovers the real line, finds the column by looking
// at the source, and adds a hint for the common slips.

// parserProblems are the problems yaml.v3's parser (not its scanner)
// reports, from its parserc.go; their line is the 0-based line of the
// enclosing collection.
var parserProblems = []string{
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"did not find expected '-' indicator",
	"did not find expected <document start>",
	"did not find expected <stream-start>",
	"did not find expected key",
	"did not find expected node content",
	"found duplicate %TAG directive",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found undefined tag handle",
}

func isParserProblem(msg string) bool {
	for _, p := range parserProblems {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

func syntaxError(name string, src []byte, err error) *Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if sm := yamlLine.FindStringSubmatch(err.Error()); sm != nil {
		line, _ = strconv.Atoi(sm[1])
		msg = sm[2]
	}
	if e := encodingError(name, src, msg); e != nil {
		return e
	}
	ls := sourceLines(src)
	if isParserProblem(msg) {
		line++
	}
	line = max(1, min(line, len(ls)))
	at := Pos{File: name, Line: line, Col: firstNonBlank(ls[line-1])}
	hint := ""
	switch {
	case strings.HasPrefix(msg, "found a tab character") ||
		msg == "found character that cannot start any token" && leadingTab(ls[line-1]) > 0:
		if p, ok := firstLeadingTab(ls, line); ok {
			return &Error{Pos: Pos{File: name, Line: p.Line, Col: p.Col},
				Msg: "YAML syntax error: found a tab in the indentation; YAML indents with spaces: replace the tab with spaces"}
		}
	case strings.HasPrefix(msg, "did not find expected ',' or "):
		sc := scanSource(ls)
		if sc.open.IsValid() {
			at.Line, at.Col = sc.open.Line, sc.open.Col
			if sc.openChar == '{' {
				hint = "the mapping opened here with { is not closed: close it with }, or separate its entries with commas"
			} else {
				hint = "the list opened here with [ is not closed: close it with ], or separate its items with commas"
			}
		} else {
			hint = "separate the entries inside the brackets with commas"
		}
	case msg == "did not find expected key" || msg == "did not find expected '-' indicator":
		sc := scanSource(ls)
		l := misindented(ls, sc)
		if l < line && msg != "did not find expected key" {
			l = itemWithoutDash(ls, sc, line)
		}
		if l >= line {
			at.Line, at.Col = l, firstNonBlank(ls[l-1])
		}
		if msg == "did not find expected key" {
			hint = "this line is indented differently from the keys around it, or a key lacks its colon: line it up with its siblings and write key: value"
		} else {
			hint = "this line is indented differently from the list's items, or an item lacks its \"- \": line it up with the other items"
		}
	case msg == "mapping values are not allowed in this context":
		if c := strayColon(ls[line-1]); c > 0 {
			at.Col = c
		}
		hint = "a value holds \": \" or a key is indented deeper than the one before it: quote the value (label: \"a: b\") or line the key up with its siblings"
	case msg == "could not find expected ':'":
		hint = "a key here lacks its colon: write key: value"
	case msg == "found unexpected end of stream":
		if c := unclosedQuote(ls[line-1]); c > 0 {
			at.Col = c
			hint = "the quoted value that starts here is not closed: add the closing quote"
		} else {
			hint = "a quote or bracket opened here is not closed: close it"
		}
	case msg == "found character that cannot start any token":
		if c := reservedStart(ls[line-1]); c > 0 {
			at.Col = c
		}
		hint = "a value cannot start with @ or `: quote it, e.g. schedule: \"@hourly\""
	case msg == "block sequence entries are not allowed in this context":
		hint = "a list item \"- \" starts its own line, indented under its key"
	}
	if hint != "" {
		msg += "; " + hint
	}
	return &Error{Pos: at, Msg: "YAML syntax error: " + msg}
}

// encodingError reports yaml.v3's reader errors, which carry no line, at
// the first byte or character at fault; nil for other errors.
func encodingError(name string, src []byte, msg string) *Error {
	utf := strings.Contains(msg, "UTF-8") || strings.Contains(msg, "Unicode character")
	if !utf && msg != "control characters are not allowed" {
		return nil
	}
	line, col := 1, 1
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return &Error{Pos: Pos{File: name, Line: line, Col: col},
				Msg: fmt.Sprintf("the file is not valid UTF-8 (byte 0x%02X here): save it as UTF-8", src[i])}
		case !utf && !yamlPrintable(r):
			return &Error{Pos: Pos{File: name, Line: line, Col: col},
				Msg: fmt.Sprintf("control character %U: YAML allows only printable characters, tabs and line breaks; remove it (is this a text file?)", r)}
		case r == '\r' && i+1 < len(src) && src[i+1] == '\n':
			col++ // the \n that follows ends the line
		case r == '\n' || r == '\r' || r == '\u0085' || r == '\u2028' || r == '\u2029':
			line, col = line+1, 1
		default:
			col++
		}
		i += size
	}
	return nil
}

// yamlPrintable is YAML 1.2's c-printable.
func yamlPrintable(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r' || r == 0x85:
		return true
	case r >= 0x20 && r <= 0x7E, r >= 0xA0 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
		return true
	}
	return false
}

// sourceLines splits src into lines without their line breaks; there is
// always at least one.
func sourceLines(src []byte) []string {
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	ls := yamlBreaks.Split(string(src), -1)
	if len(ls) > 1 && ls[len(ls)-1] == "" {
		ls = ls[:len(ls)-1]
	}
	return ls
}

// yamlBreaks are the line breaks yaml.v3 counts lines by.
var yamlBreaks = regexp.MustCompile(`\r\n|[\r\n\x{85}\x{2028}\x{2029}]`)

// col is the 1-based column, in characters, of byte offset i of s.
func col(s string, i int) int { return utf8.RuneCountInString(s[:i]) + 1 }

func firstNonBlank(s string) int {
	i := len(s) - len(strings.TrimLeft(s, " \t"))
	if i == len(s) {
		return 1
	}
	return col(s, i)
}

// indentOf is the number of leading spaces of s.
func indentOf(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }

// leadingTab is the column of the first tab in s's leading white space, or 0.
func leadingTab(s string) int {
	for i := 0; i < len(s) && (s[i] == ' ' || s[i] == '\t'); i++ {
		if s[i] == '\t' {
			return i + 1
		}
	}
	return 0
}

// firstLeadingTab finds the first tab in a line's indentation from line
// from on, else anywhere: yaml.v3's line for a tab is where the value it
// was scanning began, which can be above the tab.
func firstLeadingTab(ls []string, from int) (Pos, bool) {
	for _, start := range []int{from, 1} {
		for i := start - 1; i < len(ls); i++ {
			if c := leadingTab(ls[i]); c > 0 && strings.TrimSpace(ls[i]) != "" {
				return Pos{Line: i + 1, Col: c}, true
			}
		}
	}
	return Pos{}, false
}

// strayColon returns the column of the mapping indicator yaml.v3 refused
// on s: the second ": " on the line (a: b: c), or the only one (a key
// indented under a plain value); 0 if there is none.
func strayColon(s string) int {
	var found []int // byte offsets; columns are counted only for the one returned
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case (c == '"' || c == '\'') && (i == 0 || strings.IndexByte(" \t:-[{,", s[i-1]) >= 0):
			quote = c
		case c == '#' && (i == 0 || s[i-1] == ' ' || s[i-1] == '\t'):
			i = len(s)
		case c == ':' && (i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '\t'):
			found = append(found, i)
		}
	}
	switch len(found) {
	case 0:
		return 0
	case 1:
		return col(s, found[0])
	}
	return col(s, found[1])
}

// unclosedQuote returns the column of a quote on s that starts a scalar
// and is not closed on the line, or 0.
func unclosedQuote(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '#' && (i == 0 || s[i-1] == ' ' || s[i-1] == '\t') {
			return 0
		}
		if (c != '"' && c != '\'') || (i > 0 && strings.IndexByte(" \t:-[{,?", s[i-1]) < 0) {
			continue
		}
		end := closingQuote(s, i)
		if end < 0 {
			return col(s, i)
		}
		i = end
	}
	return 0
}

// closingQuote returns the index of the quote that closes the one at i,
// or -1. Single quotes escape themselves; double quotes use backslashes.
func closingQuote(s string, i int) int {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		switch {
		case q == '"' && s[j] == '\\':
			j++
		case s[j] == q && q == '\'' && j+1 < len(s) && s[j+1] == '\'':
			j++
		case s[j] == q:
			return j
		}
	}
	return -1
}

// reservedStart returns the column of an @ or ` that starts a token on s, or 0.
func reservedStart(s string) int {
	for i := 0; i < len(s); i++ {
		if (s[i] == '@' || s[i] == '`') && (i == 0 || strings.IndexByte(" \t[{,", s[i-1]) >= 0) {
			return col(s, i)
		}
	}
	return 0
}

// scan is what scanSource learns of the lines.
type scan struct {
	skip     []bool // the line is inside a flow collection, a block scalar or a quote
	open     Pos    // the flow bracket that is not closed (or closed by the wrong bracket)
	openChar byte
}

// scanSource follows flow collections ([...] and {...}) across lines,
// skipping quoted values, comments and block scalars, to find the bracket
// left open. It knows only as much YAML as that needs.
func scanSource(ls []string) scan {
	type bracket struct {
		line, i int // byte offset i of line; the column is counted only if it is reported
		c       byte
	}
	sc := scan{skip: make([]bool, len(ls))}
	var stack []bracket
	var quote byte
	blockIndent := -1 // the indentation of the key that opened a block scalar
	fail := func(b bracket) {
		if !sc.open.IsValid() {
			sc.open, sc.openChar = Pos{Line: b.line + 1, Col: col(ls[b.line], b.i)}, b.c
		}
	}
	for n, s := range ls {
		if len(stack) > 0 || quote != 0 {
			sc.skip[n] = true
		}
		if blockIndent >= 0 {
			if strings.TrimSpace(s) == "" || indentOf(s) > blockIndent {
				sc.skip[n] = true
				continue
			}
			blockIndent = -1
		}
		// In block context only a value's first character opens a collection.
		valueStart := len(stack) == 0 && quote == 0
		for i := 0; i < len(s); i++ {
			c := s[i]
			if quote != 0 {
				switch {
				case quote == '"' && c == '\\':
					i++
				case c == quote && quote == '\'' && i+1 < len(s) && s[i+1] == '\'':
					i++
				case c == quote:
					quote = 0
				}
				continue
			}
			if c == ' ' || c == '\t' {
				continue
			}
			if c == '#' && (i == 0 || s[i-1] == ' ' || s[i-1] == '\t') {
				break
			}
			inFlow := len(stack) > 0
			tokenStart := i == 0 || strings.IndexByte(" \t[{,:", s[i-1]) >= 0
			switch {
			case (c == '"' || c == '\'') && (valueStart || inFlow && tokenStart):
				quote = c
			case (c == '[' || c == '{') && (valueStart || inFlow):
				stack = append(stack, bracket{n, i, c})
			case (c == ']' || c == '}') && inFlow:
				top := stack[len(stack)-1]
				if (top.c == '[') != (c == ']') {
					fail(top)
				}
				stack = stack[:len(stack)-1]
			case (c == '|' || c == '>') && valueStart:
				blockIndent = indentOf(s)
				i = len(s)
			case c == '-' && valueStart && (i+1 == len(s) || s[i+1] == ' '):
				continue // a list item: its value starts next
			case c == ':' && !inFlow && (i+1 == len(s) || s[i+1] == ' '):
				valueStart = true
				continue
			case c == '?' && valueStart && (i+1 == len(s) || s[i+1] == ' '):
				continue
			}
			valueStart = false
		}
	}
	if len(stack) > 0 {
		fail(stack[len(stack)-1])
	}
	return sc
}

// misindented returns the first line indented to a depth that matches
// none of the enclosing levels (deeper than its parent, shallower than
// the line before), or 0. Lines the scan marked as inside a collection or
// scalar are skipped.
func misindented(ls []string, sc scan) int {
	levels := []int{0}
	opener, last := false, 0
	for n, s := range ls {
		t := strings.TrimSpace(s)
		if sc.skip[n] || t == "" || t[0] == '#' || t == "---" || t == "..." {
			continue
		}
		ind := indentOf(s)
		for len(levels) > 1 && levels[len(levels)-1] > ind {
			levels = levels[:len(levels)-1]
		}
		top := levels[len(levels)-1]
		switch {
		case ind == top:
		case opener:
			levels = append(levels, ind)
		case ind < last:
			return n + 1
		default:
			continue // a plain value continued on the next line
		}
		// A list item's content sets a deeper level: "- a: 1" then "  b: 2".
		content := t
		for strings.HasPrefix(content, "- ") {
			rest := strings.TrimLeft(content[2:], " ")
			levels = append(levels, ind+len(t)-len(rest))
			content, ind = rest, ind+len(t)-len(rest)
			t = rest
		}
		if i := strings.Index(content, " #"); i >= 0 {
			content = strings.TrimSpace(content[:i])
		}
		opener = strings.HasSuffix(content, ":") || content == "-"
		last = indentOf(s)
	}
	return 0
}

// itemWithoutDash returns the first line after the list that starts on
// line from that is indented like its items but is not one, or 0.
func itemWithoutDash(ls []string, sc scan, from int) int {
	ind := indentOf(ls[from-1])
	for n := from; n < len(ls); n++ {
		t := strings.TrimSpace(ls[n])
		if sc.skip[n] || t == "" || t[0] == '#' {
			continue
		}
		switch i := indentOf(ls[n]); {
		case i < ind:
			return 0
		case i == ind && t != "-" && !strings.HasPrefix(t, "- "):
			return n + 1
		}
	}
	return 0
}

// otherEncodings are YAML's other encodings as the spec detects them
// (YAML 1.2, 5.2): by their byte order mark, else by the NULs around an
// ASCII first character. UTF-32 comes first: its marks begin like UTF-16's.
var otherEncodings = []struct {
	prefix []byte
	any    []bool // prefix bytes that stand for any non-NUL byte
	name   string
}{
	{[]byte{0, 0, 0xFE, 0xFF}, nil, "UTF-32 (big-endian)"},
	{[]byte{0xFF, 0xFE, 0, 0}, nil, "UTF-32 (little-endian)"},
	{[]byte{0xFE, 0xFF}, nil, "UTF-16 (big-endian)"},
	{[]byte{0xFF, 0xFE}, nil, "UTF-16 (little-endian)"},
	{[]byte{0, 0, 0, 0}, []bool{false, false, false, true}, "UTF-32 (big-endian)"},
	{[]byte{0, 0, 0, 0}, []bool{true, false, false, false}, "UTF-32 (little-endian)"},
	{[]byte{0, 0}, []bool{false, true}, "UTF-16 (big-endian)"},
	{[]byte{0, 0}, []bool{true, false}, "UTF-16 (little-endian)"},
}

// encodingOf names the encoding of src when it is UTF-16 or UTF-32, or "".
func encodingOf(src []byte) string {
	for _, e := range otherEncodings {
		if len(src) < len(e.prefix) {
			continue
		}
		match := true
		for i, b := range e.prefix {
			if e.any != nil && e.any[i] {
				match = match && src[i] != 0
			} else {
				match = match && src[i] == b
			}
		}
		if match {
			return e.name
		}
	}
	return ""
}

// MaxDepth is how deeply lists and mappings may nest in a file archdiag
// reads. A model nests six or seven levels; a file built to nest thousands
// costs the YAML parser seconds and gigabytes, so it is refused first.
const MaxDepth = 100

// blockLevel is a block list or mapping open at an indentation; keyed is
// a list written at its key's indentation ("calls:" then "- a").
type blockLevel struct {
	ind   int
	keyed bool
}

// depthError returns an error at the first list or mapping nested deeper
// than MaxDepth, or nil. One pass over the bytes, knowing only as much YAML
// as nesting needs: indentation and "- " items open block levels, brackets
// flow levels; quotes, comments and block scalars open none. It counts a
// scalar on a line of its own as a level, so it may say a level more than
// the parser, never fewer.
func depthError(name string, src []byte) *Error {
	var (
		levels      []blockLevel
		flow        int  // open brackets
		quote       byte // the quote a multi-line scalar is open with
		blockIndent = -1 // a block scalar's lines are indented deeper than this
		endsKey     bool // the last line ended with "key:", so a list may follow at its indentation
	)
	tooDeep := func(line int, s []byte, i int) *Error {
		return &Error{Pos: Pos{File: name, Line: line, Col: utf8.RuneCount(s[:i]) + 1},
			Msg: fmt.Sprintf("lists and mappings nest more than %d levels deep here; a model nests fewer than ten, so check that this is the file you meant (not generated output)", MaxDepth)}
	}
	push := func(l blockLevel) bool {
		levels = append(levels, l)
		return len(levels)+flow > MaxDepth
	}
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	for line := 1; len(src) > 0; line++ {
		var s []byte
		s, src = nextLine(src)
		start := 0
		if quote == 0 && flow == 0 {
			ind := 0
			for ind < len(s) && s[ind] == ' ' {
				ind++
			}
			rest := bytes.TrimLeft(s[ind:], " \t")
			if blockIndent >= 0 {
				if len(rest) == 0 || ind > blockIndent {
					continue
				}
				blockIndent = -1
			}
			if len(rest) == 0 || rest[0] == '#' {
				continue
			}
			item := (rest[0] == '-' || rest[0] == '?') && (len(rest) == 1 || rest[1] == ' ' || rest[1] == '\t')
			for len(levels) > 0 {
				top := levels[len(levels)-1]
				if top.ind < ind || top.ind == ind && (item || !top.keyed) {
					break
				}
				levels = levels[:len(levels)-1]
			}
			switch top := len(levels) - 1; {
			case top < 0 || levels[top].ind < ind:
				if push(blockLevel{ind: ind}) {
					return tooDeep(line, s, ind)
				}
			case item && endsKey && !levels[top].keyed:
				if push(blockLevel{ind: ind, keyed: true}) {
					return tooDeep(line, s, ind)
				}
			}
			start = ind
		}
		endsKey = false
		valueStart := quote == 0 && flow == 0
		owner := start // where the node a block scalar belongs to starts
		for i := start; i < len(s); i++ {
			c := s[i]
			if quote != 0 {
				switch {
				case quote == '"' && c == '\\':
					i++
				case c == quote && quote == '\'' && i+1 < len(s) && s[i+1] == '\'':
					i++
				case c == quote:
					quote = 0
				}
				continue
			}
			if c == ' ' || c == '\t' {
				continue
			}
			if c == '#' && (i == 0 || s[i-1] == ' ' || s[i-1] == '\t') {
				break
			}
			inFlow := flow > 0
			tokenStart := i == 0 || strings.IndexByte(" \t[{,:", s[i-1]) >= 0
			blankNext := i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '\t'
			endsKey = false
			switch {
			case (c == '"' || c == '\'') && (valueStart || inFlow && tokenStart):
				quote = c
			case (c == '[' || c == '{') && (valueStart || inFlow):
				if flow++; len(levels)+flow > MaxDepth {
					return tooDeep(line, s, i)
				}
			case (c == ']' || c == '}') && inFlow:
				flow--
			case (c == '|' || c == '>') && valueStart:
				blockIndent = owner
				i = len(s)
			case (c == '-' || c == '?') && valueStart && blankNext:
				// A compact item ("- - x", "- key: v") opens a level
				// where its content starts.
				owner = i
				j := i + 1
				for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
					j++
				}
				if j < len(s) && s[j] != '#' && push(blockLevel{ind: j}) {
					return tooDeep(line, s, j)
				}
				continue
			case c == ':' && !inFlow && blankNext:
				valueStart, endsKey = true, true
				continue
			default:
				if valueStart {
					owner = i
				}
			}
			valueStart = false
		}
	}
	return nil
}

// nextLine splits src at its first line break, counted as yaml.v3 counts
// them (yamlBreaks).
func nextLine(src []byte) (line, rest []byte) {
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case c == '\n':
			return src[:i], src[i+1:]
		case c == '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				return src[:i], src[i+2:]
			}
			return src[:i], src[i+1:]
		case c == 0xC2 && i+1 < len(src) && src[i+1] == 0x85:
			return src[:i], src[i+2:]
		case c == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9):
			return src[:i], src[i+3:]
		}
	}
	return src, nil
}
