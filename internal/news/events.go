package news

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"

	"campusnews/internal/validate"
)

// Limits of an event's fields.
const (
	MaxVenueLen    = 300
	MaxEventURLLen = 2000
	maxZoneLen     = 64
	// Events are dated between these years: enough for an archive and for plans, and dates
	// that every format the site writes (JSON-LD, iCalendar) can hold.
	minEventYear = 1900
	maxEventYear = 2999
)

// EventInput is the event part of an article's input: when and where it takes place. It is
// stored in revision snapshots with the rest of ArticleInput, so its JSON names are part of
// the stored format.
type EventInput struct {
	// Start and End are instants. For an all-day event they name its first and last day
	// (any time on them in TimeZone; Validate makes them midnight).
	Start           time.Time `json:"start"`
	End             time.Time `json:"end"`
	AllDay          bool      `json:"all_day"`
	TimeZone        string    `json:"time_zone"` // IANA name, such as Europe/London
	Venue           string    `json:"venue,omitempty"`
	OnlineURL       string    `json:"online_url,omitempty"`
	RegistrationURL string    `json:"registration_url,omitempty"`
}

// Event is an article's event as stored. StartsAt and EndsAt are instants in UTC; an all-day
// event starts at midnight of its first day and ends at midnight after its last, in TimeZone.
type Event struct {
	ArticleID       int64
	StartsAt        time.Time
	EndsAt          time.Time
	AllDay          bool
	TimeZone        string
	Venue           string
	OnlineURL       string
	RegistrationURL string
}

// Location is the event's time zone; UTC should its name no longer load.
func (e *Event) Location() *time.Location { return zone(e.TimeZone) }

// Start is when the event starts, in its time zone.
func (e *Event) Start() time.Time { return e.StartsAt.In(e.Location()) }

// End is when the event ends, in its time zone: for an all-day event, midnight after its last day.
func (e *Event) End() time.Time { return e.EndsAt.In(e.Location()) }

// LastDay is midnight of an all-day event's last day in its time zone; for other events, End.
func (e *Event) LastDay() time.Time {
	end := e.End()
	if !e.AllDay {
		return end
	}
	return time.Date(end.Year(), end.Month(), end.Day()-1, 0, 0, 0, 0, end.Location())
}

// Over reports whether the event has ended at now.
func (e *Event) Over(now time.Time) bool { return !e.EndsAt.After(now) }

// Started reports whether the event has begun at now.
func (e *Event) Started(now time.Time) bool { return !e.StartsAt.After(now) }

// Input is the form values of e.
func (e *Event) Input() *EventInput {
	in := &EventInput{Start: e.StartsAt.UTC(), End: e.EndsAt.UTC(), AllDay: e.AllDay, TimeZone: e.TimeZone,
		Venue: e.Venue, OnlineURL: e.OnlineURL, RegistrationURL: e.RegistrationURL}
	if e.AllDay {
		in.End = e.LastDay().UTC()
	}
	return in
}

// zones keeps the time zones events name: time.LoadLocation reads and parses the zone's file
// on every call, and a list of events names a few zones many times. Only names that loaded
// are kept, and there are a few hundred of those.
var zones sync.Map // string → *time.Location

// zone returns the time zone called name, or UTC when there is none of that name.
func zone(name string) *time.Location {
	if loc, ok := loadZone(name); ok {
		return loc
	}
	return time.UTC
}

// loadZone returns the IANA time zone called name. The process's local zone, whose meaning
// depends on the machine, is not one.
func loadZone(name string) (*time.Location, bool) {
	if v, ok := zones.Load(name); ok {
		return v.(*time.Location), true
	}
	if name == "" || name == "Local" || len(name) > maxZoneLen {
		return nil, false
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, false
	}
	zones.Store(name, loc)
	return loc, true
}

// normalize trims the event's text, keeps its instants in UTC to the second, and makes an
// all-day event's times midnight of their days in its time zone.
func (ev *EventInput) normalize() {
	for _, p := range []*string{&ev.TimeZone, &ev.Venue, &ev.OnlineURL, &ev.RegistrationURL} {
		*p = strings.TrimSpace(*p)
	}
	ev.Venue = strings.Join(strings.Fields(ev.Venue), " ")
	ev.Start = ev.Start.UTC().Truncate(time.Second)
	ev.End = ev.End.UTC().Truncate(time.Second)
	if loc, ok := loadZone(ev.TimeZone); ok && ev.AllDay {
		ev.Start, ev.End = midnight(ev.Start, loc), midnight(ev.End, loc)
	}
}

// midnight is the start of t's day in loc, in UTC.
func midnight(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() {
		return t
	}
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc).UTC()
}

// check adds the event's problems to errs, keyed by the article form's field names:
// event_start, event_end, event_time_zone, event_venue, event_online_url,
// event_registration_url.
func (ev *EventInput) check(errs validate.Errors) {
	loc, zoneOK := loadZone(ev.TimeZone)
	switch {
	case ev.TimeZone == "":
		errs.Add("event_time_zone", "Choose the time zone of the event's times")
	case !zoneOK:
		errs.Add("event_time_zone", "Use a time zone name such as Europe/London or America/New_York")
	}
	if loc == nil {
		loc = time.UTC
	}
	start, end := ev.Start.In(loc), ev.End.In(loc)
	switch {
	case ev.Start.IsZero():
		errs.Add("event_start", "Enter when the event starts")
	case start.Year() < minEventYear || start.Year() > maxEventYear:
		errs.Add("event_start", fmt.Sprintf("Enter a date between %d and %d", minEventYear, maxEventYear))
	}
	switch {
	case ev.End.IsZero():
		errs.Add("event_end", "Enter when the event ends")
	case end.Year() < minEventYear || end.Year() > maxEventYear:
		errs.Add("event_end", fmt.Sprintf("Enter a date between %d and %d", minEventYear, maxEventYear))
	case ev.Start.IsZero():
	case ev.AllDay && ev.End.Before(ev.Start):
		errs.Add("event_end", "The last day cannot be before the first")
	case !ev.AllDay && !ev.End.After(ev.Start):
		errs.Add("event_end", "The event must end after it starts")
	}
	errs.MaxLen("event_venue", ev.Venue, MaxVenueLen, "The venue")
	if ev.Venue == "" && ev.OnlineURL == "" {
		errs.Add("event_venue", "Give the venue, an online link, or both")
	}
	checkEventURL(errs, "event_online_url", ev.OnlineURL)
	checkEventURL(errs, "event_registration_url", ev.RegistrationURL)
}

// checkEventURL accepts an empty value or a whole http or https address.
func checkEventURL(errs validate.Errors, field, v string) {
	if v == "" {
		return
	}
	if utf8.RuneCountInString(v) > MaxEventURLLen {
		errs.Add(field, fmt.Sprintf("A web address must be at most %d characters", MaxEventURLLen))
		return
	}
	u, err := url.Parse(v)
	bad := err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Opaque != "" ||
		strings.IndexFunc(v, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0
	if bad {
		errs.Add(field, "Enter a whole web address starting with https://")
	}
}

// stored is the row of ev for article id.
func (ev *EventInput) stored(id int64) *Event {
	e := &Event{ArticleID: id, StartsAt: ev.Start, EndsAt: ev.End, AllDay: ev.AllDay, TimeZone: ev.TimeZone,
		Venue: ev.Venue, OnlineURL: ev.OnlineURL, RegistrationURL: ev.RegistrationURL}
	if ev.AllDay {
		last := ev.End.In(zone(ev.TimeZone))
		e.EndsAt = time.Date(last.Year(), last.Month(), last.Day()+1, 0, 0, 0, 0, last.Location()).UTC()
	}
	return e
}

// sameEvent reports whether a and b describe the same event.
func sameEvent(a, b *EventInput) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Start.Equal(b.Start) && a.End.Equal(b.End) && a.AllDay == b.AllDay && a.TimeZone == b.TimeZone &&
		a.Venue == b.Venue && a.OnlineURL == b.OnlineURL && a.RegistrationURL == b.RegistrationURL
}

// saveEvent stores ev as the event of article id, or removes its event when ev is nil. It
// returns the stored event.
func saveEvent(tx *gorm.DB, id int64, ev *EventInput) (*Event, error) {
	if ev == nil {
		if err := tx.Exec("DELETE FROM article_events WHERE article_id = ?", id).Error; err != nil {
			return nil, fmt.Errorf("news: remove event of %d: %w", id, err)
		}
		return nil, nil
	}
	e := ev.stored(id)
	err := tx.Exec(`INSERT INTO article_events (article_id, starts_at, ends_at, all_day, time_zone, venue, online_url,
		registration_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (article_id) DO UPDATE SET starts_at = excluded.starts_at, ends_at = excluded.ends_at,
		all_day = excluded.all_day, time_zone = excluded.time_zone, venue = excluded.venue,
		online_url = excluded.online_url, registration_url = excluded.registration_url`,
		id, e.StartsAt, e.EndsAt, e.AllDay, e.TimeZone, e.Venue, e.OnlineURL, e.RegistrationURL).Error
	if err != nil {
		return nil, fmt.Errorf("news: save event of %d: %w", id, err)
	}
	return e, nil
}

// eventColumns are the columns of article_events; eventDest scans them in this order.
const eventColumns = "e.article_id, e.starts_at, e.ends_at, e.all_day, e.time_zone, e.venue, e.online_url, e.registration_url"

func eventDest(e *Event) []any {
	return []any{&e.ArticleID, &e.StartsAt, &e.EndsAt, &e.AllDay, &e.TimeZone, &e.Venue, &e.OnlineURL, &e.RegistrationURL}
}

// loadEvent returns the event of article id, nil when it is none.
func loadEvent(db *gorm.DB, id int64) (*Event, error) {
	events, err := scanEvents(db.Raw("SELECT "+eventColumns+" FROM article_events e WHERE e.article_id = ?", id))
	if err != nil {
		return nil, fmt.Errorf("news: event of %d: %w", id, err)
	}
	if len(events) == 0 {
		return nil, nil
	}
	return &events[0], nil
}

// scanEvents runs q, a query of eventColumns, and returns its rows.
func scanEvents(q *gorm.DB) ([]Event, error) {
	rows, err := q.Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		if err := rows.Scan(eventDest(&e)...); err != nil {
			return nil, err
		}
		e.StartsAt, e.EndsAt = e.StartsAt.UTC(), e.EndsAt.UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// publishedEvents is the part of a query of events whose articles readers may see in
// categories ids. CROSS JOIN keeps SQLite to this order: the events, sought by when they end
// in their index, each with its article looked up by id. Left free, it walked every
// published article of the categories to probe each for an event.
const publishedEvents = " FROM article_events e CROSS JOIN articles a WHERE a.id = e.article_id AND a.status = ? AND a.category_id IN ? "

// UpcomingEvents returns up to limit published events in categories ids (the visible ones)
// that have not ended at now, those starting first first. An event leaves the list at the
// instant it ends. The list is read anew on each call: it changes with the clock, not only
// with the content.
func (s *Service) UpcomingEvents(ctx context.Context, ids []int64, now time.Time, limit int) ([]Article, error) {
	if len(ids) == 0 || limit < 1 {
		return nil, nil
	}
	events, err := scanEvents(s.db.WithContext(ctx).Raw("SELECT "+eventColumns+publishedEvents+
		"AND e.ends_at > ? ORDER BY e.starts_at, e.ends_at, e.article_id LIMIT ?", Published, ids, now.UTC(), limit))
	if err != nil {
		return nil, fmt.Errorf("news: upcoming events: %w", err)
	}
	return s.withEvents(ctx, events)
}

// PastEvents returns page (1-based) of the published events in categories ids that have ended
// at now, the latest to end first. A page past the end returns ErrNotFound; the first page of
// none is empty.
func (s *Service) PastEvents(ctx context.Context, ids []int64, now time.Time, page, perPage int) (*Listing, error) {
	if page < 1 || perPage < 1 {
		return nil, ErrNotFound
	}
	l := &Listing{Page: page, PerPage: perPage}
	if len(ids) == 0 {
		if page > 1 {
			return nil, ErrNotFound
		}
		return l, nil
	}
	db := s.db.WithContext(ctx)
	// Counted each time rather than kept per content version like other listings: the
	// count grows as events end, with no change to the content.
	if err := scanValues(db.Raw("SELECT COUNT(*)"+publishedEvents+"AND e.ends_at <= ?", Published, ids, now.UTC()), &l.Total); err != nil {
		return nil, fmt.Errorf("news: count past events: %w", err)
	}
	if page > l.Pages() {
		return nil, ErrNotFound
	}
	events, err := scanEvents(db.Raw("SELECT "+eventColumns+publishedEvents+
		"AND e.ends_at <= ? ORDER BY e.ends_at DESC, e.article_id DESC LIMIT ? OFFSET ?",
		Published, ids, now.UTC(), perPage, (page-1)*perPage))
	if err != nil {
		return nil, fmt.Errorf("news: past events: %w", err)
	}
	if l.Articles, err = s.withEvents(ctx, events); err != nil {
		return nil, err
	}
	return l, nil
}

// withEvents reads the cards of the articles of events, in the events' order, each with its
// event.
func (s *Service) withEvents(ctx context.Context, events []Event) ([]Article, error) {
	ids := make([]int64, len(events))
	for i, e := range events {
		ids[i] = e.ArticleID
	}
	arts, err := s.byIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*Event, len(events))
	for i := range events {
		byID[events[i].ArticleID] = &events[i]
	}
	for i := range arts {
		arts[i].Event = byID[arts[i].ID]
	}
	return arts, nil
}

// PublishedEvent returns the published article id with its event, or ErrNotFound when there
// is no such article or it announces no event.
func (s *Service) PublishedEvent(ctx context.Context, id int64) (*Article, error) {
	events, err := scanEvents(s.db.WithContext(ctx).Raw("SELECT "+eventColumns+
		" FROM article_events e JOIN articles a ON a.id = e.article_id WHERE a.id = ? AND a.status = ?", id, Published))
	if err != nil {
		return nil, fmt.Errorf("news: event %d: %w", id, err)
	}
	arts, err := s.withEvents(ctx, events)
	if err != nil {
		return nil, err
	}
	if len(arts) == 0 {
		return nil, ErrNotFound
	}
	return &arts[0], nil
}
