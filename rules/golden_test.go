package rules_test

import (
	"flag"
	"path/filepath"
	"testing"

	"github.com/archdiag/archdiag/model/modeltest"
)

var update = flag.Bool("update", false, "rewrite the golden files under ../testdata/rules/golden")

// golden compares got with the file at ../testdata/rules/golden/name.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	modeltest.Golden(t, filepath.Join("..", "testdata", "rules", "golden", name), got, *update)
}
