package model

import "gopkg.in/yaml.v3"

// The format's vocabulary lives in these tables. The loader checks field
// names against them, the JSON Schema is generated from them and README's
// format reference is generated from them, so the three cannot drift apart.

// FieldType is the YAML shape a field takes.
type FieldType int

const (
	TString FieldType = iota
	TInt
	TFloat
	TBool
	TEnum   // a string from Enum
	TRef    // a component id
	TObject // a mapping with Fields
	TList   // a sequence of mappings with Fields
	TStrings
	TRatio   // "9:1" or a number
	TCalls   // the calls list: ids or call mappings
	TIgnore  // rule id: reason
	TMapOf   // a mapping from a name to an object with Fields
	TKindRef // the kind field
)

// A Field is one key the format accepts.
type Field struct {
	Name     string
	Type     FieldType
	Doc      string
	Enum     []string
	Min      float64 // the smallest allowed number, with HasMin
	HasMin   bool
	Max      float64 // the largest allowed number, with HasMax
	HasMax   bool
	Kinds    []Kind // the kinds the field applies to; nil means every kind
	Fields   []Field
	Required bool
	// Short, on a mapping: a plain value from ShortValues stands for the
	// mapping that sets only the field named Short (failover: none).
	Short       string
	ShortValues []string

	// How the loader stores the value; the table is the only place that
	// names a field. Exactly one is set, except on TKindRef.
	at      func(owner any) any                                     // the destination: *String, *Int, *Float, *Bool, *Ref, an enumSetter or *Value[Ratio]
	open    func(owner any, at Pos) any                             // a mapping or list item: creates the value that owns Fields
	hook    func(d *decoder, owner any, k, v *yaml.Node, what path) // a shape of its own
	targets []Kind                                                  // for a TRef: the kinds it may name; nil for any
	same    bool                                                    // for a TRef: it must name a component of the owner's kind
}

func (f *Field) appliesTo(k Kind) bool {
	if f.Kinds == nil {
		return true
	}
	for _, x := range f.Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// The largest values the loader accepts. Each is far beyond any real
// system, so a larger one is a slip (an extra digit, a wrong unit), and
// small enough that the estimate's sums and products stay finite.
const (
	maxRate       = 1e9        // requests, reads or writes per second
	maxUsers      = 1e10       // daily active users: more than people on Earth
	maxPerUser    = 1e6        // requests one user makes in a day
	maxMultiplier = 1000       // peak over average
	maxCount      = 100_000    // instances, connections per instance, jobs at once, shards
	maxZones      = 100        // availability zones
	maxAttempts   = 1000       // attempts or deliveries of one request
	maxJobs       = 1e9        // jobs per cron run
	maxMillis     = 86_400_000 // a day
	maxSeconds    = 31_536_000 // a year
	maxMemoryMB   = 1 << 30    // a pebibyte
	maxConns      = 10_000_000 // database connections
	maxGB         = 1e9        // an exabyte, in GB
	maxDays       = 36_500     // a century
	maxFanout     = 1e8        // copies of one call: more than any account has followers
	maxRecord     = 1 << 40    // a tebibyte, in bytes
)

// bind makes f store its value where at points in an owner of type O.
func bind[O any](f Field, at func(*O) any) Field {
	f.at = func(o any) any { return at(o.(*O)) }
	return f
}

// nest makes f a mapping (or, for a TList, each item of the list) whose
// value open creates inside an owner of type O; its Fields fill that value.
func nest[O, T any](f Field, open func(*O, Pos) *T) Field {
	f.open = func(o any, at Pos) any { return open(o.(*O), at) }
	return f
}

// hooked gives f a decoder of its own.
func hooked[O any](f Field, h func(d *decoder, o *O, k, v *yaml.Node, what path)) Field {
	f.hook = func(d *decoder, o any, k, v *yaml.Node, what path) { h(d, o.(*O), k, v, what) }
	return f
}

// refTo makes a TRef field name a component of one of ks.
func refTo(f Field, ks ...Kind) Field { f.targets = ks; return f }

// An enumSetter stores an enum value in a typed field such as Value[Op].
type enumSetter interface{ setEnum(String) }

type enumAt[T ~string] struct{ p *Value[T] }

func (e enumAt[T]) setEnum(s String) { *e.p = Value[T]{Val: T(s.Val), Pos: s.Pos} }

func enum[T ~string](p *Value[T]) enumSetter { return enumAt[T]{p} }

func upTo(f Field, max float64) Field { f.Max, f.HasMax = max, true; return f }
func min0(f Field) Field              { f.Min, f.HasMin = 0, true; return f }
func min1(f Field) Field              { f.Min, f.HasMin = 1, true; return f }
func unit(f Field) Field              { f.Min, f.HasMin, f.Max, f.HasMax = 0, true, 1, true; return f }
func kinds(f Field, k ...Kind) Field  { f.Kinds = k; return f }
func required(f Field) Field          { f.Required = true; return f }
func sameKind(f Field) Field          { f.same = true; return f }

func enumOf[T ~string](vals ...T) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = string(v)
	}
	return out
}

var (
	callModes      = enumOf(Sync, Async)
	ops            = enumOf(OpCall, OpRead, OpWrite, OpReadWrite, OpPublish, OpConsume, OpSubscribe)
	failoverModes  = enumOf(FailoverNone, FailoverManual, FailoverAutomatic)
	sessionModes   = enumOf(SessionsNone, SessionsLocal, SessionsSticky, SessionsExternal, SessionsToken)
	uploadModes    = enumOf(UploadsNone, UploadsLocalDisk, UploadsObjectStorage)
	cachePatterns  = enumOf(CacheAside, ReadThrough, WriteThrough, WriteBehind, SessionStore)
	queueModes     = enumOf(PointToPoint, PubSub)
	dbRoles        = enumOf(RolePrimary, RoleReplica, RoleStandalone)
	engines        = enumOf(Relational, KeyValue, Document, WideColumn, Search, InMemory)
	shardStrategy  = enumOf(HashMod, RangeSharding, ConsistentHash, Directory)
	providers      = enumOf(ProviderEmail, ProviderPayment, ProviderSMS, ProviderPush, ProviderWebhook, ProviderOther)
	drivers        = enumOf(DrivenByQueue, DrivenBySchedule, DrivenByLoop)
	proxies        = []Kind{LoadBalancer, Webserver}
	edgeAndProxies = []Kind{WaitingRoom, LoadBalancer, Webserver, App}
)

// The capacity figures a component states and reference_capacity
// overrides: one definition each, bound twice.
var (
	rpsPerInstance = upTo(min0(Field{Name: "rps_per_instance", Type: TFloat, Doc: "requests per second one instance serves (caches: operations per second per node)"}), maxRate)
	readQPS        = upTo(min0(Field{Name: "read_qps", Type: TFloat, Doc: "reads per second (databases)"}), maxRate)
	writeQPS       = upTo(min0(Field{Name: "write_qps", Type: TFloat, Doc: "writes per second (databases)"}), maxRate)
	nodeCapacityGB = upTo(min1(Field{Name: "node_capacity_gb", Type: TFloat, Doc: "one node's usable disk, in GB"}), maxGB)
	retentionDays  = upTo(min1(Field{Name: "retention_days", Type: TInt, Doc: "days data is kept before it is deleted; default: kept for ever"}), maxDays)
)

// RetriesFields are the keys of a call's retries mapping.
var RetriesFields = []Field{
	bind(upTo(min1(Field{Name: "max_attempts", Type: TInt, Doc: "attempts in all, the first included"}), maxAttempts), func(r *Retries) any { return &r.MaxAttempts }),
	bind(Field{Name: "backoff", Type: TEnum, Enum: []string{"none", "fixed", "exponential"}, Doc: "the wait between attempts"}, func(r *Retries) any { return &r.Backoff }),
	bind(Field{Name: "jitter", Type: TBool, Doc: "whether waits are randomised so that retries do not synchronise"}, func(r *Retries) any { return &r.Jitter }),
}

// CallFields are the keys of a call in its full form.
var CallFields = []Field{
	required(bind(Field{Name: "to", Type: TRef, Doc: "the component called"}, func(c *Call) any { return &c.To })),
	bind(Field{Name: "mode", Type: TEnum, Enum: callModes, Doc: "sync: the caller waits; async: it does not. Default: async for queue operations, else sync"}, func(c *Call) any { return enum(&c.Mode) }),
	bind(Field{Name: "op", Type: TEnum, Enum: ops, Doc: "what the call does. Default: publish to a queue (consume from a worker or cron job, subscribe for pub/sub; a worker or cron job that calls several queues says op on each), else call"}, func(c *Call) any { return enum(&c.Op) }),
	bind(Field{Name: "label", Type: TString, Doc: "protocol or endpoint, drawn on the edge"}, func(c *Call) any { return &c.Label }),
	bind(upTo(min1(Field{Name: "timeout_ms", Type: TInt, Doc: "how long the caller waits, in milliseconds"}), maxMillis), func(c *Call) any { return &c.TimeoutMS }),
	nest(Field{Name: "retries", Type: TObject, Fields: RetriesFields, Doc: "the retry policy"}, func(c *Call, at Pos) *Retries {
		c.Retries = &Retries{Pos: at}
		return c.Retries
	}),
	bind(Field{Name: "fallback", Type: TRef, Doc: "a component that serves when the target fails (makes the call a soft dependency)"}, func(c *Call) any { return &c.Fallback }),
	bind(Field{Name: "degrade", Type: TBool, Doc: "the caller degrades gracefully when the target fails (a soft dependency)"}, func(c *Call) any { return &c.Degrade }),
	bind(Field{Name: "idempotency_key", Type: TString, Doc: "the key that makes retries safe, e.g. user_id"}, func(c *Call) any { return &c.IdempotencyKey }),
	bind(Field{Name: "outbox", Type: TBool, Doc: "publishes: the message is written to an outbox table in the same transaction as the caller's writes and relayed to the queue, so the request neither waits for the queue nor loses the message"}, func(c *Call) any { return &c.Outbox }),
	bind(upTo(min1(Field{Name: "fanout", Type: TFloat, Doc: "the call is made this many times per request: one post written to N timelines, one event delivered to N subscribers; default 1"}), maxFanout), func(c *Call) any { return &c.FanoutFactor }),
	bind(upTo(min0(Field{Name: "share", Type: TFloat, Doc: "the share of the caller's requests that take this call, 0 to 1, when a proxy or service routes by path (100,000 timeline reads and 4,000 searches: 0.96 and 0.04); default: every request the op selects"}), 1), func(c *Call) any { return &c.Share }),
}

// ComponentFields are the keys of a component; Kinds says where each applies.
var ComponentFields = []Field{
	required(Field{Name: "kind", Type: TKindRef, Doc: "what the component is"}),
	bind(Field{Name: "label", Type: TString, Doc: "the name drawn in diagrams; default: the id"}, func(c *Component) any { return &c.Label }),
	bind(Field{Name: "description", Type: TString, Doc: "what the component does, for notes"}, func(c *Component) any { return &c.Description }),
	bind(Field{Name: "host", Type: TString, Doc: "the machine the component runs on: components with the same host share one failure domain, and diagrams draw the host around them"}, func(c *Component) any { return &c.HostName }),
	bind(upTo(min1(Field{Name: "instances", Type: TInt, Doc: "how many instances run; default 1"}), maxCount), func(c *Component) any { return &c.Instances }),
	nest(Field{Name: "autoscale", Type: TObject, Doc: "autoscaling bounds, instead of instances", Fields: []Field{
		bind(upTo(min1(Field{Name: "min", Type: TInt, Doc: "the fewest instances; this is what counts for redundancy. Not stated: counted as 2, since the group replaces failed instances itself"}), maxCount), func(a *Autoscale) any { return &a.Min }),
		bind(upTo(min1(Field{Name: "max", Type: TInt, Doc: "the most instances. Not stated: the tier's capacity is unknown, and the notes say how many instances the load needs"}), maxCount), func(a *Autoscale) any { return &a.Max }),
	}}, func(c *Component, at Pos) *Autoscale {
		c.Autoscale = &Autoscale{Pos: at}
		return c.Autoscale
	}),
	bind(upTo(min1(Field{Name: "zones", Type: TInt, Doc: "availability zones the instances are spread over; default 1"}), maxZones), func(c *Component) any { return &c.Zones }),
	bind(Field{Name: "managed", Type: TBool, Doc: "a managed, highly available service (counts as redundant)"}, func(c *Component) any { return &c.Managed }),
	nest(Field{Name: "failover", Type: TObject, Doc: "how the component is replaced when it fails; failover: none is short for {mode: none}", Short: "mode", ShortValues: []string{string(FailoverNone)}, Fields: []Field{
		required(bind(Field{Name: "mode", Type: TEnum, Enum: failoverModes, Doc: "none, manual or automatic"}, func(f *Failover) any { return enum(&f.Mode) })),
		sameKind(bind(Field{Name: "standby", Type: TRef, Doc: "the component that takes over; automatic failover needs one"}, func(f *Failover) any { return &f.Standby })),
	}}, func(c *Component, at Pos) *Failover {
		c.Failover = &Failover{Pos: at}
		return c.Failover
	}),
	bind(Field{Name: "critical", Type: TBool, Doc: "treat the component as a critical target in single-point-of-failure analysis"}, func(c *Component) any { return &c.Critical }),
	nest(Field{Name: "alerts", Type: TList, Doc: "notifications, e.g. on a dead-letter queue's depth", Fields: []Field{
		required(bind(Field{Name: "when", Type: TString, Doc: "the condition, e.g. depth > 0"}, func(a *Alert) any { return &a.When })),
		required(bind(Field{Name: "notify", Type: TString, Doc: "who hears of it, e.g. #signup-alerts"}, func(a *Alert) any { return &a.Notify })),
	}}, func(c *Component, at Pos) *Alert {
		a := &Alert{Pos: at}
		c.Alerts = append(c.Alerts, a)
		return a
	}),
	nest(Field{Name: "capacity", Type: TObject, Doc: "what one instance sustains at its latency target", Fields: []Field{
		bind(rpsPerInstance, func(c *Capacity) any { return &c.RPSPerInstance }),
		bind(kinds(readQPS, Database), func(c *Capacity) any { return &c.ReadQPS }),
		bind(kinds(writeQPS, Database), func(c *Capacity) any { return &c.WriteQPS }),
		bind(upTo(min1(kinds(Field{Name: "max_connections", Type: TInt, Doc: "connection limit (databases)"}, Database)), maxConns), func(c *Capacity) any { return &c.MaxConnections }),
	}}, func(c *Component, at Pos) *Capacity {
		c.Capacity = &Capacity{Pos: at}
		return c.Capacity
	}),
	kinds(nest(Field{Name: "health_check", Type: TObject, Doc: "how the component checks its pool", Fields: []Field{
		required(bind(Field{Name: "path", Type: TString, Doc: "the endpoint checked, e.g. /healthz"}, func(h *HealthCheck) any { return &h.Path })),
		bind(upTo(min1(Field{Name: "interval_s", Type: TInt, Doc: "seconds between checks"}), maxSeconds), func(h *HealthCheck) any { return &h.IntervalS }),
	}}, func(c *Component, at Pos) *HealthCheck {
		c.HealthCheck = &HealthCheck{Pos: at}
		return c.HealthCheck
	}), proxies...),
	kinds(bind(Field{Name: "sticky_sessions", Type: TBool, Doc: "pins each user to one pool member"}, func(c *Component) any { return &c.StickySessions }), proxies...),
	kinds(nest(Field{Name: "rate_limit", Type: TObject, Doc: "throttling of requests", Fields: []Field{
		bind(upTo(min0(Field{Name: "per_client_rps", Type: TFloat, Doc: "requests per second one client may send"}), maxRate), func(r *RateLimit) any { return &r.PerClientRPS }),
		bind(upTo(min0(Field{Name: "global_rps", Type: TFloat, Doc: "requests per second admitted in all"}), maxRate), func(r *RateLimit) any { return &r.GlobalRPS }),
	}}, func(c *Component, at Pos) *RateLimit {
		c.RateLimit = &RateLimit{Pos: at}
		return c.RateLimit
	}), edgeAndProxies...),
	bind(upTo(min0(kinds(Field{Name: "admit_rps", Type: TFloat, Doc: "requests per second let through to the back end: the admitted users' traffic, which the capacity checks compare with what the tiers behind serve"}, WaitingRoom)), maxRate), func(c *Component) any { return &c.AdmitRPS }),
	refTo(kinds(bind(Field{Name: "origin", Type: TRef, Doc: "where the CDN fetches content on a miss"}, func(c *Component) any { return &c.Origin }), CDN), ObjectStorage, LoadBalancer, Webserver, App),
	kinds(nest(Field{Name: "state", Type: TObject, Doc: "where the app server keeps what outlives a request", Fields: []Field{
		bind(Field{Name: "sessions", Type: TEnum, Enum: sessionModes, Doc: "where user sessions live"}, func(s *State) any { return enum(&s.Sessions) }),
		refTo(bind(Field{Name: "session_store", Type: TRef, Doc: "the shared store, with sessions: external"}, func(s *State) any { return &s.SessionStore }), Cache, Database),
		bind(Field{Name: "uploads", Type: TEnum, Enum: uploadModes, Doc: "where user uploads are written"}, func(s *State) any { return enum(&s.Uploads) }),
		refTo(bind(Field{Name: "upload_store", Type: TRef, Doc: "the object storage, with uploads: object_storage"}, func(s *State) any { return &s.UploadStore }), ObjectStorage),
	}}, func(c *Component, at Pos) *State {
		c.State = &State{Pos: at}
		return c.State
	}), App, Webserver),
	bind(upTo(min1(kinds(Field{Name: "db_pool_size", Type: TInt, Doc: "database connections each instance holds"}, App, Worker, Cron)), maxCount), func(c *Component) any { return &c.DBPoolSize }),
	bind(kinds(Field{Name: "read_your_writes", Type: TBool, Doc: "reads of a user's own recent writes go to the primary"}, App, Worker), func(c *Component) any { return &c.ReadYourWrites }),
	bind(kinds(Field{Name: "pattern", Type: TEnum, Enum: cachePatterns, Doc: "how the application uses the cache; default cache-aside"}, Cache), func(c *Component) any { return enum(&c.Pattern) }),
	bind(upTo(min1(kinds(Field{Name: "ttl_s", Type: TInt, Doc: "time to live of entries, in seconds"}, Cache)), maxSeconds), func(c *Component) any { return &c.TTLSeconds }),
	bind(upTo(min1(kinds(Field{Name: "max_memory_mb", Type: TInt, Doc: "memory bound, in MB"}, Cache)), maxMemoryMB), func(c *Component) any { return &c.MaxMemoryMB }),
	bind(kinds(Field{Name: "eviction", Type: TString, Doc: "eviction policy, e.g. allkeys-lru"}, Cache), func(c *Component) any { return &c.Eviction }),
	bind(unit(kinds(Field{Name: "hit_ratio", Type: TFloat, Doc: "share of reads served from the cache, 0 to 1"}, Cache)), func(c *Component) any { return &c.HitRatio }),
	bind(kinds(Field{Name: "prewarm", Type: TBool, Doc: "the cache is filled before a surge"}, Cache), func(c *Component) any { return &c.Prewarm }),
	bind(kinds(Field{Name: "mode", Type: TEnum, Enum: queueModes, Doc: "point_to_point: each message to one consumer; pubsub: each subscriber gets a copy; default point_to_point"}, Queue), func(c *Component) any { return enum(&c.Mode) }),
	bind(kinds(Field{Name: "delivery", Type: TEnum, Enum: []string{"at-least-once", "at-most-once", "exactly-once"}, Doc: "the delivery guarantee; default at-least-once, what most brokers give"}, Queue), func(c *Component) any { return &c.Delivery }),
	refTo(kinds(bind(Field{Name: "dead_letter", Type: TRef, Doc: "the queue that receives messages that cannot be processed"}, func(c *Component) any { return &c.DeadLetter }), Queue), Queue),
	bind(upTo(min1(kinds(Field{Name: "max_receive_count", Type: TInt, Doc: "deliveries before a message goes to the dead-letter queue"}, Queue)), maxAttempts), func(c *Component) any { return &c.MaxReceiveCount }),
	bind(kinds(Field{Name: "driven_by", Type: TEnum, Enum: drivers, Doc: "what makes the worker work: queue (jobs it consumes), schedule, or loop (its own loop over a store, such as a crawler walking a table of links); default queue. A cron job is driven by its schedule"}, Worker), func(c *Component) any { return enum(&c.Driver) }),
	bind(upTo(min0(kinds(Field{Name: "rate_rps", Type: TFloat, Doc: "work the component originates itself, per second on average (pages crawled per second)"}, Worker, Cron)), maxRate), func(c *Component) any { return &c.RateRPS }),
	bind(upTo(min1(kinds(Field{Name: "concurrency", Type: TInt, Doc: "jobs each instance works on at once"}, Worker, Cron)), maxCount), func(c *Component) any { return &c.Concurrency }),
	bind(upTo(min1(kinds(Field{Name: "service_time_ms", Type: TInt, Doc: "time to process one job, in milliseconds"}, Worker, Cron)), maxMillis), func(c *Component) any { return &c.ServiceTimeMS }),
	bind(kinds(Field{Name: "idempotent", Type: TBool, Doc: "processing a job twice does no harm"}, Worker, Cron), func(c *Component) any { return &c.Idempotent }),
	required(bind(kinds(Field{Name: "schedule", Type: TString, Doc: "a 5-field cron expression or a descriptor such as @hourly"}, Cron), func(c *Component) any { return &c.Schedule })),
	bind(upTo(min1(kinds(Field{Name: "batch_size", Type: TInt, Doc: "jobs taken per run"}, Cron)), maxJobs), func(c *Component) any { return &c.BatchSize }),
	bind(upTo(min1(kinds(Field{Name: "max_duration_s", Type: TInt, Doc: "the longest a run takes, in seconds"}, Cron)), maxSeconds), func(c *Component) any { return &c.MaxDurationS }),
	bind(kinds(Field{Name: "concurrency_policy", Type: TEnum, Enum: []string{"allow", "forbid", "replace"}, Doc: "what happens when a run is due while the last still runs"}, Cron), func(c *Component) any { return &c.ConcurrencyPolicy }),
	bind(kinds(Field{Name: "lock", Type: TBool, Doc: "runs take a distributed lock or use leader election"}, Cron), func(c *Component) any { return &c.Lock }),
	bind(kinds(Field{Name: "role", Type: TEnum, Enum: dbRoles, Doc: "primary, replica or standalone; default standalone (replica when replica_of is set)"}, Database), func(c *Component) any { return enum(&c.Role) }),
	refTo(kinds(bind(Field{Name: "replica_of", Type: TRef, Doc: "the primary this read replica follows"}, func(c *Component) any { return &c.ReplicaOf }), Database), Database),
	bind(kinds(Field{Name: "replication", Type: TEnum, Enum: []string{"async", "semi_sync", "sync"}, Doc: "how a replica follows its primary; default async"}, Database), func(c *Component) any { return &c.Replication }),
	bind(kinds(Field{Name: "engine", Type: TEnum, Enum: engines, Doc: "what kind of database it is; default relational. The reference capacities are a relational database's, so other engines get none"}, Database), func(c *Component) any { return enum(&c.Engine) }),
	kinds(nest(Field{Name: "shards", Type: TObject, Doc: "how the data is split over shards", Fields: []Field{
		required(bind(Field{Name: "strategy", Type: TEnum, Enum: shardStrategy, Doc: "how keys map to shards"}, func(s *Sharding) any { return enum(&s.Strategy) })),
		required(bind(upTo(min1(Field{Name: "count", Type: TInt, Doc: "the number of shards"}), maxCount), func(s *Sharding) any { return &s.Count })),
		bind(Field{Name: "key", Type: TString, Doc: "the shard key, e.g. user_id"}, func(s *Sharding) any { return &s.Key }),
		bind(upTo(min1(Field{Name: "vnodes", Type: TInt, Doc: "virtual nodes per shard (consistent hashing)"}), maxCount), func(s *Sharding) any { return &s.VNodes }),
		bind(Field{Name: "growth", Type: TEnum, Enum: []string{"none", "incremental", "doubling"}, Doc: "how the shard count is expected to grow; default incremental"}, func(s *Sharding) any { return &s.Growth }),
	}}, func(c *Component, at Pos) *Sharding {
		c.Shards = &Sharding{Pos: at}
		return c.Shards
	}), Database),
	kinds(nest(Field{Name: "storage", Type: TObject, Doc: "how much data the store holds and keeps", Fields: []Field{
		bind(upTo(min0(Field{Name: "growth_gb_per_day", Type: TFloat, Doc: "data added per day, in GB"}), maxGB), func(s *Storage) any { return &s.GrowthGBPerDay }),
		bind(retentionDays, func(s *Storage) any { return &s.RetentionDays }),
		bind(nodeCapacityGB, func(s *Storage) any { return &s.NodeCapacityGB }),
	}}, func(c *Component, at Pos) *Storage {
		c.Storage = &Storage{Pos: at}
		return c.Storage
	}), storeKinds...),
	bind(kinds(Field{Name: "provider", Type: TEnum, Enum: providers, Doc: "what the third-party API does"}, External), func(c *Component) any { return enum(&c.Provider) }),
	bind(kinds(Field{Name: "ack", Type: TEnum, Enum: []string{"sync", "optimistic"}, Doc: "optimistic: the provider accepts the request and reports the outcome later"}, External), func(c *Component) any { return &c.Ack }),
	kinds(nest(Field{Name: "password_hash", Type: TObject, Doc: "how passwords are hashed", Fields: []Field{
		required(bind(Field{Name: "algorithm", Type: TEnum, Enum: []string{"argon2id", "scrypt", "bcrypt", "pbkdf2-sha256", "pbkdf2-sha512", "sha256", "sha512", "sha1", "md5", "plaintext", "encrypted"}, Doc: "the hashing algorithm"}, func(p *PasswordHash) any { return &p.Algorithm })),
		// The algorithms' own limits: a log2 cost below 64, argon2's 2^32-1 and 2^24-1.
		bind(upTo(min1(Field{Name: "cost", Type: TInt, Doc: "bcrypt cost, or scrypt log2(N)"}), 63), func(p *PasswordHash) any { return &p.Cost }),
		bind(upTo(min1(Field{Name: "memory_kib", Type: TInt, Doc: "argon2 memory, in KiB"}), 1<<32-1), func(p *PasswordHash) any { return &p.MemoryKiB }),
		bind(upTo(min1(Field{Name: "iterations", Type: TInt, Doc: "argon2 time cost, or PBKDF2 iterations"}), 1<<32-1), func(p *PasswordHash) any { return &p.Iterations }),
		bind(upTo(min1(Field{Name: "parallelism", Type: TInt, Doc: "argon2 lanes"}), 1<<24-1), func(p *PasswordHash) any { return &p.Parallelism }),
	}}, func(c *Component, at Pos) *PasswordHash {
		c.PasswordHash = &PasswordHash{Pos: at}
		return c.PasswordHash
	}), AuthStore),
	bind(kinds(Field{Name: "salt", Type: TEnum, Enum: []string{"per_user", "global", "none"}, Doc: "per_user: a random salt for every password"}, AuthStore), func(c *Component) any { return &c.Salt }),
	hooked(Field{Name: "calls", Type: TCalls, Doc: "the components this one calls: ids, or mappings in the full form (see calls)"}, func(d *decoder, c *Component, _, v *yaml.Node, what path) { d.calls(c, v, what) }),
	hooked(Field{Name: "ignore", Type: TIgnore, Doc: "rules suppressed on this component: rule id: reason (the reason is required)"}, func(d *decoder, c *Component, _, v *yaml.Node, what path) { d.ignore(c, v, what) }),
}

// TrafficFields are the keys of the traffic section.
var TrafficFields = []Field{
	bind(upTo(min0(Field{Name: "baseline_rps", Type: TFloat, Doc: "average requests per second"}), maxRate), func(t *Traffic) any { return &t.BaselineRPS }),
	bind(upTo(min0(Field{Name: "daily_active_users", Type: TFloat, Doc: "with requests_per_user, instead of baseline_rps"}), maxUsers), func(t *Traffic) any { return &t.DailyActiveUsers }),
	bind(upTo(min0(Field{Name: "requests_per_user", Type: TFloat, Doc: "requests each active user makes per day"}), maxPerUser), func(t *Traffic) any { return &t.RequestsPerUser }),
	bind(upTo(min1(Field{Name: "peak_multiplier", Type: TFloat, Doc: "peak = multiplier × average"}), maxMultiplier), func(t *Traffic) any { return &t.PeakMultiplier }),
	bind(upTo(min0(Field{Name: "peak_rps", Type: TFloat, Doc: "absolute peak requests per second, instead of peak_multiplier"}), maxRate), func(t *Traffic) any { return &t.PeakRPS }),
	bind(Field{Name: "read_write_ratio", Type: TRatio, Doc: `reads to writes, e.g. "9:1"`}, func(t *Traffic) any { return &t.ReadWriteRatio }),
}

// StepFields are the keys of a flow step.
var StepFields = []Field{
	required(bind(Field{Name: "from", Type: TRef, Doc: "the caller"}, func(s *Step) any { return &s.from })),
	required(bind(Field{Name: "to", Type: TRef, Doc: "the component called; from must declare a call to it"}, func(s *Step) any { return &s.to })),
	bind(Field{Name: "action", Type: TString, Doc: "what happens, in a few words"}, func(s *Step) any { return &s.Action }),
	bind(Field{Name: "entity", Type: TString, Doc: "the entity whose status the step records"}, func(s *Step) any { return &s.Entity }),
	bind(Field{Name: "status", Type: TString, Doc: "the status value the step records, e.g. pending_email_outbound"}, func(s *Step) any { return &s.Status }),
}

// FlowFields are the keys of a flow.
var FlowFields = []Field{
	bind(Field{Name: "description", Type: TString, Doc: "what the flow achieves"}, func(f *Flow) any { return &f.Description }),
	required(hooked(Field{Name: "steps", Type: TList, Fields: StepFields, Doc: "the calls in order"}, (*decoder).flowSteps)),
}

// flowFieldsStepsOptional is FlowFields for a flow that lacks steps, which
// the loader reports in its own words.
var flowFieldsStepsOptional = func() []Field {
	fs := append([]Field(nil), FlowFields...)
	for i := range fs {
		if fs[i].Name == "steps" {
			fs[i].Required = false
		}
	}
	return fs
}()

// EntityFields are the keys of an entity.
var EntityFields = []Field{
	refTo(bind(Field{Name: "store", Type: TRef, Doc: "the database, object storage or auth store that holds the records"}, func(e *Entity) any { return &e.Store }), storeKinds...),
	bind(Field{Name: "status_field", Type: TString, Doc: "the column that holds the status; default status"}, func(e *Entity) any { return &e.StatusField }),
	hooked(Field{Name: "statuses", Type: TStrings, Doc: "the status values, in workflow order"}, (*decoder).statuses),
	bind(upTo(min1(Field{Name: "record_bytes", Type: TInt, Doc: "the size of one record, in bytes; storage growth is projected from the writes of the flow steps that name this entity, or, when none does, from every write that reaches the store"}), maxRecord), func(e *Entity) any { return &e.RecordBytes }),
	bind(upTo(min0(Field{Name: "records_per_write", Type: TFloat, Doc: "records one write to the store adds; default 1"}), maxFanout), func(e *Entity) any { return &e.RecordsPerWrite }),
	bind(retentionDays, func(e *Entity) any { return &e.RetentionDays }),
}

// ReferenceCapacityFields are the keys of reference_capacity, in the model
// and in .archdiag.yaml: per kind, the rules of thumb used for components
// that state no capacity of their own.
var ReferenceCapacityFields = []Field{
	referenceKind(Database, readQPS, writeQPS, nodeCapacityGB),
	referenceKind(Cache, rpsPerInstance),
	referenceKind(LoadBalancer, rpsPerInstance),
	referenceKind(Webserver, rpsPerInstance),
	referenceKind(App, rpsPerInstance),
	referenceKind(ObjectStorage, nodeCapacityGB),
	referenceKind(AuthStore, nodeCapacityGB),
}

// referenceKind is kind k's entry under reference_capacity, holding the
// given capacity fields; each value read is recorded under its field name.
func referenceKind(k Kind, metrics ...Field) Field {
	fields := make([]Field, len(metrics))
	for i, f := range metrics {
		fields[i] = hooked(f, func(d *decoder, r *kindReference, _, v *yaml.Node, what path) {
			r.ref.Values = append(r.ref.Values, ReferenceValue{Kind: r.kind, Metric: f.Name, Value: d.float(&f, v, what)})
		})
	}
	return nest(Field{Name: string(k), Type: TObject, Fields: fields, Doc: "for " + k.Noun(2) + " that state no capacity"}, func(r *ReferenceCapacity, _ Pos) *kindReference {
		return &kindReference{ref: r, kind: k}
	})
}

// kindReference is the owner of one kind's reference values while they load.
type kindReference struct {
	ref  *ReferenceCapacity
	kind Kind
}

var versionField = Field{Name: "archdiag", Type: TInt, Doc: "the format version: 1"}

// TopFields are the keys at the top of a model file.
var TopFields = []Field{
	required(hooked(versionField, (*decoder).version)),
	required(bind(Field{Name: "name", Type: TString, Doc: "the system's name"}, func(m *Model) any { return &m.Name })),
	bind(Field{Name: "description", Type: TString, Doc: "the system in a sentence or two"}, func(m *Model) any { return &m.Description }),
	nest(Field{Name: "traffic", Type: TObject, Fields: TrafficFields, Doc: "the load, for capacity checks and notes"}, func(m *Model, at Pos) *Traffic {
		m.Traffic = &Traffic{Pos: at}
		return m.Traffic
	}),
	required(hooked(Field{Name: "components", Type: TMapOf, Fields: ComponentFields, Doc: "the components, keyed by id"}, func(d *decoder, _ *Model, _, v *yaml.Node, _ path) { d.components(v) })),
	hooked(Field{Name: "flows", Type: TMapOf, Fields: FlowFields, Doc: "named request walkthroughs, keyed by name"}, (*decoder).flows),
	hooked(Field{Name: "entities", Type: TMapOf, Fields: EntityFields, Doc: "records with status values, keyed by name"}, (*decoder).entities),
	nest(Field{Name: "reference_capacity", Type: TObject, Fields: ReferenceCapacityFields, Doc: "rules of thumb per kind, used where a component states no capacity; overrides the documented ones (also accepted in .archdiag.yaml)"}, func(m *Model, at Pos) *ReferenceCapacity {
		m.ReferenceCapacity = &ReferenceCapacity{Pos: at}
		return m.ReferenceCapacity
	}),
}

// FormatVersion is the model format version this archdiag reads.
const FormatVersion = 1
