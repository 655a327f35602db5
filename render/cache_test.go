package render

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/archdiag/archdiag/model"
)

// These tests run the test binary again as a child process, because the
// Graphviz module and its compilation cache are set up once per process, at
// the first layout.

const childEnv = "ARCHDIAG_RENDER_TEST_CHILD"

const childModel = "archdiag: 1\nname: child\ncomponents:\n  a: { kind: client, calls: [b] }\n  b: { kind: app }\n"

// child renders childModel and prints the SVG. Diagnostics go to standard
// error.
func child() int {
	m, err := model.Load("child.yaml", []byte(childModel))
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	svg, err := SVG(m, Options{})
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	os.Stdout.Write(svg)
	return 0
}

type childRun struct {
	svg    []byte
	stderr string
}

// runChild runs the child with env on top of a minimal environment and
// checks that it rendered what this process renders.
func runChild(t *testing.T, env ...string) childRun {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return runChildAs(t, exe, nil, env...)
}

func runChildAs(t *testing.T, exe string, attr *syscall.SysProcAttr, env ...string) childRun {
	t.Helper()
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append([]string{childEnv + "=1", "PATH=" + os.Getenv("PATH")}, env...)
	cmd.SysProcAttr = attr
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("child failed: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	r := childRun{svg: stdout.Bytes(), stderr: stderr.String()}
	if want := wantChildSVG(t); !bytes.Equal(r.svg, want) {
		t.Fatalf("the child's SVG differs from this process's (%d bytes, want %d):\n%s\nstderr:\n%s", len(r.svg), len(want), stdout.String(), r.stderr)
	}
	return r
}

var childSVG []byte

// wantChildSVG is childModel rendered by this process, whatever its cache.
func wantChildSVG(t *testing.T) []byte {
	t.Helper()
	if childSVG == nil {
		m, err := model.Load("child.yaml", []byte(childModel))
		if err != nil {
			t.Fatal(err)
		}
		if childSVG, err = SVG(m, Options{Diagnostics: io.Discard}); err != nil {
			t.Fatal(err)
		}
	}
	return childSVG
}

// cacheEntries lists the compiled modules under root, the folder archdiag
// gives go-graphviz.
func cacheEntries(root string) []string {
	entries, _ := filepath.Glob(filepath.Join(root, "go-graphviz", "wazero-*", "*"))
	return entries
}

// sealOf is the path of entry's seal.
func sealOf(entry string) string {
	version := filepath.Dir(entry)
	return filepath.Join(filepath.Dir(version), "seals", filepath.Base(version), filepath.Base(entry))
}

func TestCacheInChosenDir(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "cache")
	userTmp := t.TempDir()
	r := runChild(t, EnvCacheDir+"="+cache, "TMPDIR="+userTmp)
	entries := cacheEntries(cache)
	if len(entries) != 1 {
		t.Fatalf("cache holds %v, want one compiled module", entries)
	}
	if _, err := os.Stat(sealOf(entries[0])); err != nil {
		t.Errorf("the compiled module is not sealed: %v", err)
	}
	if found, _ := filepath.Glob(filepath.Join(userTmp, "*")); len(found) > 0 {
		t.Errorf("the render wrote to the user's TMPDIR: %v", found)
	}
	if fi, err := os.Stat(cache); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("cache directory mode: %v %v", fi.Mode(), err)
	}
	if r.stderr != "" {
		t.Errorf("stderr: %s", r.stderr)
	}
}

func TestCacheInUserCacheDir(t *testing.T) {
	home := t.TempDir()
	r := runChild(t, "HOME="+home, "XDG_CACHE_HOME="+filepath.Join(home, "xdg"))
	if len(cacheEntries(filepath.Join(home, "xdg", "archdiag"))) != 1 || r.stderr != "" {
		t.Errorf("no compiled module under %s (stderr %q)", filepath.Join(home, "xdg", "archdiag"), r.stderr)
	}
}

// A healthy compiled module is kept: removing it would cost every process
// a fresh compile.
func TestCacheKeptWhenWhole(t *testing.T) {
	cache := t.TempDir()
	runChild(t, EnvCacheDir+"="+cache)
	entries := cacheEntries(cache)
	if len(entries) != 1 {
		t.Fatalf("cache holds %v, want one compiled module", entries)
	}
	before, err := os.Stat(entries[0])
	if err != nil {
		t.Fatal(err)
	}
	r := runChild(t, EnvCacheDir+"="+cache)
	if after, err := os.Stat(entries[0]); err != nil || !after.ModTime().Equal(before.ModTime()) || r.stderr != "" {
		t.Errorf("the module was removed or rewritten by the second render (%v; stderr %q)", err, r.stderr)
	}
}

// wantOneLine checks that stderr is one line holding each of parts.
func wantOneLine(t *testing.T, stderr string, parts ...string) {
	t.Helper()
	if strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") {
		t.Errorf("stderr is not one line:\n%s", stderr)
	}
	for _, p := range parts {
		if !strings.Contains(stderr, p) {
			t.Errorf("stderr does not say %q:\n%s", p, stderr)
		}
	}
}

// With no cache that can be written, a render still works and says once
// how to give it one; nothing falls back to the shared temporary directory.
func TestCacheUnwritable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	userTmp := t.TempDir()
	// A directory cannot be created under a regular file, even by root.
	r := runChild(t, EnvCacheDir+"="+filepath.Join(file, "cache"), "TMPDIR="+userTmp)
	wantOneLine(t, r.stderr, "without a cache", "not a directory", EnvCacheDir)
	if found, _ := filepath.Glob(filepath.Join(userTmp, "*")); len(found) > 0 {
		t.Errorf("fell back to the temporary directory: %v", found)
	}
}

func TestCacheNoCacheDir(t *testing.T) {
	// Neither $ARCHDIAG_CACHE_DIR, $XDG_CACHE_HOME nor $HOME.
	r := runChild(t, "TMPDIR="+t.TempDir())
	wantOneLine(t, r.stderr, "without a cache", EnvCacheDir)
}

// A cache entry written before seals existed is compiled and sealed again,
// quietly: nothing was wrong with it as far as anyone knows.
func TestCacheUnsealedEntryReplaced(t *testing.T) {
	cache := t.TempDir()
	runChild(t, EnvCacheDir+"="+cache)
	entries := cacheEntries(cache)
	if len(entries) != 1 {
		t.Fatalf("cache holds %v, want one compiled module", entries)
	}
	if err := os.Remove(sealOf(entries[0])); err != nil {
		t.Fatal(err)
	}
	r := runChild(t, EnvCacheDir+"="+cache)
	if r.stderr != "" {
		t.Errorf("stderr: %s", r.stderr)
	}
	if _, err := os.Stat(sealOf(entries[0])); err != nil {
		t.Errorf("the module was not sealed again: %v", err)
	}
}

// warm returns a cache directory holding one compiled, sealed module, and
// the module's bytes.
func warm(t *testing.T) (string, []byte) {
	t.Helper()
	dir := t.TempDir()
	runChild(t, EnvCacheDir+"="+dir)
	entries := cacheEntries(dir)
	if len(entries) != 1 {
		t.Fatalf("cache holds %v, want one compiled module", entries)
	}
	b, err := os.ReadFile(entries[0])
	if err != nil {
		t.Fatal(err)
	}
	return dir, b
}

// copyTree copies the directory tree src to dst, keeping modes.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(path string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		to := filepath.Join(dst, rel)
		if fi.IsDir() {
			return os.MkdirAll(to, fi.Mode().Perm())
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, fi.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}

// rewrite applies change to the bytes of the file at path.
func rewrite(t *testing.T, path string, change func([]byte)) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	change(b)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// functionOffsets is where the table of function offsets starts in a
// compiled module: after wazero's magic, its version and the function count.
func functionOffsets(b []byte) int { return 6 + 1 + int(b[6]) + 4 }

// Every way of damaging the compiled module that used to crash every
// command, --help included, costs one render a fresh compile and one line
// on stderr; the output is unchanged and the next render finds the module
// cached again. (Commands that do not draw never read the cache: the cmd
// tests check that.)
func TestCacheDamaged(t *testing.T) {
	src, whole := warm(t)
	tests := []struct {
		name   string
		damage func(t *testing.T, entry string)
		reason string
		// asOther runs the render as another user (root reads any file).
		asOther bool
	}{
		{"byte flipped in the code", func(t *testing.T, entry string) {
			rewrite(t, entry, func(b []byte) { b[len(b)/2] ^= 0xff })
		}, "checksum mismatch", false},
		{"function offsets shifted", func(t *testing.T, entry string) {
			// The code's own checksum still matches: wazero would jump into
			// the middle of functions and crash.
			rewrite(t, entry, func(b []byte) {
				at := functionOffsets(b)
				for i := range 16 {
					b[at+8*i] += 16
				}
			})
		}, "checksum mismatch", false},
		{"truncated", func(t *testing.T, entry string) {
			if err := os.Truncate(entry, int64(len(whole)/2)); err != nil {
				t.Fatal(err)
			}
		}, "checksum mismatch", false},
		{"directory in its place", func(t *testing.T, entry string) {
			if err := os.Remove(entry); err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(filepath.Join(entry, "x"), 0o700); err != nil {
				t.Fatal(err)
			}
		}, "not a regular file", false},
		{"dangling symbolic link in its place", func(t *testing.T, entry string) {
			if err := os.Remove(entry); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(filepath.Join(filepath.Dir(entry), "gone"), entry); err != nil {
				t.Fatal(err)
			}
		}, "not a regular file", false},
		{"readable only by another user", func(t *testing.T, entry string) {
			if err := os.Chmod(entry, 0o600); err != nil {
				t.Fatal(err)
			}
			if os.Geteuid() != 0 {
				if err := os.Chmod(entry, 0); err != nil {
					t.Fatal(err)
				}
			}
		}, "permission denied", true},
		{"seal damaged", func(t *testing.T, entry string) {
			rewrite(t, sealOf(entry), func(b []byte) { b[len("crc32c ")] ^= 0x01 })
		}, "checksum mismatch", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			exe, attr, owner := childExecutable(t, tt.asOther)
			base := t.TempDir()
			if tt.asOther {
				// The other user needs to reach the cache through the test's
				// own folders.
				if err := os.Chmod(filepath.Dir(base), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(base, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			cache := filepath.Join(base, "cache")
			copyTree(t, src, cache)
			entries := cacheEntries(cache)
			if len(entries) != 1 {
				t.Fatalf("cache holds %v, want one compiled module", entries)
			}
			entry := entries[0]
			tt.damage(t, entry)
			if owner >= 0 {
				// Hand the cache to the other user, except the module.
				filepath.Walk(cache, func(path string, _ os.FileInfo, _ error) error {
					if path != entry {
						os.Lchown(path, owner, owner)
					}
					return nil
				})
			}
			r := runChildAs(t, exe, attr, EnvCacheDir+"="+cache)
			wantOneLine(t, r.stderr, "damaged", entry, tt.reason, "compiled the module again")
			r = runChildAs(t, exe, attr, EnvCacheDir+"="+cache)
			if r.stderr != "" {
				t.Errorf("the render after the repair said: %s", r.stderr)
			}
			if b, err := os.ReadFile(entry); err != nil || !bytes.Equal(b, whole) {
				t.Errorf("the module was not cached again as compiled before (%v)", err)
			}
		})
	}
}

// childExecutable returns how to run the child: as this user, or, when
// asOther is set and this is root, as nobody from a copy of the test binary
// that nobody may run, with the uid that should own the cache (else -1).
func childExecutable(t *testing.T, asOther bool) (string, *syscall.SysProcAttr, int) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if !asOther || os.Geteuid() != 0 {
		return exe, nil, -1
	}
	const nobody = 65534
	dir, err := os.MkdirTemp("", "archdiag-test-exe-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	b, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	copied := filepath.Join(dir, "render.test")
	if err := os.WriteFile(copied, b, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	attr := &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	probe := exec.Command(copied, "-test.run=^$")
	probe.SysProcAttr = attr
	if out, err := probe.CombinedOutput(); err != nil {
		t.Skipf("cannot run a process as another user here: %v %s", err, out)
	}
	return copied, attr, nobody
}
