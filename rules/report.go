package rules

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/visible"
)

// A Report is the outcome of linting: the findings, suppressed ones
// included, and the problems that stopped the model or the configuration
// from loading, kept apart.
type Report struct {
	Findings []model.Finding
	Errors   model.ErrorList
}

// Counts tallies a report's findings.
type Counts struct {
	Error, Warning, Info int // unsuppressed findings by severity
	Suppressed           int
}

// Total is the number of unsuppressed findings.
func (c Counts) Total() int { return c.Error + c.Warning + c.Info }

// Counts tallies the findings by severity, suppressed ones apart.
func (r *Report) Counts() Counts {
	var c Counts
	for _, f := range r.Findings {
		switch {
		case f.Suppressed:
			c.Suppressed++
		case f.Severity >= model.SeverityError:
			c.Error++
		case f.Severity == model.SeverityWarning:
			c.Warning++
		default:
			c.Info++
		}
	}
	return c
}

// Fails reports whether an unsuppressed finding is at or above threshold.
// A threshold of model.SeverityNone never fails.
func (r *Report) Fails(threshold model.Severity) bool {
	if threshold <= model.SeverityNone {
		return false
	}
	for _, f := range r.Findings {
		if !f.Suppressed && f.Severity >= threshold {
			return true
		}
	}
	return false
}

// Formats lists the report formats Write accepts.
var Formats = []string{"text", "json", "sarif", "github"}

// WriteOptions tune Write.
type WriteOptions struct {
	Color   bool   // text: colour severities with ANSI escapes
	Version string // json, sarif: archdiag's version
}

// Write writes r in format, one of Formats.
func Write(w io.Writer, r *Report, format string, opts WriteOptions) error {
	switch format {
	case "text":
		return WriteText(w, r, opts.Color)
	case "json":
		return WriteJSON(w, r, opts.Version)
	case "sarif":
		return WriteSARIF(w, r, opts.Version)
	case "github":
		return WriteGitHub(w, r)
	}
	return fmt.Errorf("unknown format %q (want one of: %s)", format, strings.Join(Formats, ", "))
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[1;31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
)

// WriteText writes one "file:line:col: severity: message [rule]" line per
// unsuppressed finding with its fix indented below, then a summary line.
// Problems in r.Errors come first, one "file:line:col: message" line each.
func WriteText(w io.Writer, r *Report, color bool) error {
	bw := bufio.NewWriter(w)
	paint := func(code, s string) string {
		if !color {
			return s
		}
		return code + s + ansiReset
	}
	for _, e := range r.Errors {
		fmt.Fprintf(bw, "%s: %s %s\n", paint(ansiBold, PosText(e.Pos)), paint(ansiRed, "error:"), visible.Line(e.Msg))
	}
	for _, f := range r.Findings {
		if f.Suppressed {
			continue
		}
		sev := f.Severity.String() + ":"
		switch f.Severity {
		case model.SeverityError:
			sev = paint(ansiRed, sev)
		case model.SeverityWarning:
			sev = paint(ansiYellow, sev)
		default:
			sev = paint(ansiCyan, sev)
		}
		fmt.Fprintf(bw, "%s: %s %s %s\n", paint(ansiBold, PosText(f.Pos)), sev, visible.Line(f.Message), paint(ansiDim, "["+f.Rule+"]"))
		if f.Fix != "" {
			fmt.Fprintf(bw, "    %s %s\n", paint(ansiDim, "fix:"), visible.Line(f.Fix))
		}
	}
	fmt.Fprintln(bw, summary(r))
	return bw.Flush()
}

// PosText is p as "file:line:col" for a line of text output: the file name
// as visible.FileName shows it, so that no name can act on a terminal or
// pass for a CI workflow command.
func PosText(p model.Pos) string {
	if p.File == "" {
		return p.String()
	}
	return visible.FileName(p.File) + strings.TrimPrefix(p.String(), p.File)
}

// summary is e.g. "3 findings (1 error, 2 warnings), 1 suppressed".
func summary(r *Report) string {
	c := r.Counts()
	var parts []string
	if c.Error > 0 {
		parts = append(parts, model.Plural(c.Error, "error"))
	}
	if c.Warning > 0 {
		parts = append(parts, model.Plural(c.Warning, "warning"))
	}
	if c.Info > 0 {
		parts = append(parts, fmt.Sprintf("%d info", c.Info))
	}
	s := "no findings"
	if n := c.Total(); n > 0 {
		s = fmt.Sprintf("%s (%s)", model.Plural(n, "finding"), strings.Join(parts, ", "))
	}
	if c.Suppressed > 0 {
		s += fmt.Sprintf(", %d suppressed", c.Suppressed)
	}
	if len(r.Errors) > 0 {
		s += "; " + model.Plural(len(r.Errors), "problem") + " in the input"
	}
	return s
}

// JSONVersion is the version of the JSON report's shape.
const JSONVersion = 1

// WriteJSON writes r as one JSON document, version 1, indented by two
// spaces. Its shape is stable: fields are added, never renamed or removed.
//
//	{
//	  "version": 1,
//	  "tool": {"name": "archdiag", "version": "0.1.0"},
//	  "summary": {"findings": 2, "error": 1, "warning": 1, "info": 0, "suppressed": 1, "errors": 0},
//	  "findings": [
//	    {
//	      "rule_id": "lb/single-instance",
//	      "severity": "error",
//	      "message": "every path from 'users' to 'db' passes through webserver 'web' (1 instance, no failover)",
//	      "component": "web",
//	      "location": {"file": "shop.yaml", "line": 23, "column": 3},
//	      "related": [{"location": {"file": "shop.yaml", "line": 21, "column": 13}, "message": "users -> web"}],
//	      "related_omitted": 0,
//	      "fix": "Use a managed load balancer, or ...",
//	      "fingerprint": "lb/single-instance:shop.yaml:web:1f0c3a9e",
//	      "suppressed": false
//	    }
//	  ],
//	  "errors": [{"location": {"file": "shop.yaml", "line": 7, "column": 5}, "message": "..."}]
//	}
//
// summary counts unsuppressed findings by severity ("findings" is their
// total); "suppressed" counts the others and "errors" the entries of the
// errors array, the problems that kept the input from loading. findings
// holds every finding, suppressed ones with "suppressed": true and their
// "justification"; "component" is "" for a finding about the whole model;
// "related" and "errors" are always arrays. "related" lists at most
// MaxRelated places; "related_omitted", present only when it is not 0,
// counts those left out. Messages show control, bidirectional and
// zero-width characters as visible.Line does; anywhere else (a file name)
// such characters are written as \u escapes. "fingerprint" identifies a
// finding across edits that move lines (rule, file, component and a hash
// of the message without its digits; "#2", "#3" for repeats).
func WriteJSON(w io.Writer, r *Report, version string) error {
	type location struct {
		File   string `json:"file"`
		Line   int    `json:"line"`
		Column int    `json:"column"`
	}
	type related struct {
		Location location `json:"location"`
		Message  string   `json:"message"`
	}
	type finding struct {
		RuleID        string    `json:"rule_id"`
		Severity      string    `json:"severity"`
		Message       string    `json:"message"`
		Component     string    `json:"component"`
		Location      location  `json:"location"`
		Related       []related `json:"related"`
		Omitted       int       `json:"related_omitted,omitempty"`
		Fix           string    `json:"fix"`
		Fingerprint   string    `json:"fingerprint"`
		Suppressed    bool      `json:"suppressed"`
		Justification string    `json:"justification,omitempty"`
	}
	type problem struct {
		Location location `json:"location"`
		Message  string   `json:"message"`
	}
	loc := func(p model.Pos) location { return location{File: p.File, Line: p.Line, Column: p.Col} }
	c := r.Counts()
	doc := struct {
		Version int `json:"version"`
		Tool    struct {
			Name    string `json:"name"`
			Version string `json:"version"`
		} `json:"tool"`
		Summary struct {
			Findings   int `json:"findings"`
			Error      int `json:"error"`
			Warning    int `json:"warning"`
			Info       int `json:"info"`
			Suppressed int `json:"suppressed"`
			Errors     int `json:"errors"`
		} `json:"summary"`
		Findings []finding `json:"findings"`
		Errors   []problem `json:"errors"`
	}{Version: JSONVersion, Findings: []finding{}, Errors: []problem{}}
	doc.Tool.Name, doc.Tool.Version = "archdiag", version
	doc.Summary.Findings, doc.Summary.Error, doc.Summary.Warning, doc.Summary.Info = c.Total(), c.Error, c.Warning, c.Info
	doc.Summary.Suppressed, doc.Summary.Errors = c.Suppressed, len(r.Errors)
	fps := fingerprints(r.Findings)
	for i, f := range r.Findings {
		rels, omitted := capRelated(f.Related)
		jf := finding{
			RuleID: f.Rule, Severity: f.Severity.String(), Message: visible.Line(f.Message), Component: f.Component,
			Location: loc(f.Pos), Related: []related{}, Omitted: omitted, Fix: visible.Line(f.Fix), Fingerprint: fps[i],
			Suppressed: f.Suppressed, Justification: visible.Line(f.Justification),
		}
		for _, rel := range rels {
			jf.Related = append(jf.Related, related{Location: loc(rel.Pos), Message: visible.Line(rel.Message)})
		}
		doc.Findings = append(doc.Findings, jf)
	}
	for _, e := range r.Errors {
		doc.Errors = append(doc.Errors, problem{Location: loc(e.Pos), Message: visible.Line(e.Msg)})
	}
	return writeJSON(w, doc)
}

// MaxRelated is the most related places a finding lists in JSON and SARIF;
// the rest are counted. A dense model can relate a finding to every call
// in it, and GitHub shows at most 100 locations per result.
const MaxRelated = 20

// capRelated returns the first MaxRelated of rs and how many it left out.
func capRelated(rs []model.Related) ([]model.Related, int) {
	if len(rs) <= MaxRelated {
		return rs, 0
	}
	return rs[:MaxRelated], len(rs) - MaxRelated
}

// writeJSON writes v indented by two spaces, with every control,
// bidirectional or zero-width character that encoding/json would write
// raw escaped as \uXXXX, so the bytes themselves hold none.
func writeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(escapeHiddenJSON(buf.Bytes()))
	return err
}

// escapeHiddenJSON escapes the characters visible.Hidden reports in
// encoded JSON. encoding/json escapes every C0 control inside strings and
// writes only spaces and line feeds outside them, so each character found
// here is inside a string, where a \u escape means the same.
func escapeHiddenJSON(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); {
		r, size := rune(b[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(b[i:])
		}
		if r < 0x20 || r == utf8.RuneError && size == 1 || !visible.Hidden(r) {
			if out != nil {
				out = append(out, b[i:i+size]...)
			}
			i += size
			continue
		}
		if out == nil {
			out = append(make([]byte, 0, len(b)+64), b[:i]...)
		}
		if r > 0xffff {
			r1, r2 := utf16.EncodeRune(r)
			out = fmt.Appendf(out, `\u%04x\u%04x`, r1, r2)
		} else {
			out = fmt.Appendf(out, `\u%04x`, r)
		}
		i += size
	}
	if out == nil {
		return b
	}
	return out
}

// fingerprints returns each finding's model fingerprint, with "#2", "#3"
// appended to the second and later findings that share one.
func fingerprints(fs []model.Finding) []string {
	out := make([]string, len(fs))
	seen := map[string]int{} // looked up only
	for i, f := range fs {
		fp := f.Fingerprint()
		seen[fp]++
		if n := seen[fp]; n > 1 {
			fp += fmt.Sprintf("#%d", n)
		}
		out[i] = fp
	}
	return out
}

// WriteGitHub writes one GitHub Actions workflow command per unsuppressed
// finding (::error, ::warning, or ::notice for info), titled with the rule
// id, so that findings annotate the pull request; then one ::error per
// problem in r.Errors. Messages keep their line breaks, escaped as the
// runner expects; other control, bidirectional and zero-width characters
// are shown as visible.Text shows them.
func WriteGitHub(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	props := func(p model.Pos) string {
		s := "file=" + escapeProperty(visible.Line(p.File))
		if p.Line > 0 {
			s += fmt.Sprintf(",line=%d", p.Line)
		}
		if p.Col > 0 {
			s += fmt.Sprintf(",col=%d", p.Col)
		}
		return s
	}
	for _, f := range r.Findings {
		if f.Suppressed {
			continue
		}
		cmd := "notice"
		switch f.Severity {
		case model.SeverityError:
			cmd = "error"
		case model.SeverityWarning:
			cmd = "warning"
		}
		msg := visible.Text(f.Message)
		if f.Fix != "" {
			msg += "\nFix: " + visible.Text(f.Fix)
		}
		fmt.Fprintf(bw, "::%s %s,title=%s::%s\n", cmd, props(f.Pos), escapeProperty(f.Rule), escapeData(msg))
	}
	for _, e := range r.Errors {
		fmt.Fprintf(bw, "::error %s,title=archdiag::%s\n", props(e.Pos), escapeData(visible.Text(e.Msg)))
	}
	return bw.Flush()
}

// escapeData escapes a workflow command's message as @actions/core does.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
