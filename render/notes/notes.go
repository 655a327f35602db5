// Package notes writes interview speaking notes and study notes for a model
// as CommonMark, and renders them for a terminal with glamour. Every fact in
// the notes comes from the model, its capacity estimate and the lint
// findings handed in; nothing is invented.
package notes

import (
	"errors"
	"fmt"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/analysis"
)

// Style selects which notes Markdown writes.
type Style int

const (
	Interview Style = iota // speaking notes in the order interviews expect
	Study                  // a card per component kind and concept, with the diagram
	All                    // both, in one document
)

var styleNames = [...]string{"interview", "study", "all"}

func (s Style) String() string {
	if s < 0 || int(s) >= len(styleNames) {
		return fmt.Sprintf("style(%d)", int(s))
	}
	return styleNames[s]
}

// ParseStyle parses "interview", "study" or "all".
func ParseStyle(s string) (Style, error) {
	for i, n := range styleNames {
		if n == s {
			return Style(i), nil
		}
	}
	return 0, fmt.Errorf("unknown notes style %q (want one of: interview, study, all)", s)
}

// Options says what to write.
type Options struct {
	Style Style
	// Findings are the lint findings, suppressed ones marked Suppressed; nil
	// when lint was not run.
	Findings []model.Finding
	// Analysis is the model's analysis, with the rules of thumb lint used;
	// nil means the model's own and the documented ones.
	Analysis *analysis.Analysis
	// SVGPath, when set, is the diagram the study notes link to. It is
	// written as given, so it should be relative to where the notes live.
	SVGPath string
}

// Markdown writes the notes for m as CommonMark. The output is
// deterministic: the same model and options give the same bytes.
func Markdown(m *model.Model, opts Options) ([]byte, error) {
	if m == nil {
		return nil, errors.New("notes: no model")
	}
	d := newDoc(m, opts)
	switch opts.Style {
	case Interview:
		d.interview()
	case Study:
		if err := d.study(); err != nil {
			return nil, err
		}
	case All:
		d.w.heading(1, esc(m.Name.Val)+": interview and study notes")
		d.w.shift = 1
		d.interview()
		if err := d.study(); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("notes: unknown style %d", int(opts.Style))
	}
	return d.w.Bytes(), nil
}

// doc holds what every section needs.
type doc struct {
	m        *model.Model
	est      *estimate
	findings []model.Finding
	linted   bool
	svg      string
	w        mdWriter

	// byRule indexes the findings by rule, in the order lint gave them.
	byRule map[string][]*model.Finding
	// schedules holds each cron schedule parsed once; nil for one that
	// does not parse.
	schedules map[string]*model.Schedule
	// drains holds each consumer's drain rate, worked out once: a cron
	// job's walks its schedule.
	drains map[*model.Component]drain
}

type drain struct {
	rate float64
	how  string
}

func newDoc(m *model.Model, opts Options) *doc {
	an := opts.Analysis
	if an == nil {
		an = analysis.Analyze(m, analysis.Options{})
	}
	d := &doc{
		m:         m,
		est:       newEstimate(an),
		findings:  opts.Findings,
		linted:    opts.Findings != nil,
		svg:       opts.SVGPath,
		byRule:    map[string][]*model.Finding{},
		schedules: map[string]*model.Schedule{},
		drains:    map[*model.Component]drain{},
	}
	for i := range d.findings {
		f := &d.findings[i]
		d.byRule[f.Rule] = append(d.byRule[f.Rule], f)
	}
	return d
}

// finding returns lint's finding of rule on c (on any component when c is
// nil), an active one before a suppressed one, or nil when lint reported
// none: the notes claim a risk only where lint does.
func (d *doc) finding(rule string, c *model.Component) *model.Finding {
	var suppressed *model.Finding
	for _, f := range d.byRule[rule] {
		if c != nil && f.Component != c.ID {
			continue
		}
		if !f.Suppressed {
			return f
		}
		if suppressed == nil {
			suppressed = f
		}
	}
	return suppressed
}

// active reports whether lint reports rule on c and nobody suppressed it.
func (d *doc) active(rule string, c *model.Component) bool {
	f := d.finding(rule, c)
	return f != nil && !f.Suppressed
}

// cite names the finding of rule on c that backs a sentence: " (`rule`)",
// " (`rule`, accepted)" when suppressed, and "" when lint reported none.
func (d *doc) cite(rule string, c *model.Component) string {
	f := d.finding(rule, c)
	switch {
	case f == nil:
		return ""
	case f.Suppressed:
		return " (" + code(rule) + ", accepted)"
	}
	return " (" + code(rule) + ")"
}

// schedule returns c's schedule, parsed once per document; nil when it
// does not parse.
func (d *doc) schedule(spec string) *model.Schedule {
	s, ok := d.schedules[spec]
	if !ok {
		s, _ = model.ParseSchedule(spec)
		d.schedules[spec] = s
	}
	return s
}

// drainRate is how fast consumer c drains its queue, and the arithmetic;
// how is "" when the model lacks the numbers.
func (d *doc) drainRate(c *model.Component) (float64, string) {
	r, ok := d.drains[c]
	if !ok {
		if fig := analysis.DrainRate(c); fig.Known() {
			r.rate, r.how = fig.Value, fig.String()
		}
		d.drains[c] = r
	}
	return r.rate, r.how
}
