package rules_test

import (
	"fmt"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/modeltest"
	"github.com/archdiag/archdiag/rules"
)

// BenchmarkLint measures Run on generated models, excluding the load.
// Targets: 10x the components in at most 15x the time, and less time than
// BenchmarkLoad spends on the same bytes.
func BenchmarkLint(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		src := modeltest.Generate(n)
		m, err := model.Load("generated.yaml", src)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("components=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := rules.Run(m, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLoad loads the bytes BenchmarkLint lints, for comparison.
func BenchmarkLoad(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		src := modeltest.Generate(n)
		b.Run(fmt.Sprintf("components=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if _, err := model.Load("generated.yaml", src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPipeline measures what `archdiag lint` does with a model: load,
// analysis and every rule, beside a bare yaml.v3 parse of the same bytes
// into a node tree, the floor. Target: Pipeline within 1.5x of YAMLNode at
// 10,000 components.
func BenchmarkPipeline(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		src := modeltest.Generate(n)
		b.Run(fmt.Sprintf("YAMLNode/components=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				var node yaml.Node
				if err := yaml.Unmarshal(src, &node); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("Pipeline/components=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				m, err := model.Load("generated.yaml", src)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := rules.Run(m, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
