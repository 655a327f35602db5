package cmd

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// TestScripts runs the CLI transcripts in testdata/script. Each archive's
// comment holds "archdiag ARGS", "exit N", "creates FILE" for each file
// the command may write (an input file too), "removes FILE" for an input
// file it must remove, "symlink NAME TARGET" and "mkfifo NAME" for links
// and named pipes to make beside the files; its files are written to a
// fresh folder that becomes the working directory; the sections stdout and
// stderr hold the expected output, and stdin, when present, is the input.
// -update rewrites stdout and stderr. Input files must come out unchanged,
// links and pipes as they were, and no other file may appear.
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
			creates, removes := map[string]bool{}, map[string]bool{}
			var links [][2]string
			var fifos []string
			for _, line := range strings.Split(string(ar.Comment), "\n") {
				switch f := strings.Fields(line); {
				case len(f) == 0 || strings.HasPrefix(f[0], "#"):
				case f[0] == "archdiag":
					args = f[1:]
				case f[0] == "exit" && len(f) == 2:
					wantCode, _ = strconv.Atoi(f[1])
				case f[0] == "creates" && len(f) == 2:
					creates[f[1]] = true
				case f[0] == "removes" && len(f) == 2:
					removes[f[1]] = true
				case f[0] == "symlink" && len(f) == 3:
					links = append(links, [2]string{f[1], f[2]})
				case f[0] == "mkfifo" && len(f) == 2:
					fifos = append(fifos, f[1])
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
			made := map[string]bool{}
			for _, l := range links {
				if err := os.Symlink(l[1], filepath.Join(dir, l[0])); err != nil {
					t.Skipf("cannot make a symbolic link here: %v", err)
				}
				made[l[0]] = true
			}
			for _, name := range fifos {
				if err := mkfifo(filepath.Join(dir, name)); err != nil {
					t.Skipf("cannot make a named pipe here: %v", err)
				}
				made[name] = true
			}
			t.Chdir(dir)
			code, stdout, stderr := run(t, stdin, args...)
			if code != wantCode {
				t.Errorf("exit %d, want %d\nstderr:\n%s", code, wantCode, stderr)
			}
			for name, data := range inputs {
				got, err := os.ReadFile(filepath.Join(dir, name))
				switch {
				case removes[name]:
					if !errors.Is(err, fs.ErrNotExist) {
						t.Errorf("input %s was not removed", name)
					}
				case creates[name]:
				case err != nil || !bytes.Equal(got, data):
					t.Errorf("input %s was modified or removed", name)
				}
			}
			for _, l := range links {
				if got, err := os.Readlink(filepath.Join(dir, l[0])); err != nil || got != l[1] {
					t.Errorf("the link %s -> %s was replaced or removed", l[0], l[1])
				}
			}
			for _, name := range fifos {
				if st, err := os.Lstat(filepath.Join(dir, name)); err != nil || st.Mode()&fs.ModeNamedPipe == 0 {
					t.Errorf("the named pipe %s was replaced or removed", name)
				}
			}
			_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
				rel, _ := filepath.Rel(dir, p)
				rel = filepath.ToSlash(rel)
				if err == nil && !d.IsDir() && inputs[rel] == nil && !creates[rel] && !made[rel] {
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
