package model

import (
	"reflect"
	"slices"
	"testing"
)

// Every kind has every part of its descriptor: a new kind with a row in
// Kinds but no shape or study card would silently degrade in the diagram
// and the notes.
func TestKindsComplete(t *testing.T) {
	fills := map[string]Kind{}
	for i, ki := range Kinds {
		if got, ok := ki.Kind.Info(); !ok || got.Kind != ki.Kind {
			t.Errorf("%s: Info does not find its row", ki.Kind)
		}
		if i > 0 && ki.Tier < Kinds[i-1].Tier {
			t.Errorf("%s: out of tier order", ki.Kind)
		}
		if int(ki.Tier) >= len(Tiers) {
			t.Errorf("%s: tier %d is not one of Tiers", ki.Kind, ki.Tier)
		}
		for part, v := range map[string]any{"Title": ki.Title, "Noun": ki.Noun, "Plural": ki.Plural, "Doc": ki.Doc, "Shape": ki.Shape, "Card": ki.Card} {
			empty := emptyParts(reflect.ValueOf(v))
			for _, e := range empty {
				t.Errorf("%s: %s%s is empty", ki.Kind, part, e)
			}
		}
		if prev, dup := fills[ki.Shape.Fill]; dup {
			t.Errorf("%s: fill %s is %s's too; each kind has its own colour", ki.Kind, ki.Shape.Fill, prev)
		}
		fills[ki.Shape.Fill] = ki.Kind
		if ki.Plural == ki.Noun {
			t.Errorf("%s: plural %q is the noun", ki.Kind, ki.Plural)
		}
	}
}

// emptyParts names the empty strings and slices in v, a string or a struct
// of them.
func emptyParts(v reflect.Value) []string {
	switch v.Kind() {
	case reflect.String, reflect.Slice:
		if v.Len() == 0 {
			return []string{""}
		}
	case reflect.Struct:
		var out []string
		for i := range v.NumField() {
			for _, e := range emptyParts(v.Field(i)) {
				out = append(out, "."+v.Type().Field(i).Name+e)
			}
		}
		return out
	}
	return nil
}

// The roles are the table's: each is held by the kinds the rules expect,
// and an unknown kind holds none.
func TestKindRoles(t *testing.T) {
	holders := func(has func(Kind) bool) []Kind {
		var out []Kind
		for _, ki := range Kinds {
			if has(ki.Kind) {
				out = append(out, ki.Kind)
			}
		}
		return out
	}
	for name, tc := range map[string]struct {
		has  func(Kind) bool
		want []Kind
	}{
		"entry":       {Kind.IsEntry, []Kind{Client}},
		"proxy":       {Kind.IsProxy, []Kind{LoadBalancer, Webserver}},
		"entry proxy": {Kind.IsEntryProxy, []Kind{WaitingRoom, LoadBalancer, Webserver}},
		"consumer":    {Kind.IsConsumer, []Kind{Worker, Cron}},
		"store":       {Kind.IsStore, []Kind{Database, ObjectStorage, AuthStore}},
		"third party": {Kind.IsThirdParty, []Kind{External}},
	} {
		if got := holders(tc.has); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", name, got, tc.want)
		}
		if tc.has("spaceship") {
			t.Errorf("%s: an unknown kind holds it", name)
		}
	}
	if Kind("spaceship").Title() != "spaceship" || Kind("spaceship").Noun(2) != "spaceship" {
		t.Error("an unknown kind is not named as written")
	}
	if got := Cron.Noun(1) + ", " + Cron.Noun(2) + ", " + DNS.Noun(3); got != "cron job, cron jobs, DNS servers" {
		t.Errorf("nouns: %s", got)
	}
}
