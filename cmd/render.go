package cmd

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/visible"
	"github.com/archdiag/archdiag/render"
)

type renderOptions struct {
	File      string
	Output    string
	Format    string
	FormatSet bool // --format was given, so -o's extension does not choose
	Flow      string
	Direction string
	Findings  bool
	Check     bool
	Follow    bool // write through a symbolic link out of the model's folder
	Rules     ruleOptions
}

func newRenderCmd(io IO) *cobra.Command {
	opts := &renderOptions{}
	c := &cobra.Command{
		Use:   "render FILE",
		Short: "Draw the model as a tiered SVG diagram (or DOT, or Mermaid)",
		Long: `Render lays the model out by tier (clients and edge, entry, application,
caches, asynchronous, data, external providers) and writes an SVG beside
the model (FILE with .svg), or to -o. The model is never modified.

With --flow NAME the flow's steps are numbered on the diagram and the rest
is dimmed. Lint findings are drawn on the components they concern (red for
errors, amber for warnings) unless --findings=false.

--check renders in memory and compares with the existing output file:
exit 1 with a one-line reason when it is missing or stale, 0 when current.
Nothing is written.`,
		Example: "  archdiag render examples/signup-email.yaml\n  archdiag render model.yaml --flow signup -o signup.svg\n  archdiag render model.yaml --format mermaid -o -\n  archdiag render model.yaml --check",
		Args:    args(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, a []string) error {
			opts.File = a[0]
			opts.FormatSet = c.Flags().Changed("format")
			return runRender(io, opts)
		},
	}
	f := c.Flags()
	f.StringVarP(&opts.Output, "output", "o", "", "write to `FILE` (- for standard output; default: the model's name with the format's extension)")
	f.StringVarP(&opts.Format, "format", "f", "svg", "output format: "+strings.Join(render.Formats(), ", ")+" (default: from -o's extension, else svg)")
	f.StringVar(&opts.Flow, "flow", "", "number the steps of the flow `NAME`")
	f.StringVar(&opts.Direction, "direction", "TB", "layout direction: TB (top to bottom) or LR (left to right)")
	f.BoolVar(&opts.Findings, "findings", true, "draw lint findings on the diagram")
	f.BoolVar(&opts.Check, "check", false, "compare with the existing output instead of writing; exit 1 if missing or stale")
	addFollowFlag(c, &opts.Follow)
	addRuleFlags(c, &opts.Rules)
	_ = c.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(render.Formats(), cobra.ShellCompDirectiveNoFileComp))
	_ = c.RegisterFlagCompletionFunc("direction", cobra.FixedCompletions([]string{"TB", "LR"}, cobra.ShellCompDirectiveNoFileComp))
	c.ValidArgsFunction = yamlFiles
	return c
}

func yamlFiles(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return []cobra.Completion{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
}

// outputFormats are what render writes: the file extensions that name each
// (the first is the default) and how messages call its files.
var outputFormats = map[string]struct {
	exts []string
	file string
}{
	"svg":     {[]string{".svg"}, "an SVG"},
	"dot":     {[]string{".dot", ".gv"}, "a DOT"},
	"mermaid": {[]string{".mmd", ".mermaid"}, "a Mermaid"},
}

// formatOfExt is the format an output extension names, or "".
func formatOfExt(ext string) string {
	for name, f := range outputFormats {
		if slices.Contains(f.exts, ext) {
			return name
		}
	}
	return ""
}

// bitmap reports whether a format or extension names an image format the
// embedded Graphviz cannot draw correctly.
func bitmap(format string) bool {
	switch strings.TrimPrefix(strings.ToLower(format), ".") {
	case "png", "jpg", "jpeg", "gif", "bmp", "webp", "pdf", "ps", "eps":
		return true
	}
	return false
}

const bitmapAdvice = "the embedded Graphviz cannot draw it correctly; use svg (or dot, mermaid) and convert the SVG if you need a bitmap"

func runRender(io IO, opts *renderOptions) error {
	opts.File = inputPath(opts.File)
	format := strings.ToLower(opts.Format)
	if opts.Output != "" && opts.Output != "-" {
		ext := strings.ToLower(filepath.Ext(opts.Output))
		named := formatOfExt(ext)
		known := named != ""
		switch {
		case bitmap(ext):
			return usagef("-o %s: %s is not offered: %s", opts.Output, strings.TrimPrefix(ext, "."), bitmapAdvice)
		case known && !opts.FormatSet:
			format = named
		case known && named != format && slices.Contains(render.Formats(), format):
			return usagef("-o %s names %s file but --format is %s; name a %s file or drop --format", opts.Output, outputFormats[named].file, format, outputFormats[format].exts[0])
		}
	}
	if !slices.Contains(render.Formats(), format) {
		if bitmap(format) {
			return usagef("--format %s is not offered: %s", opts.Format, bitmapAdvice)
		}
		return usagef("unknown --format %q (formats: %s)", opts.Format, strings.Join(render.Formats(), ", "))
	}
	opts.Direction = strings.ToUpper(opts.Direction)
	if opts.Direction != "TB" && opts.Direction != "LR" {
		return usagef("unknown --direction %q (TB or LR)", opts.Direction)
	}
	out := opts.Output
	if out == "" {
		if opts.File == "-" {
			out = "-"
		} else {
			out = strings.TrimSuffix(opts.File, modelExt(opts.File)) + outputFormats[format].exts[0]
		}
	}
	if opts.Check && out == "-" {
		return usagef("--check compares with an output file; name it with -o")
	}
	// --check only reads the output, so any link may lead to it.
	dst, err := checkOutput(out, opts.Follow || opts.Check, opts.File)
	if err != nil {
		return err
	}
	m, err := loadModel(io, opts.File)
	if err != nil {
		reportLoadError(io, err)
		return silent(ExitError)
	}
	ropts := render.Options{Direction: opts.Direction, Flow: opts.Flow, Diagnostics: io.Err}
	if opts.Findings {
		if ropts.Findings, err = lintFindings(opts.Rules, opts.File, m); err != nil {
			return configError(io, err)
		}
	}
	data, err := renderFormat(m, format, ropts)
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	if opts.Check {
		return checkCurrent(io, out, data, renderCommand(opts))
	}
	if err := writeOutput(io, dst, data); err != nil {
		return &exitError{code: ExitError, err: err}
	}
	if out != "-" && !dst.devNull {
		fmt.Fprintf(io.Err, "wrote %s\n", visible.FileName(out))
	}
	return nil
}

// modelExt is the model file's .yaml or .yml extension, in any case, or "".
func modelExt(path string) string {
	ext := filepath.Ext(path)
	if strings.EqualFold(ext, ".yaml") || strings.EqualFold(ext, ".yml") {
		return ext
	}
	return ""
}

func renderFormat(m *model.Model, format string, opts render.Options) ([]byte, error) {
	switch format {
	case "dot":
		return render.DOT(m, opts)
	case "mermaid":
		return render.Mermaid(m, opts)
	}
	return render.SVG(m, opts)
}

// checkCurrent compares a rendering with the file it would be written to;
// update is the command that writes it.
func checkCurrent(io IO, path string, want []byte, update string) error {
	got, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		fmt.Fprintf(io.Err, "%s is missing; run %s to create it\n", visible.FileName(path), update)
		return silent(ExitFindings)
	case err != nil:
		return &exitError{code: ExitError, err: fmt.Errorf("reading %s: %w", path, unwrapPathError(err))}
	case !bytes.Equal(got, want):
		fmt.Fprintf(io.Err, "%s is stale: it differs from what the model renders; run %s to update it\n", visible.FileName(path), update)
		return silent(ExitFindings)
	}
	fmt.Fprintf(io.Err, "%s is current\n", visible.FileName(path))
	return nil
}

// renderCommand is the command line that renders what --check compared:
// the same options without --check.
func renderCommand(opts *renderOptions) string {
	a := []string{"archdiag", "render", opts.File}
	if opts.Output != "" {
		a = append(a, "-o", opts.Output)
	}
	if opts.FormatSet {
		a = append(a, "--format", opts.Format)
	}
	if opts.Flow != "" {
		a = append(a, "--flow", opts.Flow)
	}
	if opts.Direction != "TB" {
		a = append(a, "--direction", opts.Direction)
	}
	if !opts.Findings {
		a = append(a, "--findings=false")
	}
	if opts.Follow {
		a = append(a, "--follow-symlinks")
	}
	if opts.Rules.Config != "" {
		a = append(a, "--config", opts.Rules.Config)
	}
	for _, id := range opts.Rules.Enable {
		a = append(a, "--enable", id)
	}
	for _, id := range opts.Rules.Disable {
		a = append(a, "--disable", id)
	}
	for i, s := range a {
		a[i] = shellQuote(s)
	}
	return strings.Join(a, " ")
}

// shellQuote quotes s for a POSIX shell when it needs quoting.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./=:@%+,-") == "" {
		return s
	}
	if visible.Line(s) != s {
		return ansiCQuote(s)
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// ansiCQuote quotes s as $'...', where control, bidirectional and
// zero-width characters and stray bytes are written as escapes (bash, zsh
// and POSIX.1-2024 shells read them back), so the command stays on one
// line, shows every character and still names the same file.
func ansiCQuote(s string) string {
	var b strings.Builder
	b.WriteString("$'")
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\'' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80 && visible.Hidden(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case visible.Hidden(r) && r > 0xffff:
			fmt.Fprintf(&b, `\U%08x`, r)
		case visible.Hidden(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte('\'')
	return b.String()
}

// configError reports a bad configuration or suppression: positioned
// errors, exit 2.
func configError(io IO, err error) error {
	var el model.ErrorList
	if errors.As(err, &el) {
		reportLoadError(io, err)
		return silent(ExitError)
	}
	var ue *usageError
	if errors.As(err, &ue) {
		return err
	}
	return &exitError{code: ExitError, err: err}
}
