package model_test

import (
	"bytes"
	"fmt"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/modeltest"
)

// BenchmarkLoad compares loading and validating a generated model with a
// bare yaml.v3 parse of the same bytes into a node tree, the floor.
// Target: Load within 1.5x of YAMLNode at every size.
func BenchmarkLoad(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		src := modeltest.Generate(n)
		b.Run(fmt.Sprintf("YAMLNode/n=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				var node yaml.Node
				if err := yaml.NewDecoder(bytes.NewReader(src)).Decode(&node); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("Load/n=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := model.Load("gen.yaml", src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
