package notes

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/archdiag/archdiag/model"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/notes")

const (
	examplesDir = "../../examples"
	goldenDir   = "../../testdata/notes"
)

// exampleNames lists the example models, in name order.
func exampleNames(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(examplesDir, "*.yaml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no examples in %s: %v", examplesDir, err)
	}
	var names []string
	for _, p := range paths {
		names = append(names, strings.TrimSuffix(filepath.Base(p), ".yaml"))
	}
	return names
}

func loadExample(t testing.TB, name string) *model.Model {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(examplesDir, name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Load("examples/"+name+".yaml", src)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return m
}

func finding(m *model.Model, rule string, sev model.Severity, id, msg, fix string) model.Finding {
	f := model.Finding{Rule: rule, Severity: sev, Component: id, Message: msg, Fix: fix}
	if c := m.Component(id); c != nil {
		f.Pos = c.Pos
	}
	return f
}

// exampleFindings are small, realistic lint results for the goldens; n-tier
// gets none to show the notes without lint.
func exampleFindings(m *model.Model) []model.Finding {
	switch m.Name.Val {
	case "signup-email":
		return []model.Finding{
			finding(m, "spof/single-instance", model.SeverityError, "app", "app server 'app' has 1 instance, no failover; every path from 'users' to users-db and email-queue passes through it", "run at least 2 instances behind the webserver"),
			finding(m, "db/no-failover", model.SeverityError, "users-db", "database 'users-db' is a primary with no failover", "add a standby replica with automatic failover"),
			finding(m, "lb/single-instance", model.SeverityError, "web", "webserver 'web' has 1 instance, no failover, and every request passes through it", ""),
			finding(m, "cron/single-runner", model.SeverityWarning, "email-cron", "cron job 'email-cron' runs on 1 instance with no lock or leader election", "run 2 runners with a lock"),
			{Rule: "capacity/missing-numbers", Severity: model.SeverityInfo, Message: "capacity numbers missing: users-db.capacity.read_qps and write_qps"},
		}
	case "three-tier":
		return []model.Finding{
			finding(m, "lb/single-instance", model.SeverityError, "web", "webserver 'web' has 1 instance, no failover, and every request passes through it", "run a second instance behind a floating IP"),
			finding(m, "spof/single-instance", model.SeverityError, "app", "app server 'app' has 1 instance, no failover; every path from 'users' to db passes through it", ""),
			finding(m, "db/no-failover", model.SeverityError, "db", "database 'db' is a primary with no failover", ""),
			finding(m, "lb/no-health-check", model.SeverityWarning, "web", "webserver 'web' declares no health check", ""),
		}
	case "ticket-surge":
		f := finding(m, "resilience/timeouts", model.SeverityWarning, "order-workers", "call order-workers -> order-queue has no timeout", "")
		f.Suppressed, f.Justification = true, "the queue client long-polls by design"
		return []model.Finding{
			f,
			finding(m, "capacity/missing-numbers", model.SeverityInfo, "", "capacity numbers missing for the payment processor", ""),
		}
	}
	return nil
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./render/notes/ -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output; run go test ./render/notes/ -update and review the diff", path)
	}
}

func TestGolden(t *testing.T) {
	for _, name := range exampleNames(t) {
		for _, style := range []Style{Interview, Study} {
			t.Run(name+"/"+style.String(), func(t *testing.T) {
				m := loadExample(t, name)
				opts := Options{Style: style, Findings: exampleFindings(m)}
				if style == Study {
					opts.SVGPath = name + ".svg"
				}
				first, err := Markdown(m, opts)
				if err != nil {
					t.Fatal(err)
				}
				second, err := Markdown(loadExample(t, name), opts)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(first, second) {
					t.Fatal("two renders of the same model differ")
				}
				checkGolden(t, filepath.Join(goldenDir, name+"."+style.String()+".md"), first)
			})
		}
	}
}
