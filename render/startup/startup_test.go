package startup

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// Defined because `go test ./... -update` passes the flag to every package.
var _ = flag.Bool("update", false, "unused: this package has no golden files")

func TestChoose(t *testing.T) {
	base := t.TempDir()
	noUserDir := func() (string, error) { return "", errors.New("no home") }
	userDir := func() (string, error) { return filepath.Join(base, "user"), nil }
	file := filepath.Join(base, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		env    string
		user   func() (string, error)
		want   string
		wantOK bool
	}{
		{"from the environment", filepath.Join(base, "env"), noUserDir, filepath.Join(base, "env"), true},
		{"user cache dir", "", userDir, filepath.Join(base, "user", "archdiag"), true},
		{"no user cache dir", "", noUserDir, unusable, false},
		{"not creatable", filepath.Join(file, "sub"), userDir, unusable, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := choose(tt.env, tt.user)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("choose = %q, %v; want %q, %v", got, ok, tt.want, tt.wantOK)
			}
			if ok {
				if fi, err := os.Stat(got); err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 {
					t.Errorf("directory not created with mode 0700: %v, %v", fi, err)
				}
			}
		})
	}
}

func TestChooseRelative(t *testing.T) {
	t.Chdir(t.TempDir())
	got, ok := choose("rel", func() (string, error) { return "", errors.New("unused") })
	if !ok || !filepath.IsAbs(got) || filepath.Base(got) != "rel" {
		t.Errorf("choose(rel) = %q, %v; want an absolute path", got, ok)
	}
}

// The unusable path must never be creatable: it is where go-graphviz is
// pointed when there is no private cache directory.
func TestUnusable(t *testing.T) {
	if err := os.MkdirAll(filepath.Join(unusable, "go-graphviz"), 0o700); err == nil {
		t.Errorf("%s could be created", unusable)
	}
}

func TestRestoreTMPDIR(t *testing.T) {
	saved, had := userTMPDIR, hadTMPDIR
	defer func() { userTMPDIR, hadTMPDIR = saved, had }()
	t.Setenv("TMPDIR", "/elsewhere")
	userTMPDIR, hadTMPDIR = "/mine", true
	restoreTMPDIR()
	if got := os.Getenv("TMPDIR"); got != "/mine" {
		t.Errorf("TMPDIR = %q, want /mine", got)
	}
	hadTMPDIR = false
	restoreTMPDIR()
	if _, set := os.LookupEnv("TMPDIR"); set {
		t.Error("TMPDIR is set, want it unset as at start-up")
	}
}

// gcPercent reads the current GOGC setting.
func gcPercent() int {
	p := debug.SetGCPercent(-1)
	debug.SetGCPercent(p)
	return p
}

func TestCollectionDeferredPastStartup(t *testing.T) {
	if userGCPercent < 0 {
		t.Skip("GOGC=off in the environment")
	}
	defer debug.SetGCPercent(userGCPercent)
	userLimit := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(userLimit)

	debug.SetGCPercent(-1)
	const headroom = 8 << 20
	before := totalMemory()
	resumeGCAfter(headroom)
	if got := gcPercent(); got != -1 {
		t.Fatalf("GOGC = %d right after start-up, want collection off", got)
	}
	if got := debug.SetMemoryLimit(-1); got < before+headroom || got >= userLimit {
		t.Fatalf("memory limit = %d, want about %d", got, before+headroom)
	}
	// Grow the heap past the headroom: the first collection hands control
	// back to the user's settings.
	var keep [][]byte
	deadline := time.Now().Add(30 * time.Second)
	for debug.SetMemoryLimit(-1) != userLimit {
		if time.Now().After(deadline) {
			t.Fatalf("collection never resumed; memory %d, limit %d", totalMemory(), debug.SetMemoryLimit(-1))
		}
		keep = append(keep, make([]byte, 1<<20))
		if len(keep) > 64 {
			keep = keep[:0]
			runtime.Gosched()
		}
	}
	if got := gcPercent(); got != userGCPercent {
		t.Errorf("GOGC = %d after the first collection, want the user's %d", got, userGCPercent)
	}
}

func TestCollectionOffStaysOff(t *testing.T) {
	saved := userGCPercent
	defer func() { userGCPercent = saved; debug.SetGCPercent(saved) }()
	limit := debug.SetMemoryLimit(-1)
	userGCPercent = -1
	resumeGCAfter(8 << 20)
	if got := gcPercent(); got != -1 {
		t.Errorf("GOGC = %d, want off as the user set it", got)
	}
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Errorf("memory limit changed to %d, want the user's %d", got, limit)
	}
}

// compiledModule lays out a module as wazero's compilation cache does.
func compiledModule(version string, offsets int, code []byte) []byte {
	var b bytes.Buffer
	b.Write(wazeroMagic)
	b.WriteByte(byte(len(version)))
	b.WriteString(version)
	binary.Write(&b, binary.LittleEndian, uint32(offsets))
	for i := range offsets {
		binary.Write(&b, binary.LittleEndian, uint64(i))
	}
	binary.Write(&b, binary.LittleEndian, uint64(len(code)))
	b.Write(code)
	b.Write([]byte{1, 2, 3, 4}) // checksum
	b.WriteByte(0)              // no source map
	return b.Bytes()
}

func TestPruneDamagedCache(t *testing.T) {
	cache := t.TempDir()
	v := filepath.Join(cache, "wazero-v9.9.9-amd64-linux")
	if err := os.MkdirAll(v, 0o700); err != nil {
		t.Fatal(err)
	}
	whole := compiledModule("v9.9.9", 3, bytes.Repeat([]byte{0x90}, 1000))
	files := map[string][]byte{
		"whole":        whole,
		"truncated":    whole[:len(whole)/2],
		"no-flag":      whole[:len(whole)-1],
		"empty":        nil,
		"not-wazero":   []byte("#!/bin/sh\necho hello\n"),
		"huge-count":   append(append([]byte("WAZEVO\x06v9.9.9"), 0xff, 0xff, 0xff, 0x7f), make([]byte, 64)...),
		"partial.tmp":  whole[:10], // wazero's own file being written
		"other-module": compiledModule("v9.9.9", 0, []byte{1}),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(v, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	pruneDamagedCache(cache)
	kept := map[string]bool{"whole": true, "partial.tmp": true, "other-module": true}
	for name := range files {
		_, err := os.Stat(filepath.Join(v, name))
		if exists := err == nil; exists != kept[name] {
			t.Errorf("%s: exists = %v, want %v", name, exists, kept[name])
		}
	}
}
