package cmd

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/rules"
)

// ruleOptions are the flags that select rules, shared by lint, render and notes.
type ruleOptions struct {
	Config  string   // --config; "" finds .archdiag.yaml from the model's folder up
	Enable  []string // --enable
	Disable []string // --disable
}

// loadConfig returns the configuration for the model at modelPath: the file
// named by --config, else the nearest .archdiag.yaml, then the flags.
func loadConfig(opts ruleOptions, modelPath string) (*rules.Config, error) {
	cfg := rules.NewConfig()
	path := opts.Config
	if path == "" && modelPath != "-" {
		if p, ok := rules.FindConfig(filepath.Dir(modelPath)); ok {
			path = p
		}
	}
	if path != "" {
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("reading configuration: %w", err)
		}
		if cfg, err = rules.LoadConfig(path, src); err != nil {
			return nil, err
		}
	}
	for _, id := range opts.Enable {
		if err := cfg.Enable(id); err != nil {
			return nil, usagef("--enable: %v", err)
		}
	}
	for _, id := range opts.Disable {
		if err := cfg.Disable(id); err != nil {
			return nil, usagef("--disable: %v", err)
		}
	}
	return cfg, nil
}

// lintFindings runs the rules on m with the configuration for its file.
func lintFindings(opts ruleOptions, path string, m *model.Model) ([]model.Finding, error) {
	cfg, err := loadConfig(opts, path)
	if err != nil {
		return nil, err
	}
	return rules.Run(m, cfg)
}
