package notes

import (
	"strings"
	"unicode/utf8"
)

// prewrap wraps markdown paragraphs and list items at width columns,
// keeping code blocks, headings and tables as they are and never breaking
// inside a code span.
func prewrap(md []byte, width int) []byte {
	var b strings.Builder
	fence := false
	for _, line := range strings.SplitAfter(string(md), "\n") {
		body := strings.TrimSuffix(line, "\n")
		trimmed := strings.TrimLeft(body, " ")
		if strings.HasPrefix(trimmed, "```") {
			fence = !fence
		}
		if fence || strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "#") || strings.HasPrefix(trimmed, "|") || utf8.RuneCountInString(body) <= width {
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
