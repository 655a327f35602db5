package rules_test

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/rules"
	"github.com/archdiag/archdiag/rules/rulestest"
)

// FuzzRun checks that no model that loads makes a rule or a writer panic.
// The fixtures and examples are the seed corpus.
func FuzzRun(f *testing.F) {
	files, err := rulestest.Fixtures(fixtures)
	if err != nil {
		f.Fatal(err)
	}
	examples, _ := filepath.Glob("../examples/*.yaml")
	for _, path := range append(files, examples...) {
		src, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		m, err := model.Load("fuzz.yaml", src)
		if err != nil {
			return
		}
		fs, err := rules.Run(m, nil)
		if err != nil {
			if _, ok := err.(model.ErrorList); !ok {
				t.Fatalf("Run returned %T: %v", err, err)
			}
			return
		}
		for _, format := range rules.Formats {
			if err := rules.Write(io.Discard, &rules.Report{Findings: fs}, format, rules.WriteOptions{}); err != nil {
				t.Fatal(err)
			}
		}
	})
}
