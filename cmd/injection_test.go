package cmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/archdiag/archdiag/model/visible"
)

// injectedName is a file name that, printed raw, puts a GitHub workflow
// command on a line of its own in a CI log.
const injectedName = "x\n::error file=README.md::INJECTED\n.yaml"

// checkShown fails when out holds a control character other than a line
// feed, a bidirectional or zero-width character, or a line that GitHub
// Actions would run as a workflow command.
func checkShown(t *testing.T, what, out string) {
	t.Helper()
	for i, r := range out {
		if r != '\n' && visible.Hidden(r) {
			t.Errorf("%s: %U at byte %d in %q", what, r, i, out)
			return
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if l := strings.TrimLeftFunc(line, unicode.IsSpace); strings.HasPrefix(l, "::") || strings.HasPrefix(l, "##[") {
			t.Errorf("%s: a line is a workflow command: %q", what, line)
		}
	}
}

// inTempDir makes a fresh folder the working directory for the test.
func inTempDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Chdir(dir)
	return dir
}

func writeModel(t *testing.T, name, src string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

const smallModel = "archdiag: 1\nname: small\ncomponents:\n  users: {kind: client, calls: [app]}\n  app: {kind: app}\n"

func TestFileNamesShownInValidate(t *testing.T) {
	inTempDir(t)
	for _, name := range []string{injectedName, "::error file=README.md::INJECTED.yaml", "e\x1b[2J\u202e.yaml"} {
		writeModel(t, name, smallModel)
		code, out, stderr := run(t, "", "validate", name)
		if code != 0 {
			t.Fatalf("validate %q: exit %d: %s", name, code, stderr)
		}
		checkShown(t, "validate stdout", out)
		if !strings.Contains(out, visible.FileName(name)+": ok:") {
			t.Errorf("validate %q printed %q", name, out)
		}
		// A broken model: every error line names the file.
		writeModel(t, name, "archdiag: 1\nname: broken\ncomponents:\n  web: {kind: webserver, instance: 2}\n")
		code, _, stderr = run(t, "", "validate", name)
		if code != 2 {
			t.Fatalf("validate %q of a broken model: exit %d", name, code)
		}
		checkShown(t, "validate stderr", stderr)
		if !strings.Contains(stderr, visible.FileName(name)+":4:") {
			t.Errorf("validate %q reported %q", name, stderr)
		}
	}
	// A missing file is an error naming it.
	_, _, stderr := run(t, "", "validate", "missing\n::error::x.yaml")
	checkShown(t, "validate missing", stderr)
}

func TestFileNamesShownInLint(t *testing.T) {
	inTempDir(t)
	writeModel(t, injectedName, smallModel)
	for _, format := range []string{"text", "github", "json", "sarif"} {
		_, out, stderr := run(t, "", "lint", "--format", format, injectedName)
		if format == "github" {
			// Workflow commands are the format: each line one of ours.
			for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
				if !strings.HasPrefix(line, "::notice file=x^J%3A%3Aerror file=README.md%3A%3AINJECTED^J.yaml,") &&
					!strings.HasPrefix(line, "::warning file=x^J%3A%3Aerror file=README.md%3A%3AINJECTED^J.yaml,") &&
					!strings.HasPrefix(line, "::error file=x^J%3A%3Aerror file=README.md%3A%3AINJECTED^J.yaml,") {
					t.Errorf("lint github: %q", line)
				}
			}
			out = ""
		}
		checkShown(t, "lint "+format, out)
		checkShown(t, "lint "+format+" stderr", stderr)
	}
	_, out, _ := run(t, "", "lint", injectedName)
	if !strings.HasPrefix(out, "x^J::error file=README.md::INJECTED^J.yaml:") {
		t.Errorf("lint text does not show the name:\n%s", out)
	}
	writeModel(t, injectedName, "archdiag: 1\nname: [\n")
	_, _, stderr := run(t, "", "lint", injectedName)
	checkShown(t, "lint stderr of a broken model", stderr)
}

func TestFileNamesShownInRender(t *testing.T) {
	inTempDir(t)
	writeModel(t, injectedName, smallModel)
	code, _, stderr := run(t, "", "render", "--format", "mermaid", "--check", injectedName)
	if code != 1 {
		t.Fatalf("render --check of a missing diagram: exit %d: %s", code, stderr)
	}
	checkShown(t, "render --check", stderr)
	// The hint still names the file, as a shell reads it back.
	hint := `$'x\n::error file=README.md::INJECTED\n.yaml'`
	if !strings.Contains(stderr, "run archdiag render "+hint+" --format mermaid to create it") {
		t.Fatalf("render --check hint: %q", stderr)
	}
	if bash, err := exec.LookPath("bash"); err == nil {
		out, err := exec.Command(bash, "-c", "printf %s "+hint).Output()
		if err != nil || string(out) != injectedName {
			t.Errorf("bash reads the hint's name as %q (%v)", out, err)
		}
	}
	code, _, stderr = run(t, "", "render", "--format", "mermaid", injectedName)
	if code != 0 {
		t.Fatalf("render: exit %d: %s", code, stderr)
	}
	checkShown(t, "render", stderr)
	if _, err := os.Stat(strings.TrimSuffix(injectedName, ".yaml") + ".mmd"); err != nil {
		t.Errorf("the diagram was not written beside the model: %v", err)
	}
	code, _, stderr = run(t, "", "render", "--format", "mermaid", "--check", injectedName)
	checkShown(t, "render --check current", stderr)
	if code != 0 || !strings.Contains(stderr, "x^J::error file=README.md::INJECTED^J.mmd is current") {
		t.Errorf("render --check: exit %d: %q", code, stderr)
	}
}

func TestFileNamesShownInNotesAndInit(t *testing.T) {
	dir := inTempDir(t)
	writeModel(t, "m.yaml", smallModel)
	out := filepath.Join(dir, "n\n::error::x.md")
	if code, _, stderr := run(t, "", "notes", "-o", out, "m.yaml"); code != 0 {
		t.Fatalf("notes: %s", stderr)
	} else {
		checkShown(t, "notes", stderr)
	}
	code, _, stderr := run(t, "", "init", "::error::init\u202e.yaml")
	if code != 0 {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	checkShown(t, "init", stderr)
	if !strings.Contains(stderr, `check it with: archdiag validate $'::error::init\u202e.yaml'`) {
		t.Errorf("init: %q", stderr)
	}
}

func TestShellQuoteShowsHiddenCharacters(t *testing.T) {
	for in, want := range map[string]string{
		"plain.yaml":            "plain.yaml",
		"with space.yaml":       "'with space.yaml'",
		"it's.yaml":             `'it'\''s.yaml'`,
		"a\nb'c\\d\x1b\xff.y":   `$'a\nb\'c\\d\x1b\xff.y'`,
		"rtl\u202e\U000E0041.y": `$'rtl\u202e\U000e0041.y'`,
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
