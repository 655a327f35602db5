package modeltest

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// Golden compares got with the file at path or, when update is set,
// rewrites the file. Each test package defines its own -update flag,
// because "go test ./... -update" hands it to every test binary, and
// passes its value here.
func Golden(t testing.TB, path string, got []byte, update bool) {
	t.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./... -update)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from the output (run go test ./... -update and review the diff):\n%s", path, LineDiff(want, got))
	}
}

// LineDiff shows the first lines, up to ten, where want and got differ.
func LineDiff(want, got []byte) string {
	w, g := bytes.Split(want, []byte("\n")), bytes.Split(got, []byte("\n"))
	var out bytes.Buffer
	for i, shown := 0, 0; i < max(len(w), len(g)) && shown < 10; i++ {
		var wl, gl []byte
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if !bytes.Equal(wl, gl) {
			out.WriteString("line " + strconv.Itoa(i+1) + ":\n  want: " + string(wl) + "\n  got:  " + string(gl) + "\n")
			shown++
		}
	}
	return out.String()
}
