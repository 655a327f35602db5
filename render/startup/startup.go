// Package startup prepares the process for go-graphviz's package init: it
// moves the WASM compilation cache to a per-user directory and defers garbage
// collection past the start-up work.
//
// go-graphviz compiles its 1.5 MB WebAssembly module in a package init on
// every process start (about 400 ms) unless a compilation cache is warm, and
// it keeps that cache in os.TempDir()/go-graphviz: a shared, predictable path
// where another user could plant native code. Its location can only be
// changed through $TMPDIR before that init runs.
//
// Go initialises packages in import-path order once their imports are
// ready. This package's path sorts before github.com/goccy/... and it
// imports only the standard library, so its init runs first and
// points $TMPDIR at the per-user cache; Restore puts the user's $TMPDIR
// back once go-graphviz has started. Keep both properties: renaming the
// module or importing another package here can silently undo the ordering
// (a test in package render checks it).
//
// go-graphviz's init builds long-lived tables (the instantiated module is
// most of the process's memory) and most commands allocate little after
// it. Collecting while they are built is wasted work that every process,
// even --help, pays for: 4 to 10 ms of about 60. So collection stays off
// until the heap has grown by gcHeadroom past start-up, and the user's
// settings (GOGC, GOMEMLIMIT) apply from the first collection on.
package startup

import (
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
)

// EnvDir names the environment variable that chooses the cache directory.
const EnvDir = "ARCHDIAG_CACHE_DIR"

var (
	userTMPDIR, hadTMPDIR = os.LookupEnv("TMPDIR")
	dir                   string
	userGCPercent         = debug.SetGCPercent(-1)
)

func init() {
	d, ok := choose(os.Getenv(EnvDir), os.UserCacheDir)
	if ok {
		dir = d
		pruneDamagedCache(filepath.Join(d, "go-graphviz"))
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

// Restore gives the process back the $TMPDIR it started with and lets
// garbage collection resume once the heap grows by gcHeadroom. Package render
// calls it from its own init, which runs after go-graphviz's.
func Restore() {
	restoreTMPDIR()
	resumeGCAfter(gcHeadroom)
}

func restoreTMPDIR() {
	if hadTMPDIR {
		os.Setenv("TMPDIR", userTMPDIR)
	} else {
		os.Unsetenv("TMPDIR")
	}
}

// gcHeadroom is how far the heap may grow past start-up before the first
// collection.
const gcHeadroom = 64 << 20

// resumeGCAfter keeps collection off until the process's memory grows by
// headroom, then hands control back to the user's GOGC and GOMEMLIMIT. With
// GOGC off, a memory limit is what triggers that first collection; a
// finalizer notices it.
func resumeGCAfter(headroom int64) {
	if userGCPercent < 0 {
		debug.SetGCPercent(userGCPercent) // the user turned collection off
		return
	}
	userLimit := debug.SetMemoryLimit(-1)
	limit := totalMemory() + headroom
	if limit >= userLimit {
		debug.SetGCPercent(userGCPercent)
		return
	}
	debug.SetMemoryLimit(limit)
	sentinel := new([64]byte) // too big for the tiny allocator, whose objects may never be finalized
	runtime.SetFinalizer(sentinel, func(*[64]byte) {
		debug.SetGCPercent(userGCPercent)
		debug.SetMemoryLimit(userLimit)
	})
}

// totalMemory is the memory the Go runtime has mapped, the quantity a memory
// limit bounds.
func totalMemory() int64 {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(s[0].Value.Uint64())
}

// pruneDamagedCache removes compiled modules that wazero could not read
// back. wazero fails to compile when a cached module is truncated or is not
// one of its files at all, go-graphviz panics on that in its init, and every
// command, --help included, would crash until the file was deleted by hand.
// Without the file the module is compiled afresh and cached again.
func pruneDamagedCache(cacheDir string) {
	versions, _ := filepath.Glob(filepath.Join(cacheDir, "wazero-*"))
	for _, v := range versions {
		entries, err := os.ReadDir(v)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if !e.Type().IsRegular() || strings.HasSuffix(e.Name(), ".tmp") {
				continue
			}
			path := filepath.Join(v, e.Name())
			if !wholeCompiledModule(path) {
				os.Remove(path)
			}
		}
	}
}

// wazeroMagic starts every module in wazero's compilation cache.
var wazeroMagic = []byte("WAZEVO")

// wholeCompiledModule reports whether the file at path has the layout of a
// module in wazero's compilation cache, with every part its header promises:
// magic, version, function offsets, native code, checksum and source-map
// flag. It reads the header only; wazero checks the code's checksum.
func wholeCompiledModule(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return true // unreadable here is not damage we can repair
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return true
	}
	head := make([]byte, len(wazeroMagic)+1)
	if _, err := io.ReadFull(f, head); err != nil || !bytes.Equal(head[:len(wazeroMagic)], wazeroMagic) {
		return false
	}
	versionLen := int64(head[len(wazeroMagic)])
	var functions uint32
	if _, err := f.Seek(versionLen, io.SeekCurrent); err != nil || binary.Read(f, binary.LittleEndian, &functions) != nil {
		return false
	}
	offsetsEnd := int64(len(head)) + versionLen + 4 + 8*int64(functions)
	var codeLen uint64
	if _, err := f.Seek(offsetsEnd, io.SeekStart); err != nil || binary.Read(f, binary.LittleEndian, &codeLen) != nil {
		return false
	}
	// code, its 4-byte checksum and the 1-byte source-map flag
	return codeLen <= uint64(st.Size()) && offsetsEnd+8+int64(codeLen)+4+1 <= st.Size()
}
