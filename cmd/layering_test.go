package cmd

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/archdiag/archdiag/"

// TestLayering keeps the dependency direction cmd → {rules, render} →
// model/analysis → model: model imports nothing of archdiag, and rules and
// render talk only through model types and the facts model/analysis
// derives from them. Test files may import more.
func TestLayering(t *testing.T) {
	allowed := map[string][]string{
		"model":                    nil,
		"model/modeltest":          nil,
		"model/modeltest/genmodel": {"model/modeltest"},
		"model/visible":            nil,
		"model/analysis":           {"model"},
		"rules":                    {"model", "model/visible", "model/analysis"},
		"rules/rulestest":          {"model", "rules"},
		"render":                   {"model", "model/visible"},
		"render/notes":             {"model", "model/visible", "model/analysis", "render"},
	}
	for dir, ok := range allowed { // each directory is checked on its own
		files, err := filepath.Glob(filepath.Join("..", dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no Go files (%v)", dir, err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			ast, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range ast.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				if rest, ours := strings.CutPrefix(path, module); ours && !slices.Contains(ok, rest) {
					t.Errorf("%s imports %s; %s may import only %v of archdiag", f, path, dir, ok)
				}
			}
		}
	}
}
