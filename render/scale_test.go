package render

import (
	"fmt"
	"strings"
	"testing"

	"github.com/archdiag/archdiag/model"
)

// largeComponents is the size DOT and Mermaid must handle in seconds: far
// beyond what SVG lays out, since DOT goes to a user's own Graphviz.
const largeComponents = 100_000

// compactModel writes n components in groups of six that exercise every
// kind of grouping (an app, a sharded primary with its replica on one host,
// a queue with its dead-letter queue and a worker consuming it) in flow
// style, so that 100,000 components stay under the loader's 8 MiB cap.
func compactModel(n int) []byte {
	var b strings.Builder
	b.WriteString("archdiag: 1\nname: large\ncomponents:\n  users: {kind: client, calls: [a0]}\n")
	for i := 0; 6*i+1 < n; i++ {
		fmt.Fprintf(&b, "  a%[1]d: {kind: app, calls: [{to: d%[1]d, op: write}, {to: r%[1]d, op: read}, q%[1]d]}\n"+
			"  d%[1]d: {kind: database, role: primary, host: h%[1]d, shards: {strategy: hash-mod, count: 2}}\n"+
			"  r%[1]d: {kind: database, replica_of: d%[1]d, host: h%[1]d}\n"+
			"  q%[1]d: {kind: queue, dead_letter: l%[1]d}\n"+
			"  l%[1]d: {kind: queue}\n"+
			"  w%[1]d: {kind: worker, calls: [q%[1]d]}\n", i)
	}
	return []byte(b.String())
}

func loadLarge(tb testing.TB, n int) *model.Model {
	tb.Helper()
	m, err := model.Load("large.yaml", compactModel(n))
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// BenchmarkLargeDOT and BenchmarkLargeMermaid draw 100,000 components:
// grouping replicas, consumers and dead-letter queues beside their primary
// or queue must stay linear in the components.
//
//	go test ./render -run '^$' -bench Large -benchtime 1x
func BenchmarkLargeDOT(b *testing.B) {
	m := loadLarge(b, largeComponents)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DOT(m, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLargeMermaid(b *testing.B) {
	m := loadLarge(b, largeComponents)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Mermaid(m, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLargeGrouping checks on a smaller model that the grouping the
// benchmarks time is the one wanted: each primary beside its replica, each
// worker, queue and dead-letter queue side by side.
func TestLargeGrouping(t *testing.T) {
	m := loadLarge(t, 61)
	s, err := newScene(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var groups []string
	for _, r := range s.rows {
		for _, g := range r.groups {
			var ids []string
			for _, c := range g {
				ids = append(ids, c.ID)
			}
			groups = append(groups, strings.Join(ids, " "))
		}
	}
	got := strings.Join(groups, ", ")
	for _, want := range []string{"w0 q0 l0", "d0 r0", "w9 q9 l9", "d9 r9"} {
		if !strings.Contains(", "+got+", ", ", "+want+", ") {
			t.Errorf("no group %q in %s", want, got)
		}
	}
}
