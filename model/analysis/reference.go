package analysis

import (
	"github.com/archdiag/archdiag/model"
)

// A Reference is a documented rule of thumb that stands in for a capacity
// the model does not state. Figures that use one carry it, so every
// sentence that prints such a figure says what was assumed, and findings
// that rest on one are warnings at most.
type Reference struct {
	Kind   model.Kind
	Metric string  // the capacity field it stands in for, e.g. "write_qps"
	Value  float64 // per instance, node or shard
	Unit   string  // e.g. "writes/s"
	Noun   string  // what sustains it, e.g. "a relational primary"
	Source string  // where the rule of thumb is published
	// From says who set the value: "" for the documented default, else
	// where it was overridden ("the model" or the configuration file).
	From string
}

// Assumption is the sentence a figure that uses the reference prints, e.g.
// "assuming a relational primary sustains about 1,000 writes/s".
func (r *Reference) Assumption() string {
	verb := " sustains about "
	if r.Unit == "GB" {
		verb = " holds about "
	}
	s := "assuming " + r.Noun + verb + model.Rate(r.Value) + " " + r.Unit
	if r.From != "" {
		s += " (set in " + r.From + ")"
	}
	return s
}

// References are the documented rules of thumb, in the order the README lists them.
var References = []Reference{
	{Kind: model.Database, Metric: "read_qps", Value: 5000, Unit: "reads/s", Noun: "a relational database node",
		Source: "relational databases serve 2,000–10,000 reads/s per node (System Design Scaling Cheat Sheet, leadtechinterview.github.io); MySQL about 1,000 QPS per instance (systemdesigner.net, Rules of Thumb)"},
	{Kind: model.Database, Metric: "write_qps", Value: 1000, Unit: "writes/s", Noun: "a relational primary",
		Source: "a relational primary sustains 500–2,000 durable writes/s (System Design Scaling Cheat Sheet, leadtechinterview.github.io); 1,000–5,000 single-row writes/s with fsync (Back-of-the-Envelope Numbers Every System Designer Should Know, yiwei.us)"},
	{Kind: model.Database, Metric: "node_capacity_gb", Value: 1000, Unit: "GB", Noun: "one database node",
		Source: "shard when data outgrows about 500 GB–1 TB per node (System Design Scaling Cheat Sheet, leadtechinterview.github.io)"},
	{Kind: model.AuthStore, Metric: "node_capacity_gb", Value: 1000, Unit: "GB", Noun: "one database node",
		Source: "shard when data outgrows about 500 GB–1 TB per node (System Design Scaling Cheat Sheet, leadtechinterview.github.io)"},
	{Kind: model.Cache, Metric: "rps_per_instance", Value: 100000, Unit: "operations/s", Noun: "a cache node",
		Source: "Redis serves about 100,000 operations/s per instance without pipelining (redis.io, Redis benchmark; systemdesigner.net, Rules of Thumb)"},
	{Kind: model.Webserver, Metric: "rps_per_instance", Value: 10000, Unit: "requests/s", Noun: "a reverse proxy",
		Source: "NGINX serves tens of thousands of small requests/s per core (NGINX, Testing the Performance of NGINX and NGINX Plus Web Servers); 10,000 leaves room for TLS and proxying"},
}

// ReferenceSet is the rules of thumb in force for one analysis.
type ReferenceSet struct{ refs []Reference }

// DefaultReferences returns the documented rules of thumb.
func DefaultReferences() *ReferenceSet {
	return &ReferenceSet{refs: append([]Reference(nil), References...)}
}

// Override sets kind's metric to value, as set in from (a reference the
// documentation does not list is added, so a team can state, say, what its
// app servers sustain once for every model).
func (s *ReferenceSet) Override(kind model.Kind, metric string, value float64, from string) {
	for i := range s.refs {
		if s.refs[i].Kind == kind && s.refs[i].Metric == metric {
			s.refs[i].Value, s.refs[i].From = value, from
			return
		}
	}
	unit := map[string]string{"read_qps": "reads/s", "write_qps": "writes/s", "node_capacity_gb": "GB"}[metric]
	if unit == "" {
		unit = "requests/s"
	}
	s.refs = append(s.refs, Reference{Kind: kind, Metric: metric, Value: value, Unit: unit,
		Noun: model.Article(kind.Title()), From: from})
}

// Lookup returns the reference for kind's metric, or nil.
func (s *ReferenceSet) Lookup(kind model.Kind, metric string) *Reference {
	if s == nil {
		return nil
	}
	for i := range s.refs {
		if s.refs[i].Kind == kind && s.refs[i].Metric == metric {
			return &s.refs[i]
		}
	}
	return nil
}
