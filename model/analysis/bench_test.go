package analysis_test

import (
	"fmt"
	"testing"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/analysis"
	"github.com/archdiag/archdiag/model/modeltest"
)

func BenchmarkAnalyze(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		m, err := model.Load("gen.yaml", modeltest.Generate(n))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				analysis.Analyze(m, analysis.Options{})
			}
		})
	}
}
