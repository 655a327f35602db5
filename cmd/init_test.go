package cmd

import (
	"os"
	"strings"
	"testing"

	"github.com/archdiag/archdiag/model"
)

// Every template writes a model that loads, points editors at the
// published schema, and is never written over.
func TestInitWritesValidModels(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, name := range templates() {
		file := name + "-start.yaml"
		code, _, stderr := run(t, "", "init", "--template", name, file)
		if code != 0 {
			t.Fatalf("init --template %s: exit %d: %s", name, code, stderr)
		}
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := model.Load(file, src); err != nil {
			t.Errorf("%s does not load: %v", file, err)
		}
		if !strings.HasPrefix(string(src), "# yaml-language-server: $schema="+model.SchemaID+"\n") {
			t.Errorf("%s does not start with the schema comment", file)
		}
		if code, _, _ := run(t, "", "init", "--template", name, file); code != ExitError {
			t.Errorf("second init into %s: exit %d, want %d", file, code, ExitError)
		}
		if again, _ := os.ReadFile(file); string(again) != string(src) {
			t.Errorf("%s was changed by the refused init", file)
		}
	}
	entries, _ := os.ReadDir(".")
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("a temporary file was left behind: %s", e.Name())
		}
	}
}

// Shell completion offers the formats and rule ids.
func TestCompletion(t *testing.T) {
	_, out, _ := run(t, "", "__complete", "lint", "--format", "")
	for _, f := range []string{"text", "json", "sarif", "github"} {
		if !strings.Contains(out, f+"\n") {
			t.Errorf("lint --format completion lacks %s:\n%s", f, out)
		}
	}
	_, out, _ = run(t, "", "__complete", "explain", "spof/")
	if !strings.Contains(out, "spof/single-instance\t") {
		t.Errorf("explain completion lacks spof/single-instance:\n%s", out)
	}
	if code, out, _ := run(t, "", "completion", "bash"); code != 0 || !strings.Contains(out, "archdiag") {
		t.Errorf("completion bash: exit %d", code)
	}
}
