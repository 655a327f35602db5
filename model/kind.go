package model

import "slices"

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

// KindInfo describes a kind for people and for layout.
type KindInfo struct {
	Kind  Kind
	Title string // "load balancer"
	Tier  Tier
	Doc   string // one line, for the schema and the README
}

// Kinds lists every kind in tier order; the only order anyone sees.
var Kinds = []KindInfo{
	{Client, "client", TierEdge, "an entry point: browsers, mobile apps or partner systems that send requests"},
	{DNS, "DNS", TierEdge, "name resolution in front of the system"},
	{CDN, "CDN", TierEdge, "edge caches that serve static content close to users, outside the back end"},
	{WaitingRoom, "waiting room", TierEdge, "admission control that queues users during a surge and admits them at a set rate"},
	{LoadBalancer, "load balancer", TierEntry, "spreads requests over a pool and stops sending to unhealthy members"},
	{Webserver, "webserver", TierEntry, "a reverse proxy: TLS, static files, proxying to app servers"},
	{App, "app server", TierApp, "runs the application code; should be stateless to scale horizontally"},
	{Cache, "cache", TierCache, "an in-memory store: cache-aside, read-through, write-through, write-behind or session store"},
	{Queue, "queue", TierAsync, "a message queue, point-to-point or pub/sub, optionally with a dead-letter queue"},
	{Worker, "worker", TierAsync, "a long-running consumer that takes jobs from a queue"},
	{Cron, "cron job", TierAsync, "a job that runs on a schedule, often to drain a queue"},
	{Database, "database", TierData, "a database: a primary, a read replica of another, optionally sharded"},
	{ObjectStorage, "object storage", TierData, "a blob store for uploads and static assets"},
	{AuthStore, "auth store", TierData, "the credential store: password hashes and salts, kept apart from user profiles"},
	{External, "external provider", TierExternal, "a third-party API, such as a transactional email provider or a payment processor"},
}

// Info returns what is known about k; ok is false for an unknown kind.
func (k Kind) Info() (KindInfo, bool) {
	for _, ki := range Kinds {
		if ki.Kind == k {
			return ki, true
		}
	}
	return KindInfo{}, false
}

// Title is the kind's name for people, e.g. "load balancer".
func (k Kind) Title() string {
	if ki, ok := k.Info(); ok {
		return ki.Title
	}
	return string(k)
}

// Tier is the tier components of kind k are drawn in.
func (k Kind) Tier() Tier {
	ki, _ := k.Info()
	return ki.Tier
}

// IsEntry reports whether requests start at components of kind k.
func (k Kind) IsEntry() bool { return k == Client }

// IsProxy reports whether k forwards requests to a pool (load balancers,
// reverse proxies).
func (k Kind) IsProxy() bool { return k == LoadBalancer || k == Webserver }

// IsConsumer reports whether k takes jobs off queues.
func (k Kind) IsConsumer() bool { return k == Worker || k == Cron }

// IsStore reports whether k keeps data that must survive (databases, object
// storage, auth stores).
func (k Kind) IsStore() bool { return slices.Contains(storeKinds, k) }

// storeKinds hold data that outlives a request.
var storeKinds = []Kind{Database, ObjectStorage, AuthStore}
