package demo

import (
	"context"
	"strings"
	"testing"
	"time"
)

// The demo's events are real events: the announced ones on the dates their texts name, and
// others dated from the day of loading, some over, most to come in the next weeks and months,
// among them an all-day event of several days, an online one and some to register for.
func TestLoadEvents(t *testing.T) {
	db := openDB(t)
	mustLoad(t, db)
	svc := service(t, db)
	ctx := context.Background()
	tree, err := svc.Tree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	events := tree.ByPath("/news-events/events")
	if got := count(t, db, `SELECT COUNT(*) FROM article_events e JOIN articles a ON a.id = e.article_id
		WHERE a.status = 'published'`); got != int64(len(demoEvents)) {
		t.Errorf("%d published events, want %d", got, len(demoEvents))
	}
	if got := count(t, db, `SELECT COUNT(*) FROM article_events e JOIN articles a ON a.id = e.article_id
		WHERE a.category_id = ? AND a.status = 'published' AND e.ends_at > ?`, events.ID, time.Now().UTC()); got < 2 {
		t.Errorf("%d upcoming events in Events, want some", got)
	}
	if got := count(t, db, `SELECT COUNT(*) FROM articles a WHERE a.category_id = ? AND a.status = 'published'
		AND NOT EXISTS (SELECT 1 FROM article_events e WHERE e.article_id = a.id)`, events.ID); got != 0 {
		t.Errorf("%d articles of Events announce no event", got)
	}

	now := time.Now()
	up, err := svc.UpcomingEvents(ctx, tree.VisibleIDs(), now, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(up) < 4 {
		t.Fatalf("%d upcoming events, want at least 4", len(up))
	}
	var allDay, online, register bool
	for _, a := range up {
		e := a.Event
		allDay = allDay || e.AllDay && e.LastDay().After(e.Start())
		online = online || e.Venue == "" && e.OnlineURL != ""
		register = register || e.RegistrationURL != ""
		if e.StartsAt.After(now.AddDate(0, 6, 0)) {
			t.Errorf("%q starts more than six months ahead", a.Title)
		}
		if e.TimeZone != demoZone {
			t.Errorf("%q in time zone %s", a.Title, e.TimeZone)
		}
		if a.PublishedAt == nil || a.PublishedAt.After(now) {
			t.Errorf("%q published %v, after now", a.Title, a.PublishedAt)
		}
	}
	if !allDay || !online || !register {
		t.Errorf("upcoming: an all-day event of several days %v, an online one %v, one to register for %v", allDay, online, register)
	}
	if first := up[0].Event.StartsAt; first.After(now.AddDate(0, 0, 21)) {
		t.Errorf("the first upcoming event starts %v, more than three weeks ahead", first)
	}

	past, err := svc.PastEvents(ctx, tree.VisibleIDs(), now, 1, 50)
	if err != nil {
		t.Fatal(err)
	}
	if past.Total < 5 {
		t.Errorf("%d past events, want at least 5", past.Total)
	}
	if len(past.Articles) == 0 || past.Articles[0].Title != "Alumni Winter Reception Brings Graduates Back to the Great Hall" {
		t.Errorf("the latest past event is not the reception of last week: %v", past.Articles)
	}
	for _, a := range past.Articles {
		if a.Title == "Northbridge Science Festival Returns to the City Centre" {
			if !a.Event.AllDay || a.Event.Start().Format("2 January 2006") != "8 June 2019" ||
				a.Event.LastDay().Format("2 January 2006") != "10 June 2019" {
				t.Errorf("the festival: %+v", a.Event)
			}
		}
	}
}

// Relative events fall on working days outside the winter break, on the side of the load day
// they were meant for, whatever the day of loading.
func TestEventDaysFromAnyDay(t *testing.T) {
	loc, err := time.LoadLocation(demoZone)
	if err != nil {
		t.Fatal(err)
	}
	for day := time.Date(2026, 12, 1, 10, 0, 0, 0, loc); day.Before(time.Date(2027, 1, 20, 0, 0, 0, 0, loc)); day = day.AddDate(0, 0, 1) {
		for _, e := range demoEvents {
			if !relative(e.Start) {
				continue
			}
			start, end, _, err := e.times(day)
			if err != nil {
				t.Fatal(err)
			}
			if w := start.Weekday(); w == time.Saturday || w == time.Sunday {
				t.Errorf("loaded %s: %q on a %s", day.Format(time.DateOnly), e.Title, w)
			}
			if past := strings.HasPrefix(e.Start, "-"); past != end.Before(day) {
				t.Errorf("loaded %s: %q ends %v", day.Format(time.DateOnly), e.Title, end)
			}
			if !end.After(start) && end != start {
				t.Errorf("%q: %v – %v", e.Title, start, end)
			}
		}
	}
}
