package rules_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/rules"
)

// writeHeavy is a model whose database states no capacity, so a reference
// capacity stands in.
func writeHeavy(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile("../testdata/references/write-heavy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(src)
}

func underProvisioned(t *testing.T, src string, cfg *rules.Config) []model.Finding {
	t.Helper()
	m, err := model.Load("write-heavy.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	fs, err := rules.Run(m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var out []model.Finding
	for _, f := range fs {
		if f.Rule == "capacity/under-provisioned" {
			out = append(out, f)
		}
	}
	return out
}

// A capacity that rests on a rule of thumb says so and is a warning; the
// configuration and the model can each set the value.
func TestReferenceCapacities(t *testing.T) {
	fs := underProvisioned(t, writeHeavy(t), nil)
	if len(fs) != 1 || fs[0].Severity != model.SeverityWarning ||
		!strings.Contains(fs[0].Message, "1,000 writes/s (2,000 rps at peak × 0.5 writes = 1,000 writes/s) against 1,000 writes/s, assuming a relational primary sustains about 1,000 writes/s") {
		t.Fatalf("with the default reference: %v", fs)
	}

	cfg, err := rules.LoadConfig(".archdiag.yaml", []byte("reference_capacity:\n  database: {write_qps: 3000}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if fs := underProvisioned(t, writeHeavy(t), cfg); len(fs) != 0 {
		t.Errorf("the configuration's 3,000 writes/s should carry 1,000: %v", fs)
	}

	inModel := strings.Replace(writeHeavy(t), "components:", "reference_capacity:\n  database: {write_qps: 800}\ncomponents:", 1)
	fs = underProvisioned(t, inModel, cfg)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "about 800 writes/s (set in the model)") {
		t.Errorf("the model's value should win over the configuration's: %v", fs)
	}

	stated := strings.Replace(writeHeavy(t), "kind: database\n    failover", "kind: database\n    capacity: {write_qps: 900}\n    failover", 1)
	fs = underProvisioned(t, stated, nil)
	if len(fs) != 1 || fs[0].Severity != model.SeverityError || strings.Contains(fs[0].Message, "assuming") {
		t.Errorf("a stated capacity is no assumption: %v", fs)
	}
}

func TestReferenceTableNamesSources(t *testing.T) {
	var b bytes.Buffer
	if err := rules.WriteReferences(&b); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n")[2:] {
		cells := strings.Split(line, "|")
		if len(cells) < 5 || strings.TrimSpace(cells[4]) == "" {
			t.Errorf("reference without a source: %s", line)
		}
	}
}
