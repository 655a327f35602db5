package model

import (
	"testing"
	"time"
)

func TestScheduleWords(t *testing.T) {
	for _, c := range []struct{ spec, words string }{
		{"0 9 * * 1-5", "At 09:00, Monday through Friday"},
		{"30 2 1 * *", "At 02:30 on day 1 of the month"},
		{"* * * * *", "Every minute"},
		{"0 */2 * * *", "At minute 0 past every 2nd hour"},
		{"*/5 * * * *", "Every 5 minutes"},
		{"15 * * * *", "At minute 15 past every hour"},
		{"0,30 * * * *", "At minutes 0 and 30"},
		{"0 9,17 * * *", "At 09:00 and 17:00"},
		{"0 0,12 1 */2 *", "At 00:00 and 12:00 on day 1 of the month, every 2nd month"},
		{"23 0-20/2 * * *", "At minute 23 past every 2nd hour from 0 through 20"},
		{"5 4 * * sun", "At 04:05, only on Sunday"},
		{"0 0 * * 1,3,5", "At 00:00, only on Monday, Wednesday and Friday"},
		{"0 4 8-14 * *", "At 04:00 on days 8 through 14 of the month"},
		{"0 0 1,15 * 3", "At 00:00 on days 1 and 15 of the month, and on Wednesday"},
		{"0 0 1-31 * 1", "At 00:00"}, // either field matching is enough, and day of month always does
		{"0 0 * jan,feb *", "At 00:00, only in January and February"},
		{"0 0 * 6-8 *", "At 00:00, June through August"},
		{"*/10 9-17 * * *", "Every 10 minutes past every hour from 9 through 17"},
		{"0 22 * * 1-5", "At 22:00, Monday through Friday"},
		{"* 3 * * *", "Every minute past hour 3"},
		{"@hourly", "Every hour"},
		{"@daily", "At 00:00"},
		{"@midnight", "At 00:00"},
		{"@weekly", "At 00:00, only on Sunday"},
		{"@monthly", "At 00:00 on day 1 of the month"},
		{"@yearly", "At 00:00 on day 1 of the month, only in January"},
		{"@every 5m", "Every 5 minutes"},
		{"@every 1h30m", "Every 90 minutes"},
		{"@every 1h", "Every hour"},
		{"@every 0s", "Every second"}, // cron raises it to a second
	} {
		s, err := ParseSchedule(c.spec)
		if err != nil {
			t.Errorf("%q: %v", c.spec, err)
			continue
		}
		if got := s.Words(); got != c.words {
			t.Errorf("%q: got %q, want %q", c.spec, got, c.words)
		}
	}
	if _, err := ParseSchedule("61 * * * *"); err == nil {
		t.Error("minute 61 should not parse")
	}
}

func TestScheduleGaps(t *testing.T) {
	const day = 24 * time.Hour
	for _, c := range []struct {
		spec               string
		short, long, avg   time.Duration
		regular, neverRuns bool
	}{
		{spec: "* * * * *", short: time.Minute, long: time.Minute, avg: time.Minute, regular: true},
		{spec: "*/15 * * * *", short: 15 * time.Minute, long: 15 * time.Minute, avg: 15 * time.Minute, regular: true},
		{spec: "0 0 * * *", short: day, long: day, avg: day, regular: true},
		// Friday 09:00 to Monday 09:00 is the longest wait; five runs a week.
		{spec: "0 9 * * 1-5", short: day, long: 3 * day, avg: 7 * day / 5},
		{spec: "0 9,17 * * *", short: 8 * time.Hour, long: 16 * time.Hour, avg: 12 * time.Hour},
		// February to March is the shortest month gap, July to August or
		// December to January (31 days) the longest.
		{spec: "30 2 1 * *", short: 28 * day, long: 31 * day, avg: (28*365 + 7) * day / (28 * 12)},
		{spec: "@every 90s", short: 90 * time.Second, long: 90 * time.Second, avg: 90 * time.Second, regular: true},
		{spec: "0 0 29 2 *", short: (4*365 + 1) * day, long: (4*365 + 1) * day, avg: (4*365 + 1) * day, regular: true},
		{spec: "0 0 31 2 *", neverRuns: true},
	} {
		s, err := ParseSchedule(c.spec)
		if err != nil {
			t.Fatalf("%q: %v", c.spec, err)
		}
		if c.neverRuns {
			if s.Fires() {
				t.Errorf("%q should never fire", c.spec)
			}
			continue
		}
		if !s.Fires() || s.ShortestGap() != c.short || s.LongestGap() != c.long || s.AverageGap() != c.avg || s.Regular() != c.regular {
			t.Errorf("%q: fires %v, gaps %v / %v / avg %v, regular %v; want %v / %v / avg %v, regular %v",
				c.spec, s.Fires(), s.ShortestGap(), s.LongestGap(), s.AverageGap(), s.Regular(), c.short, c.long, c.avg, c.regular)
		}
	}
}

func BenchmarkParseSchedule(b *testing.B) {
	for b.Loop() {
		if _, err := ParseSchedule("0 9 * * 1-5"); err != nil {
			b.Fatal(err)
		}
	}
}

// The gaps cron actually runs by: descriptors, @every as robfig runs it
// (at least a second), time-zone prefixes, and schedules that never fire.
func TestScheduleShortestGap(t *testing.T) {
	for spec, want := range map[string]time.Duration{
		"* * * * *":             time.Minute,
		"*/5 * * * *":           5 * time.Minute,
		"0 9,17 * * *":          8 * time.Hour,
		"0 9 * * 1":             7 * 24 * time.Hour,
		"0 0 1 * *":             28 * 24 * time.Hour, // February in a common year
		"@hourly":               time.Hour,
		"@every 30s":            30 * time.Second,
		"@every 1ms":            time.Second,
		"CRON_TZ=UTC @every 2m": 2 * time.Minute,
	} {
		s, err := ParseSchedule(spec)
		if err != nil || !s.Fires() || s.ShortestGap() != want {
			t.Errorf("%q: shortest gap %v (err %v); want %v", spec, s.ShortestGap(), err, want)
		}
	}
	for _, never := range []string{"0 0 31 2 *"} {
		if s, err := ParseSchedule(never); err != nil || s.Fires() {
			t.Errorf("%q should parse and never fire", never)
		}
	}
}
