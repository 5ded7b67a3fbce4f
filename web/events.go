package web

import (
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"campusnews/internal/news"
)

// Sizes of the events pages.
const (
	upcomingEventsMax = 200 // the upcoming page lists them all, up to this many
	pastEventsPerPage = perPage
)

// EventView is an event as pages show it, with its dates in its own time zone: readers go to
// the venue's clock, not the site's.
type EventView struct {
	When              string    // "Thursday 12 March 2026, 18:00–20:00 CET"
	Start             time.Time // in the event's time zone
	Day, Month        string    // "12", "Mar": the date badge of lists
	Venue             string
	OnlineURL         string
	OnlineLabel       string // the address as shown: without its scheme
	RegistrationURL   string
	RegistrationLabel string
	Mode              string // "In person", "Online", "In person and online"
	CalendarURL       string // the event's own iCalendar file
	Over              bool   // it has ended
	Now               bool   // it has begun and not ended
}

// EventCard is an event in a list.
type EventCard struct {
	ArticleCard
	Event EventView
}

// EventMonth is the events of one month, or of "Now on".
type EventMonth struct {
	ID      string // the heading's id: "month-2026-03", "now-on"
	Heading string // "March 2026"
	Events  []EventCard
}

// EventsPage is /events, the upcoming events, or /events/past.
type EventsPage struct {
	Base
	Heading     string
	Intro       string
	Months      []EventMonth
	Pager       Pager // past events only
	Past        bool
	CalendarURL string
}

func (s *Server) eventsView(c echo.Context) error {
	ctx := c.Request().Context()
	tree, err := s.news.Tree(ctx)
	if err != nil {
		return err
	}
	now := time.Now()
	arts, err := s.news.UpcomingEvents(ctx, tree.VisibleIDs(), now, upcomingEventsMax)
	if err != nil {
		return err
	}
	b, err := s.base(c, tree, "Upcoming events", "")
	if err != nil {
		return err
	}
	b.Description = "Lectures, open days, concerts and conferences at " + b.Site.Name + " that are still to come, soonest first."
	b.Breadcrumb = []Crumb{{Name: "Home", URL: "/"}, {Name: "Events"}}
	b.Calendars = []FeedLink{{Title: b.Site.Name + " – events", URL: "/events.ics"}}
	return c.Render(http.StatusOK, "pages/events", EventsPage{
		Base:        b,
		Heading:     "Upcoming events",
		Intro:       "Events that have not ended yet, soonest first, with the times of the place where they happen.",
		Months:      eventMonths(tree, arts, now, true, b.Site.Location()),
		CalendarURL: "/events.ics",
	})
}

func (s *Server) eventsPastView(c echo.Context) error {
	ctx := c.Request().Context()
	tree, err := s.news.Tree(ctx)
	if err != nil {
		return err
	}
	now := time.Now()
	l, err := s.news.PastEvents(ctx, tree.VisibleIDs(), now, pageParam(c), pastEventsPerPage)
	if err != nil {
		return err
	}
	b, err := s.base(c, tree, "Past events", "")
	if err != nil {
		return err
	}
	b.Description = "Events that have taken place at " + b.Site.Name + ", the most recent first."
	b.Canonical = s.cfg.BaseURL + withPage("/events/past", l.Page, nil)
	b.Breadcrumb = []Crumb{{Name: "Home", URL: "/"}, {Name: "Events", URL: "/events"}, {Name: "Past events"}}
	b.Calendars = []FeedLink{{Title: b.Site.Name + " – events", URL: "/events.ics"}}
	return c.Render(http.StatusOK, "pages/events_past", EventsPage{
		Base:        b,
		Heading:     "Past events",
		Intro:       "Events that have ended, the most recent first.",
		Months:      eventMonths(tree, l.Articles, now, false, b.Site.Location()),
		Pager:       Pager{Page: l.Page, Pages: l.Pages(), Total: l.Total, BaseURL: "/events/past"},
		Past:        true,
		CalendarURL: "/events.ics",
	})
}

// eventMonths groups events by the month they start in, in their own time zones, keeping the
// order they come in. With nowOn, events under way at now come first, as "Now on": a
// long exhibition is not filed under the month, long gone, in which it opened. loc is the
// site's time zone, for the dates of publication.
func eventMonths(tree *news.Tree, arts []news.Article, now time.Time, nowOn bool, loc *time.Location) []EventMonth {
	var out []EventMonth
	index := map[string]int{}
	for i := range arts {
		a := &arts[i]
		n := tree.Node(a.CategoryID)
		if a.Event == nil || n == nil || !n.Visible() {
			continue
		}
		ec := EventCard{ArticleCard: card(tree, a, loc), Event: eventView(a.Event, a.ID, now)}
		key, heading := "month-"+ec.Event.Start.Format("2006-01"), ec.Event.Start.Format("January 2006")
		if nowOn && ec.Event.Now {
			key, heading = "now-on", "Now on"
		}
		at, ok := index[key]
		if !ok {
			at = len(out)
			index[key] = at
			out = append(out, EventMonth{ID: key, Heading: heading})
		}
		out[at].Events = append(out[at].Events, ec)
	}
	if nowOn {
		// "Now on" leads, whichever month its first event started in.
		if at, ok := index["now-on"]; ok && at > 0 {
			g := out[at]
			copy(out[1:at+1], out[:at])
			out[0] = g
		}
	}
	return out
}

// eventView is e, of article id, as pages show it at now.
func eventView(e *news.Event, id int64, now time.Time) EventView {
	start := e.Start()
	v := EventView{
		When:            eventWhen(e),
		Start:           start,
		Day:             strconv.Itoa(start.Day()),
		Month:           start.Format("Jan"),
		Venue:           e.Venue,
		OnlineURL:       e.OnlineURL,
		OnlineLabel:     linkLabel(e.OnlineURL),
		RegistrationURL: e.RegistrationURL,
		CalendarURL:     eventCalendarURL(id),
		Over:            e.Over(now),
		Now:             e.Started(now) && !e.Over(now),
	}
	v.RegistrationLabel = linkLabel(e.RegistrationURL)
	switch {
	case e.Venue != "" && e.OnlineURL != "":
		v.Mode = "In person and online"
	case e.OnlineURL != "":
		v.Mode = "Online"
	default:
		v.Mode = "In person"
	}
	return v
}

// eventCalendarURL is the address of the iCalendar file of the event of article id.
func eventCalendarURL(id int64) string { return "/events/" + strconv.FormatInt(id, 10) + ".ics" }

// linkLabel is a web address as a link shows it: without the scheme and a bare trailing slash.
func linkLabel(u string) string {
	for _, p := range []string{"https://", "http://"} {
		if len(u) > len(p) && strings.EqualFold(u[:len(p)], p) {
			u = u[len(p):]
			break
		}
	}
	if strings.Count(u, "/") == 1 {
		u = strings.TrimSuffix(u, "/")
	}
	return u
}

// isoOffset is RFC 3339 with the offset always written as one ("+00:00", never "Z"): the
// event's zone stays visible in its JSON-LD.
const isoOffset = "2006-01-02T15:04:05-07:00"

// Date layouts of the events' times, written out as people read them.
const (
	dayLayout      = "Monday 2 January 2006"
	dayMonthLayout = "Monday 2 January"
	weekdayLayout  = "Monday 2"
	clockLayout    = "15:04"
)

// eventWhen writes when e takes place, in its time zone: "Thursday 12 March 2026,
// 18:00–20:00 CET"; "Saturday 8 – Monday 10 June 2019" for days; the zone's name after each
// time when they differ (an event across a change to summer time).
func eventWhen(e *news.Event) string {
	start := e.Start()
	if e.AllDay {
		last := e.LastDay()
		switch {
		case sameDay(start, last):
			return start.Format(dayLayout) + ", all day"
		case start.Year() != last.Year():
			return start.Format(dayLayout) + " – " + last.Format(dayLayout)
		case start.Month() != last.Month():
			return start.Format(dayMonthLayout) + " – " + last.Format(dayLayout)
		default:
			return start.Format(weekdayLayout) + " – " + last.Format(dayLayout)
		}
	}
	end := e.End()
	sz, ez := zoneLabel(start), zoneLabel(end)
	from := start.Format(dayLayout + ", " + clockLayout)
	switch {
	case sameDay(start, end) && sz == ez:
		return from + "–" + end.Format(clockLayout) + " " + ez
	case sameDay(start, end):
		return from + " " + sz + " – " + end.Format(clockLayout) + " " + ez
	case sz == ez:
		return from + " – " + end.Format(dayLayout+", "+clockLayout) + " " + ez
	default:
		return from + " " + sz + " – " + end.Format(dayLayout+", "+clockLayout) + " " + ez
	}
}

func sameDay(a, b time.Time) bool {
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}

// zoneLabel is the abbreviation of t's zone ("CET", "BST"); zones without one are written
// as their offset from UTC ("UTC+08").
func zoneLabel(t time.Time) string {
	name := t.Format("MST")
	if strings.HasPrefix(name, "+") || strings.HasPrefix(name, "-") {
		return "UTC" + name
	}
	return name
}

// eventLD is the schema.org Event of an event's page, beside its NewsArticle: dates with the
// offset of the event's zone (days alone for an all-day event, endDate its last day), the
// place and the online address, and the registration as an offer. encoding/json escapes <,
// > and &, so no text can close the <script> block it goes in.
func (s *Server) eventLD(p *ArticlePage, e *news.Event) template.JS {
	type thing struct {
		Type    string `json:"@type"`
		Name    string `json:"name,omitempty"`
		URL     string `json:"url,omitempty"`
		Address string `json:"address,omitempty"`
	}
	ld := struct {
		Context     string   `json:"@context"`
		Type        string   `json:"@type"`
		Name        string   `json:"name"`
		Description string   `json:"description,omitempty"`
		URL         string   `json:"url"`
		Image       []string `json:"image,omitempty"`
		StartDate   string   `json:"startDate"`
		EndDate     string   `json:"endDate"`
		Status      string   `json:"eventStatus"`
		Mode        string   `json:"eventAttendanceMode"`
		Location    []thing  `json:"location"`
		Organizer   thing    `json:"organizer"`
		Offers      *thing   `json:"offers,omitempty"`
	}{
		Context:     "https://schema.org",
		Type:        "Event",
		Name:        p.Article.Title,
		Description: p.Article.Summary,
		URL:         p.Canonical,
		Status:      "https://schema.org/EventScheduled",
		Organizer:   thing{Type: "Organization", Name: p.Site.Name, URL: s.cfg.BaseURL + "/"},
	}
	if p.OGImage != "" {
		ld.Image = []string{p.OGImage}
	}
	if e.AllDay {
		ld.StartDate, ld.EndDate = e.Start().Format(time.DateOnly), e.LastDay().Format(time.DateOnly)
	} else {
		ld.StartDate, ld.EndDate = e.Start().Format(isoOffset), e.End().Format(isoOffset)
	}
	if e.Venue != "" {
		ld.Location = append(ld.Location, thing{Type: "Place", Name: e.Venue, Address: e.Venue})
	}
	if e.OnlineURL != "" {
		ld.Location = append(ld.Location, thing{Type: "VirtualLocation", URL: e.OnlineURL})
	}
	switch {
	case e.Venue != "" && e.OnlineURL != "":
		ld.Mode = "https://schema.org/MixedEventAttendanceMode"
	case e.OnlineURL != "":
		ld.Mode = "https://schema.org/OnlineEventAttendanceMode"
	default:
		ld.Mode = "https://schema.org/OfflineEventAttendanceMode"
	}
	if e.RegistrationURL != "" {
		ld.Offers = &thing{Type: "Offer", URL: e.RegistrationURL}
	}
	out, err := json.Marshal(ld)
	if err != nil {
		return ""
	}
	return template.JS(out)
}
