package cmd

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"unicode/utf16"
)

const tinyModel = "archdiag: 1\nname: shop\ncomponents:\n  users: {kind: client, calls: [app]}\n  app: {kind: app}\n"

// fullWriter fails as a write to a full disk does.
type fullWriter struct{}

func (fullWriter) Write([]byte) (int, error) {
	return 0, &os.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.ENOSPC}
}

// Every command whose standard output cannot be written fails with exit 2
// and says so, validate and help included.
func TestWriteErrorsOnStandardOutput(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.WriteFile("shop.yaml", []byte(tinyModel), 0o644); err != nil {
		t.Fatal(err)
	}
	outs := map[string]func() (*os.File, error){"a failing writer": nil}
	if _, err := os.Stat("/dev/full"); err == nil {
		outs["/dev/full"] = func() (*os.File, error) { return os.OpenFile("/dev/full", os.O_WRONLY, 0) }
	}
	for name, open := range outs {
		for _, args := range [][]string{
			{"validate", "shop.yaml"},
			{"lint", "shop.yaml"},
			{"lint", "shop.yaml", "--format", "json"},
			{"render", "shop.yaml", "--format", "dot", "-o", "-"},
			{"notes", "shop.yaml"},
			{"notes", "shop.yaml", "--format", "terminal"},
			{"schema"},
			{"rules"},
			{"explain", "spof/single-instance"},
			{"init", "-"},
			{"version"},
			{"--help"},
		} {
			t.Run(name+"/"+strings.Join(args, " "), func(t *testing.T) {
				io := IO{In: strings.NewReader(""), Out: fullWriter{}, Err: &bytes.Buffer{}}
				if open != nil {
					f, err := open()
					if err != nil {
						t.Fatal(err)
					}
					defer f.Close()
					io.Out = f
				}
				code := Main(args, io)
				stderr := io.Err.(*bytes.Buffer).String()
				if code != ExitError || strings.Count(stderr, "archdiag: writing standard output: no space left on device\n") != 1 {
					t.Errorf("exit %d, want 2 with one message on stderr:\n%s", code, stderr)
				}
			})
		}
	}
}

// A socket, and a pipe named through /proc/self/fd, are refused like a
// FIFO; nothing replaces them.
func TestOutputRefusesSocketAndPipe(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.WriteFile("shop.yaml", []byte(tinyModel), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("unix", "shop.svg")
	if err != nil {
		t.Skipf("no Unix sockets here: %v", err)
	}
	defer l.Close()
	code, _, stderr := run(t, "", "render", "shop.yaml")
	if want := "archdiag: the output shop.svg is a socket, not a regular file"; code != ExitError || !strings.HasPrefix(stderr, want) {
		t.Errorf("socket: exit %d, stderr %q, want 2 and %q", code, stderr, want)
	}
	if st, err := os.Lstat("shop.svg"); err != nil || st.Mode()&os.ModeSocket == 0 {
		t.Errorf("the socket was replaced: %v %v", st.Mode(), err)
	}

	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	fd := fmt.Sprintf("/proc/self/fd/%d", w.Fd())
	if _, err := os.Lstat(fd); err != nil {
		t.Skipf("no %s here", fd)
	}
	code, _, stderr = run(t, "", "lint", "shop.yaml", "-o", fd)
	if want := "archdiag: the output " + fd + " is a symbolic link to a named pipe (FIFO), not a regular file"; code != ExitError || !strings.HasPrefix(stderr, want) {
		t.Errorf("pipe: exit %d, stderr %q, want 2 and %q", code, stderr, want)
	}
}

func TestUTF16ModelNamed(t *testing.T) {
	t.Chdir(t.TempDir())
	src := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(tinyModel)) {
		src = append(src, byte(u), byte(u>>8))
	}
	if err := os.WriteFile("shop.yaml", src, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, "", "validate", "shop.yaml")
	if want := "shop.yaml:1:1: the file is UTF-16 (little-endian); save it as UTF-8\n1 error\n"; code != ExitError || stderr != want {
		t.Errorf("exit %d, stderr:\n%s\nwant 2 and:\n%s", code, stderr, want)
	}
}

// --width takes 20 to 1,000 columns.
func TestNotesWidthBounds(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.WriteFile("shop.yaml", []byte(tinyModel), 0o644); err != nil {
		t.Fatal(err)
	}
	for width, want := range map[string]int{"0": 2, "19": 2, "20": 0, "1000": 0, "1001": 2, "-5": 2} {
		code, out, stderr := run(t, "", "notes", "shop.yaml", "--format", "terminal", "--width", width)
		if code != want {
			t.Errorf("--width %s: exit %d, want %d\n%s", width, code, want, stderr)
		}
		if want == 2 && !strings.Contains(stderr, "is out of range: give 20 to 1000 columns") {
			t.Errorf("--width %s: stderr %q", width, stderr)
		}
		if want == 0 && !strings.Contains(out, "shop") {
			t.Errorf("--width %s wrote no notes", width)
		}
	}
}
