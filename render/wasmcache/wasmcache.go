// Package wasmcache moves go-graphviz's WASM compilation cache to a
// per-user directory.
//
// go-graphviz compiles its 1.5 MB WebAssembly module in a package init on
// every process start (about 400 ms) unless a compilation cache is warm, and
// it keeps that cache in os.TempDir()/go-graphviz: a shared, predictable path
// where another user could plant native code. Its location can only be
// changed through $TMPDIR before that init runs.
//
// Go initialises packages in import-path order once their imports are
// ready. This package's path sorts before github.com/goccy/... and it
// imports only packages go-graphviz imports too, so its init runs first and
// points $TMPDIR at the per-user cache; Restore puts the user's $TMPDIR
// back once go-graphviz has started. Keep both properties: renaming the
// module or importing another package here can silently undo the ordering
// (a test in package render checks it).
package wasmcache

import (
	"os"
	"path/filepath"
)

// EnvDir names the environment variable that chooses the cache directory.
const EnvDir = "ARCHDIAG_CACHE_DIR"

var (
	userTMPDIR, hadTMPDIR = os.LookupEnv("TMPDIR")
	dir                   string
)

func init() {
	d, ok := choose(os.Getenv(EnvDir), os.UserCacheDir)
	if ok {
		dir = d
	}
	// go-graphviz caches in $TMPDIR/go-graphviz. Without a private cache
	// directory, point it at a path that can never be created, so that it
	// runs uncached (slower) rather than in the shared temporary directory.
	os.Setenv("TMPDIR", d)
}

// choose returns the cache directory, created with mode 0700, and whether
// it is usable. When it is not, the path returned cannot hold a cache.
func choose(fromEnv string, userCacheDir func() (string, error)) (string, bool) {
	d := fromEnv
	if d == "" {
		base, err := userCacheDir()
		if err != nil || base == "" {
			return unusable, false
		}
		d = filepath.Join(base, "archdiag")
	}
	d, err := filepath.Abs(d)
	if err != nil {
		return unusable, false
	}
	if err := os.MkdirAll(d, 0o700); err != nil {
		return unusable, false
	}
	return d, true
}

// unusable lies under the null device, where no directory can be created.
var unusable = filepath.Join(os.DevNull, "archdiag-cache")

// Dir returns the directory holding the compilation cache, or "" when none
// could be created and every process compiles the module afresh.
func Dir() string { return dir }

// Restore gives the process back the $TMPDIR it started with. Package
// render calls it from its own init, which runs after go-graphviz's.
func Restore() {
	if hadTMPDIR {
		os.Setenv("TMPDIR", userTMPDIR)
	} else {
		os.Unsetenv("TMPDIR")
	}
}
