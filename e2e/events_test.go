//go:build e2e

package e2e

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/chromedp/chromedp"
)

// eventLD is the part of an event page's schema.org Event the test reads.
type eventLD struct {
	Type      string `json:"@type"`
	Name      string `json:"name"`
	URL       string `json:"url"`
	StartDate string `json:"startDate"`
	EndDate   string `json:"endDate"`
	Status    string `json:"eventStatus"`
	Mode      string `json:"eventAttendanceMode"`
	Location  []struct {
		Type string `json:"@type"`
		Name string `json:"name"`
		URL  string `json:"url"`
	} `json:"location"`
}

// TestEvents has an editor announce, through the article form in Chromium, an event that
// ended an hour ago; a reader finds it among the past events and not among the upcoming ones,
// and, on a phone and on a desktop, opens an upcoming event whose JSON-LD Event agrees with
// its iCalendar entry, both the one of "Add to calendar" and the one of the site's feed.
func TestEvents(t *testing.T) {
	s := startSite(t)
	s.addUser(t, "evelyn.editor@example.edu", "Evelyn Editor", "editor", staffPassword)
	browser := newBrowser(t)

	const ended = "Evening Seminar on Tidal Energy"
	ed := newTab(t, browser, s, desktopWidth)
	login(t, ed, "evelyn.editor@example.edu", staffPassword)
	ed.open("/editor/articles/new")
	fillArticle(t, ed, draft{Title: ended, Summary: "Engineers on the tidal lagoon planned for the estuary.",
		Body:    "A seminar of the Centre for Coastal Engineering.\n\nQuestions from the audience followed.",
		Section: "News & Events", Category: "Events"})
	start, end := time.Now().UTC().Add(-3*time.Hour), time.Now().UTC().Add(-time.Hour)
	ed.do("open the event's fields", press(ed, chromedp.CSS(".event-fields > summary")),
		chromedp.WaitVisible(chromedp.ID("event_venue")))
	ed.do("fill in the event",
		chromedp.SetValue(chromedp.ID("event_start"), start.Format("2006-01-02")),
		chromedp.SetValue(chromedp.ID("event_start_time"), start.Format("15:04")),
		chromedp.SetValue(chromedp.ID("event_end"), end.Format("2006-01-02")),
		chromedp.SetValue(chromedp.ID("event_end_time"), end.Format("15:04")),
		chromedp.SetValue(chromedp.ID("event_time_zone"), "UTC"),
		chromedp.SendKeys(chromedp.ID("event_venue"), "Harbour Room, Coastal Centre"))
	ed.shot("article-form-event")
	asked := answerDialogs(ed, true)
	saveArticle(t, ed, "confirm-publish")
	<-asked
	wantFlash(t, ed, "Published")
	if got := evalIn[string](ed, `document.getElementById("event_venue").value`); got != "Harbour Room, Coastal Centre" {
		t.Errorf("the saved form shows the venue %q", got)
	}

	for _, width := range []int64{phoneWidth, desktopWidth} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			tb := newTab(t, browser, s, width)
			checkEventLists(t, tb, ended)
			checkEventPage(t, tb)
		})
	}
	t.Run("all-day", func(t *testing.T) { checkAllDayEvent(t, newTab(t, browser, s, desktopWidth)) })
}

// checkEventLists requires ended to be the latest past event and no upcoming one, and the
// upcoming events to come under month headings in date order.
func checkEventLists(t *testing.T, tb *tab, ended string) {
	tb.open("/events")
	if titles := tb.texts(".event-list .event-title a"); len(titles) < 3 || slices.Contains(titles, ended) {
		t.Errorf("/events lists %q; want some upcoming events, and not %q, which has ended", titles, ended)
	}
	months := evalIn[[]string](tb, `[...document.querySelectorAll(".event-month h2")].map(h => h.id)`)
	var last string
	for _, id := range months {
		if !regexp.MustCompile(`^(now-on|month-\d{4}-\d{2})$`).MatchString(id) || id != "now-on" && id <= last {
			t.Errorf("/events: month headings %q are not in date order", months)
			break
		}
		if id != "now-on" {
			last = id
		}
	}
	if got := tb.text("main h1"); got != "Upcoming events" {
		t.Errorf("/events heading %q", got)
	}
	tb.shot("events")
	tb.noSideScroll("/events")

	if got := follow(tb, "the past events link", byText(".events-links a", "Past events")); got != "/events/past" {
		t.Fatalf("the past events link led to %s", got)
	}
	if titles := tb.texts(".event-list .event-title a"); len(titles) == 0 || titles[0] != ended {
		t.Errorf("/events/past lists %q first, want %q, the event that ended last", titles, ended)
	}
	tb.noSideScroll("/events/past")
}

// checkEventPage opens the first upcoming event and compares its JSON-LD with its iCalendar
// entries.
func checkEventPage(t *testing.T, tb *tab) {
	tb.open("/events")
	path := follow(tb, "the first upcoming event", chromedp.CSS(".event-list .event-title a"))
	id := regexp.MustCompile(`/(\d+)/[a-z0-9-]+$`).FindStringSubmatch(path)
	if id == nil {
		t.Fatalf("the first event is at %s, not an article", path)
	}
	if got := tb.text(".event-box h2"); !strings.EqualFold(got, "When and where") {
		t.Errorf("the event's page has no When and where box (%q)", got)
	}
	tb.shot("event")
	tb.noSideScroll("an event's page")

	ld := evalIn[eventLD](tb, `[...document.querySelectorAll('script[type="application/ld+json"]')]
		.map(s => JSON.parse(s.textContent)).find(d => d["@type"] === "Event") || {}`)
	title, canonical := tb.text("main h1"), evalIn[string](tb, `document.querySelector('link[rel=canonical]').href`)
	if ld.Type != "Event" || ld.Name != title || ld.URL != canonical || ld.Status != "https://schema.org/EventScheduled" ||
		!strings.HasPrefix(ld.Mode, "https://schema.org/") || len(ld.Location) == 0 {
		t.Fatalf("the Event JSON-LD of %s: %+v (title %q, canonical %s)", path, ld, title, canonical)
	}
	from, err1 := time.Parse(time.RFC3339, ld.StartDate)
	to, err2 := time.Parse(time.RFC3339, ld.EndDate)
	if err1 != nil || err2 != nil || !to.After(from) || !to.After(time.Now()) {
		t.Fatalf("the Event's dates %s – %s: not an upcoming timed event (%v, %v)", ld.StartDate, ld.EndDate, err1, err2)
	}

	add := evalIn[string](tb, `(document.querySelector('.event-actions a[type="text/calendar"]') || {}).pathname || ""`)
	if add != "/events/"+id[1]+".ics" {
		t.Fatalf("Add to calendar leads to %q", add)
	}
	uid := "event-" + id[1] + "@127.0.0.1"
	for _, file := range []string{add, "/events.ics"} {
		cal := fetchCalendar(t, tb, file)
		var ev *ics.VEvent
		for _, e := range cal.Events() {
			if e.Id() == uid {
				ev = e
			}
		}
		if ev == nil || file == add && len(cal.Events()) != 1 {
			t.Errorf("%s: no single entry %s among %d", file, uid, len(cal.Events()))
			continue
		}
		dtstart := ev.GetProperty(ics.ComponentPropertyDtStart)
		if tz := dtstart.ICalParameters["TZID"]; len(tz) != 1 || tz[0] != "Europe/London" {
			t.Errorf("%s: DTSTART %s without the event's time zone: %v", file, dtstart.Value, dtstart.ICalParameters)
		}
		if at, err := ev.GetStartAt(); err != nil || !at.Equal(from) {
			t.Errorf("%s: DTSTART is %v (%v), the JSON-LD says %v", file, at, err, from)
		}
		if at, err := ev.GetEndAt(); err != nil || !at.Equal(to) {
			t.Errorf("%s: DTEND is %v (%v), the JSON-LD says %v", file, at, err, to)
		}
		if p := ev.GetProperty(ics.ComponentPropertySummary); p == nil || ics.FromText(p.Value) != title {
			t.Errorf("%s: SUMMARY %v, want %q", file, p, title)
		}
		if p := ev.GetProperty(ics.ComponentPropertyUrl); p == nil || p.Value != canonical {
			t.Errorf("%s: URL %v, want %s", file, p, canonical)
		}
		if len(cal.Timezones()) == 0 {
			t.Errorf("%s: no VTIMEZONE for its TZID", file)
		}
	}
}

// checkAllDayEvent opens the demo's all-day showcase: its JSON-LD gives days, its iCalendar
// entry DATE values with DTEND the day after the last.
func checkAllDayEvent(t *testing.T, tb *tab) {
	tb.open("/events")
	follow(tb, "the showcase", byText(".event-title a", "Graduate Research Showcase: Three Days of Open Labs"))
	ld := evalIn[eventLD](tb, `[...document.querySelectorAll('script[type="application/ld+json"]')]
		.map(s => JSON.parse(s.textContent)).find(d => d["@type"] === "Event") || {}`)
	first, err1 := time.Parse(time.DateOnly, ld.StartDate)
	last, err2 := time.Parse(time.DateOnly, ld.EndDate)
	if err1 != nil || err2 != nil || !last.After(first) {
		t.Fatalf("the showcase's JSON-LD dates %q – %q are not days", ld.StartDate, ld.EndDate)
	}
	add := evalIn[string](tb, `document.querySelector('.event-actions a[type="text/calendar"]').pathname`)
	cal := fetchCalendar(t, tb, add)
	if len(cal.Events()) != 1 {
		t.Fatalf("%s: %d events", add, len(cal.Events()))
	}
	ev := cal.Events()[0]
	for p, want := range map[ics.ComponentProperty]string{
		ics.ComponentPropertyDtStart: first.Format("20060102"),
		ics.ComponentPropertyDtEnd:   last.AddDate(0, 0, 1).Format("20060102"),
	} {
		prop := ev.GetProperty(p)
		if prop == nil || prop.Value != want || strings.Join(prop.ICalParameters["VALUE"], "") != "DATE" {
			t.Errorf("%s: %s = %+v, want the DATE %s", add, p, prop, want)
		}
	}
}

// fetchCalendar fetches path from the page open in tb, as the browser would download it, and
// parses it.
func fetchCalendar(t *testing.T, tb *tab, path string) *ics.Calendar {
	t.Helper()
	got := evalAwait[[]string](tb, fmt.Sprintf(`fetch(%s).then(async r => [String(r.status), r.headers.get("Content-Type"), await r.text()])`,
		jsString(path)))
	if got[0] != "200" || got[1] != "text/calendar; charset=utf-8" {
		t.Fatalf("GET %s: status %s, type %s", path, got[0], got[1])
	}
	cal, err := ics.ParseCalendar(strings.NewReader(got[2]))
	if err != nil {
		t.Fatalf("%s does not parse as iCalendar: %v\n%s", path, err, got[2])
	}
	return cal
}

// eventURL is the address of the first upcoming event, for the accessibility sweep.
func eventURL(t *testing.T, s *site) string {
	t.Helper()
	return firstLink(t, s, "/events", `/[a-z0-9-]+/[a-z0-9-]+/\d+/[a-z0-9-]+`)
}
