package cmd

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/visible"
	"github.com/archdiag/archdiag/rules"
)

type validateOptions struct {
	Files []string
}

func newValidateCmd(io IO) *cobra.Command {
	opts := &validateOptions{}
	return &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check models and report every error with its file:line:col",
		Long: `Validate loads each model and reports every problem at once, each as
file:line:col: message. "-" reads the model from standard input.
Exit status: 0 when every model is valid, 2 otherwise.`,
		Example: "  archdiag validate examples/signup-email.yaml\n  cat model.yaml | archdiag validate -",
		Args:    args(cobra.MinimumNArgs(1)),
		RunE: func(_ *cobra.Command, a []string) error {
			opts.Files = a
			return runValidate(io, opts)
		},
	}
}

func runValidate(io IO, opts *validateOptions) error {
	files, err := inputPaths(opts.Files)
	if err != nil {
		return err
	}
	failed := false
	for _, path := range files {
		m, err := loadModel(io, path)
		if err != nil {
			failed = true
			reportLoadError(io, err)
			continue
		}
		fmt.Fprintf(io.Out, "%s: ok: %s\n", visible.FileName(displayName(path)), summary(m))
	}
	if failed {
		return silent(ExitError)
	}
	return nil
}

// reportLoadError prints a load failure: one positioned error per line.
func reportLoadError(io IO, err error) {
	var el model.ErrorList
	if errors.As(err, &el) {
		fmt.Fprintln(io.Err, shownErrors(el))
		fmt.Fprintf(io.Err, "%s\n", countErrors(len(el)))
		return
	}
	fmt.Fprintln(io.Err, "archdiag: "+visible.Line(err.Error()))
}

// shownErrors is el as "file:line:col: message" lines for a terminal or a
// CI log: a file name can neither move to a new line, nor pass for a
// workflow command, nor send escape sequences, and neither can a message.
func shownErrors(el model.ErrorList) string {
	lines := make([]string, len(el))
	for i, e := range el {
		lines[i] = rules.PosText(e.Pos) + ": " + visible.Line(e.Msg)
	}
	return strings.Join(lines, "\n")
}

func countErrors(n int) string {
	if n == 1 {
		return "1 error"
	}
	return fmt.Sprintf("%d errors", n)
}

func displayName(path string) string {
	if path == "-" {
		return stdinName
	}
	return path
}

// summary is a one-line description of a model.
func summary(m *model.Model) string {
	return fmt.Sprintf("%q, %s, %s, %s", m.Name.Val,
		count(len(m.Components), "component"), count(len(m.Calls()), "call"), count(len(m.Flows), "flow"))
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
