package notes

import (
	"strings"
	"testing"

	"github.com/archdiag/archdiag/model"
)

// Small models for what the examples do not cover: credentials, hash-mod
// shards, read-through caches, local state.
var inlineModels = map[string]string{
	"accounts": `archdiag: 1
name: accounts
traffic: { baseline_rps: 100, peak_multiplier: 2, read_write_ratio: "9:1" }
components:
  users: { kind: client, calls: [lb] }
  lb: { kind: load_balancer, instances: 2, health_check: { path: /healthz }, calls: [app] }
  app:
    kind: app
    instances: 3
    capacity: { rps_per_instance: 100 }
    state: { sessions: sticky, uploads: local_disk }
    calls:
      - { to: cache, op: read }
      - { to: auth, op: read_write }
      - { to: db, op: write }
  cache: { kind: cache, pattern: read-through }
  auth:
    kind: auth_store
    password_hash: { algorithm: %s }
    salt: %s
  db:
    kind: database
    role: primary
    failover: { mode: manual }
    capacity: { read_qps: 1000, write_qps: 50 }
    shards: { strategy: hash-mod, count: 4, key: user_id }
`,
	"bare": `archdiag: 1
name: bare
components:
  users: { kind: client, calls: [app] }
  app: { kind: app }
`,
	"hostile": `archdiag: 1
name: "*bold* [link](x)"
description: "# not a heading"
components:
  users: { kind: client, label: "# users", calls: [app] }
  app: { kind: app, label: "1. <b>app</b>", description: "- not a list" }
`,
}

// inlineNames lists the inline models in a fixed order, with the arguments
// that complete them.
var inlineNames = []struct {
	name string
	args []any
}{{"accounts", []any{"argon2id", "per_user"}}, {"bare", nil}, {"hostile", nil}}

func inlineModel(t *testing.T, name string, args ...any) *model.Model {
	t.Helper()
	src := inlineModels[name]
	for _, a := range args {
		src = strings.Replace(src, "%s", a.(string), 1)
	}
	m, err := model.Load(name+".yaml", []byte(src))
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return m
}

func TestAccountsDeepDives(t *testing.T) {
	strong := inlineModel(t, "accounts", "argon2id", "per_user")
	weak := inlineModel(t, "accounts", "md5", "none")
	changes(t, diveAuth, "Passwords are hashed with argon2id: one-way and deliberately slow",
		"Passwords use md5, which is fast or reversible", strong, weak, interview)
	changes(t, diveAuth, "A random salt per user", "No salt: equal passwords share a hash", strong, weak, interview)

	md := notes(t, strong, linted(t, strong))
	for title, wants := range map[string][]string{
		diveSharding: {
			"Growing 4 → 5 shards: hash mod n moves `4/5 = 80%` of the keys; consistent hashing moves about `1/5 = 20%`",
			"Hash mod n is the risk here",
		},
		diveCaching:  {"cache is read-through: every read goes through it", "(`cache/read-through-spof`)", "has no TTL"},
		diveSessions: {"relying on sticky sessions, but nothing in front pins users to one server", "(`state/local-sessions`)", "Uploads go to app's local disk", "(`state/local-uploads`)"},
		diveData:     {"Manual failover: someone must promote a standby or restore db, so an outage lasts as long as that takes (`db/no-failover`)."},
		secScaling: {
			"**Next**, load balancer and stateless app servers: app keeps state on the instance.",
			"**Taken**, sharding: db (4 shards, hash-mod) is sharded; moving from hash mod n to consistent hashing is still to do.",
		},
	} {
		got := section(t, md, title)
		for _, want := range wants {
			if !strings.Contains(got, want) {
				t.Errorf("%s lacks %q:\n%s", title, want, got)
			}
		}
	}
	study := notes(t, strong, Options{Style: Study})
	for _, want := range []string{"### Auth store", "### Hashing and salting passwords", "In this model auth uses argon2id, salt per user."} {
		if !strings.Contains(study, want) {
			t.Errorf("study notes lack %q", want)
		}
	}
}

// A suppressed finding is not a risk to fix but an accepted one, with its reason.
func TestSuppressedFindingsReadAsAccepted(t *testing.T) {
	src := `archdiag: 1
name: reports
components:
  analysts: {kind: client, calls: [reports-db]}
  reports-db:
    kind: database
    ignore:
      db/no-failover: "rebuilt nightly from the warehouse; a day's outage is acceptable"
`
	m, err := model.Load("reports.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	md, err := Markdown(m, Options{Style: Interview, Findings: exampleFindings(t, m)})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "Accepted: Rebuilt nightly from the warehouse") {
		t.Errorf("the suppression's reason is missing:\n%s", md)
	}
}
