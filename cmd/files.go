package cmd

import (
	"io"
	"os"
	"path/filepath"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/rules"
)

// stdinName is how a model read from standard input is named in positions.
const stdinName = "<stdin>"

// inputPaths cleans the model paths given on the command line, relative to
// the working directory where possible, so that reports name a file the
// same way however it was given (SARIF wants relative URIs, fingerprints a
// stable name), and names each file once.
func inputPaths(paths []string) ([]string, error) {
	wd, _ := os.Getwd()
	var out []string
	seen := map[string]bool{}
	for _, p := range paths {
		if p != "-" {
			p = cleanPath(wd, p)
		}
		if seen[p] {
			if p == "-" {
				return nil, usagef("standard input (-) can be read only once")
			}
			continue
		}
		seen[p] = true
		out = append(out, p)
	}
	return out, nil
}

// inputPath is inputPaths for one model.
func inputPath(p string) string {
	if p == "-" {
		return p
	}
	wd, _ := os.Getwd()
	return cleanPath(wd, p)
}

// cleanPath is p without ./ and .. detours, relative to wd when it can be.
func cleanPath(wd, p string) string {
	c := filepath.Clean(p)
	if filepath.IsAbs(c) && wd != "" {
		if rel, err := filepath.Rel(wd, c); err == nil {
			return rel
		}
	}
	return c
}

// loadModel reads and loads the model at path; "-" reads standard input.
// Every error is a model.ErrorList, positioned at the file when it could not
// be read at all.
func loadModel(streams IO, path string) (*model.Model, error) {
	if path == "-" {
		src, err := io.ReadAll(io.LimitReader(streams.In, model.MaxFileSize+1))
		if err != nil {
			return nil, fileError(stdinName, "cannot read standard input: "+err.Error())
		}
		return rules.Load(stdinName, src)
	}
	st, err := os.Stat(path)
	switch {
	case err != nil:
		return nil, fileError(path, unwrapPathError(err).Error())
	case st.IsDir():
		return nil, fileError(path, "is a directory; name a model file")
	}
	// rules' loaders also check the rule ids named in ignore entries, so
	// that every command, validate included, reports the same problems.
	m, err := rules.LoadFile(path)
	if err != nil {
		if _, ok := err.(model.ErrorList); ok {
			return nil, err
		}
		return nil, fileError(path, unwrapPathError(err).Error())
	}
	return m, nil
}

func fileError(name, msg string) model.ErrorList {
	return model.ErrorList{{Pos: model.Pos{File: name}, Msg: msg}}
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// writeFileAtomic writes data to path through a temporary file in the same
// folder and a rename, so readers never see half a file.
func writeFileAtomic(path string, data []byte) error {
	// Through a symlink, replace what it points at, not the link.
	if target, err := filepath.EvalSymlinks(path); err == nil {
		path = target
	}
	tmp, err := writeTemp(path, data, true)
	if err != nil {
		return err
	}
	defer os.Remove(tmp) // fails harmlessly after the rename
	return os.Rename(tmp, path)
}

// createFileAtomic is writeFileAtomic that refuses to replace an existing
// file: the link fails if path exists.
func createFileAtomic(path string, data []byte) error {
	tmp, err := writeTemp(path, data, false)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	return os.Link(tmp, path)
}

// writeTemp writes data to a new temporary file beside path and returns its
// name; sync flushes it to disk before it replaces anything.
func writeTemp(path string, data []byte, sync bool) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return "", err
	}
	tmp := f.Name()
	// A file written over keeps its permissions; a new one is 0644.
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() {
		mode = st.Mode().Perm()
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(mode)
	}
	if err == nil && sync {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return "", err
	}
	return tmp, nil
}

// checkNotInput refuses an output path that names one of the input files:
// archdiag never modifies a model.
func checkNotInput(out string, inputs ...string) error {
	if out == "-" {
		return nil
	}
	ost, err := os.Stat(out)
	if err != nil {
		return nil // a new file cannot be an input
	}
	if ost.IsDir() {
		return usagef("the output %s is a directory; name a file with -o", out)
	}
	for _, in := range inputs {
		if ist, err := os.Stat(in); err == nil && os.SameFile(ost, ist) {
			return usagef("the output %s is the model %s; name another file with -o", out, in)
		}
	}
	return nil
}

// writeOutput writes data to path, or to io.Out when path is "-".
func writeOutput(streams IO, path string, data []byte) error {
	if path == "-" {
		_, err := streams.Out.Write(data)
		return err
	}
	return writeFileAtomic(path, data)
}
