package cmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/archdiag/archdiag/model/visible"
	"github.com/archdiag/archdiag/render/notes"
)

type notesOptions struct {
	File     string
	Style    string
	Output   string
	Format   string
	Width    int
	WidthSet bool
	Follow   bool
	SVG      string
	Lint     bool
	Rules    ruleOptions
}

// The columns --width accepts: narrower notes wrap every word, and each
// line is padded to the width.
const (
	minWidth = 20
	maxWidth = 1000
)

func newNotesCmd(io IO) *cobra.Command {
	opts := &notesOptions{}
	c := &cobra.Command{
		Use:   "notes FILE",
		Short: "Write interview speaking notes and study notes from the model",
		Long: `Notes writes system-design interview speaking notes (requirements and
back-of-the-envelope numbers, the design tier by tier, each flow step by
step, deep dives, single points of failure with their trade-offs, the
scaling path) and study notes (a card per component kind and concept)
generated from the model and its lint findings.

In a terminal the notes are rendered with styling; piped, redirected, with
NO_COLOR set or with --format markdown they are plain CommonMark.
-o writes markdown to a file.`,
		Example: "  archdiag notes examples/signup-email.yaml\n  archdiag notes model.yaml --style study -o STUDY.md --svg model.svg",
		Args:    args(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, a []string) error {
			opts.File = a[0]
			opts.WidthSet = c.Flags().Changed("width")
			return runNotes(io, opts)
		},
	}
	f := c.Flags()
	f.StringVar(&opts.Style, "style", "interview", "which notes: interview, study or all")
	f.StringVarP(&opts.Output, "output", "o", "-", "write markdown to `FILE` (- for standard output)")
	f.StringVar(&opts.Format, "format", "auto", "auto (styled in a terminal, markdown otherwise), markdown or terminal")
	f.IntVar(&opts.Width, "width", 0, fmt.Sprintf("wrap styled output at `N` columns, %d to %d (default: the terminal's width)", minWidth, maxWidth))
	f.StringVar(&opts.SVG, "svg", "", "link the study notes to the diagram at `PATH`")
	f.BoolVar(&opts.Lint, "lint", true, "include lint findings (single points of failure and other risks)")
	addFollowFlag(c, &opts.Follow)
	addRuleFlags(c, &opts.Rules)
	_ = c.RegisterFlagCompletionFunc("style", cobra.FixedCompletions([]string{"interview", "study", "all"}, cobra.ShellCompDirectiveNoFileComp))
	_ = c.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"auto", "markdown", "terminal"}, cobra.ShellCompDirectiveNoFileComp))
	c.ValidArgsFunction = yamlFiles
	return c
}

func runNotes(io IO, opts *notesOptions) error {
	opts.File = inputPath(opts.File)
	style, err := notes.ParseStyle(opts.Style)
	if err != nil {
		return usagef("--style: %v", err)
	}
	var styled bool
	switch opts.Format {
	case "auto":
		styled = opts.Output == "-" && io.OutTTY && io.Color
	case "markdown":
	case "terminal":
		styled = true
	default:
		return usagef("unknown --format %q (auto, markdown or terminal)", opts.Format)
	}
	if styled && opts.Output != "-" {
		return usagef("--format terminal writes to standard output; -o writes markdown")
	}
	if opts.WidthSet && (opts.Width < minWidth || opts.Width > maxWidth) {
		return usagef("--width %d is out of range: give %d to %d columns", opts.Width, minWidth, maxWidth)
	}
	dst, err := checkOutput(opts.Output, opts.Follow, opts.File)
	if err != nil {
		return err
	}
	m, err := loadModel(io, opts.File)
	if err != nil {
		reportLoadError(io, err)
		return silent(ExitError)
	}
	nopts := notes.Options{Style: style, SVGPath: opts.SVG}
	if opts.Lint {
		if nopts.Findings, nopts.Analysis, err = lintFacts(opts.Rules, opts.File, m); err != nil {
			return configError(io, err)
		}
	}
	md, err := notes.Markdown(m, nopts)
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	if !styled {
		if err := writeOutput(io, dst, md); err != nil {
			return &exitError{code: ExitError, err: err}
		}
		if opts.Output != "-" && !dst.devNull {
			fmt.Fprintf(io.Err, "wrote %s\n", visible.FileName(opts.Output))
		}
		return nil
	}
	width := opts.Width
	if width == 0 {
		width = min(max(io.Width, 40), 120)
		if io.Width == 0 {
			width = 80
		}
	}
	dark := io.Dark == nil || io.Dark()
	out, err := notes.Terminal(md, width, dark)
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	_, err = io.Out.Write(out)
	return err
}
