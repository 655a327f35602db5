package cmd

import (
	"path/filepath"
	"strings"
	"testing"
)

// Every example validates and lints (its findings are pinned by the rules
// package's goldens), and its notes, with the real lint findings, match the
// goldens under testdata/examples.
func TestExamples(t *testing.T) {
	files, _ := filepath.Glob("../examples/*.yaml")
	if len(files) < 4 {
		t.Fatalf("found %d examples", len(files))
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		t.Run(name, func(t *testing.T) {
			rel := "examples/" + name + ".yaml"
			t.Chdir("..") // positions in the goldens read examples/NAME.yaml
			if code, _, stderr := run(t, "", "validate", rel); code != 0 {
				t.Fatalf("validate: exit %d\n%s", code, stderr)
			}
			if code, _, stderr := run(t, "", "lint", "--fail-on", "none", rel); code != 0 {
				t.Fatalf("lint: exit %d\n%s", code, stderr)
			}
			code, out, stderr := run(t, "", "notes", "--style", "all", "--svg", name+".svg", rel)
			if code != 0 {
				t.Fatalf("notes: exit %d\n%s", code, stderr)
			}
			golden(t, "testdata/examples/"+name+".notes.md", []byte(out))
			code, out, _ = run(t, "", "render", rel, "--format", "mermaid", "-o", "-")
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
