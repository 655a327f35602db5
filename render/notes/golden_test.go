package notes

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/modeltest"
	"github.com/archdiag/archdiag/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/notes")

const (
	examplesDir = "../../examples"
	goldenDir   = "../../testdata/notes"
)

// exampleNames lists the example models, in name order.
func exampleNames(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(examplesDir, "*.yaml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no examples in %s: %v", examplesDir, err)
	}
	var names []string
	for _, p := range paths {
		names = append(names, strings.TrimSuffix(filepath.Base(p), ".yaml"))
	}
	return names
}

func loadExample(t testing.TB, name string) *model.Model {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(examplesDir, name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Load("examples/"+name+".yaml", src)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return m
}

// exampleFindings are the model's real lint findings, so the goldens say
// what archdiag says.
func exampleFindings(t testing.TB, m *model.Model) []model.Finding {
	t.Helper()
	fs, err := rules.Run(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	modeltest.Golden(t, path, got, *update)
}

func TestGolden(t *testing.T) {
	for _, name := range exampleNames(t) {
		for _, style := range []Style{Interview, Study} {
			t.Run(name+"/"+style.String(), func(t *testing.T) {
				m := loadExample(t, name)
				opts := Options{Style: style, Findings: exampleFindings(t, m)}
				if style == Study {
					opts.SVGPath = name + ".svg"
				}
				first, err := Markdown(m, opts)
				if err != nil {
					t.Fatal(err)
				}
				second, err := Markdown(loadExample(t, name), opts)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(first, second) {
					t.Fatal("two renders of the same model differ")
				}
				checkGolden(t, filepath.Join(goldenDir, name+"."+style.String()+".md"), first)
			})
		}
	}
}
