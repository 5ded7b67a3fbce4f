package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	ics "github.com/arran4/golang-ical"
	"github.com/labstack/echo/v4"

	"campusnews/internal/news"
)

// iCalendar (RFC 5545) feeds of the events: the site's, a section's, and one file per event
// for "Add to calendar". They are written with github.com/arran4/golang-ical, which takes
// care of the format's escaping and line folding; this file decides what goes in.

// calendarRecent is how long an ended event stays in the feeds, so a calendar that subscribed
// keeps the events its reader went to; calendarMax bounds a feed's size.
const (
	calendarRecent = 90 * 24 * time.Hour
	calendarMax    = 500
)

// calendarType is what the feeds are served as.
const calendarType = "text/calendar; charset=utf-8"

// eventsCalendar is /events.ics: the upcoming and recent events of every visible category.
func (s *Server) eventsCalendar(c echo.Context) error { return s.calendarOf(c, "") }

// sectionCalendar is /:section/events.ics: those of one section.
func (s *Server) sectionCalendar(c echo.Context) error {
	return s.calendarOf(c, "/"+c.Param("section"))
}

// calendarOf writes the feed of the section at path, or of the whole site for "".
func (s *Server) calendarOf(c echo.Context, path string) error {
	ctx := c.Request().Context()
	tree, err := s.news.Tree(ctx)
	if err != nil {
		return err
	}
	st, err := s.site.Get(ctx)
	if err != nil {
		return err
	}
	ids, name := tree.VisibleIDs(), st.Name+" – events"
	if path != "" {
		n := tree.ByPath(path)
		if n == nil || !n.IsSection() || !n.Visible() {
			return news.ErrNotFound
		}
		ids, name = n.VisibleIDs(), st.Name+" – "+n.Name+" – events"
	}
	arts, err := s.news.UpcomingEvents(ctx, ids, time.Now().Add(-calendarRecent), calendarMax)
	if err != nil {
		return err
	}
	return s.writeCalendar(c, tree, name, arts)
}

// eventCalendar is /events/<id>.ics, the file of one event.
func (s *Server) eventCalendar(c echo.Context) error {
	ctx := c.Request().Context()
	file := c.Param("file")
	id, err := strconv.ParseInt(strings.TrimSuffix(file, ".ics"), 10, 64)
	if err != nil || id < 1 || !strings.HasSuffix(file, ".ics") {
		return news.ErrNotFound
	}
	a, err := s.news.PublishedEvent(ctx, id)
	if err != nil {
		return err
	}
	tree, err := s.news.Tree(ctx)
	if err != nil {
		return err
	}
	if n := tree.Node(a.CategoryID); n == nil || !n.Visible() {
		return news.ErrNotFound
	}
	return s.writeCalendar(c, tree, a.Title, []news.Article{*a})
}

// writeCalendar answers with the calendar called name holding the events of arts.
func (s *Server) writeCalendar(c echo.Context, tree *news.Tree, name string, arts []news.Article) error {
	cal := s.calendar(tree, name, arts)
	var b strings.Builder
	// Lines end in CRLF, as RFC 5545 says; the library's default is the system's newline.
	if err := cal.SerializeTo(&b, ics.WithNewLineWindows); err != nil {
		return fmt.Errorf("web: calendar: %w", err)
	}
	return c.Blob(http.StatusOK, calendarType, []byte(b.String()))
}

// calendar builds the calendar called name of the events of arts (each with its Event), those
// in hidden categories left out.
func (s *Server) calendar(tree *news.Tree, name string, arts []news.Article) *ics.Calendar {
	cal := ics.NewCalendarFor("campusnews")
	cal.SetProductId("-//campusnews//events//EN")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName(icsText(name))
	cal.SetXWRCalName(icsText(name))
	// Calendar programs that subscribe ask again after this long.
	cal.SetRefreshInterval("PT1H")
	cal.SetXPublishedTTL("PT1H")
	host := s.host()
	var events []*ics.VEvent
	zones := zoneSpans{}
	for i := range arts {
		a := &arts[i]
		n := tree.Node(a.CategoryID)
		if a.Event == nil || n == nil || !n.Visible() {
			continue
		}
		e := a.Event
		ev := ics.NewEvent("event-" + strconv.FormatInt(a.ID, 10) + "@" + host)
		// The article's last change: the same for every copy of the feed until the event
		// is edited, so the page cache's ETag holds.
		ev.SetDtStampTime(a.UpdatedAt)
		ev.SetModifiedAt(a.UpdatedAt)
		setEventTimes(ev, e, zones)
		ev.SetSummary(icsText(a.Title))
		if loc := e.Venue; loc != "" {
			ev.SetLocation(icsText(loc))
		} else {
			ev.SetLocation(icsText(e.OnlineURL))
		}
		u := s.cfg.BaseURL + articleURL(tree, a)
		ev.SetURL(u)
		ev.SetDescription(icsText(eventDescription(a, u)))
		ev.SetStatus(ics.ObjectStatusConfirmed)
		events = append(events, ev)
	}
	// Each zone the times name is described in the calendar itself, before the events.
	for _, z := range zones.sorted() {
		cal.AddVTimezone(vtimezone(z))
	}
	for _, ev := range events {
		cal.AddVEvent(ev)
	}
	return cal
}

// host is the host name of the site's base URL, for event UIDs.
func (s *Server) host() string {
	if u, err := url.Parse(s.cfg.BaseURL); err == nil && u.Hostname() != "" {
		return strings.ToLower(u.Hostname())
	}
	return "localhost"
}

// setEventTimes writes DTSTART and DTEND: dates for an all-day event (DTEND the day after its
// last, as the format counts); otherwise times in the event's zone, named by TZID, or in UTC
// for an event in UTC. zones records the span of each zone used.
func setEventTimes(ev *ics.VEvent, e *news.Event, zones zoneSpans) {
	if e.AllDay {
		// Start() and End() are midnights in the event's zone: their dates are the days.
		ev.SetProperty(ics.ComponentPropertyDtStart, e.Start().Format("20060102"), ics.WithValue(string(ics.ValueDataTypeDate)))
		ev.SetProperty(ics.ComponentPropertyDtEnd, e.End().Format("20060102"), ics.WithValue(string(ics.ValueDataTypeDate)))
		return
	}
	loc := e.Location()
	if loc == time.UTC || e.TimeZone == "UTC" || e.TimeZone == "Etc/UTC" {
		ev.SetStartAt(e.StartsAt)
		ev.SetEndAt(e.EndsAt)
		return
	}
	zones.add(loc, e.StartsAt, e.EndsAt)
	const local = "20060102T150405"
	ev.SetProperty(ics.ComponentPropertyDtStart, e.Start().Format(local), ics.WithTZID(loc.String()))
	ev.SetProperty(ics.ComponentPropertyDtEnd, e.End().Format(local), ics.WithTZID(loc.String()))
}

// eventDescription is the summary of a with the event's links, for calendar programs that
// show nothing else.
func eventDescription(a *news.Article, u string) string {
	parts := []string{}
	if a.Summary != "" {
		parts = append(parts, a.Summary)
	}
	if a.Event.OnlineURL != "" {
		parts = append(parts, "Online: "+a.Event.OnlineURL)
	}
	if a.Event.RegistrationURL != "" {
		parts = append(parts, "Registration: "+a.Event.RegistrationURL)
	}
	parts = append(parts, "More: "+u)
	return strings.Join(parts, "\n\n")
}

// icsText keeps what a TEXT value of iCalendar may hold: no control characters but line
// breaks, which the library escapes.
func icsText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		if r == '\n' || !unicode.IsControl(r) {
			return r
		}
		return -1
	}, s)
}

// zoneSpans records, for each time zone, the earliest and latest instant the calendar's times
// in it name: its VTIMEZONE must describe the zone's offsets over that span.
type zoneSpans map[string]*zoneSpan

type zoneSpan struct {
	loc      *time.Location
	from, to time.Time
}

func (z zoneSpans) add(loc *time.Location, from, to time.Time) {
	sp := z[loc.String()]
	if sp == nil {
		z[loc.String()] = &zoneSpan{loc: loc, from: from, to: to}
		return
	}
	if from.Before(sp.from) {
		sp.from = from
	}
	if to.After(sp.to) {
		sp.to = to
	}
}

// sorted returns the spans by zone name, so the feed's bytes do not depend on map order.
func (z zoneSpans) sorted() []*zoneSpan {
	names := make([]string, 0, len(z))
	for n := range z {
		names = append(names, n)
	}
	slices.Sort(names)
	out := make([]*zoneSpan, len(names))
	for i, n := range names {
		out[i] = z[n]
	}
	return out
}

// vtimezone describes the zone of sp as RFC 5545 wants it: one STANDARD or DAYLIGHT part for
// each period of one offset that overlaps the span, each from its first instant, written in
// the offset before it. Go's time zone database knows the periods (ZoneBounds), so no rule
// of the zone needs writing out.
func vtimezone(sp *zoneSpan) *ics.VTimezone {
	tz := ics.NewTimezone(sp.loc.String())
	t := sp.from.In(sp.loc)
	for i := 0; i < 1000; i++ { // bounded: a span of a few years holds a few periods
		start, end := t.ZoneBounds()
		name, offset := t.Zone()
		before := offset
		begin := "19700101T000000"
		if !start.IsZero() {
			_, before = start.Add(-time.Second).In(sp.loc).Zone()
			begin = start.UTC().Add(time.Duration(before) * time.Second).Format("20060102T150405")
		}
		part := ics.ComponentBase{}
		part.SetProperty(ics.ComponentProperty(ics.PropertyDtstart), begin)
		part.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), utcOffset(before))
		part.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), utcOffset(offset))
		part.SetProperty(ics.ComponentProperty(ics.PropertyTzname), name)
		if t.IsDST() {
			tz.Components = append(tz.Components, &ics.Daylight{ComponentBase: part})
		} else {
			tz.Components = append(tz.Components, &ics.Standard{ComponentBase: part})
		}
		if end.IsZero() || !end.Before(sp.to) {
			break
		}
		t = end.In(sp.loc)
	}
	return tz
}

// utcOffset writes an offset east of UTC in seconds as iCalendar does: "+0100", "-0330".
func utcOffset(sec int) string {
	sign := '+'
	if sec < 0 {
		sign, sec = '-', -sec
	}
	out := fmt.Sprintf("%c%02d%02d", sign, sec/3600, sec/60%60)
	if s := sec % 60; s != 0 {
		out += fmt.Sprintf("%02d", s)
	}
	return out
}
