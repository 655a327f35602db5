package model

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// The decoder walks the node tree with the field tables of spec.go: each
// Field says where its value goes, so a field is named once, in its table.

// decode checks mapping n against specs and stores each known field's value
// in owner. kind is the component's kind, for fields that apply to some
// kinds only; "" elsewhere.
func (d *decoder) decode(at, n *yaml.Node, what path, specs []Field, kind Kind, owner any) {
	d.fields(at, n, what, specs, kind, func(f *Field, k, v *yaml.Node) {
		d.value(f, k, v, what.child(f.Name), kind, owner)
	})
}

func (d *decoder) value(f *Field, k, v *yaml.Node, what path, kind Kind, owner any) {
	switch {
	case f.hook != nil:
		f.hook(d, owner, k, v, what)
		return
	case f.open != nil && f.Type == TList:
		d.list(v, what, func(i int, item *yaml.Node) {
			d.decode(item, item, what.index(i), f.Fields, kind, f.open(owner, d.pos(item)))
		})
		return
	case f.open != nil:
		if f.Short != "" && v.Kind == yaml.ScalarNode && v.ShortTag() != "!!null" {
			d.short(f, k, v, what, kind, owner)
			return
		}
		d.decode(k, v, what, f.Fields, kind, f.open(owner, d.pos(k)))
		return
	case f.at == nil:
		return // the kind, read before the other fields
	}
	switch dst := f.at(owner).(type) {
	case *String:
		if f.Type == TEnum {
			*dst = d.enum(f, v, what)
		} else {
			*dst = d.str(v, what)
		}
	case enumSetter:
		dst.setEnum(d.enum(f, v, what))
	case *Int:
		*dst = d.int(f, v, what)
	case *Float:
		*dst = d.float(f, v, what)
	case *Bool:
		*dst = d.bool(v, what)
	case *Value[Ratio]:
		*dst = d.ratio(v, what)
	case *Ref:
		want := f.targets
		if f.same && kind != "" {
			want = []Kind{kind}
		}
		d.ref(v, what, dst, d.self, want...)
	default:
		panic(fmt.Sprintf("field %s: no decoder for %T", f.Name, dst))
	}
}

// short reads a plain value that stands for a mapping, such as failover:
// none for failover: {mode: none}.
func (d *decoder) short(f *Field, k, v *yaml.Node, what path, kind Kind, owner any) {
	for _, s := range f.ShortValues {
		if v.Value == s {
			sub, _ := findField(f.Fields, f.Short)
			d.value(sub, k, v, what.child(f.Short), kind, f.open(owner, d.pos(k)))
			return
		}
	}
	d.errorf(v, "%s: got %s; only %s may be written alone: write %s: {%s: %s}", what, describe(v), orList(f.ShortValues), f.Name, f.Short, v.Value)
}

func orList(vals []string) string {
	if n := len(vals); n > 1 {
		return strings.Join(vals[:n-1], ", ") + " or " + vals[n-1]
	}
	return strings.Join(vals, "")
}

// fields walks mapping n: it reports non-mappings, duplicate keys, unknown
// keys (with a suggestion), keys that do not apply to kind, and missing
// required keys, then calls fn for each known key in document order.
// at is the node that names the mapping, for "missing field" errors.
func (d *decoder) fields(at, n *yaml.Node, what path, specs []Field, kind Kind, fn func(f *Field, k, v *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s must be a mapping of fields, got %s", what, describe(n))
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if prev := earlierKey(n, i); prev != nil {
			d.errorf(k, "%s: duplicate key %q (first at line %d); keep one", what, k.Value, prev.Line)
			continue
		}
		f, ok := findField(specs, k.Value)
		if !ok {
			d.unknownField(k, v, what, specs, kind)
			continue
		}
		if kind != "" && !f.appliesTo(kind) {
			d.errorf(k, "%s: field %q applies to %s, not to %s", what, k.Value, kindList(f.Kinds), kind)
			continue
		}
		fn(f, k, v)
	}
	for i := range specs {
		f := &specs[i]
		applies := f.Kinds == nil || (kind != "" && f.appliesTo(kind))
		if f.Required && applies && !hasKey(n, f.Name) {
			d.errorf(at, "%s: missing required field %q (%s)", what, f.Name, f.Doc)
		}
	}
}

func (d *decoder) unknownField(k, v *yaml.Node, what path, specs []Field, kind Kind) {
	var names []string
	for _, f := range specs {
		if kind == "" || f.appliesTo(kind) {
			names = append(names, f.Name)
		}
	}
	if s := didYouMean(k.Value, names); s != "" {
		d.errorf(k, "%s: unknown field %q%s", what, k.Value, s)
		return
	}
	if where := misplaced(k, v, specs, kind); where != "" {
		d.errorf(k, "%s: unknown field %q; %s", what, k.Value, where)
		return
	}
	d.errorf(k, "%s: unknown field %q (fields: %s)", what, k.Value, strings.Join(names, ", "))
}

// misplaced says where a key that does not belong in specs does belong:
// inside one of specs' own mappings (read_qps under capacity), on a call
// rather than on a component, or under a component, flow or entity rather
// than at the top of the file. It returns "" when the key belongs nowhere.
func misplaced(k, v *yaml.Node, specs []Field, kind Kind) string {
	name := k.Value
	example := func(wrap string) string {
		val := "..."
		if v.Kind == yaml.ScalarNode && v.Value != "" && !strings.ContainsAny(v.Value, "\n{}[],:#") {
			val = v.Value
		}
		return fmt.Sprintf(wrap, name+": "+val)
	}
	for _, f := range specs {
		if f.Type != TObject || (kind != "" && !f.appliesTo(kind)) {
			continue
		}
		if sub, ok := findField(f.Fields, name); ok && (kind == "" || sub.appliesTo(kind)) {
			return "it belongs under " + f.Name + ": write " + example(f.Name+": {%s}")
		}
	}
	for _, p := range placements {
		if &p.within[0] != &specs[0] {
			continue
		}
		if _, ok := findField(p.fields, name); ok {
			return fmt.Sprintf(p.advice, name, example("%s"))
		}
	}
	return ""
}

// A placement is where keys of another table are often written by mistake.
type placement struct {
	within []Field // the table the key was found in
	fields []Field // the table the key belongs to
	advice string  // %[1]s is the key, %[2]s the key with its value
}

// placements is filled in init: the tables refer to the decoder, so a
// variable that the decoder reads cannot refer to them.
var placements []placement

func init() {
	placements = []placement{
		{TopFields, ComponentFields, "%[1]s is a component's field: write it under components.<id>.%[1]s"},
		{TopFields, FlowFields, "%[1]s is a flow's field: write it under flows.<name>.%[1]s"},
		{TopFields, EntityFields, "%[1]s is an entity's field: write it under entities.<name>.%[1]s"},
		{ComponentFields, CallFields, "%[1]s is a call's field: write the call in its full form, calls: [{to: <id>, %[2]s}]"},
	}
}

// earlierKey returns the key before index i of mapping n with the same
// name, or nil. Mappings are small, so a scan beats allocating a set.
func earlierKey(n *yaml.Node, i int) *yaml.Node {
	for j := 0; j < i; j += 2 {
		if n.Content[j].Value == n.Content[i].Value {
			return n.Content[j]
		}
	}
	return nil
}

func hasKey(n *yaml.Node, name string) bool {
	for j := 0; j < len(n.Content); j += 2 {
		if n.Content[j].Value == name {
			return true
		}
	}
	return false
}

// findField returns the spec named name. It loops by index: a Field is
// large, and copying each one made this loop the loader's hot spot.
func findField(specs []Field, name string) (*Field, bool) {
	for i := range specs {
		if specs[i].Name == name {
			return &specs[i], true
		}
	}
	return nil, false
}

func kindList(ks []Kind) string {
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			return "nothing"
		}
		return strconv.Quote(n.Value)
	}
	return "an unexpected node"
}

func (d *decoder) str(v *yaml.Node, what path) String {
	if v.Kind != yaml.ScalarNode || v.ShortTag() == "!!null" {
		d.errorf(v, "%s: got %s, want a string", what, describe(v))
		return String{}
	}
	return String{Val: v.Value, Pos: d.pos(v)}
}

func (d *decoder) int(f *Field, v *yaml.Node, what path) Int {
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" {
		// yaml.v3 resolves a plain whole number that overflows an int64 to a
		// float; a quoted one is a string.
		if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!float" && wholeNumber.MatchString(v.Value) {
			d.outOfRange(f, v, what)
			return Int{}
		}
		d.errorf(v, "%s: got %s, want a whole number%s", what, describe(v), unquoteHint(v))
		return Int{}
	}
	// Parsed here rather than with Node.Decode, which builds a decoder per value.
	x64, err := strconv.ParseInt(strings.ReplaceAll(v.Value, "_", ""), 0, 64)
	if err != nil {
		d.outOfRange(f, v, what)
		return Int{}
	}
	d.checkRange(f, v, float64(x64), what)
	return Int{Val: int(x64), Pos: d.pos(v)}
}

var wholeNumber = regexp.MustCompile(`^[-+]?[0-9][0-9_]*$`)

// unquoteHint mends a number written in quotes, which YAML reads as text.
func unquoteHint(v *yaml.Node) string {
	if v.Kind != yaml.ScalarNode || v.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 {
		return ""
	}
	if _, err := strconv.ParseFloat(strings.ReplaceAll(v.Value, "_", ""), 64); err != nil {
		return ""
	}
	return ": write it without quotes"
}

// outOfRange reports a number too large for an int64 or a float64 by the
// field's limit, not as "not a number", and returns the nearest limit.
func (d *decoder) outOfRange(f *Field, v *yaml.Node, what path) float64 {
	if strings.HasPrefix(v.Value, "-") {
		if !f.HasMin {
			d.errorf(v, "%s: %s is too small (at least %d)", what, v.Value, int64(math.MinInt64))
			return -math.MaxFloat64
		}
		d.errorf(v, "%s: %s is below the minimum %s", what, v.Value, fmtNum(f.Min))
		return f.Min
	}
	limit, s := f.Max, fmtNum(f.Max)
	if !f.HasMax {
		limit, s = math.MaxFloat64, strconv.FormatInt(math.MaxInt64, 10)
	}
	d.errorf(v, "%s: %s is too large (at most %s)", what, v.Value, s)
	return limit
}

func (d *decoder) float(f *Field, v *yaml.Node, what path) Float {
	tag := v.ShortTag()
	x, err := strconv.ParseFloat(strings.ReplaceAll(v.Value, "_", ""), 64)
	if tag == "!!int" {
		var i int64
		i, err = strconv.ParseInt(strings.ReplaceAll(v.Value, "_", ""), 0, 64)
		x = float64(i)
	}
	// yaml.v3 leaves an unquoted number beyond float64, such as 1e400, a string.
	plain := v.Kind == yaml.ScalarNode && v.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0
	if plain && (tag == "!!int" || math.IsInf(x, 0)) && errors.Is(err, strconv.ErrRange) {
		return Float{Val: d.outOfRange(f, v, what), Pos: d.pos(v)}
	}
	if v.Kind != yaml.ScalarNode || (tag != "!!int" && tag != "!!float") || err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		d.errorf(v, "%s: got %s, want a number%s", what, describe(v), unquoteHint(v))
		return Float{}
	}
	d.checkRange(f, v, x, what)
	return Float{Val: x, Pos: d.pos(v)}
}

func (d *decoder) checkRange(f *Field, v *yaml.Node, x float64, what path) {
	switch {
	case f.HasMin && x < f.Min:
		d.errorf(v, "%s: %s is below the minimum %s", what, v.Value, fmtNum(f.Min))
	case f.HasMax && x > f.Max:
		d.errorf(v, "%s: %s is too large (at most %s)", what, v.Value, fmtNum(f.Max))
	}
}

func fmtNum(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

func (d *decoder) bool(v *yaml.Node, what path) Bool {
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!bool" {
		hint := ""
		if v.Kind == yaml.ScalarNode {
			switch strings.ToLower(v.Value) {
			case "yes", "no", "on", "off", "y", "n":
				hint = " (YAML 1.1 words such as yes and no are not booleans here)"
			}
		}
		d.errorf(v, "%s: got %s, want true or false%s", what, describe(v), hint)
		return Bool{}
	}
	return Bool{Val: strings.EqualFold(v.Value, "true"), Pos: d.pos(v)}
}

func (d *decoder) enum(f *Field, v *yaml.Node, what path) String {
	s := d.str(v, what)
	if !s.Set() {
		return s
	}
	for _, e := range f.Enum {
		if e == s.Val {
			return s
		}
	}
	d.errorf(v, "%s: unknown value %q%s (values: %s)", what, s.Val, didYouMean(s.Val, f.Enum), strings.Join(f.Enum, ", "))
	return String{}
}

// ref records a reference to resolve once every component is known.
func (d *decoder) ref(v *yaml.Node, what path, dst *Ref, self *Component, want ...Kind) {
	s := d.str(v, what)
	if !s.Set() {
		return
	}
	*dst = Ref{Name: s.Val, Pos: s.Pos}
	d.refs = append(d.refs, refCheck{ref: dst, what: what, want: want, self: self})
}

func (d *decoder) ratio(v *yaml.Node, what path) Value[Ratio] {
	bad := func() Value[Ratio] {
		d.errorf(v, "%s: got %s, want reads:writes such as \"9:1\"", what, describe(v))
		return Value[Ratio]{}
	}
	if v.Kind != yaml.ScalarNode {
		return bad()
	}
	r, w := v.Value, "1"
	if i := strings.IndexByte(v.Value, ':'); i >= 0 {
		r, w = v.Value[:i], v.Value[i+1:]
	} else if t := v.ShortTag(); t != "!!int" && t != "!!float" {
		return bad()
	}
	rf, err1 := strconv.ParseFloat(strings.TrimSpace(r), 64)
	wf, err2 := strconv.ParseFloat(strings.TrimSpace(w), 64)
	if err1 != nil || err2 != nil || !(rf >= 0) || !(wf >= 0) || rf+wf == 0 || math.IsInf(rf+wf, 0) {
		return bad()
	}
	return Value[Ratio]{Val: Ratio{Reads: rf, Writes: wf}, Pos: d.pos(v)}
}

func (d *decoder) list(n *yaml.Node, what path, fn func(i int, item *yaml.Node)) {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "%s must be a list, got %s", what, describe(n))
		return
	}
	for i, item := range n.Content {
		fn(i, item)
	}
}

func (d *decoder) top(root *yaml.Node) {
	doc := &yaml.Node{Kind: yaml.ScalarNode, Line: 1, Column: 1}
	d.decode(doc, root, path{base: "model", top: true}, TopFields, "", d.m)
}

// version reads the format version.
func (d *decoder) version(m *Model, _, v *yaml.Node, what path) {
	if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!float" && wholeNumber.MatchString(v.Value) {
		d.errorf(v, "archdiag: format version %s is not supported; this archdiag reads version %d", v.Value, FormatVersion)
		return
	}
	m.Version = d.int(&versionField, v, what)
	if m.Version.Set() && m.Version.Val != FormatVersion {
		d.errorf(v, "archdiag: format version %d is not supported; this archdiag reads version %d", m.Version.Val, FormatVersion)
	}
}

// eachNamed walks a mapping from names to definitions, reporting duplicate
// and malformed names.
func (d *decoder) eachNamed(n *yaml.Node, what path, fn func(key, val *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s must be a mapping keyed by name, got %s", what, describe(n))
		return
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if prev, dup := seen[k.Value]; dup {
			d.errorf(k, "%s: duplicate name %q (first at line %d); names must be unique", what, k.Value, prev.Line)
			continue
		}
		seen[k.Value] = k
		if !idPattern.MatchString(k.Value) {
			d.errorf(k, "%s: name %q must start with a lowercase letter and hold only lowercase letters, digits, - and _", what, k.Value)
			continue
		}
		fn(k, v)
	}
}

func (d *decoder) components(n *yaml.Node) {
	if n.Kind == yaml.MappingNode && len(n.Content) == 0 {
		d.errorf(n, "components: there are none; add at least a client and what it calls")
		return
	}
	// One allocation for every component rather than one each: components
	// are large, and allocating them dominated the loader's own cost.
	slab := make([]Component, len(n.Content)/2)
	d.m.Components = make([]*Component, 0, len(slab))
	d.eachNamed(n, path{base: "components"}, func(k, v *yaml.Node) {
		c := &slab[len(d.m.Components)]
		d.component(c, k, v)
		d.m.Components = append(d.m.Components, c)
		d.m.byID[c.ID] = c
	})
}

// kindOf reads a component's kind before its other fields, which are
// checked against it, and reports an unknown one.
func (d *decoder) kindOf(id string, v *yaml.Node) Value[Kind] {
	if v.Kind != yaml.MappingNode {
		return Value[Kind]{}
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		if v.Content[i].Value != "kind" {
			continue
		}
		kn := v.Content[i+1]
		if k := Kind(kn.Value); kn.Kind == yaml.ScalarNode {
			if _, ok := k.Info(); ok {
				return Value[Kind]{Val: k, Pos: d.pos(kn)}
			}
		}
		var names []string
		for _, ki := range Kinds {
			names = append(names, string(ki.Kind))
		}
		if kn.Kind != yaml.ScalarNode || kn.ShortTag() == "!!null" {
			d.errorf(kn, "component %q: kind: got %s, want one kind (kinds: %s)", id, describe(kn), strings.Join(names, ", "))
			return Value[Kind]{}
		}
		d.errorf(kn, "component %q: unknown kind %q%s (kinds: %s)", id, kn.Value, didYouMean(kn.Value, names), strings.Join(names, ", "))
		return Value[Kind]{}
	}
	return Value[Kind]{}
}

func (d *decoder) component(c *Component, k, v *yaml.Node) {
	// c is zero (from the slab); setting fields one by one avoids the bulk
	// write barrier of assigning the whole large struct.
	c.ID, c.Pos = k.Value, d.pos(k)
	c.Instances.Val, c.Zones.Val = 1, 1
	// With an unknown or missing kind, field names are checked against every kind.
	c.Kind = d.kindOf(c.ID, v)
	d.self = c
	d.decode(k, v, path{base: fmt.Sprintf("component %q", c.ID)}, ComponentFields, c.Kind.Val, c)
	d.self = nil
}

func (d *decoder) calls(c *Component, n *yaml.Node, what path) {
	d.list(n, what, func(i int, item *yaml.Node) {
		call := &Call{Pos: d.pos(item), From: c}
		iw := what.index(i)
		switch item.Kind {
		case yaml.ScalarNode:
			d.ref(item, iw, &call.To, c)
		case yaml.MappingNode:
			d.decode(item, item, iw, CallFields, "", call)
		default:
			d.errorf(item, "%s: got %s, want a component id or a mapping with \"to\"", iw, describe(item))
			return
		}
		c.Calls = append(c.Calls, call)
		d.m.calls = append(d.m.calls, call)
	})
}

func (d *decoder) ignore(c *Component, n *yaml.Node, what path) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s must map rule ids to reasons, e.g. spof/single-instance: \"dev only\"; got %s", what, describe(n))
		return
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if prev, dup := seen[k.Value]; dup {
			d.errorf(k, "%s: duplicate rule %q (first at line %d); keep one", what, k.Value, prev.Line)
			continue
		}
		seen[k.Value] = k
		s := &Suppression{Pos: d.pos(k), Rule: String{Val: k.Value, Pos: d.pos(k)}}
		if v.Kind != yaml.ScalarNode || v.ShortTag() == "!!null" || strings.TrimSpace(v.Value) == "" {
			d.errorf(k, "%s: %s needs a reason: say why the finding does not apply here", what, k.Value)
			continue
		}
		if v.ShortTag() != "!!str" {
			// true or 1 would pass for a reason; a reason is words.
			d.errorf(v, "%s: %s: the reason must be text saying why the finding does not apply here; got %s", what, k.Value, describe(v))
			continue
		}
		s.Reason = String{Val: v.Value, Pos: d.pos(v)}
		c.Ignore = append(c.Ignore, s)
	}
}

func (d *decoder) flows(m *Model, _, v *yaml.Node, what path) {
	d.eachNamed(v, what, func(k, v *yaml.Node) { m.Flows = append(m.Flows, d.flow(k, v)) })
}

func (d *decoder) flow(k, v *yaml.Node) *Flow {
	fl := &Flow{Name: k.Value, Pos: d.pos(k)}
	// A flow without steps gets one error, the one that says what to add,
	// not the generic missing-field one as well.
	specs := FlowFields
	if v.Kind == yaml.MappingNode && !hasKey(v, "steps") {
		specs = flowFieldsStepsOptional
		d.errorf(k, "%s", noSteps(fl))
	}
	d.decode(k, v, path{base: fmt.Sprintf("flow %q", fl.Name)}, specs, "", fl)
	return fl
}

func noSteps(fl *Flow) string {
	return fmt.Sprintf("flow %q has no steps; list under steps the calls it travels, in order", fl.Name)
}

func (d *decoder) flowSteps(fl *Flow, _, v *yaml.Node, what path) {
	if v.Kind == yaml.SequenceNode && len(v.Content) == 0 {
		d.errorf(v, "%s", noSteps(fl))
		return
	}
	d.list(v, what, func(i int, item *yaml.Node) {
		st := &Step{Pos: d.pos(item), Number: len(fl.Steps) + 1}
		sw := path{base: fmt.Sprintf("%s: step %d", what.base, i+1)}
		d.decode(item, item, sw, StepFields, "", st)
		d.steps = append(d.steps, pendingStep{step: st, what: sw.base})
		fl.Steps = append(fl.Steps, st)
	})
}

func (d *decoder) entities(m *Model, _, v *yaml.Node, what path) {
	d.eachNamed(v, what, func(k, v *yaml.Node) {
		e := &Entity{Name: k.Value, Pos: d.pos(k), StatusField: String{Val: "status"}, RecordsPerWrite: Float{Val: 1}}
		d.decode(k, v, path{base: fmt.Sprintf("entity %q", e.Name)}, EntityFields, "", e)
		m.Entities = append(m.Entities, e)
	})
}

func (d *decoder) statuses(e *Entity, _, v *yaml.Node, what path) {
	seen := map[string]bool{}
	d.list(v, what, func(_ int, item *yaml.Node) {
		s := d.str(item, what)
		if !s.Set() {
			return
		}
		if seen[s.Val] {
			d.errorf(item, "%s: status %q is listed twice", what.base, s.Val)
			return
		}
		seen[s.Val] = true
		e.Statuses = append(e.Statuses, s)
	})
}

// LoadReferenceCapacity reads a reference_capacity block outside a model,
// from .archdiag.yaml: key is the reference_capacity key and value the
// mapping under it; name is the file's name in positions.
func LoadReferenceCapacity(name string, key, value *yaml.Node) (*ReferenceCapacity, ErrorList) {
	d := &decoder{file: name}
	f, _ := findField(TopFields, "reference_capacity")
	r := &ReferenceCapacity{Pos: d.pos(key)}
	d.decode(key, value, path{base: f.Name}, f.Fields, "", r)
	d.errs.Sort()
	if len(d.errs) > 0 {
		return nil, d.errs
	}
	return r, nil
}

// path names the place of a value in messages, e.g. `component "app":
// calls[0].to`. It is built without allocating and formatted only when an
// error is reported.
type path struct {
	base   string // `component "app"`
	name   string // "calls"
	idx    int    // list index + 1; 0 for none
	subKey string // "to"
	top    bool   // the top of the file: its fields name themselves
}

func (p path) field(name string) path { return path{base: p.base, name: name} }
func (p path) index(i int) path       { p.idx = i + 1; return p }
func (p path) sub(key string) path    { p.subKey = key; return p }

// child is the path of the field name inside p: `traffic` at the top,
// `component "a": capacity` in a component, `... capacity.read_qps` below.
func (p path) child(name string) path {
	switch {
	case p.top:
		return path{base: name}
	case p.name != "":
		return p.sub(name)
	}
	return p.field(name)
}

func (p path) String() string {
	s := p.base
	if p.name != "" {
		s += ": " + p.name
	}
	if p.idx > 0 {
		s += "[" + strconv.Itoa(p.idx-1) + "]"
	}
	if p.subKey != "" {
		s += "." + p.subKey
	}
	return s
}
