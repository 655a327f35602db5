package graphviz_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/goccy/go-graphviz"
)

// The graph descriptors live in the module's memory and are filled in on
// first use; the exported pointers, copied at initialisation, must see them.
func TestDescriptorsAfterFirstUse(t *testing.T) {
	ctx := context.Background()
	g, err := graphviz.New(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	tests := []struct {
		desc *graphviz.GraphDescriptor
		want string
	}{
		{graphviz.Directed, "digraph"},
		{graphviz.StrictDirected, "strict digraph"},
		{graphviz.UnDirected, "graph"},
		{graphviz.StrictUnDirected, "strict graph"},
	}
	for _, tt := range tests {
		graph, err := g.Graph(graphviz.WithDirectedType(tt.desc))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := g.Render(ctx, graph, graphviz.XDOT, &buf); err != nil {
			t.Fatal(err)
		}
		graph.Close()
		out := buf.String()
		if head := strings.TrimSpace(out[:strings.IndexAny(out, "\"{")]); head != tt.want {
			t.Errorf("graph type %q, want %q", head, tt.want)
		}
	}
}

func TestSetCompilationCacheAfterFirstUse(t *testing.T) {
	if _, err := graphviz.ParseBytes([]byte("digraph { a }")); err != nil {
		t.Fatal(err)
	}
	if err := graphviz.SetCompilationCache(t.TempDir(), nil); err != graphviz.ErrStarted {
		t.Errorf("SetCompilationCache after first use = %v, want ErrStarted", err)
	}
}
