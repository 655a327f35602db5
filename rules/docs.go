package rules

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// RuleFormats lists the formats WriteRules accepts.
var RuleFormats = []string{"text", "markdown", "json"}

// WriteRules lists every rule in format: "text" (aligned columns),
// "markdown" (README's rule table: ID, severity, title) or "json" (an array
// of objects with id, severity, title, doc and fix).
func WriteRules(w io.Writer, format string) error {
	rules := All()
	switch format {
	case "text":
		tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
		for _, r := range rules {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ID, r.Severity, r.Title)
		}
		return tw.Flush()
	case "markdown":
		var b strings.Builder
		b.WriteString("| Rule | Severity | Reports |\n| --- | --- | --- |\n")
		for _, r := range rules {
			fmt.Fprintf(&b, "| `%s` | %s | %s |\n", r.ID, r.Severity, strings.ReplaceAll(r.Title, "|", `\|`))
		}
		_, err := io.WriteString(w, b.String())
		return err
	case "json":
		type rule struct {
			ID       string `json:"id"`
			Severity string `json:"severity"`
			Title    string `json:"title"`
			Doc      string `json:"doc"`
			Fix      string `json:"fix"`
		}
		out := make([]rule, len(rules))
		for i, r := range rules {
			out[i] = rule{ID: r.ID, Severity: r.Severity.String(), Title: r.Title, Doc: r.Doc, Fix: r.Fix}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
	return fmt.Errorf("unknown format %q (want one of: %s)", format, strings.Join(RuleFormats, ", "))
}

// Explain writes the documentation of the rule with the given id: its
// title, default severity, rationale, trigger, example and fix.
func Explain(w io.Writer, id string) error {
	r := Lookup(id)
	if r == nil {
		return fmt.Errorf("unknown rule %q%s", id, didYouMean(id))
	}
	_, err := fmt.Fprintf(w, "%s: %s\n\nDefault severity: %s\n\n%s\n\nFix: %s\n", r.ID, r.Title, r.Severity, r.Doc, r.Fix)
	return err
}
