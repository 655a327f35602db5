package model_test

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/analysis"
)

// FuzzLoad checks that no input makes the loader panic, that a refused
// input always says why at a position in the file, and that an accepted
// model can be estimated. Seeds: the examples and the invalid fixtures.
//
//	go test ./model -run '^$' -fuzz FuzzLoad -fuzztime 60s
func FuzzLoad(f *testing.F) {
	for _, src := range seeds(f) {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		m, err := model.Load("f.yaml", src)
		if err != nil {
			el, ok := err.(model.ErrorList)
			if !ok || len(el) == 0 {
				t.Fatalf("error %T %v is not a non-empty ErrorList", err, err)
			}
			for _, e := range el {
				if e.Pos.File != "f.yaml" || e.Pos.Line < 1 || e.Msg == "" {
					t.Fatalf("error without a position or message: %q", e.Error())
				}
			}
			return
		}
		analysis.Analyze(m, analysis.Options{})
	})
}

// TestMutatedInputsNeverPanic runs the FuzzLoad property on a fixed set of
// random mutations of the seeds, so every test run covers malformed input
// even where the fuzzer is not run.
func TestMutatedInputsNeverPanic(t *testing.T) {
	seeds := seeds(t)
	const syntax = "{[:-&*!|>'\"#\n "
	r := rand.New(rand.NewPCG(1, 2)) // fixed: the same inputs every run
	for i := 0; i < 3000; i++ {
		src := append([]byte(nil), seeds[r.IntN(len(seeds))]...)
		for k := 0; k < 1+r.IntN(4) && len(src) > 0; k++ {
			j := r.IntN(len(src))
			switch r.IntN(3) {
			case 0:
				src[j] = byte(r.IntN(256))
			case 1:
				src = append(src[:j], src[j+1:]...)
			default:
				src = append(src[:j], append([]byte{syntax[r.IntN(len(syntax))]}, src[j:]...)...)
			}
		}
		m, err := model.Load("f.yaml", src)
		if err != nil {
			el, ok := err.(model.ErrorList)
			if !ok || len(el) == 0 || el[0].Pos.Line < 1 {
				t.Fatalf("input %q: error %v is not positioned", src, err)
			}
			continue
		}
		analysis.Analyze(m, analysis.Options{})
	}
}

// seeds are the examples and the invalid fixtures.
func seeds(tb testing.TB) [][]byte {
	tb.Helper()
	var out [][]byte
	for _, pattern := range []string{"../examples/*.yaml", "../testdata/model/invalid/*.yaml"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			src, err := os.ReadFile(file)
			if err != nil {
				tb.Fatal(err)
			}
			out = append(out, src)
		}
	}
	return out
}
