package cmd

import (
	"os"
	"path/filepath"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/analysis"
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
	if path == "" {
		dir := filepath.Dir(modelPath)
		if modelPath == "-" {
			dir = "." // a model on standard input is configured from here
		}
		if p, ok := rules.FindConfig(dir); ok {
			path = p
		}
	}
	if path != "" {
		src, err := os.ReadFile(path)
		if err != nil {
			// Positioned at the file, so that lint reports it once however
			// many models share it.
			return nil, model.ErrorList{{Pos: model.Pos{File: path}, Msg: "cannot read the configuration: " + unwrapPathError(err).Error()}}
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
	fs, _, err := lintFacts(opts, path, m)
	return fs, err
}

// lintFacts runs the rules on m with the configuration for its file, and
// returns the analysis they judged, so the notes print the same figures.
func lintFacts(opts ruleOptions, path string, m *model.Model) ([]model.Finding, *analysis.Analysis, error) {
	cfg, err := loadConfig(opts, path)
	if err != nil {
		return nil, nil, err
	}
	fs, err := rules.Run(m, cfg)
	if err != nil {
		return nil, nil, err
	}
	return fs, rules.Analyze(m, cfg), nil
}
