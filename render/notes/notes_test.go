package notes

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
)

func TestParseStyle(t *testing.T) {
	for _, s := range []Style{Interview, Study, All} {
		got, err := ParseStyle(s.String())
		if err != nil || got != s {
			t.Errorf("ParseStyle(%q) = %v, %v", s.String(), got, err)
		}
	}
	if _, err := ParseStyle("speaking"); err == nil || !strings.Contains(err.Error(), "interview, study, all") {
		t.Errorf("ParseStyle(speaking) error = %v, want the list of styles", err)
	}
	if _, err := Markdown(loadExample(t, "three-tier"), Options{Style: Style(9)}); err == nil {
		t.Error("an unknown style should be an error")
	}
}

func TestKeyMovement(t *testing.T) {
	// The figures in the reference: 4 → 5 moves 80% under hash mod n,
	// 10 → 11 moves 90.9%; an ideal consistent hash moves 1/(n+1).
	for _, c := range []struct {
		n              int
		mod, consisent float64
	}{{4, 0.8, 0.2}, {10, 10.0 / 11, 1.0 / 11}, {99, 0.99, 0.01}} {
		if got := hashModMoved(c.n); math.Abs(got-c.mod) > 1e-9 {
			t.Errorf("hashModMoved(%d) = %v, want %v", c.n, got, c.mod)
		}
		if got := consistentMoved(c.n); math.Abs(got-c.consisent) > 1e-9 {
			t.Errorf("consistentMoved(%d) = %v, want %v", c.n, got, c.consisent)
		}
	}
	// √((n−1)/(nv+1)) is 9.5% at n = 10, v = 100 and 6.7% at v = 200.
	if got := pct(vnodeSpread(10, 100)); got != "9.5%" {
		t.Errorf("spread at 10 nodes × 100 vnodes = %s, want 9.5%%", got)
	}
	if got := pct(vnodeSpread(10, 200)); got != "6.7%" {
		t.Errorf("spread at 10 nodes × 200 vnodes = %s, want 6.7%%", got)
	}
}

func TestSchedule(t *testing.T) {
	d := newDoc(loadExample(t, "three-tier"), Options{})
	for _, c := range []struct {
		spec, words string
	}{
		{"* * * * *", "every minute"},
		{"*/5 * * * *", "every 5 minutes"},
		{"@hourly", "every hour"},
		{"0 0 * * *", "at 00:00"},
		{"0 9,17 * * *", "at 09:00 and 17:00"},
		{"0 9 * * 1-5", "at 09:00, Monday through Friday"},
		{"30 2 1 * *", "at 02:30 on day 1 of the month"},
		{"61 * * * *", "a schedule that does not parse"},
		{"0 0 31 2 *", "a schedule that never fires"},
		{"@every 0s", "every second"}, // what cron does with it; lint reports it
		{"0 0 1 6 *", "at 00:00 on day 1 of the month, only in June"},
	} {
		if got := d.scheduleWords(c.spec); got != c.words {
			t.Errorf("scheduleWords(%q) = %q, want %q", c.spec, got, c.words)
		}
	}
	// Each schedule is parsed once per document.
	if a, b := d.schedule("0 9 * * 1-5"), d.schedule("0 9 * * 1-5"); a != b || a == nil {
		t.Errorf("the schedule was parsed twice or not at all: %p, %p", a, b)
	}
}

// A weekday job waits over the weekend: the wrap-up says the longest wait,
// and the schedule is described by its days, not as daily.
func TestWeekdayCron(t *testing.T) {
	m := edited(t, "signup-email", `schedule: "* * * * *"`, `schedule: "0 9 * * 1-5"`)
	md := notes(t, m, interview)
	if got := section(t, md, secWrapUp); !strings.Contains(got, "a job can wait up to 3 days before it starts") {
		t.Errorf("the wrap-up should give the weekend's wait:\n%s", got)
	}
	if got := section(t, md, secDesign); !strings.Contains(got, "(at 09:00, Monday through Friday)") || strings.Contains(got, "every day") {
		t.Errorf("the design should describe the weekdays:\n%s", got)
	}
}

func TestEscaping(t *testing.T) {
	for in, want := range map[string]string{
		"pending_email_outbound": "pending_email_outbound",
		"_private_":              `\_private\_`,
		"a *b* [c](d) <e> `f`":   "a \\*b\\* \\[c\\](d) \\<e> \\`f\\`",
		"R&D &amp; co":           `R\&D \&amp; co`,
		"#signup-alerts":         "#signup-alerts",
	} {
		if got := esc(in); got != want {
			t.Errorf("esc(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"# ops":      `\# ops`,
		"> quote":    `\> quote`,
		"- item":     `\- item`,
		"1. primary": `1\. primary`,
		"**bold**":   "**bold**",
		"2024 sales": "2024 sales",
	} {
		if got := safeStart(in); got != want {
			t.Errorf("safeStart(%q) = %q, want %q", in, got, want)
		}
	}
	if got := code("a `b` c"); got != "``a `b` c``" {
		t.Errorf("code with backticks = %q", got)
	}
}

// Names from the model that look like Markdown render as text: a label
// that opens with a heading marker does not become a heading.
func TestHostileNames(t *testing.T) {
	m := inlineModel(t, "hostile")
	for _, style := range []Style{Interview, Study} {
		md, err := Markdown(m, Options{Style: style})
		if err != nil {
			t.Fatal(err)
		}
		hs, _ := parse(t, md)
		checkLevels(t, hs)
		if !strings.HasPrefix(hs[0].text, "*bold* [link](x): ") {
			t.Errorf("title %q should hold the name literally", hs[0].text)
		}
		var html bytes.Buffer
		if err := goldmark.Convert(md, &html); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(html.String(), "<b>") || strings.Contains(html.String(), "<h1>not") {
			t.Errorf("markup from the model reached the HTML:\n%s", html.String())
		}
	}
}

// A model with no traffic and no flows still gets complete notes that say
// what is missing.
func TestSparseModel(t *testing.T) {
	m := inlineModel(t, "bare")
	md := notes(t, m, Options{Style: Interview})
	for _, want := range []string{
		"**bare** has no description or flows in the model",
		"The model declares no flows, so the functional requirements come from the components alone",
		"without a request rate there is no peak",
		"The model declares no flows. Walk one request end to end anyway",
		"The model does not say where sessions live",
		"Lint was not run",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("sparse notes lack %q", want)
		}
	}
	hs, _ := parse(t, []byte(md))
	checkLevels(t, hs)
}

func BenchmarkMarkdown(b *testing.B) {
	m := loadExample(b, "n-tier")
	for _, style := range []Style{Interview, Study} {
		b.Run(style.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Markdown(m, Options{Style: style}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkTerminal(b *testing.B) {
	md, err := Markdown(loadExample(b, "n-tier"), Options{Style: Interview})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Terminal(md, 100, true); err != nil {
			b.Fatal(err)
		}
	}
}
