package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/goccy/go-graphviz"
)

// go-graphviz (a patched copy under third_party/) compiles and instantiates
// its WebAssembly module on first use, which is the first layout here:
// commands that do not draw never load it nor touch its cache.

// EnvCacheDir names the environment variable that chooses the directory
// where the compiled module is kept between runs.
const EnvCacheDir = "ARCHDIAG_CACHE_DIR"

// go-graphviz runs one WebAssembly module per process, whatever the number
// of graphviz.New instances, and it is not safe for concurrent use: every
// call into it holds gvMu.
var (
	gvMu       sync.Mutex
	gv         *graphviz.Graphviz
	gvPoisoned bool // the last call failed; the next one fails too unless flushed
	cacheSet   bool // the compilation cache is configured
)

// trivialGraph is rendered after a failure: go-graphviz fails the call that
// follows an error, so that call is spent here.
var trivialGraph = []byte("digraph { a }")

// layout parses DOT and renders it as SVG.
func layout(dot []byte) ([]byte, error) { return layoutSVG(dot, nil) }

// layoutSVG is layout telling diag (nil: standard error) of a compilation
// cache that could not be used.
func layoutSVG(dot []byte, diag io.Writer) ([]byte, error) {
	return layoutWith(dot, graphviz.SVG, diag)
}

// layoutAs parses DOT and renders it in format, which must be one
// go-graphviz supports: it answers others with a misleading error.
func layoutAs(dot []byte, format graphviz.Format) ([]byte, error) {
	return layoutWith(dot, format, nil)
}

func layoutWith(dot []byte, format graphviz.Format, diag io.Writer) ([]byte, error) {
	gvMu.Lock()
	defer gvMu.Unlock()
	if !cacheSet {
		cacheSet = true
		if diag == nil {
			diag = os.Stderr
		}
		configureCache(diag, os.Getenv(EnvCacheDir), os.UserCacheDir)
	}
	if gvPoisoned {
		_, _ = renderLocked(trivialGraph, graphviz.SVG)
		gvPoisoned = false
	}
	out, err := renderLocked(dot, format)
	if err != nil {
		gvPoisoned = true
		return nil, fmt.Errorf("graphviz: %w", err)
	}
	return out, nil
}

// uncachedHint follows the reason the compiled module could not be kept.
const uncachedHint = ", so every render compiles it again; set " + EnvCacheDir + " to a writable directory to keep it"

// configureCache points go-graphviz at the compilation cache: $EnvCacheDir,
// else archdiag's folder in the user's cache directory, created private.
// diag hears once, in one line, of a cache that could not be used as it was.
func configureCache(diag io.Writer, fromEnv string, userCacheDir func() (string, error)) {
	dir := fromEnv
	if dir == "" {
		base, err := userCacheDir()
		if err != nil {
			_ = graphviz.SetCompilationCache("", nil)
			fmt.Fprintf(diag, "archdiag: Graphviz was compiled without a cache (%v)%s\n", err, uncachedHint)
			return
		}
		dir = filepath.Join(base, "archdiag")
	}
	_ = graphviz.SetCompilationCache(filepath.Join(dir, "go-graphviz"), func(e *graphviz.CacheError) {
		fmt.Fprintln(diag, cacheMessage(e))
	})
}

func cacheMessage(e *graphviz.CacheError) string {
	if e.Uncached {
		return fmt.Sprintf("archdiag: Graphviz was compiled without a cache (%s: %v)%s", e.Path, e.Err, uncachedHint)
	}
	return fmt.Sprintf("archdiag: removed a damaged entry from Graphviz's compilation cache, %s (%v), and compiled the module again", e.Path, e.Err)
}

func renderLocked(dot []byte, format graphviz.Format) (out []byte, err error) {
	defer func() {
		// go-graphviz panics on some failures inside the module; report them
		// like any other render failure.
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("layout failed: %v", r)
		}
	}()
	ctx := context.Background()
	if gv == nil {
		g, err := graphviz.New(ctx)
		if err != nil {
			return nil, err
		}
		gv = g
	}
	graph, err := graphviz.ParseBytes(dot)
	if err != nil {
		return nil, err
	}
	defer graph.Close()
	// Render into memory: RenderFilename would kill the module.
	var buf bytes.Buffer
	if err := gv.Render(ctx, graph, format, &buf); err != nil {
		return nil, err
	}
	if buf.Len() == 0 {
		return nil, errors.New("layout produced no output")
	}
	return buf.Bytes(), nil
}
