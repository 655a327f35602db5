//go:build unix

package cmd

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A SIGINT or SIGTERM between writing the temporary file and the rename
// removes the temporary file, and the process still ends of the signal.
// The test runs itself as the process to kill: ARCHDIAG_TEMP_CHILD names
// the folder where the child writes a temporary file and waits.
func TestTempRemovedOnSignal(t *testing.T) {
	if dir := os.Getenv("ARCHDIAG_TEMP_CHILD"); dir != "" {
		tmp, err := writeTemp(filepath.Join(dir, "shop.svg"), []byte("<svg/>"), true)
		if err != nil {
			fmt.Println("ERROR", err)
			os.Exit(3)
		}
		fmt.Println("TEMP", tmp)
		time.Sleep(time.Minute)
		os.Exit(4)
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			child := exec.Command(os.Args[0], "-test.run=^TestTempRemovedOnSignal$")
			child.Env = append(os.Environ(), "ARCHDIAG_TEMP_CHILD="+dir)
			stdout, err := child.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := child.Start(); err != nil {
				t.Fatal(err)
			}
			tmp := ""
			for sc := bufio.NewScanner(stdout); sc.Scan(); {
				if name, ok := strings.CutPrefix(sc.Text(), "TEMP "); ok {
					tmp = name
					break
				}
			}
			if tmp == "" {
				_ = child.Process.Kill()
				t.Fatal("the child wrote no temporary file")
			}
			if _, err := os.Stat(tmp); err != nil {
				t.Fatalf("temporary file not there before the signal: %v", err)
			}
			if err := child.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			_ = child.Wait()
			ws, ok := child.ProcessState.Sys().(syscall.WaitStatus)
			if !ok || !ws.Signaled() || ws.Signal() != sig {
				t.Errorf("the child ended with %v, want killed by %v", child.ProcessState, sig)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("left behind: %v", entries)
			}
		})
	}
}
