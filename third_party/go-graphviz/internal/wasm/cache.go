package wasm

import (
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// wazero checks a cached module's magic, version and a checksum of its code,
// but not the table of function offsets before the code: damage there makes
// the process crash in native code, where no recover helps, and damage it
// does detect fails the compile. So each entry gets a seal, written once
// wazero has stored it: a checksum of the whole file. An entry whose seal
// does not match is removed before wazero can load it.

// CacheError reports a compilation cache that could not be used as it was.
// The module was compiled afresh either way.
type CacheError struct {
	Path     string // the cache entry or directory at fault
	Err      error  // what was wrong with it
	Uncached bool   // the module was compiled without a cache; else the entry was removed and cached again
}

func (e *CacheError) Error() string {
	if e.Uncached {
		return fmt.Sprintf("compiled without a cache: %s: %v", e.Path, e.Err)
	}
	return fmt.Sprintf("removed damaged compilation cache entry %s: %v", e.Path, e.Err)
}

func (e *CacheError) Unwrap() error { return e.Err }

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// load compiles and instantiates graphviz.wasm, through the compilation
// cache in dir when it is usable; a damaged or unusable cache costs a fresh
// compile, told once to report.
func load(ctx context.Context, dir string, report func(*CacheError)) (api.Module, error) {
	if dir == "" {
		return instantiateFresh(ctx, nil)
	}
	c, problem := openCache(dir)
	if c != nil {
		r, m, err := safeNewRuntime(ctx, c.cache)
		if err == nil {
			if serr := c.sealNew(); serr != nil {
				// This process has its module; later ones compile again.
				problem = &CacheError{Path: c.seals, Err: serr, Uncached: true}
			}
			tell(report, problem)
			return m, nil
		}
		if r != nil {
			r.Close(ctx)
		}
		c.cache.Close(ctx)
		// wazero failed with entries that passed the checks: start over
		// without them. The engine kept what it loaded, so the retry below
		// uses no cache at all.
		c.clear()
		problem = &CacheError{Path: c.dir, Err: err, Uncached: true}
	}
	tell(report, problem)
	return instantiateFresh(ctx, nil)
}

func tell(report func(*CacheError), problem *CacheError) {
	if report != nil && problem != nil {
		report(problem)
	}
}

func instantiateFresh(ctx context.Context, cache wazero.CompilationCache) (api.Module, error) {
	r, m, err := safeNewRuntime(ctx, cache)
	if err != nil && r != nil {
		r.Close(ctx)
	}
	return m, err
}

// safeNewRuntime is newRuntime with a panic inside wazero returned as an
// error.
func safeNewRuntime(ctx context.Context, cache wazero.CompilationCache) (r wazero.Runtime, m api.Module, err error) {
	defer func() {
		if p := recover(); p != nil {
			m, err = nil, fmt.Errorf("panic: %v", p)
		}
	}()
	return newRuntime(ctx, cache)
}

type fileCache struct {
	cache wazero.CompilationCache
	dir   string // wazero's directory for this version, holding the entries
	seals string // the entries' seals, under the same names
}

// openCache prepares the cache in root: entries that are damaged, or were
// never sealed, are removed so that wazero compiles afresh. It returns nil
// when the cache cannot be used, with the reason.
func openCache(root string) (*fileCache, *CacheError) {
	uncached := func(path string, err error) (*fileCache, *CacheError) {
		return nil, &CacheError{Path: path, Err: err, Uncached: true}
	}
	version := "wazero-" + wazeroVersion() + "-" + runtime.GOARCH + "-" + runtime.GOOS
	// Seals live outside wazero's directory: that is wazero's alone, and
	// whatever tidies it may keep only wazero's files.
	c := &fileCache{dir: filepath.Join(root, version), seals: filepath.Join(root, "seals", version)}
	var problem *CacheError
	for _, d := range []string{c.dir, filepath.Dir(c.seals), c.seals} {
		if fi, err := os.Lstat(d); err == nil && !fi.IsDir() {
			if err := os.Remove(d); err != nil {
				return uncached(d, unwrapPath(err))
			}
			if problem == nil {
				problem = &CacheError{Path: d, Err: errors.New("not a directory")}
			}
		}
		if err := os.MkdirAll(d, 0o700); err != nil {
			return uncached(d, unwrapPath(err))
		}
	}
	cache, err := wazero.NewCompilationCacheWithDir(root)
	if err != nil {
		return uncached(root, err)
	}
	c.cache = cache
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return uncached(c.dir, unwrapPath(err))
	}
	usable := false
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			continue // being written by wazero, maybe in another process
		}
		entry, seal := c.paths(e.Name())
		err := checkSeal(entry, seal)
		if err == nil {
			usable = true
			continue
		}
		if rerr := removeEntry(entry, seal); rerr != nil {
			return uncached(entry, err)
		}
		// An entry never sealed comes from an older go-graphviz or a process
		// stopped while caching: nothing was wrong with it as far as we know.
		if !errors.Is(err, errUnsealed) && problem == nil {
			problem = &CacheError{Path: entry, Err: err}
		}
	}
	if !usable {
		// wazero fails the compile when it cannot store the result, after the
		// work is done: find out before.
		for _, d := range []string{c.dir, c.seals} {
			if err := probeWrite(d); err != nil {
				return uncached(d, err)
			}
		}
	}
	return c, problem
}

func (c *fileCache) paths(name string) (entry, seal string) {
	return filepath.Join(c.dir, name), filepath.Join(c.seals, name)
}

func probeWrite(dir string) error {
	f, err := os.CreateTemp(dir, "probe-*.tmp")
	if err != nil {
		return unwrapPath(err)
	}
	f.Close()
	return os.Remove(f.Name())
}

var errUnsealed = errors.New("not sealed")

// checkSeal reports whether entry is a regular file whose checksum and
// size match the seal.
func checkSeal(entry, seal string) error {
	fi, err := os.Lstat(entry)
	if err != nil {
		return unwrapPath(err)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("not a regular file (%s)", fi.Mode().Type())
	}
	want, err := os.ReadFile(seal)
	if errors.Is(err, fs.ErrNotExist) {
		return errUnsealed
	} else if err != nil {
		return fmt.Errorf("seal %s: %w", seal, unwrapPath(err))
	}
	got, err := sealOf(entry)
	if err != nil {
		return err
	}
	if got != string(want) {
		return errors.New("checksum mismatch")
	}
	return nil
}

// sealOf is the text of path's seal: the checksum of its content and its
// size.
func sealOf(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", unwrapPath(err)
	}
	defer f.Close()
	h := crc32.New(castagnoli)
	n, err := io.CopyBuffer(h, f, make([]byte, 1<<18))
	if err != nil {
		return "", unwrapPath(err)
	}
	return fmt.Sprintf("crc32c %08x size %d\n", h.Sum32(), n), nil
}

// sealNew seals the entries wazero stored during this process's compile:
// openCache removed every entry without a seal, so those are the ones
// without one now. Another process compiling at the same time stores the
// same bytes, so which of them is sealed does not matter.
func (c *fileCache) sealNew() error {
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return unwrapPath(err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || strings.HasSuffix(e.Name(), ".tmp") {
			continue
		}
		entry, seal := c.paths(e.Name())
		if _, err := os.Lstat(seal); err == nil {
			continue
		}
		s, err := sealOf(entry)
		if err == nil {
			err = writeAtomic(seal, []byte(s))
		}
		if err != nil {
			removeEntry(entry, seal) // unsealed, the next process would remove it anyway
			return fmt.Errorf("sealing %s: %w", entry, err)
		}
	}
	// Seals of entries removed by hand.
	seals, _ := os.ReadDir(c.seals)
	for _, s := range seals {
		entry, seal := c.paths(s.Name())
		if _, err := os.Lstat(entry); errors.Is(err, fs.ErrNotExist) && !strings.HasSuffix(s.Name(), ".tmp") {
			os.Remove(seal)
		}
	}
	return nil
}

// clear removes every entry and seal.
func (c *fileCache) clear() {
	for _, d := range []string{c.dir, c.seals} {
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".tmp") {
				os.RemoveAll(filepath.Join(d, e.Name()))
			}
		}
	}
}

func removeEntry(entry, seal string) error {
	if err := os.RemoveAll(entry); err != nil {
		return err
	}
	if err := os.Remove(seal); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return unwrapPath(err)
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return unwrapPath(err)
	}
	return nil
}

// unwrapPath drops the operation and path of an *fs.PathError, which the
// CacheError names already.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// wazeroVersion is the version wazero names its cache directory after,
// found the same way wazero finds it.
func wazeroVersion() string {
	v := ""
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if strings.Contains(dep.Path, "github.com/tetratelabs/wazero") {
				v = dep.Version
			}
		}
		if v == "" || v == "(devel)" {
			v = info.Main.Version
		}
	}
	if v == "" || v == "(devel)" {
		return "dev"
	}
	return v
}
