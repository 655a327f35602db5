package model

import "strconv"

// A Model is a validated architecture description loaded from one file.
// Slices keep file order, which is the only order anyone sees.
type Model struct {
	File        string // as given by the user, never made absolute
	Version     Int    // archdiag: 1
	Name        String
	Description String
	Traffic     *Traffic // nil when the file has no traffic section
	Components  []*Component
	Flows       []*Flow
	Entities    []*Entity
	// ReferenceCapacity overrides the documented rules of thumb for
	// components that state no capacity; nil when the model sets none.
	ReferenceCapacity *ReferenceCapacity

	calls     []*Call
	hosts     []*Host
	byID      map[string]*Component
	callers   [][]*Call      // by component index: calls that target it, in file order
	consumers [][]*Component // by queue index: its consumers, in file order
}

// index builds the lookup tables once the model is complete.
func (m *Model) index() {
	byName := map[string]*Host{}
	for i, c := range m.Components {
		c.index = i
		if !c.HostName.Set() {
			continue
		}
		h := byName[c.HostName.Val]
		if h == nil {
			h = &Host{Name: c.HostName.Val, Pos: c.HostName.Pos}
			byName[h.Name] = h
			m.hosts = append(m.hosts, h)
		}
		h.Components = append(h.Components, c)
		c.host = h
	}
	m.callers = make([][]*Call, len(m.Components))
	m.consumers = make([][]*Component, len(m.Components))
	for _, call := range m.calls {
		if call.To.Target == nil {
			continue // an unresolved reference; the load reports it
		}
		t := call.To.Target.index
		m.callers[t] = append(m.callers[t], call)
		if call.Op.Val.Consumes() {
			m.consumers[t] = append(m.consumers[t], call.From)
		}
	}
}

// Hosts returns the machines that components name in host, in the order
// each is first named.
func (m *Model) Hosts() []*Host { return m.hosts }

// A Host is one machine that several components share: they fail together.
type Host struct {
	Name       string
	Pos        Pos          // where the name is first written
	Components []*Component // in file order
}

// Component returns the component with the given id, or nil.
func (m *Model) Component(id string) *Component { return m.byID[id] }

// Calls returns every call in file order.
func (m *Model) Calls() []*Call { return m.calls }

// StatesRedundancy reports whether some component whose redundancy is
// judged states instances, autoscale, managed, failover or zones. A model
// that states none is not modelling redundancy, so its instance counts are
// unknown, not 1. Clients, DNS, CDNs and external providers do not count:
// a managed DNS says nothing of how many app servers run.
func (m *Model) StatesRedundancy() bool {
	for _, c := range m.Components {
		switch c.Kind.Val {
		case Client, DNS, CDN, External:
			continue
		}
		if c.Instances.Set() || c.Autoscale != nil || c.Managed.Set() || c.Failover != nil || c.Zones.Set() {
			return true
		}
	}
	return false
}

// Consumers returns the components that take messages off queue q, in file order.
func (m *Model) Consumers(q *Component) []*Component { return m.consumers[q.index] }

// Callers returns the calls that target c, in file order.
func (m *Model) Callers(c *Component) []*Call { return m.callers[c.index] }

// Replicas returns the databases declared as replicas of primary, in file order.
func (m *Model) Replicas(primary *Component) []*Component {
	var out []*Component
	for _, c := range m.Components {
		if c.ReplicaOf.Target == primary && primary != nil {
			out = append(out, c)
		}
	}
	return out
}

// Flow returns the flow with the given name, or nil.
func (m *Model) Flow(name string) *Flow {
	for _, f := range m.Flows {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// Entity returns the entity with the given name, or nil.
func (m *Model) Entity(name string) *Entity {
	for _, e := range m.Entities {
		if e.Name == name {
			return e
		}
	}
	return nil
}

// Traffic is the load the system carries, as the user states it.
// Every field is optional; the helper methods say whether a number is known.
type Traffic struct {
	Pos              Pos   // the "traffic" key
	BaselineRPS      Float // average requests per second
	DailyActiveUsers Float
	RequestsPerUser  Float // requests per user per day
	PeakMultiplier   Float // peak = multiplier × average
	PeakRPS          Float // absolute peak requests per second
	ReadWriteRatio   Value[Ratio]
}

// Ratio is a read:write ratio such as 9:1.
type Ratio struct{ Reads, Writes float64 }

// AverageRPS returns the average requests per second: baseline_rps, or
// daily_active_users × requests_per_user / 86,400.
func (t *Traffic) AverageRPS() (float64, bool) {
	if t == nil {
		return 0, false
	}
	if t.BaselineRPS.Set() {
		return t.BaselineRPS.Val, true
	}
	if t.DailyActiveUsers.Set() && t.RequestsPerUser.Set() {
		return t.DailyActiveUsers.Val * t.RequestsPerUser.Val / 86400, true
	}
	return 0, false
}

// PeakLoad returns the peak requests per second: peak_rps, or the average
// times peak_multiplier.
func (t *Traffic) PeakLoad() (float64, bool) {
	if t == nil {
		return 0, false
	}
	if t.PeakRPS.Set() {
		return t.PeakRPS.Val, true
	}
	avg, ok := t.AverageRPS()
	if ok && t.PeakMultiplier.Set() {
		return avg * t.PeakMultiplier.Val, true
	}
	return 0, false
}

// ReadFraction returns reads / (reads + writes) from the read:write ratio.
func (t *Traffic) ReadFraction() (float64, bool) {
	if t == nil || !t.ReadWriteRatio.Set() {
		return 0, false
	}
	r := t.ReadWriteRatio.Val
	return r.Reads / (r.Reads + r.Writes), true
}

// A Component is one box in the diagram. Fields that apply to one kind only
// are zero for the others; the loader refuses them where they do not apply.
type Component struct {
	ID          string // the key under "components"
	Pos         Pos    // position of that key
	Kind        Value[Kind]
	Label       String
	Description String
	HostName    String // the machine it runs on; see Host

	// Redundancy, for every kind.
	Instances Int        // default 1
	Autoscale *Autoscale // nil when not autoscaled
	Zones     Int        // default 1
	Managed   Bool       // a managed, highly available service
	Failover  *Failover
	Critical  Bool // a critical target for SPOF analysis whatever its kind
	Alerts    []*Alert

	// Capacity, where the user knows it.
	Capacity *Capacity

	// Load balancers and webservers.
	HealthCheck    *HealthCheck
	StickySessions Bool
	RateLimit      *RateLimit

	// Waiting rooms.
	AdmitRPS Float

	// CDNs.
	Origin Ref

	// App servers.
	State          *State
	DBPoolSize     Int
	ReadYourWrites Bool // reads of the user's own writes go to the primary

	// Caches.
	Pattern     Value[CachePattern]
	TTLSeconds  Int
	MaxMemoryMB Int
	Eviction    String
	HitRatio    Float
	Prewarm     Bool

	// Queues.
	Mode            Value[QueueMode]
	Delivery        String // at-least-once, exactly-once
	DeadLetter      Ref
	MaxReceiveCount Int

	// Workers and cron jobs.
	Driver            Value[Driver] // worker: as written, else the default; see DrivenBy
	RateRPS           Float         // work it originates itself, per second on average
	Concurrency       Int
	ServiceTimeMS     Int
	Idempotent        Bool
	Schedule          String // cron expression
	BatchSize         Int
	MaxDurationS      Int
	ConcurrencyPolicy String // allow, forbid, replace
	Lock              Bool   // leader election or a distributed lock

	// Databases.
	Role        Value[DBRole]
	ReplicaOf   Ref
	Replication String // async, semi_sync, sync
	Engine      Value[Engine]
	Shards      *Sharding

	// Databases, object storage and auth stores.
	Storage *Storage

	// External providers.
	Provider Value[Provider]
	Ack      String // sync, optimistic

	// Auth stores.
	PasswordHash *PasswordHash
	Salt         String // per_user, global, none

	Calls  []*Call
	Ignore []*Suppression

	index int   // position in Model.Components, for tables indexed by component
	host  *Host // nil when HostName is not set
}

// Host returns the machine the component shares with the others that name
// it, or nil when the component names no host.
func (c *Component) Host() *Host { return c.host }

// DrivenBy says what makes a worker or cron job work: a cron job its
// schedule, a worker what driven_by says (a queue by default). It is ""
// for the other kinds.
func (c *Component) DrivenBy() Driver {
	switch c.Kind.Val {
	case Cron:
		return DrivenBySchedule
	case Worker:
		if c.Driver.Val == "" {
			return DrivenByQueue
		}
		return c.Driver.Val
	}
	return ""
}

// Driver is what makes a worker or cron job work.
type Driver string

const (
	DrivenByQueue    Driver = "queue"    // jobs it takes off a queue
	DrivenBySchedule Driver = "schedule" // a cron schedule
	DrivenByLoop     Driver = "loop"     // its own loop over a store, such as a crawler walking a table of links
)

// Storage is how much data a store holds and keeps.
type Storage struct {
	Pos            Pos
	GrowthGBPerDay Float // data added per day, in GB
	RetentionDays  Int   // days data is kept; unset: for ever
	NodeCapacityGB Float // one node's usable disk, in GB; overrides the reference
}

// ReferenceCapacity is a reference_capacity block, in a model or in
// .archdiag.yaml: rules of thumb per kind for components that state no
// capacity of their own.
type ReferenceCapacity struct {
	Pos    Pos              // the reference_capacity key
	Values []ReferenceValue // in file order
}

// A ReferenceValue is one kind's figure for one capacity field.
type ReferenceValue struct {
	Kind   Kind
	Metric string // the field it stands in for: read_qps, write_qps, rps_per_instance or node_capacity_gb
	Value  Float
}

// Lookup returns the value set for kind's metric; ok is false when the
// block sets none (or r is nil).
func (r *ReferenceCapacity) Lookup(kind Kind, metric string) (v Float, ok bool) {
	if r == nil {
		return Float{}, false
	}
	for _, x := range r.Values {
		if x.Kind == kind && x.Metric == metric {
			return x.Value, true
		}
	}
	return Float{}, false
}

// Name is the label if one was given, else the id.
func (c *Component) Name() string {
	if c.Label.Val != "" {
		return c.Label.Val
	}
	return c.ID
}

// MinInstances is the autoscale minimum, or instances. An autoscaling
// group whose minimum is not stated counts as two: it replaces a failed
// instance itself, and published designs that leave the bounds out spread
// the group over zones.
func (c *Component) MinInstances() int {
	if a := c.Autoscale; a != nil {
		if a.Min.Set() {
			return a.Min.Val
		}
		if a.Max.Set() && a.Max.Val < 2 {
			return a.Max.Val
		}
		return 2
	}
	return c.Instances.Val
}

// MaxInstances is the autoscale maximum, or instances; an autoscaling
// group whose maximum is not stated gives its minimum (see Bounded).
func (c *Component) MaxInstances() int {
	if a := c.Autoscale; a != nil && a.Max.Set() {
		return a.Max.Val
	}
	return c.MinInstances()
}

// Bounded reports whether the component's most instances are known: it is
// not autoscaled, or its autoscale maximum is stated.
func (c *Component) Bounded() bool { return c.Autoscale == nil || c.Autoscale.Max.Set() }

// AutomaticFailover reports whether the component fails over automatically
// to a declared standby.
func (c *Component) AutomaticFailover() bool {
	return c.Failover != nil && c.Failover.Mode.Val == FailoverAutomatic && c.Failover.Standby.Set()
}

// Redundant reports whether losing one instance leaves the component
// serving: at least two instances (the autoscale minimum counts, not the
// maximum), automatic failover to a standby, or a managed service.
func (c *Component) Redundant() bool {
	return c.MinInstances() >= 2 || c.AutomaticFailover() || c.Managed.Val
}

// RedundancyText describes the component's redundancy for messages, e.g.
// "1 instance, no failover".
func (c *Component) RedundancyText() string {
	switch {
	case c.Managed.Val:
		return "managed"
	case c.Autoscale != nil:
		return "autoscaled " + c.Autoscale.Range()
	}
	s := Plural(c.Instances.Val, "instance")
	switch {
	case c.AutomaticFailover():
		return s + ", automatic failover to '" + c.Failover.Standby.Name + "'"
	case c.Failover != nil && c.Failover.Mode.Val == FailoverManual:
		return s + ", manual failover"
	case c.Instances.Val >= 2:
		return s
	}
	return s + ", no failover"
}

// Suppressed returns the suppression of rule on c, or nil.
func (c *Component) Suppressed(rule string) *Suppression {
	for _, s := range c.Ignore {
		if s.Rule.Val == rule {
			return s
		}
	}
	return nil
}

// Autoscale bounds an autoscaled component. Either bound may be left out
// where a design does not state it.
type Autoscale struct {
	Pos      Pos
	Min, Max Int
}

// Range is the bounds in words: "from 2 instances to 10", "from 2
// instances", "up to 10 instances", or "with its bounds not stated".
func (a *Autoscale) Range() string {
	switch {
	case a.Min.Set() && a.Max.Set():
		return "from " + Plural(a.Min.Val, "instance") + " to " + Rate(float64(a.Max.Val))
	case a.Min.Set():
		return "from " + Plural(a.Min.Val, "instance") + ", its maximum not stated"
	case a.Max.Set():
		return "up to " + Plural(a.Max.Val, "instance") + ", its minimum not stated"
	}
	return "with its bounds not stated"
}

// Short is the bounds for a diagram label: "2–10", "2+", "≤10" or "".
func (a *Autoscale) Short() string {
	switch {
	case a.Min.Set() && a.Max.Set() && a.Min.Val == a.Max.Val:
		return strconv.Itoa(a.Min.Val)
	case a.Min.Set() && a.Max.Set():
		return strconv.Itoa(a.Min.Val) + "–" + strconv.Itoa(a.Max.Val)
	case a.Min.Set():
		return strconv.Itoa(a.Min.Val) + "+"
	case a.Max.Set():
		return "≤" + strconv.Itoa(a.Max.Val)
	}
	return ""
}

// FailoverMode says how a component is replaced when it fails.
type FailoverMode string

const (
	FailoverNone      FailoverMode = "none"
	FailoverManual    FailoverMode = "manual"
	FailoverAutomatic FailoverMode = "automatic"
)

// Failover says how a component is replaced when it fails.
type Failover struct {
	Pos     Pos
	Mode    Value[FailoverMode]
	Standby Ref // the component that takes over
}

// Alert is a notification on a condition, e.g. a dead-letter queue's depth.
type Alert struct {
	Pos    Pos
	When   String // "depth > 0"
	Notify String // "#signup-alerts"
}

// Capacity is what one instance sustains at its latency target.
type Capacity struct {
	Pos            Pos
	RPSPerInstance Float // requests per second per instance
	ReadQPS        Float // databases: reads per second
	WriteQPS       Float // databases: writes per second
	MaxConnections Int   // databases
}

// HealthCheck is a load balancer's check of its pool.
type HealthCheck struct {
	Pos       Pos
	Path      String
	IntervalS Int
}

// RateLimit throttles requests at the edge.
type RateLimit struct {
	Pos          Pos
	PerClientRPS Float
	GlobalRPS    Float
}

// SessionMode says where an app server keeps user sessions.
type SessionMode string

const (
	SessionsNone     SessionMode = "none"     // no sessions
	SessionsLocal    SessionMode = "local"    // in process memory or local files
	SessionsSticky   SessionMode = "sticky"   // local, with the load balancer pinning users
	SessionsExternal SessionMode = "external" // in a shared store (session_store)
	SessionsToken    SessionMode = "token"    // signed tokens held by the client
)

// UploadMode says where an app server keeps user uploads.
type UploadMode string

const (
	UploadsNone          UploadMode = "none"
	UploadsLocalDisk     UploadMode = "local_disk"
	UploadsObjectStorage UploadMode = "object_storage"
)

// State is where an app server keeps what outlives a request.
type State struct {
	Pos          Pos
	Sessions     Value[SessionMode]
	SessionStore Ref // with sessions: external
	Uploads      Value[UploadMode]
	UploadStore  Ref // with uploads: object_storage
}

// CachePattern is how the application uses a cache.
type CachePattern string

const (
	CacheAside   CachePattern = "cache-aside"
	ReadThrough  CachePattern = "read-through"
	WriteThrough CachePattern = "write-through"
	WriteBehind  CachePattern = "write-behind"
	SessionStore CachePattern = "session-store"
)

// Inline reports whether every access goes through the cache (read-through,
// write-through, write-behind), so the cache is a hard dependency.
func (p CachePattern) Inline() bool {
	return p == ReadThrough || p == WriteThrough || p == WriteBehind
}

// QueueMode is how a queue delivers messages.
type QueueMode string

const (
	PointToPoint QueueMode = "point_to_point" // each message to one consumer
	PubSub       QueueMode = "pubsub"         // each subscriber gets a copy
)

// DBRole is a database's place in replication.
type DBRole string

const (
	RolePrimary    DBRole = "primary"
	RoleReplica    DBRole = "replica"
	RoleStandalone DBRole = "standalone"
)

// Engine is what kind of database a component is.
type Engine string

const (
	Relational Engine = "relational"
	KeyValue   Engine = "key_value"
	Document   Engine = "document"
	WideColumn Engine = "wide_column"
	Search     Engine = "search"
	InMemory   Engine = "in_memory"
)

// Sharding splits a database's data over shards.
type Sharding struct {
	Pos      Pos
	Strategy Value[ShardStrategy]
	Count    Int    // number of shards
	Key      String // the shard key
	VNodes   Int    // virtual nodes per shard (consistent hashing)
	Growth   String // incremental, doubling, none
}

// ShardStrategy maps keys to shards.
type ShardStrategy string

const (
	HashMod        ShardStrategy = "hash-mod"
	RangeSharding  ShardStrategy = "range"
	ConsistentHash ShardStrategy = "consistent-hash"
	Directory      ShardStrategy = "directory"
)

// Provider is what an external API does.
type Provider string

const (
	ProviderEmail   Provider = "email"
	ProviderPayment Provider = "payment"
	ProviderSMS     Provider = "sms"
	ProviderPush    Provider = "push"
	ProviderWebhook Provider = "webhook"
	ProviderOther   Provider = "other"
)

// Slow reports whether calls to the provider routinely take long enough that
// a user should not wait for them (email, SMS, push, webhooks).
func (p Provider) Slow() bool {
	return p == ProviderEmail || p == ProviderSMS || p == ProviderPush || p == ProviderWebhook
}

// PasswordHash is how an auth store hashes passwords.
type PasswordHash struct {
	Pos         Pos
	Algorithm   String // argon2id, bcrypt, scrypt, pbkdf2-sha256, ...
	Cost        Int    // bcrypt cost; scrypt log2(N)
	MemoryKiB   Int    // argon2
	Iterations  Int    // argon2 time cost; pbkdf2 iterations
	Parallelism Int    // argon2
}

// CallMode is whether the caller waits for the answer.
type CallMode string

const (
	Sync  CallMode = "sync"
	Async CallMode = "async"
)

// Op is what a call does to its target.
type Op string

const (
	OpCall      Op = "call" // unspecified request
	OpRead      Op = "read"
	OpWrite     Op = "write"
	OpReadWrite Op = "read_write"
	OpPublish   Op = "publish"
	OpConsume   Op = "consume"
	OpSubscribe Op = "subscribe"
)

// Writes reports whether the operation changes the target's data.
func (o Op) Writes() bool { return o == OpWrite || o == OpReadWrite }

// Reads reports whether the operation reads the target's data.
func (o Op) Reads() bool { return o == OpRead || o == OpReadWrite }

// Consumes reports whether the caller takes messages off a queue.
func (o Op) Consumes() bool { return o == OpConsume || o == OpSubscribe }

// A Call is an edge: From depends on To.
type Call struct {
	Pos            Pos // the call's entry in the calls list
	From           *Component
	To             Ref
	Mode           Value[CallMode] // default: async for queue operations, else sync
	Op             Value[Op]       // default: publish/consume/subscribe for queues, else call
	Label          String          // protocol or endpoint
	TimeoutMS      Int
	Retries        *Retries
	Fallback       Ref    // a component that serves when To fails
	Degrade        Bool   // the caller degrades gracefully when To fails
	IdempotencyKey String // key that makes retries safe
	Outbox         Bool   // a publish through a transactional outbox
	FanoutFactor   Float  // copies of the call per request, as written; see Fanout
	Share          Float  // share of the caller's requests that take the call; unset: all
}

// Fanout is how many times the call is made per request: fanout, or 1.
func (c *Call) Fanout() float64 {
	if c.FanoutFactor.Set() {
		return c.FanoutFactor.Val
	}
	return 1
}

// Soft reports whether the caller survives the target failing: a declared
// fallback or graceful degradation, a publish through an outbox (a relay
// delivers it later), or a cache-aside read (the application falls back to
// the database).
func (c *Call) Soft() bool {
	if c.Fallback.Set() || c.Degrade.Val || c.Outbox.Val {
		return true
	}
	t := c.To.Target
	return t != nil && t.Kind.Val == Cache && t.Pattern.Val == CacheAside
}

// Hard reports whether the caller fails when the target fails: a
// synchronous call with no fallback.
func (c *Call) Hard() bool { return c.Mode.Val == Sync && !c.Soft() }

// String is "from -> to".
func (c *Call) String() string { return c.From.ID + " -> " + c.To.Name }

// Retries is a call's retry policy.
type Retries struct {
	Pos         Pos
	MaxAttempts Int
	Backoff     String // none, fixed, exponential
	Jitter      Bool
}

// A Suppression silences one rule on one component, for a stated reason.
type Suppression struct {
	Pos    Pos
	Rule   String
	Reason String
}

// A Flow is a named, ordered walkthrough of a request.
type Flow struct {
	Name        string
	Pos         Pos
	Description String
	Steps       []*Step
}

// A Step is one call in a flow.
type Step struct {
	Pos    Pos
	Number int   // 1-based, as drawn on diagrams
	Call   *Call // the call this step travels
	Action String
	Entity String // the entity whose status the step records
	Status String // the status value the step records

	from, to Ref // as written; Call is what they resolve to
}

// An Entity is a record the system keeps, with the status values that
// track its workflow.
type Entity struct {
	Name        string
	Pos         Pos
	Store       Ref // the component that holds it
	StatusField String
	Statuses    []String

	// For storage growth: with the writes that reach Store.
	RecordBytes     Int   // one record's size, in bytes
	RecordsPerWrite Float // records one write adds; default 1
	RetentionDays   Int   // days records are kept; unset: for ever
}

// HasStatus reports whether s is one of the entity's status values.
func (e *Entity) HasStatus(s string) bool {
	for _, v := range e.Statuses {
		if v.Val == s {
			return true
		}
	}
	return false
}
