package render

import (
	"bufio"
	"bytes"
	"encoding/json"
	htmlpkg "html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/visible"
)

// directives carries the labels that restyled, broke or hid parts of a
// Mermaid diagram, and characters that hide or reorder text or act on a
// terminal.
const directives = `archdiag: 1
name: "directives \u202Etxt.exe"
components:
  users:
    kind: client
    label: "Users \u200B\u2066zw\u2069"
    calls: [{to: web, label: "x %%{init:{'theme':'dark'}}%%"}]
  web:
    kind: webserver
    label: "front %%{a: b }%% back"
    host: "vps %%{init}%%"
    calls: [{to: app, label: "style a:b #1; classDef"}]
  app:
    kind: app
    label: "App %%{a"
    host: "vps %%{init}%%"
    calls: [db]
  db:
    kind: database
    label: "DB \e[31m\a\u009B2J\u202E"
`

func loadDirectives(t testing.TB) *model.Model {
	t.Helper()
	m, err := model.Load("directives.yaml", []byte(directives))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMermaidNeutralisesDirectives(t *testing.T) {
	m := loadDirectives(t)
	out, err := Mermaid(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mm := string(out)
	if strings.Contains(mm, "%%") {
		t.Errorf("Mermaid output holds %%%%, a comment or directive:\n%s", mm)
	}
	for _, want := range []string{
		`x<br/>#37;#37;#123;init:#123;#39;theme#39;:#39;dark#39;#125;#125;#37;#37;`,
		`front #37;#37;#123;a: b #125;#37;#37; back`,
		`App #37;#37;#123;a`,
		`#115;tyle a:b #35;1; #99;lassDef`,
		`host vps #37;#37;#123;init#125;#37;#37;`,
	} {
		if !strings.Contains(mm, want) {
			t.Errorf("Mermaid output lacks %q:\n%s", want, mm)
		}
	}
	// Every component is one node: nothing was swallowed.
	for _, c := range m.Components {
		if n := strings.Count(mm, "    c_"+c.ID+"[") + strings.Count(mm, "    c_"+c.ID+"(") + strings.Count(mm, "    c_"+c.ID+"{") + strings.Count(mm, "    c_"+c.ID+">"); n != 1 {
			t.Errorf("component %s is drawn %d times", c.ID, n)
		}
	}
}

func TestDiagramsShowHiddenCharacters(t *testing.T) {
	m := loadDirectives(t)
	dot, err := DOT(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mm, err := Mermaid(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	svg, err := SVG(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkSVG(t, m, svg)
	for format, out := range map[string]string{"dot": string(dot), "mermaid": string(mm), "svg": string(svg)} {
		for i, r := range out {
			if r != '\n' && visible.Hidden(r) {
				t.Errorf("%s: %U at byte %d", format, r, i)
				break
			}
		}
	}
	for format, want := range map[string][]string{
		"dot":     {`&lt;U+200B&gt;&lt;U+2066&gt;zw`, `&lt;U+2069&gt;`, `^[[31m^G&lt;U+009B&gt;2J`, `&lt;U+202E&gt;`},
		"mermaid": {`#lt;U+200B#gt;#lt;U+2066#gt;zw`, `#lt;U+2069#gt;`, `^[[31m^G#lt;U+009B#gt;2J`, `#lt;U+202E#gt;`},
		"svg":     {`directives &lt;U+202E&gt;txt.exe`, `&lt;U+200B&gt;&lt;U+2066&gt;zw`, `^[[31m^G&lt;U+009B&gt;2J`, `&lt;U+202E&gt;`},
	} {
		out := map[string]string{"dot": string(dot), "mermaid": string(mm), "svg": string(svg)}[format]
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("%s lacks %q", format, w)
			}
		}
	}
}

// FuzzSVG lays out fuzzed models and checks the SVG with checkSVG:
// well-formed XML, no script, event attribute, reference or foreign
// element, every component drawn and the document titled with the name.
// Layout is slow, so this target is apart from the pipeline's.
//
//	go test ./render -run '^$' -fuzz FuzzSVG -fuzztime 5m -fuzzminimizetime 30s
func FuzzSVG(f *testing.F) {
	files, _ := filepath.Glob("../examples/*.yaml")
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte(hostile))
	f.Add([]byte(directives))
	f.Fuzz(func(t *testing.T, src []byte) {
		m, err := model.Load("f.yaml", src)
		if err != nil || checkSize(m) != nil || len(m.Components) > 40 {
			return
		}
		svg, err := SVG(m, Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkSVG(t, m, svg)
	})
}

// parsedMermaid is one line of .ci/mermaid-parse.mjs's output.
type parsedMermaid struct {
	File   string         `json:"file"`
	OK     bool           `json:"ok"`
	Error  string         `json:"error"`
	Config map[string]any `json:"config"`
	Nodes  []struct {
		ID   string `json:"id"`
		Text string `json:"text"`
	} `json:"nodes"`
	Edges []struct {
		Start string `json:"start"`
		End   string `json:"end"`
		Text  string `json:"text"`
	} `json:"edges"`
}

// TestMermaidParses parses the Mermaid of the examples and of the hostile
// models with Mermaid itself when ARCHDIAG_MERMAID_PARSE names
// .ci/mermaid-parse.mjs (node and .ci/install-checkers needed): each must
// parse, set no configuration (no directive took effect), and hold every
// node and edge with the label text written for it, so no label hid
// another.
//
//	.ci/install-checkers && ARCHDIAG_MERMAID_PARSE=$PWD/.ci/mermaid-parse.mjs go test ./render -run MermaidParses
func TestMermaidParses(t *testing.T) {
	script := os.Getenv("ARCHDIAG_MERMAID_PARSE")
	if script == "" {
		t.Skip("ARCHDIAG_MERMAID_PARSE is not set; set it to .ci/mermaid-parse.mjs to parse the Mermaid output with Mermaid")
	}
	models := map[string]*model.Model{"hostile": loadHostile(t), "directives": loadDirectives(t)}
	files, _ := filepath.Glob("../examples/*.yaml")
	for _, path := range files {
		models[strings.TrimSuffix(filepath.Base(path), ".yaml")] = loadExample(t, strings.TrimSuffix(filepath.Base(path), ".yaml"))
	}
	dir := t.TempDir()
	written := map[string]string{}
	var paths []string
	for name, m := range models {
		for _, opts := range []Options{{}, {Direction: "LR", Flow: firstFlow(m), Findings: []model.Finding{{Rule: "x/y%%{init}%%", Severity: model.SeverityError, Component: m.Components[0].ID}}}} {
			out, err := Mermaid(m, opts)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, name+"-"+strconv.Itoa(len(paths))+".mmd")
			if err := os.WriteFile(path, out, 0o644); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, path)
			written[path] = string(out)
		}
	}
	cmd := exec.Command("node", append([]string{script}, paths...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, stderr.String())
	}
	n := 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var p parsedMermaid
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatalf("reading %q: %v", sc.Text(), err)
		}
		n++
		src := written[p.File]
		if !p.OK {
			t.Errorf("%s does not parse: %s\n%s", filepath.Base(p.File), p.Error, src)
			continue
		}
		if len(p.Config) > 0 {
			t.Errorf("%s: a directive set %v", filepath.Base(p.File), p.Config)
		}
		wantNodes, wantEdges := mermaidLabels(src)
		got := map[string]string{}
		for _, v := range p.Nodes {
			got[v.ID] = mermaidCodes.Replace(v.Text)
		}
		for id, label := range wantNodes {
			if got[id] != label {
				t.Errorf("%s: node %s reads %q, written %q", filepath.Base(p.File), id, got[id], label)
			}
		}
		var gotEdges []string
		for _, e := range p.Edges {
			if e.Text != "" {
				gotEdges = append(gotEdges, mermaidCodes.Replace(e.Text))
			}
		}
		if strings.Join(gotEdges, "\n") != strings.Join(wantEdges, "\n") {
			t.Errorf("%s: edge labels read\n%q\nwritten\n%q", filepath.Base(p.File), gotEdges, wantEdges)
		}
		if strings.Contains(p.File, "directives") {
			all := decodeMermaid(strings.Join(append(gotEdges, got["c_web"], got["c_app"]), "\n"))
			for _, want := range []string{"x %%{init:{'theme':'dark'}}%%", "front %%{a: b }%% back", "App %%{a", "style a:b #1; classDef"} {
				if !strings.Contains(all, want) {
					t.Errorf("%s: no label reads %q once decoded:\n%s", filepath.Base(p.File), want, all)
				}
			}
		}
	}
	if n != len(paths) {
		t.Fatalf("parsed %d of %d files\n%s", n, len(paths), stderr.String())
	}
}

func firstFlow(m *model.Model) string {
	if len(m.Flows) == 0 {
		return ""
	}
	return m.Flows[0].Name
}

var (
	mermaidNode = regexp.MustCompile(`^ +(c_\w+)[\[({>/\\]{1,2}"([^"]*)"`)
	mermaidEdge = regexp.MustCompile(`^ +\w+ -\.?->\|"([^"]*)"\| \w+$`)
)

// mermaidLabels returns the node labels by id and the edge labels in order
// as written, with <br/> as Mermaid keeps it.
func mermaidLabels(src string) (map[string]string, []string) {
	nodes := map[string]string{}
	var edges []string
	for _, line := range strings.Split(src, "\n") {
		if m := mermaidNode.FindStringSubmatch(line); m != nil {
			nodes[m[1]] = strings.ReplaceAll(m[2], "<br/>", "<br>")
		} else if m := mermaidEdge.FindStringSubmatch(line); m != nil {
			edges = append(edges, strings.ReplaceAll(m[1], "<br/>", "<br>"))
		}
	}
	return nodes, edges
}

// mermaidCodes turns the placeholders Mermaid's parser keeps entity codes
// in (ﬂ°°35¶ß for #35;, ﬂ°quot¶ß for #quot;) back into the codes written.
var mermaidCodes = strings.NewReplacer("ﬂ°°", "#", "ﬂ°", "#", "¶ß", ";")

var mermaidCode = regexp.MustCompile(`#(\w+);`)

// decodeMermaid decodes entity codes as Mermaid does when it draws.
func decodeMermaid(s string) string {
	s = mermaidCode.ReplaceAllStringFunc(s, func(e string) string {
		name := e[1 : len(e)-1]
		if n, err := strconv.Atoi(name); err == nil {
			return string(rune(n))
		}
		return htmlpkg.UnescapeString("&" + name + ";")
	})
	return strings.ReplaceAll(s, "<br>", " ")
}
