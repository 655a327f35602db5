package wasm

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/tetratelabs/wazero/api"
)

// The module is compiled and instantiated on first use rather than in a
// package init, so that a program which links go-graphviz but does not draw
// never pays for it (hundreds of milliseconds without a compilation cache)
// and never touches the cache.

var (
	initOnce sync.Once
	initErr  error
	hooks    []func(context.Context) error

	settingsMu  sync.Mutex
	started     bool
	cacheDirSet bool // else upstream's os.TempDir()/go-graphviz
	cacheDir    string
	cacheReport func(*CacheError)
)

// ErrStarted is returned by SetCompilationCache once the module is in use.
var ErrStarted = errors.New("graphviz: the WebAssembly module is already instantiated")

// SetCompilationCache sets the directory that keeps the compiled module
// between processes ("" for none) and the function told, at most once, when
// that cache could not be used as it was. It must be called before first use.
func SetCompilationCache(dir string, report func(*CacheError)) error {
	settingsMu.Lock()
	defer settingsMu.Unlock()
	if started {
		return ErrStarted
	}
	cacheDirSet, cacheDir, cacheReport = true, dir, report
	return nil
}

// OnInit registers fn to run once the module is instantiated, in the order
// of registration. Packages that keep values computed by the module register
// here from their init.
func OnInit(fn func(context.Context) error) {
	hooks = append(hooks, fn)
}

// Init instantiates the module if that has not happened yet. It returns the
// first attempt's error to every caller.
func Init(ctx context.Context) error {
	initOnce.Do(func() { initErr = start(ctx) })
	return initErr
}

func start(ctx context.Context) error {
	settingsMu.Lock()
	started = true
	dir, report := cacheDir, cacheReport
	if !cacheDirSet {
		if tmp := os.TempDir(); tmp != "" {
			dir = filepath.Join(tmp, "go-graphviz")
		}
	}
	settingsMu.Unlock()
	m, err := load(ctx, dir, report)
	if err != nil {
		return fmt.Errorf("graphviz: instantiating the WebAssembly module: %w", err)
	}
	mod.mod = m
	mod.live.Store(true) // from here on the hooks' calls reach the module
	err = bindEnums(ctx)
	for _, hook := range hooks {
		if err != nil {
			break
		}
		err = hook(ctx)
	}
	if err != nil {
		mod.live.Store(false)
		return fmt.Errorf("graphviz: %w", err)
	}
	return nil
}

// instance returns the module, instantiating it on first use. Entry points
// call Init first and return its error; this covers every other path.
func (m *WasmModule) instance() api.Module {
	if !m.live.Load() {
		if err := Init(context.Background()); err != nil {
			panic(err)
		}
	}
	return m.mod
}
