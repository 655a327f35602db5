package model

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf16"
)

const depthMsg = "lists and mappings nest more than 100 levels deep here; a model nests fewer than ten, so check that this is the file you meant (not generated output)"

// The file: 400 lines of 9,990 nested "- ", under the size cap.
func deepDashes() []byte {
	return bytes.Repeat([]byte(strings.Repeat("- ", 9990)+"x\n"), 400)
}

func TestDeepNestingRefused(t *testing.T) {
	staircase := func(n int, line func(i int) string) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(line(i))
		}
		return b.String()
	}
	for _, tt := range []struct{ name, src, want string }{
		{"compact items", string(deepDashes()), "t.yaml:1:201: " + depthMsg},
		{"indented keys", staircase(300, func(i int) string { return strings.Repeat(" ", i) + "k:\n" }), "t.yaml:101:101: " + depthMsg},
		{"lists at their key's indentation", staircase(300, func(i int) string { return strings.Repeat("  ", i) + "- k:\n" }), "t.yaml:51:101: " + depthMsg},
		{"brackets", "a: " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "\n", "t.yaml:1:103: " + depthMsg},
		{"brackets across lines", "a: " + strings.Repeat("{b: [\n", 3000), "t.yaml:50:5: " + depthMsg},
		{"after a byte order mark", "\uFEFFa:\n" + strings.Repeat("- ", 200) + "\n", "t.yaml:2:199: " + depthMsg},
		{"non-ASCII before the level", "é: " + strings.Repeat("[", 200) + "\n", "t.yaml:1:103: " + depthMsg},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load("t.yaml", []byte(tt.src))
			if err == nil || err.Error() != tt.want {
				t.Errorf("got %v\nwant %s", err, tt.want)
			}
		})
	}
}

// Text that looks deep but is a value, and nesting under the cap, load as
// usual.
func TestShallowOrQuotedNestingLoads(t *testing.T) {
	dashes := strings.Repeat("- ", 300)
	brackets := strings.Repeat("[", 300)
	nested := func(depth int) string {
		var b strings.Builder
		b.WriteString(head + "components:\n  u: {kind: client}\nx:\n")
		for i := 1; i < depth; i++ {
			b.WriteString(strings.Repeat(" ", i) + "k:\n")
		}
		return b.String()
	}
	for _, tt := range []struct{ name, src string }{
		{"block scalar", head + "description: |\n  " + dashes + "\n  " + brackets + "\ncomponents:\n  u: {kind: client}\n"},
		{"folded scalar in a list item", head + "components:\n  u:\n    kind: client\n    label: >-\n      " + dashes + "\n"},
		{"quoted across lines", head + "description: \"" + brackets + "\n  " + dashes + "\"\ncomponents:\n  u: {kind: client}\n"},
		{"single-quoted", head + "description: '" + brackets + "''" + dashes + "'\ncomponents:\n  u: {kind: client}\n"},
		{"plain", head + "description: a" + brackets + "\ncomponents:\n  u: {kind: client}\n"},
		{"comment", head + "# " + dashes + brackets + "\ncomponents:\n  u: {kind: client} # " + brackets + "\n"},
		{"ninety levels", nested(90)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load("t.yaml", []byte(tt.src))
			if err != nil && strings.Contains(err.Error(), "levels deep") {
				t.Errorf("refused as too deep:\n%v", err)
			}
		})
	}
}

func TestOtherEncodingsNamed(t *testing.T) {
	const src = "archdiag: 1\nname: t\ncomponents:\n  u: {kind: client}\n"
	utf16le := func(bom bool) []byte {
		var b []byte
		if bom {
			b = append(b, 0xFF, 0xFE)
		}
		for _, u := range utf16.Encode([]rune(src)) {
			b = append(b, byte(u), byte(u>>8))
		}
		return b
	}
	swap16 := func(b []byte) []byte {
		out := bytes.Clone(b)
		for i := 0; i+1 < len(out); i += 2 {
			out[i], out[i+1] = out[i+1], out[i]
		}
		return out
	}
	utf32 := func(bom, big bool) []byte {
		var b []byte
		runes := []rune(src)
		if bom {
			runes = append([]rune{0xFEFF}, runes...)
		}
		for _, r := range runes {
			w := []byte{byte(r), byte(r >> 8), byte(r >> 16), byte(r >> 24)}
			if big {
				w[0], w[1], w[2], w[3] = w[3], w[2], w[1], w[0]
			}
			b = append(b, w...)
		}
		return b
	}
	for _, tt := range []struct {
		name string
		src  []byte
		want string
	}{
		{"UTF-16LE with BOM", utf16le(true), "UTF-16 (little-endian)"},
		{"UTF-16LE", utf16le(false), "UTF-16 (little-endian)"},
		{"UTF-16BE with BOM", swap16(utf16le(true)), "UTF-16 (big-endian)"},
		{"UTF-16BE", swap16(utf16le(false)), "UTF-16 (big-endian)"},
		{"UTF-32LE with BOM", utf32(true, false), "UTF-32 (little-endian)"},
		{"UTF-32LE", utf32(false, false), "UTF-32 (little-endian)"},
		{"UTF-32BE with BOM", utf32(true, true), "UTF-32 (big-endian)"},
		{"UTF-32BE", utf32(false, true), "UTF-32 (big-endian)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load("t.yaml", tt.src)
			want := "t.yaml:1:1: the file is " + tt.want + "; save it as UTF-8"
			if err == nil || err.Error() != want {
				t.Errorf("got %v\nwant %s", err, want)
			}
		})
	}
	if _, err := Load("t.yaml", []byte("\uFEFF"+src)); err != nil {
		t.Errorf("UTF-8 with a byte order mark: %v", err)
	}
}

// BenchmarkDeepNestingRefused times the refusal of the file, which
// the parser took 17 s and 1.2 GB to refuse; the scan should take
// milliseconds and allocate little.
func BenchmarkDeepNestingRefused(b *testing.B) {
	src := deepDashes()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load("deep.yaml", src); err == nil {
			b.Fatal("loaded")
		}
	}
}

// BenchmarkDepthScan times the scan over a file nested just under the cap
// to its last byte: the most it can cost.
func BenchmarkDepthScan(b *testing.B) {
	line := strings.Repeat("- ", MaxDepth/2) + "x\n"
	src := bytes.Repeat([]byte(line), MaxFileSize/len(line))
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if err := depthError("deep.yaml", src); err != nil {
			b.Fatal(err)
		}
	}
}
