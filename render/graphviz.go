package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/goccy/go-graphviz"

	"github.com/archdiag/archdiag/render/startup"
)

func init() {
	// go-graphviz has set up its compilation cache by now (its init runs
	// before this package's), so the user's TMPDIR can come back.
	startup.Restore()
}

// go-graphviz runs one WebAssembly module per process, whatever the number
// of graphviz.New instances, and it is not safe for concurrent use: every
// call into it holds gvMu.
var (
	gvMu       sync.Mutex
	gv         *graphviz.Graphviz
	gvPoisoned bool // the last call failed; the next one fails too unless flushed
)

// trivialGraph is rendered after a failure: go-graphviz fails the call that
// follows an error, so that call is spent here.
var trivialGraph = []byte("digraph { a }")

// layout parses DOT and renders it as SVG.
func layout(dot []byte) ([]byte, error) { return layoutAs(dot, graphviz.SVG) }

// layoutAs parses DOT and renders it in format, which must be one
// go-graphviz supports: it answers others with a misleading error.
func layoutAs(dot []byte, format graphviz.Format) ([]byte, error) {
	gvMu.Lock()
	defer gvMu.Unlock()
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
