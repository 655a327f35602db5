package rules

import (
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/visible"
)

// InformationURI is where people learn about archdiag; SARIF readers link it.
const InformationURI = "https://github.com/archdiag/archdiag"

// The SARIF 2.1.0 subset archdiag writes. These structs are written out
// rather than taken from a SARIF library so that the log holds only the
// properties archdiag fills: libraries that model the whole schema emit
// every empty array and default value.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool        sarifTool         `json:"tool"`
		Invocations []sarifInvocation `json:"invocations"`
		Results     []sarifResult     `json:"results"`
		ColumnKind  string            `json:"columnKind"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string             `json:"id"`
		Name                 string             `json:"name"`
		ShortDescription     sarifMessage       `json:"shortDescription"`
		FullDescription      sarifMessage       `json:"fullDescription"`
		Help                 sarifMultiformat   `json:"help"`
		DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
		Properties           sarifRuleProps     `json:"properties"`
	}
	sarifRuleProps struct {
		Tags []string `json:"tags"`
	}
	sarifConfiguration struct {
		Level string `json:"level"`
	}
	sarifMessage struct {
		Text string `json:"text"`
	}
	sarifMultiformat struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown"`
	}
	sarifInvocation struct {
		ExecutionSuccessful        bool                `json:"executionSuccessful"`
		ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
	}
	sarifNotification struct {
		Level     string          `json:"level"`
		Message   sarifMessage    `json:"message"`
		Locations []sarifLocation `json:"locations,omitempty"`
	}
	sarifResult struct {
		RuleID              string             `json:"ruleId"`
		RuleIndex           int                `json:"ruleIndex"`
		Level               string             `json:"level"`
		Message             sarifMessage       `json:"message"`
		Locations           []sarifLocation    `json:"locations"`
		RelatedLocations    []sarifLocation    `json:"relatedLocations,omitempty"`
		PartialFingerprints map[string]string  `json:"partialFingerprints"`
		Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	}
	sarifLocation struct {
		ID               int                    `json:"id,omitempty"`
		PhysicalLocation sarifPhysicalLocation  `json:"physicalLocation"`
		LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
		Message          *sarifMessage          `json:"message,omitempty"`
	}
	sarifPhysicalLocation struct {
		ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
		Region           *sarifRegion          `json:"region,omitempty"`
	}
	sarifArtifactLocation struct {
		URI string `json:"uri"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn,omitempty"`
	}
	sarifLogicalLocation struct {
		Name string `json:"name"`
		Kind string `json:"kind"`
	}
	sarifSuppression struct {
		Kind          string `json:"kind"`
		Justification string `json:"justification,omitempty"`
	}
)

// sarifFingerprintKey names archdiag's partial fingerprint.
const sarifFingerprintKey = "archdiagFingerprint/v1"

// WriteSARIF writes r as a SARIF 2.1.0 log with one run: every rule as a
// reporting descriptor, every finding as a result pointing at its file,
// line and column (suppressed ones carry an inSource suppression with the
// justification), and the problems of r.Errors as tool execution
// notifications. File names become relative URIs. A result lists at most
// MaxRelated related locations and its message says how many there are.
func WriteSARIF(w io.Writer, r *Report, version string) error {
	rules := All()
	index := map[string]int{} // looked up only
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name: "archdiag", Version: numericVersion(version), InformationURI: InformationURI, Rules: []sarifRule{},
		}},
		Invocations: []sarifInvocation{{ExecutionSuccessful: len(r.Errors) == 0}},
		Results:     []sarifResult{},
		ColumnKind:  "unicodeCodePoints",
	}
	for i, rule := range rules {
		index[rule.ID] = i
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
			ID:                   rule.ID,
			Name:                 pascalCase(rule.ID),
			ShortDescription:     sarifMessage{Text: sentence(rule.Title)},
			FullDescription:      sarifMessage{Text: firstParagraph(rule.Doc)},
			Help:                 sarifMultiformat{Text: rule.Fix + "\n\n" + rule.Doc, Markdown: "**Fix:** " + rule.Fix + "\n\n" + rule.Doc},
			DefaultConfiguration: sarifConfiguration{Level: sarifLevel(rule.Severity)},
			Properties:           sarifRuleProps{Tags: []string{rule.Category()}},
		})
	}
	fps := fingerprints(r.Findings)
	for i, f := range r.Findings {
		rels, omitted := capRelated(f.Related)
		msg := sentence(visible.Line(f.Message))
		if omitted > 0 {
			msg += fmt.Sprintf(" The first %d of %d related locations are listed.", len(rels), len(f.Related))
		}
		res := sarifResult{
			RuleID:              f.Rule,
			RuleIndex:           index[f.Rule],
			Level:               sarifLevel(f.Severity),
			Message:             sarifMessage{Text: msg},
			Locations:           []sarifLocation{sarifLoc(f.Pos, 0, "")},
			PartialFingerprints: map[string]string{sarifFingerprintKey: fps[i]},
		}
		if f.Component != "" {
			res.Locations[0].LogicalLocations = []sarifLogicalLocation{{Name: f.Component, Kind: "object"}}
		}
		for j, rel := range rels {
			res.RelatedLocations = append(res.RelatedLocations, sarifLoc(rel.Pos, j+1, visible.Line(rel.Message)))
		}
		if f.Suppressed {
			res.Suppressions = []sarifSuppression{{Kind: "inSource", Justification: visible.Line(f.Justification)}}
		}
		run.Results = append(run.Results, res)
	}
	for _, e := range r.Errors {
		run.Invocations[0].ToolExecutionNotifications = append(run.Invocations[0].ToolExecutionNotifications, sarifNotification{
			Level: "error", Message: sarifMessage{Text: sentence(visible.Line(e.Msg))}, Locations: []sarifLocation{sarifLoc(e.Pos, 0, "")},
		})
	}
	return writeJSON(w, sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{run},
	})
}

func sarifLoc(p model.Pos, id int, msg string) sarifLocation {
	l := sarifLocation{ID: id, PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: sarifArtifactLocation{URI: fileURI(p.File)}}}
	if p.Line > 0 {
		l.PhysicalLocation.Region = &sarifRegion{StartLine: p.Line, StartColumn: p.Col}
	}
	if msg != "" {
		l.Message = &sarifMessage{Text: sentence(msg)}
	}
	return l
}

// fileURI turns a file name as the user gave it into a relative URI
// reference: forward slashes, reserved characters escaped.
func fileURI(name string) string {
	return (&url.URL{Path: filepath.ToSlash(name)}).String()
}

func sarifLevel(s model.Severity) string {
	switch s {
	case model.SeverityError:
		return "error"
	case model.SeverityWarning:
		return "warning"
	}
	return "note"
}

// numericVersion is version as SARIF wants it, starting with a digit:
// "v1.2.3" is "1.2.3", a development build "0.0.0-dev".
func numericVersion(version string) string {
	v := strings.TrimPrefix(version, "v")
	if v == "" || v[0] < '0' || v[0] > '9' {
		return "0.0.0-" + v
	}
	return v
}

// sentence ends s with a period, as SARIF messages are. It is not
// capitalised: many messages start with a component id, and ids are case
// sensitive.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// firstParagraph returns the text before the first blank line, on one line.
func firstParagraph(doc string) string {
	p, _, _ := strings.Cut(doc, "\n\n")
	return strings.Join(strings.Fields(p), " ")
}

// pascalCase turns "spof/single-instance" into "SpofSingleInstance"; a
// one-letter word joins the previous one ("hash-mod-n" gives "HashModn"),
// since a Pascal-case word has a lower-case letter after its capital.
func pascalCase(id string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(id, func(r rune) bool { return r == '/' || r == '-' }) {
		r := []rune(w)
		if len(r) > 1 || b.Len() == 0 {
			r[0] = unicode.ToUpper(r[0])
		}
		b.WriteString(string(r))
	}
	return b.String()
}
