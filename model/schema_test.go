package model_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/archdiag/archdiag/model"
)

// The published copy of the schema, which the examples name in their
// first-line comment, must match what "archdiag schema" prints.
func TestSchemaGolden(t *testing.T) {
	golden(t, "../examples/archdiag.schema.json", model.JSONSchema())
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(model.JSONSchema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(model.SchemaID, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(model.SchemaID)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// schemaCheck decodes YAML as an editor's language server would and
// validates it; a file that does not decode is refused.
func schemaCheck(s *jsonschema.Schema, src []byte) error {
	var v any
	if err := yaml.Unmarshal(src, &v); err != nil {
		return err
	}
	// Round-trip through JSON so numbers and maps take JSON's types.
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return err
	}
	return s.Validate(doc)
}

// Every example and every valid fixture passes both the loader and the schema.
func TestSchemaAcceptsValidModels(t *testing.T) {
	s := compileSchema(t)
	var files []string
	examples, _ := filepath.Glob("../examples/*.yaml")
	files = append(files, examples...)
	_ = filepath.WalkDir("../testdata/rules", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".yaml") {
			files = append(files, p)
		}
		return nil
	})
	if len(examples) < 4 {
		t.Fatalf("found %d examples", len(examples))
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := model.Load(f, src); err != nil {
			continue // rule fixtures that are meant to be invalid are checked elsewhere
		}
		if err := schemaCheck(s, src); err != nil {
			t.Errorf("%s loads but the schema refuses it: %v", f, err)
		}
	}
}

// What the schema cannot express: references between components, flow
// steps that need a declared call, anchors (the language server expands
// them), and a second document (it reads the first).
var schemaCannotExpress = map[string]bool{
	"dangling-call.yaml":     true,
	"dangling-dlq.yaml":      true,
	"flow-without-call.yaml": true,
	"aliases.yaml":           true,
	"second-document.yaml":   true,
	// Cross-field rules: the ops of a consumer's several queues, fanout on
	// a consume, volume without a store, a loop that consumes.
	"queue-ops-missing.yaml":           true,
	"fanout-on-consume.yaml":           true,
	"entity-volume-without-store.yaml": true,
	"loop-consumes.yaml":               true,
}

// Every invalid fixture is refused by the loader with the errors in its
// golden file, and by the schema where the schema can express the rule.
func TestInvalidModels(t *testing.T) {
	s := compileSchema(t)
	files, _ := filepath.Glob("../testdata/model/invalid/*.yaml")
	if len(files) == 0 {
		t.Fatal("no invalid fixtures")
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			rel := "testdata/model/invalid/" + name
			_, err = model.Load(rel, src)
			if err == nil {
				t.Fatalf("%s loads; it should be refused", f)
			}
			golden(t, strings.TrimSuffix(f, ".yaml")+".err", []byte(err.Error()+"\n"))
			serr := schemaCheck(s, src)
			switch {
			case schemaCannotExpress[name] && serr != nil:
				t.Errorf("the schema now refuses %s (%v); drop it from schemaCannotExpress", name, serr)
			case !schemaCannotExpress[name] && serr == nil:
				t.Errorf("the schema accepts %s, which the loader refuses", name)
			}
		})
	}
}
