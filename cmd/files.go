package cmd

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

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

// output is where a command writes: standard output ("-"), /dev/null, or
// a regular file replaced through a temporary file and a rename.
type output struct {
	name    string // as the command line gave it
	path    string // the file to replace, through any symbolic link
	devNull bool
}

// String names the output in messages.
func (o output) String() string {
	if o.name == "-" {
		return "standard output"
	}
	return o.name
}

// addFollowFlag adds --follow-symlinks to a command that writes a file.
func addFollowFlag(c *cobra.Command, follow *bool) {
	c.Flags().BoolVar(follow, "follow-symlinks", false, "write through a symbolic link at the output path even when it leads out of the model's folder")
}

// checkOutput decides where an output named name is written, before
// anything is rendered. It refuses a directory, one of the inputs, and
// anything but a regular file (a device, a FIFO, a socket, or a link to
// one), except /dev/null, which is written as a stream. A symbolic link is
// followed only to a file inside an input's folder (the working directory
// for standard input), or anywhere with follow.
func checkOutput(name string, follow bool, inputs ...string) (output, error) {
	out := output{name: name, path: name}
	if name == "-" {
		return out, nil
	}
	st, err := os.Stat(name)
	if err == nil {
		if null, err := os.Stat(os.DevNull); err == nil && os.SameFile(st, null) {
			out.devNull = true
			return out, nil
		}
		if st.IsDir() {
			return out, usagef("the output %s is a directory; name a file with -o", name)
		}
		if !st.Mode().IsRegular() {
			kind := fileKind(st.Mode())
			if lst, err := os.Lstat(name); err == nil && lst.Mode()&fs.ModeSymlink != 0 {
				kind = "a symbolic link to " + kind
			}
			return out, usagef("the output %s is %s, not a regular file; archdiag writes only regular files: name one, or - for standard output", name, kind)
		}
		for _, in := range inputs {
			if ist, err := os.Stat(in); err == nil && os.SameFile(st, ist) {
				return out, usagef("the output %s is the model %s; name another file with -o", name, in)
			}
		}
	}
	if lst, err := os.Lstat(name); err != nil || lst.Mode()&fs.ModeSymlink == 0 {
		return out, nil
	}
	out.path = linkTarget(name)
	if !follow && !insideInputFolders(out.path, inputs) {
		link, _ := os.Readlink(name)
		folder := "the model's folder"
		if len(inputs) == 0 {
			folder = "the working directory"
		}
		return out, usagef("the output %s is a symbolic link to %s, outside %s; archdiag writes through it only with --follow-symlinks: remove the link, or name another file", name, link, folder)
	}
	return out, nil
}

// fileKind names what a file that is not regular is.
func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a directory"
	}
	return "a special file"
}

// linkTarget is the absolute path a chain of symbolic links at name ends
// at, whether or not that file exists.
func linkTarget(name string) string {
	if p, err := filepath.EvalSymlinks(name); err == nil {
		abs, _ := filepath.Abs(p)
		return abs
	}
	p := name
	for range 40 { // as many links as Linux follows
		lst, err := os.Lstat(p)
		if err != nil || lst.Mode()&fs.ModeSymlink == 0 {
			break
		}
		t, err := os.Readlink(p)
		if err != nil {
			break
		}
		if !filepath.IsAbs(t) {
			t = filepath.Join(filepath.Dir(p), t)
		}
		p = t
	}
	dir, err := filepath.EvalSymlinks(filepath.Dir(p))
	if err != nil {
		dir = filepath.Dir(p)
	}
	abs, _ := filepath.Abs(filepath.Join(dir, filepath.Base(p)))
	return abs
}

// insideInputFolders reports whether path (absolute, links resolved) lies
// in the folder of one of the inputs or below it; the working directory
// stands for standard input and for no input.
func insideInputFolders(path string, inputs []string) bool {
	dirs := []string{"."}
	if len(inputs) > 0 {
		dirs = nil
	}
	for _, in := range inputs {
		if in == "-" {
			dirs = append(dirs, ".")
		} else {
			dirs = append(dirs, filepath.Dir(in))
		}
	}
	for _, d := range dirs {
		if r, err := filepath.EvalSymlinks(d); err == nil {
			d = r
		}
		d, err := filepath.Abs(d)
		if err != nil {
			continue
		}
		if rel, err := filepath.Rel(d, path); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// writeOutput writes data where out says; its error names the output.
func writeOutput(streams IO, out output, data []byte) error {
	var err error
	switch {
	case out.name == "-":
		_, err = streams.Out.Write(data)
	case out.devNull:
		err = writeStream(os.DevNull, data)
	default:
		err = writeFileAtomic(out.path, data)
	}
	var se *stdoutError
	switch {
	case errors.As(err, &se):
		return err
	case err != nil:
		return fmt.Errorf("writing %s: %w", out, unwrapPathError(err))
	}
	return nil
}

// writeStream writes data to a file that exists and is not replaced.
func writeStream(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// writeFileAtomic writes data to path through a temporary file in the same
// folder and a rename, so readers never see half a file. A file written
// over keeps its permissions.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := writeTemp(path, data, true)
	if err != nil {
		return err
	}
	defer releaseTemp(tmp)
	// checkOutput looked before rendering; look again before replacing.
	if st, err := os.Lstat(path); err == nil && !st.Mode().IsRegular() {
		return fmt.Errorf("it is now %s, not a regular file", fileKind(st.Mode()))
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	removeStaleTemps(path)
	return nil
}

// createFileAtomic is writeFileAtomic that refuses to replace an existing
// file: the link fails if path exists.
func createFileAtomic(path string, data []byte) error {
	tmp, err := writeTemp(path, data, false)
	if err != nil {
		return err
	}
	defer releaseTemp(tmp)
	return os.Link(tmp, path)
}

// writeTemp writes data to a new temporary file beside path and returns its
// name; sync flushes it to disk before it replaces anything. Until
// releaseTemp, a signal that ends the process removes it.
func writeTemp(path string, data []byte, sync bool) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), tempPrefix(path)+"*.tmp")
	if err != nil {
		return "", err
	}
	tmp := f.Name()
	trackTemp(tmp)
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
		releaseTemp(tmp)
		return "", err
	}
	return tmp, nil
}
