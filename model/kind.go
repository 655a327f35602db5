package model

// Kind is what a component is: a load balancer, an app server, a queue...
type Kind string

// The component kinds, in tier order.
const (
	Client        Kind = "client"
	DNS           Kind = "dns"
	CDN           Kind = "cdn"
	WaitingRoom   Kind = "waiting_room"
	LoadBalancer  Kind = "load_balancer"
	Webserver     Kind = "webserver"
	App           Kind = "app"
	Cache         Kind = "cache"
	Queue         Kind = "queue"
	Worker        Kind = "worker"
	Cron          Kind = "cron"
	Database      Kind = "database"
	ObjectStorage Kind = "object_storage"
	AuthStore     Kind = "auth_store"
	External      Kind = "external"
)

// Tier is a horizontal band of the architecture, in the order a request
// meets it. Diagrams and notes lay components out by tier.
type Tier int

const (
	TierEdge Tier = iota
	TierEntry
	TierApp
	TierCache
	TierAsync
	TierData
	TierExternal
)

// Tiers lists every tier in order.
var Tiers = []Tier{TierEdge, TierEntry, TierApp, TierCache, TierAsync, TierData, TierExternal}

var tierNames = [...]string{"clients and edge", "entry", "application", "caches", "asynchronous", "data", "external providers"}

func (t Tier) String() string { return tierNames[t] }

// KindInfo is everything archdiag knows about a kind, in one place: what
// people call it, where it is drawn and how, what the study notes teach
// about it, and the roles the rules give it. A new kind is complete when it
// has a row in Kinds; TestKindsComplete checks every part.
type KindInfo struct {
	Kind   Kind
	Title  string // "load balancer": headings, diagram labels, messages
	Noun   string // "load balancer": one of them in a sentence
	Plural string // "load balancers": several of them
	Tier   Tier
	Doc    string // one line, for the schema and the README
	Shape  Shape
	Card   StudyCard
	Roles  Roles
}

// Shape is how components of a kind are drawn, the same in every diagram.
// Colours are 6-digit hex so exported DOT also works with older Graphviz.
type Shape struct {
	Graphviz string // Graphviz node shape
	Style    string // Graphviz node style
	Fill     string
	Pen      string
	// Mermaid shape delimiters: Mermaid's classic shapes are fewer than
	// the kinds, so a few kinds share one and differ by colour.
	MermaidOpen  string
	MermaidClose string
}

// StudyCard is what the study notes teach about a kind.
type StudyCard struct {
	What, When, Knobs, TradeOffs, Failures string
	Rules                                  []string // ids of the lint rules that watch the kind
}

// Roles are what the rules and the estimate take a kind for.
type Roles struct {
	Entry      bool // requests start here (clients)
	Proxy      bool // forwards requests to a pool (load balancers, reverse proxies)
	EntryProxy bool // stands in front of the back end and forwards requests into it
	Consumer   bool // takes jobs off queues (workers, cron jobs)
	Store      bool // keeps data that must survive; may declare storage
	ThirdParty bool // someone else's service, whose redundancy is the provider's
}

// Kinds lists every kind in tier order; the only order anyone sees.
var Kinds = []KindInfo{
	{
		Kind: Client, Title: "client", Noun: "client", Plural: "clients", Tier: TierEdge,
		Doc:   "an entry point: browsers, mobile apps or partner systems that send requests",
		Shape: Shape{Graphviz: "oval", Style: "filled", Fill: "#ECEFF1", Pen: "#607D8B", MermaidOpen: `(["`, MermaidClose: `"])`},
		Card: StudyCard{
			What:      "Browsers, mobile apps or partner systems that send requests: where every flow starts.",
			When:      "Always: a design starts from who calls it and what they need back.",
			Knobs:     "Timeouts; retries with exponential backoff and jitter; idempotency keys on retried writes; client-side caching.",
			TradeOffs: "Client retries add load exactly when the system is struggling.",
			Failures:  "Retry storms after an outage; stale client caches; bots posting forms (a form rather than an open API keeps casual bots out).",
			Rules:     []string{"resilience/timeouts", "model/unreachable-component"},
		},
		Roles: Roles{Entry: true},
	},
	{
		Kind: DNS, Title: "DNS", Noun: "DNS server", Plural: "DNS servers", Tier: TierEdge,
		Doc:   "name resolution in front of the system",
		Shape: Shape{Graphviz: "note", Style: "filled", Fill: "#EDE7F6", Pen: "#5E35B1", MermaidOpen: `[/"`, MermaidClose: `"/]`},
		Card: StudyCard{
			What:      "Maps names to addresses; can weight answers or route by geography.",
			When:      "In front of every public system; geo-DNS once there is more than one region.",
			Knobs:     "TTL (failover is only as fast as resolvers drop the old answer); managed or self-hosted.",
			TradeOffs: "A low TTL fails over faster but multiplies lookups.",
			Failures:  "Cached answers keep pointing at a dead address until the TTL runs out; a self-hosted DNS server is a single point of failure.",
			Rules:     []string{"spof/single-instance"},
		},
	},
	{
		Kind: CDN, Title: "CDN", Noun: "CDN", Plural: "CDNs", Tier: TierEdge,
		Doc:   "edge caches that serve static content close to users, outside the back end",
		Shape: Shape{Graphviz: "octagon", Style: "filled", Fill: "#E0F7FA", Pen: "#00838F", MermaidOpen: `{{"`, MermaidClose: `"}}`},
		Card: StudyCard{
			What:      "A global network of edge servers that serves static content (images, scripts, whole pages) close to users. It sits outside the back end, as part of the wider internet, and fetches from an origin such as object storage on a miss.",
			When:      "Static assets are a large share of requests, users are far from the servers, or a surge is coming.",
			Knobs:     "TTLs and cache keys; pull or push; invalidation; versioned asset URLs.",
			TradeOffs: "Costs money; content stays stale until its TTL or an invalidation.",
			Failures:  "Stale content after a deploy; private content cached publicly; a CDN drawn behind the load balancer offloads nothing.",
			Rules:     []string{"cdn/misplaced", "spof/single-instance"},
		},
	},
	{
		Kind: WaitingRoom, Title: "waiting room", Noun: "waiting room", Plural: "waiting rooms", Tier: TierEdge,
		Doc:   "admission control that queues users during a surge and admits them at a set rate",
		Shape: Shape{Graphviz: "invtrapezium", Style: "filled", Fill: "#FFF8E1", Pen: "#F9A825", MermaidOpen: `[\"`, MermaidClose: `"/]`},
		Card: StudyCard{
			What:      "Admission control at the edge: holds users in a queue with a position and lets them in at the rate the back end can serve.",
			When:      "A surge you can prepare for: a ticket on-sale, a product launch. Ticketmaster knew when its tickets went on sale; the surge was not unexpected.",
			Knobs:     "Admission rate; per-client rate limit; how long an admission token lasts; fairness of the queue.",
			TradeOffs: "Users wait instead of failing; one more component at the edge, which must itself be highly available.",
			Failures:  "An admission rate above what the back end serves; bots holding many places; the waiting room itself down.",
			Rules:     []string{"surge/no-admission-control", "lb/single-instance", "ratelimit/missing-at-edge"},
		},
		Roles: Roles{EntryProxy: true},
	},
	{
		Kind: LoadBalancer, Title: "load balancer", Noun: "load balancer", Plural: "load balancers", Tier: TierEntry,
		Doc:   "spreads requests over a pool and stops sending to unhealthy members",
		Shape: Shape{Graphviz: "hexagon", Style: "filled", Fill: "#E8EAF6", Pen: "#3949AB", MermaidOpen: `[/"`, MermaidClose: `"\]`},
		Card: StudyCard{
			What:      "Spreads requests over a pool of servers and stops sending to members that fail their health check; often terminates TLS. Layer 4 balances connections, layer 7 balances HTTP requests.",
			When:      "As soon as there is more than one app server, for capacity or for redundancy.",
			Knobs:     "Algorithm (round robin, least connections); health-check path and interval; sticky sessions; timeouts; rate limits.",
			TradeOffs: "One more hop; it sits on every path, so it must itself be redundant: an active-passive pair or a managed service.",
			Failures:  "A single load balancer is a single point of failure; without a health check it keeps sending to dead servers; sticky sessions skew load.",
			Rules:     []string{"lb/single-instance", "lb/no-health-check", "state/sticky-sessions", "resilience/timeouts", "ratelimit/missing-at-edge"},
		},
		Roles: Roles{Proxy: true, EntryProxy: true},
	},
	{
		Kind: Webserver, Title: "webserver", Noun: "webserver", Plural: "webservers", Tier: TierEntry,
		Doc:   "a reverse proxy: TLS, static files, proxying to app servers",
		Shape: Shape{Graphviz: "box", Style: "filled", Fill: "#E1F5FE", Pen: "#0288D1", MermaidOpen: `[["`, MermaidClose: `"]]`},
		Card: StudyCard{
			What:      "A reverse proxy such as nginx in front of the app servers: terminates TLS, serves static files, compresses, and proxies requests to the app.",
			When:      "The 3-tier baseline: the single public face of the application.",
			Knobs:     "Upstream timeouts; buffering; static-file caching; health checks of the upstream pool.",
			TradeOffs: "One more hop and more configuration; a single reverse proxy is a single point of failure.",
			Failures:  "One instance on every path; an upstream timeout shorter than the app's slowest request.",
			Rules:     []string{"lb/single-instance", "lb/no-health-check", "state/sticky-sessions", "resilience/timeouts", "ratelimit/missing-at-edge"},
		},
		Roles: Roles{Proxy: true, EntryProxy: true},
	},
	{
		Kind: App, Title: "app server", Noun: "app server", Plural: "app servers", Tier: TierApp,
		Doc:   "runs the application code; should be stateless to scale horizontally",
		Shape: Shape{Graphviz: "box", Style: "rounded,filled", Fill: "#E8F5E9", Pen: "#2E7D32", MermaidOpen: `("`, MermaidClose: `")`},
		Card: StudyCard{
			What:      "Runs the application code: routes the request, applies the business logic, talks to the data stores.",
			When:      "Always. Keep it stateless so that it scales horizontally: more instances, not a bigger machine.",
			Knobs:     "Instances or autoscale bounds; capacity per instance; database connection pool per instance; where sessions and uploads live.",
			TradeOffs: "Statelessness needs shared stores (a session store or tokens, object storage); every new instance opens more database connections.",
			Failures:  "Local sessions lost when a request lands elsewhere or a server dies; local uploads invisible to other servers; connection storms on the database.",
			Rules:     []string{"spof/single-instance", "state/local-sessions", "state/sticky-sessions", "state/local-uploads", "capacity/under-provisioned", "capacity/missing-numbers", "capacity/db-connections", "async/slow-call-on-request-path", "async/dual-write", "db/write-to-replica", "db/read-after-write-lag", "resilience/timeouts"},
		},
	},
	{
		Kind: Cache, Title: "cache", Noun: "cache", Plural: "caches", Tier: TierCache,
		Doc:   "an in-memory store: cache-aside, read-through, write-through, write-behind or session store",
		Shape: Shape{Graphviz: "component", Style: "filled", Fill: "#FCE4EC", Pen: "#C2185B", MermaidOpen: `[\"`, MermaidClose: `"\]`},
		Card: StudyCard{
			What:      "An in-memory key-value store (Redis, Memcached) that holds hot data, or sessions for stateless app servers.",
			When:      "Read-heavy load that reads the same data again and again; session storage once app servers are stateless.",
			Knobs:     "Pattern (cache-aside, read-through, write-through, write-behind, session store); TTL; eviction policy; memory bound; hit ratio; pre-warming.",
			TradeOffs: "Less database load and latency, paid for with stale data and invalidation work; what it holds should differ from what the CDN holds.",
			Failures:  "A stampede when a hot key expires; a cold cache after a restart floods the database; a read-through cache that is down takes reads down; no TTL serves stale data indefinitely.",
			Rules:     []string{"cache/read-through-spof", "cache/no-expiry", "spof/single-instance"},
		},
	},
	{
		Kind: Queue, Title: "queue", Noun: "queue", Plural: "queues", Tier: TierAsync,
		Doc:   "a message queue, point-to-point or pub/sub, optionally with a dead-letter queue",
		Shape: Shape{Graphviz: "cds", Style: "filled", Fill: "#FFF3E0", Pen: "#EF6C00", MermaidOpen: `>"`, MermaidClose: `"]`},
		Card: StudyCard{
			What:      "Holds messages in flight between producers and consumers, so each side works at its own speed. Point-to-point gives each message to one consumer; pub/sub gives every subscriber a copy.",
			When:      "Slow or bursty work that the user should not wait for (emails, payments); decoupling services; protecting the database from spikes.",
			Knobs:     "Mode; delivery guarantee; visibility timeout; max receive count and dead-letter queue; retention; the message format.",
			TradeOffs: "Eventual consistency; at-least-once delivery demands idempotent consumers; one more thing to monitor.",
			Failures:  "The backlog grows when consumers are slower than producers; a poison message retries forever without a dead-letter queue; nobody consumes.",
			Rules:     []string{"queue/no-consumer", "queue/no-dlq", "queue/dlq-unmonitored", "queue/backlog-growth", "async/dual-write", "async/no-status-field", "spof/single-instance"},
		},
	},
	{
		Kind: Worker, Title: "worker", Noun: "worker", Plural: "workers", Tier: TierAsync,
		Doc:   "a long-running consumer that takes jobs from a queue",
		Shape: Shape{Graphviz: "box", Style: "filled,diagonals", Fill: "#F3E5F5", Pen: "#8E24AA", MermaidOpen: `["`, MermaidClose: `"]`},
		Card: StudyCard{
			What:      "A long-running process that takes jobs off a queue and does them.",
			When:      "A steady stream of background jobs that needs more throughput than a cron batch gives.",
			Knobs:     "Instances; concurrency; service time (drain = instances × concurrency ÷ service time); idempotency.",
			TradeOffs: "Runs and costs all the time; must tolerate duplicate messages.",
			Failures:  "Slower than the enqueue rate, so the backlog grows; a job that is not idempotent runs twice; a crash mid-job.",
			Rules:     []string{"queue/orphan-consumer", "queue/backlog-growth", "spof/single-instance", "resilience/timeouts"},
		},
		Roles: Roles{Consumer: true},
	},
	{
		Kind: Cron, Title: "cron job", Noun: "cron job", Plural: "cron jobs", Tier: TierAsync,
		Doc:   "a job that runs on a schedule, often to drain a queue",
		Shape: Shape{Graphviz: "tab", Style: "filled", Fill: "#F1F8E9", Pen: "#689F38", MermaidOpen: `(("`, MermaidClose: `"))`},
		Card: StudyCard{
			What:      "A script run on a schedule, as a background process: time-based jobs such as refreshing cached counts, or draining a queue in batches. Check an expression with a cron translator before trusting it.",
			When:      "Periodic work, or a queue whose jobs can wait up to one interval; easier to set up than an always-on consumer.",
			Knobs:     "Schedule; batch size (drain = batch ÷ interval); maximum run time; concurrency policy (forbid overlapping runs); a lock or leader election; idempotency.",
			TradeOffs: "Simple to run, but a job waits up to one interval and throughput is capped at batch ÷ interval.",
			Failures:  "An invalid schedule never runs; overlapping runs take the same jobs; the one runner's host dies.",
			Rules:     []string{"cron/invalid-schedule", "cron/single-runner", "queue/orphan-consumer", "queue/backlog-growth"},
		},
		Roles: Roles{Consumer: true},
	},
	{
		Kind: Database, Title: "database", Noun: "database", Plural: "databases", Tier: TierData,
		Doc:   "a database: a primary, a read replica of another, optionally sharded",
		Shape: Shape{Graphviz: "cylinder", Style: "filled", Fill: "#E3F2FD", Pen: "#1565C0", MermaidOpen: `[("`, MermaidClose: `")]`},
		Card: StudyCard{
			What:      "The system of record. A primary takes the writes; replicas follow it and serve reads; shards split the data across primaries.",
			When:      "Always; replicas when reads outgrow one server; shards when writes or data size do.",
			Knobs:     "Replication (async, semi-sync, sync); failover mode and standby; read and write capacity; connection limit; shard strategy and key.",
			TradeOffs: "Replicas lag behind the primary; async failover can lose the last writes; shards make cross-shard queries expensive.",
			Failures:  "A primary without failover is a write outage waiting to happen; writes sent to a replica; stale reads after a write; connection exhaustion; a hot shard.",
			Rules:     []string{"db/no-failover", "db/write-to-replica", "db/read-after-write-lag", "shard/hash-mod-n", "capacity/under-provisioned", "capacity/missing-numbers", "capacity/db-connections", "async/no-status-field"},
		},
		Roles: Roles{Store: true},
	},
	{
		Kind: ObjectStorage, Title: "object storage", Noun: "object store", Plural: "object stores", Tier: TierData,
		Doc:   "a blob store for uploads and static assets",
		Shape: Shape{Graphviz: "folder", Style: "filled", Fill: "#EFEBE9", Pen: "#6D4C41", MermaidOpen: `[("`, MermaidClose: `")]`},
		Card: StudyCard{
			What:      "A durable, highly available blob store for uploads and static assets, and the usual origin of a CDN.",
			When:      "Files must outlive any one server: never write uploads to an app server's disk.",
			Knobs:     "Buckets and access policies; signed URLs; lifecycle rules.",
			TradeOffs: "Slower than local disk and billed per request.",
			Failures:  "Public buckets that leak data; uploads written to local disk instead.",
			Rules:     []string{"state/local-uploads", "cdn/misplaced", "spof/single-instance"},
		},
		Roles: Roles{Store: true},
	},
	{
		Kind: AuthStore, Title: "auth store", Noun: "auth store", Plural: "auth stores", Tier: TierData,
		Doc:   "the credential store: password hashes and salts, kept apart from user profiles",
		Shape: Shape{Graphviz: "doubleoctagon", Style: "filled", Fill: "#FFEBEE", Pen: "#AD1457", MermaidOpen: `{{"`, MermaidClose: `"}}`},
		Card: StudyCard{
			What:      "The credential table, kept apart from the user profile: read on every login, so small and hot, holding password hashes and their salts. With OAuth there are no credentials, but the user still needs a row.",
			When:      "Any password login.",
			Knobs:     "Algorithm (Argon2id, scrypt, bcrypt) and its cost; a random salt per user; optionally a pepper kept outside the database.",
			TradeOffs: "A slow hash costs milliseconds of CPU per login and an attacker years per leaked table.",
			Failures:  "Fast or unsalted hashes cracked after a leak; the auth store down means nobody signs in.",
			Rules:     []string{"auth/weak-password-hash", "auth/missing-salt", "spof/single-instance"},
		},
		Roles: Roles{Store: true},
	},
	{
		Kind: External, Title: "external provider", Noun: "external provider", Plural: "external providers", Tier: TierExternal,
		Doc:   "a third-party API, such as a transactional email provider or a payment processor",
		Shape: Shape{Graphviz: "box", Style: "dashed,filled", Fill: "#FAFAFA", Pen: "#757575", MermaidOpen: `["`, MermaidClose: `"]`},
		Card: StudyCard{
			What:      "A third-party API: a transactional email provider (SendGrid, Mailgun), a payment processor, SMS.",
			When:      "The provider does it better: running your own mail server risks being blacklisted.",
			Knobs:     "Timeouts; retries with backoff and jitter; idempotency keys; webhooks or polling for the real outcome.",
			TradeOffs: "A dependency you do not control; optimistic acknowledgements mean checking the outcome later.",
			Failures:  "A slow or failing provider on the request path; a retry that sends or charges twice.",
			Rules:     []string{"async/slow-call-on-request-path", "resilience/timeouts"},
		},
		Roles: Roles{ThirdParty: true},
	},
}

// kindIndex finds a kind's row without scanning the table: the rules ask
// for roles in their inner loops.
var kindIndex = func() map[Kind]int {
	ix := make(map[Kind]int, len(Kinds))
	for i, ki := range Kinds {
		ix[ki.Kind] = i
	}
	return ix
}()

// Info returns what is known about k; ok is false for an unknown kind.
func (k Kind) Info() (KindInfo, bool) {
	if i, ok := kindIndex[k]; ok {
		return Kinds[i], true
	}
	return KindInfo{}, false
}

func (k Kind) info() *KindInfo {
	if i, ok := kindIndex[k]; ok {
		return &Kinds[i]
	}
	return &unknownKind
}

// unknownKind answers for a kind not in the table: it has no roles.
var unknownKind KindInfo

// Title is the kind's name for people, e.g. "load balancer".
func (k Kind) Title() string {
	if ki := k.info(); ki.Kind != "" {
		return ki.Title
	}
	return string(k)
}

// Noun is the kind's noun for n components: "1 cron job", "2 cron jobs"
// without the number.
func (k Kind) Noun(n int) string {
	ki := k.info()
	switch {
	case ki.Kind == "":
		return string(k)
	case n == 1:
		return ki.Noun
	}
	return ki.Plural
}

// Tier is the tier components of kind k are drawn in.
func (k Kind) Tier() Tier { return k.info().Tier }

// Roles are the roles the rules give kind k.
func (k Kind) Roles() Roles { return k.info().Roles }

// IsEntry reports whether requests start at components of kind k.
func (k Kind) IsEntry() bool { return k.info().Roles.Entry }

// IsProxy reports whether k forwards requests to a pool (load balancers,
// reverse proxies).
func (k Kind) IsProxy() bool { return k.info().Roles.Proxy }

// IsEntryProxy reports whether k stands in front of the back end and
// forwards requests into it (load balancers, reverse proxies, waiting
// rooms).
func (k Kind) IsEntryProxy() bool { return k.info().Roles.EntryProxy }

// IsConsumer reports whether k takes jobs off queues.
func (k Kind) IsConsumer() bool { return k.info().Roles.Consumer }

// IsStore reports whether k keeps data that must survive (databases, object
// storage, auth stores).
func (k Kind) IsStore() bool { return k.info().Roles.Store }

// IsThirdParty reports whether k is someone else's service, whose
// redundancy is the provider's.
func (k Kind) IsThirdParty() bool { return k.info().Roles.ThirdParty }

// storeKinds hold data that outlives a request, in tier order.
var storeKinds = func() []Kind {
	var out []Kind
	for _, ki := range Kinds {
		if ki.Roles.Store {
			out = append(out, ki.Kind)
		}
	}
	return out
}()
