package cmd

import (
	"bytes"
	"flag"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files under ../testdata and README's generated blocks")

// run runs archdiag in process with the given stdin and returns the exit
// code, stdout and stderr.
func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	io := IO{In: strings.NewReader(stdin), Out: &out, Err: &errOut}
	code := Main(args, io)
	return code, out.String(), errOut.String()
}
