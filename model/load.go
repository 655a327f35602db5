package model

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// MaxFileSize is the largest model file archdiag reads. Real models are a
// few kilobytes; the cap keeps a stray multi-gigabyte file from exhausting
// memory.
const MaxFileSize = 8 << 20

var idPattern = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)

// LoadFile is Load for the file at path. It never modifies the file.
func LoadFile(path string) (*Model, error) {
	src, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Load(path, src)
}

// ReadFile reads a model file, at most one byte past MaxFileSize so that
// Load can refuse an oversized file without reading all of it.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, MaxFileSize+1))
}

// Load parses and validates the model in src; name is used in positions.
// If the error is non-nil it is an ErrorList holding every problem found,
// sorted, and the Model is nil.
func Load(name string, src []byte) (*Model, error) {
	d := &decoder{file: name}
	m := d.load(src)
	d.errs.Sort()
	if err := d.errs.Err(); err != nil {
		return nil, err
	}
	return m, nil
}

// decoder turns a yaml.v3 node tree into a Model. It records a Pos for every
// value and collects every error rather than stopping at the first.
type decoder struct {
	file  string
	errs  ErrorList
	m     *Model
	refs  []refCheck
	steps []pendingStep
}

// pendingStep is a flow step whose call is found once references resolve.
type pendingStep struct {
	step     *Step
	from, to *Ref
	what     string
}

// refCheck is a reference to resolve once every component is known.
type refCheck struct {
	ref  *Ref
	what path   // e.g. `component "app": dead_letter`
	want []Kind // allowed target kinds; nil for any
	self *Component
}

func (d *decoder) pos(n *yaml.Node) Pos { return Pos{File: d.file, Line: n.Line, Col: n.Column} }

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	d.errs.Add(d.pos(n), fmt.Sprintf(format, args...))
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func (d *decoder) load(src []byte) *Model {
	root, errs := ParseYAML(d.file, src, "a model file")
	d.errs = append(d.errs, errs...)
	if root == nil {
		if len(errs) == 0 {
			d.errs.Add(Pos{File: d.file, Line: 1, Col: 1}, "the file is empty; a model starts with \"archdiag: 1\", a name and components (see \"archdiag init\")")
		}
		return nil
	}
	d.m = &Model{File: d.file, byID: map[string]*Component{}}
	d.top(root)
	d.resolve()
	d.validate()
	d.m.index()
	return d.m
}

// ParseYAML parses src, named name in positions, as the one YAML document
// that what (e.g. "a model file") holds, and returns its root node. It
// refuses input over MaxFileSize, a second document, and anchors, aliases
// and merge keys, which also refuses "billion laughs" files before anything
// expands them. The root is nil when the input is empty or refused.
func ParseYAML(name string, src []byte, what string) (*yaml.Node, ErrorList) {
	var errs ErrorList
	at := Pos{File: name, Line: 1, Col: 1}
	if len(src) > MaxFileSize {
		errs.Add(at, fmt.Sprintf("the file is over %d MiB, the most archdiag reads; a hand-written model is a few kilobytes, so check that this is the file you meant (not generated output or a binary)", MaxFileSize>>20))
		return nil, errs
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if !errors.Is(err, io.EOF) {
			errs = append(errs, syntaxError(name, src, err))
		}
		return nil, errs
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		errs.Add(Pos{File: name, Line: extra.Line, Col: extra.Column},
			"a second YAML document; "+what+" holds one document, so remove the \"---\" and what follows or move it to its own file")
	} else if !errors.Is(err, io.EOF) {
		errs = append(errs, syntaxError(name, src, err))
	}
	if len(doc.Content) == 0 {
		return nil, errs
	}
	root := doc.Content[0]
	if refused := rejectAliases(name, root); len(refused) > 0 {
		return nil, append(errs, refused...)
	}
	return root, errs
}

// rejectAliases reports anchors, aliases and merge keys, the first ten.
func rejectAliases(name string, root *yaml.Node) ErrorList {
	var errs ErrorList
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if len(errs) >= 10 {
			return
		}
		pos := Pos{File: name, Line: n.Line, Col: n.Column}
		switch {
		case n.Kind == yaml.AliasNode:
			errs.Add(pos, fmt.Sprintf("alias *%s: anchors and aliases are not supported; write the value out in full", n.Value))
			return
		case n.Anchor != "":
			errs.Add(pos, fmt.Sprintf("anchor &%s: anchors and aliases are not supported; write the value out in full", n.Anchor))
		case n.Kind == yaml.ScalarNode && n.Tag == "!!merge":
			errs.Add(pos, "merge key <<: anchors and aliases are not supported; write the value out in full")
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(root)
	return errs
}

// fields walks mapping n: it reports non-mappings, duplicate keys, unknown
// keys (with a suggestion), keys that do not apply to kind, and missing
// required keys, then calls fn for each known key in document order.
// at is the node that names the mapping, for "missing field" errors.
func (d *decoder) fields(at, n *yaml.Node, what path, specs []Field, kind Kind, fn func(f Field, k, v *yaml.Node)) {
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
			d.unknownField(k, what, specs, kind)
			continue
		}
		if kind != "" && !f.appliesTo(kind) {
			d.errorf(k, "%s: field %q applies to %s, not to %s", what, k.Value, kindList(f.Kinds), kind)
			continue
		}
		fn(*f, k, v)
	}
	for i := range specs {
		f := &specs[i]
		applies := f.Kinds == nil || (kind != "" && f.appliesTo(kind))
		if f.Required && applies && !hasKey(n, f.Name) {
			d.errorf(at, "%s: missing required field %q (%s)", what, f.Name, f.Doc)
		}
	}
}

func (d *decoder) unknownField(k *yaml.Node, what path, specs []Field, kind Kind) {
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
	d.errorf(k, "%s: unknown field %q (fields: %s)", what, k.Value, strings.Join(names, ", "))
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

func (d *decoder) int(f Field, v *yaml.Node, what path) Int {
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
func (d *decoder) outOfRange(f Field, v *yaml.Node, what path) float64 {
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

func (d *decoder) float(f Field, v *yaml.Node, what path) Float {
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

func (d *decoder) checkRange(f Field, v *yaml.Node, x float64, what path) {
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

func (d *decoder) enum(f Field, v *yaml.Node, what path) String {
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

func (d *decoder) top(root *yaml.Node) {
	m := d.m
	doc := &yaml.Node{Kind: yaml.ScalarNode, Line: 1, Column: 1}
	d.fields(doc, root, path{base: "model"}, TopFields, "", func(f Field, k, v *yaml.Node) {
		switch f.Name {
		case "archdiag":
			if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!float" && wholeNumber.MatchString(v.Value) {
				d.errorf(v, "archdiag: format version %s is not supported; this archdiag reads version %d", v.Value, FormatVersion)
				break
			}
			m.Version = d.int(f, v, path{base: "archdiag"})
			if m.Version.Set() && m.Version.Val != FormatVersion {
				d.errorf(v, "archdiag: format version %d is not supported; this archdiag reads version %d", m.Version.Val, FormatVersion)
			}
		case "name":
			m.Name = d.str(v, path{base: "name"})
		case "description":
			m.Description = d.str(v, path{base: "description"})
		case "traffic":
			m.Traffic = d.traffic(k, v)
		case "components":
			d.components(v)
		case "flows":
			d.eachNamed(v, path{base: "flows"}, func(key, val *yaml.Node) { m.Flows = append(m.Flows, d.flow(key, val)) })
		case "entities":
			d.eachNamed(v, path{base: "entities"}, func(key, val *yaml.Node) { m.Entities = append(m.Entities, d.entity(key, val)) })
		}
	})
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

func (d *decoder) traffic(k, v *yaml.Node) *Traffic {
	t := &Traffic{Pos: d.pos(k)}
	d.fields(k, v, path{base: "traffic"}, TrafficFields, "", func(f Field, k, v *yaml.Node) {
		what := path{base: "traffic", name: f.Name}
		switch f.Name {
		case "baseline_rps":
			t.BaselineRPS = d.float(f, v, what)
		case "daily_active_users":
			t.DailyActiveUsers = d.float(f, v, what)
		case "requests_per_user":
			t.RequestsPerUser = d.float(f, v, what)
		case "peak_multiplier":
			t.PeakMultiplier = d.float(f, v, what)
		case "peak_rps":
			t.PeakRPS = d.float(f, v, what)
		case "read_write_ratio":
			t.ReadWriteRatio = d.ratio(v, what)
		}
	})
	switch {
	case t.BaselineRPS.Set() && t.DailyActiveUsers.Set():
		d.errs.Add(t.DailyActiveUsers.Pos, "traffic: give baseline_rps or daily_active_users with requests_per_user, not both")
	case t.DailyActiveUsers.Set() != t.RequestsPerUser.Set():
		p := t.DailyActiveUsers.Pos.Or(t.RequestsPerUser.Pos)
		d.errs.Add(p, "traffic: daily_active_users and requests_per_user go together; give both, or baseline_rps instead")
	}
	if t.PeakMultiplier.Set() && t.PeakRPS.Set() {
		d.errs.Add(t.PeakRPS.Pos, "traffic: give peak_multiplier or peak_rps, not both")
	}
	return t
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

func (d *decoder) kindOf(id string, v *yaml.Node) Kind {
	if v.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		if v.Content[i].Value == "kind" {
			kn := v.Content[i+1]
			if k := Kind(kn.Value); kn.Kind == yaml.ScalarNode {
				if _, ok := k.Info(); ok {
					return k
				}
			}
			var names []string
			for _, ki := range Kinds {
				names = append(names, string(ki.Kind))
			}
			if kn.Kind != yaml.ScalarNode || kn.ShortTag() == "!!null" {
				d.errorf(kn, "component %q: kind: got %s, want one kind (kinds: %s)", id, describe(kn), strings.Join(names, ", "))
				return ""
			}
			d.errorf(kn, "component %q: unknown kind %q%s (kinds: %s)", id, kn.Value, didYouMean(kn.Value, names), strings.Join(names, ", "))
			return ""
		}
	}
	return ""
}

func (d *decoder) component(c *Component, k, v *yaml.Node) {
	// c is zero (from the slab); setting fields one by one avoids the bulk
	// write barrier of assigning the whole large struct.
	c.ID, c.Pos = k.Value, d.pos(k)
	c.Instances.Val, c.Zones.Val = 1, 1
	what := path{base: fmt.Sprintf("component %q", c.ID)}
	// With an unknown or missing kind, field names are checked against every kind.
	kind := d.kindOf(c.ID, v)
	d.fields(k, v, what, ComponentFields, kind, func(f Field, fk, fv *yaml.Node) {
		fw := what.field(f.Name)
		switch f.Name {
		case "kind":
			if kind != "" {
				c.Kind = Value[Kind]{Val: kind, Pos: d.pos(fv)}
			}
		case "label":
			c.Label = d.str(fv, fw)
		case "description":
			c.Description = d.str(fv, fw)
		case "instances":
			c.Instances = d.int(f, fv, fw)
		case "autoscale":
			c.Autoscale = &Autoscale{Pos: d.pos(fk)}
			d.fields(fk, fv, fw, f.Fields, "", func(sf Field, _, sv *yaml.Node) {
				if sf.Name == "min" {
					c.Autoscale.Min = d.int(sf, sv, fw.sub("min"))
				} else {
					c.Autoscale.Max = d.int(sf, sv, fw.sub("max"))
				}
			})
		case "zones":
			c.Zones = d.int(f, fv, fw)
		case "managed":
			c.Managed = d.bool(fv, fw)
		case "failover":
			c.Failover = &Failover{Pos: d.pos(fk)}
			d.fields(fk, fv, fw, f.Fields, "", func(sf Field, _, sv *yaml.Node) {
				if sf.Name == "mode" {
					c.Failover.Mode = asValue[FailoverMode](d.enum(sf, sv, fw.sub("mode")))
				} else {
					d.ref(sv, fw.sub("standby"), &c.Failover.Standby, c, kind)
				}
			})
		case "critical":
			c.Critical = d.bool(fv, fw)
		case "alerts":
			d.list(fv, fw, func(i int, item *yaml.Node) {
				a := &Alert{Pos: d.pos(item)}
				d.fields(item, item, fw.index(i), f.Fields, "", func(sf Field, _, sv *yaml.Node) {
					if sf.Name == "when" {
						a.When = d.str(sv, fw.sub("when"))
					} else {
						a.Notify = d.str(sv, fw.sub("notify"))
					}
				})
				c.Alerts = append(c.Alerts, a)
			})
		case "capacity":
			c.Capacity = d.capacity(fk, fv, fw, f, kind)
		case "health_check":
			h := &HealthCheck{Pos: d.pos(fk)}
			d.fields(fk, fv, fw, f.Fields, "", func(sf Field, _, sv *yaml.Node) {
				if sf.Name == "path" {
					h.Path = d.str(sv, fw.sub("path"))
				} else {
					h.IntervalS = d.int(sf, sv, fw.sub("interval_s"))
				}
			})
			c.HealthCheck = h
		case "sticky_sessions":
			c.StickySessions = d.bool(fv, fw)
		case "rate_limit":
			r := &RateLimit{Pos: d.pos(fk)}
			d.fields(fk, fv, fw, f.Fields, "", func(sf Field, _, sv *yaml.Node) {
				if sf.Name == "per_client_rps" {
					r.PerClientRPS = d.float(sf, sv, fw.sub("per_client_rps"))
				} else {
					r.GlobalRPS = d.float(sf, sv, fw.sub("global_rps"))
				}
			})
			c.RateLimit = r
		case "admit_rps":
			c.AdmitRPS = d.float(f, fv, fw)
		case "origin":
			d.ref(fv, fw, &c.Origin, c, ObjectStorage, LoadBalancer, Webserver, App)
		case "state":
			c.State = d.state(fk, fv, fw, f, c)
		case "db_pool_size":
			c.DBPoolSize = d.int(f, fv, fw)
		case "read_your_writes":
			c.ReadYourWrites = d.bool(fv, fw)
		case "pattern":
			c.Pattern = asValue[CachePattern](d.enum(f, fv, fw))
		case "ttl_s":
			c.TTLSeconds = d.int(f, fv, fw)
		case "max_memory_mb":
			c.MaxMemoryMB = d.int(f, fv, fw)
		case "eviction":
			c.Eviction = d.str(fv, fw)
		case "hit_ratio":
			c.HitRatio = d.float(f, fv, fw)
		case "prewarm":
			c.Prewarm = d.bool(fv, fw)
		case "mode":
			c.Mode = asValue[QueueMode](d.enum(f, fv, fw))
		case "delivery":
			c.Delivery = d.enum(f, fv, fw)
		case "dead_letter":
			d.ref(fv, fw, &c.DeadLetter, c, Queue)
		case "max_receive_count":
			c.MaxReceiveCount = d.int(f, fv, fw)
		case "concurrency":
			c.Concurrency = d.int(f, fv, fw)
		case "service_time_ms":
			c.ServiceTimeMS = d.int(f, fv, fw)
		case "idempotent":
			c.Idempotent = d.bool(fv, fw)
		case "schedule":
			c.Schedule = d.str(fv, fw)
		case "batch_size":
			c.BatchSize = d.int(f, fv, fw)
		case "max_duration_s":
			c.MaxDurationS = d.int(f, fv, fw)
		case "concurrency_policy":
			c.ConcurrencyPolicy = d.enum(f, fv, fw)
		case "lock":
			c.Lock = d.bool(fv, fw)
		case "role":
			c.Role = asValue[DBRole](d.enum(f, fv, fw))
		case "replica_of":
			d.ref(fv, fw, &c.ReplicaOf, c, Database)
		case "replication":
			c.Replication = d.enum(f, fv, fw)
		case "shards":
			c.Shards = d.shards(fk, fv, fw, f)
		case "provider":
			c.Provider = asValue[Provider](d.enum(f, fv, fw))
		case "ack":
			c.Ack = d.enum(f, fv, fw)
		case "password_hash":
			c.PasswordHash = d.passwordHash(fk, fv, fw, f)
		case "salt":
			c.Salt = d.enum(f, fv, fw)
		case "calls":
			d.calls(c, fv, fw)
		case "ignore":
			d.ignore(c, fv, fw)
		}
	})
	if c.Kind.Val == "" && kind != "" {
		c.Kind = Value[Kind]{Val: kind}
	}
}

func asValue[T ~string](s String) Value[T] { return Value[T]{Val: T(s.Val), Pos: s.Pos} }

func (d *decoder) list(n *yaml.Node, what path, fn func(i int, item *yaml.Node)) {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "%s must be a list, got %s", what, describe(n))
		return
	}
	for i, item := range n.Content {
		fn(i, item)
	}
}

func (d *decoder) capacity(fk, fv *yaml.Node, fw path, f Field, kind Kind) *Capacity {
	cp := &Capacity{Pos: d.pos(fk)}
	d.fields(fk, fv, fw, f.Fields, kind, func(sf Field, _, sv *yaml.Node) {
		sw := fw.sub(sf.Name)
		switch sf.Name {
		case "rps_per_instance":
			cp.RPSPerInstance = d.float(sf, sv, sw)
		case "read_qps":
			cp.ReadQPS = d.float(sf, sv, sw)
		case "write_qps":
			cp.WriteQPS = d.float(sf, sv, sw)
		case "max_connections":
			cp.MaxConnections = d.int(sf, sv, sw)
		}
	})
	return cp
}

func (d *decoder) state(fk, fv *yaml.Node, fw path, f Field, c *Component) *State {
	s := &State{Pos: d.pos(fk)}
	d.fields(fk, fv, fw, f.Fields, "", func(sf Field, _, sv *yaml.Node) {
		sw := fw.sub(sf.Name)
		switch sf.Name {
		case "sessions":
			s.Sessions = asValue[SessionMode](d.enum(sf, sv, sw))
		case "session_store":
			d.ref(sv, sw, &s.SessionStore, c, Cache, Database)
		case "uploads":
			s.Uploads = asValue[UploadMode](d.enum(sf, sv, sw))
		case "upload_store":
			d.ref(sv, sw, &s.UploadStore, c, ObjectStorage)
		}
	})
	switch {
	case s.Sessions.Val == SessionsExternal && !s.SessionStore.Set():
		d.errs.Add(s.Sessions.Pos, fw.String()+": sessions: external needs session_store, the component that holds them")
	case s.SessionStore.Set() && s.Sessions.Val != SessionsExternal:
		d.errs.Add(s.SessionStore.Pos, fw.String()+": session_store goes with sessions: external")
	}
	switch {
	case s.Uploads.Val == UploadsObjectStorage && !s.UploadStore.Set():
		d.errs.Add(s.Uploads.Pos, fw.String()+": uploads: object_storage needs upload_store, the object storage component")
	case s.UploadStore.Set() && s.Uploads.Val != UploadsObjectStorage:
		d.errs.Add(s.UploadStore.Pos, fw.String()+": upload_store goes with uploads: object_storage")
	}
	return s
}

func (d *decoder) shards(fk, fv *yaml.Node, fw path, f Field) *Sharding {
	s := &Sharding{Pos: d.pos(fk)}
	d.fields(fk, fv, fw, f.Fields, "", func(sf Field, _, sv *yaml.Node) {
		sw := fw.sub(sf.Name)
		switch sf.Name {
		case "strategy":
			s.Strategy = asValue[ShardStrategy](d.enum(sf, sv, sw))
		case "count":
			s.Count = d.int(sf, sv, sw)
		case "key":
			s.Key = d.str(sv, sw)
		case "vnodes":
			s.VNodes = d.int(sf, sv, sw)
		case "growth":
			s.Growth = d.enum(sf, sv, sw)
		}
	})
	if s.VNodes.Set() && s.Strategy.Val != ConsistentHash && s.Strategy.Set() {
		d.errs.Add(s.VNodes.Pos, fw.String()+": vnodes applies to strategy consistent-hash only")
	}
	return s
}

func (d *decoder) passwordHash(fk, fv *yaml.Node, fw path, f Field) *PasswordHash {
	p := &PasswordHash{Pos: d.pos(fk)}
	d.fields(fk, fv, fw, f.Fields, "", func(sf Field, _, sv *yaml.Node) {
		sw := fw.sub(sf.Name)
		switch sf.Name {
		case "algorithm":
			p.Algorithm = d.enum(sf, sv, sw)
		case "cost":
			p.Cost = d.int(sf, sv, sw)
		case "memory_kib":
			p.MemoryKiB = d.int(sf, sv, sw)
		case "iterations":
			p.Iterations = d.int(sf, sv, sw)
		case "parallelism":
			p.Parallelism = d.int(sf, sv, sw)
		}
	})
	return p
}

func (d *decoder) calls(c *Component, n *yaml.Node, what path) {
	d.list(n, what, func(i int, item *yaml.Node) {
		call := &Call{Pos: d.pos(item), From: c}
		iw := what.index(i)
		if item.Kind == yaml.ScalarNode {
			d.ref(item, iw, &call.To, c)
			c.Calls = append(c.Calls, call)
			d.m.calls = append(d.m.calls, call)
			return
		}
		if item.Kind != yaml.MappingNode {
			d.errorf(item, "%s: got %s, want a component id or a mapping with \"to\"", iw, describe(item))
			return
		}
		d.fields(item, item, iw, CallFields, "", func(f Field, k, v *yaml.Node) {
			fw := iw.sub(f.Name)
			switch f.Name {
			case "to":
				d.ref(v, fw, &call.To, c)
			case "mode":
				call.Mode = asValue[CallMode](d.enum(f, v, fw))
			case "op":
				call.Op = asValue[Op](d.enum(f, v, fw))
			case "label":
				call.Label = d.str(v, fw)
			case "timeout_ms":
				call.TimeoutMS = d.int(f, v, fw)
			case "retries":
				r := &Retries{Pos: d.pos(k)}
				d.fields(k, v, fw, f.Fields, "", func(sf Field, _, sv *yaml.Node) {
					sw := fw.sub(sf.Name)
					switch sf.Name {
					case "max_attempts":
						r.MaxAttempts = d.int(sf, sv, sw)
					case "backoff":
						r.Backoff = d.enum(sf, sv, sw)
					case "jitter":
						r.Jitter = d.bool(sv, sw)
					}
				})
				call.Retries = r
			case "fallback":
				d.ref(v, fw, &call.Fallback, c)
			case "degrade":
				call.Degrade = d.bool(v, fw)
			case "idempotency_key":
				call.IdempotencyKey = d.str(v, fw)
			case "outbox":
				call.Outbox = d.bool(v, fw)
			}
		})
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

func (d *decoder) flow(k, v *yaml.Node) *Flow {
	fl := &Flow{Name: k.Value, Pos: d.pos(k)}
	what := path{base: fmt.Sprintf("flow %q", fl.Name)}
	var stepsNode *yaml.Node
	// A flow without steps gets one error, the one that says what to add,
	// not the generic missing-field one as well.
	specs := FlowFields
	if v.Kind == yaml.MappingNode && !hasKey(v, "steps") {
		specs = flowFieldsStepsOptional
	}
	d.fields(k, v, what, specs, "", func(f Field, _, fv *yaml.Node) {
		if f.Name == "description" {
			fl.Description = d.str(fv, what.field("description"))
		} else {
			stepsNode = fv
		}
	})
	noSteps := fmt.Sprintf("flow %q has no steps; list under steps the calls it travels, in order", fl.Name)
	switch {
	case v.Kind != yaml.MappingNode:
		return fl
	case stepsNode == nil:
		d.errorf(k, "%s", noSteps)
		return fl
	case stepsNode.Kind == yaml.SequenceNode && len(stepsNode.Content) == 0:
		d.errorf(stepsNode, "%s", noSteps)
		return fl
	}
	d.list(stepsNode, what.field("steps"), func(i int, item *yaml.Node) {
		st := &Step{Pos: d.pos(item), Number: len(fl.Steps) + 1}
		sw := path{base: fmt.Sprintf("%s: step %d", what, i+1)}
		var from, to Ref
		d.fields(item, item, sw, StepFields, "", func(f Field, _, sv *yaml.Node) {
			switch f.Name {
			case "from":
				d.ref(sv, sw.field("from"), &from, nil)
			case "to":
				d.ref(sv, sw.field("to"), &to, nil)
			case "action":
				st.Action = d.str(sv, sw.field("action"))
			case "entity":
				st.Entity = d.str(sv, sw.field("entity"))
			case "status":
				st.Status = d.str(sv, sw.field("status"))
			}
		})
		d.steps = append(d.steps, pendingStep{step: st, from: &from, to: &to, what: sw.base})
		fl.Steps = append(fl.Steps, st)
	})
	return fl
}

func (d *decoder) entity(k, v *yaml.Node) *Entity {
	e := &Entity{Name: k.Value, Pos: d.pos(k), StatusField: String{Val: "status"}}
	what := path{base: fmt.Sprintf("entity %q", e.Name)}
	d.fields(k, v, what, EntityFields, "", func(f Field, _, fv *yaml.Node) {
		switch f.Name {
		case "store":
			d.ref(fv, what.field("store"), &e.Store, nil, storeKinds...)
		case "status_field":
			e.StatusField = d.str(fv, what.field("status_field"))
		case "statuses":
			seen := map[string]bool{}
			d.list(fv, what.field("statuses"), func(_ int, item *yaml.Node) {
				s := d.str(item, what.field("statuses"))
				if !s.Set() {
					return
				}
				if seen[s.Val] {
					d.errorf(item, "%s: status %q is listed twice", what, s.Val)
					return
				}
				seen[s.Val] = true
				e.Statuses = append(e.Statuses, s)
			})
		}
	})
	return e
}

// path names the place of a value in messages, e.g. `component "app":
// calls[0].to`. It is built without allocating and formatted only when an
// error is reported.
type path struct {
	base   string // `component "app"`
	name   string // "calls"
	idx    int    // list index + 1; 0 for none
	subKey string // "to"
}

func (p path) field(name string) path { return path{base: p.base, name: name} }
func (p path) index(i int) path       { p.idx = i + 1; return p }
func (p path) sub(key string) path    { p.subKey = key; return p }

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
