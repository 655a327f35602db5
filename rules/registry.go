package rules

// registry lists every rule, sorted by ID; TestRegistry keeps it so.
var registry = []*Rule{
	DualWrite,                // async/dual-write
	NoStatusField,            // async/no-status-field
	SlowCallOnRequestPath,    // async/slow-call-on-request-path
	AuthMissingSalt,          // auth/missing-salt
	AuthWeakPasswordHash,     // auth/weak-password-hash
	CacheNoExpiry,            // cache/no-expiry
	CacheReadThroughSPOF,     // cache/read-through-spof
	CapacityDBConnections,    // capacity/db-connections
	CapacityMissingNumbers,   // capacity/missing-numbers
	CapacityStorageGrowth,    // capacity/storage-growth
	CapacityUnderProvisioned, // capacity/under-provisioned
	CDNMisplaced,             // cdn/misplaced
	CronInvalidSchedule,      // cron/invalid-schedule
	CronSingleRunner,         // cron/single-runner
	DBNoFailover,             // db/no-failover
	DBReadAfterWriteLag,      // db/read-after-write-lag
	DBWriteToReplica,         // db/write-to-replica
	LBNoHealthCheck,          // lb/no-health-check
	LBSingleInstance,         // lb/single-instance
	UnreachableComponent,     // model/unreachable-component
	UnusedSuppression,        // model/unused-suppression
	QueueBacklogGrowth,       // queue/backlog-growth
	QueueDLQUnmonitored,      // queue/dlq-unmonitored
	QueueNoConsumer,          // queue/no-consumer
	QueueNoDLQ,               // queue/no-dlq
	QueueOrphanConsumer,      // queue/orphan-consumer
	RateLimitMissingAtEdge,   // ratelimit/missing-at-edge
	SyncFanout,               // resilience/sync-fanout
	Timeouts,                 // resilience/timeouts
	UnsafeRetry,              // resilience/unsafe-retry
	ShardHashModN,            // shard/hash-mod-n
	SharedHost,               // spof/shared-host
	SingleInstance,           // spof/single-instance
	SingleZone,               // spof/single-zone
	LocalSessions,            // state/local-sessions
	LocalUploads,             // state/local-uploads
	StickySessions,           // state/sticky-sessions
	SurgeNoAdmissionControl,  // surge/no-admission-control
}

// All returns every rule, sorted by ID. The slice is a copy.
func All() []*Rule { return append([]*Rule(nil), registry...) }

// Lookup returns the rule with the given ID, or nil.
func Lookup(id string) *Rule {
	for _, r := range registry {
		if r.ID == id {
			return r
		}
	}
	return nil
}
