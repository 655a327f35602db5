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
//
// A want says that whoever the fixture speaks for names the problem: for a
// translated design, the source's author. A finding the source does not name
// but a reviewer accepts is matched by an "# accept" comment instead: one or
// more regular expressions, as in a want, then "--" and the reviewer's
// reason, which is required:
//
//	app:   # accept "spof/single-instance" -- one app server on every path to the data
//
// A finding a reviewer would reject, which the rules still make, is marked
// "# known" with why it is false, the same way: the corpus keeps its false
// findings in sight, and an unused known says one was fixed.
//
//	notifier:   # known "spof/single-instance" -- the source never says how its consumer runs
//
// Wants are matched before accepts, so an accept never hides a want's
// finding. An accept that matches no finding is reported, like an unused
// want, so that stale accepts are removed; so is one whose finding falls
// below Options.MinSeverity and needs no expectation. A line may hold a want
// and then an accept.
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
	"unicode/utf8"

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
	wants, accepts, knowns, probs := parse(file, src)
	m, err := model.Load(file, src)
	if err != nil {
		return append(probs, fmt.Sprintf("%s: the fixture does not load:\n%v", file, err))
	}
	findings, err := rules.Run(m, cfg)
	if err != nil {
		return append(probs, fmt.Sprintf("%s: rules.Run: %v", file, err))
	}
	match := func(f model.Finding, exps map[int][]*Expectation) bool {
		text := Text(f)
		for _, e := range exps[f.Pos.Line] {
			if !e.used && e.re.MatchString(text) {
				e.used = true
				return true
			}
		}
		return false
	}
	// Findings that need an expectation take theirs first, so that one
	// below MinSeverity cannot use up an expectation meant for them; and a
	// want before an accept, so that an accept never hides a missed want.
	var required, optional []model.Finding
	for _, f := range findings {
		if f.Severity < opts.MinSeverity {
			optional = append(optional, f)
		} else if !match(f, wants) {
			required = append(required, f)
		}
	}
	for _, f := range required {
		if !match(f, accepts) && !match(f, knowns) {
			probs = append(probs, fmt.Sprintf("%s:%d: unexpected finding: %s", file, f.Pos.Line, Text(f)))
		}
	}
	// An accept excuses only a finding that needs an expectation: one on a
	// finding below MinSeverity is as stale as one that matches nothing.
	for _, f := range optional {
		match(f, wants)
	}
	probs = append(probs, unused(file, wants, "no finding was reported matching %#q")...)
	probs = append(probs, unused(file, accepts, "accept %#q matched no finding: remove it")...)
	probs = append(probs, unused(file, knowns, "known %#q matched no finding: the false finding is gone, remove it")...)
	return probs
}

// unused reports, by line, the expectations no finding matched.
func unused(file string, exps map[int][]*Expectation, format string) []string {
	lines := make([]int, 0, len(exps))
	for line := range exps {
		lines = append(lines, line)
	}
	sort.Ints(lines)
	var probs []string
	for _, line := range lines {
		for _, e := range exps[line] {
			if !e.used {
				probs = append(probs, fmt.Sprintf("%s:%d: "+format, file, line, e.re))
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

// An Expectation is one regular expression of a want or accept comment.
type Expectation struct {
	Line   int
	Raw    string // as written, unquoted
	Reason string // an accept's reason; empty for a want
	re     *regexp.Regexp
	used   bool
}

// A directive starts at "# want" or "# accept" and runs to the next one or
// to the end of the line.
var directive = regexp.MustCompile(`#\s*(want|accept|known)\s`)

// Expectations parses the want comments of src by line. Malformed comments
// are returned as problems.
func Expectations(file string, src []byte) (map[int][]*Expectation, []string) {
	wants, _, _, probs := parse(file, src)
	return wants, probs
}

// Accepts parses the accept comments of src by line. Malformed comments and
// accepts without a reason are returned as problems.
func Accepts(file string, src []byte) (map[int][]*Expectation, []string) {
	_, accepts, _, probs := parse(file, src)
	return accepts, probs
}

// Knowns parses the known comments of src by line: false findings the
// rules still make, each with why it is false.
func Knowns(file string, src []byte) (map[int][]*Expectation, []string) {
	_, _, knowns, probs := parse(file, src)
	return knowns, probs
}

// parse returns the want and accept expectations of src by line, and the
// problems of both.
func parse(file string, src []byte) (wants, accepts, knowns map[int][]*Expectation, probs []string) {
	wants = map[int][]*Expectation{}
	accepts = map[int][]*Expectation{}
	knowns = map[int][]*Expectation{}
	for i, line := range strings.Split(string(src), "\n") {
		found := directive.FindAllStringSubmatchIndex(line, -1)
		for k, d := range found {
			end := len(line)
			if k+1 < len(found) {
				end = found[k+1][0]
			}
			kind, args := line[d[2]:d[3]], line[d[1]:end]
			exps, rest, err := quoted(args)
			var reason string
			if kind != "want" && err == "" {
				if r, ok := strings.CutPrefix(rest, "--"); ok {
					reason, rest = strings.TrimSpace(r), ""
				}
				switch {
				case len(exps) == 0:
					err = "want a quoted regular expression"
				case reason == "":
					err = "no reason: write # " + kind + " \"regexp\" -- why a reviewer accepts the finding, or why it is false"
				}
			}
			if err == "" && rest != "" {
				r, _ := utf8.DecodeRuneInString(rest)
				err = fmt.Sprintf("got %c, want a quoted regular expression", r)
			}
			if err != "" {
				probs = append(probs, fmt.Sprintf("%s:%d: %s: %s", file, i+1, kind, err))
				if kind != "want" {
					continue
				}
			}
			for _, e := range exps {
				e.Line, e.Reason = i+1, reason
				switch kind {
				case "want":
					wants[i+1] = append(wants[i+1], e)
				case "accept":
					accepts[i+1] = append(accepts[i+1], e)
				default:
					knowns[i+1] = append(knowns[i+1], e)
				}
			}
		}
	}
	return wants, accepts, knowns, probs
}

// quoted returns the quoted regular expressions at the start of s, the
// text after them, and what is wrong with the first malformed one.
func quoted(s string) (exps []*Expectation, rest, problem string) {
	var sc scanner.Scanner
	sc.Init(strings.NewReader(s))
	sc.Mode = scanner.ScanStrings | scanner.ScanRawStrings
	sc.Error = func(*scanner.Scanner, string) {}
	for tok := sc.Scan(); tok != scanner.EOF; tok = sc.Scan() {
		if tok != scanner.String && tok != scanner.RawString {
			return exps, strings.TrimSpace(s[sc.Position.Offset:]), ""
		}
		raw, err := strconv.Unquote(sc.TokenText())
		if err != nil {
			return exps, "", fmt.Sprintf("malformed quoted string %s", sc.TokenText())
		}
		re, err := regexp.Compile(raw)
		if err != nil {
			return exps, "", err.Error()
		}
		exps = append(exps, &Expectation{Raw: raw, re: re})
	}
	return exps, "", ""
}
