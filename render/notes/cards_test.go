package notes

import (
	"testing"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/rules"
)

// A study card names only rules that exist.
func TestStudyCardRulesExist(t *testing.T) {
	for _, ki := range model.Kinds {
		for _, id := range ki.Card.Rules {
			if rules.Lookup(id) == nil {
				t.Errorf("%s's study card names rule %s, which does not exist", ki.Kind, id)
			}
		}
	}
}
