// Package render draws a model as a diagram: DOT text, SVG laid out by
// Graphviz (compiled to WebAssembly, through go-graphviz) and a Mermaid
// flowchart. Components are laid out by tier in a fixed order, shaped and
// coloured by kind; a flow can be numbered on its edges and findings
// outlined on their components. Output is byte-identical for the same input.
package render

import (
	"fmt"
	"io"

	"github.com/archdiag/archdiag/model"
)

// Options choose what a diagram shows.
type Options struct {
	Direction string          // "TB" (default) or "LR"
	Flow      string          // name of a flow to number; "" for none
	Findings  []model.Finding // outlined on the diagram; nil draws none
	// Diagnostics hears, once per process, of a Graphviz compilation cache
	// that could not be used; nil is standard error.
	Diagnostics io.Writer
}

// Layout time grows faster than linearly and go-graphviz cannot be
// interrupted, so SVG is refused above these sizes. Measured: the
// generated 400-component model lays out in about a second.
const (
	MaxComponents = 400
	MaxCalls      = 1600
)

// SizeError reports a model too big to lay out.
type SizeError struct {
	Components, Calls int
}

func (e *SizeError) Error() string {
	return fmt.Sprintf("the model has %d components and %d calls; diagrams are limited to %d components and %d calls, because layout time grows quickly and cannot be interrupted (split the model, or render --format dot and lay it out with Graphviz's dot)",
		e.Components, e.Calls, MaxComponents, MaxCalls)
}

// Formats lists the output formats, the default first. PNG is not among
// them: go-graphviz's PNG renderer draws edges as filled blobs.
func Formats() []string { return []string{"svg", "dot", "mermaid"} }

// DOT returns the diagram as Graphviz DOT text.
func DOT(m *model.Model, opts Options) ([]byte, error) {
	s, err := newScene(m, opts)
	if err != nil {
		return nil, err
	}
	return s.dot(), nil
}

// SVG lays the diagram out with Graphviz and returns a self-contained SVG
// document: no scripts, no external references.
func SVG(m *model.Model, opts Options) ([]byte, error) {
	if err := checkSize(m); err != nil {
		return nil, err
	}
	s, err := newScene(m, opts)
	if err != nil {
		return nil, err
	}
	svg, err := layoutSVG(s.dot(), opts.Diagnostics)
	if err != nil {
		return nil, err
	}
	return finishSVG(svg, s), nil
}

// Mermaid returns the diagram as a Mermaid flowchart, without code fences.
func Mermaid(m *model.Model, opts Options) ([]byte, error) {
	s, err := newScene(m, opts)
	if err != nil {
		return nil, err
	}
	return s.mermaid(), nil
}

func checkSize(m *model.Model) error {
	if len(m.Components) > MaxComponents || len(m.Calls()) > MaxCalls {
		return &SizeError{len(m.Components), len(m.Calls())}
	}
	return nil
}
