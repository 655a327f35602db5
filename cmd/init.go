package cmd

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/archdiag/archdiag/examples"
	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/visible"
)

type initOptions struct {
	Template string
	File     string
}

func newInitCmd(io IO) *cobra.Command {
	opts := &initOptions{}
	c := &cobra.Command{
		Use:   "init [FILE]",
		Short: "Write a commented starter model",
		Long: `Init writes a commented starter model to FILE (default archdiag.yaml),
from one of the example templates. It never overwrites an existing file.`,
		Example: "  archdiag init\n  archdiag init --template signup-email signup.yaml",
		Args:    args(cobra.MaximumNArgs(1)),
		RunE: func(_ *cobra.Command, a []string) error {
			opts.File = "archdiag.yaml"
			if len(a) == 1 {
				opts.File = a[0]
			}
			return runInit(io, opts)
		},
	}
	c.Flags().StringVarP(&opts.Template, "template", "t", "three-tier", "the starter: "+strings.Join(templates(), ", "))
	_ = c.RegisterFlagCompletionFunc("template", cobra.FixedCompletions(templates(), cobra.ShellCompDirectiveNoFileComp))
	return c
}

// templates lists the example names, sorted.
func templates() []string {
	entries, _ := fs.ReadDir(examples.FS, ".")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(names)
	return names
}

var schemaComment = regexp.MustCompile(`(?m)^# yaml-language-server: \$schema=.*$`)

func runInit(io IO, opts *initOptions) error {
	src, err := fs.ReadFile(examples.FS, opts.Template+".yaml")
	if err != nil {
		return usagef("unknown template %q (templates: %s)", opts.Template, strings.Join(templates(), ", "))
	}
	// Point editors at the published schema rather than a path beside the examples.
	src = schemaComment.ReplaceAllLiteral(src, []byte("# yaml-language-server: $schema="+model.SchemaID))
	if opts.File == "-" {
		_, err := io.Out.Write(src)
		return err
	}
	if err := createFileAtomic(opts.File, src); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return &exitError{code: ExitError, err: fmt.Errorf("%s already exists; choose another name or remove it first", opts.File)}
		}
		return &exitError{code: ExitError, err: fmt.Errorf("writing %s: %w", opts.File, unwrapLinkError(err))}
	}
	fmt.Fprintf(io.Err, "wrote %s from the %s template; check it with: archdiag validate %s\n", visible.FileName(opts.File), opts.Template, shellQuote(opts.File))
	return nil
}

func unwrapLinkError(err error) error {
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return unwrapPathError(err)
}
