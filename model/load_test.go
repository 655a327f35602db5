package model

import (
	"strings"
	"testing"
)

const head = "archdiag: 1\nname: t\n"

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"empty", "", `t.yaml:1:1: the file is empty; a model starts with "archdiag: 1", a name and components (see "archdiag init")`},
		{"comments only", "# nothing\n", `t.yaml:1:1: the file is empty; a model starts with "archdiag: 1", a name and components (see "archdiag init")`},
		{"syntax on the first line", "a: b: c\n", `t.yaml:1:5: YAML syntax error: mapping values are not allowed in this context; a value holds ": " or a key is indented deeper than the one before it: quote the value (label: "a: b") or line the key up with its siblings`},
		{"syntax", head + "components:\n  a: [b\n", `t.yaml:4:6: YAML syntax error: did not find expected ',' or ']'; the list opened here with [ is not closed: close it with ], or separate its items with commas`},
		{"second document", head + "components:\n  u: {kind: client}\n---\nname: x\n", `t.yaml:5:1: a second YAML document; a model file holds one document, so remove the "---" and what follows or move it to its own file`},
		{"not a mapping", "- a\n", `t.yaml:1:1: model must be a mapping of fields, got a list`},
		{"missing required", "name: t\ncomponents:\n  u: {kind: client}\n", `t.yaml:1:1: model: missing required field "archdiag" (the format version: 1)`},
		{"version", "archdiag: 2\nname: t\ncomponents:\n  u: {kind: client}\n", `t.yaml:1:11: archdiag: format version 2 is not supported; this archdiag reads version 1`},
		{"unknown top field", head + "component:\n  u: {kind: client}\ncomponents:\n  u: {kind: client}\n", `t.yaml:3:1: model: unknown field "component" (did you mean "components"?)`},
		{"unknown field", head + "components:\n  u:\n    kind: client\n    instanse: 2\n", `t.yaml:6:5: component "u": unknown field "instanse" (did you mean "instances"?)`},
		{"field for another kind", head + "components:\n  u:\n    kind: client\n    pattern: cache-aside\n", `t.yaml:6:5: component "u": field "pattern" applies to cache, not to client`},
		{"unknown kind", head + "components:\n  u:\n    kind: loadbalancer\n", `t.yaml:5:11: component "u": unknown kind "loadbalancer" (did you mean "load_balancer"?) (kinds: client, dns, cdn, waiting_room, load_balancer, webserver, app, cache, queue, worker, cron, database, object_storage, auth_store, external)`},
		{"missing kind", head + "components:\n  u:\n    label: x\n", `t.yaml:4:3: component "u": missing required field "kind" (what the component is)`},
		{"wrong type", head + "components:\n  u:\n    kind: app\n    instances: three\n", `t.yaml:6:16: component "u": instances: got "three", want a whole number`},
		{"below minimum", head + "components:\n  u:\n    kind: app\n    instances: 0\n", `t.yaml:6:16: component "u": instances: 0 is below the minimum 1`},
		{"yaml 1.1 bool", head + "components:\n  u:\n    kind: app\n    managed: yes\n", `t.yaml:6:14: component "u": managed: got "yes", want true or false (YAML 1.1 words such as yes and no are not booleans here)`},
		{"duplicate key", head + "components:\n  u:\n    kind: app\n    kind: cache\n", `t.yaml:6:5: component "u": duplicate key "kind" (first at line 5); keep one`},
		{"duplicate component", head + "components:\n  u: {kind: app}\n  u: {kind: app}\n", `t.yaml:5:3: components: duplicate name "u" (first at line 4); names must be unique`},
		{"bad id", head + "components:\n  Web Server: {kind: app}\n", `t.yaml:4:3: components: name "Web Server" must start with a lowercase letter and hold only lowercase letters, digits, - and _`},
		{"dangling call", head + "components:\n  web: {kind: webserver, calls: [ap]}\n  app: {kind: app}\n", `t.yaml:4:34: component "web": calls[0] names no component "ap" (did you mean "app"?)`},
		{"call to itself", head + "components:\n  web: {kind: webserver, calls: [web]}\n", `t.yaml:4:34: component "web": calls[0] names "web" itself; name another component`},
		{"dlq kind", head + "components:\n  q: {kind: queue, dead_letter: db}\n  db: {kind: database}\n", `t.yaml:4:33: component "q": dead_letter must name a queue; "db" is a database`},
		{"dangling dlq", head + "components:\n  q: {kind: queue, dead_letter: q-dl}\n  q-dlq: {kind: queue}\n", `t.yaml:4:33: component "q": dead_letter names no component "q-dl" (did you mean "q-dlq"?)`},
		{"dangling replica", head + "components:\n  r: {kind: database, replica_of: primry}\n  primary: {kind: database}\n", `t.yaml:4:35: component "r": replica_of names no component "primry" (did you mean "primary"?)`},
		{"replica role", head + "components:\n  r: {kind: database, role: replica}\n", `t.yaml:4:29: component "r": role replica needs replica_of, the primary it follows`},
		{"autoscale and instances", head + "components:\n  a: {kind: app, instances: 2, autoscale: {min: 2, max: 4}}\n", `t.yaml:4:29: component "a": give instances or autoscale, not both`},
		{"autoscale order", head + "components:\n  a: {kind: app, autoscale: {min: 4, max: 2}}\n", `t.yaml:4:43: component "a": autoscale max 2 is below min 4`},
		{"failover standby", head + "components:\n  d: {kind: database, failover: {mode: automatic}}\n", `t.yaml:4:40: component "d": automatic failover needs standby, the component that takes over (or set managed: true for a managed service)`},
		{"sessions store", head + "components:\n  a: {kind: app, state: {sessions: external}}\n", `t.yaml:4:36: component "a": state: sessions: external needs session_store, the component that holds them`},
		{"op on queue", head + "components:\n  a: {kind: app, calls: [{to: q, op: write}]}\n  q: {kind: queue}\n", `t.yaml:4:38: component "a": call to "q": op write does not apply to a queue; use publish, consume or subscribe`},
		{"enum", head + "components:\n  c: {kind: cache, pattern: cache_aside}\n", `t.yaml:4:29: component "c": pattern: unknown value "cache_aside" (did you mean "cache-aside"?) (values: cache-aside, read-through, write-through, write-behind, session-store)`},
		{"ignore with a boolean for a reason", head + "components:\n  a:\n    kind: app\n    ignore: {spof/single-instance: true}\n", `t.yaml:6:36: component "a": ignore: spof/single-instance: the reason must be text saying why the finding does not apply here; got "true"`},
		{"ignore without reason", head + "components:\n  a:\n    kind: app\n    ignore:\n      spof/single-instance:\n", `t.yaml:7:7: component "a": ignore: spof/single-instance needs a reason: say why the finding does not apply here`},
		{"flow step without call", head + "components:\n  u: {kind: client}\n  a: {kind: app}\nflows:\n  f:\n    steps:\n      - {from: u, to: a}\n", `t.yaml:9:9: flow "f": step 1: "u" has no call to "a"; add "a" to components.u.calls`},
		{"flow unknown component", head + "components:\n  u: {kind: client}\nflows:\n  f:\n    steps:\n      - {from: u, to: ap}\n", `t.yaml:8:23: flow "f": step 1: to names no component "ap"`},
		{"flow status", head + "components:\n  u: {kind: client, calls: [a]}\n  a: {kind: app}\nflows:\n  f:\n    steps:\n      - {from: u, to: a, entity: user, status: pending}\nentities:\n  user:\n    statuses: [pendng_email]\n", `t.yaml:9:48: flow "f": step 1: status "pending" is not one of entity "user"'s statuses (statuses: pendng_email)`},
		{"traffic both", head + "traffic: {baseline_rps: 10, daily_active_users: 5, requests_per_user: 2}\ncomponents:\n  u: {kind: client}\n", `t.yaml:3:49: traffic: give baseline_rps or daily_active_users with requests_per_user, not both`},
		{"ratio", head + "traffic: {read_write_ratio: lots}\ncomponents:\n  u: {kind: client}\n", `t.yaml:3:29: traffic: read_write_ratio: got "lots", want reads:writes such as "9:1"`},
		{"anchor", head + "components:\n  u: &x {kind: client}\n  v: *x\n", "t.yaml:4:6: anchor &x: anchors and aliases are not supported; write the value out in full\nt.yaml:5:6: alias *x: anchors and aliases are not supported; write the value out in full"},
		{"over size", head + strings.Repeat("#", MaxFileSize), `t.yaml:1:1: the file is over 8 MiB, the most archdiag reads; a hand-written model is a few kilobytes, so check that this is the file you meant (not generated output or a binary)`},
		{"several errors sorted", head + "components:\n  b: {kind: app, instances: x}\n  a: {kind: nope}\n", "t.yaml:4:29: component \"b\": instances: got \"x\", want a whole number\nt.yaml:5:13: component \"a\": unknown kind \"nope\" (kinds: client, dns, cdn, waiting_room, load_balancer, webserver, app, cache, queue, worker, cron, database, object_storage, auth_store, external)"},
	}
	tests = append(tests, syntaxTests...)
	tests = append(tests, validationTests...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Load("t.yaml", []byte(tt.src))
			if err == nil {
				t.Fatalf("Load succeeded, want error:\n%s", tt.want)
			}
			if m != nil {
				t.Errorf("Load returned a model with an error")
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
			if _, ok := err.(ErrorList); !ok {
				t.Errorf("error is %T, want ErrorList", err)
			}
		})
	}
}

func TestBillionLaughsRefused(t *testing.T) {
	var b strings.Builder
	b.WriteString("archdiag: 1\nname: lol\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		b.WriteString(n + ": &" + n + " [")
		for i := 0; i < 9; i++ {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("*" + prev)
		}
		b.WriteString("]\n")
		prev = n
	}
	_, err := Load("lol.yaml", []byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "anchors and aliases are not supported") {
		t.Fatalf("got %v, want aliases refused", err)
	}
}

func TestLoadPositionsAndDefaults(t *testing.T) {
	src := head + `traffic: { baseline_rps: 100, peak_multiplier: 3, read_write_ratio: "9:1" }
components:
  users: {kind: client, calls: [lb]}
  lb:
    kind: load_balancer
    instances: 2
    calls:
      - { to: app, timeout_ms: 100 }
  app:
    kind: app
    calls: [db, q, {to: cache, op: read}]
  cache: {kind: cache, hit_ratio: 0.5}
  db: {kind: database}
  q: {kind: queue}
  w: {kind: worker, calls: [q]}
`
	m, err := Load("p.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	lb := m.Component("lb")
	if got := lb.Pos.String(); got != "p.yaml:6:3" {
		t.Errorf("lb key at %s, want p.yaml:6:3", got)
	}
	if got := lb.Instances.Pos.String(); got != "p.yaml:8:16" {
		t.Errorf("lb instances at %s, want p.yaml:8:16", got)
	}
	if !lb.Redundant() || m.Component("app").Redundant() {
		t.Errorf("redundancy: lb %v app %v", lb.Redundant(), m.Component("app").Redundant())
	}
	app := m.Component("app")
	if app.Instances.Set() || app.Instances.Val != 1 {
		t.Errorf("default instances = %+v", app.Instances)
	}
	calls := app.Calls
	if calls[0].Mode.Val != Sync || calls[0].Op.Val != OpCall || calls[0].Pos.String() != "p.yaml:13:13" {
		t.Errorf("call to db: %s %s at %s", calls[0].Mode.Val, calls[0].Op.Val, calls[0].Pos)
	}
	if calls[1].Mode.Val != Async || calls[1].Op.Val != OpPublish {
		t.Errorf("call to q: %s %s", calls[1].Mode.Val, calls[1].Op.Val)
	}
	if !calls[2].Soft() || calls[0].Soft() {
		t.Errorf("cache-aside read should be soft, db call hard")
	}
	w := m.Component("w").Calls[0]
	if w.Op.Val != OpConsume || w.Mode.Val != Async {
		t.Errorf("worker call: %s %s", w.Op.Val, w.Mode.Val)
	}
	if m.Component("db").Role.Val != RoleStandalone || m.Component("q").Mode.Val != PointToPoint {
		t.Errorf("defaults: role %s, mode %s", m.Component("db").Role.Val, m.Component("q").Mode.Val)
	}
	if got := len(m.Callers(app)); got != 1 {
		t.Errorf("callers of app = %d", got)
	}
}

func TestRate(t *testing.T) {
	for x, want := range map[float64]string{3000: "3,000", 135: "135", 8.333: "8.3", 0.05: "0.05", 1234567: "1,234,567", 12: "12", 1e19: "10,000,000,000,000,000,000"} {
		if got := Rate(x); got != want {
			t.Errorf("Rate(%v) = %q, want %q", x, got, want)
		}
	}
}

// A fingerprint survives moved lines and changed numbers, and tells apart
// two findings of one rule on one component, whichever comes first.
func TestFingerprint(t *testing.T) {
	at := func(line int, msg string) Finding {
		return Finding{Rule: "cache/no-expiry", Pos: Pos{File: "a.yaml", Line: line, Col: 3}, Component: "c", Message: msg}
	}
	if a, b := at(3, "grows past 512 MB"), at(40, "grows past 1024 MB"); a.Fingerprint() != b.Fingerprint() {
		t.Errorf("moved and renumbered: %s != %s", a.Fingerprint(), b.Fingerprint())
	}
	if a, b := at(3, "sets no ttl_s"), at(3, "sets no max_memory_mb"); a.Fingerprint() == b.Fingerprint() {
		t.Errorf("two findings share %s", a.Fingerprint())
	}
	if fp := at(3, "x").Fingerprint(); !strings.HasPrefix(fp, "cache/no-expiry:a.yaml:c:") {
		t.Errorf("fingerprint %s does not start with rule, file and component", fp)
	}
}

func TestRedundancyText(t *testing.T) {
	m, err := Load("r.yaml", []byte(`archdiag: 1
name: r
components:
  a: {kind: app}
  b: {kind: app, instances: 3}
  c: {kind: app, autoscale: {min: 2, max: 10}}
  d: {kind: database, managed: true}
`))
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{
		"a": "1 instance, no failover",
		"b": "3 instances",
		"c": "autoscaled from 2 instances to 10",
		"d": "managed",
	} {
		if got := m.Component(id).RedundancyText(); got != want {
			t.Errorf("%s: %q, want %q", id, got, want)
		}
	}
}

// A managed DNS, CDN or provider says nothing of how many app servers run,
// so only the components whose redundancy is judged make a model state it.
func TestStatesRedundancy(t *testing.T) {
	src := head + "components:\n  u: {kind: client, calls: [dns, app]}\n  dns: {kind: dns, managed: true}\n  app: {kind: app, calls: [pay]}\n  pay: {kind: external, provider: payment, managed: true}\n"
	m, err := Load("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if m.StatesRedundancy() {
		t.Errorf("managed DNS and provider should not count as stating redundancy")
	}
	m, err = Load("s.yaml", []byte(strings.Replace(src, "app: {kind: app,", "app: {kind: app, instances: 1,", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if !m.StatesRedundancy() {
		t.Errorf("an app server's stated count should count")
	}
}
