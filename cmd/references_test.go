package cmd

import (
	"os"
	"strings"
	"testing"
)

// lint and notes judge the same model with the same rules of thumb: the
// configuration's reference capacity reaches both.
func TestReferenceCapacityFromConfigReachesLintAndNotes(t *testing.T) {
	src, err := os.ReadFile("../testdata/references/write-heavy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	if err := os.WriteFile("m.yaml", src, 0o644); err != nil {
		t.Fatal(err)
	}
	_, lint, _ := run(t, "", "lint", "--fail-on", "none", "m.yaml")
	_, notes, _ := run(t, "", "notes", "--format", "markdown", "m.yaml")
	for _, out := range []string{lint, notes} {
		if !strings.Contains(out, "assuming a relational primary sustains about 1,000 writes/s") {
			t.Errorf("without configuration, the documented reference should be named:\n%s", out)
		}
	}

	if err := os.WriteFile(".archdiag.yaml", []byte("reference_capacity:\n  database: {write_qps: 4000}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, lint, _ = run(t, "", "lint", "--fail-on", "none", "m.yaml")
	_, notes, _ = run(t, "", "notes", "--format", "markdown", "m.yaml")
	if strings.Contains(lint, "capacity/under-provisioned") {
		t.Errorf("4,000 writes/s carry the 1,000 at peak, yet lint reports:\n%s", lint)
	}
	if !strings.Contains(notes, "`writes 1,000 ÷ 4,000 = 25%`") || !strings.Contains(notes, "about 4,000 writes/s (set in .archdiag.yaml)") {
		t.Errorf("the notes should judge the database against the configuration's 4,000 writes/s:\n%s", notes)
	}
}
