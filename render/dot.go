package render

import (
	"bytes"
	"slices"
	"strconv"
	"strings"

	"github.com/archdiag/archdiag/model"
)

// Layout: one row (rank) per tier, in model.Tiers order, led by the tier's
// heading. Every tier's components share a rank (rank=same under newrank);
// invisible edges from each heading to the next fix the order of the rows
// and, weighted heavily, line the headings up in a column. Real edges that
// point back to an earlier tier do not constrain ranking, so no cycle can
// reorder the tiers. The legend continues the rows below the last tier.

// Names of the nodes and clusters this package adds; component ids start
// with a lowercase letter, so these cannot collide with them.
const (
	legendPrefix = "_legend"
	shardPrefix  = "_shard"
	anchorPrefix = "_tier"
	hostPrefix   = "cluster_host_"

	defaultPenWidth = "1.2"
)

type dotWriter struct {
	b bytes.Buffer
}

type attr struct {
	k string
	v dotValue
}

func (w *dotWriter) line(indent int, s string) {
	for range indent {
		w.b.WriteString("  ")
	}
	w.b.WriteString(s)
	w.b.WriteByte('\n')
}

func (w *dotWriter) stmt(indent int, head string, attrs ...attr) {
	var b strings.Builder
	b.WriteString(head)
	if len(attrs) > 0 {
		b.WriteString(" [")
		for i, a := range attrs {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(a.k)
			b.WriteByte('=')
			b.WriteString(string(a.v))
		}
		b.WriteByte(']')
	}
	w.line(indent, b.String())
}

func nodeID(c *model.Component) string { return string(qstr(c.ID)) }

func (s *scene) dot() []byte {
	w := &dotWriter{}
	w.line(0, "digraph "+string(qstr(s.m.Name.Val))+" {")
	w.stmt(1, "graph",
		attr{"rankdir", lit(s.rankdir)},
		attr{"newrank", lit("true")},
		attr{"compound", lit("true")},
		attr{"fontname", lit(font)},
		attr{"fontsize", lit("10")},
		attr{"fontcolor", lit(titleInk)},
		attr{"nodesep", lit("0.4")},
		attr{"ranksep", lit("0.6")},
		attr{"pad", lit("0.3")},
		attr{"outputorder", lit("edgesfirst")},
		attr{"labelloc", lit("t")},
		attr{"labeljust", lit("l")},
		attr{"label", html(s.titleLabel())},
	)
	w.stmt(1, "node",
		attr{"fontname", lit(font)},
		attr{"fontsize", lit("11")},
		attr{"fontcolor", lit(inkColor)},
		attr{"margin", lit("0.16,0.09")},
		attr{"penwidth", lit(defaultPenWidth)},
	)
	w.stmt(1, "edge",
		attr{"fontname", lit(font)},
		attr{"fontsize", lit("8")},
		attr{"arrowsize", lit("0.7")},
	)
	hosts := map[*model.Host]*dotWriter{}
	for i, r := range s.rows {
		s.writeTier(w, hosts, i, r)
	}
	s.writeHosts(w, hosts)
	for _, e := range s.edges {
		s.writeEdge(w, e)
	}
	s.writeOrder(w)
	s.writeLegend(w)
	w.line(0, "}")
	return w.b.Bytes()
}

func (s *scene) titleLabel() htmlText {
	var b strings.Builder
	b.WriteString(`<TABLE BORDER="0" CELLPADDING="1" CELLSPACING="0">`)
	b.WriteString(`<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="16"><B>` + string(esc(s.m.Name.Val)) + `</B></FONT></TD></TR>`)
	if d := s.m.Description.Val; d != "" {
		b.WriteString(`<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="10" COLOR="` + metaColor + `">` + string(escLines(d, 110, "LEFT")) + `</FONT></TD></TR>`)
	}
	if s.flow != nil {
		text := "Flow: " + s.flow.Name
		if d := s.flow.Description.Val; d != "" {
			text += ": " + d
		}
		b.WriteString(`<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="11" COLOR="` + flowBadgeColor + `"><B>` + string(escLines(text, 100, "LEFT")) + `</B></FONT></TD></TR>`)
	}
	for _, sev := range []model.Severity{model.SeverityError, model.SeverityWarning} {
		var rules []string
		for _, f := range s.global {
			if f.Severity == sev && !slices.Contains(rules, f.Rule) {
				rules = append(rules, f.Rule)
			}
		}
		if len(rules) > 0 {
			b.WriteString(`<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9" COLOR="` + sevInk(sev) + `">` +
				string(escLines("model-wide "+sev.String()+"s: "+strings.Join(rules, ", "), 110, "LEFT")) + `</FONT></TD></TR>`)
		}
	}
	b.WriteString(`</TABLE>`)
	return htmlText(b.String())
}

func sevInk(sev model.Severity) string {
	if sev == model.SeverityError {
		return errorInk
	}
	return warningInk
}

func sevPen(sev model.Severity) string {
	if sev == model.SeverityError {
		return errorColor
	}
	return warningColor
}

// writeTier writes one tier's row. A tier heading leads the row and the
// headings are chained with a heavy weight, so they line up in a column and
// every row starts at the same place. Tiers are not clusters: dot routes
// edges around clusters they do not belong to, which bends every call that
// skips a tier. A component on a host is written into its host's cluster
// (hosts), which may span rows; the row still ranks it.
func (s *scene) writeTier(w *dotWriter, hosts map[*model.Host]*dotWriter, i int, r row) {
	w.line(1, "// "+r.tier.String())
	heading := s.anchor(i)
	w.stmt(1, heading,
		attr{"shape", lit("plaintext")},
		attr{"margin", lit("0")},
		attr{"label", html(htmlText(`<FONT POINT-SIZE="9" COLOR="` + tierInk + `"><B>` + string(esc(strings.ToUpper(r.tier.String()))) + `</B></FONT>`))},
	)
	rank := []string{heading}
	units := []string{heading} // the heading, then each group's first node
	for gi, g := range r.groups {
		indent := 1
		// A node belongs to one cluster only, so a group that shares a
		// host with others is kept together by its chain alone.
		grouped := len(g) > 1 && !slices.ContainsFunc(g, func(c *model.Component) bool { return c.Host() != nil })
		if grouped {
			// A borderless cluster keeps the group together: no other node
			// or edge passes between its members.
			w.line(1, "subgraph "+string(lit("cluster_group_"+strconv.Itoa(i)+"_"+strconv.Itoa(gi)))+" {")
			w.stmt(2, "graph", attr{"label", lit("")}, attr{"peripheries", lit("0")}, attr{"margin", lit("4")})
			indent = 2
		}
		var firsts []string
		for _, c := range ordered(s.rankdir, g) {
			cw, ci := w, indent
			if h := c.Host(); h != nil {
				if hosts[h] == nil {
					hosts[h] = &dotWriter{}
				}
				cw, ci = hosts[h], 2
			}
			names := s.writeComponent(cw, ci, c)
			rank = append(rank, names...)
			firsts = append(firsts, names[0])
		}
		for j := 1; j < len(firsts); j++ {
			w.stmt(indent, firsts[j-1]+" -> "+firsts[j], attr{"style", lit("invis")})
		}
		units = append(units, firsts[0])
		if grouped {
			w.line(1, "}")
		}
	}
	w.line(1, "{ rank=same; "+strings.Join(rank, "; ")+" }")
	// Flat edges from the heading to each group put the heading first.
	// (A chain through the groups does not hold once clusters are in it;
	// an edge to every node holds but costs more layout time.)
	for _, u := range units[1:] {
		w.stmt(1, heading+" -> "+u, attr{"style", lit("invis")})
	}
}

// writeHosts draws each host as a box around the components that run on
// it, labelled with its name: they share one machine and fail together.
func (s *scene) writeHosts(w *dotWriter, hosts map[*model.Host]*dotWriter) {
	for i, h := range s.m.Hosts() {
		pen, ink := hostPen, metaColor
		if s.flow != nil && !slices.ContainsFunc(h.Components, func(c *model.Component) bool { return s.onFlow[c] }) {
			pen, ink = dimPen, dimInk
		}
		w.line(1, "// host "+strconv.Quote(h.Name))
		w.line(1, "subgraph "+string(lit(hostPrefix+strconv.Itoa(i)))+" {")
		w.stmt(2, "graph",
			attr{"label", html(htmlText(`<FONT POINT-SIZE="9" COLOR="` + ink + `">host <B>` + string(esc(h.Name)) + `</B></FONT>`))},
			attr{"labeljust", lit("l")},
			attr{"style", lit("rounded,dashed")},
			attr{"color", lit(pen)},
			attr{"penwidth", lit(defaultPenWidth)},
			attr{"margin", lit("12")},
		)
		w.b.Write(hosts[h].b.Bytes())
		w.line(1, "}")
	}
}

func (s *scene) anchor(row int) string {
	return string(lit(anchorPrefix + strconv.Itoa(row)))
}

// look is how a component is drawn: its kind's colours, dimmed outside a
// flow, outlined by its worst finding.
type look struct {
	fill, pen, ink, meta, penWidth string
}

func (s *scene) look(c *model.Component) look {
	st := styleOf(c.Kind.Val)
	l := look{fill: st.fill, pen: st.pen, ink: inkColor, meta: metaColor, penWidth: defaultPenWidth}
	if s.dim(c) {
		l.fill, l.pen, l.ink, l.meta = dimFill, dimPen, dimInk, dimInk
	}
	if sev := s.worst(c); sev >= model.SeverityWarning {
		l.pen, l.penWidth = sevPen(sev), "2.6"
	}
	return l
}

// writeComponent writes c's node (or, for a sharded database, its cluster
// of shards) and returns the names that belong on its tier's rank.
func (s *scene) writeComponent(w *dotWriter, indent int, c *model.Component) []string {
	if c.Shards != nil {
		return s.writeShards(w, indent, c)
	}
	st := styleOf(c.Kind.Val)
	l := s.look(c)
	attrs := []attr{
		{"shape", lit(st.shape)},
		{"style", lit(st.style)},
		{"fillcolor", lit(l.fill)},
		{"color", lit(l.pen)},
	}
	if l.penWidth != defaultPenWidth {
		attrs = append(attrs, attr{"penwidth", lit(l.penWidth)})
	}
	if l.ink != inkColor {
		attrs = append(attrs, attr{"fontcolor", lit(l.ink)})
	}
	attrs = append(attrs, attr{"label", html(s.componentLabel(c, l))})
	if stacked(c) {
		attrs = append(attrs, attr{"class", lit(stackClass)})
	}
	w.stmt(indent, nodeID(c), attrs...)
	return []string{nodeID(c)}
}

// componentLabel is a component's name, kind line, scale line and rule ids.
func (s *scene) componentLabel(c *model.Component, l look) htmlText {
	var b strings.Builder
	b.WriteString(`<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">`)
	b.WriteString(`<TR><TD><B>` + string(escLines(c.Name(), 24, "CENTER")) + `</B></TD></TR>`)
	line := func(color, text string, bold bool) {
		b.WriteString(`<TR><TD><FONT POINT-SIZE="8" COLOR="` + color + `">`)
		if bold {
			b.WriteString(`<B>` + string(escLines(text, 34, "CENTER")) + `</B>`)
		} else {
			b.WriteString(string(escLines(text, 34, "CENTER")))
		}
		b.WriteString(`</FONT></TD></TR>`)
	}
	if kl := s.kindLine(c); !strings.EqualFold(kl, c.Name()) {
		line(l.meta, kl, false)
	}
	if c.Shards != nil {
		line(l.meta, shardLine(c.Shards), false)
	}
	if sl := scaleLine(c); sl != "" {
		line(l.meta, sl, false)
	}
	for _, sev := range []model.Severity{model.SeverityError, model.SeverityWarning} {
		if rules := s.rules(c, sev); len(rules) > 0 {
			line(sevInk(sev), strings.Join(rules, " "), true)
		}
	}
	b.WriteString(`</TABLE>`)
	return htmlText(b.String())
}

// shardNodes names the shard nodes drawn for count shards: all of them up to
// four, else the first two, an ellipsis and the last.
func shardNodes(count int) []string {
	if count <= 4 {
		out := make([]string, count)
		for i := range out {
			out[i] = strconv.Itoa(i + 1)
		}
		return out
	}
	return []string{"1", "2", "…", strconv.Itoa(count)}
}

// writeShards draws a sharded database as a cluster labelled like a node,
// holding a row of shards. The first shard carries the component's id, so
// edges reach it and are clipped at the cluster's border (lhead).
func (s *scene) writeShards(w *dotWriter, indent int, c *model.Component) []string {
	st := styleOf(c.Kind.Val)
	l := s.look(c)
	w.line(indent, "subgraph "+string(lit(s.shardCluster(c)))+" {")
	w.stmt(indent+1, "graph",
		attr{"label", html(s.componentLabel(c, l))},
		attr{"labeljust", lit("c")},
		attr{"style", lit("rounded,filled")},
		attr{"fillcolor", lit(l.fill)},
		attr{"color", lit(l.pen)},
		attr{"penwidth", lit(l.penWidth)},
		attr{"fontcolor", lit(l.ink)},
		attr{"margin", lit("10")},
	)
	type shard struct{ name, n string }
	var shards []shard
	for i, n := range shardNodes(c.Shards.Count.Val) {
		name := nodeID(c)
		if i > 0 {
			name = string(lit(shardPrefix + strconv.Itoa(s.index(c)) + "_" + strconv.Itoa(i)))
		}
		shards = append(shards, shard{name, n})
	}
	var names []string
	for _, sh := range ordered(s.rankdir, shards) {
		name, n := sh.name, sh.n
		label := "shard " + n
		shape, style := st.shape, "filled"
		if n == "…" {
			label, shape, style = "…", "plaintext", "solid"
		}
		w.stmt(indent+1, name,
			attr{"shape", lit(shape)},
			attr{"style", lit(style)},
			attr{"fillcolor", lit("#FFFFFF")},
			attr{"color", lit(l.pen)},
			attr{"fontcolor", lit(l.ink)},
			attr{"fontsize", lit("9")},
			attr{"width", lit("0.7")},
			attr{"height", lit("0.45")},
			attr{"label", html(esc(label))},
		)
		names = append(names, name)
	}
	for i := 1; i < len(names); i++ {
		w.stmt(indent+1, names[i-1]+" -> "+names[i], attr{"style", lit("invis")})
	}
	w.line(indent, "}")
	return names
}

// ordered returns xs in the order to write them so that they show first
// to last, left to right or top to bottom. Within a cluster dot keeps the
// order of the input, and rankdir=LR turns left-to-right into
// bottom-to-top.
func ordered[T any](rankdir string, xs []T) []T {
	if rankdir != "LR" {
		return xs
	}
	out := make([]T, len(xs))
	for i, x := range xs {
		out[len(xs)-1-i] = x
	}
	return out
}

func (s *scene) index(c *model.Component) int {
	if i, ok := s.order[c]; ok {
		return i
	}
	return -1
}

func (s *scene) shardCluster(c *model.Component) string {
	return "cluster" + shardPrefix + strconv.Itoa(s.index(c))
}

func (s *scene) writeEdge(w *dotWriter, e *edge) {
	st := edgeStyles[e.kind]
	color, fontColor, penWidth := st.color, st.color, e.kind.penWidth()
	if e.kind == edgeSync || e.kind == edgeAsync || e.kind == edgeConsume {
		fontColor = metaColor
	}
	style := st.style
	if e.async && (e.kind == edgeRead || e.kind == edgeWrite || e.kind == edgeReadWrite) {
		style = "dashed"
	}
	if s.flow != nil {
		if len(e.steps) > 0 {
			penWidth = "2.4"
		} else {
			color, fontColor = dimPen, dimInk
		}
	}
	attrs := []attr{
		{"color", lit(color)},
		{"fontcolor", lit(fontColor)},
		{"style", lit(style)},
		{"penwidth", lit(penWidth)},
	}
	if e.reverse {
		attrs = append(attrs, attr{"dir", lit("back")}, attr{"arrowtail", lit(st.arrow)})
	} else {
		attrs = append(attrs, attr{"arrowhead", lit(st.arrow)})
	}
	if label, ok := s.edgeLabel(e); ok {
		// Labels of edges within a row would open a gap above the row, and
		// in a large diagram every label costs layout time (dot gives labels
		// ranks of their own): such labels are placed after layout instead.
		key := "label"
		if e.to.Kind.Val.Tier() == e.from.Kind.Val.Tier() || len(s.edges) > inlineLabelLimit {
			key = "xlabel"
		}
		attrs = append(attrs, attr{key, label})
	}
	if e.to.Kind.Val.Tier() < e.from.Kind.Val.Tier() {
		attrs = append(attrs, attr{"constraint", lit("false")})
	}
	if e.from.Shards != nil {
		attrs = append(attrs, attr{"ltail", lit(s.shardCluster(e.from))})
	}
	if e.to.Shards != nil {
		attrs = append(attrs, attr{"lhead", lit(s.shardCluster(e.to))})
	}
	w.stmt(1, nodeID(e.from)+" -> "+nodeID(e.to), attrs...)
}

// inlineLabelLimit is the number of edges above which edge labels are
// placed after layout; measured at 200 components, inline labels double
// the layout time.
const inlineLabelLimit = 40

// edgeLabel is e's label: plain text, or with the flow's step numbers in a
// badge.
func (s *scene) edgeLabel(e *edge) (dotValue, bool) {
	if len(e.steps) == 0 {
		if e.label == "" {
			return "", false
		}
		return qlines(e.label, 28), true
	}
	nums := make([]string, len(e.steps))
	for i, n := range e.steps {
		nums[i] = strconv.Itoa(n)
	}
	var b strings.Builder
	b.WriteString(`<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="0"><TR><TD>` + string(badge(strings.Join(nums, ", "))) + `</TD>`)
	if e.label != "" {
		b.WriteString(`<TD>` + string(escLines(e.label, 28, "CENTER")) + `</TD>`)
	}
	b.WriteString(`</TR></TABLE>`)
	return html(htmlText(b.String())), true
}

// writeOrder chains the tier headings; the legend continues the chain.
func (s *scene) writeOrder(w *dotWriter) {
	for i := 1; i < len(s.rows); i++ {
		w.stmt(1, s.anchor(i-1)+" -> "+s.anchor(i), attr{"style", lit("invis")}, attr{"weight", lit("100")})
	}
}

// badge draws flow step numbers as white on a rounded orange tag.
func badge(nums string) htmlText {
	return htmlText(`<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2" BGCOLOR="` + flowBadgeColor + `" STYLE="rounded"><TR><TD ALIGN="CENTER" WIDTH="12"><FONT COLOR="#FFFFFF" POINT-SIZE="9"><B>` +
		string(esc(nums)) + `</B></FONT></TD></TR></TABLE>`)
}
