package cmd

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// runTTY runs archdiag as if standard output were a terminal; color is
// what SystemIO decides from NO_COLOR and TERM.
func runTTY(t *testing.T, color bool, args ...string) (int, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(args, IO{In: strings.NewReader(""), Out: &out, Err: &errOut, OutTTY: true, Color: color, Width: 90, Dark: func() bool { return true }})
	return code, out.String()
}

// On a terminal, notes are styled and lint is coloured; with NO_COLOR (or
// piped) both are plain.
func TestTerminalOutput(t *testing.T) {
	t.Chdir("..")
	const esc = "\x1b["
	if _, out := runTTY(t, true, "notes", "examples/three-tier.yaml"); !strings.Contains(out, esc) || strings.Contains(out, "## 1.") {
		t.Errorf("notes on a terminal are not styled:\n%.300s", out)
	}
	if _, out := runTTY(t, false, "notes", "examples/three-tier.yaml"); strings.Contains(out, esc) || !strings.Contains(out, "## 1. The system in two sentences") {
		t.Errorf("notes with NO_COLOR are not plain markdown:\n%.300s", out)
	}
	if _, out := runTTY(t, false, "notes", "--format", "terminal", "examples/three-tier.yaml"); !strings.Contains(out, esc) {
		t.Errorf("--format terminal is not styled")
	}
	if _, out := runTTY(t, true, "lint", "examples/three-tier.yaml"); !strings.Contains(out, esc) {
		t.Errorf("lint on a terminal is not coloured:\n%.300s", out)
	}
	if _, out := runTTY(t, false, "lint", "examples/three-tier.yaml"); strings.Contains(out, esc) {
		t.Errorf("lint with NO_COLOR is coloured")
	}
	if _, out, _ := run(t, "", "version"); !strings.HasPrefix(out, "archdiag ") {
		t.Errorf("version printed %q", out)
	}
}

// -o writes markdown to a file, leaving no temporary file behind.
func TestNotesOutputFile(t *testing.T) {
	src, err := os.ReadFile("../examples/three-tier.yaml")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	if err := os.WriteFile("m.yaml", src, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, "", "notes", "--style", "study", "-o", "STUDY.md", "m.yaml"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	md, err := os.ReadFile("STUDY.md")
	if err != nil || !bytes.HasPrefix(md, []byte("# ")) {
		t.Fatalf("STUDY.md: %v %.40q", err, md)
	}
	entries, _ := os.ReadDir(".")
	if len(entries) != 2 {
		t.Errorf("files left: %v", entries)
	}
}

func TestColorAllowed(t *testing.T) {
	for _, tt := range []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{}, true},
		{map[string]string{"NO_COLOR": "1"}, false},
		{map[string]string{"NO_COLOR": ""}, true}, // set but empty does not count
		{map[string]string{"TERM": "dumb"}, false},
		{map[string]string{"TERM": "xterm-256color"}, true},
	} {
		if got := colorAllowed(func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("colorAllowed(%v) = %v, want %v", tt.env, got, tt.want)
		}
	}
}
