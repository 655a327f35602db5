package rules

import (
	"strings"

	"github.com/archdiag/archdiag/model"
)

// CacheReadThroughSPOF reports caches that every access has to pass.
var CacheReadThroughSPOF = &Rule{
	ID:       "cache/read-through-spof",
	Title:    "an inline cache is a hard dependency that carries every access",
	Severity: model.SeverityWarning,
	Doc: `A read-through (or write-through, write-behind) cache sits inline: it carries
every access, misses included, and when it fails the reads or writes fail
with it. A cache-aside cache is off the critical path: the application
reads the database when the cache is down. That is why cache-aside is
usually preferred: it is neither a bottleneck nor a single point of
failure.

Trigger: a cache with pattern read-through, write-through or write-behind
that some component calls with a hard dependency (synchronously, without a
fallback or degrade). Error when the cache is not redundant, so that it is
also a single point of failure; warning otherwise, and in a model that
states no counts, where the info of spof/single-instance names the cache.

Example:

    seat-cache:
      kind: cache
      pattern: read-through     # 1 instance; use cache-aside, or make it redundant`,
	Fix: "Use cache-aside with a database fallback and a short timeout on the cache call, or make the cache redundant (replicas with automatic failover) behind a circuit breaker.",
	Run: func(p *Pass) {
		for _, c := range p.Model.Components {
			hard := inlineHardCalls(p.ix, c)
			if len(hard) == 0 {
				continue
			}
			users := quoted(callerIDs(hard))
			var what string
			switch c.Pattern.Val {
			case model.ReadThrough:
				what = "every read by " + users + " goes through it, misses included"
			case model.WriteThrough:
				what = "every write by " + users + " goes through it on its way to the database"
			default:
				what = "every write by " + users + " goes through it and waits there until it is written back"
			}
			// Where counts are not stated, the cache is judged as the
			// inline hop it is, not as a single point of failure.
			judged := p.ix.countJudged(p.Rule, c)
			redundancy := ""
			if judged {
				redundancy = " (" + c.RedundancyText() + ")"
			}
			d := p.Reportf(c, c.Pattern.Pos, "'%s' is a %s cache%s: %s, so when it fails, so do they", c.ID, c.Pattern.Val, redundancy, what)
			if !c.Redundant() && judged {
				d.Severity(model.SeverityError)
			}
			for _, call := range hard {
				d.Related(call.Pos, "%s", call)
			}
		}
	},
}

// inlineHardCalls returns the hard dependencies on c when c is an inline
// cache (read-through, write-through or write-behind).
func inlineHardCalls(ix *index, c *model.Component) []*model.Call {
	if c.Kind.Val != model.Cache || !c.Pattern.Val.Inline() {
		return nil
	}
	var hard []*model.Call
	for _, call := range ix.callers(c) {
		if hardDependency(call) {
			hard = append(hard, call)
		}
	}
	return hard
}

// CacheNoExpiry reports caches without a TTL or without a memory bound and
// eviction policy.
var CacheNoExpiry = &Rule{
	ID:       "cache/no-expiry",
	Title:    "a cache has no expiry or no memory bound with eviction",
	Severity: model.SeverityWarning,
	Doc: `Cached data goes stale when the database changes; a time to live bounds how
stale it gets. Memory is limited too: without a bound and an eviction
policy such as LRU, a full cache fails writes (Redis's default policy is
noeviction) instead of dropping cold entries.

Trigger: a cache without ttl_s (for a session store: sessions never
expire); or a cache that is not a session store without max_memory_mb, or
without eviction, or with eviction noeviction. One finding per cache,
naming each of its gaps. When no cache in the model states any of ttl_s,
max_memory_mb or eviction, the model does not describe cache settings at
all: one info finding names the caches instead.

Example:

    product-cache:
      kind: cache
      ttl_s: 300
      max_memory_mb: 4096    # add eviction: allkeys-lru`,
	Fix: "Set ttl_s (with jitter), and bound the memory with max_memory_mb and an eviction policy such as allkeys-lru.",
	Run: func(p *Pass) {
		var caches []*model.Component
		stated := false
		for _, c := range p.Model.Components {
			if c.Kind.Val == model.Cache {
				caches = append(caches, c)
				stated = stated || c.TTLSeconds.Set() || c.MaxMemoryMB.Set() || c.Eviction.Set()
			}
		}
		if len(caches) == 0 {
			return
		}
		if !stated {
			drop := "they drop"
			if len(caches) == 1 {
				drop = "it drops"
			}
			p.Reportf(nil, model.Pos{}, "no cache in the model states ttl_s, max_memory_mb or eviction, so how stale %s may get and what %s when full is left open",
				quoted(ids(caches)), drop).Severity(model.SeverityInfo)
			return
		}
		for _, c := range caches {
			session := c.Pattern.Val == model.SessionStore
			var gaps []string
			pos := model.Pos{}
			if !c.TTLSeconds.Set() {
				if session {
					gaps = append(gaps, "sets no ttl_s: sessions never expire, so abandoned ones pile up and stolen ones stay valid")
				} else {
					gaps = append(gaps, "sets no ttl_s: entries stay until evicted, stale once the database changes")
				}
			}
			if !session {
				noBound := !c.MaxMemoryMB.Set()
				noEvict := !c.Eviction.Set() || c.Eviction.Val == "noeviction"
				evict := "no eviction policy"
				if c.Eviction.Set() {
					evict = "eviction noeviction"
				}
				switch {
				case noBound && noEvict:
					gaps = append(gaps, "has no max_memory_mb and "+evict+": its memory grows until the host runs out, and nothing drops cold entries")
				case noBound:
					gaps = append(gaps, "has no max_memory_mb: eviction "+c.Eviction.Val+" never starts, and its memory grows until the host runs out")
				case noEvict:
					gaps = append(gaps, "has "+evict+": once its "+model.Rate(float64(c.MaxMemoryMB.Val))+" MB fill, writes to it fail instead of evicting cold entries")
				}
				if noEvict && len(gaps) == 1 && c.TTLSeconds.Set() {
					pos = c.Eviction.Pos
				}
			}
			if len(gaps) == 0 {
				continue
			}
			what := "cache"
			if session {
				what = "session store"
			}
			p.Reportf(c, pos, "%s '%s' %s", what, c.ID, strings.Join(gaps, "; it also "))
		}
	},
}
