package render

import "github.com/archdiag/archdiag/model"

// The visual vocabulary: one shape and one colour pair per kind (from the
// kind's descriptor, model.Kinds), the same in every diagram. Colours are
// 6-digit hex so exported DOT also works with older system Graphviz.

const (
	font = "Helvetica"

	inkColor   = "#263238" // names
	metaColor  = "#546E7A" // kind and facts under a name
	edgeColor  = "#546E7A" // plain calls, publish and consume
	readColor  = "#1565C0"
	writeColor = "#D84315"
	rwColor    = "#6A1B9A"
	replColor  = "#0277BD"
	dlqColor   = "#8D6E63"
	failColor  = "#78909C"

	errorColor     = "#D32F2F"
	errorInk       = "#B71C1C"
	warningColor   = "#FFA000"
	warningInk     = "#9A6700"
	flowBadgeColor = "#E65100"

	dimFill = "#FAFAFA"
	dimPen  = "#CFD8DC"
	dimInk  = "#9EA7AD"

	hostPen = "#78909C" // the dashed box around a host's components

	tierFill = "#F7F9FA"
	tierPen  = "#E3E8EB"
	tierInk  = "#78909C"
	titleInk = "#37474F"
)

type kindStyle struct {
	shape   string // Graphviz shape
	style   string // Graphviz node style
	fill    string
	pen     string
	mmOpen  string // Mermaid shape delimiters
	mmClose string
}

// styleOf is the kind's shape from its descriptor in the model.
func styleOf(k model.Kind) kindStyle {
	if ki, ok := k.Info(); ok {
		sh := ki.Shape
		return kindStyle{sh.Graphviz, sh.Style, sh.Fill, sh.Pen, sh.MermaidOpen, sh.MermaidClose}
	}
	return kindStyle{"box", "filled", "#FFFFFF", "#607D8B", `["`, `"]`}
}

// edgeKind classifies an edge for colour, line and legend.
type edgeKind int

const (
	edgeSync edgeKind = iota
	edgeAsync
	edgeRead
	edgeWrite
	edgeReadWrite
	edgeConsume
	edgeReplication
	edgeDeadLetter
	edgeFailover
	edgeOrigin
	numEdgeKinds
)

type edgeStyle struct {
	color  string
	style  string
	arrow  string
	legend string // what the legend says
	sample string // the legend's line drawing
}

var edgeStyles = [numEdgeKinds]edgeStyle{
	edgeSync:        {edgeColor, "solid", "normal", "sync call", "───▶"},
	edgeAsync:       {edgeColor, "dashed", "normal", "async (publish)", "╌╌╌▶"},
	edgeRead:        {readColor, "solid", "onormal", "read", "───▷"},
	edgeWrite:       {writeColor, "solid", "normal", "write", "━━━▶"},
	edgeReadWrite:   {rwColor, "solid", "normal", "read and write", "━━━▶"},
	edgeConsume:     {edgeColor, "dashed", "normal", "consume: from queue to consumer, the way messages flow", "╌╌╌▶"},
	edgeReplication: {replColor, "dotted", "normal", "replication to a read replica", "┈┈┈▶"},
	edgeDeadLetter:  {dlqColor, "dashed", "vee", "dead letters", "╌╌╌›"},
	edgeFailover:    {failColor, "dotted", "vee", "fails over to", "┈┈┈›"},
	edgeOrigin:      {edgeColor, "dotted", "normal", "CDN origin", "┈┈┈▶"},
}

// penWidth of each edge kind; writes are heavier so they read apart from
// reads without colour.
func (k edgeKind) penWidth() string {
	switch k {
	case edgeWrite, edgeReadWrite:
		return "1.8"
	}
	return "1.2"
}
