package render

import (
	"strconv"
	"testing"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/modeltest"
)

// Sizes for the benchmarks: a small system, a mid-sized one and the largest
// the targets cover (200 components under a second, end to end).
var benchSizes = []int{15, 50, 200}

func benchModel(b *testing.B, n int) *model.Model {
	b.Helper()
	m, err := model.Load("generated.yaml", modeltest.Generate(n))
	if err != nil {
		b.Fatal(err)
	}
	return m
}

func BenchmarkDOT(b *testing.B) {
	for _, n := range benchSizes {
		m := benchModel(b, n)
		b.Run("components="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := DOT(m, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSVG(b *testing.B) {
	for _, n := range benchSizes {
		m := benchModel(b, n)
		b.Run("components="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := SVG(m, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkMermaid(b *testing.B) {
	m := benchModel(b, 200)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Mermaid(m, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
