package render

import (
	"bytes"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/archdiag/archdiag/model"
)

// The Mermaid flowchart draws the same scene with Mermaid's means: one
// subgraph per tier, chained by invisible links so the tiers keep their
// order, kind colours as classes, edge colours as link styles, findings and
// the flow's dimming as node styles.

func (s *scene) mermaidIDs() map[*model.Component]string {
	ids := map[*model.Component]string{}
	taken := map[string]bool{}
	for i, c := range s.m.Components {
		var b strings.Builder
		b.WriteString("c_")
		for _, r := range c.ID {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
				b.WriteRune(r)
			} else {
				b.WriteByte('_')
			}
		}
		id := b.String()
		// Another component may already hold the suffixed name too.
		for n := i; taken[id]; n++ {
			id = b.String() + "_" + strconv.Itoa(n)
		}
		taken[id] = true
		ids[c] = id
	}
	return ids
}

func (s *scene) mermaid() []byte {
	var b bytes.Buffer
	ids := s.mermaidIDs()
	b.WriteString("flowchart " + s.rankdir + "\n")
	node := func(indent string, c *model.Component) string {
		st := styleOf(c.Kind.Val)
		return indent + ids[c] + st.mmOpen + s.mermaidLabel(c) + st.mmClose + "\n"
	}
	// A node sits in one subgraph: a host within one tier is drawn inside
	// the tier, a host that spans tiers beside them.
	spans := map[*model.Host]bool{}
	hostIndex := map[*model.Host]int{}
	for i, h := range s.m.Hosts() {
		hostIndex[h] = i
		spans[h] = slices.ContainsFunc(h.Components, func(c *model.Component) bool { return c.Kind.Val.Tier() != h.Components[0].Kind.Val.Tier() })
	}
	host := func(w io.StringWriter, i int, h *model.Host, indent string) {
		id := "host_" + strconv.Itoa(i)
		w.WriteString(indent + "subgraph " + id + `["` + mermaidText("host "+h.Name) + "\"]\n")
		for _, c := range h.Components {
			w.WriteString(node(indent+"  ", c))
		}
		w.WriteString(indent + "end\n" + indent + "style " + id + " fill:#FFFFFF,stroke:" + hostPen + ",stroke-dasharray:4 3,color:" + metaColor + "\n")
	}
	for _, r := range s.rows {
		var body strings.Builder
		for _, g := range r.groups {
			for _, c := range g {
				switch h := c.Host(); {
				case h == nil:
					body.WriteString(node("    ", c))
				case !spans[h] && h.Components[0] == c:
					host(&body, hostIndex[h], h, "    ")
				}
			}
		}
		if body.Len() == 0 {
			continue // every component of the tier is on a host that spans tiers
		}
		b.WriteString("  subgraph tier_" + strconv.Itoa(int(r.tier)) + `["` + mermaidText(strings.ToUpper(r.tier.String())) + "\"]\n")
		b.WriteString(body.String())
		b.WriteString("  end\n")
		b.WriteString("  style tier_" + strconv.Itoa(int(r.tier)) + " fill:" + tierFill + ",stroke:" + tierPen + ",color:" + tierInk + "\n")
	}
	for i, h := range s.m.Hosts() {
		if spans[h] {
			host(&b, i, h, "  ")
		}
	}
	var linkStyles []string
	for i, e := range s.edges {
		from, to := ids[e.from], ids[e.to]
		if e.reverse {
			from, to = to, from
		}
		arrow := "-->"
		if e.async || edgeStyles[e.kind].style != "solid" {
			arrow = "-.->"
		}
		label := e.label
		if len(e.steps) > 0 {
			nums := make([]string, len(e.steps))
			for j, n := range e.steps {
				nums[j] = strconv.Itoa(n)
			}
			label = strings.TrimSpace(strings.Join(nums, ", ") + " " + label)
		}
		if label != "" {
			arrow += `|"` + mermaidLines(label, 28) + `"|`
		}
		b.WriteString("  " + from + " " + arrow + " " + to + "\n")
		color, width := edgeStyles[e.kind].color, "1px"
		if e.kind == edgeWrite || e.kind == edgeReadWrite {
			width = "2px"
		}
		if s.flow != nil {
			if len(e.steps) > 0 {
				width = "3px"
			} else {
				color = dimPen
			}
		}
		linkStyles = append(linkStyles, "  linkStyle "+strconv.Itoa(i)+" stroke:"+color+",stroke-width:"+width+"\n")
	}
	for i := 1; i < len(s.rows); i++ {
		b.WriteString("  " + ids[s.rows[i-1].groups[0][0]] + " ~~~ " + ids[s.rows[i].groups[0][0]] + "\n")
	}
	for _, ki := range model.Kinds {
		var members []string
		for _, c := range s.m.Components {
			if c.Kind.Val == ki.Kind {
				members = append(members, ids[c])
			}
		}
		if len(members) == 0 {
			continue
		}
		st := styleOf(ki.Kind)
		class := "k_" + string(ki.Kind)
		b.WriteString("  classDef " + class + " fill:" + st.fill + ",stroke:" + st.pen + ",color:" + inkColor + "\n")
		b.WriteString("  class " + strings.Join(members, ",") + " " + class + "\n")
	}
	for _, c := range s.m.Components {
		var styles []string
		if s.dim(c) {
			styles = append(styles, "fill:"+dimFill, "color:"+dimInk)
			if s.worst(c) < model.SeverityWarning {
				styles = append(styles, "stroke:"+dimPen)
			}
		}
		if sev := s.worst(c); sev >= model.SeverityWarning {
			styles = append(styles, "stroke:"+sevPen(sev), "stroke-width:3px")
		}
		if len(styles) > 0 {
			b.WriteString("  style " + ids[c] + " " + strings.Join(styles, ",") + "\n")
		}
	}
	for _, l := range linkStyles {
		b.WriteString(l)
	}
	return b.Bytes()
}

func (s *scene) mermaidLabel(c *model.Component) string {
	lines := []string{mermaidLines(c.Name(), 24)}
	if kl := s.kindLine(c); !strings.EqualFold(kl, c.Name()) {
		lines = append(lines, mermaidLines(kl, 34))
	}
	if c.Shards != nil {
		lines = append(lines, mermaidLines(shardLine(c.Shards), 34))
	}
	if sl := scaleLine(c); sl != "" {
		lines = append(lines, mermaidLines(sl, 34))
	}
	for _, sev := range []model.Severity{model.SeverityError, model.SeverityWarning} {
		if rules := s.rules(c, sev); len(rules) > 0 {
			lines = append(lines, mermaidText(sev.String()+": "+strings.Join(rules, " ")))
		}
	}
	return strings.Join(lines, "<br/>")
}
