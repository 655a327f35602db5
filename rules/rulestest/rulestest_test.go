package rulestest_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/rules/rulestest"
)

// go test ./... -update passes the flag to every test binary.
var _ = flag.Bool("update", false, "no golden files here; accepted so that go test ./... -update runs")

// TestCheck pins how Check reports matches, misses, surprises and
// malformed expectations.
func TestCheck(t *testing.T) {
	dir := t.TempDir()
	src := `archdiag: 1
name: check # want "capacity/missing-numbers" "ratelimit/missing-at-edge"
components:
  users:
    kind: client
    calls: [web]
  web:
    kind: webserver
    calls:
      - { to: app, timeout_ms: 3000 } # want "resilience/timeouts"
  app: # want "spof/single-instance: error: every path" "db/no-failover"
    kind: app
    calls:
      - { to: db, op: write }
  db: # want "db/no-failover: warning"
    kind: database
    ignore:
      db/no-failover: kept for the test # want "model/unused-suppression" "unterminated
    instances: 1 # a stated count, so that single instances are judged
`
	path := filepath.Join(dir, "check.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(rulestest.Check(path, nil), "\n")
	want := strings.Join([]string{
		path + ":18: want: malformed quoted string \"unterminated",
		path + ":7: unexpected finding: lb/single-instance: error: every path from 'users' to 'db' passes through webserver 'web' (1 instance, no failover)",
		path + ":14: unexpected finding: resilience/timeouts: warning: 'app' calls 'db' synchronously with no timeout: if 'db' hangs, 'app' holds a connection for each waiting request until it runs out",
		path + ":15: unexpected finding: db/no-failover: suppressed error: database 'db' (1 instance, no failover) has no automatic failover: when it fails, writes from 'app' stop until it is restored",
		path + ":10: no finding was reported matching `resilience/timeouts`",
		path + ":11: no finding was reported matching `db/no-failover`",
		path + ":15: no finding was reported matching `db/no-failover: warning`",
		path + ":18: no finding was reported matching `model/unused-suppression`",
	}, "\n")
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestCheckReportsLoadErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(path, []byte("archdiag: 1\nname: bad\ncomponents:\n  web: { kind: webserver, instance: 2 }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got := rulestest.Check(path, nil)
	if len(got) != 1 || !strings.Contains(got[0], "does not load") || !strings.Contains(got[0], `unknown field "instance"`) {
		t.Errorf("got %q", got)
	}
}

// TestCheckWithMinSeverity lets findings below the threshold pass unnamed,
// still holds expectations that name them, and keeps one for a warning from
// being used up by an info finding of the same rule on the same line.
func TestCheckWithMinSeverity(t *testing.T) {
	dir := t.TempDir()
	src := `archdiag: 1
name: check # want "capacity/missing-numbers"
components:
  users:
    kind: client
    calls: [web]
  web: # want "lb/single-instance"
    kind: webserver
    calls:
      - { to: db, op: read, timeout_ms: 100 }
  db: # want "db/no-failover"
    kind: database
    instances: 1 # a stated count, so that single instances are judged
`
	path := filepath.Join(dir, "check.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := rulestest.Options{MinSeverity: model.SeverityWarning}
	if got := rulestest.CheckWith(path, nil, opts); len(got) != 0 {
		t.Errorf("with every finding named: %q", got)
	}
	unnamed := strings.Replace(src, `name: check # want "capacity/missing-numbers"`, "name: check", 1)
	if err := os.WriteFile(path, []byte(unnamed), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := rulestest.CheckWith(path, nil, opts); len(got) != 0 {
		t.Errorf("an unnamed info finding was not let pass: %q", got)
	}
	if got := rulestest.Check(path, nil); len(got) != 1 || !strings.Contains(got[0], "unexpected finding: capacity/missing-numbers: info") {
		t.Errorf("without options the info finding must be named: %q", got)
	}
	unmet := strings.Replace(src, `web: # want "lb/single-instance"`, `web: # want "lb/single-instance" "cache/no-expiry"`, 1)
	if err := os.WriteFile(path, []byte(unmet), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := rulestest.CheckWith(path, nil, opts); len(got) != 1 || !strings.Contains(got[0], ":7: no finding was reported matching `cache/no-expiry`") {
		t.Errorf("an unmet expectation was not reported: %q", got)
	}
}

// TestCheckAccept lets an accept match a finding no want names, reports an
// accept that matches nothing, names a finding that needs no expectation or
// gives no reason, and keeps a want first in line for the finding it names.
func TestCheckAccept(t *testing.T) {
	src := `archdiag: 1
name: check
components:
  users:
    kind: client
    calls: [web]
  web: # accept "lb/single-instance" -- one web server on every path to the data
    kind: webserver
    calls:
      - { to: db, op: read, timeout_ms: 100 }
  db: # want "db/no-failover" # accept "db/no-failover" -- the want takes the finding first
    kind: database
    instances: 1 # a stated count, so that single instances are judged
`
	path := filepath.Join(t.TempDir(), "check.yaml")
	check := func(src string) string {
		t.Helper()
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return strings.Join(rulestest.CheckWith(path, nil, rulestest.Options{MinSeverity: model.SeverityWarning}), "\n")
	}
	if got, want := check(src), path+":11: accept `db/no-failover` matched no finding: remove it"; got != want {
		t.Errorf("matched and shadowed accepts:\ngot:  %s\nwant: %s", got, want)
	}
	matched := strings.Replace(src, ` # accept "db/no-failover" -- the want takes the finding first`, "", 1)
	if got := check(matched); got != "" {
		t.Errorf("a finding matched by an accept was reported: %s", got)
	}
	unused := strings.Replace(matched, `calls: [web]`, `calls: [web] # accept "cache/no-expiry" -- no cache here`, 1)
	if got, want := check(unused), path+":6: accept `cache/no-expiry` matched no finding: remove it"; got != want {
		t.Errorf("an unused accept:\ngot:  %s\nwant: %s", got, want)
	}
	info := strings.Replace(matched, "name: check", `name: check # accept "capacity/missing-numbers" -- info needs no accept`, 1)
	if got, want := check(info), path+":2: accept `capacity/missing-numbers` matched no finding: remove it"; got != want {
		t.Errorf("an accept on a finding below MinSeverity:\ngot:  %s\nwant: %s", got, want)
	}
	for _, bad := range []string{
		`# accept "lb/single-instance"`,
		`# accept "lb/single-instance" --`,
		`# accept "lb/single-instance" --   `,
		`# accept "lb/single-instance" because`,
		`# accept -- no expression`,
	} {
		noReason := strings.Replace(matched, `# accept "lb/single-instance" -- one web server on every path to the data`, bad, 1)
		got := check(noReason)
		if !strings.Contains(got, path+":7: accept: ") || !strings.Contains(got, path+":7: unexpected finding: lb/single-instance: error") {
			t.Errorf("%s: want the malformed accept reported and the finding left unmatched, got:\n%s", bad, got)
		}
	}
	wants, _ := rulestest.Expectations(path, []byte(src))
	accepts, _ := rulestest.Accepts(path, []byte(src))
	if len(wants) != 1 || len(wants[11]) != 1 || wants[11][0].Raw != "db/no-failover" || wants[11][0].Reason != "" {
		t.Errorf("wants: %v", wants)
	}
	if len(accepts) != 2 || accepts[7][0].Reason != "one web server on every path to the data" || accepts[11][0].Raw != "db/no-failover" {
		t.Errorf("accepts: %v", accepts)
	}
}

// A known false finding is excused like an accepted one, must say why it is
// false, and is reported once the rules stop making it.
func TestCheckKnown(t *testing.T) {
	src := `archdiag: 1
name: check
components:
  users:
    kind: client
    calls: [web]
  web: # known "lb/single-instance" -- the source never says how many web servers run
    kind: webserver
    instances: 1
    calls:
      - { to: db, op: read, timeout_ms: 100 }
  db: # want "db/no-failover"
    kind: database
`
	path := filepath.Join(t.TempDir(), "check.yaml")
	check := func(src string) string {
		t.Helper()
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return strings.Join(rulestest.CheckWith(path, nil, rulestest.Options{MinSeverity: model.SeverityWarning}), "\n")
	}
	if got := check(src); got != "" {
		t.Errorf("a known false finding was reported: %s", got)
	}
	fixed := strings.Replace(src, "instances: 1", "instances: 2", 1)
	if got, want := check(fixed), path+":7: known `lb/single-instance` matched no finding: the false finding is gone, remove it"; got != want {
		t.Errorf("a known finding that is gone:\ngot:  %s\nwant: %s", got, want)
	}
	noReason := strings.Replace(src, " -- the source never says how many web servers run", "", 1)
	if got := check(noReason); !strings.Contains(got, "known: no reason") {
		t.Errorf("a known without a reason: %s", got)
	}
}
