// Command floor does nothing but link the two dependencies whose package
// initialisation every archdiag process pays for: go-graphviz (which
// instantiates its WebAssembly module) and glamour (whose syntax highlighter
// parses its lexers and styles). .ci/bench times it as the start-up floor
// that archdiag's own start-up is measured against.
package main

import (
	_ "github.com/charmbracelet/glamour"
	_ "github.com/goccy/go-graphviz"
)

func main() {}
