package rules_test

import (
	"os"
	"regexp"
	"testing"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/rules/rulestest"
)

const designs = "../testdata/designs"

// TestDesigns holds lint to what the authors of published designs say is
// wrong with them (testdata/designs/README.md): each problem a source names
// is a want, a finding it does not name but a reviewer accepts is an accept
// with the reviewer's reason, and any other finding fails. Info findings
// need no want: they say what a model leaves unchecked, not that a part is
// at fault.
func TestDesigns(t *testing.T) {
	files := rulestest.RunWith(t, designs, nil, rulestest.Options{MinSeverity: model.SeverityWarning})
	if len(files) < 10 {
		t.Errorf("%d designs under %s, want at least 10", len(files), designs)
	}
}

// The opening comment of a design names its source and the part translated.
var citation = regexp.MustCompile(`(?s)\A# Sources?: .*(https://|shared/seed).*\n# Sections? translated: `)

func TestDesignsCiteTheirSources(t *testing.T) {
	files, err := rulestest.Fixtures(designs)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !citation.Match(src) {
			t.Errorf("%s: open with '# Source: title, author, URL' and '# Section translated: ...'", f)
		}
	}
}
