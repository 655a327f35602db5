package model

import (
	"testing"

	"gopkg.in/yaml.v3"
)

// Every field of every table says where its value goes, and the decoder
// stores a valid value of each without complaint: a field added to a table
// with a destination the decoder does not know fails here, not on a user's
// model.
func TestEveryFieldDecodes(t *testing.T) {
	tables := []struct {
		name   string
		fields []Field
		owner  any
	}{
		{"top", TopFields, &Model{byID: map[string]*Component{}}},
		{"traffic", TrafficFields, &Traffic{}},
		{"component", ComponentFields, &Component{}},
		{"call", CallFields, &Call{From: &Component{}}},
		{"flow", FlowFields, &Flow{}},
		{"step", StepFields, &Step{}},
		{"entity", EntityFields, &Entity{}},
		{"reference_capacity", ReferenceCapacityFields, &ReferenceCapacity{}},
	}
	for _, tb := range tables {
		checkFields(t, tb.name, tb.fields, tb.owner)
	}
}

func checkFields(t *testing.T, where string, fields []Field, owner any) {
	t.Helper()
	for i := range fields {
		f := &fields[i]
		what := where + "." + f.Name
		set := 0
		for _, ok := range []bool{f.at != nil, f.open != nil, f.hook != nil} {
			if ok {
				set++
			}
		}
		switch {
		case f.Type == TKindRef:
			if set != 0 {
				t.Errorf("%s: the kind is read before the other fields, not bound", what)
			}
			continue
		case set != 1:
			t.Errorf("%s: %d ways to store the value, want 1", what, set)
			continue
		case f.open != nil:
			checkFields(t, what, f.Fields, f.open(owner, Pos{Line: 1}))
			continue
		case f.hook != nil:
			continue // a shape of its own, loaded by the tests of the examples and fixtures
		}
		v := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "x", Line: 1, Column: 1}
		switch f.Type {
		case TInt, TFloat:
			v.Tag, v.Value = "!!int", "1"
		case TBool:
			v.Tag, v.Value = "!!bool", "true"
		case TEnum:
			v.Value = f.Enum[0]
		case TRatio:
			v.Value = "9:1"
		}
		d := &decoder{file: "t.yaml", m: &Model{byID: map[string]*Component{}}}
		d.value(f, v, v, path{base: where}, "", owner)
		if len(d.errs) > 0 {
			t.Errorf("%s: %v", what, d.errs)
		}
	}
}
