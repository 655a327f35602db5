// Command archdiag validates, lints, renders and explains architecture
// models written in YAML.
package main

import (
	"os"

	"github.com/archdiag/archdiag/cmd"
)

func main() { os.Exit(cmd.Main(os.Args[1:], cmd.SystemIO())) }
