package model

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"

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
	self  *Component // the component being decoded, which its references may not name
}

// pendingStep is a flow step whose call is found once references resolve.
type pendingStep struct {
	step *Step
	what string // `flow "signup": step 2`
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
// refuses input over MaxFileSize, UTF-16 and UTF-32, nesting deeper than
// MaxDepth (before parsing), a second document, and anchors, aliases
// and merge keys, which also refuses "billion laughs" files before anything
// expands them. The root is nil when the input is empty or refused.
func ParseYAML(name string, src []byte, what string) (*yaml.Node, ErrorList) {
	var errs ErrorList
	at := Pos{File: name, Line: 1, Col: 1}
	if len(src) > MaxFileSize {
		errs.Add(at, fmt.Sprintf("the file is over %d MiB, the most archdiag reads; a hand-written model is a few kilobytes, so check that this is the file you meant (not generated output or a binary)", MaxFileSize>>20))
		return nil, errs
	}
	if enc := encodingOf(src); enc != "" {
		errs.Add(at, "the file is "+enc+"; save it as UTF-8")
		return nil, errs
	}
	if e := depthError(name, src); e != nil {
		return nil, append(errs, e)
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
