package rules

import (
	"fmt"
	"slices"

	"github.com/archdiag/archdiag/model"
)

// A Rule checks a model for one kind of architectural risk.
type Rule struct {
	// ID names the rule in output, ignore lists, configuration and
	// "# want" comments: category/name in kebab case. IDs never change.
	ID string

	// Title is one line, lower case, without a final period.
	Title string

	// Doc is the rationale, the precise trigger and an example.
	Doc string

	// Severity is the default severity of the rule's findings. A rule may
	// report a finding at another severity when its Doc says so; the
	// configuration overrides both.
	Severity model.Severity

	// Fix tells the user how to resolve a finding: an imperative sentence
	// ending with a period.
	Fix string

	// Run inspects pass.Model and reports findings with pass.Reportf.
	Run func(pass *Pass)
}

// Category is the part of the ID before the slash, e.g. "spof".
func (r *Rule) Category() string {
	for i := 0; i < len(r.ID); i++ {
		if r.ID[i] == '/' {
			return r.ID[:i]
		}
	}
	return r.ID
}

// A Pass gives one rule one model, and collects what the rule reports.
type Pass struct {
	Rule  *Rule
	Model *model.Model

	ix       *index
	findings []*model.Finding
}

// A Diagnostic is a finding being reported; its methods add detail.
type Diagnostic struct{ f *model.Finding }

// Reportf records a finding about component c at pos. When pos is not
// valid the finding points at c's key; c may be nil for a finding about the
// whole model, which then points at pos or the model's name.
func (p *Pass) Reportf(c *model.Component, pos model.Pos, format string, args ...any) *Diagnostic {
	f := &model.Finding{
		Pos:      pos,
		Rule:     p.Rule.ID,
		Severity: p.Rule.Severity,
		Message:  fmt.Sprintf(format, args...),
		Fix:      p.Rule.Fix,
	}
	if c != nil {
		f.Component = c.ID
		f.Pos = pos.Or(c.Pos)
	}
	if !f.Pos.IsValid() {
		f.Pos = p.Model.Name.Pos.Or(model.Pos{File: p.Model.File, Line: 1, Col: 1})
	}
	p.findings = append(p.findings, f)
	return &Diagnostic{f}
}

// Related attaches a secondary position that explains the finding, such as
// a call on the offending path. Positions that are not valid are skipped.
func (d *Diagnostic) Related(pos model.Pos, format string, args ...any) *Diagnostic {
	if pos.IsValid() {
		d.f.Related = append(d.f.Related, model.Related{Pos: pos, Message: fmt.Sprintf(format, args...)})
	}
	return d
}

// Severity sets the finding's severity, for rules whose Doc describes a
// milder or stricter variant.
func (d *Diagnostic) Severity(s model.Severity) *Diagnostic {
	d.f.Severity = s
	return d
}

// Run applies the rules that cfg enables (every rule when cfg is nil) to m
// and returns the findings sorted by position, rule and message, without
// duplicates. Suppressed findings are kept with Suppressed set. The error,
// when not nil, is a model.ErrorList: an ignore entry names no known rule.
func Run(m *model.Model, cfg *Config) ([]model.Finding, error) {
	if err := CheckIgnores(m); err != nil {
		return nil, err
	}
	ix := newIndex(m, cfg)
	var all []*model.Finding
	run := func(r *Rule) []*model.Finding {
		p := &Pass{Rule: r, Model: m, ix: ix}
		r.Run(p)
		all = append(all, p.findings...)
		return p.findings
	}
	for _, r := range All() {
		if cfg.Enabled(r.ID) && r != UnusedSuppression {
			run(r)
		}
	}
	suppress(m, ix, all)
	// Unused suppressions are known only once every other rule has run.
	if cfg.Enabled(UnusedSuppression.ID) {
		suppress(m, ix, run(UnusedSuppression))
	}
	out := make([]model.Finding, 0, len(all))
	for _, f := range all {
		if s, ok := cfg.severityOf(f.Rule); ok {
			f.Severity = s
		}
		out = append(out, *f)
	}
	slices.SortFunc(out, model.CompareFindings)
	return slices.CompactFunc(out, sameFinding), nil
}

func sameFinding(a, b model.Finding) bool {
	return a.Pos == b.Pos && a.Rule == b.Rule && a.Message == b.Message && a.Component == b.Component
}

// suppress marks the findings that a component's ignore list covers and
// records which suppressions were used.
func suppress(m *model.Model, ix *index, fs []*model.Finding) {
	for _, f := range fs {
		c := m.Component(f.Component)
		if c == nil {
			continue
		}
		if s := c.Suppressed(f.Rule); s != nil {
			f.Suppressed, f.Justification = true, s.Reason.Val
			ix.usedSuppressions[s] = true
		}
	}
}
