package render

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/render/startup"
)

// These tests run the test binary again as a child process, because the
// compilation cache is chosen once, in package initialisation.

const childEnv = "ARCHDIAG_RENDER_TEST_CHILD"

// child renders a small model and reports what it saw after
// initialisation, one key=value per line.
func child() int {
	tmp, set := os.LookupEnv("TMPDIR")
	fmt.Printf("tmpdir=%s\ntmpdir-set=%v\ncache=%s\n", tmp, set, startup.Dir())
	gogc := debug.SetGCPercent(-1)
	debug.SetGCPercent(gogc)
	fmt.Printf("gogc=%d\n", gogc)
	m, err := model.Load("child.yaml", []byte("archdiag: 1\nname: child\ncomponents:\n  a: { kind: client, calls: [b] }\n  b: { kind: app }\n"))
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	svg, err := SVG(m, Options{})
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Printf("svg=%v\n", bytes.Contains(svg, []byte("<title>b</title>")))
	return 0
}

type childRun struct {
	vars   map[string]string
	stderr string
}

// runChild runs the child with env on top of a minimal environment.
func runChild(t *testing.T, env ...string) childRun {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append([]string{childEnv + "=1", "PATH=" + os.Getenv("PATH")}, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("child failed: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	r := childRun{vars: map[string]string{}, stderr: stderr.String()}
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			r.vars[k] = v
		}
	}
	if r.vars["svg"] != "true" {
		t.Fatalf("child did not render:\n%s", stdout.String())
	}
	return r
}

// hasCache reports whether dir holds go-graphviz's compilation cache: a
// versioned folder with compiled code in it.
func hasCache(t *testing.T, dir string) bool {
	t.Helper()
	versions, _ := filepath.Glob(filepath.Join(dir, "go-graphviz", "wazero-*"))
	for _, v := range versions {
		entries, err := os.ReadDir(v)
		if err == nil && len(entries) > 0 {
			return true
		}
	}
	return false
}

func TestCacheInChosenDir(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "cache")
	userTmp := t.TempDir()
	r := runChild(t, startup.EnvDir+"="+cache, "TMPDIR="+userTmp, "GODEBUG=inittrace=1")
	if !hasCache(t, cache) {
		t.Errorf("no compilation cache under %s", cache)
	}
	if hasCache(t, userTmp) {
		t.Errorf("a compilation cache was written to the user's TMPDIR %s", userTmp)
	}
	if r.vars["cache"] != cache {
		t.Errorf("Dir() = %q, want %q", r.vars["cache"], cache)
	}
	if r.vars["tmpdir"] != userTmp {
		t.Errorf("TMPDIR after start-up = %q, want the user's %q", r.vars["tmpdir"], userTmp)
	}
	if fi, err := os.Stat(cache); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("cache directory mode: %v %v", fi.Mode(), err)
	}
	if r.vars["gogc"] != "-1" {
		t.Errorf("GOGC after start-up = %s, want collection deferred", r.vars["gogc"])
	}
	// Initialisation order: the cache is chosen before go-graphviz compiles.
	ours := strings.Index(r.stderr, "init github.com/archdiag/archdiag/render/startup ")
	theirs := strings.Index(r.stderr, "init github.com/goccy/go-graphviz/internal/wasm ")
	if ours < 0 || theirs < 0 || ours > theirs {
		t.Errorf("startup does not initialise before go-graphviz (positions %d, %d in the init trace):\n%s", ours, theirs, r.stderr)
	}
}

func TestCacheInUserCacheDir(t *testing.T) {
	home := t.TempDir()
	r := runChild(t, "HOME="+home, "XDG_CACHE_HOME="+filepath.Join(home, "xdg"))
	want := filepath.Join(home, "xdg", "archdiag")
	if r.vars["cache"] != want || !hasCache(t, want) {
		t.Errorf("cache = %q, want a cache in %q", r.vars["cache"], want)
	}
	if r.vars["tmpdir-set"] != "false" {
		t.Errorf("TMPDIR was not set before start-up but is now %q", r.vars["tmpdir"])
	}
}

func TestCacheUnwritable(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	userTmp := t.TempDir()
	// A directory cannot be created under a regular file, even by root.
	r := runChild(t, startup.EnvDir+"="+filepath.Join(file, "cache"), "TMPDIR="+userTmp)
	if r.vars["cache"] != "" {
		t.Errorf("Dir() = %q, want none", r.vars["cache"])
	}
	if hasCache(t, userTmp) {
		t.Error("fell back to a cache in the shared temporary directory")
	}
	if r.vars["tmpdir"] != userTmp {
		t.Errorf("TMPDIR after start-up = %q, want %q", r.vars["tmpdir"], userTmp)
	}
}

// A damaged compiled module would make go-graphviz panic in its init, in
// every process; start-up removes it and the module is compiled again.
func TestCacheDamaged(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "cache")
	runChild(t, startup.EnvDir+"="+cache)
	modules, _ := filepath.Glob(filepath.Join(cache, "go-graphviz", "wazero-*", "*"))
	if len(modules) == 0 {
		t.Fatal("no compiled module in the cache")
	}
	for _, m := range modules {
		st, err := os.Stat(m)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(m, st.Size()/2); err != nil {
			t.Fatal(err)
		}
	}
	runChild(t, startup.EnvDir+"="+cache) // fails the test if the child panics
	if !hasCache(t, cache) {
		t.Error("the damaged module was not compiled and cached again")
	}
}

// A healthy compiled module is kept: removing it would cost every process
// a fresh compile.
func TestCacheKeptWhenWhole(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "cache")
	runChild(t, startup.EnvDir+"="+cache)
	modules, _ := filepath.Glob(filepath.Join(cache, "go-graphviz", "wazero-*", "*"))
	if len(modules) == 0 {
		t.Fatal("no compiled module in the cache")
	}
	before := map[string]time.Time{}
	for _, m := range modules {
		st, err := os.Stat(m)
		if err != nil {
			t.Fatal(err)
		}
		before[m] = st.ModTime()
	}
	runChild(t, startup.EnvDir+"="+cache)
	for m, mod := range before {
		if st, err := os.Stat(m); err != nil || !st.ModTime().Equal(mod) {
			t.Errorf("%s was removed or rewritten by the second start (%v)", filepath.Base(m), err)
		}
	}
}
