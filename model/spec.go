package model

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
)

func upTo(f Field, max float64) Field { f.Max, f.HasMax = max, true; return f }
func min0(f Field) Field              { f.Min, f.HasMin = 0, true; return f }
func min1(f Field) Field              { f.Min, f.HasMin = 1, true; return f }
func unit(f Field) Field              { f.Min, f.HasMin, f.Max, f.HasMax = 0, true, 1, true; return f }
func kinds(f Field, k ...Kind) Field  { f.Kinds = k; return f }
func required(f Field) Field          { f.Required = true; return f }

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
	shardStrategy  = enumOf(HashMod, RangeSharding, ConsistentHash, Directory)
	providers      = enumOf(ProviderEmail, ProviderPayment, ProviderSMS, ProviderPush, ProviderWebhook, ProviderOther)
	proxies        = []Kind{LoadBalancer, Webserver}
	edgeAndProxies = []Kind{WaitingRoom, LoadBalancer, Webserver, App}
)

// RetriesFields are the keys of a call's retries mapping.
var RetriesFields = []Field{
	upTo(min1(Field{Name: "max_attempts", Type: TInt, Doc: "attempts in all, the first included"}), maxAttempts),
	{Name: "backoff", Type: TEnum, Enum: []string{"none", "fixed", "exponential"}, Doc: "the wait between attempts"},
	{Name: "jitter", Type: TBool, Doc: "whether waits are randomised so that retries do not synchronise"},
}

// CallFields are the keys of a call in its full form.
var CallFields = []Field{
	required(Field{Name: "to", Type: TRef, Doc: "the component called"}),
	{Name: "mode", Type: TEnum, Enum: callModes, Doc: "sync: the caller waits; async: it does not. Default: async for queue operations, else sync"},
	{Name: "op", Type: TEnum, Enum: ops, Doc: "what the call does. Default: publish to a queue (consume from a worker or cron job, subscribe for pub/sub), else call"},
	{Name: "label", Type: TString, Doc: "protocol or endpoint, drawn on the edge"},
	upTo(min1(Field{Name: "timeout_ms", Type: TInt, Doc: "how long the caller waits, in milliseconds"}), maxMillis),
	{Name: "retries", Type: TObject, Fields: RetriesFields, Doc: "the retry policy"},
	{Name: "fallback", Type: TRef, Doc: "a component that serves when the target fails (makes the call a soft dependency)"},
	{Name: "degrade", Type: TBool, Doc: "the caller degrades gracefully when the target fails (a soft dependency)"},
	{Name: "idempotency_key", Type: TString, Doc: "the key that makes retries safe, e.g. user_id"},
	{Name: "outbox", Type: TBool, Doc: "publishes: the message is written to an outbox table in the same transaction as the caller's writes and relayed to the queue, so the request neither waits for the queue nor loses the message"},
}

// ComponentFields are the keys of a component; Kinds says where each applies.
var ComponentFields = []Field{
	required(Field{Name: "kind", Type: TKindRef, Doc: "what the component is"}),
	{Name: "label", Type: TString, Doc: "the name drawn in diagrams; default: the id"},
	{Name: "description", Type: TString, Doc: "what the component does, for notes"},
	upTo(min1(Field{Name: "instances", Type: TInt, Doc: "how many instances run; default 1"}), maxCount),
	{Name: "autoscale", Type: TObject, Doc: "autoscaling bounds, instead of instances", Fields: []Field{
		required(upTo(min1(Field{Name: "min", Type: TInt, Doc: "the fewest instances; this is what counts for redundancy"}), maxCount)),
		required(upTo(min1(Field{Name: "max", Type: TInt, Doc: "the most instances"}), maxCount)),
	}},
	upTo(min1(Field{Name: "zones", Type: TInt, Doc: "availability zones the instances are spread over; default 1"}), maxZones),
	{Name: "managed", Type: TBool, Doc: "a managed, highly available service (counts as redundant)"},
	{Name: "failover", Type: TObject, Doc: "how the component is replaced when it fails", Fields: []Field{
		required(Field{Name: "mode", Type: TEnum, Enum: failoverModes, Doc: "none, manual or automatic"}),
		{Name: "standby", Type: TRef, Doc: "the component that takes over; automatic failover needs one"},
	}},
	{Name: "critical", Type: TBool, Doc: "treat the component as a critical target in single-point-of-failure analysis"},
	{Name: "alerts", Type: TList, Doc: "notifications, e.g. on a dead-letter queue's depth", Fields: []Field{
		required(Field{Name: "when", Type: TString, Doc: "the condition, e.g. depth > 0"}),
		required(Field{Name: "notify", Type: TString, Doc: "who hears of it, e.g. #signup-alerts"}),
	}},
	{Name: "capacity", Type: TObject, Doc: "what one instance sustains at its latency target", Fields: []Field{
		upTo(min0(Field{Name: "rps_per_instance", Type: TFloat, Doc: "requests per second one instance serves"}), maxRate),
		upTo(min0(kinds(Field{Name: "read_qps", Type: TFloat, Doc: "reads per second (databases)"}, Database)), maxRate),
		upTo(min0(kinds(Field{Name: "write_qps", Type: TFloat, Doc: "writes per second (databases)"}, Database)), maxRate),
		upTo(min1(kinds(Field{Name: "max_connections", Type: TInt, Doc: "connection limit (databases)"}, Database)), maxConns),
	}},
	kinds(Field{Name: "health_check", Type: TObject, Doc: "how the component checks its pool", Fields: []Field{
		required(Field{Name: "path", Type: TString, Doc: "the endpoint checked, e.g. /healthz"}),
		upTo(min1(Field{Name: "interval_s", Type: TInt, Doc: "seconds between checks"}), maxSeconds),
	}}, proxies...),
	kinds(Field{Name: "sticky_sessions", Type: TBool, Doc: "pins each user to one pool member"}, proxies...),
	kinds(Field{Name: "rate_limit", Type: TObject, Doc: "throttling of requests", Fields: []Field{
		upTo(min0(Field{Name: "per_client_rps", Type: TFloat, Doc: "requests per second one client may send"}), maxRate),
		upTo(min0(Field{Name: "global_rps", Type: TFloat, Doc: "requests per second admitted in all"}), maxRate),
	}}, edgeAndProxies...),
	upTo(min0(kinds(Field{Name: "admit_rps", Type: TFloat, Doc: "users admitted per second"}, WaitingRoom)), maxRate),
	kinds(Field{Name: "origin", Type: TRef, Doc: "where the CDN fetches content on a miss"}, CDN),
	kinds(Field{Name: "state", Type: TObject, Doc: "where the app server keeps what outlives a request", Fields: []Field{
		{Name: "sessions", Type: TEnum, Enum: sessionModes, Doc: "where user sessions live"},
		{Name: "session_store", Type: TRef, Doc: "the shared store, with sessions: external"},
		{Name: "uploads", Type: TEnum, Enum: uploadModes, Doc: "where user uploads are written"},
		{Name: "upload_store", Type: TRef, Doc: "the object storage, with uploads: object_storage"},
	}}, App, Webserver),
	upTo(min1(kinds(Field{Name: "db_pool_size", Type: TInt, Doc: "database connections each instance holds"}, App, Worker, Cron)), maxCount),
	kinds(Field{Name: "read_your_writes", Type: TBool, Doc: "reads of a user's own recent writes go to the primary"}, App, Worker),
	kinds(Field{Name: "pattern", Type: TEnum, Enum: cachePatterns, Doc: "how the application uses the cache"}, Cache),
	upTo(min1(kinds(Field{Name: "ttl_s", Type: TInt, Doc: "time to live of entries, in seconds"}, Cache)), maxSeconds),
	upTo(min1(kinds(Field{Name: "max_memory_mb", Type: TInt, Doc: "memory bound, in MB"}, Cache)), maxMemoryMB),
	kinds(Field{Name: "eviction", Type: TString, Doc: "eviction policy, e.g. allkeys-lru"}, Cache),
	unit(kinds(Field{Name: "hit_ratio", Type: TFloat, Doc: "share of reads served from the cache, 0 to 1"}, Cache)),
	kinds(Field{Name: "prewarm", Type: TBool, Doc: "the cache is filled before a surge"}, Cache),
	kinds(Field{Name: "mode", Type: TEnum, Enum: queueModes, Doc: "point_to_point: each message to one consumer; pubsub: each subscriber gets a copy"}, Queue),
	kinds(Field{Name: "delivery", Type: TEnum, Enum: []string{"at-least-once", "at-most-once", "exactly-once"}, Doc: "the delivery guarantee"}, Queue),
	kinds(Field{Name: "dead_letter", Type: TRef, Doc: "the queue that receives messages that cannot be processed"}, Queue),
	upTo(min1(kinds(Field{Name: "max_receive_count", Type: TInt, Doc: "deliveries before a message goes to the dead-letter queue"}, Queue)), maxAttempts),
	upTo(min1(kinds(Field{Name: "concurrency", Type: TInt, Doc: "jobs each instance works on at once"}, Worker, Cron)), maxCount),
	upTo(min1(kinds(Field{Name: "service_time_ms", Type: TInt, Doc: "time to process one job, in milliseconds"}, Worker, Cron)), maxMillis),
	kinds(Field{Name: "idempotent", Type: TBool, Doc: "processing a job twice does no harm"}, Worker, Cron),
	required(kinds(Field{Name: "schedule", Type: TString, Doc: "a 5-field cron expression or a descriptor such as @hourly"}, Cron)),
	upTo(min1(kinds(Field{Name: "batch_size", Type: TInt, Doc: "jobs taken per run"}, Cron)), maxJobs),
	upTo(min1(kinds(Field{Name: "max_duration_s", Type: TInt, Doc: "the longest a run takes, in seconds"}, Cron)), maxSeconds),
	kinds(Field{Name: "concurrency_policy", Type: TEnum, Enum: []string{"allow", "forbid", "replace"}, Doc: "what happens when a run is due while the last still runs"}, Cron),
	kinds(Field{Name: "lock", Type: TBool, Doc: "runs take a distributed lock or use leader election"}, Cron),
	kinds(Field{Name: "role", Type: TEnum, Enum: dbRoles, Doc: "primary, replica or standalone; default standalone (replica when replica_of is set)"}, Database),
	kinds(Field{Name: "replica_of", Type: TRef, Doc: "the primary this read replica follows"}, Database),
	kinds(Field{Name: "replication", Type: TEnum, Enum: []string{"async", "semi_sync", "sync"}, Doc: "how a replica follows its primary; default async"}, Database),
	kinds(Field{Name: "shards", Type: TObject, Doc: "how the data is split over shards", Fields: []Field{
		required(Field{Name: "strategy", Type: TEnum, Enum: shardStrategy, Doc: "how keys map to shards"}),
		required(upTo(min1(Field{Name: "count", Type: TInt, Doc: "the number of shards"}), maxCount)),
		{Name: "key", Type: TString, Doc: "the shard key, e.g. user_id"},
		upTo(min1(Field{Name: "vnodes", Type: TInt, Doc: "virtual nodes per shard (consistent hashing)"}), maxCount),
		{Name: "growth", Type: TEnum, Enum: []string{"none", "incremental", "doubling"}, Doc: "how the shard count is expected to grow; default incremental"},
	}}, Database),
	kinds(Field{Name: "provider", Type: TEnum, Enum: providers, Doc: "what the third-party API does"}, External),
	kinds(Field{Name: "ack", Type: TEnum, Enum: []string{"sync", "optimistic"}, Doc: "optimistic: the provider accepts the request and reports the outcome later"}, External),
	kinds(Field{Name: "password_hash", Type: TObject, Doc: "how passwords are hashed", Fields: []Field{
		required(Field{Name: "algorithm", Type: TEnum, Enum: []string{"argon2id", "scrypt", "bcrypt", "pbkdf2-sha256", "pbkdf2-sha512", "sha256", "sha512", "sha1", "md5", "plaintext", "encrypted"}, Doc: "the hashing algorithm"}),
		// The algorithms' own limits: a log2 cost below 64, argon2's 2^32-1 and 2^24-1.
		upTo(min1(Field{Name: "cost", Type: TInt, Doc: "bcrypt cost, or scrypt log2(N)"}), 63),
		upTo(min1(Field{Name: "memory_kib", Type: TInt, Doc: "argon2 memory, in KiB"}), 1<<32-1),
		upTo(min1(Field{Name: "iterations", Type: TInt, Doc: "argon2 time cost, or PBKDF2 iterations"}), 1<<32-1),
		upTo(min1(Field{Name: "parallelism", Type: TInt, Doc: "argon2 lanes"}), 1<<24-1),
	}}, AuthStore),
	kinds(Field{Name: "salt", Type: TEnum, Enum: []string{"per_user", "global", "none"}, Doc: "per_user: a random salt for every password"}, AuthStore),
	{Name: "calls", Type: TCalls, Doc: "the components this one calls: ids, or mappings in the full form (see calls)"},
	{Name: "ignore", Type: TIgnore, Doc: "rules suppressed on this component: rule id: reason (the reason is required)"},
}

// TrafficFields are the keys of the traffic section.
var TrafficFields = []Field{
	upTo(min0(Field{Name: "baseline_rps", Type: TFloat, Doc: "average requests per second"}), maxRate),
	upTo(min0(Field{Name: "daily_active_users", Type: TFloat, Doc: "with requests_per_user, instead of baseline_rps"}), maxUsers),
	upTo(min0(Field{Name: "requests_per_user", Type: TFloat, Doc: "requests each active user makes per day"}), maxPerUser),
	upTo(min1(Field{Name: "peak_multiplier", Type: TFloat, Doc: "peak = multiplier × average"}), maxMultiplier),
	upTo(min0(Field{Name: "peak_rps", Type: TFloat, Doc: "absolute peak requests per second, instead of peak_multiplier"}), maxRate),
	{Name: "read_write_ratio", Type: TRatio, Doc: `reads to writes, e.g. "9:1"`},
}

// StepFields are the keys of a flow step.
var StepFields = []Field{
	required(Field{Name: "from", Type: TRef, Doc: "the caller"}),
	required(Field{Name: "to", Type: TRef, Doc: "the component called; from must declare a call to it"}),
	{Name: "action", Type: TString, Doc: "what happens, in a few words"},
	{Name: "entity", Type: TString, Doc: "the entity whose status the step records"},
	{Name: "status", Type: TString, Doc: "the status value the step records, e.g. pending_email_outbound"},
}

// FlowFields are the keys of a flow.
var FlowFields = []Field{
	{Name: "description", Type: TString, Doc: "what the flow achieves"},
	required(Field{Name: "steps", Type: TList, Fields: StepFields, Doc: "the calls in order"}),
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
	{Name: "store", Type: TRef, Doc: "the database, object storage or auth store that holds the records"},
	{Name: "status_field", Type: TString, Doc: "the column that holds the status; default status"},
	{Name: "statuses", Type: TStrings, Doc: "the status values, in workflow order"},
}

// TopFields are the keys at the top of a model file.
var TopFields = []Field{
	required(Field{Name: "archdiag", Type: TInt, Doc: "the format version: 1"}),
	required(Field{Name: "name", Type: TString, Doc: "the system's name"}),
	{Name: "description", Type: TString, Doc: "the system in a sentence or two"},
	{Name: "traffic", Type: TObject, Fields: TrafficFields, Doc: "the load, for capacity checks and notes"},
	required(Field{Name: "components", Type: TMapOf, Fields: ComponentFields, Doc: "the components, keyed by id"}),
	{Name: "flows", Type: TMapOf, Fields: FlowFields, Doc: "named request walkthroughs, keyed by name"},
	{Name: "entities", Type: TMapOf, Fields: EntityFields, Doc: "records with status values, keyed by name"},
}

// FormatVersion is the model format version this archdiag reads.
const FormatVersion = 1
