// Package examples holds archdiag's example models. They are embedded so
// that "archdiag init --template NAME" can write them as starters.
package examples

import "embed"

// FS holds every example model, by file name (e.g. "three-tier.yaml").
//
//go:embed *.yaml
var FS embed.FS
