package cmd

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/archdiag/archdiag/rules"
)

// README's generated blocks must match what archdiag generates; -update
// rewrites them in place.
func TestReadmeGeneratedBlocks(t *testing.T) {
	src, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var format bytes.Buffer
	writeFormatReference(&format)
	blocks := []struct{ name, content string }{
		{"format", format.String()},
		{"rules", rulesMarkdown(t)},
	}
	got := string(src)
	for _, b := range blocks {
		begin, end := "<!-- "+b.name+":begin -->\n", "<!-- "+b.name+":end -->"
		i, j := strings.Index(got, begin), strings.Index(got, end)
		if i < 0 || j < i {
			t.Fatalf("README.md lacks the markers %q and %q", begin, end)
		}
		got = got[:i+len(begin)] + b.content + got[j:]
	}
	if *update {
		if err := os.WriteFile("../README.md", []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got != string(src) {
		t.Errorf("README.md's generated blocks are stale; run go test ./cmd -update")
	}
}

func rulesMarkdown(t *testing.T) string {
	t.Helper()
	var b bytes.Buffer
	if err := rules.WriteRules(&b, "markdown"); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
