package rules

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/archdiag/archdiag/model"
)

// maxNames is how many names a message lists before "and N more".
const maxNames = 5

// quoted returns "'a'", "'a' and 'b'", "'a', 'b' and 'c'", and at most
// maxNames names followed by "and N more".
func quoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "'" + n + "'"
	}
	return listAnd(q)
}

// listAnd joins phrases as "a, b and c", at most maxNames of them followed
// by "and N more".
func listAnd(items []string) string {
	shown := items[:min(len(items), maxNames)]
	if rest := len(items) - len(shown); rest > 0 {
		return strings.Join(shown, ", ") + " and " + strconv.Itoa(rest) + " more"
	}
	if len(shown) <= 1 {
		return strings.Join(shown, "")
	}
	return strings.Join(shown[:len(shown)-1], ", ") + " and " + shown[len(shown)-1]
}

// ids returns the components' ids, dropping repeats.
func ids(cs []*model.Component) []string {
	var out []string
	seen := map[*model.Component]bool{}
	for _, c := range cs {
		if !seen[c] {
			seen[c] = true
			out = append(out, c.ID)
		}
	}
	return out
}

// callerIDs returns the ids of the calls' sources, dropping repeats.
func callerIDs(calls []*model.Call) []string {
	cs := make([]*model.Component, len(calls))
	for i, call := range calls {
		cs[i] = call.From
	}
	return ids(cs)
}

// flowNames returns the flows' names.
func flowNames(fs []*model.Flow) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name
	}
	return out
}

// named is "app server 'app'".
func named(c *model.Component) string { return c.Kind.Val.Title() + " '" + c.ID + "'" }

// percent formats a share as a whole percentage: 0.8 → "80%".
func percent(x float64) string {
	return model.Rate(math.Round(x*100)) + "%"
}

// ms formats milliseconds with thousands separators: "5,000 ms".
func ms(n int) string { return model.Rate(float64(n)) + " ms" }

// seconds describes a duration in seconds for people: "45 s", "51 min", "3.2 h".
func seconds(s float64) string {
	switch {
	case s < 120:
		return fmt.Sprintf("%.0f s", s)
	case s < 2*3600:
		return fmt.Sprintf("%.0f min", s/60)
	default:
		return strconv.FormatFloat(math.Round(s/360)/10, 'f', -1, 64) + " h"
	}
}

// didYouMean returns ` (did you mean "x"?)` for the rule id closest to id,
// or "".
func didYouMean(id string) string {
	all := All()
	names := make([]string, len(all))
	for i, r := range all {
		names[i] = r.ID
	}
	if s := model.Suggest(id, names); s != "" {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return `; "archdiag rules" lists the rule ids`
}
