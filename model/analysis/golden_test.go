package analysis_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/archdiag/archdiag/model"
	"github.com/archdiag/archdiag/model/analysis"
	"github.com/archdiag/archdiag/model/modeltest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestGolden writes every figure of every example and corpus design, so
// that a change to the arithmetic shows in review as a diff of numbers.
func TestGolden(t *testing.T) {
	var files []string
	for _, pattern := range []string{"../../examples/*.yaml", "../../testdata/designs/*.yaml"} {
		found, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, found...)
	}
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		m, err := model.Load(filepath.Base(file), src)
		if err != nil {
			continue // the corpus test reports models that do not load
		}
		name := strings.TrimSuffix(filepath.Base(file), ".yaml")
		if strings.Contains(file, "designs") {
			name = "designs." + name
		}
		modeltest.Golden(t, filepath.Join("../../testdata/analysis", name+".txt"), []byte(dump(analysis.Analyze(m, analysis.Options{}))), *update)
	}
}

func dump(a *analysis.Analysis) string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("average: %s", a.Average)
	line("peak: %s", a.Peak)
	if a.Reads.Known() {
		line("reads: %s", a.Reads)
		line("writes: %s", a.Writes)
	}
	for _, f := range a.Facts {
		line("")
		line("%s (%s)", f.Component.ID, f.Component.Kind.Val)
		fig := func(name string, x analysis.Figure) {
			if x.Known() {
				s := x.String()
				if x.Assumed != nil {
					s += " [" + x.Assumed.Assumption() + "]"
				}
				line("  %s: %s", name, s)
			}
		}
		fig("peak", f.Peak.Total)
		fig("peak reads", f.Peak.Reads)
		fig("peak writes", f.Peak.Writes)
		fig("average", f.Average.Total)
		fig("capacity", f.Capacity)
		fig("write capacity", f.WriteCapacity)
		fig("capacity at minimum", f.MinCapacity)
		if f.Utilisation > 0 {
			line("  utilisation: %.3f", f.Utilisation)
		}
		if f.MinUtilisation > 0 {
			line("  utilisation at minimum: %.3f", f.MinUtilisation)
		}
		if f.Needed > 0 {
			line("  needed at %.0f%%: %d", analysis.TargetUtilisation*100, f.Needed)
		}
		fig("unserved", f.Unserved)
		if st := f.Storage; st != nil {
			fig("growth", st.PerDay)
			fig("after 1 year", st.Year1)
			fig("after 3 years", st.Year3)
			fig("node capacity", st.NodeCapacity)
		}
		for _, b := range f.Breaks {
			line("  breaks: %s (from step %d)", b.Flow.Name, b.Step.Number)
		}
	}
	for _, m := range a.Missing {
		line("missing: %s", m.Text)
	}
	return b.String()
}
