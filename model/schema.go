package model

import "encoding/json"

// SchemaID is where editors may find the schema; the file is also printed
// by "archdiag schema".
const SchemaID = "https://raw.githubusercontent.com/archdiag/archdiag/main/examples/archdiag.schema.json"

// JSONSchema returns a JSON Schema (draft 2020-12) of the model format,
// generated from the same field tables the loader checks against, so that
// editors with the YAML language server complete and check models.
// encoding/json sorts map keys, so the output is deterministic.
func JSONSchema() []byte {
	defs := map[string]any{
		"id":        map[string]any{"type": "string", "pattern": idPattern.String()},
		"component": componentSchema(),
		"call":      objectSchema(CallFields),
		"flow":      objectSchema(FlowFields),
		"entity":    objectSchema(EntityFields),
	}
	root := objectSchema(TopFields)
	// The loader reads one format version; the schema says which.
	version := root["properties"].(map[string]any)["archdiag"].(map[string]any)
	version["const"] = FormatVersion
	root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	root["$id"] = SchemaID
	root["title"] = "archdiag model"
	root["description"] = "An architecture model for archdiag: components, the calls between them, flows and entities."
	root["$defs"] = defs
	b, err := json.MarshalIndent(root, "", "  ")
	if err != nil {
		panic(err) // the schema is built from constants
	}
	return append(b, '\n')
}

func objectSchema(fields []Field) map[string]any {
	props := map[string]any{}
	var req []string
	for _, f := range fields {
		props[f.Name] = fieldSchema(f)
		if f.Required && f.Kinds == nil {
			req = append(req, f.Name)
		}
	}
	s := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(req) > 0 {
		s["required"] = req
	}
	return s
}

func fieldSchema(f Field) map[string]any {
	s := map[string]any{}
	switch f.Type {
	case TString:
		s["type"] = "string"
	case TInt:
		s["type"] = "integer"
	case TFloat:
		s["type"] = "number"
	case TBool:
		s["type"] = "boolean"
	case TEnum:
		s["enum"] = f.Enum
	case TRef:
		s["$ref"] = "#/$defs/id"
	case TKindRef:
		var kinds []string
		for _, k := range Kinds {
			kinds = append(kinds, string(k.Kind))
		}
		s["enum"] = kinds
	case TObject:
		s = objectSchema(f.Fields)
	case TList:
		s["type"] = "array"
		if f.Name == "steps" {
			s["minItems"] = 1
		}
		s["items"] = objectSchema(f.Fields)
	case TStrings:
		s["type"] = "array"
		s["items"] = map[string]any{"type": "string"}
		s["uniqueItems"] = true
	case TRatio:
		s["oneOf"] = []any{
			map[string]any{"type": "number", "exclusiveMinimum": 0},
			map[string]any{"type": "string", "pattern": `^\s*[0-9]+(\.[0-9]+)?\s*:\s*[0-9]+(\.[0-9]+)?\s*$`},
		}
	case TCalls:
		s["type"] = "array"
		s["items"] = map[string]any{"oneOf": []any{
			map[string]any{"$ref": "#/$defs/id"},
			map[string]any{"$ref": "#/$defs/call"},
		}}
	case TIgnore:
		s["type"] = "object"
		s["propertyNames"] = map[string]any{"pattern": `^[a-z]+/[a-z0-9-]+$`}
		s["additionalProperties"] = map[string]any{"type": "string", "minLength": 1, "pattern": `\S`}
	case TMapOf:
		def := map[string]string{"components": "component", "flows": "flow", "entities": "entity"}[f.Name]
		s["type"] = "object"
		s["propertyNames"] = map[string]any{"$ref": "#/$defs/id"}
		s["additionalProperties"] = map[string]any{"$ref": "#/$defs/" + def}
		if f.Name == "components" {
			s["minProperties"] = 1
		}
	}
	if f.Short != "" {
		s = map[string]any{"oneOf": []any{s, map[string]any{"enum": f.ShortValues}}}
	}
	if f.HasMin {
		s["minimum"] = f.Min
	}
	if f.HasMax {
		s["maximum"] = f.Max
	}
	if f.Doc != "" {
		s["description"] = f.Doc
	}
	return s
}

// componentSchema allows every component field, then uses if/then clauses
// to refuse the fields that do not apply to a kind and to require the ones
// a kind needs.
func componentSchema() map[string]any {
	s := objectSchema(ComponentFields)
	var rules []any
	for _, f := range ComponentFields {
		if f.Kinds == nil {
			continue
		}
		kinds := make([]string, len(f.Kinds))
		for i, k := range f.Kinds {
			kinds[i] = string(k)
		}
		rules = append(rules, map[string]any{
			"if":   map[string]any{"required": []string{"kind"}, "properties": map[string]any{"kind": map[string]any{"not": map[string]any{"enum": kinds}}}},
			"then": map[string]any{"not": map[string]any{"required": []string{f.Name}}},
		})
		if f.Required {
			rules = append(rules, map[string]any{
				"if":   map[string]any{"required": []string{"kind"}, "properties": map[string]any{"kind": map[string]any{"enum": kinds}}},
				"then": map[string]any{"required": []string{f.Name}},
			})
		}
	}
	s["allOf"] = rules
	return s
}
