package model_test

import (
	"flag"
	"testing"

	"github.com/archdiag/archdiag/model/modeltest"
)

var update = flag.Bool("update", false, "rewrite golden files under ../testdata and ../examples")

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	modeltest.Golden(t, path, got, *update)
}
