package model

import (
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// A Schedule is a parsed cron schedule with the gaps between its runs worked
// out once, so that every sentence and figure about it reads the same value.
type Schedule struct {
	Spec string

	spec  *cron.SpecSchedule // nil for @every
	every time.Duration      // @every, as cron runs it

	// fires is false when no date ever matches (day 31 of February).
	fires bool
	// The shortest, longest and average gap between two runs.
	min, max, avg time.Duration
}

// starBit is the bit robfig sets on a field written as * (or ?).
const starBit = 1 << 63

// cycleDays is 28 Gregorian years from 2024: weekdays and leap years repeat
// over it (no century year falls inside), so the gaps found over it are
// the gaps of every year this side of 2100.
const cycleDays = 28*365 + 7

// ParseSchedule parses a standard 5-field cron expression or a descriptor
// (@hourly, @every 5m) the way cron runs it.
func ParseSchedule(spec string) (*Schedule, error) {
	parsed, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, err
	}
	s := &Schedule{Spec: spec}
	switch p := parsed.(type) {
	case cron.ConstantDelaySchedule:
		s.every = p.Delay
		s.fires = true
		s.min, s.max, s.avg = p.Delay, p.Delay, p.Delay
	case *cron.SpecSchedule:
		s.spec = p
		s.gaps()
	}
	return s, nil
}

// Fires reports whether the schedule ever runs.
func (s *Schedule) Fires() bool { return s.fires }

// ShortestGap is the least time between two runs: what a run must finish
// within so that it never overlaps the next.
func (s *Schedule) ShortestGap() time.Duration { return s.min }

// LongestGap is the most time between two runs: the longest a job that just
// missed a run waits for the next.
func (s *Schedule) LongestGap() time.Duration { return s.max }

// AverageGap is the time the schedule spans divided by its runs.
func (s *Schedule) AverageGap() time.Duration { return s.avg }

// Regular reports whether every gap between runs is the same.
func (s *Schedule) Regular() bool { return s.fires && s.min == s.max }

// gaps finds the gaps between runs from the parsed fields: the times of day
// the schedule runs, and the days over one 28-year cycle.
func (s *Schedule) gaps() {
	var times []int // minutes after midnight, ascending
	for h := 0; h < 24; h++ {
		if s.spec.Hour&(1<<h) == 0 {
			continue
		}
		for m := 0; m < 60; m++ {
			if s.spec.Minute&(1<<m) != 0 {
				times = append(times, h*60+m)
			}
		}
	}
	if len(times) == 0 {
		return
	}
	const minute = time.Minute
	first, last := times[0], times[len(times)-1]
	s.min, s.max = -1, 0
	note := func(g int) {
		d := time.Duration(g) * minute
		if s.min < 0 || d < s.min {
			s.min = d
		}
		s.max = max(s.max, d)
	}
	for i := 1; i < len(times); i++ {
		note(times[i] - times[i-1])
	}
	if s.spec.Dom&starBit != 0 && s.spec.Month&starBit != 0 && s.spec.Dow&starBit != 0 {
		note(24*60 - last + first) // every day alike: the night's gap is the last
		s.fires = true
		s.avg = 24 * time.Hour / time.Duration(len(times))
		return
	}
	// Days since 2024-01-01, a Monday; each run day after the first adds the
	// gap from the last run of the day before.
	firstDay, prevDay, runDays := -1, -1, 0
	y, mon, dom, dow := 2024, 1, 1, 1
	for i := 0; i < cycleDays; i++ {
		if s.runsOn(mon, dom, dow) {
			if prevDay >= 0 {
				note((i-prevDay)*24*60 - last + first)
			} else {
				firstDay = i
			}
			prevDay = i
			runDays++
		}
		dow = (dow + 1) % 7
		if dom++; dom > daysIn(y, mon) {
			dom = 1
			if mon++; mon > 12 {
				mon, y = 1, y+1
			}
		}
	}
	if runDays == 0 {
		s.min, s.max = 0, 0
		return
	}
	note((firstDay+cycleDays-prevDay)*24*60 - last + first) // into the next cycle
	s.fires = true
	s.avg = time.Duration(cycleDays) * 24 * time.Hour / time.Duration(runDays*len(times))
}

// runsOn reports whether the schedule runs on a day (month 1-12, day of
// month 1-31, weekday 0-6 from Sunday), by cron's rule: when day of month
// and day of week are both restricted, either one matching is enough.
func (s *Schedule) runsOn(month, day, weekday int) bool {
	p := s.spec
	if p.Month&(1<<uint(month)) == 0 {
		return false
	}
	dom := p.Dom&(1<<uint(day)) != 0
	dow := p.Dow&(1<<uint(weekday)) != 0
	if p.Dom&starBit != 0 || p.Dow&starBit != 0 {
		return dom && dow
	}
	return dom || dow
}

// daysIn is the number of days in a month of a year between 1901 and 2099.
func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// Words says when the schedule runs, in the manner of cron.help: "At 09:00,
// Monday through Friday", "At 02:30 on day 1 of the month", "Every
// minute", "At minute 0 past every 2nd hour".
func (s *Schedule) Words() string {
	if s.spec == nil {
		return "Every " + strings.TrimPrefix(DurationWords(s.every), "1 ")
	}
	return s.timeWords() + s.dayWords() + s.monthWords()
}

// DurationWords says a duration in its largest whole unit: "1 minute",
// "90 minutes", "2 hours", "7 days".
func DurationWords(d time.Duration) string {
	n := int64(d / time.Second)
	switch {
	case n > 0 && n%86400 == 0:
		return Plural(int(n/86400), "day")
	case n > 0 && n%3600 == 0:
		return Plural(int(n/3600), "hour")
	case n > 0 && n%60 == 0:
		return Plural(int(n/60), "minute")
	}
	return Plural(int(n), "second")
}

// A field is the values one cron field allows, ascending, within lo..hi.
type field struct {
	vals   []int
	lo, hi int
}

func bitsField(bits uint64, lo, hi int) field {
	f := field{lo: lo, hi: hi}
	for v := lo; v <= hi; v++ {
		if bits&(1<<uint(v)) != 0 {
			f.vals = append(f.vals, v)
		}
	}
	return f
}

func (f field) all() bool { return len(f.vals) == f.hi-f.lo+1 }

// step returns k when three or more values rise by a step k > 1 (*/15,
// 0-20/2), else 0.
func (f field) step() int {
	if len(f.vals) < 3 {
		return 0
	}
	k := f.vals[1] - f.vals[0]
	if k < 2 {
		return 0
	}
	for i := 2; i < len(f.vals); i++ {
		if f.vals[i]-f.vals[i-1] != k {
			return 0
		}
	}
	return k
}

// whole reports whether a stepped field starts at its first value and goes
// as far as the field does, as */k writes it.
func (f field) whole() bool {
	return f.vals[0] == f.lo && f.vals[len(f.vals)-1]+f.step() > f.hi
}

// run reports whether the values are one range of three or more.
func (f field) run() bool {
	return len(f.vals) >= 3 && f.vals[len(f.vals)-1]-f.vals[0] == len(f.vals)-1
}

// list names the values: "1, 15 and 30", "8 through 14".
func (f field) list(name func(int) string) string {
	if f.run() {
		return name(f.vals[0]) + " through " + name(f.vals[len(f.vals)-1])
	}
	var out []string
	for _, v := range f.vals {
		out = append(out, name(v))
	}
	return andList(out)
}

func andList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// ordinal is n as an ordinal: 2nd, 3rd, 11th, 22nd.
func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

// everyNth is "every 2nd hour", or "every 2nd hour from 0 through 20" when
// the steps cover part of the field.
func (f field) everyNth(unit string) string {
	s := "every " + ordinal(f.step()) + " " + unit
	if !f.whole() {
		s += " from " + strconv.Itoa(f.vals[0]) + " through " + strconv.Itoa(f.vals[len(f.vals)-1])
	}
	return s
}

func clock(minutes int) string {
	return twoDigits(minutes/60) + ":" + twoDigits(minutes%60)
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// timeWords describes the minute and hour fields.
func (s *Schedule) timeWords() string {
	mins := bitsField(s.spec.Minute, 0, 59)
	hours := bitsField(s.spec.Hour, 0, 23)
	// A few exact times read best as times: "At 09:00 and 17:00".
	if !mins.all() && mins.step() == 0 && !mins.run() && !hours.all() && hours.step() == 0 && !hours.run() && len(mins.vals)*len(hours.vals) <= 4 {
		var at []string
		for _, h := range hours.vals {
			for _, m := range mins.vals {
				at = append(at, clock(h*60+m))
			}
		}
		return "At " + andList(at)
	}
	var m string
	switch {
	case mins.all():
		m = "Every minute"
	case mins.step() != 0 && mins.whole():
		m = "Every " + strconv.Itoa(mins.step()) + " minutes"
	case mins.step() != 0:
		m = "At " + mins.everyNth("minute")
	case len(mins.vals) == 1:
		if hours.all() && mins.vals[0] == 0 {
			return "Every hour"
		}
		m = "At minute " + strconv.Itoa(mins.vals[0])
	default:
		m = "At minutes " + mins.list(strconv.Itoa)
	}
	switch {
	case hours.all():
		if len(mins.vals) == 1 {
			return m + " past every hour"
		}
		return m
	case hours.step() != 0:
		return m + " past " + hours.everyNth("hour")
	case hours.run():
		return m + " past every hour from " + hours.list(strconv.Itoa)
	case len(hours.vals) == 1:
		return m + " past hour " + strconv.Itoa(hours.vals[0])
	}
	return m + " past hours " + hours.list(strconv.Itoa)
}

var weekdays = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}

func weekday(d int) string { return weekdays[d] }

// dayWords describes the day-of-month and day-of-week fields, which cron
// joins with "or" when both are restricted.
func (s *Schedule) dayWords() string {
	dom := bitsField(s.spec.Dom, 1, 31)
	dow := bitsField(s.spec.Dow, 0, 6)
	domSet := s.spec.Dom&starBit == 0 && !dom.all()
	dowSet := s.spec.Dow&starBit == 0 && !dow.all()
	if s.spec.Dom&starBit == 0 && s.spec.Dow&starBit == 0 && (dom.all() || dow.all()) {
		return "" // either matching is enough, and one always does
	}
	var days string
	if domSet {
		switch {
		case dom.step() != 0:
			days = " on " + dom.everyNth("day") + " of the month"
		case len(dom.vals) == 1:
			days = " on day " + strconv.Itoa(dom.vals[0]) + " of the month"
		default:
			days = " on days " + dom.list(strconv.Itoa) + " of the month"
		}
	}
	if !dowSet {
		return days
	}
	week := dow.list(weekday)
	switch {
	case domSet:
		return days + ", and on " + week
	case dow.run():
		return ", " + week
	}
	return ", only on " + week
}

var monthNames = [...]string{"", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

func monthName(m int) string { return monthNames[m] }

func (s *Schedule) monthWords() string {
	months := bitsField(s.spec.Month, 1, 12)
	switch {
	case months.all():
		return ""
	case months.step() != 0:
		return ", " + months.everyNth("month")
	case months.run():
		return ", " + months.list(monthName)
	}
	return ", only in " + months.list(monthName)
}
