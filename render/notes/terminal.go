package notes

import (
	"errors"

	"github.com/charmbracelet/glamour"

	"github.com/archdiag/archdiag/model/visible"
)

// glamourMargin is the margin glamour's standard styles keep on each side.
const glamourMargin = 2

// Terminal renders notes for a terminal with glamour's standard dark or
// light style, wrapped at width columns. The style is always explicit:
// glamour's auto style probes the terminal, which makes output depend on
// where it runs. The text is wrapped here and glamour keeps those line
// breaks: glamour wraps paragraphs twice, at slightly different widths,
// and leaves a lone word on a line wherever the two disagree.
func Terminal(markdown []byte, width int, dark bool) ([]byte, error) {
	if width < 1 {
		return nil, errors.New("notes: terminal width must be at least 1")
	}
	style := "light"
	if dark {
		style = "dark"
	}
	r, err := glamour.NewTermRenderer(
		glamour.WithStandardStyle(style),
		glamour.WithWordWrap(width),
		glamour.WithPreservedNewLines(),
	)
	if err != nil {
		return nil, err
	}
	// Markdown's own output shows such characters already; this keeps any
	// other input from writing escape sequences to the terminal.
	md := []byte(visible.Text(string(markdown)))
	return r.RenderBytes(prewrap(md, max(width-2*glamourMargin, 1)))
}
