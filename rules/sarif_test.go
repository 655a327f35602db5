package rules_test

import (
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/archdiag/archdiag/rules"
)

// TestSARIFValidates runs Microsoft's SARIF validator on archdiag's SARIF
// logs when ARCHDIAG_SARIF_MULTITOOL names its binary, and fails on any
// error or warning it reports. To install it:
//
//	npm install @microsoft/sarif-multitool
//	chmod u+x node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
//	export ARCHDIAG_SARIF_MULTITOOL=$PWD/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
func TestSARIFValidates(t *testing.T) {
	bin := os.Getenv("ARCHDIAG_SARIF_MULTITOOL")
	if bin == "" {
		t.Skip("ARCHDIAG_SARIF_MULTITOOL is not set; set it to the Sarif.Multitool binary to validate the SARIF output")
	}
	dir := t.TempDir()
	versions := []string{"dev", "v1.2.3"} // what development and released builds report
	all := reports(t)
	for i, name := range slices.Sorted(maps.Keys(all)) {
		r := all[name]
		in := filepath.Join(dir, name+".sarif")
		f, err := os.Create(in)
		if err != nil {
			t.Fatal(err)
		}
		if err := rules.WriteSARIF(f, r, versions[i%len(versions)]); err != nil {
			t.Fatal(err)
		}
		f.Close()
		out := filepath.Join(dir, name+".validation.sarif")
		cmd := exec.Command(bin, "validate", "--level", "Error;Warning", "--log", "ForceOverwrite", "-o", out, in)
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, msg)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		var log struct {
			Runs []struct {
				Results []struct {
					RuleID  string `json:"ruleId"`
					Level   string `json:"level"`
					Message struct {
						ID        string   `json:"id"`
						Text      string   `json:"text"`
						Arguments []string `json:"arguments"`
					} `json:"message"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(data, &log); err != nil {
			t.Fatalf("%s: reading the validator's log: %v", name, err)
		}
		if len(log.Runs) == 0 {
			t.Fatalf("%s: the validator's log has no run", name)
		}
		for _, res := range log.Runs[0].Results {
			t.Errorf("%s: %s %s: %s %s %v", name, res.Level, res.RuleID, res.Message.ID, res.Message.Text, res.Message.Arguments)
		}
	}
}
