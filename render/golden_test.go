package render

import (
	"flag"
	"path/filepath"
	"testing"

	"github.com/archdiag/archdiag/model/modeltest"
)

var update = flag.Bool("update", false, "rewrite the golden files under ../testdata/render")

const goldenDir = "../testdata/render"

// golden compares got with testdata/render/name.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	modeltest.Golden(t, filepath.Join(goldenDir, name), got, *update)
}
