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
		{"references", referencesMarkdown(t)},
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

func referencesMarkdown(t *testing.T) string {
	t.Helper()
	var b bytes.Buffer
	if err := rules.WriteReferences(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// The output README quotes must still be what archdiag prints.
func TestReadmeExcerptsAreCurrent(t *testing.T) {
	src, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(src)
	t.Chdir("..")
	_, lint, _ := run(t, "", "lint", "examples/three-tier.yaml")
	_, notes, _ := run(t, "", "notes", "examples/signup-email.yaml")

	start := strings.Index(readme, "```text\nexamples/three-tier.yaml")
	if start < 0 {
		t.Fatal("README has no lint example")
	}
	block := readme[start+len("```text\n"):]
	block = block[:strings.Index(block, "```")]
	for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
		if !strings.Contains(lint, line+"\n") {
			t.Errorf("README's lint example line is no longer printed:\n%s", line)
		}
	}

	start = strings.Index(readme, "An excerpt from `archdiag notes examples/signup-email.yaml`:")
	if start < 0 {
		t.Fatal("README has no notes excerpt")
	}
	for _, line := range strings.Split(readme[start:], "\n")[2:] {
		if !strings.HasPrefix(line, ">") {
			break
		}
		line = strings.TrimSpace(strings.TrimPrefix(line, ">"))
		if line != "" && !strings.Contains(notes, line) {
			t.Errorf("README's notes excerpt line is no longer written:\n%s", line)
		}
	}
}
