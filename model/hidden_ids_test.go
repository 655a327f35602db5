package model_test

import (
	"strings"
	"testing"

	"github.com/archdiag/archdiag/model"
)

// TestIDsRefuseHiddenCharacters checks that component, flow and entity ids
// cannot hold control, bidirectional or zero-width characters: ids are
// lowercase letters, digits, - and _, so two ids that look alike are alike.
func TestIDsRefuseHiddenCharacters(t *testing.T) {
	for _, id := range []string{"app\u202e", "a\u200bpp", "\u2066app\u2069", "app\u200d", "app\ufeff", "app\x1b[2J", "app\u0085"} {
		quoted := `"` + strings.NewReplacer("\x1b", `\e`, "\u0085", `\N`).Replace(id) + `"`
		for what, src := range map[string]string{
			"component": "archdiag: 1\nname: x\ncomponents:\n  " + quoted + ": {kind: app}\n",
			"flow":      "archdiag: 1\nname: x\ncomponents:\n  a: {kind: client, calls: [b]}\n  b: {kind: app}\nflows:\n  " + quoted + ":\n    steps: [{from: a, to: b}]\n",
			"entity":    "archdiag: 1\nname: x\ncomponents:\n  db: {kind: database}\nentities:\n  " + quoted + ": {store: db}\n",
		} {
			_, err := model.Load("ids.yaml", []byte(src))
			if err == nil || !strings.Contains(err.Error(), "must start with a lowercase letter") {
				t.Errorf("%s id %q: %v", what, id, err)
			}
		}
	}
}
