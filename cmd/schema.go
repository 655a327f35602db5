package cmd

import (
	"github.com/spf13/cobra"

	"github.com/archdiag/archdiag/model"
)

type schemaOptions struct {
	Output string
	Follow bool
}

func newSchemaCmd(io IO) *cobra.Command {
	opts := &schemaOptions{}
	c := &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of the model format, for editors",
		Long: `Schema prints a JSON Schema of the model format. Editors with the YAML
language server complete and check models that name it in a first-line
comment:

  # yaml-language-server: $schema=archdiag.schema.json`,
		Example: "  archdiag schema -o archdiag.schema.json",
		Args:    args(cobra.NoArgs),
		RunE: func(*cobra.Command, []string) error {
			dst, err := checkOutput(opts.Output, opts.Follow)
			if err != nil {
				return err
			}
			if err := writeOutput(io, dst, model.JSONSchema()); err != nil {
				return &exitError{code: ExitError, err: err}
			}
			return nil
		},
	}
	c.Flags().StringVarP(&opts.Output, "output", "o", "-", "write the schema to `FILE` (- for standard output)")
	addFollowFlag(c, &opts.Follow)
	return c
}
