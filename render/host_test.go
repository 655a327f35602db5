package render

import (
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/archdiag/archdiag/model"
)

// A host is drawn as a box around the components that run on it, labelled
// with its name: a Graphviz cluster in DOT and SVG, a subgraph in Mermaid.
func TestHosts(t *testing.T) {
	m, err := model.LoadFile(filepath.Join(goldenDir, "single-vps.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	goldenCase(t, "single-vps", m, Options{})

	dot, err := DOT(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range [][]string{{"nginx", "app", "redis", "postgres"}, {"reports", "archive"}} {
		body := cluster(t, string(dot), string(lit(hostPrefix+strconv.Itoa(i))))
		if got := nodesIn(body); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("host %d holds %v, want %v", i, got, want)
		}
		if name := m.Hosts()[i].Name; !strings.Contains(body, "host <B>"+name+"</B>") {
			t.Errorf("host %d is not labelled %s", i, name)
		}
	}

	svg, err := SVG(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// In the laid-out picture each host's box holds its components and
	// no other.
	at := nodeXY(t, svg)
	for i, h := range m.Hosts() {
		box := clusterBox(t, svg, hostPrefix+strconv.Itoa(i))
		if !strings.Contains(string(svg), ">"+strings.ReplaceAll(h.Name, "-", "&#45;")+"</text>") {
			t.Errorf("the SVG does not label host %s", h.Name)
		}
		for _, c := range m.Components {
			p, ok := at[c.ID]
			if !ok {
				t.Fatalf("no node %s in the SVG", c.ID)
			}
			if inside, member := box.holds(p), c.Host() == h; inside != member {
				t.Errorf("host %s: %s inside the box: %v, runs on it: %v", h.Name, c.ID, inside, member)
			}
		}
	}

	mmd, err := Mermaid(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// vps-1 spans tiers, so it stands beside them; db-box lies within the
	// data tier, so it is drawn inside it.
	for _, want := range []string{
		"  subgraph host_0[\"host vps-1\"]\n    c_nginx",
		"    subgraph host_1[\"host db-box\"]\n      c_reports",
	} {
		if !strings.Contains(string(mmd), want) {
			t.Errorf("the Mermaid lacks %q", want)
		}
	}
}

// A model without hosts draws no host boxes.
func TestNoHosts(t *testing.T) {
	m := loadExample(t, "three-tier")
	dot, err := DOT(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(dot), hostPrefix) || strings.Contains(string(dot), "host: one machine") {
		t.Error("a model without hosts draws a host")
	}
}

// cluster returns the statements of the DOT cluster named name.
func cluster(t *testing.T, dot, name string) string {
	t.Helper()
	start := strings.Index(dot, "subgraph "+name+" {\n")
	if start < 0 {
		t.Fatalf("no cluster %s in:\n%s", name, dot)
	}
	depth, i := 0, start
	for ; i < len(dot); i++ {
		switch dot[i] {
		case '{':
			depth++
		case '}':
			if depth--; depth == 0 {
				return dot[start:i]
			}
		}
	}
	t.Fatalf("cluster %s is not closed", name)
	return ""
}

type point struct{ x, y float64 }

type box struct{ min, max point }

func (b box) holds(p point) bool {
	return p.x > b.min.x && p.x < b.max.x && p.y > b.min.y && p.y < b.max.y
}

// nodeXY returns where each node's first text line is drawn.
func nodeXY(t *testing.T, svg []byte) map[string]point {
	t.Helper()
	out := map[string]point{}
	re := regexp.MustCompile(`(?s)<g id="node\d+" class="node[^"]*">\s*<title>([^<]*)</title>.*?<text[^>]* x="(-?[\d.]+)" y="(-?[\d.]+)"`)
	for _, m := range re.FindAllSubmatch(svg, -1) {
		x, _ := strconv.ParseFloat(string(m[2]), 64)
		y, _ := strconv.ParseFloat(string(m[3]), 64)
		out[string(m[1])] = point{x, y}
	}
	return out
}

// clusterBox is the bounding box of the outline of the cluster named name.
func clusterBox(t *testing.T, svg []byte, name string) box {
	t.Helper()
	re := regexp.MustCompile(`<title>` + regexp.QuoteMeta(name) + `</title>\s*<path [^>]* d="([^"]*)"`)
	m := re.FindSubmatch(svg)
	if m == nil {
		t.Fatalf("no cluster %s in the SVG", name)
	}
	b := box{point{math.Inf(1), math.Inf(1)}, point{math.Inf(-1), math.Inf(-1)}}
	for _, xy := range regexp.MustCompile(`(-?[\d.]+),(-?[\d.]+)`).FindAllStringSubmatch(string(m[1]), -1) {
		x, _ := strconv.ParseFloat(xy[1], 64)
		y, _ := strconv.ParseFloat(xy[2], 64)
		b.min = point{min(b.min.x, x), min(b.min.y, y)}
		b.max = point{max(b.max.x, x), max(b.max.y, y)}
	}
	return b
}

var nodeStmt = regexp.MustCompile(`(?m)^\s+"?([a-z][a-z0-9_-]*)"? \[shape=`)

// nodesIn lists the component nodes declared in a DOT fragment.
func nodesIn(body string) []string {
	var out []string
	for _, m := range nodeStmt.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}
