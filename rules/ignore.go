package rules

import (
	"fmt"
	"strings"

	"github.com/archdiag/archdiag/model"
	"gopkg.in/yaml.v3"
)

// CheckIgnores reports every problem in the ignore entries of m's
// components at once: entries that name no rule (with the closest rule id)
// and entries without a reason. The error, when not nil, is a sorted
// model.ErrorList. Run calls it before any rule.
func CheckIgnores(m *model.Model) error {
	var errs model.ErrorList
	for _, c := range m.Components {
		for _, s := range c.Ignore {
			pos := s.Rule.Pos.Or(s.Pos)
			if Lookup(s.Rule.Val) == nil {
				errs.Add(pos, unknownIgnore(c.ID, s.Rule.Val))
			}
			if strings.TrimSpace(s.Reason.Val) == "" {
				errs.Add(pos, noReason(c.ID, s.Rule.Val))
			}
		}
	}
	errs.Sort()
	return errs.Err()
}

// Load is model.Load that also checks the ignore entries with CheckIgnores,
// and returns every problem at once: when the file does not load for
// another reason (an ignore entry without a reason, an unknown field), the
// ignore entries that name no rule are reported with those problems rather
// than after they are fixed. The error, when not nil, is a sorted
// model.ErrorList and the Model is nil.
func Load(name string, src []byte) (*model.Model, error) {
	m, err := model.Load(name, src)
	if err != nil {
		errs, ok := err.(model.ErrorList)
		if !ok {
			return nil, err
		}
		errs = append(append(model.ErrorList(nil), errs...), unknownIgnoresIn(name, src)...)
		errs.Sort()
		return nil, errs
	}
	if err := CheckIgnores(m); err != nil {
		return nil, err
	}
	return m, nil
}

// LoadFile reads the model at path, as model.LoadFile does, and loads it
// with Load. Errors other than a model.ErrorList are I/O problems.
func LoadFile(path string) (*model.Model, error) {
	src, err := model.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Load(path, src)
}

// unknownIgnoresIn finds, in a model file that does not load, the ignore
// entries of components that name no rule.
func unknownIgnoresIn(name string, src []byte) model.ErrorList {
	root, _ := model.ParseYAML(name, src, "a model file")
	var errs model.ErrorList
	comps := mappingValue(root, "components")
	if comps == nil {
		return nil
	}
	for i := 0; i+1 < len(comps.Content); i += 2 {
		id := comps.Content[i].Value
		ign := mappingValue(comps.Content[i+1], "ignore")
		if ign == nil {
			continue
		}
		for j := 0; j+1 < len(ign.Content); j += 2 {
			k := ign.Content[j]
			if k.Kind == yaml.ScalarNode && Lookup(k.Value) == nil {
				errs.Add(model.Pos{File: name, Line: k.Line, Col: k.Column}, unknownIgnore(id, k.Value))
			}
		}
	}
	return errs
}

// mappingValue returns the mapping under key in the mapping n, or nil.
func mappingValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k, v := n.Content[i], n.Content[i+1]; k.Value == key && v.Kind == yaml.MappingNode {
			return v
		}
	}
	return nil
}

func unknownIgnore(component, rule string) string {
	return fmt.Sprintf("component %q: ignore names unknown rule %q%s", component, rule, didYouMean(rule))
}

// noReason is worded as model.Load words it, so the two never both appear.
func noReason(component, rule string) string {
	return fmt.Sprintf("component %q: ignore: %s needs a reason: say why the finding does not apply here", component, rule)
}
