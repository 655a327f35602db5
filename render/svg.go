package render

import (
	"bytes"
	"strings"
)

// stackClass marks nodes drawn as a stack of instances. Graphviz writes it
// into the node's class attribute; finishSVG then draws two offset copies of
// the node's outline behind it.
const stackClass = "stack"

// finishSVG turns Graphviz's SVG into a self-contained document: no DOCTYPE
// (it names an external DTD), no comments, a <title> and <desc> for
// accessibility, and stacked outlines for components with several
// instances. Graphviz writes one element per line, which this relies on.
func finishSVG(svg []byte, s *scene) []byte {
	if i := bytes.Index(svg, []byte("<svg")); i >= 0 {
		svg = svg[i:]
	}
	var out bytes.Buffer
	out.Grow(len(svg) + 1024)
	out.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="no"?>` + "\n")
	inSVGTag, stack, graphTitle := true, false, false
	for _, line := range bytes.SplitAfter(svg, []byte("\n")) {
		trimmed := bytes.TrimSpace(line)
		if bytes.HasPrefix(trimmed, []byte("<!--")) && bytes.HasSuffix(trimmed, []byte("-->")) {
			continue
		}
		// Graphviz titles the graph with its DOT ID as written, escapes
		// included, and decodes entities in it: write the name itself.
		if graphTitle && bytes.HasPrefix(trimmed, []byte("<title>")) {
			graphTitle = false
			out.WriteString("<title>" + xmlText(s.m.Name.Val) + "</title>\n")
			continue
		}
		if stack && isShape(trimmed) {
			for _, offset := range []string{"6,-6", "3,-3"} {
				out.Write(shifted(line, offset))
			}
			stack = false
		}
		out.Write(line)
		switch {
		case inSVGTag && bytes.HasSuffix(trimmed, []byte(">")):
			inSVGTag = false
			out.WriteString("<title>" + xmlText(s.m.Name.Val) + "</title>\n")
			out.WriteString("<desc>" + xmlText(s.description()) + "</desc>\n")
		case bytes.HasPrefix(trimmed, []byte(`<g id="graph0"`)):
			graphTitle = true
		case bytes.HasPrefix(trimmed, []byte(`<g id="node`)):
			stack = bytes.Contains(trimmed, []byte(`class="node `+stackClass+`"`))
		}
	}
	return out.Bytes()
}

func isShape(line []byte) bool {
	for _, p := range []string{"<polygon ", "<path ", "<ellipse "} {
		if bytes.HasPrefix(line, []byte(p)) {
			return true
		}
	}
	return false
}

// shifted copies a shape element, moved up and right by offset.
func shifted(line []byte, offset string) []byte {
	sp := bytes.IndexByte(line, ' ')
	var b bytes.Buffer
	b.Write(line[:sp])
	b.WriteString(` transform="translate(` + offset + `)"`)
	b.Write(line[sp:])
	return b.Bytes()
}

// description is the diagram's <desc>: what it shows, in a sentence or
// three.
func (s *scene) description() string {
	parts := []string{"Architecture diagram of " + s.m.Name.Val + "."}
	if d := strings.TrimSpace(s.m.Description.Val); d != "" {
		parts = append(parts, d)
	}
	if s.flow != nil {
		f := "Numbered steps show the flow " + s.flow.Name
		if d := strings.TrimSpace(s.flow.Description.Val); d != "" {
			f += ": " + d
		} else {
			f += "."
		}
		parts = append(parts, f)
	}
	return strings.Join(parts, " ")
}
