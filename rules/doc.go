// Package rules lints an architecture model for risk: single points of
// failure found as a graph property, state kept where it cannot scale, queues
// without consumers or dead-letter queues, slow calls on the request path,
// capacity below the stated peak, and more.
//
// A rule is a value (Rule) listed in an explicit registry (All). Run applies
// the enabled rules to a model and returns sorted, de-duplicated findings;
// suppressions written in the model (a component's ignore list) mark
// findings as suppressed instead of dropping them. Config holds the
// .archdiag.yaml settings, and the Write functions print a Report as text,
// JSON, SARIF 2.1.0 or GitHub workflow commands.
package rules
