package notes

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// prewrap wraps markdown paragraphs and list items at width columns,
// keeping code blocks, headings and tables as they are and never breaking
// inside a code span. Outside code blocks, a run of more than width
// characters without a space is broken with spaces first: glamour's
// wrapper measures a word again for every character added to it, so one
// long name would cost time quadratic in its length.
func prewrap(md []byte, width int) []byte {
	var b strings.Builder
	fence := false
	for _, line := range strings.SplitAfter(string(md), "\n") {
		body := strings.TrimSuffix(line, "\n")
		trimmed := strings.TrimLeft(body, " ")
		if strings.HasPrefix(trimmed, "```") {
			fence = !fence
		}
		if fence || strings.HasPrefix(trimmed, "```") {
			b.WriteString(line)
			continue
		}
		if broken := breakLongWords(body, width); broken != body {
			body = broken
			trimmed = strings.TrimLeft(body, " ")
			line = body + line[len(strings.TrimSuffix(line, "\n")):]
		}
		if strings.HasPrefix(trimmed, "#") || strings.HasPrefix(trimmed, "|") || utf8.RuneCountInString(body) <= width {
			b.WriteString(line)
			continue
		}
		indent := len(body) - len(trimmed)
		marker := listMarker(trimmed)
		first := body[:indent+len(marker)]
		cont := strings.Repeat(" ", indent+len(marker))
		switch {
		case strings.HasPrefix(marker, ">"):
			cont = strings.Repeat(" ", indent) + "> "
		case marker != "":
			// glamour starts a list item's later lines under its bullet;
			// no-break spaces, which markdown keeps, hang them under the text.
			cont += strings.Repeat("\u00a0", utf8.RuneCountInString(marker))
		}
		words := splitOutsideCode(trimmed[len(marker):])
		cur, curLen := first, utf8.RuneCountInString(first)
		start := true
		for _, w := range words {
			wl := utf8.RuneCountInString(w)
			if !start && curLen+1+wl > width {
				b.WriteString(cur + "\n")
				cur, curLen, start = cont, utf8.RuneCountInString(cont), true
			}
			if !start {
				cur += " "
				curLen++
			}
			cur += w
			curLen += wl
			start = false
		}
		b.WriteString(cur)
		if strings.HasSuffix(line, "\n") {
			b.WriteString("\n")
		}
	}
	return []byte(b.String())
}

// listMarker returns the list or quote marker that starts s, with its space.
func listMarker(s string) string {
	switch {
	case strings.HasPrefix(s, "- "), strings.HasPrefix(s, "* "), strings.HasPrefix(s, "> "):
		return s[:2]
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i+1 < len(s) && s[i] == '.' && s[i+1] == ' ' {
		return s[:i+2]
	}
	return ""
}

// splitOutsideCode splits s at spaces that are not inside a code span.
func splitOutsideCode(s string) []string {
	var words []string
	inCode := false
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '`':
			inCode = !inCode
		case ' ':
			if !inCode {
				if i > start {
					words = append(words, s[start:i])
				}
				start = i + 1
			}
		}
	}
	if start < len(s) {
		words = append(words, s[start:])
	}
	return words
}

// breakLongWords inserts a space into every run of more than width
// characters without a space or hyphen (where glamour wraps), at a place
// where a space changes no markdown: not after an escaping backslash, not
// beside an emphasis or code delimiter, not before a combining mark, not
// inside a link destination. A run with no such place is broken at twice
// width wherever no escape is split, so glamour's time stays linear.
func breakLongWords(s string, width int) string {
	width = max(width, 1)
	if utf8.RuneCountInString(s) <= width {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/width)
	run := 0                 // characters since the last place glamour can wrap
	var prev rune            // the character before r
	escaping := false        // prev is a backslash that escapes r
	escaped := false         // prev was escaped
	ticks, codeTicks := 0, 0 // the current run of backticks; the run that opened a code span, 0 outside one
	inDest := false          // inside a link destination: ](...)
	for _, r := range s {
		if r != '`' && ticks > 0 {
			switch {
			case codeTicks == 0:
				codeTicks = ticks
			case ticks == codeTicks:
				codeTicks = 0
			}
			ticks = 0
		}
		switch {
		case r == ' ' || r == '-' || unicode.IsSpace(r):
			run = 0
		case run >= width && !inDest && prev != '`' && r != '`' && !(codeTicks == 0 && escaping):
			quiet := codeTicks > 0 || !strings.ContainsRune(delimiters, r) && !unicode.Is(unicode.M, r) &&
				(escaped || !strings.ContainsRune(delimiters, prev))
			if quiet || run >= 2*width {
				b.WriteByte(' ')
				run = 0
			}
		}
		switch {
		case r == '`' && !(codeTicks == 0 && escaping):
			ticks++
		case codeTicks == 0 && !escaping && prev == ']' && r == '(':
			inDest = true
		case inDest && r == ')':
			inDest = false
		}
		escaped = escaping
		escaping = codeTicks == 0 && r == '\\' && !escaping
		prev = r
		b.WriteRune(r)
		run++
	}
	return b.String()
}

// delimiters open or close emphasis, strikethrough or code spans.
const delimiters = "*_~`"
