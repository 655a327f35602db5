package rules

import (
	"github.com/archdiag/archdiag/model"
)

// ShardHashModN reports hash-mod sharding that is expected to grow.
var ShardHashModN = &Rule{
	ID:       "shard/hash-mod-n",
	Title:    "hash mod n sharding moves most keys when a shard is added",
	Severity: model.SeverityWarning,
	Doc: `With hash(key) mod n, a key stays on its shard after growing to n+1 shards
only when hash mod n equals hash mod (n+1), which holds for 1 key in n+1:
going from n to n+1 shards moves n/(n+1) of all keys (80% from 4 to 5,
91% from 10 to 11). Consistent hashing moves only the new shard's share,
about 1/(n+1). Doubling is the exception: mod 2n moves exactly half the
keys, the least any scheme can move when doubling.

Trigger: a database with shards.strategy hash-mod, at least two shards,
and growth other than none (the default is incremental). Info instead of a
warning with growth: doubling.

Example:

    orders-db:
      kind: database
      shards: { strategy: hash-mod, count: 4, key: order_id }   # 4 → 5 moves 80% of keys`,
	Fix: "Use consistent hashing with virtual nodes (or jump hash, or many fixed logical partitions mapped to shards) so that adding a shard moves only its share of the keys.",
	Run: func(p *Pass) {
		for _, c := range p.Model.Components {
			s := c.Shards
			if s == nil || s.Strategy.Val != model.HashMod || s.Growth.Val == "none" || s.Count.Val < 2 {
				continue
			}
			n := s.Count.Val
			pos := s.Strategy.Pos.Or(s.Pos)
			if s.Growth.Val == "doubling" {
				p.Reportf(c, pos, "'%s' maps keys to its %d shards with hash mod %d and grows by doubling: going to %d shards moves half the keys (50%%), the least any scheme moves when doubling, but each step must double the shards",
					c.ID, n, n, 2*n).Severity(model.SeverityInfo)
				continue
			}
			p.Reportf(c, pos, "'%s' maps keys to its %d shards with hash mod %d: adding shard %d moves %s of the keys (%d/%d), where consistent hashing moves about %s (1/%d)",
				c.ID, n, n, n+1, percent(float64(n)/float64(n+1)), n, n+1, percent(1/float64(n+1)), n+1)
		}
	},
}
