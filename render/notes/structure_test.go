package notes

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/render"
)

type heading struct {
	level int
	text  string
}

// parse reads md as CommonMark and returns its headings in document order
// and its fenced code blocks by info string.
func parse(t *testing.T, md []byte) (hs []heading, fences map[string][]string) {
	t.Helper()
	doc := goldmark.New().Parser().Parse(text.NewReader(md))
	fences = map[string][]string{}
	err := ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			hs = append(hs, heading{n.Level, inlineText(n, md)})
			return ast.WalkSkipChildren, nil
		case *ast.FencedCodeBlock:
			var b bytes.Buffer
			for i := 0; i < n.Lines().Len(); i++ {
				seg := n.Lines().At(i)
				b.Write(seg.Value(md))
			}
			lang := string(n.Language(md))
			fences[lang] = append(fences[lang], b.String())
		}
		return ast.WalkContinue, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hs, fences
}

func inlineText(n ast.Node, src []byte) string {
	var b strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			b.Write(util.UnescapePunctuations(c.Segment.Value(src)))
		case *ast.String:
			b.Write(c.Value)
		default:
			b.WriteString(inlineText(c, src))
		}
	}
	return b.String()
}

func at(hs []heading, level int) []string {
	var out []string
	for _, h := range hs {
		if h.level == level {
			out = append(out, h.text)
		}
	}
	return out
}

// under returns the headings of level+1 between the heading titled parent
// and the next heading of its level or above.
func under(hs []heading, parent string) []string {
	var out []string
	for i, h := range hs {
		if h.text != parent {
			continue
		}
		for _, k := range hs[i+1:] {
			if k.level <= h.level {
				break
			}
			if k.level == h.level+1 {
				out = append(out, k.text)
			}
		}
	}
	return out
}

var interviewSections = []string{secSystem, secNumbers, secDesign, secFlows, secDeep, secRisks, secScaling, secWrapUp}

func checkLevels(t *testing.T, hs []heading) {
	t.Helper()
	if len(hs) == 0 || hs[0].level != 1 {
		t.Fatalf("the document must open with a level-1 heading, got %v", hs)
	}
	if n := len(at(hs, 1)); n != 1 {
		t.Errorf("%d level-1 headings, want 1", n)
	}
	for i := 1; i < len(hs); i++ {
		if hs[i].level > hs[i-1].level+1 {
			t.Errorf("heading %q (level %d) skips a level after %q", hs[i].text, hs[i].level, hs[i-1].text)
		}
	}
	seen := map[string]bool{}
	for _, h := range hs {
		if seen[h.text] {
			t.Errorf("duplicate heading %q", h.text)
		}
		seen[h.text] = true
	}
}

func TestInterviewHeadings(t *testing.T) {
	for _, name := range exampleNames(t) {
		t.Run(name, func(t *testing.T) {
			m := loadExample(t, name)
			md, err := Markdown(m, Options{Style: Interview, Findings: exampleFindings(t, m)})
			if err != nil {
				t.Fatal(err)
			}
			hs, _ := parse(t, md)
			checkLevels(t, hs)
			if got, want := hs[0].text, m.Name.Val+": interview speaking notes"; got != want {
				t.Errorf("title %q, want %q", got, want)
			}
			if got := at(hs, 2); !slices.Equal(got, interviewSections) {
				t.Errorf("sections:\n got %q\nwant %q", got, interviewSections)
			}
			var flows []string
			for _, f := range m.Flows {
				flows = append(flows, "Flow: "+f.Name)
			}
			if got := under(hs, secFlows); !slices.Equal(got, flows) {
				t.Errorf("flow headings %q, want %q", got, flows)
			}
			dives := under(hs, secDeep)
			all := []string{diveSessions, diveCaching, diveData, diveQueues, diveExternal, diveSharding, diveAuth, diveSurge}
			if len(dives) == 0 {
				t.Error("no deep dives")
			}
			// Deep dives appear in the fixed order, each at most once.
			i := 0
			for _, dv := range dives {
				for i < len(all) && all[i] != dv {
					i++
				}
				if i == len(all) {
					t.Errorf("deep dives %q are not an ordered subset of %q", dives, all)
					break
				}
			}
		})
	}
}

// The deep dives follow what the model contains.
func TestDeepDivesFollowModel(t *testing.T) {
	want := map[string][]string{
		"three-tier":   {diveSessions, diveData},
		"signup-email": {diveSessions, diveData, diveQueues, diveExternal, diveAuth},
		"n-tier":       {diveSessions, diveCaching, diveData, diveQueues, diveSharding},
		"ticket-surge": {diveSessions, diveCaching, diveData, diveQueues, diveExternal, diveSurge},
	}
	for name, dives := range want {
		m := loadExample(t, name)
		md, err := Markdown(m, Options{Style: Interview})
		if err != nil {
			t.Fatal(err)
		}
		hs, _ := parse(t, md)
		if got := under(hs, secDeep); !slices.Equal(got, dives) {
			t.Errorf("%s: deep dives %q, want %q", name, got, dives)
		}
	}
}

func TestStudyHeadings(t *testing.T) {
	for _, name := range exampleNames(t) {
		t.Run(name, func(t *testing.T) {
			m := loadExample(t, name)
			md, err := Markdown(m, Options{Style: Study})
			if err != nil {
				t.Fatal(err)
			}
			hs, fences := parse(t, md)
			checkLevels(t, hs)
			if got, want := at(hs, 2), []string{secDiagram, secComponents, secConcepts}; !slices.Equal(got, want) {
				t.Errorf("sections %q, want %q", got, want)
			}
			var kinds []string
			for _, ki := range model.Kinds {
				for _, c := range m.Components {
					if c.Kind.Val == ki.Kind {
						kinds = append(kinds, capitalize(ki.Title))
						break
					}
				}
			}
			if got := under(hs, secComponents); !slices.Equal(got, kinds) {
				t.Errorf("component cards %q, want %q", got, kinds)
			}
			concepts := under(hs, secConcepts)
			if len(concepts) == 0 || concepts[0] != "The 3-tier to N-tier path" {
				t.Errorf("concept cards %q should open with the 3-tier to N-tier path", concepts)
			}
			want, err := render.Mermaid(m, render.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := fences["mermaid"]; len(got) != 1 || strings.TrimSpace(got[0]) != strings.TrimSpace(string(want)) {
				t.Errorf("want exactly one mermaid block holding render.Mermaid's output, got %d blocks", len(got))
			}
		})
	}
}

func TestAllHeadings(t *testing.T) {
	m := loadExample(t, "n-tier")
	md, err := Markdown(m, Options{Style: All, SVGPath: "n-tier.svg"})
	if err != nil {
		t.Fatal(err)
	}
	hs, _ := parse(t, md)
	checkLevels(t, hs)
	if got, want := at(hs, 2), []string{"n-tier: interview speaking notes", "n-tier: study notes"}; !slices.Equal(got, want) {
		t.Errorf("parts %q, want %q", got, want)
	}
	if got := under(hs, "n-tier: interview speaking notes"); !slices.Equal(got, interviewSections) {
		t.Errorf("interview sections %q, want %q", got, interviewSections)
	}
	if got, want := under(hs, "n-tier: study notes"), []string{secDiagram, secComponents, secConcepts}; !slices.Equal(got, want) {
		t.Errorf("study sections %q, want %q", got, want)
	}
}
