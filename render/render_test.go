package render

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/modeltest"
)

func loadExample(t testing.TB, name string) *model.Model {
	t.Helper()
	m, err := model.LoadFile(filepath.Join("..", "examples", name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func examples(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "examples", "*.yaml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no examples found: %v", err)
	}
	var names []string
	for _, p := range paths {
		names = append(names, strings.TrimSuffix(filepath.Base(p), ".yaml"))
	}
	return names
}

// goldenCase renders one model three ways and checks every output.
func goldenCase(t *testing.T, base string, m *model.Model, opts Options) {
	t.Helper()
	dot, err := DOT(m, opts)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, base+".dot", dot)
	svg, err := SVG(m, opts)
	if err != nil {
		t.Fatal(err)
	}
	checkSVG(t, m, svg)
	golden(t, base+".svg", svg)
	mmd, err := Mermaid(m, opts)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, base+".mmd", mmd)
}

func TestExamples(t *testing.T) {
	for _, name := range examples(t) {
		t.Run(name, func(t *testing.T) {
			goldenCase(t, name, loadExample(t, name), Options{})
		})
	}
}

func TestFlow(t *testing.T) {
	goldenCase(t, "signup-email.flow-signup", loadExample(t, "signup-email"), Options{Flow: "signup"})
}

func TestLeftToRight(t *testing.T) {
	goldenCase(t, "n-tier.lr", loadExample(t, "n-tier"), Options{Direction: "LR"})
}

// testFindings are what rules might report on three-tier: an error on the
// app server, a warning on the database, a suppressed error on the
// webserver (not drawn), an info (not drawn) and a model-wide warning.
func testFindings() []model.Finding {
	return []model.Finding{
		{Rule: "spof/single-app-server", Severity: model.SeverityError, Component: "app", Message: "one instance"},
		{Rule: "state/local-sessions", Severity: model.SeverityError, Component: "app", Message: "sessions in memory"},
		{Rule: "spof/single-database", Severity: model.SeverityWarning, Component: "db", Message: "no replica"},
		{Rule: "spof/single-webserver", Severity: model.SeverityError, Component: "web", Suppressed: true, Justification: "a sketch"},
		{Rule: "capacity/unknown", Severity: model.SeverityInfo, Component: "users", Message: "no numbers"},
		{Rule: "flows/none", Severity: model.SeverityWarning, Message: "model-wide"},
	}
}

func TestFindings(t *testing.T) {
	m := loadExample(t, "three-tier")
	goldenCase(t, "three-tier.findings", m, Options{Findings: testFindings()})
	svg, err := SVG(m, Options{Findings: testFindings()})
	if err != nil {
		t.Fatal(err)
	}
	s := string(svg)
	for _, want := range []string{"spof/single&#45;app&#45;server", "state/local&#45;sessions", "spof/single&#45;database", errorColor, warningColor} {
		if !strings.Contains(s, strings.ToLower(want)) && !strings.Contains(s, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	for _, unwanted := range []string{"single&#45;webserver", "capacity/unknown"} {
		if strings.Contains(s, unwanted) {
			t.Errorf("SVG shows %q, which is suppressed or below warning", unwanted)
		}
	}
}

// checkSVG asserts that svg is well-formed XML with a title, a desc and one
// node per component, and that it holds nothing that could run or fetch.
func checkSVG(t *testing.T, m *model.Model, svg []byte) {
	t.Helper()
	titles := map[string]bool{}
	var path []string
	var rootTitle, desc string
	dec := xml.NewDecoder(bytes.NewReader(svg))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			path = append(path, tok.Name.Local)
			for _, a := range tok.Attr {
				name := strings.ToLower(a.Name.Local)
				if strings.HasPrefix(name, "on") {
					t.Errorf("event attribute %s=%q", a.Name.Local, a.Value)
				}
				if name == "href" || name == "src" || strings.Contains(strings.ToLower(a.Value), "javascript:") || strings.Contains(a.Value, "url(") {
					t.Errorf("reference attribute %s=%q", a.Name.Local, a.Value)
				}
			}
			switch tok.Name.Local {
			case "script", "foreignObject", "image", "style", "a", "use", "iframe":
				t.Errorf("unexpected element <%s>", tok.Name.Local)
			}
		case xml.EndElement:
			path = path[:len(path)-1]
		case xml.CharData:
			switch strings.Join(path, "/") {
			case "svg/title":
				rootTitle += string(tok)
			case "svg/desc":
				desc += string(tok)
			case "svg/g/g/title":
				titles[string(tok)] = true
			}
		case xml.ProcInst:
			if tok.Target != "xml" {
				t.Errorf("processing instruction <?%s?>", tok.Target)
			}
		case xml.Directive:
			t.Errorf("directive <!%s>", tok)
		}
	}
	if rootTitle != clean(m.Name.Val) {
		t.Errorf("<title> = %q, want %q", rootTitle, m.Name.Val)
	}
	if !strings.HasPrefix(desc, "Architecture diagram of ") {
		t.Errorf("<desc> = %q", desc)
	}
	for _, c := range m.Components {
		if !titles[c.ID] {
			t.Errorf("no node titled %q", c.ID)
		}
	}
}

func TestDeterministic(t *testing.T) {
	m := loadExample(t, "n-tier")
	opts := Options{Flow: "checkout", Findings: []model.Finding{{Rule: "x/y", Severity: model.SeverityError, Component: "app"}}}
	for _, f := range []func(*model.Model, Options) ([]byte, error){DOT, SVG, Mermaid} {
		a, err := f(m, opts)
		if err != nil {
			t.Fatal(err)
		}
		// Reload, so nothing cached on the model can make the runs agree.
		b, err := f(loadExample(t, "n-tier"), opts)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("two renders differ:\n%s", modeltest.LineDiff(a, b))
		}
	}
}

// hostile is a model whose every free-text field tries to break out of
// DOT, HTML-like labels, SVG or Mermaid.
const hostile = `archdiag: 1
name: '<script>alert(1)</script> "q" \N \G ]]> --> onload=x'
description: 'desc \N \G \E \l \\ " '' <img src=x onerror=alert(2)> javascript:alert(3) &amp; ]]> # | ` + "`md`" + `'
components:
  users:
    kind: client
    label: 'Users" fontname="x" onload="alert(4)'
    calls:
      - { to: web, label: '<script>alert(5)</script>' }
  web:
    kind: webserver
    label: '\N\G\L \\N'
    calls:
      - { to: app, label: 'a"; b -> c [URL="javascript:alert(6)"' }
  app:
    kind: app
    label: "x\x01y\x7fz ]]> <!-- -->"
    description: '<foreignObject>'
    calls:
      - { to: jobs, label: '<b>bold</b> #quot; %% end' }
      - { to: db, op: write, label: '<TABLE><TR><TD>x</TD></TR></TABLE>' }
  jobs:
    kind: queue
    label: 'a|b"c'
  db:
    kind: database
    label: '</TD></TR></TABLE>> ]'
  cron:
    kind: cron
    schedule: '@hourly <script>'
    calls: [jobs]
flows:
  go:
    description: 'flow <script>alert(7)</script> \N'
    steps:
      - { from: users, to: web, action: '<a href="javascript:alert(8)">x</a> \G' }
`

func loadHostile(t *testing.T) *model.Model {
	t.Helper()
	m, err := model.Load("hostile.yaml", []byte(hostile))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestHostileSVG(t *testing.T) {
	m := loadHostile(t)
	opts := Options{Flow: "go", Findings: []model.Finding{{Rule: `<script>"\N`, Severity: model.SeverityError, Component: "app"}}}
	svg, err := SVG(m, opts)
	if err != nil {
		t.Fatal(err)
	}
	checkSVG(t, m, svg)
	s := string(svg)
	// checkSVG has parsed every element and attribute; markup in the text
	// must stay text.
	for _, bad := range []string{"<script", "<img", "<foreignObject", "<a ", "<!DOCTYPE", "<!--", "<b>", "<TABLE"} {
		if strings.Contains(s, bad) {
			t.Errorf("SVG contains %q", bad)
		}
	}
	if regexp.MustCompile(`\son\w+\s*=\s*["']`).MatchString(s) {
		t.Error("SVG has an event attribute")
	}
	// The labels must be drawn, escaped, and backslash sequences kept as
	// written rather than substituted by Graphviz.
	for _, want := range []string{
		"&lt;script&gt;alert(5)&lt;/script&gt;",
		`Users&quot; fontname=&quot;x&quot; onload=&quot;alert(4)`,
		`\N\G\L \\N`,
		"a|b&quot;c",
		"&lt;/TD&gt;&lt;/TR&gt;&lt;/TABLE&gt;&gt; ]",
		"&lt;b&gt;bold&lt;/b&gt; #quot; %% end",
		"x^Ay^?z ]]&gt; &lt;!&#45;&#45; &#45;&#45;&gt;",
		"&lt;script&gt;&quot;\\N",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("SVG lacks the escaped text %q", want)
		}
	}
	// The document and the graph group are both titled with the name as
	// written, not as Graphviz quotes it in DOT.
	if title := "<title>" + xmlText(m.Name.Val) + "</title>"; strings.Count(s, title) != 2 {
		t.Errorf("want the document and the graph titled %s:\n%s", title, s[:min(len(s), 800)])
	}
}

func TestHostileDOT(t *testing.T) {
	m := loadHostile(t)
	dot, err := DOT(m, Options{Flow: "go"})
	if err != nil {
		t.Fatal(err)
	}
	// User text reaches no attribute but label and xlabel, and never as a
	// plain string that Graphviz would expand.
	attr := regexp.MustCompile(`(\w+)=("(?:[^"\\]|\\.)*"|<)`)
	for _, match := range attr.FindAllStringSubmatch(string(dot), -1) {
		switch match[1] {
		case "fontname":
			if match[2] != `"`+font+`"` {
				t.Errorf("fontname is not the constant: %s", match[0])
			}
		case "URL", "href", "image", "stylesheet", "imagepath", "shapefile", "target", "tooltip", "id":
			t.Errorf("attribute %s is set: %s", match[1], match[0])
		}
	}
	if bytes.Contains(dot, []byte("\x01")) || bytes.Contains(dot, []byte("\x7f")) {
		t.Error("control characters reach DOT")
	}
}

func TestHostileMermaid(t *testing.T) {
	m := loadHostile(t)
	mmd, err := Mermaid(m, Options{Flow: "go", Findings: []model.Finding{{Rule: `"<x>|`, Severity: model.SeverityWarning, Component: "db"}}})
	if err != nil {
		t.Fatal(err)
	}
	quoted := regexp.MustCompile(`"([^"]*)"`)
	for _, line := range strings.Split(string(mmd), "\n") {
		if strings.Count(line, `"`)%2 != 0 {
			t.Errorf("unbalanced quotes: %s", line)
		}
		for _, q := range quoted.FindAllStringSubmatch(line, -1) {
			text := strings.ReplaceAll(q[1], "<br/>", "")
			if strings.ContainsAny(text, "<>|`\\") {
				t.Errorf("unescaped text in a label: %q", q[1])
			}
		}
		if strings.HasPrefix(strings.TrimSpace(line), "%%") {
			t.Errorf("a label escaped into a comment: %s", line)
		}
	}
	if strings.Contains(string(mmd), "\x01") {
		t.Error("control characters reach Mermaid")
	}
}

func TestOptionErrors(t *testing.T) {
	m := loadExample(t, "n-tier")
	three := loadExample(t, "three-tier")
	tests := []struct {
		name string
		m    *model.Model
		opts Options
		want string
	}{
		{"unknown flow", m, Options{Flow: "nope"}, `unknown flow "nope" (the model's flows: checkout)`},
		{"unknown flow in three-tier", three, Options{Flow: "x"}, `unknown flow "x" (the model's flows: page-view)`},
		{"unknown direction", m, Options{Direction: "BT"}, `unknown direction "BT" (want TB or LR)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, f := range []func(*model.Model, Options) ([]byte, error){DOT, SVG, Mermaid} {
				_, err := f(tt.m, tt.opts)
				var oe *OptionError
				if !errors.As(err, &oe) || err.Error() != tt.want {
					t.Errorf("error = %v, want %q", err, tt.want)
				}
			}
		})
	}
}

func TestNoFlows(t *testing.T) {
	m, err := model.Load("x.yaml", []byte("archdiag: 1\nname: x\ncomponents:\n  a: { kind: client }\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := DOT(m, Options{Flow: "f"}); err == nil || err.Error() != `unknown flow "f": the model has no flows` {
		t.Errorf("error = %v", err)
	}
	// A lone component still draws.
	svg, err := SVG(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkSVG(t, m, svg)
}

func TestSizeCap(t *testing.T) {
	m, err := model.Load("big.yaml", modeltest.Generate(MaxComponents+1))
	if err != nil {
		t.Fatal(err)
	}
	_, err = SVG(m, Options{})
	var se *SizeError
	if !errors.As(err, &se) || se.Components != MaxComponents+1 {
		t.Fatalf("error = %v, want a SizeError", err)
	}
	if !strings.Contains(err.Error(), "limited to 400 components") {
		t.Errorf("message = %q", err)
	}
	// DOT and Mermaid do not lay out, so they are not capped.
	if _, err := DOT(m, Options{}); err != nil {
		t.Error(err)
	}
}

func TestRecoversAfterFailure(t *testing.T) {
	for i := 0; i < 2; i++ {
		if _, err := layout([]byte("digraph { a -> }")); err == nil {
			t.Fatal("broken DOT was accepted")
		}
	}
	m := loadExample(t, "three-tier")
	svg, err := SVG(m, Options{})
	if err != nil {
		t.Fatalf("render after a failure: %v", err)
	}
	checkSVG(t, m, svg)
}

func TestFormats(t *testing.T) {
	if got := strings.Join(Formats(), ","); got != "svg,dot,mermaid" {
		t.Errorf("Formats() = %s", got)
	}
}

func TestEscaping(t *testing.T) {
	tests := []struct {
		fn   func(string) string
		in   string
		want string
	}{
		{func(s string) string { return string(qstr(s)) }, `a"b\c`, `"a\"b\\c"`},
		{func(s string) string { return string(qstr(s)) }, "tab\tnl\nbell\x07", `"tab nl bell^G"`},
		{func(s string) string { return string(esc(s)) }, `<&>"'\N`, `&lt;&amp;&gt;&quot;&#39;\\N`},
		{func(s string) string { return string(esc(s)) }, "bad\xffbyte", "bad\uFFFDbyte"},
		{xmlText, `<a href="x">&`, `&lt;a href=&quot;x&quot;&gt;&amp;`},
		{mermaidText, `#1 "a" <b> | c & \`, `#35;1 #quot;a#quot; #lt;b#gt; #124; c #amp; #92;`},
		{mermaidText, `x %%{init:{'theme':'dark'}}%%`, `x #37;#37;#123;init:#123;#39;theme#39;:#39;dark#39;#125;#125;#37;#37;`},
		{mermaidText, "style a:b #1;", "#115;tyle a:b #35;1;"},
		{func(s string) string { return strings.Join(wrap(s, 10), "|") }, "one two three fourteen-characters", "one two|three|fourteen-c|haracters"},
		{func(s string) string { return strings.Join(wrap(s, 10), "|") }, "", ""},
		{func(s string) string { return strings.Join(wrap(clean(s), 10), "|") }, "abcdefg\u202ehij", "abcdefg|<U+202E>hi|j"},
		{func(s string) string { return strings.Join(wrap(clean(s), 10), "|") }, "abcdefghi\x1b[", "abcdefghi|^[["},
		{func(s string) string { return strings.Join(wrap(clean(s), 10), "|") }, "ab\u202ecdefghij", "ab<U+202E>|cdefghij"},
	}
	for _, tt := range tests {
		if got := tt.fn(tt.in); got != tt.want {
			t.Errorf("%q → %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLitRefusesUnsafeConstants(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("lit accepted a quote")
		}
	}()
	lit(`x" onload="y`)
}

// TestTierOrder checks that the ranks follow model.Tiers whatever the
// order of the file: an upward call (from an external provider back to the
// app) must not reorder them.
func TestTierOrder(t *testing.T) {
	src := `archdiag: 1
name: order
components:
  hook:
    kind: external
    calls: [app]
  db:
    kind: database
  app:
    kind: app
    calls: [db, hook]
  users:
    kind: client
    calls: [app]
`
	m, err := model.Load("order.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	svg, err := SVG(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	y := nodeY(t, svg)
	order := []string{"users", "app", "db", "hook"}
	for i := 1; i < len(order); i++ {
		if !(y[order[i-1]] < y[order[i]]) {
			t.Errorf("%s (y=%v) is not above %s (y=%v)", order[i-1], y[order[i-1]], order[i], y[order[i]])
		}
	}
}

// TestHeadingsLead checks, on every example in both directions and on a
// generated 200-component model, that each tier heading comes first in its
// row and that the headings line up.
func TestHeadingsLead(t *testing.T) {
	models := map[string]*model.Model{}
	for _, name := range examples(t) {
		models[name] = loadExample(t, name)
	}
	big, err := model.Load("generated.yaml", modeltest.Generate(200))
	if err != nil {
		t.Fatal(err)
	}
	models["generated-200"] = big
	for name, m := range models {
		for _, dir := range []string{"TB", "LR"} {
			dot, err := DOT(m, Options{Direction: dir})
			if err != nil {
				t.Fatal(err)
			}
			pos := nodeCenters(t, dot)
			// TB: a row shares y and runs along x; LR: the other way round.
			along, across := 0, 1
			if dir == "LR" {
				along, across = 1, 0
			}
			first := pos[anchorPrefix+"0"]
			rows := map[float64]string{}
			for id, p := range pos {
				if strings.HasPrefix(id, anchorPrefix) {
					rows[p[across]] = id
					if p[along] != first[along] {
						t.Errorf("%s %s: heading %s is out of line (%v vs %v)", name, dir, id, p, first)
					}
				}
			}
			if len(rows) == 0 {
				t.Fatalf("%s %s: no headings", name, dir)
			}
			for id, p := range pos {
				h, ok := rows[p[across]]
				before := p[along] <= pos[h][along]
				if dir == "LR" {
					before = p[along] >= pos[h][along] // y grows upwards in plain output
				}
				if ok && id != h && before {
					t.Errorf("%s %s: %s comes before its row's heading %s", name, dir, id, h)
				}
			}
		}
	}
}

// nodeCenters lays dot out and returns the centre of every node, from
// Graphviz's plain output ("node NAME X Y ...", y growing upwards).
func nodeCenters(t *testing.T, dot []byte) map[string][2]float64 {
	t.Helper()
	plain, err := layoutAs(dot, "plain")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][2]float64{}
	for _, line := range strings.Split(string(plain), "\n") {
		f := strings.Fields(line)
		if len(f) < 4 || f[0] != "node" {
			continue
		}
		x, err1 := strconv.ParseFloat(f[2], 64)
		y, err2 := strconv.ParseFloat(f[3], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("unexpected plain output: %s", line)
		}
		out[strings.Trim(f[1], `"`)] = [2]float64{x, y}
	}
	return out
}

// nodeY returns the vertical position of each node's first text line,
// growing downwards.
func nodeY(t *testing.T, svg []byte) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	re := regexp.MustCompile(`(?s)<g id="node\d+" class="node[^"]*">\s*<title>([^<]*)</title>.*?<text[^>]* y="(-?[\d.]+)"`)
	for _, m := range re.FindAllSubmatch(svg, -1) {
		v, err := strconv.ParseFloat(string(m[2]), 64)
		if err != nil {
			t.Fatal(err)
		}
		out[string(m[1])] = v
	}
	return out
}

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(child())
	}
	os.Exit(m.Run())
}

// Component ids that differ only in characters Mermaid ids cannot hold
// still get distinct nodes, even when a suffixed id is itself taken.
func TestMermaidIDsDistinct(t *testing.T) {
	m, err := model.Load("ids.yaml", []byte(`archdiag: 1
name: ids
components:
  a_b_2: {kind: client, calls: [a-b]}
  a-b: {kind: app, calls: [a_b]}
  a_b: {kind: database}
`))
	if err != nil {
		t.Fatal(err)
	}
	ids := (&scene{m: m}).mermaidIDs()
	seen := map[string]string{}
	for c, id := range ids {
		if other, dup := seen[id]; dup {
			t.Errorf("%s and %s share the Mermaid id %s", c.ID, other, id)
		}
		seen[id] = c.ID
	}
	if len(seen) != len(m.Components) {
		t.Errorf("%d ids for %d components", len(seen), len(m.Components))
	}
}

func TestCountLabels(t *testing.T) {
	m, err := model.Load("counts.yaml", []byte(`archdiag: 1
name: counts
components:
  users: {kind: client, calls: [app]}
  app: {kind: app, autoscale: {min: 2, max: 2}, calls: [{to: db, op: write}]}
  db:
    kind: database
    shards: {strategy: range, count: 1, key: id}
`))
	if err != nil {
		t.Fatal(err)
	}
	dot, err := DOT(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"×2 autoscaled", "1 shard<", "range on id"} {
		if !strings.Contains(string(dot), want) {
			t.Errorf("DOT lacks %q", want)
		}
	}
	if strings.Contains(string(dot), "×2–2") || strings.Contains(string(dot), "1 shards") {
		t.Error("DOT states a fixed count as a range or a single shard in the plural")
	}
}

// The legend explains only the edges drawn.
func TestLegendOnlyWhatIsDrawn(t *testing.T) {
	m, err := model.Load("async.yaml", []byte(`archdiag: 1
name: async
components:
  cron: {kind: cron, schedule: "@hourly", calls: [jobs]}
  jobs: {kind: queue}
  worker: {kind: worker, calls: [jobs]}
`))
	if err != nil {
		t.Fatal(err)
	}
	dot, err := DOT(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(dot), "synchronous, the caller waits") {
		t.Error("the legend explains solid edges in a diagram without synchronous calls")
	}
	if !strings.Contains(string(dot), "asynchronous, the caller does not wait") {
		t.Error("the legend does not explain the dashed edges")
	}
}

// A failover standby nothing reads from is drawn as a standby, not as a
// read replica.
func TestStandbyLabel(t *testing.T) {
	m, err := model.Load("standby.yaml", []byte(`archdiag: 1
name: standby
components:
  users: {kind: client, calls: [app]}
  app: {kind: app, calls: [{to: db, op: read_write}, {to: replica, op: read}]}
  db: {kind: database, role: primary, failover: {mode: automatic, standby: standby}}
  standby: {kind: database, replica_of: db}
  replica: {kind: database, replica_of: db}
`))
	if err != nil {
		t.Fatal(err)
	}
	s := &scene{m: m}
	if got := s.kindLine(m.Component("standby")); got != "database · standby" {
		t.Errorf("standby: %q", got)
	}
	if got := s.kindLine(m.Component("replica")); got != "database · read replica" {
		t.Errorf("replica: %q", got)
	}
}
