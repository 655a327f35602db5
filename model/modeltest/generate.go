// Package modeltest generates models for benchmarks and tests.
package modeltest

import (
	"fmt"
	"strings"
)

// groupTemplate is one service group of eight components; %[1]d is the
// group's number.
const groupTemplate = `  lb-%[1]d:
    kind: load_balancer
    instances: 2
    health_check: { path: /healthz }
    calls: [app-%[1]d]
  app-%[1]d:
    kind: app
    label: App %[1]d
    autoscale: { min: 2, max: 8 }
    capacity: { rps_per_instance: 400 }
    state: { sessions: token }
    calls:
      - { to: cache-%[1]d, op: read, timeout_ms: 20 }
      - { to: db-%[1]d, op: write, timeout_ms: 200 }
      - { to: replica-%[1]d, op: read, timeout_ms: 200 }
      - { to: queue-%[1]d, label: job }
  cache-%[1]d:
    kind: cache
    pattern: cache-aside
    instances: 2
    ttl_s: 300
    hit_ratio: 0.8
  db-%[1]d:
    kind: database
    role: primary
    failover: { mode: automatic, standby: replica-%[1]d }
    capacity: { read_qps: 5000, write_qps: 1000 }
  replica-%[1]d:
    kind: database
    replica_of: db-%[1]d
  queue-%[1]d:
    kind: queue
    managed: true
    dead_letter: dlq-%[1]d
    max_receive_count: 5
  dlq-%[1]d:
    kind: queue
    managed: true
    alerts: [{ when: depth > 0, notify: "#ops" }]
  worker-%[1]d:
    kind: worker
    instances: 2
    concurrency: 4
    service_time_ms: 100
    idempotent: true
    calls:
      - queue-%[1]d
      - { to: db-%[1]d, op: write, timeout_ms: 200 }
`

// GroupSize is the number of components in one generated service group.
const GroupSize = 8

// Generate returns a valid model with n components (n ≥ 1): a client in
// front of (n-1)/8 service groups (load balancer, app, cache, primary and
// replica, queue with dead-letter queue, worker; about 1.3 calls per
// component), padded with standalone object stores, and one flow.
func Generate(n int) []byte {
	groups := (n - 1) / GroupSize
	extra := n - 1 - groups*GroupSize
	var b strings.Builder
	b.WriteString("archdiag: 1\nname: generated\ndescription: A generated model for benchmarks.\n")
	b.WriteString("traffic: { baseline_rps: 1000, peak_multiplier: 3, read_write_ratio: \"9:1\" }\n")
	b.WriteString("components:\n  users:\n    kind: client\n    calls: [")
	for g := 0; g < groups; g++ {
		if g > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "lb-%d", g)
	}
	b.WriteString("]\n")
	for g := 0; g < groups; g++ {
		fmt.Fprintf(&b, groupTemplate, g)
	}
	for i := 0; i < extra; i++ {
		fmt.Fprintf(&b, "  store-%d:\n    kind: object_storage\n    managed: true\n", i)
	}
	if groups > 0 {
		b.WriteString("flows:\n  request:\n    steps:\n      - { from: users, to: lb-0, action: sends a request }\n      - { from: lb-0, to: app-0, action: forwards it }\n")
	}
	return []byte(b.String())
}
