package cmd

import (
	"errors"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// A temporary output file is named .NAME.archdiag-PID-RANDOM.tmp beside
// NAME: hidden, recognisably archdiag's, and carrying the process that
// wrote it, so that a later write to NAME can remove one left by a process
// that no longer runs (killed with SIGKILL between write and rename).

func tempPrefix(path string) string {
	return "." + filepath.Base(path) + ".archdiag-" + strconv.Itoa(os.Getpid()) + "-"
}

// removeStaleTemps removes the temporary files of earlier writes to path
// whose process has ended.
func removeStaleTemps(path string) {
	dir, prefix := filepath.Dir(path), "."+filepath.Base(path)+".archdiag-"
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || !strings.HasSuffix(rest, ".tmp") || !e.Type().IsRegular() {
			continue
		}
		pidText, _, _ := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid <= 0 || pid == os.Getpid() || processRuns(pid) {
			continue
		}
		os.Remove(filepath.Join(dir, e.Name()))
	}
}

// processRuns reports whether the process pid may still run: only a
// process known to have ended counts as ended.
func processRuns(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	defer p.Release()
	return !errors.Is(p.Signal(syscall.Signal(0)), os.ErrProcessDone)
}

// pending holds the temporary files written and not yet renamed or
// removed. While there are any, SIGINT, SIGTERM and SIGHUP remove them
// before the process ends of the signal.
var pending = struct {
	sync.Mutex
	names map[string]bool
	stop  func()
}{names: map[string]bool{}}

func trackTemp(name string) {
	pending.Lock()
	defer pending.Unlock()
	pending.names[name] = true
	if pending.stop == nil {
		pending.stop = removeTempsOnSignal()
	}
}

// releaseTemp removes a temporary file if it is still there (after a
// rename it is not) and stops tracking it.
func releaseTemp(name string) {
	os.Remove(name)
	pending.Lock()
	defer pending.Unlock()
	delete(pending.names, name)
	if len(pending.names) == 0 && pending.stop != nil {
		pending.stop()
		pending.stop = nil
	}
}

func removeTempsOnSignal() (stop func()) {
	var sigs []os.Signal
	for _, s := range []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP} {
		if !signal.Ignored(s) { // nohup's and a background job's stay ignored
			sigs = append(sigs, s)
		}
	}
	ch := make(chan os.Signal, 1)
	done := make(chan struct{})
	signal.Notify(ch, sigs...)
	go func() {
		select {
		case sig := <-ch:
			pending.Lock() // held to the end: no rename starts now
			for name := range pending.names {
				os.Remove(name)
			}
			signal.Reset(sigs...)
			raise(sig)
		case <-done:
		}
	}()
	return func() {
		signal.Stop(ch)
		close(done)
	}
}

// raise ends the process of sig as if it had not been caught, so that the
// shell sees how it ended; where a process cannot signal itself, it exits
// with the shell's 128+N.
func raise(sig os.Signal) {
	if p, err := os.FindProcess(os.Getpid()); err == nil && p.Signal(sig) == nil {
		time.Sleep(time.Second)
	}
	code := 1
	if s, ok := sig.(syscall.Signal); ok {
		code = 128 + int(s)
	}
	os.Exit(code)
}
