package notes

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/archdiag/archdiag/model"
)

// TestMarkdownlint runs markdownlint-cli2 with its default rules (line
// length aside) on the notes of every example in every style. It runs
// when ARCHDIAG_MARKDOWNLINT names the markdownlint-cli2 binary:
//
//	npm install markdownlint-cli2
//	ARCHDIAG_MARKDOWNLINT=$PWD/node_modules/.bin/markdownlint-cli2 go test ./render/notes/
func TestMarkdownlint(t *testing.T) {
	bin := os.Getenv("ARCHDIAG_MARKDOWNLINT")
	if bin == "" {
		t.Skip("ARCHDIAG_MARKDOWNLINT is not set")
	}
	config, err := filepath.Abs(filepath.Join(goldenDir, ".markdownlint-cli2.jsonc"))
	if err != nil {
		t.Fatal(err)
	}
	lint := func(files ...string) ([]byte, error) {
		args := []string{"--config", config}
		for _, f := range files {
			args = append(args, ":"+f) // a literal path, not a glob
		}
		cmd := exec.Command(bin, args...)
		cmd.Dir = t.TempDir()
		return cmd.CombinedOutput()
	}

	dir := t.TempDir()
	// The linter must fail on a broken file, or a pass below proves nothing.
	bad := filepath.Join(dir, "bad.md")
	if err := os.WriteFile(bad, []byte("# one\n# two\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := lint(bad); err == nil {
		t.Fatalf("markdownlint accepted a file with two top-level headings and no blank lines:\n%s", out)
	}

	models := map[string]*model.Model{}
	names := exampleNames(t)
	for _, name := range names {
		models[name] = loadExample(t, name)
	}
	for _, in := range inlineNames {
		models[in.name] = inlineModel(t, in.name, in.args...)
		names = append(names, in.name)
	}
	var files []string
	for _, name := range names {
		m := models[name]
		for _, style := range []Style{Interview, Study, All} {
			md, err := Markdown(m, Options{Style: style, Findings: exampleFindings(t, m), SVGPath: name + ".svg"})
			if err != nil {
				t.Fatal(err)
			}
			f := filepath.Join(dir, name+"."+style.String()+".md")
			if err := os.WriteFile(f, md, 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
	}
	if out, err := lint(files...); err != nil {
		t.Errorf("markdownlint-cli2: %v\n%s", err, out)
	}
}
