package cmd

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/rules"
)

type lintOptions struct {
	Files  []string
	Format string
	FailOn string
	Output string
	Follow bool
	Rules  ruleOptions
}

func newLintCmd(io IO) *cobra.Command {
	opts := &lintOptions{}
	c := &cobra.Command{
		Use:   "lint FILE...",
		Short: "Report architectural risks: single points of failure, state, queues, capacity...",
		Long: `Lint runs archdiag's rules on each model and reports what it finds, each
finding at the file:line:col it concerns with the rule id and a fix.

Formats: text (for people; coloured on a terminal unless NO_COLOR is set),
json (a stable, documented shape), sarif (SARIF 2.1.0, for code scanning)
and github (workflow commands that annotate a pull request).

Rules are selected by .archdiag.yaml, found by walking up from each model's
folder (or --config), then by --enable and --disable. A component's
"ignore" list suppresses a rule on it, with a reason; suppressed findings
are counted, listed in json and sarif, and never fail the run.

Exit status: 0 when nothing is at or above --fail-on, 1 when something is,
2 on a usage error or an invalid model or configuration.`,
		Example: "  archdiag lint examples/*.yaml\n  archdiag lint model.yaml --format sarif -o archdiag.sarif\n  archdiag lint model.yaml --format github --fail-on warning",
		Args:    args(cobra.MinimumNArgs(1)),
		RunE: func(_ *cobra.Command, a []string) error {
			opts.Files = a
			return runLint(io, opts)
		},
	}
	f := c.Flags()
	f.StringVarP(&opts.Format, "format", "f", "text", "output format: "+strings.Join(rules.Formats, ", "))
	f.StringVar(&opts.FailOn, "fail-on", "error", "exit 1 when a finding is at or above this severity: error, warning, info or none")
	f.StringVarP(&opts.Output, "output", "o", "-", "write the report to `FILE` (- for standard output)")
	addFollowFlag(c, &opts.Follow)
	addRuleFlags(c, &opts.Rules)
	_ = c.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(rules.Formats, cobra.ShellCompDirectiveNoFileComp))
	_ = c.RegisterFlagCompletionFunc("fail-on", cobra.FixedCompletions([]string{"error", "warning", "info", "none"}, cobra.ShellCompDirectiveNoFileComp))
	c.ValidArgsFunction = yamlFiles
	return c
}

func addRuleFlags(c *cobra.Command, opts *ruleOptions) {
	f := c.Flags()
	f.StringVar(&opts.Config, "config", "", "read rule settings from `FILE` instead of the nearest .archdiag.yaml")
	f.StringArrayVar(&opts.Enable, "enable", nil, "run the rule `ID` (repeatable)")
	f.StringArrayVar(&opts.Disable, "disable", nil, "do not run the rule `ID` (repeatable)")
	ids := func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var out []cobra.Completion
		for _, r := range rules.All() {
			out = append(out, cobra.CompletionWithDesc(r.ID, r.Title))
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
	_ = c.RegisterFlagCompletionFunc("enable", ids)
	_ = c.RegisterFlagCompletionFunc("disable", ids)
}

func runLint(io IO, opts *lintOptions) error {
	if !slices.Contains(rules.Formats, opts.Format) {
		return usagef("unknown --format %q (formats: %s)", opts.Format, strings.Join(rules.Formats, ", "))
	}
	failOn, err := model.ParseSeverity(opts.FailOn)
	if err != nil {
		return usagef("--fail-on: %v", err)
	}
	files, err := inputPaths(opts.Files)
	if err != nil {
		return err
	}
	dst, err := checkOutput(opts.Output, opts.Follow, files...)
	if err != nil {
		return err
	}
	report := &rules.Report{}
	invalid := false
	for _, path := range files {
		findings, err := lintFile(io, opts.Rules, path)
		var el model.ErrorList
		switch {
		case errors.As(err, &el):
			invalid = true
			report.Errors = append(report.Errors, el...)
		case err != nil:
			var ue *usageError
			if errors.As(err, &ue) {
				return err
			}
			invalid = true
			report.Errors = append(report.Errors, &model.Error{Pos: model.Pos{File: displayName(path)}, Msg: err.Error()})
		}
		report.Findings = append(report.Findings, findings...)
	}
	report.Errors.Sort()
	if len(report.Errors) > 0 {
		// Problems with the input are diagnostics, whatever the report's
		// format.
		fmt.Fprintln(io.Err, shownErrors(report.Errors))
		fmt.Fprintln(io.Err, countErrors(len(report.Errors)))
	}

	var buf bytes.Buffer
	wopts := rules.WriteOptions{Color: io.Color && opts.Output == "-", Version: version()}
	if opts.Format == "text" && opts.Output == "-" {
		// On standard output they would be said twice.
		if invalid && len(report.Findings) == 0 {
			return silent(ExitError) // a bare "no findings" would mislead
		}
		report = &rules.Report{Findings: report.Findings}
	}
	if err := rules.Write(&buf, report, opts.Format, wopts); err != nil {
		return &exitError{code: ExitError, err: err}
	}
	if err := writeOutput(io, dst, buf.Bytes()); err != nil {
		return &exitError{code: ExitError, err: err}
	}
	switch {
	case invalid:
		return silent(ExitError)
	case report.Fails(failOn):
		return silent(ExitFindings)
	}
	return nil
}

// lintFile loads one model and runs the rules configured for it.
func lintFile(io IO, opts ruleOptions, path string) ([]model.Finding, error) {
	m, err := loadModel(io, path)
	if err != nil {
		return nil, err
	}
	return lintFindings(opts, path, m)
}

type rulesOptions struct {
	Format string
}

func newRulesCmd(io IO) *cobra.Command {
	opts := &rulesOptions{}
	c := &cobra.Command{
		Use:     "rules",
		Short:   "List the lint rules",
		Example: "  archdiag rules\n  archdiag rules --format markdown",
		Args:    args(cobra.NoArgs),
		RunE: func(*cobra.Command, []string) error {
			if !slices.Contains(rules.RuleFormats, opts.Format) {
				return usagef("unknown --format %q (formats: %s)", opts.Format, strings.Join(rules.RuleFormats, ", "))
			}
			return rules.WriteRules(io.Out, opts.Format)
		},
	}
	c.Flags().StringVarP(&opts.Format, "format", "f", "text", "output format: "+strings.Join(rules.RuleFormats, ", "))
	_ = c.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(rules.RuleFormats, cobra.ShellCompDirectiveNoFileComp))
	return c
}

func newExplainCmd(io IO) *cobra.Command {
	c := &cobra.Command{
		Use:     "explain RULE",
		Short:   "Print a rule's documentation: rationale, trigger, example and fix",
		Example: "  archdiag explain spof/single-instance",
		Args:    args(cobra.ExactArgs(1)),
		RunE: func(_ *cobra.Command, a []string) error {
			if rules.Lookup(a[0]) == nil {
				return usagef("%v", rules.Explain(&bytes.Buffer{}, a[0]))
			}
			return rules.Explain(io.Out, a[0])
		},
	}
	c.ValidArgsFunction = func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var out []cobra.Completion
		for _, r := range rules.All() {
			out = append(out, cobra.CompletionWithDesc(r.ID, r.Title))
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
	return c
}
