// Command genmodel prints a generated model of N components, the same one
// the Go benchmarks load, for whole-process benchmarks: genmodel N.
package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/archdiag/archdiag/model/modeltest"
)

func main() {
	n, err := strconv.Atoi(os.Args[len(os.Args)-1])
	if len(os.Args) != 2 || err != nil || n < 1 {
		fmt.Fprintln(os.Stderr, "usage: genmodel N (a number of components, at least 1)")
		os.Exit(2)
	}
	os.Stdout.Write(modeltest.Generate(n))
}
