package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"campusnews/internal/news"
)

// eventsEnv is a test server with two sections, /campus (categories research and events) and
// /sport (category teams), and a way to publish events in them.
type eventsEnv struct {
	*editorEnv
	events, teams *news.Node
}

func newEventsEnv(t *testing.T) *eventsEnv {
	t.Helper()
	ee := newEditorEnv(t)
	ctx := context.Background()
	admin := news.Actor{UserID: 1, Email: "setup@example.edu", CanPublish: true, CanEditAny: true}
	campus := treeNode(t, ee.testEnv, "/campus")
	if _, err := ee.news.CreateCategory(ctx, admin, news.CategoryInput{Name: "Events", Slug: "events", ParentID: &campus.ID, Visible: true}); err != nil {
		t.Fatal(err)
	}
	sport, err := ee.news.CreateCategory(ctx, admin, news.CategoryInput{Name: "Sport", Slug: "sport", Visible: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ee.news.CreateCategory(ctx, admin, news.CategoryInput{Name: "Teams", Slug: "teams", ParentID: &sport.ID, Visible: true}); err != nil {
		t.Fatal(err)
	}
	return &eventsEnv{editorEnv: ee, events: treeNode(t, ee.testEnv, "/campus/events"), teams: treeNode(t, ee.testEnv, "/sport/teams")}
}

// publish creates and publishes an article announcing ev in category cat.
func (ev *eventsEnv) publish(cat *news.Node, title string, e *news.EventInput) *news.Article {
	ev.t.Helper()
	editor := news.Actor{UserID: ev.e.ID, Email: ev.e.Email, CanPublish: true, CanEditAny: true}
	a, err := ev.news.SaveAndStep(context.Background(), editor, 0, news.ArticleInput{Title: title, Summary: "About " + title,
		BodySource: "Text of " + title + ".", CategoryID: cat.ID, Event: e}, time.Time{}, news.StepPublish, nil)
	if err != nil {
		ev.t.Fatalf("publish %q: %v", title, err)
	}
	return a
}

func zoneOf(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// fixedLecture is a lecture far ahead on a known day: Tuesday 12 March 2030, 18:00–20:00 in
// Berlin, in the hall and online, with registration.
func fixedLecture(t testing.TB) *news.EventInput {
	berlin := zoneOf(t, "Europe/Berlin")
	return &news.EventInput{Start: time.Date(2030, 3, 12, 18, 0, 0, 0, berlin), End: time.Date(2030, 3, 12, 20, 0, 0, 0, berlin),
		TimeZone: "Europe/Berlin", Venue: "Great Hall", OnlineURL: "https://stream.example.edu/live",
		RegistrationURL: "https://example.edu/register"}
}

// fixedFair is an all-day fair of three days: 10 to 12 June 2030 in Auckland.
func fixedFair(t testing.TB) *news.EventInput {
	auckland := zoneOf(t, "Pacific/Auckland")
	return &news.EventInput{Start: time.Date(2030, 6, 10, 0, 0, 0, 0, auckland), End: time.Date(2030, 6, 12, 0, 0, 0, 0, auckland),
		AllDay: true, TimeZone: "Pacific/Auckland", Venue: "Sports Centre"}
}

func TestEventWhen(t *testing.T) {
	london, berlin, dubai := zoneOf(t, "Europe/London"), zoneOf(t, "Europe/Berlin"), zoneOf(t, "Asia/Dubai")
	stored := func(in *news.EventInput) *news.Event {
		// As the service stores it: all-day events end at the midnight after their last day.
		e := &news.Event{StartsAt: in.Start.UTC(), EndsAt: in.End.UTC(), AllDay: in.AllDay, TimeZone: in.TimeZone}
		if in.AllDay {
			l := in.End.In(zoneOf(t, in.TimeZone))
			e.EndsAt = time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, l.Location()).UTC()
		}
		return e
	}
	day := func(loc *time.Location, y int, m time.Month, d int) time.Time {
		return time.Date(y, m, d, 0, 0, 0, 0, loc)
	}
	tests := []struct {
		in   *news.EventInput
		want string
	}{
		{&news.EventInput{Start: time.Date(2026, 3, 12, 18, 0, 0, 0, berlin), End: time.Date(2026, 3, 12, 20, 0, 0, 0, berlin), TimeZone: "Europe/Berlin"},
			"Thursday 12 March 2026, 18:00–20:00 CET"},
		{&news.EventInput{Start: time.Date(2026, 7, 3, 22, 0, 0, 0, london), End: time.Date(2026, 7, 4, 2, 0, 0, 0, london), TimeZone: "Europe/London"},
			"Friday 3 July 2026, 22:00 – Saturday 4 July 2026, 02:00 BST"},
		{&news.EventInput{Start: time.Date(2026, 3, 29, 0, 30, 0, 0, london), End: time.Date(2026, 3, 29, 3, 0, 0, 0, london), TimeZone: "Europe/London"},
			"Sunday 29 March 2026, 00:30 GMT – 03:00 BST"},
		{&news.EventInput{Start: time.Date(2026, 10, 24, 20, 0, 0, 0, london), End: time.Date(2026, 10, 25, 9, 0, 0, 0, london), TimeZone: "Europe/London"},
			"Saturday 24 October 2026, 20:00 BST – Sunday 25 October 2026, 09:00 GMT"},
		{&news.EventInput{Start: time.Date(2026, 5, 1, 9, 0, 0, 0, dubai), End: time.Date(2026, 5, 1, 17, 0, 0, 0, dubai), TimeZone: "Asia/Dubai"},
			"Friday 1 May 2026, 09:00–17:00 UTC+04"},
		{&news.EventInput{Start: day(london, 2026, 6, 8), End: day(london, 2026, 6, 8), AllDay: true, TimeZone: "Europe/London"},
			"Monday 8 June 2026, all day"},
		{&news.EventInput{Start: day(london, 2019, 6, 8), End: day(london, 2019, 6, 10), AllDay: true, TimeZone: "Europe/London"},
			"Saturday 8 – Monday 10 June 2019"},
		{&news.EventInput{Start: day(london, 2026, 5, 30), End: day(london, 2026, 6, 1), AllDay: true, TimeZone: "Europe/London"},
			"Saturday 30 May – Monday 1 June 2026"},
		{&news.EventInput{Start: day(london, 2026, 12, 31), End: day(london, 2027, 1, 1), AllDay: true, TimeZone: "Europe/London"},
			"Thursday 31 December 2026 – Friday 1 January 2027"},
	}
	for _, tt := range tests {
		if got := eventWhen(stored(tt.in)); got != tt.want {
			t.Errorf("eventWhen = %q, want %q", got, tt.want)
		}
	}
}

// ldBlocks returns the JSON-LD documents of page, parsed.
func ldBlocks(t *testing.T, page string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, m := range regexp.MustCompile(`<script type="application/ld\+json">(.*?)</script>`).FindAllStringSubmatch(page, -1) {
		var doc map[string]any
		if err := json.Unmarshal([]byte(m[1]), &doc); err != nil {
			t.Fatalf("JSON-LD does not parse: %v\n%s", err, m[1])
		}
		out = append(out, doc)
	}
	return out
}

func TestEventArticlePage(t *testing.T) {
	ev := newEventsEnv(t)
	mid := ev.ed.mustUpload("The great hall")
	lecture := ev.publish(ev.events, "Lecture on water", fixedLecture(t))
	in := news.ArticleInput{Title: lecture.Title, Slug: lecture.Slug, Summary: lecture.Summary, BodySource: "Text.",
		CategoryID: lecture.CategoryID, CoverMediaID: &mid, Event: fixedLecture(t)}
	editor := news.Actor{UserID: ev.e.ID, CanPublish: true, CanEditAny: true}
	if _, err := ev.news.Update(context.Background(), editor, lecture.ID, in, time.Time{}); err != nil {
		t.Fatal(err)
	}
	fair := ev.publish(ev.events, "Sports fair", fixedFair(t))
	online := ev.publish(ev.events, "Webinar", &news.EventInput{Start: time.Date(2030, 1, 8, 12, 0, 0, 0, time.UTC),
		End: time.Date(2030, 1, 8, 13, 0, 0, 0, time.UTC), TimeZone: "UTC", OnlineURL: "https://meet.example.edu/w"})
	plain := ev.publish(ev.cat, "Plain news", nil)

	cl := ev.client()
	resp, body := cl.get(fmt.Sprintf("/campus/events/%d/%s", lecture.ID, lecture.Slug))
	mustStatus(t, resp, body, http.StatusOK)
	for _, want := range []string{
		`<h2 id="event-h">When and where</h2>`,
		`<dd>Tuesday 12 March 2030, 18:00–20:00 CET</dd>`,
		`<dd>Great Hall</dd>`,
		`<a href="https://stream.example.edu/live">stream.example.edu/live</a>`,
		`<a href="https://example.edu/register">example.edu/register</a>`,
		fmt.Sprintf(`<a class="button" href="/events/%d.ics" type="text/calendar">Add to calendar</a>`, lecture.ID),
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the event's page lacks %s", want)
		}
	}
	var event, article map[string]any
	for _, doc := range ldBlocks(t, body) {
		switch doc["@type"] {
		case "Event":
			event = doc
		case "NewsArticle":
			article = doc
		}
	}
	if event == nil || article == nil {
		t.Fatalf("JSON-LD: Event %v, NewsArticle %v", event != nil, article != nil)
	}
	canonical := ev.srv.cfg.BaseURL + fmt.Sprintf("/campus/events/%d/%s", lecture.ID, lecture.Slug)
	for k, want := range map[string]any{
		"@context": "https://schema.org", "name": "Lecture on water", "description": "About Lecture on water", "url": canonical,
		"startDate": "2030-03-12T18:00:00+01:00", "endDate": "2030-03-12T20:00:00+01:00",
		"eventStatus":         "https://schema.org/EventScheduled",
		"eventAttendanceMode": "https://schema.org/MixedEventAttendanceMode",
	} {
		if event[k] != want {
			t.Errorf("Event %s = %v, want %v", k, event[k], want)
		}
	}
	locs, _ := event["location"].([]any)
	if len(locs) != 2 || locs[0].(map[string]any)["@type"] != "Place" || locs[0].(map[string]any)["name"] != "Great Hall" ||
		locs[1].(map[string]any)["@type"] != "VirtualLocation" || locs[1].(map[string]any)["url"] != "https://stream.example.edu/live" {
		t.Errorf("Event location = %v", event["location"])
	}
	if imgs, _ := event["image"].([]any); len(imgs) != 1 || !strings.HasPrefix(imgs[0].(string), "http://") {
		t.Errorf("Event image = %v, want the cover", event["image"])
	}
	if offers, _ := event["offers"].(map[string]any); offers["url"] != "https://example.edu/register" {
		t.Errorf("Event offers = %v", event["offers"])
	}

	_, body = cl.get(fmt.Sprintf("/campus/events/%d/%s", fair.ID, fair.Slug))
	if !strings.Contains(body, `<dd>Monday 10 – Wednesday 12 June 2030</dd>`) {
		t.Error("the fair's page does not give its days")
	}
	for _, doc := range ldBlocks(t, body) {
		if doc["@type"] == "Event" && (doc["startDate"] != "2030-06-10" || doc["endDate"] != "2030-06-12" ||
			doc["eventAttendanceMode"] != "https://schema.org/OfflineEventAttendanceMode") {
			t.Errorf("all-day Event: %v", doc)
		}
	}
	_, body = cl.get(fmt.Sprintf("/campus/events/%d/%s", online.ID, online.Slug))
	for _, doc := range ldBlocks(t, body) {
		if doc["@type"] == "Event" && (doc["startDate"] != "2030-01-08T12:00:00+00:00" ||
			doc["eventAttendanceMode"] != "https://schema.org/OnlineEventAttendanceMode") {
			t.Errorf("online Event: %v", doc)
		}
	}
	_, body = cl.get(fmt.Sprintf("/campus/research/%d/%s", plain.ID, plain.Slug))
	if strings.Contains(body, "When and where") || strings.Contains(body, `"@type":"Event"`) {
		t.Error("an article without event shows one")
	}
}

func TestEventsPages(t *testing.T) {
	ev := newEventsEnv(t)
	cl := ev.client()
	resp, body := cl.get("/events")
	mustStatus(t, resp, body, http.StatusOK)
	if !strings.Contains(body, "No events are coming up at the moment.") {
		t.Error("/events without events has no empty state")
	}
	if resp, body = cl.get("/events/past"); !strings.Contains(body, "No events have taken place yet.") {
		t.Errorf("/events/past without events: %d, no empty state", resp.StatusCode)
	}

	now := time.Now().UTC().Truncate(time.Minute)
	utc := func(from, to time.Duration) *news.EventInput {
		return &news.EventInput{Start: now.Add(from), End: now.Add(to), TimeZone: "UTC", Venue: "Hall"}
	}
	ev.publish(ev.events, "Lecture", fixedLecture(t))
	ev.publish(ev.teams, "Fair", fixedFair(t))
	ev.publish(ev.events, "Exhibition under way", utc(-30*24*time.Hour, 30*24*time.Hour))
	ev.publish(ev.events, "Ended an hour ago", utc(-3*time.Hour, -time.Hour))
	hidden, err := ev.news.CreateCategory(context.Background(), news.Actor{CanPublish: true},
		news.CategoryInput{Name: "Hidden", Slug: "hidden", ParentID: ev.cat.ParentID, Visible: false})
	if err != nil {
		t.Fatal(err)
	}
	ev.publish(treeNode(t, ev.testEnv, "/campus/hidden"), "Secret event", fixedLecture(t))
	_ = hidden

	resp, body = cl.get("/events")
	mustStatus(t, resp, body, http.StatusOK)
	order := []string{`<h2 id="now-on">Now on</h2>`, "Exhibition under way", `<h2 id="month-2030-03">March 2030</h2>`,
		"Lecture", `<h2 id="month-2030-06">June 2030</h2>`, "Fair"}
	at := 0
	for _, w := range order {
		i := strings.Index(body[at:], w)
		if i < 0 {
			t.Fatalf("/events lacks %q after position %d (in order %q)", w, at, order)
		}
		at += i
	}
	for _, not := range []string{"Ended an hour ago", "Secret event"} {
		if strings.Contains(body, not) {
			t.Errorf("/events lists %q", not)
		}
	}
	for _, want := range []string{
		"<title>Upcoming events – ",
		`<link rel="canonical" href="` + ev.srv.cfg.BaseURL + `/events">`,
		`<link rel="alternate" type="text/calendar" title="`, `href="/events.ics">`,
		`<span aria-current="page">Events</span>`,
		`<a href="/events/past">Past events</a>`,
		"Tuesday 12 March 2030, 18:00–20:00 CET",
		"Monday 10 – Wednesday 12 June 2030",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/events lacks %s", want)
		}
	}

	_, body = cl.get("/events/past")
	if !strings.Contains(body, "Ended an hour ago") || strings.Contains(body, "Lecture") || strings.Contains(body, "Secret event") {
		t.Errorf("/events/past does not list just the ended event:\n%s", body)
	}
	if resp, _ = cl.get("/events/past?page=2"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("/events/past?page=2 with one page: %d", resp.StatusCode)
	}
	for i := range pastEventsPerPage {
		ev.publish(ev.teams, fmt.Sprintf("Match %02d", i), utc(-time.Duration(i+50)*time.Hour, -time.Duration(i+48)*time.Hour))
	}
	resp, body = cl.get("/events/past?page=2")
	mustStatus(t, resp, body, http.StatusOK)
	for _, want := range []string{"<title>Past events — page 2 – ", "<h1>Past events — page 2</h1>",
		`<link rel="canonical" href="` + ev.srv.cfg.BaseURL + `/events/past?page=2">`, "Match 19", `rel="prev"`} {
		if !strings.Contains(body, want) {
			t.Errorf("/events/past?page=2 lacks %s", want)
		}
	}
	if strings.Contains(body, "Ended an hour ago") {
		t.Error("page 2 of past events holds the most recent")
	}

	// The site links the events, and the sections advertise their calendars.
	_, body = cl.get("/")
	if !strings.Contains(body, `<a href="/events">Events</a>`) {
		t.Error("the home page does not link /events")
	}
	_, body = cl.get("/campus/events")
	if !strings.Contains(body, `<link rel="alternate" type="text/calendar"`) || !strings.Contains(body, `href="/campus/events.ics">`) {
		t.Error("a category page does not advertise its section's calendar")
	}
	if resp, body = cl.get("/sport"); !strings.Contains(body, `href="/sport/events.ics">`) {
		t.Errorf("the section page does not advertise its calendar (%d)", resp.StatusCode)
	}
}

// calendarOf fetches path and parses it as iCalendar.
func calendarOf(t *testing.T, cl *client, path string) *ics.Calendar {
	t.Helper()
	resp, body := cl.get(path)
	mustStatus(t, resp, body, http.StatusOK)
	if ct := resp.Header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
		t.Errorf("%s: Content-Type %q", path, ct)
	}
	if !strings.HasPrefix(body, "BEGIN:VCALENDAR\r\n") || strings.Contains(strings.ReplaceAll(body, "\r\n", ""), "\n") {
		t.Errorf("%s: lines do not end in CRLF", path)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(body))
	if err != nil {
		t.Fatalf("%s does not parse: %v\n%s", path, err, body)
	}
	return cal
}

func eventByUID(cal *ics.Calendar, uid string) *ics.VEvent {
	for _, e := range cal.Events() {
		if e.Id() == uid {
			return e
		}
	}
	return nil
}

func TestEventCalendars(t *testing.T) {
	ev := newEventsEnv(t)
	lecture := ev.publish(ev.events, "Lecture; with, commas", fixedLecture(t))
	fair := ev.publish(ev.teams, "Fair", fixedFair(t))
	now := time.Now().UTC().Truncate(time.Minute)
	recent := ev.publish(ev.events, "Ended last week", &news.EventInput{Start: now.AddDate(0, 0, -7), End: now.AddDate(0, 0, -7).Add(time.Hour),
		TimeZone: "UTC", Venue: "Hall"})
	old := ev.publish(ev.events, "Ended last year", &news.EventInput{Start: now.AddDate(-1, 0, 0), End: now.AddDate(-1, 0, 0).Add(time.Hour),
		TimeZone: "UTC", Venue: "Hall"})
	cl := ev.client()
	host := "127.0.0.1"
	uid := func(a *news.Article) string { return "event-" + strconv.FormatInt(a.ID, 10) + "@" + host }

	cal := calendarOf(t, cl, "/events.ics")
	if n := len(cal.Events()); n != 3 {
		t.Errorf("/events.ics has %d events, want 3 (not the one of last year)", n)
	}
	if eventByUID(cal, uid(old)) != nil {
		t.Error("/events.ics holds an event that ended a year ago")
	}
	le := eventByUID(cal, uid(lecture))
	if le == nil {
		t.Fatalf("/events.ics has no %s", uid(lecture))
	}
	start := le.GetProperty(ics.ComponentPropertyDtStart)
	if start.Value != "20300312T180000" || len(start.ICalParameters["TZID"]) != 1 || start.ICalParameters["TZID"][0] != "Europe/Berlin" {
		t.Errorf("lecture DTSTART = %s %v", start.Value, start.ICalParameters)
	}
	if at, err := le.GetStartAt(); err != nil || !at.Equal(time.Date(2030, 3, 12, 17, 0, 0, 0, time.UTC)) {
		t.Errorf("lecture starts %v, %v", at, err)
	}
	if at, err := le.GetEndAt(); err != nil || !at.Equal(time.Date(2030, 3, 12, 19, 0, 0, 0, time.UTC)) {
		t.Errorf("lecture ends %v, %v", at, err)
	}
	text := func(e *ics.VEvent, p ics.ComponentProperty) string {
		if prop := e.GetProperty(p); prop != nil {
			return ics.FromText(prop.Value)
		}
		return ""
	}
	canonical := ev.srv.cfg.BaseURL + fmt.Sprintf("/campus/events/%d/%s", lecture.ID, lecture.Slug)
	for p, want := range map[ics.ComponentProperty]string{
		ics.ComponentPropertySummary: "Lecture; with, commas", ics.ComponentPropertyLocation: "Great Hall",
		ics.ComponentPropertyUrl: canonical,
	} {
		if got := text(le, p); got != want {
			t.Errorf("lecture %s = %q, want %q", p, got, want)
		}
	}
	if d := text(le, ics.ComponentPropertyDescription); !strings.HasPrefix(d, "About Lecture; with, commas") ||
		!strings.Contains(d, "https://example.edu/register") {
		t.Errorf("lecture DESCRIPTION = %q", d)
	}
	if le.GetProperty(ics.ComponentPropertyDtstamp) == nil {
		t.Error("lecture has no DTSTAMP")
	}
	var berlin *ics.VTimezone
	for _, tz := range cal.Timezones() {
		if p := tz.GetProperty(ics.ComponentPropertyTzid); p != nil && p.Value == "Europe/Berlin" {
			berlin = tz
		}
	}
	if berlin == nil || len(berlin.Components) == 0 {
		t.Errorf("no VTIMEZONE for Europe/Berlin")
	}

	fe := eventByUID(cal, uid(fair))
	if fe == nil {
		t.Fatal("/events.ics has no fair")
	}
	for p, want := range map[ics.ComponentProperty]string{ics.ComponentPropertyDtStart: "20300610", ics.ComponentPropertyDtEnd: "20300613"} {
		prop := fe.GetProperty(p)
		if prop == nil || prop.Value != want || len(prop.ICalParameters["VALUE"]) != 1 || prop.ICalParameters["VALUE"][0] != "DATE" {
			t.Errorf("fair %s = %+v, want the DATE %s", p, prop, want)
		}
	}
	if re := eventByUID(cal, uid(recent)); re == nil || re.GetProperty(ics.ComponentPropertyDtStart).Value != now.AddDate(0, 0, -7).Format("20060102T150405Z") {
		t.Errorf("the recent event in UTC: %+v", re)
	}

	// A section's calendar holds its own events only.
	cal = calendarOf(t, cl, "/sport/events.ics")
	if len(cal.Events()) != 1 || eventByUID(cal, uid(fair)) == nil {
		t.Errorf("/sport/events.ics: %d events", len(cal.Events()))
	}
	// One event's file, for "Add to calendar".
	cal = calendarOf(t, cl, fmt.Sprintf("/events/%d.ics", lecture.ID))
	if len(cal.Events()) != 1 || eventByUID(cal, uid(lecture)) == nil {
		t.Errorf("/events/%d.ics: %d events", lecture.ID, len(cal.Events()))
	}
	if resp, _ := cl.get("/campus/events"); resp.StatusCode != http.StatusOK {
		t.Errorf("the category called events: %d (the calendar's route must not hide it)", resp.StatusCode)
	}

	draft, err := ev.news.Create(context.Background(), news.Actor{UserID: ev.e.ID, CanPublish: true, CanEditAny: true},
		news.ArticleInput{Title: "Draft", CategoryID: ev.events.ID, Event: fixedLecture(t)})
	if err != nil {
		t.Fatal(err)
	}
	plain := ev.publish(ev.cat, "Plain", nil)
	for _, path := range []string{
		"/nowhere/events.ics", "/campus/research/events.ics", "/events/abc.ics", "/events/0.ics",
		fmt.Sprintf("/events/%d", lecture.ID), fmt.Sprintf("/events/%d.ics", draft.ID),
		fmt.Sprintf("/events/%d.ics", plain.ID), "/events/99999.ics",
	} {
		if resp, body := cl.get(path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404\n%.300s", path, resp.StatusCode, body)
		}
	}
	// Served through the page cache, HEAD included.
	resp, _ := cl.get("/events.ics")
	req, _ := http.NewRequest(http.MethodGet, ev.http.URL+"/events.ics", nil)
	req.Header.Set("If-None-Match", resp.Header.Get("Etag"))
	if again, err := cl.c.Do(req); err != nil || again.StatusCode != http.StatusNotModified {
		t.Errorf("revalidating /events.ics: %v, %v", again, err)
	}
	head, err := cl.c.Head(ev.http.URL + "/events.ics")
	if err != nil || head.StatusCode != http.StatusOK || head.Header.Get("Content-Type") != calendarType {
		t.Errorf("HEAD /events.ics: %v, %v", head, err)
	}
}

func TestVTimezoneOffsets(t *testing.T) {
	london := zoneOf(t, "Europe/London")
	sp := &zoneSpan{loc: london, from: time.Date(2026, 12, 1, 0, 0, 0, 0, london), to: time.Date(2027, 11, 1, 0, 0, 0, 0, london)}
	tz := vtimezone(sp)
	var got []string
	for _, c := range tz.Components {
		var kind string
		var props []ics.IANAProperty
		switch c := c.(type) {
		case *ics.Standard:
			kind, props = "STANDARD", c.Properties
		case *ics.Daylight:
			kind, props = "DAYLIGHT", c.Properties
		}
		line := kind
		for _, p := range props {
			line += " " + p.IANAToken + "=" + p.Value
		}
		got = append(got, line)
	}
	want := []string{
		"STANDARD DTSTART=20261025T020000 TZOFFSETFROM=+0100 TZOFFSETTO=+0000 TZNAME=GMT",
		"DAYLIGHT DTSTART=20270328T010000 TZOFFSETFROM=+0000 TZOFFSETTO=+0100 TZNAME=BST",
		"STANDARD DTSTART=20271031T020000 TZOFFSETFROM=+0100 TZOFFSETTO=+0000 TZNAME=GMT",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("VTIMEZONE of London:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := utcOffset(-(3*3600 + 30*60)); got != "-0330" {
		t.Errorf("utcOffset = %s", got)
	}
	if tz := vtimezone(&zoneSpan{loc: zoneOf(t, "Asia/Dubai"), from: time.Now(), to: time.Now()}); len(tz.Components) != 1 {
		t.Errorf("a zone without changes: %d parts", len(tz.Components))
	}
}
