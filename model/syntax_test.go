package model

import (
	"fmt"
	"strings"
	"testing"
)

const (
	keyHint   = "; this line is indented differently from the keys around it, or a key lacks its colon: line it up with its siblings and write key: value"
	dashHint  = `; this line is indented differently from the list's items, or an item lacks its "- ": line it up with the other items`
	colonHint = `; a value holds ": " or a key is indented deeper than the one before it: quote the value (label: "a: b") or line the key up with its siblings`
	tabMsg    = "YAML syntax error: found a tab in the indentation; YAML indents with spaces: replace the tab with spaces"
	kindNames = "client, dns, cdn, waiting_room, load_balancer, webserver, app, cache, queue, worker, cron, database, object_storage, auth_store, external"
)

// Run by TestLoadErrors. yaml.v3 gives a line only, numbered from 0 for
// parser errors; each want is the real line and column of the slip.
var syntaxTests = []struct {
	name, src, want string
}{
	{"tab indents a key", head + "components:\n\tu: {kind: client}\n", "t.yaml:4:1: " + tabMsg},
	{"tab after spaces", head + "components:\n  u:\n    kind: client\n  \t  label: x\n", "t.yaml:6:3: " + tabMsg},
	{"invalid UTF-8", head + "components:\n  u:\n    kind: client\n    label: é\xff\n", "t.yaml:6:13: the file is not valid UTF-8 (byte 0xFF here): save it as UTF-8"},
	{"invalid UTF-8 on the first line", "ar\xffchdiag: 1\n", "t.yaml:1:3: the file is not valid UTF-8 (byte 0xFF here): save it as UTF-8"},
	{"control character", head + "description: a\x00b\ncomponents:\n  u: {kind: client}\n", "t.yaml:3:15: control character U+0000: YAML allows only printable characters, tabs and line breaks; remove it (is this a text file?)"},
	{"unclosed list", head + "components:\n  users: {kind: client, calls: [web}\n", "t.yaml:4:32: YAML syntax error: did not find expected ',' or ']'; the list opened here with [ is not closed: close it with ], or separate its items with commas"},
	{"unclosed list on the first line", "x: [a\n", "t.yaml:1:4: YAML syntax error: did not find expected ',' or ']'; the list opened here with [ is not closed: close it with ], or separate its items with commas"},
	{"unclosed list after a multi-line one", head + "description: \"[\"\ncomponents:\n  u: {kind: client, calls: [a,\n    b]}\n  a: {kind: app, calls: [b}\n", "t.yaml:7:25: YAML syntax error: did not find expected ',' or ']'; the list opened here with [ is not closed: close it with ], or separate its items with commas"},
	{"unclosed mapping", head + "components: {u: {kind: client}\n", "t.yaml:3:13: YAML syntax error: did not find expected ',' or '}'; the mapping opened here with { is not closed: close it with }, or separate its entries with commas"},
	{"key indented less than its siblings", head + "components:\n  a:\n    kind: app\n   instances: 2\n", "t.yaml:6:4: YAML syntax error: did not find expected key" + keyHint},
	{"list item indented less", head + "components:\n  a:\n    kind: app\n    calls:\n    - x\n   - y\n", "t.yaml:8:4: YAML syntax error: did not find expected key" + keyHint},
	{"block scalar before the slip", head + "description: |\n  [not a list\ncomponents:\n  a: {kind: app}\n b: {kind: app}\n", "t.yaml:7:2: YAML syntax error: did not find expected key" + keyHint},
	{"item without a dash", head + "components:\n  a:\n    calls:\n      - x\n      y: 1\n", "t.yaml:7:7: YAML syntax error: did not find expected '-' indicator" + dashHint},
	{"value with a colon", head + "components:\n  a:\n    label: a: b\n", "t.yaml:5:13: YAML syntax error: mapping values are not allowed in this context" + colonHint},
	{"key indented deeper", head + "components:\n  a:\n    kind: app\n      instances: 2\n", "t.yaml:6:16: YAML syntax error: mapping values are not allowed in this context" + colonHint},
	{"key without colon", head + "components:\n  a:\n    kind: app\n    instances\n    zones: 2\n", "t.yaml:6:5: YAML syntax error: could not find expected ':'; a key here lacks its colon: write key: value"},
	{"unclosed quote", head + "components:\n  a:\n    label: \"abc\n    kind: app\n", "t.yaml:5:12: YAML syntax error: found unexpected end of stream; the quoted value that starts here is not closed: add the closing quote"},
	{"value starting with @", head + "components:\n  c:\n    kind: cron\n    schedule: @hourly\n", "t.yaml:6:15: YAML syntax error: found character that cannot start any token; a value cannot start with @ or `: quote it, e.g. schedule: \"@hourly\""},
}

// Run by TestLoadErrors.
var validationTests = []struct {
	name, src, want string
}{
	{"kind as a list", head + "components:\n  z: {kind: [app]}\n", `t.yaml:4:13: component "z": kind: got a list, want one kind (kinds: ` + kindNames + `)`},
	{"kind as a mapping", head + "components:\n  z:\n    kind: {app: 1}\n", `t.yaml:5:11: component "z": kind: got a mapping, want one kind (kinds: ` + kindNames + `)`},
	{"kind empty", head + "components:\n  z:\n    kind:\n", `t.yaml:5:10: component "z": kind: got nothing, want one kind (kinds: ` + kindNames + `)`},
	{"replica cycle", head + "components:\n  db: {kind: database, replica_of: db2}\n  db2: {kind: database, replica_of: db}\n", `t.yaml:4:36: component "db": replica_of forms a cycle (db → db2 → db); one of them is the primary: remove its replica_of`},
	{"replica of a replica", head + "components:\n  db: {kind: database}\n  r1: {kind: database, replica_of: db}\n  r2: {kind: database, replica_of: r1}\n", `t.yaml:6:36: component "r2": replica_of names "r1", which is itself a replica; a replica follows a primary: name its primary "db" instead`},
	{"replica of a cycle", head + "components:\n  r: {kind: database, replica_of: a}\n  a: {kind: database, replica_of: b}\n  b: {kind: database, replica_of: a}\n",
		"t.yaml:4:35: component \"r\": replica_of names \"a\", which is itself a replica; a replica follows a primary: name a primary instead\n" +
			`t.yaml:5:35: component "a": replica_of forms a cycle (a → b → a); one of them is the primary: remove its replica_of`},
	{"replica cycle entered midway", head + "components:\n  r: {kind: database, replica_of: b}\n  a: {kind: database, replica_of: b}\n  b: {kind: database, replica_of: a}\n",
		"t.yaml:4:35: component \"r\": replica_of names \"b\", which is itself a replica; a replica follows a primary: name a primary instead\n" +
			`t.yaml:5:35: component "a": replica_of forms a cycle (a → b → a); one of them is the primary: remove its replica_of`},
	{"replica chain", head + "components:\n  r3: {kind: database, replica_of: r2}\n  r2: {kind: database, replica_of: r1}\n  r1: {kind: database, replica_of: db}\n  db: {kind: database}\n",
		"t.yaml:4:36: component \"r3\": replica_of names \"r2\", which is itself a replica; a replica follows a primary: name its primary \"db\" instead\n" +
			`t.yaml:5:36: component "r2": replica_of names "r1", which is itself a replica; a replica follows a primary: name its primary "db" instead`},
	{"duplicate call", head + "components:\n  web: {kind: webserver, calls: [app, app]}\n  app: {kind: app}\n", `t.yaml:4:39: component "web": calls "app" twice (first at line 4); keep one call per target (op: read_write covers reads and writes)`},
	{"duplicate call in full form", head + "components:\n  app:\n    kind: app\n    calls:\n      - {to: db, op: read}\n      - {to: db, op: write}\n  db: {kind: database}\n", `t.yaml:8:14: component "app": calls "db" twice (first at line 7); keep one call per target (op: read_write covers reads and writes)`},
	{"call to a client", head + "components:\n  users: {kind: client}\n  lb: {kind: load_balancer, calls: [users]}\n", `t.yaml:5:37: component "lb": call to "users": "users" is a client, and clients start requests; nothing calls them: remove the call, or if "users" sends requests to "lb", list "lb" under components.users.calls`},
	{"entity in an app server", head + "components:\n  a: {kind: app}\nentities:\n  user: {store: a}\n", `t.yaml:6:17: entity "user": store must name a database, object storage or auth store; "a" is an app server`},
	{"upload store", head + "components:\n  a: {kind: app, state: {uploads: object_storage, upload_store: c}}\n  c: {kind: cache}\n", `t.yaml:4:65: component "a": state.upload_store must name an object storage; "c" is a cache`},
	{"entity in a cache", head + "components:\n  c: {kind: cache}\nentities:\n  user: {store: c}\n", `t.yaml:6:17: entity "user": store must name a database, object storage or auth store; "c" is a cache`},
	{"rate too large", head + "traffic: {baseline_rps: 1e19, peak_multiplier: 2}\ncomponents:\n  u: {kind: client}\n", `t.yaml:3:25: traffic: baseline_rps: 1e19 is too large (at most 1000000000)`},
	{"rate beyond float64", head + "traffic: {baseline_rps: 1e400}\ncomponents:\n  u: {kind: client}\n", `t.yaml:3:25: traffic: baseline_rps: 1e400 is too large (at most 1000000000)`},
	{"multiplier too large", head + "traffic: {baseline_rps: 10, peak_multiplier: 1e300}\ncomponents:\n  u: {kind: client}\n", `t.yaml:3:46: traffic: peak_multiplier: 1e300 is too large (at most 1000)`},
	{"users too large", head + "traffic: {daily_active_users: 2e10, requests_per_user: 5}\ncomponents:\n  u: {kind: client}\n", `t.yaml:3:31: traffic: daily_active_users: 2e10 is too large (at most 10000000000)`},
	{"instances over the limit", head + "components:\n  a: {kind: app, instances: 100001}\n", `t.yaml:4:29: component "a": instances: 100001 is too large (at most 100000)`},
	{"instances beyond int64", head + "components:\n  a: {kind: app, instances: 99999999999999999999}\n", `t.yaml:4:29: component "a": instances: 99999999999999999999 is too large (at most 100000)`},
	{"instances below int64", head + "components:\n  a: {kind: app, instances: -99999999999999999999}\n", `t.yaml:4:29: component "a": instances: -99999999999999999999 is below the minimum 1`},
	{"version beyond int64", "archdiag: 99999999999999999999\nname: t\ncomponents:\n  u: {kind: client}\n", `t.yaml:1:11: archdiag: format version 99999999999999999999 is not supported; this archdiag reads version 1`},
	{"scanner error worded like a parser's", "archdiag: 1\nname: x\nlabel: !<>\ndescription: y\ncomponents: {}\n", `t.yaml:3:1: YAML syntax error: did not find expected tag URI`},
	{"lines ended by CR alone", "archdiag: 1\rname: x\rcomponents:\r  u: {kind: client\r", `t.yaml:4:6: YAML syntax error: did not find expected ',' or '}'; the mapping opened here with { is not closed: close it with }, or separate its entries with commas`},
	{"quoted decimal", "archdiag: 1\nname: t\ntraffic: {baseline_rps: \"100\"}\ncomponents:\n  a: {kind: app}\n", `t.yaml:3:25: traffic: baseline_rps: got "100", want a number: write it without quotes`},
	{"quoted number", head + "components:\n  a: {kind: app, instances: \"5\"}\n", `t.yaml:4:29: component "a": instances: got "5", want a whole number: write it without quotes`},
	{"flow without steps", head + "components:\n  u: {kind: client}\nflows:\n  nosteps:\n    description: x\n", `t.yaml:6:3: flow "nosteps" has no steps; list under steps the calls it travels, in order`},
	{"flow with empty steps", head + "components:\n  u: {kind: client}\nflows:\n  nosteps: {steps: []}\n", `t.yaml:6:20: flow "nosteps" has no steps; list under steps the calls it travels, in order`},
	{"flow with null steps", head + "components:\n  u: {kind: client}\nflows:\n  nosteps:\n    steps:\n", `t.yaml:7:11: flow "nosteps": steps must be a list, got nothing`},
}

// A tab or any character after a value's first is not a syntax error, and
// the scans that place syntax errors must not object to valid files.
func TestSyntaxAllowed(t *testing.T) {
	src := head + "description: \"a\ttab\"  # [unclosed in a comment\ncomponents:\n  u: {kind: client, label: \"a: [b\", calls: [a]}\n  a:\n    kind: app\n    description: |\n      {not a mapping\n      \tindented with a tab\n"
	if _, err := Load("t.yaml", []byte(src)); err != nil {
		t.Fatal(err)
	}
	ls := sourceLines([]byte(src))
	sc := scanSource(ls)
	if sc.open.IsValid() {
		t.Errorf("scan finds an open bracket at %s", sc.open)
	}
	if l := misindented(ls, sc); l != 0 {
		t.Errorf("scan finds line %d misindented", l)
	}
}

// Long call lists are checked through a map rather than a scan.
func TestDuplicateCallInLongList(t *testing.T) {
	src := head + "components:\n  w: {kind: webserver, calls: [a0"
	for i := 1; i <= 20; i++ {
		src += fmt.Sprintf(", a%d", i)
	}
	src += ", a7]}\n"
	for i := 0; i <= 20; i++ {
		src += fmt.Sprintf("  a%d: {kind: app}\n", i)
	}
	_, err := Load("t.yaml", []byte(src))
	want := `component "w": calls "a7" twice (first at line 4); keep one call per target (op: read_write covers reads and writes)`
	if err == nil || !strings.HasSuffix(err.Error(), want) || strings.Count(err.Error(), "\n") != 0 {
		t.Errorf("got %v, want one error ending %s", err, want)
	}
}
