package cmd

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/archdiag/archdiag/render"
)

// Graphviz and its compilation cache are set up once per process, at the
// first layout, so these tests run each command in a child process: the
// test binary again, running TestCacheChild.

const cacheChildEnv = "ARCHDIAG_CACHE_CHILD_ARGS"

func TestCacheChild(t *testing.T) {
	args := os.Getenv(cacheChildEnv)
	if args == "" {
		t.Skip("runs a command for the cache tests, as their child process")
	}
	os.Exit(Main(strings.Split(args, "\x1f"), SystemIO()))
}

type cliRun struct {
	code           int
	stdout, stderr string
}

// runCLI runs archdiag args in a child process with the compilation cache in
// cache and the temporary directory tmp.
func runCLI(t *testing.T, cache, tmp string, args ...string) cliRun {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCacheChild$")
	cmd.Env = []string{cacheChildEnv + "=" + strings.Join(args, "\x1f"), render.EnvCacheDir + "=" + cache, "TMPDIR=" + tmp, "PATH=" + os.Getenv("PATH")}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return cliRun{cmd.ProcessState.ExitCode(), stdout.String(), stderr.String()}
}

const cacheModel = "../examples/signup-email.yaml"

// Commands that do not draw with Graphviz; DOT and Mermaid are written by
// archdiag itself.
var nonDrawing = [][]string{
	{"--help"},
	{"version"},
	{"validate", cacheModel},
	{"lint", cacheModel},
	{"lint", cacheModel, "--format", "sarif"},
	{"notes", cacheModel},
	{"notes", cacheModel, "--style", "study"},
	{"schema"},
	{"rules"},
	{"explain", "auth/missing-salt"},
	{"completion", "bash"},
	{"render", cacheModel, "--format", "dot", "-o", "-"},
	{"render", cacheModel, "--format", "mermaid", "-o", "-"},
}

var drawing = []string{"render", cacheModel, "-o", "-"}

// snapshot lists every path under dir with its mode and content.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			b.WriteString(path + " " + err.Error() + "\n")
			return nil
		}
		fi, _ := d.Info()
		b.WriteString(path + " " + fi.Mode().String() + "\n")
		if d.Type().IsRegular() {
			data, _ := os.ReadFile(path)
			b.Write(data)
		}
		return nil
	})
	return b.String()
}

// Commands that do not draw never load Graphviz, so they never create, read
// or repair its cache, whatever state it is in; a render repairs a damaged
// cache, says so in one line and draws the same picture.
func TestCommandsAndTheCompilationCache(t *testing.T) {
	fresh := filepath.Join(t.TempDir(), "cache")
	tmp := t.TempDir() // where go-graphviz cached by default
	want := map[string]cliRun{}
	for _, args := range nonDrawing {
		r := runCLI(t, fresh, tmp, args...)
		want[strings.Join(args, " ")] = r
		if _, err := os.Lstat(fresh); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("archdiag %s touched the compilation cache (%v)", strings.Join(args, " "), err)
		}
		if found, _ := filepath.Glob(filepath.Join(tmp, "*")); len(found) > 0 {
			t.Fatalf("archdiag %s wrote %v", strings.Join(args, " "), found)
		}
		if r.code > 1 {
			t.Errorf("archdiag %s: exit %d\n%s", strings.Join(args, " "), r.code, r.stderr)
		}
	}
	clean := runCLI(t, fresh, tmp, drawing...)
	if clean.code != 0 || clean.stderr != "" || !strings.Contains(clean.stdout, "<svg") {
		t.Fatalf("render: exit %d, stderr %q", clean.code, clean.stderr)
	}
	entries, _ := filepath.Glob(filepath.Join(fresh, "go-graphviz", "wazero-*", "*"))
	if len(entries) != 1 {
		t.Fatalf("cache holds %v, want one compiled module", entries)
	}
	rel, _ := filepath.Rel(fresh, entries[0])

	damages := []struct {
		name   string
		damage func(entry string) error
	}{
		{"byte flipped", func(entry string) error {
			b, err := os.ReadFile(entry)
			if err == nil {
				b[len(b)/2] ^= 0xff
				err = os.WriteFile(entry, b, 0o600)
			}
			return err
		}},
		{"function offsets shifted", func(entry string) error {
			b, err := os.ReadFile(entry)
			if err == nil {
				at := 6 + 1 + int(b[6]) + 4 // after wazero's magic, version and function count
				for i := range 16 {
					b[at+8*i] += 16
				}
				err = os.WriteFile(entry, b, 0o600)
			}
			return err
		}},
		{"directory in its place", func(entry string) error {
			if err := os.Remove(entry); err != nil {
				return err
			}
			return os.MkdirAll(filepath.Join(entry, "x"), 0o700)
		}},
		{"unopenable", func(entry string) error {
			// A link to itself: opening it fails for every user, root included.
			if err := os.Remove(entry); err != nil {
				return err
			}
			return os.Symlink(filepath.Base(entry), entry)
		}},
	}
	for _, d := range damages {
		t.Run(d.name, func(t *testing.T) {
			cache := filepath.Join(t.TempDir(), "cache")
			if err := os.CopyFS(cache, os.DirFS(fresh)); err != nil {
				t.Fatal(err)
			}
			entry := filepath.Join(cache, rel)
			if err := d.damage(entry); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, cache)
			for _, args := range nonDrawing {
				name := strings.Join(args, " ")
				if r := runCLI(t, cache, tmp, args...); r != want[name] {
					t.Errorf("archdiag %s with a damaged cache: exit %d, stderr %q; want exit %d, stderr %q, and the same output", name, r.code, r.stderr, want[name].code, want[name].stderr)
				}
				if snapshot(t, cache) != before {
					t.Fatalf("archdiag %s changed the compilation cache", name)
				}
			}
			r := runCLI(t, cache, tmp, drawing...)
			if r.code != 0 || r.stdout != clean.stdout {
				t.Errorf("render with a damaged cache: exit %d, same SVG %v; stderr %q", r.code, r.stdout == clean.stdout, r.stderr)
			}
			if strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "damaged") || !strings.Contains(r.stderr, entry) {
				t.Errorf("render with a damaged cache said %q, want one line naming the damaged entry", r.stderr)
			}
			if r := runCLI(t, cache, tmp, drawing...); r.stderr != "" || r.stdout != clean.stdout {
				t.Errorf("the render after the repair said %q", r.stderr)
			}
		})
	}
}
