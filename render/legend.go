package render

import (
	"strconv"
	"strings"

	"github.com/archdiag/archdiag/model"
)

// The legend explains only what the diagram shows: a sample of each kind
// present, drawn with its real shape, then the edge styles and markers in use
// and, for a flow, its steps.

const legendRowLen = 6

type sample struct {
	shape, style, fill, pen, penWidth, label string
	stack                                    bool
}

func (s *scene) samples() []sample {
	var out []sample
	for _, ki := range model.Kinds {
		for _, c := range s.m.Components {
			if c.Kind.Val == ki.Kind {
				st := styleOf(ki.Kind)
				out = append(out, sample{st.shape, st.style, st.fill, st.pen, "1.2", ki.Title, false})
				break
			}
		}
	}
	for _, c := range s.m.Components {
		if stacked(c) {
			out = append(out, sample{"box", "rounded,filled", "#FFFFFF", metaColor, "1.2", "×N: N instances", true})
			break
		}
	}
	if len(s.m.Hosts()) > 0 {
		out = append(out, sample{"box", "rounded,dashed", "#FFFFFF", hostPen, "1.2", "host: one machine", false})
	}
	for _, sev := range []model.Severity{model.SeverityError, model.SeverityWarning} {
		for _, c := range s.m.Components {
			if s.worst(c) == sev {
				out = append(out, sample{"box", "rounded,filled", "#FFFFFF", sevPen(sev), "2.6", sev.String() + " finding (rule ids)", false})
				break
			}
		}
	}
	return out
}

// writeLegend writes the legend as rows below the tiers, laid out like
// them: a heading leads each row and is chained to the tier headings, and
// invisible flat edges keep the row in order. (In a cluster, dot would not
// keep the order under newrank.)
func (s *scene) writeLegend(w *dotWriter) {
	w.line(1, "// legend")
	samples := s.samples()
	// Spread the samples evenly over as few rows as legendRowLen allows.
	perRow := max(len(samples), 1)
	if nrows := (len(samples) + legendRowLen - 1) / legendRowLen; nrows > 1 {
		perRow = (len(samples) + nrows - 1) / nrows
	}
	n := 0
	name := func() string {
		id := string(lit(legendPrefix + "_" + strconv.Itoa(n)))
		n++
		return id
	}
	var rows [][]string
	for start := 0; start < len(samples); start += perRow {
		var row []string
		for _, sm := range samples[start:min(start+perRow, len(samples))] {
			id := name()
			attrs := []attr{
				{"shape", lit(sm.shape)},
				{"style", lit(sm.style)},
				{"fillcolor", lit(sm.fill)},
				{"color", lit(sm.pen)},
				{"penwidth", lit(sm.penWidth)},
				{"fontsize", lit("9")},
				// A fixed size: slanted shapes would otherwise grow wide
				// around even a short label.
				{"fixedsize", lit("true")},
				{"width", lit(sampleWidth(sm.label))},
				{"height", lit("0.42")},
				{"label", html(esc(sm.label))},
			}
			if sm.stack {
				attrs = append(attrs, attr{"class", lit(stackClass)})
			}
			w.stmt(1, id, attrs...)
			row = append(row, id)
		}
		rows = append(rows, row)
	}
	var last []string
	if lines, ok := s.edgeLegend(); ok {
		last = append(last, name())
		w.stmt(1, last[0], attr{"shape", lit("plaintext")}, attr{"margin", lit("0")}, attr{"label", html(lines)})
	}
	if s.flow != nil {
		id := name()
		w.stmt(1, id, attr{"shape", lit("plaintext")}, attr{"margin", lit("0")}, attr{"label", html(s.flowLegend())})
		last = append(last, id)
	}
	if len(last) > 0 {
		rows = append(rows, last)
	}
	prev := s.anchor(len(s.rows) - 1)
	for i, r := range rows {
		heading := string(lit(legendPrefix + "_heading_" + strconv.Itoa(i)))
		if i == 0 {
			w.stmt(1, heading, attr{"shape", lit("plaintext")}, attr{"margin", lit("0")},
				attr{"label", html(htmlText(`<FONT POINT-SIZE="9" COLOR="` + tierInk + `"><B>LEGEND</B></FONT>`))})
		} else {
			// go-graphviz labels a node with an empty label by its name.
			w.stmt(1, heading, attr{"shape", lit("plaintext")}, attr{"style", lit("invis")}, attr{"label", lit(" ")})
		}
		w.line(1, "{ rank=same; "+heading+"; "+strings.Join(r, "; ")+" }")
		w.stmt(1, prev+" -> "+heading, attr{"style", lit("invis")}, attr{"weight", lit("100")})
		for j, id := range r {
			from := heading
			if j > 0 {
				from = r[j-1]
			}
			w.stmt(1, from+" -> "+id, attr{"style", lit("invis")})
		}
		prev = heading
	}
}

// edgeLegend explains the edges drawn; ok is false when there are none.
func (s *scene) edgeLegend() (legend htmlText, ok bool) {
	var b strings.Builder
	b.WriteString(`<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">`)
	entry := func(color, glyph, text string) {
		ok = true
		b.WriteString(`<TR><TD ALIGN="LEFT"><FONT COLOR="` + color + `" POINT-SIZE="11">` + glyph + `</FONT></TD><TD ALIGN="LEFT"><FONT POINT-SIZE="9">` + string(esc(text)) + `</FONT></TD></TR>`)
	}
	if s.sync {
		entry(edgeColor, edgeStyles[edgeSync].sample, "solid: synchronous, the caller waits")
	}
	if s.async {
		entry(edgeColor, edgeStyles[edgeAsync].sample, "dashed: asynchronous, the caller does not wait")
	}
	for k := edgeRead; k < numEdgeKinds; k++ {
		if s.present[k] {
			entry(edgeStyles[k].color, edgeStyles[k].sample, edgeStyles[k].legend)
		}
	}
	if s.flow != nil {
		ok = true
		b.WriteString(`<TR><TD ALIGN="LEFT" FIXEDSIZE="TRUE" WIDTH="24" HEIGHT="20">` + string(badge("1")) + `</TD><TD ALIGN="LEFT"><FONT POINT-SIZE="9">` + string(esc("step of the flow; the rest is dimmed")) + `</FONT></TD></TR>`)
	}
	b.WriteString(`</TABLE>`)
	return htmlText(b.String()), ok
}

func (s *scene) flowLegend() htmlText {
	var b strings.Builder
	b.WriteString(`<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">`)
	b.WriteString(`<TR><TD ALIGN="LEFT" COLSPAN="2"><FONT POINT-SIZE="9" COLOR="` + flowBadgeColor + `"><B>` + string(esc("Flow: "+s.flow.Name)) + `</B></FONT></TD></TR>`)
	for _, st := range s.flow.Steps {
		text := ""
		if st.Call != nil {
			to := st.Call.To.Name
			if st.Call.To.Target != nil {
				to = st.Call.To.Target.Name()
			}
			text = st.Call.From.Name() + " → " + to
		}
		if st.Action.Val != "" {
			text += ": " + st.Action.Val
		}
		if st.Status.Val != "" {
			text += " [" + st.Entity.Val + " status " + st.Status.Val + "]"
		}
		b.WriteString(`<TR><TD ALIGN="RIGHT" VALIGN="TOP"><FONT POINT-SIZE="9" COLOR="` + flowBadgeColor + `"><B>` + strconv.Itoa(st.Number) + `</B></FONT></TD>` +
			`<TD ALIGN="LEFT"><FONT POINT-SIZE="9">` + string(escLines(text, 80, "LEFT")) + `</FONT></TD></TR>`)
	}
	b.WriteString(`</TABLE>`)
	return htmlText(b.String())
}

// sampleWidth is a legend sample's width in inches: room for its label at
// 9 points, at least 1.1.
func sampleWidth(label string) string {
	w := max(1.1, 0.45+0.062*float64(len([]rune(label))))
	return strconv.FormatFloat(w, 'f', 2, 64)
}
