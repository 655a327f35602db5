package analysis

import "github.com/archdiag/archdiag/model"

// The format's volume, fan-out and own-rate fields, read in one place.

func fanout(call *model.Call) float64 { return call.Fanout() }

func rateRPS(c *model.Component) float64 {
	if c.RateRPS.Set() {
		return c.RateRPS.Val
	}
	return 0
}

// storageDeclared is a store's stated growth per day and retention.
func storageDeclared(c *model.Component) (perDay float64, retentionDays int) {
	if c.Storage == nil {
		return 0, 0
	}
	return c.Storage.GrowthGBPerDay.Val, c.Storage.RetentionDays.Val
}

func nodeCapacity(c *model.Component) float64 {
	if c.Storage == nil {
		return 0
	}
	return c.Storage.NodeCapacityGB.Val
}

func entityVolume(e *model.Entity) (recordBytes int, perWrite float64, retentionDays int) {
	perWrite = 1
	if e.RecordsPerWrite.Set() {
		perWrite = e.RecordsPerWrite.Val
	}
	return e.RecordBytes.Val, perWrite, e.RetentionDays.Val
}

// ApplyReferences sets the values of a reference_capacity block, as written
// in from, over s.
func ApplyReferences(s *ReferenceSet, r *model.ReferenceCapacity, from string) {
	if r == nil {
		return
	}
	for _, v := range r.Values {
		s.Override(v.Kind, v.Metric, v.Value.Val, from)
	}
}

func applyModelReferences(m *model.Model, s *ReferenceSet) {
	ApplyReferences(s, m.ReferenceCapacity, "the model")
}
