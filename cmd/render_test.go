package cmd

import (
	"os"
	"strings"
	"testing"
)

// Without --format, -o's extension chooses what is written.
func TestRenderFormatFromExtension(t *testing.T) {
	t.Chdir(t.TempDir())
	model := "archdiag: 1\nname: shop\ncomponents:\n  users: {kind: client, calls: [app]}\n  app: {kind: app}\n"
	if err := os.WriteFile("shop.yaml", []byte(model), 0o644); err != nil {
		t.Fatal(err)
	}
	for out, prefix := range map[string]string{
		"shop.svg":     "<?xml",
		"shop.dot":     "digraph",
		"shop.gv":      "digraph",
		"shop.mmd":     "flowchart",
		"shop.mermaid": "flowchart",
		"shop.txt":     "<?xml", // unknown extensions keep the default
	} {
		if code, _, stderr := run(t, "", "render", "shop.yaml", "-o", out); code != 0 {
			t.Fatalf("render -o %s: exit %d: %s", out, code, stderr)
		}
		got, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(got), prefix) {
			t.Errorf("-o %s wrote %.40q, want it to start with %q", out, got, prefix)
		}
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"examples/shop.yaml": "examples/shop.yaml",
		"my model.yaml":      "'my model.yaml'",
		"it's":               `'it'\''s'`,
		"":                   "''",
		"$HOME":              "'$HOME'",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

// Rendering over an existing diagram keeps its permissions; the default
// output drops the model's extension whatever its case; --direction takes
// either case.
func TestRenderOutputDetails(t *testing.T) {
	t.Chdir(t.TempDir())
	model := "archdiag: 1\nname: shop\ncomponents:\n  users: {kind: client}\n"
	if err := os.WriteFile("Shop.YAML", []byte(model), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, "", "render", "Shop.YAML", "--direction", "lr"); code != 0 {
		t.Fatalf("render: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat("Shop.svg"); err != nil {
		t.Fatalf("no Shop.svg beside Shop.YAML: %v", err)
	}
	if err := os.Chmod("Shop.svg", 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, "", "render", "Shop.YAML"); code != 0 {
		t.Fatalf("render again: exit %d: %s", code, stderr)
	}
	if st, err := os.Stat("Shop.svg"); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("rewritten Shop.svg has mode %v (%v), want 0600 kept", st.Mode().Perm(), err)
	}
}

// Writing through a symlink updates its target and keeps the link.
func TestOutputThroughSymlink(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.WriteFile("shop.yaml", []byte("archdiag: 1\nname: shop\ncomponents:\n  users: {kind: client}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("target.mmd", []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("target.mmd", "link.mmd"); err != nil {
		t.Skip("no symlinks here:", err)
	}
	if code, _, stderr := run(t, "", "render", "shop.yaml", "-o", "link.mmd"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if fi, err := os.Lstat("link.mmd"); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("link.mmd is no longer a symlink: %v %v", fi, err)
	}
	if got, _ := os.ReadFile("target.mmd"); !strings.HasPrefix(string(got), "flowchart") {
		t.Errorf("target.mmd = %.30q, want the diagram", got)
	}
}
