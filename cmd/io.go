package cmd

import (
	"io"
	"os"

	"github.com/muesli/termenv"
	"golang.org/x/term"
)

// IO is where a command reads and writes. Tests build one from buffers.
type IO struct {
	In  io.Reader
	Out io.Writer // data: findings, SVG, DOT, markdown
	Err io.Writer // diagnostics

	OutTTY bool // Out is a terminal: glamour notes, colour
	Color  bool // colour allowed: a terminal, no NO_COLOR, TERM is not dumb
	Width  int  // terminal width in columns; 0 when unknown

	// Dark reports whether the terminal's background is dark. It may ask
	// the terminal, so it is called only when styled output is written.
	Dark func() bool
}

// SystemIO returns the process's streams and terminal facts.
func SystemIO() IO {
	tty := term.IsTerminal(int(os.Stdout.Fd()))
	width := 0
	if tty {
		if w, _, err := term.GetSize(int(os.Stdout.Fd())); err == nil {
			width = w
		}
	}
	return IO{
		In:     os.Stdin,
		Out:    os.Stdout,
		Err:    os.Stderr,
		OutTTY: tty,
		Color:  tty && colorAllowed(os.Getenv),
		Width:  width,
		Dark:   darkBackground,
	}
}

// colorAllowed reports whether the environment lets a terminal be coloured:
// NO_COLOR set and not empty (no-color.org) or TERM=dumb forbid it.
func colorAllowed(getenv func(string) string) bool {
	return getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
}

// darkBackground follows GLAMOUR_STYLE when it says dark or light, and
// otherwise asks the terminal for its background colour.
func darkBackground() bool {
	switch os.Getenv("GLAMOUR_STYLE") {
	case "dark":
		return true
	case "light":
		return false
	}
	return termenv.NewOutput(os.Stdout).HasDarkBackground()
}
