package notes

import (
	"errors"

	"github.com/charmbracelet/glamour"
)

// Terminal renders notes for a terminal with glamour's standard dark or
// light style, wrapped at width columns. The style is always explicit:
// glamour's auto style probes the terminal, which makes output depend on
// where it runs.
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
	)
	if err != nil {
		return nil, err
	}
	return r.RenderBytes(markdown)
}
