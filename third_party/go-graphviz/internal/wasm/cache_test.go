package wasm

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestMain(m *testing.M) {
	// Linking the package must not instantiate the module.
	if mod.live.Load() || mod.mod != nil {
		println("the module was instantiated at package initialisation")
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// newCacheDir lays out a cache root as openCache leaves it, with one sealed
// entry; it returns the root and the entry's and seal's paths.
func newCacheDir(t *testing.T) (root, entry, seal string) {
	t.Helper()
	root = t.TempDir()
	version := "wazero-" + wazeroVersion() + "-" + runtime.GOARCH + "-" + runtime.GOOS
	c := &fileCache{dir: filepath.Join(root, version), seals: filepath.Join(root, "seals", version)}
	for _, d := range []string{c.dir, c.seals} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	entry, seal = c.paths(strings.Repeat("ab", 32))
	if err := os.WriteFile(entry, []byte("WAZEVO compiled code"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := c.sealNew(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(seal); err != nil {
		t.Fatalf("no seal written: %v", err)
	}
	return root, entry, seal
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

func TestOpenCacheKeepsSealedEntry(t *testing.T) {
	root, entry, seal := newCacheDir(t)
	c, problem := openCache(root)
	if c == nil || problem != nil {
		t.Fatalf("openCache = %v, %v; want a cache and no problem", c, problem)
	}
	if !exists(entry) || !exists(seal) {
		t.Error("a sealed entry was removed")
	}
}

func TestOpenCacheRemovesDamage(t *testing.T) {
	tests := []struct {
		name    string
		damage  func(t *testing.T, entry, seal string)
		wantErr string // "" for a quiet removal
	}{
		{"byte flipped", func(t *testing.T, entry, _ string) {
			b, _ := os.ReadFile(entry)
			b[3] ^= 0x10
			os.WriteFile(entry, b, 0o600)
		}, "checksum mismatch"},
		{"truncated", func(t *testing.T, entry, _ string) { os.Truncate(entry, 4) }, "checksum mismatch"},
		{"seal damaged", func(t *testing.T, _, seal string) { os.WriteFile(seal, []byte("crc32c 0 size 0\n"), 0o600) }, "checksum mismatch"},
		{"directory", func(t *testing.T, entry, _ string) {
			os.Remove(entry)
			os.MkdirAll(filepath.Join(entry, "sub"), 0o700)
		}, "not a regular file"},
		{"dangling symlink", func(t *testing.T, entry, _ string) {
			os.Remove(entry)
			os.Symlink(filepath.Join(t.TempDir(), "gone"), entry)
		}, "not a regular file"},
		{"unsealed", func(t *testing.T, _, seal string) { os.Remove(seal) }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, entry, seal := newCacheDir(t)
			tt.damage(t, entry, seal)
			c, problem := openCache(root)
			if c == nil {
				t.Fatalf("no cache: %v", problem)
			}
			if exists(entry) || exists(seal) {
				t.Error("the damaged entry or its seal is still there")
			}
			switch {
			case tt.wantErr == "" && problem != nil:
				t.Errorf("problem %v, want none", problem)
			case tt.wantErr != "" && (problem == nil || problem.Uncached || problem.Path != entry || !strings.Contains(problem.Err.Error(), tt.wantErr)):
				t.Errorf("problem %+v, want %q about %s", problem, tt.wantErr, entry)
			}
		})
	}
}

func TestOpenCacheUnreadableEntry(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("permission bits do not stop root from reading; the archdiag tests cover this as another user")
	}
	root, entry, _ := newCacheDir(t)
	if err := os.Chmod(entry, 0); err != nil {
		t.Fatal(err)
	}
	c, problem := openCache(root)
	if c == nil || problem == nil || !errors.Is(problem, os.ErrPermission) || exists(entry) {
		t.Errorf("openCache = %v, %+v; want the unreadable entry removed and reported", c, problem)
	}
}

func TestOpenCacheNotADirectory(t *testing.T) {
	root, entry, _ := newCacheDir(t)
	dir := filepath.Dir(entry)
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	c, problem := openCache(root)
	if c == nil || problem == nil || problem.Path != dir || problem.Uncached {
		t.Fatalf("openCache = %v, %+v; want %s replaced by a directory", c, problem, dir)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Errorf("%s is not a directory again: %v", dir, err)
	}
}

func TestOpenCacheUnusable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(file, "cache") // nothing can be created under a file, even by root
	c, problem := openCache(root)
	if c != nil || problem == nil || !problem.Uncached {
		t.Errorf("openCache = %v, %+v; want no cache, said why", c, problem)
	}
}

func TestSealNewDropsOrphanSeals(t *testing.T) {
	root, entry, seal := newCacheDir(t)
	c, _ := openCache(root)
	os.Remove(entry)
	if err := c.sealNew(); err != nil {
		t.Fatal(err)
	}
	if exists(seal) {
		t.Error("the seal of a removed entry was kept")
	}
}

// The module's enumerators were copied by other packages before it ran; a
// value that disagrees with the module is an error, not a silent update.
func TestBindEnumsChecksValues(t *testing.T) {
	if err := Init(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := bindEnums(context.Background()); err != nil {
		t.Fatalf("the bindings disagree with graphviz.wasm: %v", err)
	}
	saved := RENDER_DOES_LABELS
	defer func() { RENDER_DOES_LABELS = saved }()
	RENDER_DOES_LABELS = 2
	if err := bindEnums(context.Background()); err == nil || !strings.Contains(err.Error(), "GVRENDER_DOES_LABELS") {
		t.Errorf("bindEnums = %v, want the mismatch of GVRENDER_DOES_LABELS", err)
	}
}

// A cache entry damaged where wazero does not look (the function offsets)
// crashes the process in native code; load finds the damage first, compiles
// afresh and caches the module again.
func TestLoadRepairsDamage(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	var reports []*CacheError
	report := func(e *CacheError) { reports = append(reports, e) }
	m, err := load(ctx, root, report)
	if err != nil {
		t.Fatal(err)
	}
	m.Close(ctx)
	if len(reports) != 0 {
		t.Fatalf("a fresh cache reported %v", reports[0])
	}
	entries, _ := filepath.Glob(filepath.Join(root, "wazero-*", "*"))
	if len(entries) != 1 {
		t.Fatalf("cache holds %v, want one entry", entries)
	}
	b, err := os.ReadFile(entries[0])
	if err != nil {
		t.Fatal(err)
	}
	offsets := 6 + 1 + int(b[6]) + 4 // magic, version, function count
	b[offsets+8*10+1] ^= 0x01        // the 11th function now starts 256 bytes off
	if err := os.WriteFile(entries[0], b, 0o600); err != nil {
		t.Fatal(err)
	}

	m, err = load(ctx, root, report)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close(ctx)
	if len(reports) != 1 || reports[0].Uncached || reports[0].Path != entries[0] {
		t.Fatalf("reports %v, want the damaged entry removed", reports)
	}
	if _, err := m.ExportedFunction("wasm_bridge_get_AGRAPH").Call(ctx); err != nil {
		t.Errorf("the module does not run: %v", err)
	}
	if err := checkSeal(entries[0], filepath.Join(root, "seals", filepath.Base(filepath.Dir(entries[0])), filepath.Base(entries[0]))); err != nil {
		t.Errorf("the module was not cached and sealed again: %v", err)
	}
}
