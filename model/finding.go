package model

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Severity ranks how urgently a finding should be fixed.
type Severity int

const (
	SeverityNone Severity = iota // below every finding: --fail-on none
	SeverityInfo
	SeverityWarning
	SeverityError
)

var severityNames = [...]string{"none", "info", "warning", "error"}

func (s Severity) String() string {
	if s < 0 || int(s) >= len(severityNames) {
		return "severity(" + strconv.Itoa(int(s)) + ")"
	}
	return severityNames[s]
}

// ParseSeverity parses "error", "warning", "info" or "none".
func ParseSeverity(s string) (Severity, error) {
	for i, n := range severityNames {
		if n == s {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want one of: error, warning, info, none)", s)
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity's name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err == nil {
		*s = v
	}
	return err
}

// A Finding is an architectural risk a rule found in a model. Rules produce
// findings; renderers and notes consume them.
type Finding struct {
	Pos           Pos // the component's key or the offending field
	Rule          string
	Severity      Severity
	Component     string // the component's id; empty for model-wide findings
	Message       string // states the measured fact
	Fix           string
	Related       []Related // e.g. the calls on the offending path
	Suppressed    bool
	Justification string // the suppression's reason
}

// Related is a secondary position that explains a finding.
type Related struct {
	Pos     Pos
	Message string
}

// String formats f as "file:line:col: severity: message [rule]".
func (f Finding) String() string {
	return f.Pos.String() + ": " + f.Severity.String() + ": " + f.Message + " [" + f.Rule + "]"
}

// Fingerprint identifies the finding across edits that move lines or
// change numbers: rule, file, component, and a short hash of the message
// with its digits left out, which tells apart findings of one rule on one
// component whatever their order.
func (f Finding) Fingerprint() string {
	sum := sha256.Sum256([]byte(digits.ReplaceAllString(f.Message, "#")))
	return strings.Join([]string{f.Rule, f.Pos.File, f.Component, hex.EncodeToString(sum[:4])}, ":")
}

var digits = regexp.MustCompile(`[0-9]+`)

// CompareFindings orders findings by position, then rule, then message.
func CompareFindings(a, b Finding) int {
	switch {
	case a.Pos.Before(b.Pos):
		return -1
	case b.Pos.Before(a.Pos):
		return 1
	}
	if c := strings.Compare(a.Rule, b.Rule); c != 0 {
		return c
	}
	return strings.Compare(a.Message, b.Message)
}
