// Package cmd is archdiag's command line: flags into options, one run
// function per command, streams injected through IO.
package cmd

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/archdiag/archdiag/model/visible"
)

// Exit codes.
const (
	ExitOK       = 0 // nothing at or above --fail-on
	ExitFindings = 1 // findings at or above --fail-on, or a stale diagram with --check
	ExitError    = 2 // usage error, unreadable or invalid model
)

// exitError carries an exit code; a nil err means the command already said
// what went wrong.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// silent returns an error that sets the exit code without a message.
func silent(code int) error { return &exitError{code: code} }

// usageError marks a mistake in the command line.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }

func usagef(format string, args ...any) error { return &usageError{fmt.Errorf(format, args...)} }

// Main runs archdiag with args and returns the exit code. It never calls
// os.Exit, so tests run it in process. A command whose standard output
// could not be written (a full disk, a closed stream) fails with exit 2,
// whatever it wrote.
func Main(args []string, io IO) int {
	out := &outWriter{w: io.Out}
	io.Out = out
	code := runMain(args, io)
	if out.err != nil && code != ExitError {
		fmt.Fprintln(io.Err, "archdiag: "+visible.Line(out.err.Error()))
		return ExitError
	}
	return code
}

// outWriter remembers the first error writing standard output.
type outWriter struct {
	w   io.Writer
	err error
}

func (o *outWriter) Write(p []byte) (int, error) {
	n, err := o.w.Write(p)
	if err != nil {
		err = &stdoutError{err}
		if o.err == nil {
			o.err = err
		}
	}
	return n, err
}

// stdoutError is a failure to write standard output.
type stdoutError struct{ err error }

func (e *stdoutError) Error() string {
	return "writing standard output: " + unwrapPathError(e.err).Error()
}

func (e *stdoutError) Unwrap() error { return e.err }

func runMain(args []string, io IO) int {
	root := newRootCmd(io)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(io.Err, "archdiag: "+visible.Line(ee.err.Error()))
		}
		return ee.code
	}
	fmt.Fprintln(io.Err, "archdiag: "+visible.Line(err.Error()))
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(io.Err, "Run 'archdiag --help' for usage.")
	}
	return ExitError
}

func newRootCmd(io IO) *cobra.Command {
	root := &cobra.Command{
		Use:   "archdiag",
		Short: "Architecture as code: validate, lint, render and explain web system designs",
		Long: `archdiag reads a YAML model of a web system (clients, load balancers, app
servers, caches, queues, workers, databases, external providers) and
validates it, lints it for architectural risk such as single points of
failure, renders a tiered SVG diagram, and writes interview and study notes.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version(),
	}
	root.SetIn(io.In)
	root.SetOut(io.Out)
	root.SetErr(io.Err)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err} })
	root.SetVersionTemplate("archdiag {{.Version}}\n")
	root.AddCommand(
		newValidateCmd(io),
		newLintCmd(io),
		newRenderCmd(io),
		newNotesCmd(io),
		newRulesCmd(io),
		newExplainCmd(io),
		newSchemaCmd(io),
		newInitCmd(io),
		newVersionCmd(io),
	)
	strictHelpAndCompletion(root)
	return root
}

// strictHelpAndCompletion makes `help TOPIC` and `completion SHELL` answer
// an unknown topic or shell with a usage error (exit 2), as every other
// command does; cobra's defaults print help and exit 0.
func strictHelpAndCompletion(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		switch c.Name() {
		case "help":
			c.Run = nil
			c.RunE = func(c *cobra.Command, a []string) error {
				target, rest, err := root.Find(a)
				if err != nil || target == nil || len(rest) > 0 {
					return usagef("unknown help topic %q", strings.Join(a, " "))
				}
				target.InitDefaultHelpFlag()
				target.InitDefaultVersionFlag()
				return target.Help()
			}
		case "completion":
			// Runnable, so cobra rejects an unknown shell as an unknown
			// subcommand.
			c.RunE = func(c *cobra.Command, _ []string) error { return c.Help() }
		}
	}
}

// version is the module version the binary was built from.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func newVersionCmd(io IO) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print archdiag's version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintln(io.Out, "archdiag "+version())
			return err
		},
	}
}

// args adapts cobra's argument validators so that their errors are usage
// errors that say what the command wants.
func args(v cobra.PositionalArgs) cobra.PositionalArgs {
	return func(c *cobra.Command, a []string) error {
		if err := v(c, a); err != nil {
			return usagef("%s: %v (usage: archdiag %s)", c.Name(), err, c.Use)
		}
		return nil
	}
}
