package rules

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/archdiag/archdiag/model"
	"github.com/robfig/cron/v3"
)

// CronInvalidSchedule reports schedules that standard cron cannot parse,
// that never fire, or that do not run as often as written.
var CronInvalidSchedule = &Rule{
	ID:       "cron/invalid-schedule",
	Title:    "a cron schedule does not parse, never fires, or does not run as written",
	Severity: model.SeverityError,
	Doc: `A schedule that does not parse, or that matches no date, means the job
never runs. Cron dialects differ: Quartz and Spring put seconds first and
accept 'L', 'W' and '#'; some crontabs accept 7 for Sunday. archdiag reads
standard 5-field cron (minute, hour, day of month, month, day of week 0-6
from Sunday) and descriptors such as @hourly or @every 90m, with the same
parser as Kubernetes CronJobs (robfig/cron), which also reads '?' as '*'.

Trigger: the schedule fails to parse; the message says what the expression
means where it is valid (say, with seconds in Quartz) and how to write it.
Also an error when the schedule parses but matches no time in the next five
years, such as "0 0 31 2 *" (February has no day 31), and when @every has
an interval of zero or less, which cron silently runs every second. A
warning when @every asks for less than a second, or for a fraction of a
second on top of whole seconds: cron rounds the interval up to one second
and drops fractions, so the job runs at another rate than written. An info
finding when both day of month and day of week are restricted: cron then
runs when either matches, not when both do.

Example:

    email-cron:
      kind: cron
      schedule: "0 */5 * * * *"    # seconds first: write "*/5 * * * *"`,
	Fix: "Write the schedule as 5 standard fields (minute hour day-of-month month day-of-week) naming dates that exist, or a descriptor such as @hourly or @every 5m; check it with a cron translator.",
	Run: func(p *Pass) {
		for _, c := range p.Model.Components {
			if c.Kind.Val != model.Cron || !c.Schedule.Set() {
				continue
			}
			spec := c.Schedule.Val
			sched, err := cron.ParseStandard(spec)
			if err != nil {
				p.Reportf(c, c.Schedule.Pos, "schedule %q of '%s' does not parse as standard cron: %s", spec, c.ID, explainSchedule(spec, err))
				continue
			}
			if _, ok := sched.(cron.ConstantDelaySchedule); ok {
				checkEvery(p, c, spec)
				continue
			}
			f := strings.Fields(spec)
			if sched.Next(scheduleStart).IsZero() {
				p.Reportf(c, c.Schedule.Pos, "schedule %q of '%s' never fires: %s", spec, c.ID, neverFires(f))
				continue
			}
			if len(f) == 5 && restricted(f[2]) && restricted(f[4]) {
				p.Reportf(c, c.Schedule.Pos, "schedule %q of '%s' restricts both day of month (%s) and day of week (%s): cron runs when either matches, so it runs %s and also %s, not only when both match",
					spec, c.ID, f[2], f[4], "on "+dayOfMonth(f[2]), "on "+weekdays(f[4])).
					Severity(model.SeverityInfo)
			}
		}
	},
}

// scheduleStart is where the search for a schedule's next run starts: a
// fixed time keeps findings deterministic. robfig/cron searches five years
// from it, which always includes a 29 February.
var scheduleStart = time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC)

// neverFires says why a schedule that parses matches no date, and what to
// do about it.
func neverFires(f []string) string {
	if len(f) == 5 && restricted(f[2]) && f[3] != "*" && !restricted(f[4]) {
		months := listNames(f[3], monthNames, "month")
		return fmt.Sprintf("day of month %s never falls in %s, so the job never runs; pick days of the month that exist in %s", f[2], months, months)
	}
	return "no time in the next five years matches it, so the job never runs; check it with a cron translator"
}

// checkEvery reports an @every interval that cron does not run as written:
// robfig/cron runs intervals under a second every second, and drops the
// fraction of a second from longer ones.
func checkEvery(p *Pass, c *model.Component, spec string) {
	d, ok := everyInterval(spec)
	if !ok {
		return
	}
	switch {
	case d <= 0:
		p.Reportf(c, c.Schedule.Pos, "schedule %q of '%s' has an interval of %s: @every needs a positive duration, and cron silently runs this one every second; write the interval you mean, e.g. \"@every 5m\"", spec, c.ID, d)
	case d < time.Second:
		p.Reportf(c, c.Schedule.Pos, "schedule %q of '%s' asks for a run every %s, but cron rounds @every up to one second, so it runs once a second; for work more frequent than that, run an always-on worker", spec, c.ID, d).
			Severity(model.SeverityWarning)
	case d%time.Second != 0:
		p.Reportf(c, c.Schedule.Pos, "schedule %q of '%s' asks for a run every %s, but cron counts @every in whole seconds and drops the rest, so it runs every %s; write \"@every %s\" to say so", spec, c.ID, d, d.Truncate(time.Second), d.Truncate(time.Second)).
			Severity(model.SeverityWarning)
	}
}

// everyInterval returns the duration written after "@every", as robfig/cron
// reads it before rounding, skipping a TZ= or CRON_TZ= prefix.
func everyInterval(spec string) (time.Duration, bool) {
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		_, rest, ok := strings.Cut(spec, " ")
		if !ok {
			return 0, false
		}
		spec = strings.TrimSpace(rest)
	}
	text, ok := strings.CutPrefix(spec, "@every ")
	if !ok {
		return 0, false
	}
	d, err := time.ParseDuration(text)
	return d, err == nil
}

// explainSchedule says why spec failed to parse, what it means in the
// dialect where it is valid, and how to write it in standard cron.
func explainSchedule(spec string, err error) string {
	f := strings.Fields(spec)
	valid := func(fields []string) (string, bool) {
		s := strings.Join(fields, " ")
		_, err := cron.ParseStandard(s)
		return s, err == nil
	}
	switch {
	case strings.HasPrefix(spec, "@"):
		return err.Error() + "; descriptors are @yearly, @monthly, @weekly, @daily, @hourly and @every <duration>"
	case len(f) == 6 || (len(f) == 7 && (f[6] == "*" || f[6] == "?")):
		what := fmt.Sprintf("it has %d fields, seconds first (Quartz and Spring syntax)", len(f))
		if len(f) == 7 {
			what = "it has 7 fields, seconds first and year last (Quartz syntax)"
		}
		rest := dequartz(f[1:6])
		s, ok := valid(rest)
		switch {
		case !ok:
			return what + "; standard cron has 5: minute hour day-of-month month day-of-week"
		case f[0] == "0":
			return fmt.Sprintf("%s: there it runs %s; standard cron has 5 fields, so write %q", what, describe(rest), s)
		case strings.HasPrefix(f[0], "*/") && rest[0] == "*" && rest[1] == "*":
			return fmt.Sprintf("%s: there it runs every %s seconds, and standard cron runs at most once a minute; run a worker instead", what, f[0][2:])
		default:
			return fmt.Sprintf("%s: there it runs at second %s of each minute it matches, and standard cron runs at most once a minute; run a worker instead", what, f[0])
		}
	case len(f) != 5:
		return fmt.Sprintf("it has %s; standard cron has 5: minute hour day-of-month month day-of-week", model.Plural(len(f), "field"))
	}
	if strings.ContainsAny(f[2]+f[4], "LW#") {
		return "'L' (last), 'W' (nearest weekday) and '#' (nth weekday of the month) are Quartz extensions that standard cron does not have"
	}
	if dow, changed := sundaySeven(f[4]); changed {
		g := append(append([]string{}, f[:4]...), dow)
		if s, ok := valid(g); ok {
			return fmt.Sprintf("day of week 7 means Sunday in some crontabs, where it runs %s, but standard cron counts 0-6 from Sunday: write %q", describe(g), s)
		}
	}
	// Name the first field that fails on its own.
	names := []string{"minute", "hour", "day-of-month", "month", "day-of-week"}
	for i := range f {
		g := []string{"*", "*", "*", "*", "*"}
		g[i] = f[i]
		if _, err := cron.ParseStandard(strings.Join(g, " ")); err != nil {
			return fmt.Sprintf("%s field %q: %s", names[i], f[i], strings.TrimSuffix(err.Error(), ": "+f[i]))
		}
	}
	return err.Error()
}

// dequartz replaces '?' with '*', which standard cron also reads as '*'.
func dequartz(f []string) []string {
	out := make([]string, len(f))
	for i, s := range f {
		if s == "?" {
			s = "*"
		}
		out[i] = s
	}
	return out
}

// sundaySeven rewrites day-of-week 7 as 0.
func sundaySeven(dow string) (string, bool) {
	parts := strings.Split(dow, ",")
	changed := false
	for i, p := range parts {
		switch {
		case p == "7":
			parts[i], changed = "0", true
		case strings.HasSuffix(p, "-7") && !strings.Contains(p, "/"):
			parts[i], changed = strings.TrimSuffix(p, "-7")+"-6,0", true
		}
	}
	return strings.Join(parts, ","), changed
}

var dayNames = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

var monthNames = []string{"", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// describe puts a valid 5-field expression in words, e.g. "every 5
// minutes", "at 09:00 on Monday to Friday".
func describe(f []string) string {
	if len(f) != 5 {
		return strings.Join(f, " ")
	}
	f = dequartz(f)
	minute, hour, dom, mon, dow := f[0], f[1], f[2], f[3], f[4]
	var when string
	m, mOK := strconv.Atoi(minute)
	h, hOK := strconv.Atoi(hour)
	switch {
	case minute == "*" && hour == "*":
		when = "every minute"
	case strings.HasPrefix(minute, "*/") && hour == "*":
		when = "every " + minute[2:] + " minutes"
	case mOK == nil && hour == "*":
		when = fmt.Sprintf("at minute %d of every hour", m)
	case mOK == nil && hOK == nil:
		when = fmt.Sprintf("at %02d:%02d", h, m)
	case mOK == nil && strings.HasPrefix(hour, "*/"):
		when = fmt.Sprintf("every %s hours at minute %d", hour[2:], m)
	default:
		when = fmt.Sprintf("at minute %s of hour %s", minute, hour)
	}
	var days []string
	if restricted(dom) {
		days = append(days, "on "+dayOfMonth(dom))
	}
	if restricted(dow) {
		days = append(days, "on "+weekdays(dow))
	}
	if len(days) == 0 && !strings.HasPrefix(when, "every") {
		days = append(days, "every day")
	}
	s := when
	if len(days) > 0 {
		s += " " + strings.Join(days, " and ")
	}
	if mon != "*" {
		s += " in " + listNames(mon, monthNames, "month")
	}
	return s
}

// restricted reports whether a day field limits the days ("*" and "?" do
// not).
func restricted(field string) bool { return !strings.HasPrefix(field, "*") && field != "?" }

func dayOfMonth(dom string) string { return "day " + dom + " of the month" }

func weekdays(dow string) string { return listNames(dow, dayNames, "day of week") }

// listNames turns "1-5" into "Monday to Friday" and "1,3" into "Monday and
// Wednesday" using names; anything else is quoted as written.
func listNames(field string, names []string, unit string) string {
	name := func(s string) (string, bool) {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n >= len(names) || names[n] == "" {
			return "", false
		}
		return names[n], true
	}
	var parts []string
	for _, p := range strings.Split(field, ",") {
		if a, b, ok := strings.Cut(p, "-"); ok {
			na, okA := name(a)
			nb, okB := name(b)
			if okA && okB {
				parts = append(parts, na+" to "+nb)
				continue
			}
		}
		if n, ok := name(p); ok {
			parts = append(parts, n)
			continue
		}
		return unit + " " + field
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// CronSingleRunner reports cron jobs that run on one host, or on several
// without coordination.
var CronSingleRunner = &Rule{
	ID:       "cron/single-runner",
	Title:    "a cron job runs on one host, or on several that all fire",
	Severity: model.SeverityWarning,
	Doc: `A crontab on one machine has no failover: while that host is down no run
happens, and a queue it drains fills up (no activation emails). Running
the same crontab on several hosts fixes that and makes every run happen
once per host instead, unless the runs take a lock or elect a leader, or
the job is idempotent.

Trigger: a cron job that is not redundant (one instance, no automatic
failover, not managed) and not on a host that spof/shared-host reports
(that finding covers it), unless the model states no counts (the info of
spof/single-instance names it then); or one that can run two or more
instances, is not managed, takes no lock (lock: true) and is not
idempotent.

Example:

    email-cron:
      kind: cron
      schedule: "* * * * *"
      instances: 2
      lock: true            # one of the two runs each minute; either can fail`,
	Fix: "Run the job on a managed scheduler or on two hosts with a lock or leader election, keep it idempotent, or replace a queue-draining cron with always-on workers.",
	Run: func(p *Pass) {
		for _, c := range p.Model.Components {
			if c.Kind.Val != model.Cron || c.Managed.Val {
				continue
			}
			if !c.Redundant() {
				if !singleRunner(p.ix, c) || !p.ix.countJudged(p.Rule, c) {
					continue
				}
				effect := "its scheduled work does not happen"
				var drained []string
				for _, call := range c.Calls {
					if call.Op.Val.Consumes() {
						drained = append(drained, call.To.Name)
					}
				}
				if len(drained) > 0 {
					effect = "nothing drains " + quoted(drained) + " and messages wait"
				}
				p.Reportf(c, model.Pos{}, "cron job '%s' runs on one host (%s): while that host is down no run happens, so %s%s", c.ID, c.RedundancyText(), effect, flowClause(p.ix, c))
				continue
			}
			if n := c.MaxInstances(); n >= 2 && !c.Lock.Val && !c.Idempotent.Val {
				p.Reportf(c, model.Pos{}, "cron job '%s' runs on %d instances with no lock or leader election and is not idempotent: each scheduled run happens %d times", c.ID, n, n)
			}
		}
	},
}

// singleRunner reports whether c is a cron job on one host, not managed
// and not on a host that spof/shared-host reports.
func singleRunner(ix *index, c *model.Component) bool {
	return c.Kind.Val == model.Cron && !c.Managed.Val && !c.Redundant() && !ix.onReportedHost(c)
}
