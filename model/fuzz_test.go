package model_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/archdiag/archdiag/model"
)

// FuzzLoad checks that no input makes the loader panic, that a refused
// input always says why at a position in the file, and that an accepted
// model can be estimated. Seeds: the examples and the invalid fixtures.
//
//	go test ./model -run '^$' -fuzz FuzzLoad -fuzztime 60s
func FuzzLoad(f *testing.F) {
	for _, pattern := range []string{"../examples/*.yaml", "../testdata/model/invalid/*.yaml"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			src, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(src)
		}
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
		m.Estimate()
	})
}
