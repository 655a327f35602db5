package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/archdiag/archdiag/model"
	"gopkg.in/yaml.v3"
)

// ConfigFile is the name FindConfig looks for.
const ConfigFile = ".archdiag.yaml"

// Config selects rules and overrides severities. The nil *Config is valid
// and means the defaults: every rule enabled at its own severity.
//
// The file form, .archdiag.yaml:
//
//	disable: [capacity/missing-numbers]   # rules not to run
//	enable: [model/unused-suppression]    # rules to run (every rule runs by default)
//	severity:                             # error, warning or info
//	  queue/no-dlq: error
//	reference_capacity:                   # rules of thumb, as in a model
//	  database: {write_qps: 2000}
//
// Settings apply in order: the file, then Enable, Disable and SetSeverity
// calls (command-line flags), the last word winning.
type Config struct {
	disabled  map[string]bool           // looked up, never iterated
	severity  map[string]model.Severity // looked up, never iterated
	reference *model.ReferenceCapacity  // rules of thumb set for every model
}

// NewConfig returns the default configuration, ready for changes.
func NewConfig() *Config {
	return &Config{disabled: map[string]bool{}, severity: map[string]model.Severity{}}
}

// Enabled reports whether the rule with the given id runs.
func (c *Config) Enabled(id string) bool { return c == nil || !c.disabled[id] }

// Enable makes the rule with the given id run.
func (c *Config) Enable(id string) error {
	if err := knownRule(id); err != nil {
		return err
	}
	delete(c.disabled, id)
	return nil
}

// Disable stops the rule with the given id from running.
func (c *Config) Disable(id string) error {
	if err := knownRule(id); err != nil {
		return err
	}
	c.disabled[id] = true
	return nil
}

// SetSeverity makes every finding of the rule with the given id have
// severity s (error, warning or info).
func (c *Config) SetSeverity(id string, s model.Severity) error {
	if err := knownRule(id); err != nil {
		return err
	}
	if s < model.SeverityInfo || s > model.SeverityError {
		return fmt.Errorf("severity %s: want error, warning or info (disable a rule to silence it)", s)
	}
	c.severity[id] = s
	return nil
}

func (c *Config) severityOf(id string) (model.Severity, bool) {
	if c == nil {
		return 0, false
	}
	s, ok := c.severity[id]
	return s, ok
}

func knownRule(id string) error {
	if Lookup(id) == nil {
		return fmt.Errorf("unknown rule %q%s", id, didYouMean(id))
	}
	return nil
}

var configKeys = []string{"disable", "enable", "severity", "reference_capacity"}

// LoadConfig parses a .archdiag.yaml file; name is used in positions. The
// error, when not nil, is a model.ErrorList with every problem found:
// unknown keys, unknown rule ids, bad severities.
func LoadConfig(name string, src []byte) (*Config, error) {
	cfg := NewConfig()
	at := func(n *yaml.Node) model.Pos { return model.Pos{File: name, Line: n.Line, Col: n.Column} }
	root, errs := model.ParseYAML(name, src, "the configuration")
	if root == nil {
		if len(errs) > 0 {
			return nil, errs
		}
		return cfg, nil // an empty file keeps the defaults
	}
	if root.Kind != yaml.MappingNode {
		errs.Add(at(root), "the configuration must be a mapping with keys "+strings.Join(configKeys, ", "))
		return nil, errs
	}
	listed := map[string]*yaml.Node{} // rule id → where enable or disable named it
	ruleID := func(n *yaml.Node, what string) (string, bool) {
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
			errs.Add(at(n), what+": want a rule id")
			return "", false
		}
		if err := knownRule(n.Value); err != nil {
			errs.Add(at(n), err.Error())
			return "", false
		}
		return n.Value, true
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if prev, dup := seen[k.Value]; dup {
			errs.Add(at(k), fmt.Sprintf("duplicate key %q (first at line %d)", k.Value, prev.Line))
			continue
		}
		seen[k.Value] = k
		switch k.Value {
		case "enable", "disable":
			if v.Kind != yaml.SequenceNode {
				errs.Add(at(v), k.Value+": want a list of rule ids, e.g. [queue/no-dlq]")
				continue
			}
			for _, item := range v.Content {
				id, ok := ruleID(item, k.Value)
				if !ok {
					continue
				}
				if prev := listed[id]; prev != nil {
					errs.Add(at(item), fmt.Sprintf("rule %q is already listed at line %d", id, prev.Line))
					continue
				}
				listed[id] = item
				if k.Value == "disable" {
					cfg.disabled[id] = true
				}
			}
		case "severity":
			if v.Kind != yaml.MappingNode {
				errs.Add(at(v), "severity: want a mapping from rule ids to error, warning or info")
				continue
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				rk, rv := v.Content[j], v.Content[j+1]
				id, ok := ruleID(rk, "severity")
				if !ok {
					continue
				}
				s, err := model.ParseSeverity(rv.Value)
				if err != nil || rv.Kind != yaml.ScalarNode || s == model.SeverityNone {
					errs.Add(at(rv), fmt.Sprintf("severity of %s: got %q, want error, warning or info", id, rv.Value))
					continue
				}
				if _, dup := cfg.severity[id]; dup {
					errs.Add(at(rk), fmt.Sprintf("severity of %s is given twice", id))
					continue
				}
				cfg.severity[id] = s
			}
		case "reference_capacity":
			r, rerrs := model.LoadReferenceCapacity(name, k, v)
			errs = append(errs, rerrs...)
			cfg.reference = r
		default:
			msg := fmt.Sprintf("unknown key %q", k.Value)
			if s := model.Suggest(k.Value, configKeys); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			} else {
				msg += " (want one of: " + strings.Join(configKeys, ", ") + ")"
			}
			errs.Add(at(k), msg)
		}
	}
	errs.Sort()
	if len(errs) > 0 {
		return nil, errs
	}
	return cfg, nil
}

// FindConfig looks for .archdiag.yaml in dir and then in each parent,
// stopping after the root of a Git work tree (a folder holding .git) or of
// the file system. The path it returns is dir joined with as many ".." as it
// climbed, so a relative dir gives a relative path.
func FindConfig(dir string) (path string, ok bool) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", false
	}
	rel := dir
	for {
		p := filepath.Join(rel, ConfigFile)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p, true
		}
		if _, err := os.Stat(filepath.Join(abs, ".git")); err == nil {
			return "", false
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return "", false
		}
		abs, rel = parent, filepath.Join(rel, "..")
	}
}
