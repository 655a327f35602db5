package cmd

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// TestScripts runs the CLI transcripts in testdata/script. Each archive's
// comment holds "archdiag ARGS", "exit N" and "creates FILE" for each file
// the command may write; its files are written to a fresh folder that
// becomes the working directory; the sections stdout and stderr hold the
// expected output, and stdin, when present, is the input. -update rewrites
// stdout and stderr. Input files must come out unchanged, and no other
// file may appear.
func TestScripts(t *testing.T) {
	files, err := filepath.Glob("../testdata/script/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	for _, file := range files {
		file, _ := filepath.Abs(file) // the test changes directory
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var args []string
			wantCode := 0
			creates := map[string]bool{}
			for _, line := range strings.Split(string(ar.Comment), "\n") {
				switch f := strings.Fields(line); {
				case len(f) == 0 || strings.HasPrefix(f[0], "#"):
				case f[0] == "archdiag":
					args = f[1:]
				case f[0] == "exit" && len(f) == 2:
					wantCode, _ = strconv.Atoi(f[1])
				case f[0] == "creates" && len(f) == 2:
					creates[f[1]] = true
				default:
					t.Fatalf("%s: unknown line %q", file, line)
				}
			}
			dir := t.TempDir()
			sections := map[string]*txtar.File{}
			inputs := map[string][]byte{}
			var stdin string
			for i := range ar.Files {
				f := &ar.Files[i]
				switch f.Name {
				case "stdout", "stderr":
					sections[f.Name] = f
					continue
				case "stdin":
					stdin = string(f.Data)
					continue
				}
				p := filepath.Join(dir, f.Name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
				inputs[f.Name] = f.Data
			}
			t.Chdir(dir)
			code, stdout, stderr := run(t, stdin, args...)
			if code != wantCode {
				t.Errorf("exit %d, want %d\nstderr:\n%s", code, wantCode, stderr)
			}
			for name, data := range inputs {
				got, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil || !bytes.Equal(got, data) {
					t.Errorf("input %s was modified or removed", name)
				}
			}
			_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
				rel, _ := filepath.Rel(dir, p)
				if err == nil && !d.IsDir() && inputs[filepath.ToSlash(rel)] == nil && !creates[filepath.ToSlash(rel)] {
					t.Errorf("the command left %s behind", rel)
				}
				return nil
			})
			got := map[string]string{"stdout": stdout, "stderr": stderr}
			if *update {
				var kept []txtar.File
				for _, f := range ar.Files {
					if f.Name != "stdout" && f.Name != "stderr" {
						kept = append(kept, f)
					}
				}
				for _, name := range []string{"stdout", "stderr"} {
					if got[name] != "" {
						kept = append(kept, txtar.File{Name: name, Data: []byte(got[name])})
					}
				}
				ar.Files = kept
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			for _, name := range []string{"stdout", "stderr"} {
				want := ""
				if f := sections[name]; f != nil {
					want = string(f.Data)
				}
				if got[name] != want {
					t.Errorf("%s differs (run go test ./cmd -update and review the diff)\n--- want\n%s--- got\n%s", name, want, got[name])
				}
			}
		})
	}
}
