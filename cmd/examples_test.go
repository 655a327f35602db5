package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/archdiag/archdiag/model/modeltest"
)

// Every example validates and lints (its findings are pinned by the rules
// package's goldens), and the notes the command line writes, with the real
// lint findings, are the notes package's goldens.
func TestExamples(t *testing.T) {
	files, _ := filepath.Glob("../examples/*.yaml")
	if len(files) < 4 {
		t.Fatalf("found %d examples", len(files))
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		t.Run(name, func(t *testing.T) {
			rel := "examples/" + name + ".yaml"
			t.Chdir("..")
			if code, _, stderr := run(t, "", "validate", rel); code != 0 {
				t.Fatalf("validate: exit %d\n%s", code, stderr)
			}
			if code, _, stderr := run(t, "", "lint", "--fail-on", "none", rel); code != 0 {
				t.Fatalf("lint: exit %d\n%s", code, stderr)
			}
			for _, style := range []string{"interview", "study"} {
				code, out, stderr := run(t, "", "notes", "--style", style, "--svg", name+".svg", rel)
				if code != 0 {
					t.Fatalf("notes: exit %d\n%s", code, stderr)
				}
				want, err := os.ReadFile("testdata/notes/" + name + "." + style + ".md")
				if err != nil {
					t.Fatal(err)
				}
				if out != string(want) {
					t.Errorf("notes --style %s differs from testdata/notes/%s.%s.md\n%s", style, name, style, modeltest.LineDiff(want, []byte(out)))
				}
			}
			code, out, _ := run(t, "", "render", rel, "--format", "mermaid", "-o", "-")
			if code != 0 || !strings.HasPrefix(out, "flowchart") {
				t.Errorf("render mermaid: exit %d, output starts %.20q", code, out)
			}
		})
	}
}

// README shows examples/signup-email.svg, which its first command writes:
// the committed picture must be what that command renders.
func TestReadmePictureIsCurrent(t *testing.T) {
	t.Chdir("..")
	code, _, stderr := run(t, "", "render", "examples/signup-email.yaml", "--flow", "signup", "--check")
	if code != 0 {
		if *update {
			if code, _, stderr := run(t, "", "render", "examples/signup-email.yaml", "--flow", "signup"); code != 0 {
				t.Fatal(stderr)
			}
			return
		}
		t.Errorf("examples/signup-email.svg is not what README's first command renders (run go test ./cmd -update): %s", stderr)
	}
}
