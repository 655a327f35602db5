// Command floor does nothing but link the dependencies whose package
// initialisation every archdiag process pays for: cobra, glamour (whose
// syntax highlighter parses its lexers and styles) and go-graphviz (the
// patched copy, which instantiates its WebAssembly module only on first use).
// .ci/bench times it as the start-up floor that archdiag's --help, validate
// and lint are measured against.
package main

import (
	_ "github.com/charmbracelet/glamour"
	_ "github.com/goccy/go-graphviz"
	_ "github.com/spf13/cobra"
)

func main() {}
