package model_test

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/archdiag/archdiag/model"
)

// volumeModel uses every field added for hosts, workers' own work, fan-out,
// data volume and reference capacities.
const volumeModel = `archdiag: 1
name: timeline
reference_capacity:
  database: {read_qps: 8000, write_qps: 1500, node_capacity_gb: 4000}
  cache: {rps_per_instance: 80000}
components:
  users: {kind: client, calls: [web]}
  web: {kind: webserver, host: vps-1, calls: [app]}
  app:
    kind: app
    host: vps-1
    calls:
      - {to: posts, op: write}
      - {to: fanout, op: publish, fanout: 300}
      - {to: timelines, op: read}
  timelines: {kind: cache, capacity: {rps_per_instance: 50000}}
  posts:
    kind: database
    host: db-1
    failover: none
    storage: {growth_gb_per_day: 12.5, retention_days: 730, node_capacity_gb: 2000}
  fanout: {kind: queue}
  fanout-worker:
    kind: worker
    calls:
      - {to: fanout, op: consume}
      - {to: timelines, op: write}
  crawler:
    kind: worker
    driven_by: loop
    rate_rps: 40
    calls: [{to: posts, op: read_write}, fanout]
  importer: {kind: cron, schedule: "@daily", rate_rps: 2, calls: [posts]}
  media: {kind: object_storage, host: db-1}
entities:
  post:
    store: posts
    record_bytes: 1200
    records_per_write: 2
    retention_days: 365
  like: {store: posts, record_bytes: 64}
`

func TestNewFieldsLoadWithPositions(t *testing.T) {
	m, err := model.Load("v.yaml", []byte(volumeModel))
	if err != nil {
		t.Fatal(err)
	}
	at := func(what string, p model.Pos, want string) {
		t.Helper()
		if got := p.String(); got != "v.yaml:"+want {
			t.Errorf("%s at %s, want v.yaml:%s", what, got, want)
		}
	}

	web, app, posts, media := m.Component("web"), m.Component("app"), m.Component("posts"), m.Component("media")
	if web.HostName.Val != "vps-1" || web.Host() == nil || web.Host() != app.Host() || posts.Host() == web.Host() {
		t.Errorf("hosts: web %v, app %v, posts %v", web.Host(), app.Host(), posts.Host())
	}
	at("web's host", web.HostName.Pos, "8:32")
	if m.Component("users").Host() != nil {
		t.Error("a component without host: has a host")
	}
	var hosts []string
	for _, h := range m.Hosts() {
		var ids []string
		for _, c := range h.Components {
			ids = append(ids, c.ID)
		}
		hosts = append(hosts, h.Name+"="+strings.Join(ids, ","))
	}
	if got := strings.Join(hosts, " "); got != "vps-1=web,app db-1=posts,media" {
		t.Errorf("hosts in file order: %s", got)
	}
	at("host vps-1", m.Hosts()[0].Pos, "8:32")

	if f := posts.Failover; f == nil || f.Mode.Val != model.FailoverNone || !f.Mode.Set() {
		t.Errorf("failover: none: %+v", posts.Failover)
	} else {
		at("failover: none", f.Mode.Pos, "20:15")
	}
	st := posts.Storage
	if st == nil || st.GrowthGBPerDay.Val != 12.5 || st.RetentionDays.Val != 730 || st.NodeCapacityGB.Val != 2000 {
		t.Fatalf("storage: %+v", st)
	}
	at("storage", st.Pos, "21:5")
	at("growth_gb_per_day", st.GrowthGBPerDay.Pos, "21:34")
	at("retention_days", st.RetentionDays.Pos, "21:56")
	at("node_capacity_gb", st.NodeCapacityGB.Pos, "21:79")
	if media.Storage != nil {
		t.Error("storage on a store that declares none")
	}

	if c := m.Component("timelines").Capacity; c == nil || c.RPSPerInstance.Val != 50000 {
		t.Errorf("a cache's rps_per_instance: %+v", c)
	}

	calls := app.Calls
	if calls[1].Fanout() != 300 || calls[0].Fanout() != 1 || calls[0].FanoutFactor.Set() {
		t.Errorf("fanout: %v and %v", calls[1].Fanout(), calls[0].Fanout())
	}
	at("fanout", calls[1].FanoutFactor.Pos, "14:43")

	worker, crawler, importer := m.Component("fanout-worker"), m.Component("crawler"), m.Component("importer")
	if worker.DrivenBy() != model.DrivenByQueue || worker.Driver.Set() {
		t.Errorf("a worker defaults to queue: %s", worker.DrivenBy())
	}
	if crawler.DrivenBy() != model.DrivenByLoop || importer.DrivenBy() != model.DrivenBySchedule || app.DrivenBy() != "" {
		t.Errorf("driven by: crawler %s, importer %s, app %q", crawler.DrivenBy(), importer.DrivenBy(), app.DrivenBy())
	}
	at("driven_by", crawler.Driver.Pos, "30:16")
	if crawler.RateRPS.Val != 40 || importer.RateRPS.Val != 2 {
		t.Errorf("rate_rps: %v, %v", crawler.RateRPS.Val, importer.RateRPS.Val)
	}
	at("rate_rps", crawler.RateRPS.Pos, "31:15")
	// A loop-driven worker is no consumer: its bare call to a queue publishes.
	if op := crawler.Calls[1].Op.Val; op != model.OpPublish {
		t.Errorf("the crawler's call to a queue: %s, want publish", op)
	}

	post, like := m.Entity("post"), m.Entity("like")
	if post.RecordBytes.Val != 1200 || post.RecordsPerWrite.Val != 2 || post.RetentionDays.Val != 365 {
		t.Errorf("post: %+v", post)
	}
	at("record_bytes", post.RecordBytes.Pos, "38:19")
	at("records_per_write", post.RecordsPerWrite.Pos, "39:24")
	at("retention_days", post.RetentionDays.Pos, "40:21")
	if like.RecordsPerWrite.Val != 1 || like.RecordsPerWrite.Set() || like.RetentionDays.Set() {
		t.Errorf("like's defaults: %+v", like)
	}

	r := m.ReferenceCapacity
	if r == nil {
		t.Fatal("no reference_capacity")
	}
	at("reference_capacity", r.Pos, "3:1")
	var got []string
	for _, v := range r.Values {
		got = append(got, string(v.Kind)+"."+v.Metric+"="+model.Rate(v.Value.Val)+"@"+v.Value.Pos.String())
	}
	want := "database.read_qps=8,000@v.yaml:4:24 database.write_qps=1,500@v.yaml:4:41 database.node_capacity_gb=4,000@v.yaml:4:65 cache.rps_per_instance=80,000@v.yaml:5:29"
	if strings.Join(got, " ") != want {
		t.Errorf("reference values:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	if v, ok := r.Lookup(model.Database, "write_qps"); !ok || v.Val != 1500 {
		t.Errorf("Lookup(database, write_qps) = %v, %v", v, ok)
	}
	if _, ok := r.Lookup(model.Webserver, "rps_per_instance"); ok {
		t.Error("Lookup finds a value the block does not set")
	}
	var none *model.ReferenceCapacity
	if _, ok := none.Lookup(model.Database, "read_qps"); ok {
		t.Error("a nil block finds a value")
	}

	if err := schemaCheck(compileSchema(t), []byte(volumeModel)); err != nil {
		t.Errorf("the schema refuses the model: %v", err)
	}
}

// The same reference_capacity block reads from .archdiag.yaml, positioned
// in that file.
func TestLoadReferenceCapacity(t *testing.T) {
	parse := func(src string) (k, v *yaml.Node) {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
			t.Fatal(err)
		}
		return doc.Content[0].Content[0], doc.Content[0].Content[1]
	}
	k, v := parse("reference_capacity:\n  webserver: {rps_per_instance: 20000}\n")
	r, errs := model.LoadReferenceCapacity(".archdiag.yaml", k, v)
	if errs != nil {
		t.Fatal(errs)
	}
	if v, ok := r.Lookup(model.Webserver, "rps_per_instance"); !ok || v.Val != 20000 || v.Pos.String() != ".archdiag.yaml:2:33" {
		t.Errorf("webserver: %+v", v)
	}
	k, v = parse("reference_capacity:\n  databse: {write_qps: 0.5}\n  app: {rps_per_instance: fast}\n")
	_, errs = model.LoadReferenceCapacity(".archdiag.yaml", k, v)
	want := `.archdiag.yaml:2:3: reference_capacity: unknown field "databse" (did you mean "database"?)
.archdiag.yaml:3:27: reference_capacity: app.rps_per_instance: got "fast", want a number`
	if errs.Error() != want {
		t.Errorf("got:\n%s\nwant:\n%s", errs, want)
	}
}

// A key written as one word of a longer name is pointed to that name when
// only one holds it.
func TestSuggestWords(t *testing.T) {
	candidates := []string{"replica_of", "replication", "db_pool_size", "batch_size", "instances", "resilience/timeouts"}
	for s, want := range map[string]string{
		"of":       "replica_of",
		"replica":  "replica_of",
		"instance": "instances",
		"timeouts": "resilience/timeouts",
		"size":     "", // two names hold it
		"colour":   "",
	} {
		if got := model.Suggest(s, candidates); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", s, got, want)
		}
	}
}
