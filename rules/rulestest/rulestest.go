// Package rulestest checks rules against YAML fixtures that state their
// expectations in comments, like golang.org/x/tools/go/analysis/analysistest.
//
// A fixture is a complete model. Each finding must be matched by a
// "# want" comment on the line the finding points at:
//
//	lb:   # want "lb/single-instance"
//	  kind: load_balancer
//
// A want comment holds one or more regular expressions, as Go double-quoted
// or back-quoted strings, each matched against the finding's text:
//
//	rule-id: severity: message
//
// with "suppressed " before the severity for a suppressed finding, so that
// "lb/single-instance" matches any finding of that rule and
// `lb/single-instance: error: every path` a more precise one. Each expectation
// matches one finding; findings left unmatched and expectations left
// unused are reported with file:line. With Options.MinSeverity, findings
// below that severity need no expectation, though one that names them still
// matches.
package rulestest

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"text/scanner"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/rules"
)

// Run lints every .yaml file under dir with cfg (nil for every rule) and
// reports, through t, findings that no expectation matches and
// expectations that no finding matched. It returns the fixtures' paths.
func Run(t testing.TB, dir string, cfg *rules.Config) []string {
	t.Helper()
	return RunWith(t, dir, cfg, Options{})
}

// Options refine how fixtures are judged.
type Options struct {
	// MinSeverity is the least severity a finding must have to need an
	// expectation. A finding below it that no expectation names is let pass;
	// an expectation that names it must still be matched. Zero: every
	// finding needs one.
	MinSeverity model.Severity
}

// RunWith is Run with opts.
func RunWith(t testing.TB, dir string, cfg *rules.Config, opts Options) []string {
	t.Helper()
	files, err := Fixtures(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		for _, msg := range CheckWith(file, cfg, opts) {
			t.Error(msg)
		}
	}
	return files
}

// Fixtures returns the .yaml files under dir, sorted.
func Fixtures(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".yaml") {
			files = append(files, path)
		}
		return err
	})
	sort.Strings(files)
	return files, err
}

// Check lints one fixture and returns its problems, each prefixed with
// file:line, in order.
func Check(file string, cfg *rules.Config) []string {
	return CheckWith(file, cfg, Options{})
}

// CheckWith is Check with opts.
func CheckWith(file string, cfg *rules.Config, opts Options) []string {
	src, err := os.ReadFile(file)
	if err != nil {
		return []string{err.Error()}
	}
	wants, probs := Expectations(file, src)
	m, err := model.Load(file, src)
	if err != nil {
		return append(probs, fmt.Sprintf("%s: the fixture does not load:\n%v", file, err))
	}
	findings, err := rules.Run(m, cfg)
	if err != nil {
		return append(probs, fmt.Sprintf("%s: rules.Run: %v", file, err))
	}
	match := func(f model.Finding) bool {
		text := Text(f)
		for _, w := range wants[f.Pos.Line] {
			if !w.used && w.re.MatchString(text) {
				w.used = true
				return true
			}
		}
		return false
	}
	// Findings that need an expectation take theirs first, so that one
	// below MinSeverity cannot use up an expectation meant for them.
	var optional []model.Finding
	for _, f := range findings {
		if f.Severity < opts.MinSeverity {
			optional = append(optional, f)
			continue
		}
		if !match(f) {
			probs = append(probs, fmt.Sprintf("%s:%d: unexpected finding: %s", file, f.Pos.Line, Text(f)))
		}
	}
	for _, f := range optional {
		match(f)
	}
	lines := make([]int, 0, len(wants))
	for line := range wants {
		lines = append(lines, line)
	}
	sort.Ints(lines)
	for _, line := range lines {
		for _, w := range wants[line] {
			if !w.used {
				probs = append(probs, fmt.Sprintf("%s:%d: no finding was reported matching %#q", file, line, w.re))
			}
		}
	}
	return probs
}

// Text is what expectations match: "rule: severity: message", with
// "suppressed " before the severity of a suppressed finding.
func Text(f model.Finding) string {
	sev := f.Severity.String()
	if f.Suppressed {
		sev = "suppressed " + sev
	}
	return f.Rule + ": " + sev + ": " + f.Message
}

// An Expectation is one regular expression of a want comment.
type Expectation struct {
	Line int
	Raw  string // as written, unquoted
	re   *regexp.Regexp
	used bool
}

var wantComment = regexp.MustCompile(`#\s*want\s+(.*)$`)

// Expectations parses the want comments of src by line. Malformed comments
// are returned as problems.
func Expectations(file string, src []byte) (map[int][]*Expectation, []string) {
	wants := map[int][]*Expectation{}
	var probs []string
	for i, line := range strings.Split(string(src), "\n") {
		m := wantComment.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		var s scanner.Scanner
		s.Init(strings.NewReader(m[1]))
		s.Mode = scanner.ScanStrings | scanner.ScanRawStrings
		s.Error = func(*scanner.Scanner, string) {}
		for tok := s.Scan(); tok != scanner.EOF; tok = s.Scan() {
			if tok != scanner.String && tok != scanner.RawString {
				probs = append(probs, fmt.Sprintf("%s:%d: want: got %s, want a quoted regular expression", file, i+1, s.TokenText()))
				break
			}
			raw, err := strconv.Unquote(s.TokenText())
			if err != nil {
				probs = append(probs, fmt.Sprintf("%s:%d: want: malformed quoted string %s", file, i+1, s.TokenText()))
				break
			}
			re, err := regexp.Compile(raw)
			if err != nil {
				probs = append(probs, fmt.Sprintf("%s:%d: want: %v", file, i+1, err))
				break
			}
			wants[i+1] = append(wants[i+1], &Expectation{Line: i + 1, Raw: raw, re: re})
		}
	}
	return wants, probs
}
