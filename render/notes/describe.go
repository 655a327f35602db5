package notes

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/archdiag/archdiag/model"
)

// name is a component's display name, escaped for prose.
func name(c *model.Component) string { return esc(c.Name()) }

// named is the name followed by the id, for the first mention in a list.
func named(c *model.Component) string {
	if c.Name() == c.ID {
		return bold(name(c))
	}
	return bold(name(c)) + " (" + code(c.ID) + ")"
}

// names lists component names as prose.
func names(cs []*model.Component) string {
	var out []string
	for _, c := range cs {
		out = append(out, name(c))
	}
	return join(out)
}

// kindNoun is how a count of components of a kind reads: "a webserver",
// "2 queues".
var kindNouns = map[model.Kind][2]string{
	model.Client:        {"client", "clients"},
	model.DNS:           {"DNS service", "DNS services"},
	model.CDN:           {"CDN", "CDNs"},
	model.WaitingRoom:   {"waiting room", "waiting rooms"},
	model.LoadBalancer:  {"load balancer", "load balancers"},
	model.Webserver:     {"webserver", "webservers"},
	model.App:           {"app server", "app servers"},
	model.Cache:         {"cache", "caches"},
	model.Queue:         {"queue", "queues"},
	model.Worker:        {"worker pool", "worker pools"},
	model.Cron:          {"cron job", "cron jobs"},
	model.Database:      {"database", "databases"},
	model.ObjectStorage: {"object store", "object stores"},
	model.AuthStore:     {"auth store", "auth stores"},
	model.External:      {"external provider", "external providers"},
}

func countOf(k model.Kind, n int) string {
	nouns, ok := kindNouns[k]
	if !ok {
		nouns = [2]string{string(k), string(k) + "s"}
	}
	if n == 1 {
		return article(nouns[0]) + " " + nouns[0]
	}
	return itoa(n) + " " + nouns[1]
}

// article picks "a" or "an" by how the word is spoken; a number such as
// 8,000, 11 or 18 ms opens with a vowel sound: "an 8,000 ms timeout".
func article(word string) string {
	if word == "" {
		return "a"
	}
	if word[0] >= '0' && word[0] <= '9' {
		// The digits before the first comma or point are said first:
		// "eleven thousand", "eight hundred", but "one hundred ten".
		digits := word
		if i := strings.IndexFunc(word, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
			digits = word[:i]
		}
		if digits[0] == '8' || digits == "11" || digits == "18" {
			return "an"
		}
		return "a"
	}
	if strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

// withArticle is word after its article: "a 3,000", "an 8,000".
func withArticle(word string) string { return article(word) + " " + word }

// ofKind returns the components of kind k in file order.
func (d *doc) ofKind(k model.Kind) []*model.Component {
	var out []*model.Component
	for _, c := range d.m.Components {
		if c.Kind.Val == k {
			out = append(out, c)
		}
	}
	return out
}

func (d *doc) has(k model.Kind) bool { return len(d.ofKind(k)) > 0 }

// kindsPresent lists the kinds in the model in tier order.
func (d *doc) kindsPresent() []model.Kind {
	var out []model.Kind
	for _, ki := range model.Kinds {
		if d.has(ki.Kind) {
			out = append(out, ki.Kind)
		}
	}
	return out
}

// tiersPresent lists the tiers that hold components, in order.
func (d *doc) tiersPresent() []model.Tier {
	var out []model.Tier
	for _, t := range model.Tiers {
		for _, c := range d.m.Components {
			if c.Kind.Val.Tier() == t {
				out = append(out, t)
				break
			}
		}
	}
	return out
}

// deadLetterOf returns the queue that sends its failed messages to q, or nil.
func (d *doc) deadLetterOf(q *model.Component) *model.Component {
	for _, c := range d.m.Components {
		if c.Kind.Val == model.Queue && c.DeadLetter.Target == q {
			return c
		}
	}
	return nil
}

// workQueues are the queues that are not dead-letter queues.
func (d *doc) workQueues() []*model.Component {
	var out []*model.Component
	for _, q := range d.ofKind(model.Queue) {
		if d.deadLetterOf(q) == nil {
			out = append(out, q)
		}
	}
	return out
}

// consumers returns the components that consume from or subscribe to q.
func (d *doc) consumers(q *model.Component) []*model.Component { return d.m.Consumers(q) }

// producers returns the components that publish to q.
func (d *doc) producers(q *model.Component) []*model.Component {
	var out []*model.Component
	for _, call := range d.m.Callers(q) {
		if call.Op.Val == model.OpPublish {
			out = append(out, call.From)
		}
	}
	return out
}

// caches returns the caches that serve data (not sessions).
func (d *doc) dataCaches() []*model.Component {
	var out []*model.Component
	for _, c := range d.ofKind(model.Cache) {
		if c.Pattern.Val != model.SessionStore {
			out = append(out, c)
		}
	}
	return out
}

func (d *doc) replicated() []*model.Component {
	var out []*model.Component
	for _, c := range d.ofKind(model.Database) {
		if len(d.m.Replicas(c)) > 0 {
			out = append(out, c)
		}
	}
	return out
}

func (d *doc) sharded() []*model.Component {
	var out []*model.Component
	for _, c := range d.ofKind(model.Database) {
		if c.Shards != nil {
			out = append(out, c)
		}
	}
	return out
}

// verb says what a call does, e.g. "publishes to".
func verb(call *model.Call) string {
	switch call.Op.Val {
	case model.OpRead:
		return "reads"
	case model.OpWrite:
		return "writes"
	case model.OpReadWrite:
		return "reads and writes"
	case model.OpPublish:
		return "publishes to"
	case model.OpConsume:
		return "consumes from"
	case model.OpSubscribe:
		return "subscribes to"
	}
	return "calls"
}

// callsText says what c calls, grouping targets by verb in call order:
// "writes users DB and publishes to email queue".
func callsText(c *model.Component) string {
	var verbs []string
	targets := map[string][]string{}
	for _, call := range c.Calls {
		if call.To.Target == nil {
			continue
		}
		v := verb(call)
		if _, seen := targets[v]; !seen {
			verbs = append(verbs, v)
		}
		targets[v] = append(targets[v], name(call.To.Target))
	}
	var parts []string
	for _, v := range verbs {
		parts = append(parts, v+" "+join(targets[v]))
	}
	return join(parts)
}

// facts are the kind-specific settings of c, as short sentences.
func (d *doc) facts(c *model.Component) []string {
	var out []string
	add := func(s string) { out = append(out, sentence(s)) }
	switch c.Kind.Val {
	case model.CDN:
		if c.Origin.Target != nil {
			add("fetches from " + name(c.Origin.Target) + " on a miss")
		}
	case model.WaitingRoom:
		if c.AdmitRPS.Set() {
			add("admits " + num(c.AdmitRPS.Val) + " users/s")
		}
	case model.LoadBalancer, model.Webserver:
		if hc := c.HealthCheck; hc != nil {
			s := "health check " + code(hc.Path.Val)
			if hc.IntervalS.Set() {
				s += " every " + count(hc.IntervalS.Val) + " s"
			}
			add(s)
		} else {
			add("no health check declared")
		}
		if c.StickySessions.Val {
			add("sticky sessions pin each user to one server")
		}
	case model.App:
		if t := d.sessionText(c); t != "" {
			add(t)
		}
		if s := c.State; s != nil {
			if t := uploadText(s); t != "" {
				add(t)
			}
		}
		if c.Capacity != nil && c.Capacity.RPSPerInstance.Set() {
			add(num(c.Capacity.RPSPerInstance.Val) + " rps per instance")
		}
	case model.Cache:
		s := patternText(c.Pattern.Val)
		if c.TTLSeconds.Set() {
			s += ", TTL " + num(float64(c.TTLSeconds.Val)) + " s"
		} else {
			s += ", no TTL"
		}
		if c.HitRatio.Set() {
			s += ", hit ratio " + pct(c.HitRatio.Val)
		}
		if c.Eviction.Set() {
			s += ", eviction " + code(c.Eviction.Val)
		}
		add(s)
		if c.Prewarm.Val {
			add("pre-warmed before the surge")
		}
	case model.Queue:
		if src := d.deadLetterOf(c); src != nil {
			s := "dead-letter queue of " + name(src)
			if len(c.Alerts) > 0 {
				s += "; " + alertsText(c.Alerts)
			} else {
				s += "; no alert declared"
			}
			add(s)
			break
		}
		s := modeText(c.Mode.Val) + ", " + esc(c.Delivery.Val)
		if c.DeadLetter.Target != nil {
			s += ", dead letters to " + name(c.DeadLetter.Target)
			if c.MaxReceiveCount.Set() {
				s += " after " + itoa(c.MaxReceiveCount.Val) + " receives"
			}
		} else {
			s += ", no dead-letter queue"
		}
		add(s)
	case model.Worker:
		s := ""
		if c.Concurrency.Set() {
			s = count(c.Concurrency.Val) + " jobs at a time per instance"
		}
		if c.ServiceTimeMS.Set() {
			if s != "" {
				s += ", "
			}
			s += num(float64(c.ServiceTimeMS.Val)) + " ms per job"
		}
		if s != "" {
			add(s)
		}
		add(idempotentText(c))
	case model.Cron:
		add("runs " + code(c.Schedule.Val) + " (" + d.scheduleWords(c.Schedule.Val) + ")")
		var s []string
		if c.BatchSize.Set() {
			s = append(s, "takes up to "+num(float64(c.BatchSize.Val))+" jobs per run")
		}
		if c.MaxDurationS.Set() {
			s = append(s, "runs at most "+count(c.MaxDurationS.Val)+" s")
		}
		if c.ConcurrencyPolicy.Set() {
			s = append(s, "concurrency policy "+code(c.ConcurrencyPolicy.Val))
		}
		if len(s) > 0 {
			add(strings.Join(s, ", "))
		}
		add(idempotentText(c))
	case model.Database:
		add(dbText(d, c))
		if sh := c.Shards; sh != nil {
			s := count(sh.Count.Val) + " shards, " + string(sh.Strategy.Val)
			if sh.Key.Set() {
				s += " on " + code(sh.Key.Val)
			}
			if sh.VNodes.Set() {
				s += ", " + count(sh.VNodes.Val) + " virtual nodes per shard"
			}
			add(s)
		}
	case model.ObjectStorage:
		var uploaders, cdns []*model.Component
		for _, a := range d.m.Components {
			if a.State != nil && a.State.UploadStore.Target == c {
				uploaders = append(uploaders, a)
			}
			if a.Kind.Val == model.CDN && a.Origin.Target == c {
				cdns = append(cdns, a)
			}
		}
		if len(uploaders) > 0 {
			add("holds the uploads of " + names(uploaders))
		}
		if len(cdns) > 0 {
			add("origin of " + names(cdns))
		}
	case model.AuthStore:
		if ph := c.PasswordHash; ph != nil {
			add("passwords hashed with " + hashText(ph))
		} else {
			add("no password hash declared")
		}
		if c.Salt.Set() {
			add("salt: " + esc(strings.ReplaceAll(c.Salt.Val, "_", " ")))
		}
	case model.External:
		s := string(c.Provider.Val) + " provider"
		if c.Ack.Val == "optimistic" {
			s += ", optimistic acknowledgement"
		}
		add(s)
	}
	return out
}

func modeText(m model.QueueMode) string {
	if m == model.PubSub {
		return "pub/sub"
	}
	return "point-to-point"
}

func alertsText(alerts []*model.Alert) string {
	var out []string
	for _, a := range alerts {
		out = append(out, "alerts "+esc(a.Notify.Val)+" when "+code(a.When.Val))
	}
	return join(out)
}

var depthAlert = regexp.MustCompile(`^depth\s*(>=|≥|>)\s*(\d+)$`)

// alertDepth returns how many failed messages must sit in a queue before
// one of its depth alerts fires: 1 for "depth > 0" or "depth >= 1", 101 for
// "depth > 100". ok is false when no alert is a depth threshold.
func alertDepth(alerts []*model.Alert) (n int, ok bool) {
	for _, a := range alerts {
		m := depthAlert.FindStringSubmatch(strings.ToLower(strings.TrimSpace(a.When.Val)))
		if m == nil {
			continue
		}
		v, err := strconv.Atoi(m[2])
		if err != nil {
			continue
		}
		if m[1] == ">" {
			v++
		}
		v = max(v, 1)
		if !ok || v < n {
			n, ok = v, true
		}
	}
	return n, ok
}

// alertWait says how many failed jobs pile up before a dead-letter queue's
// alert fires, or "" when it fires on the first or the condition is not a
// depth threshold.
func alertWait(alerts []*model.Alert) string {
	n, ok := alertDepth(alerts)
	if !ok || n <= 1 {
		return ""
	}
	return "only once " + count(n) + " failed jobs have piled up"
}

func idempotentText(c *model.Component) string {
	if c.Idempotent.Val {
		return "idempotent: processing a job twice does no harm"
	}
	return "not declared idempotent"
}

func (d *doc) sessionText(c *model.Component) string {
	mode, store := d.sessionsOf(c)
	switch mode {
	case model.SessionsLocal:
		return "keeps sessions in local memory"
	case model.SessionsSticky:
		return "keeps sessions locally, relying on sticky sessions"
	case model.SessionsExternal:
		if store != nil {
			return "keeps sessions in " + name(store)
		}
		return "keeps sessions in a shared store"
	case model.SessionsToken:
		return "sessions are signed tokens held by the client"
	case model.SessionsNone:
		return "keeps no sessions"
	}
	return ""
}

func uploadText(s *model.State) string {
	switch s.Uploads.Val {
	case model.UploadsLocalDisk:
		return "writes uploads to local disk"
	case model.UploadsObjectStorage:
		if s.UploadStore.Target != nil {
			return "writes uploads to " + name(s.UploadStore.Target)
		}
		return "writes uploads to object storage"
	}
	return ""
}

func dbText(d *doc, c *model.Component) string {
	var s string
	switch c.Role.Val {
	case model.RoleReplica:
		s = replicationText(c.Replication.Val) + " replica of " + name(c.ReplicaOf.Target)
	case model.RolePrimary:
		s = "primary: takes the writes"
		if reps := d.m.Replicas(c); len(reps) > 0 {
			noun := "replica"
			if len(reps) > 1 {
				noun = "replicas"
			}
			s += "; " + noun + ": " + names(reps)
		}
	default:
		s = "standalone database"
	}
	if cp := c.Capacity; cp != nil {
		var caps []string
		if cp.ReadQPS.Set() {
			caps = append(caps, num(cp.ReadQPS.Val)+" reads/s")
		}
		if cp.WriteQPS.Set() {
			caps = append(caps, num(cp.WriteQPS.Val)+" writes/s")
		}
		if cp.MaxConnections.Set() {
			caps = append(caps, num(float64(cp.MaxConnections.Val))+" connections")
		}
		if len(caps) > 0 {
			s += "; sustains " + join(caps)
		}
	}
	return s
}

func hashText(ph *model.PasswordHash) string {
	s := esc(ph.Algorithm.Val)
	var p []string
	if ph.MemoryKiB.Set() {
		p = append(p, num(float64(ph.MemoryKiB.Val))+" KiB memory")
	}
	if ph.Iterations.Set() {
		p = append(p, num(float64(ph.Iterations.Val))+" iterations")
	}
	if ph.Parallelism.Set() {
		p = append(p, "parallelism "+itoa(ph.Parallelism.Val))
	}
	if ph.Cost.Set() {
		p = append(p, "cost "+itoa(ph.Cost.Val))
	}
	if len(p) > 0 {
		s += " (" + strings.Join(p, ", ") + ")"
	}
	return s
}

// scheduleWords says in words when a schedule runs: "at 09:00, Monday
// through Friday", "every minute".
func (d *doc) scheduleWords(spec string) string {
	s := d.schedule(spec)
	switch {
	case s == nil:
		return "a schedule that does not parse"
	case !s.Fires():
		return "a schedule that never fires"
	}
	w := s.Words()
	return strings.ToLower(w[:1]) + w[1:]
}

// durationText says how long: "1 minute", "45 seconds", "2 hours".
func durationText(d time.Duration) string { return model.DurationWords(d) }

// pooled reports whether a component's name reads as a plural noun, as
// pools of servers or workers are often named ("App servers", "Fans").
// Stores and queues keep singular verbs whatever their names ("Orders is
// sharded"), since the name stands for one system.
func pooled(c *model.Component) bool {
	switch c.Kind.Val {
	case model.Client, model.App, model.Worker, model.Webserver, model.LoadBalancer, model.Cron:
	default:
		return false
	}
	words := strings.Fields(c.Name())
	if len(words) == 0 {
		return false
	}
	last := words[len(words)-1]
	return strings.HasSuffix(last, "s") && !strings.HasSuffix(last, "ss")
}

// agree picks the verb form that agrees with a list of components.
func agree(cs []*model.Component, singular, pluralForm string) string {
	if len(cs) != 1 || pooled(cs[0]) {
		return pluralForm
	}
	return singular
}

// subject is a component list followed by an agreeing verb: "App server
// reads", "App servers read".
func subject(cs []*model.Component, singular, pluralForm string) string {
	return names(cs) + " " + agree(cs, singular, pluralForm)
}

func one(c *model.Component) []*model.Component { return []*model.Component{c} }

func patternText(p model.CachePattern) string {
	if p == model.SessionStore {
		return "session store"
	}
	return string(p)
}

func replicationText(r string) string {
	return strings.ReplaceAll(esc(r), "_", "-")
}

// redundancy describes how c survives losing an instance, or "" where the
// question does not apply (clients, unmanaged third parties).
func (d *doc) redundancy(c *model.Component) string {
	switch {
	case c.Kind.Val == model.Client:
		return ""
	case c.Managed.Val:
		return "managed"
	case c.Kind.Val == model.External:
		return ""
	case !d.m.StatesRedundancy():
		return "instances not stated"
	}
	s := d.instanceCount(c)
	switch {
	case c.AutomaticFailover():
		s += ", automatic failover to " + name(c.Failover.Standby.Target)
	case c.Failover != nil && c.Failover.Mode.Val == model.FailoverManual:
		s += ", manual failover"
	case !c.Redundant() && c.Role.Val != model.RoleReplica:
		s += ", no failover"
	}
	return s
}

// sessionsOf says where c keeps sessions and in which shared store: what
// its state declares, or else the session-store cache it calls. Every
// section asks this one question, so none of them disagrees.
func (d *doc) sessionsOf(c *model.Component) (mode model.SessionMode, store *model.Component) {
	if c.State != nil && c.State.Sessions.Set() {
		return c.State.Sessions.Val, c.State.SessionStore.Target
	}
	for _, call := range c.Calls {
		if t := call.To.Target; t != nil && t.Kind.Val == model.Cache && t.Pattern.Val == model.SessionStore {
			return model.SessionsExternal, t
		}
	}
	return "", nil
}

// stateless reports whether c is known to keep nothing a later request
// needs on the instance: its sessions live elsewhere (or it keeps none) and
// it writes no uploads to local disk.
func (d *doc) stateless(c *model.Component) bool {
	mode, _ := d.sessionsOf(c)
	switch mode {
	case "", model.SessionsLocal, model.SessionsSticky:
		return false
	}
	return c.State == nil || c.State.Uploads.Val != model.UploadsLocalDisk
}

// readers returns the components that read db: directly, or through the
// load balancers and proxies that spread reads over it (an internal load
// balancer in front of read replicas). A plain call to a database reads
// and writes.
func (d *doc) readers(db *model.Component) []*model.Component {
	var out []*model.Component
	seen := map[*model.Component]bool{db: true}
	var walk func(c *model.Component)
	walk = func(c *model.Component) {
		for _, call := range d.m.Callers(c) {
			u := call.From
			if seen[u] || !(call.Op.Val.Reads() || call.Op.Val == model.OpCall) {
				continue
			}
			seen[u] = true
			if u.Kind.Val.IsProxy() {
				walk(u)
				continue
			}
			out = append(out, u)
		}
	}
	walk(db)
	slices.SortFunc(out, func(a, b *model.Component) int { return d.index(a) - d.index(b) })
	return out
}

// index is c's position in the model's file order.
func (d *doc) index(c *model.Component) int { return slices.Index(d.m.Components, c) }

// citeOn cites rule once for the components among cs that lint reports it
// on, naming them: " (`rule` on App server and users DB)".
func (d *doc) citeOn(rule string, cs []*model.Component) string {
	var on []*model.Component
	accepted := true
	for _, c := range cs {
		if f := d.finding(rule, c); f != nil && !slices.Contains(on, c) {
			on = append(on, c)
			accepted = accepted && f.Suppressed
		}
	}
	switch {
	case len(on) == 0:
		return ""
	case accepted:
		return " (" + code(rule) + " on " + names(on) + ", accepted)"
	}
	return " (" + code(rule) + " on " + names(on) + ")"
}
