package cmd

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/archdiag/archdiag/model"
)

// writeFormatReference writes README's format reference, generated from the
// same field tables the loader and the schema use.
func writeFormatReference(w io.Writer) {
	section := func(title, intro string, fields []model.Field) {
		fmt.Fprintf(w, "#### %s\n\n", title)
		if intro != "" {
			fmt.Fprintf(w, "%s\n\n", intro)
		}
		fmt.Fprintln(w, "| field | type | description |")
		fmt.Fprintln(w, "| --- | --- | --- |")
		for _, f := range fields {
			writeFieldRows(w, "", f)
		}
		fmt.Fprintln(w)
	}
	section("Top level", "", model.TopFields)
	section("`traffic`", "All optional. The capacity rules and the notes' numbers use what is given and name what is missing.", model.TrafficFields)

	var common []model.Field
	for _, f := range model.ComponentFields {
		if f.Kinds == nil {
			common = append(common, f)
		}
	}
	section("Components: fields of every kind", "Each key under `components` is the component's id: lowercase letters, digits, `-` and `_`, starting with a letter.", common)

	fmt.Fprintln(w, "#### Components: kinds and their own fields")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| kind | tier | what it is | its own fields |")
	fmt.Fprintln(w, "| --- | --- | --- | --- |")
	for _, ki := range model.Kinds {
		var own []string
		for _, f := range model.ComponentFields {
			if f.Kinds != nil && applies(f, ki.Kind) {
				own = append(own, "`"+f.Name+"`")
			}
		}
		if len(own) == 0 {
			own = []string{"none"}
		}
		fmt.Fprintf(w, "| `%s` | %s | %s | %s |\n", ki.Kind, ki.Tier, ki.Doc, strings.Join(own, ", "))
	}
	fmt.Fprintln(w)

	var specific []model.Field
	for _, f := range model.ComponentFields {
		if f.Kinds != nil {
			specific = append(specific, f)
		}
	}
	section("Components: kind-specific fields", "A field used on a kind it does not apply to is an error.", specific)
	section("Calls", "Under a component's `calls`: a component id (a synchronous call with the defaults below), or a mapping in the full form.", model.CallFields)
	section("Flows", "Under `flows`, keyed by name. Diagrams number the steps with `render --flow NAME`; notes narrate them.", model.FlowFields)
	section("Flow steps", "Each step travels a call that `from` declares.", model.StepFields)
	section("Entities", "Under `entities`, keyed by name: records whose status values track a workflow.", model.EntityFields)
}

func applies(f model.Field, k model.Kind) bool {
	for _, x := range f.Kinds {
		if x == k {
			return true
		}
	}
	return false
}

func writeFieldRows(w io.Writer, prefix string, f model.Field) {
	name := prefix + f.Name
	doc := f.Doc
	if f.Required {
		doc = "**required.** " + doc
	}
	if f.Kinds != nil {
		var ks []string
		for _, k := range f.Kinds {
			ks = append(ks, "`"+string(k)+"`")
		}
		doc += " (" + strings.Join(ks, ", ") + ")"
	}
	fmt.Fprintf(w, "| `%s` | %s | %s |\n", name, typeName(f), escapePipes(doc))
	if f.Type == model.TObject || (f.Type == model.TList && f.Name != "steps") {
		for _, sf := range f.Fields {
			writeFieldRows(w, name+".", sf)
		}
	}
}

func typeName(f model.Field) string {
	var s string
	switch f.Type {
	case model.TString:
		s = "string"
	case model.TInt:
		s = "integer"
	case model.TFloat:
		s = "number"
	case model.TBool:
		s = "`true` or `false`"
	case model.TEnum:
		s = "`" + strings.Join(f.Enum, "` \\| `") + "`"
	case model.TRef:
		s = "component id"
	case model.TObject:
		s = "mapping"
		for _, v := range f.ShortValues {
			s += " or `" + v + "`"
		}
	case model.TList:
		s = "list of mappings"
	case model.TStrings:
		s = "list of strings"
	case model.TRatio:
		s = "`\"R:W\"` or number"
	case model.TCalls:
		s = "list of ids or calls"
	case model.TIgnore:
		s = "rule id: reason"
	case model.TMapOf:
		s = "mapping by name"
	case model.TKindRef:
		s = "kind (below)"
	}
	switch {
	case f.HasMin && f.HasMax:
		s += fmt.Sprintf(", %s to %s", num(f.Min), num(f.Max))
	case f.HasMin:
		s += fmt.Sprintf(", ≥ %s", num(f.Min))
	}
	return s
}

// num writes a bound as people read it: whole numbers grouped by
// thousands (1,000,000,000 rather than 1e+09).
func num(x float64) string {
	if x != math.Trunc(x) {
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return model.Rate(x)
}

func escapePipes(s string) string { return strings.ReplaceAll(s, "|", "\\|") }
