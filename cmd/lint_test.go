package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const lintModel = "archdiag: 1\nname: shop\ncomponents:\n  users: {kind: client, calls: [db]}\n  db: {kind: database}\n"

// Reports name a file the same way however it was given, and each once.
func TestLintInputPaths(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.MkdirAll("arch", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("arch/shop.yaml", []byte(lintModel), 0o644); err != nil {
		t.Fatal(err)
	}
	abs := filepath.Join(dir, "arch", "shop.yaml")
	_, out, _ := run(t, "", "lint", "-f", "sarif", "--fail-on", "none", abs, "./arch/shop.yaml", "arch/../arch/shop.yaml")
	if strings.Contains(out, dir) {
		t.Errorf("the SARIF holds the absolute path %s", dir)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	uris := map[string]int{}
	for _, r := range log.Runs[0].Results {
		uris[r.Locations[0].PhysicalLocation.ArtifactLocation.URI]++
	}
	_, once, _ := run(t, "", "lint", "-f", "sarif", "--fail-on", "none", "arch/shop.yaml")
	if err := json.Unmarshal([]byte(once), &log); err != nil {
		t.Fatal(err)
	}
	if len(uris) != 1 || uris["arch/shop.yaml"] != len(log.Runs[0].Results) {
		t.Errorf("three spellings of one file gave %v; want arch/shop.yaml, linted once (%d results)", uris, len(log.Runs[0].Results))
	}
	if code, _, stderr := run(t, lintModel, "lint", "-", "-"); code != ExitError || !strings.Contains(stderr, "only once") {
		t.Errorf("lint - -: exit %d: %s", code, stderr)
	}
}

// A model or configuration that cannot be read is an error in every format,
// said once on standard error, and never a clean run.
func TestLintUnreadableInputs(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.WriteFile("shop.yaml", []byte(lintModel), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("other.yaml", []byte(strings.Replace(lintModel, "shop", "other", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := run(t, "", "lint", "-f", "sarif", "shop.yaml", "missing.yaml")
	if code != ExitError || !strings.Contains(out, `"executionSuccessful": false`) || !strings.Contains(out, "missing.yaml") || !strings.Contains(stderr, "missing.yaml") {
		t.Errorf("an unreadable model: exit %d\nstdout:\n%.600s\nstderr:\n%s", code, out, stderr)
	}
	code, out, stderr = run(t, "", "lint", "-f", "json", "--config", "nosuch.yaml", "shop.yaml", "other.yaml")
	if code != ExitError || !strings.Contains(out, `"errors": 1`) || strings.Count(stderr, "nosuch.yaml") != 1 {
		t.Errorf("an unreadable configuration: exit %d\nstdout:\n%.400s\nstderr:\n%s", code, out, stderr)
	}
	// A text report written to a file says what went wrong rather than
	// leaving the last run's report in place.
	if err := os.WriteFile("report.txt", []byte("STALE"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := run(t, "", "lint", "-o", "report.txt", "missing.yaml"); code != ExitError {
		t.Errorf("exit %d, want %d", code, ExitError)
	}
	if got, _ := os.ReadFile("report.txt"); strings.Contains(string(got), "STALE") || !strings.Contains(string(got), "missing.yaml") {
		t.Errorf("report.txt = %q", got)
	}
}

// A model on standard input is configured by the .archdiag.yaml found from
// the working directory, as a file there would be.
func TestLintStdinConfig(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.WriteFile(".archdiag.yaml", []byte("disable: [db/no-failover]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := run(t, lintModel, "lint", "-")
	if code == ExitError || !strings.Contains(out, "capacity/missing-numbers") {
		t.Fatalf("exit %d, want a lint of the model:\n%s%s", code, out, stderr)
	}
	if strings.Contains(out, "db/no-failover") {
		t.Errorf("the configuration was not applied to standard input:\n%s", out)
	}
}
