// Package model defines archdiag's architecture model: the YAML format, a
// loader that keeps the file:line:col of every value, and the types that the
// rules and renderers share. It imports nothing else of the project.
package model

import (
	"fmt"
	"strconv"
)

// Pos is a position in a model file. The zero Pos means "no position".
// Col counts characters (Unicode code points), as yaml.v3 does, not bytes.
type Pos struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"column,omitempty"`
}

// IsValid reports whether p has a line.
func (p Pos) IsValid() bool { return p.Line > 0 }

// String returns "file:line:col", "file:line", "file" or "-".
func (p Pos) String() string {
	s := p.File
	if p.IsValid() {
		if s != "" {
			s += ":"
		}
		s += strconv.Itoa(p.Line)
		if p.Col > 0 {
			s += fmt.Sprintf(":%d", p.Col)
		}
	}
	if s == "" {
		s = "-"
	}
	return s
}

// Or returns p if it is valid and q otherwise.
func (p Pos) Or(q Pos) Pos {
	if p.IsValid() {
		return p
	}
	return q
}

// Before reports whether p sorts before q (file, line, column).
func (p Pos) Before(q Pos) bool {
	if p.File != q.File {
		return p.File < q.File
	}
	if p.Line != q.Line {
		return p.Line < q.Line
	}
	return p.Col < q.Col
}

// A Value is a field's value and where it was written.
// Pos is zero when the field was omitted and Val holds the default.
type Value[T any] struct {
	Val T
	Pos Pos
}

// Set reports whether the value was written in the file.
func (v Value[T]) Set() bool { return v.Pos.IsValid() }

type (
	String = Value[string]
	Int    = Value[int]
	Float  = Value[float64]
	Bool   = Value[bool]
)

// A Ref names another component and where the name was written.
// Target is resolved by the loader; it is nil only when Name is empty.
type Ref struct {
	Name   string
	Pos    Pos
	Target *Component
}

// Set reports whether the reference was written in the file.
func (r Ref) Set() bool { return r.Name != "" }
