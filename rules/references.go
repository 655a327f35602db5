package rules

import (
	"fmt"
	"io"
	"strings"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/analysis"
)

// References returns the rules of thumb that stand in for capacities m
// does not state: the documented defaults, then the configuration's
// reference_capacity, then the model's own.
func (c *Config) References(m *model.Model) *analysis.ReferenceSet {
	base := analysis.DefaultReferences()
	if c != nil && c.reference != nil {
		analysis.ApplyReferences(base, c.reference, ConfigFile)
	}
	return analysis.ModelReferences(m, base)
}

// Analyze returns the analysis of m that Run judges with cfg.
func Analyze(m *model.Model, cfg *Config) *analysis.Analysis {
	return analysis.Analyze(m, analysis.Options{References: cfg.References(m)})
}

// WriteReferences writes the documented rules of thumb as a markdown table.
func WriteReferences(w io.Writer) error {
	var b strings.Builder
	b.WriteString("| kind | field | value | source |\n| --- | --- | --- | --- |\n")
	for _, r := range analysis.References {
		fmt.Fprintf(&b, "| `%s` | `%s` | %s %s | %s |\n", r.Kind, r.Metric, model.Rate(r.Value), r.Unit, r.Source)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
