package news

import (
	"campusnews/internal/database/dbtest"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// berlin and auckland are the zones of the tests: one an hour east of UTC in March, one
// thirteen hours east, where a day ends before it has begun in UTC.
var (
	berlin   = mustZone("Europe/Berlin")
	auckland = mustZone("Pacific/Auckland")
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// lecture is a timed event in Berlin: Thursday 12 March 2026, 18:00–20:00 CET.
func lecture() *EventInput {
	return &EventInput{
		Start: time.Date(2026, 3, 12, 18, 0, 0, 0, berlin), End: time.Date(2026, 3, 12, 20, 0, 0, 0, berlin),
		TimeZone: "Europe/Berlin", Venue: "  Harrington   Lecture Theatre ", RegistrationURL: "https://example.edu/register",
	}
}

// mustCreateEvent creates and publishes an article announcing ev in category catID.
func mustCreateEvent(t testing.TB, svc *Service, catID int64, title string, ev *EventInput, pinned bool) *Article {
	t.Helper()
	art, err := svc.SaveAndStep(context.Background(), editor, 0, ArticleInput{Title: title, CategoryID: catID,
		Summary: "About " + title, Event: ev, Pinned: pinned}, time.Time{}, StepPublish, nil)
	if err != nil {
		t.Fatalf("create event %q: %v", title, err)
	}
	return art
}

func TestEventValidation(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	tests := []struct {
		name   string
		change func(*EventInput)
		field  string
	}{
		{"no start", func(e *EventInput) { e.Start = time.Time{} }, "event_start"},
		{"no end", func(e *EventInput) { e.End = time.Time{} }, "event_end"},
		{"end before start", func(e *EventInput) { e.End = e.Start.Add(-time.Minute) }, "event_end"},
		{"end at start", func(e *EventInput) { e.End = e.Start }, "event_end"},
		{"all-day, last day before first", func(e *EventInput) {
			e.AllDay, e.End = true, e.Start.AddDate(0, 0, -1)
		}, "event_end"},
		{"start in year 1200", func(e *EventInput) { e.Start = time.Date(1200, 1, 1, 0, 0, 0, 0, time.UTC) }, "event_start"},
		{"end in year 30000", func(e *EventInput) { e.End = time.Date(30000, 1, 1, 0, 0, 0, 0, time.UTC) }, "event_end"},
		{"no time zone", func(e *EventInput) { e.TimeZone = " " }, "event_time_zone"},
		{"unknown time zone", func(e *EventInput) { e.TimeZone = "Mars/Olympus" }, "event_time_zone"},
		{"the machine's zone", func(e *EventInput) { e.TimeZone = "Local" }, "event_time_zone"},
		{"a path for a zone", func(e *EventInput) { e.TimeZone = "../../etc/passwd" }, "event_time_zone"},
		{"neither venue nor link", func(e *EventInput) { e.Venue = "" }, "event_venue"},
		{"venue too long", func(e *EventInput) { e.Venue = strings.Repeat("v", MaxVenueLen+1) }, "event_venue"},
		{"online link not http", func(e *EventInput) { e.OnlineURL = "javascript:alert(1)" }, "event_online_url"},
		{"online link without host", func(e *EventInput) { e.OnlineURL = "https:///path" }, "event_online_url"},
		{"online link relative", func(e *EventInput) { e.OnlineURL = "/live" }, "event_online_url"},
		{"registration link with a space", func(e *EventInput) { e.RegistrationURL = "https://example.edu/a b" }, "event_registration_url"},
		{"registration link too long", func(e *EventInput) {
			e.RegistrationURL = "https://example.edu/" + strings.Repeat("a", MaxEventURLLen)
		}, "event_registration_url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := lecture()
			tt.change(ev)
			_, err := f.svc.Create(ctx, writer, ArticleInput{Title: "Lecture", CategoryID: f.cat.ID, Event: ev})
			if msg := fieldError(t, err, tt.field); msg == "" {
				t.Errorf("no message for %s in %v", tt.field, err)
			}
		})
	}
	var n int64
	f.svc.db.Raw("SELECT COUNT(*) FROM articles").Scan(&n)
	if n != 0 {
		t.Errorf("%d invalid articles stored", n)
	}

	// Fine: an all-day event of one day, an online event without venue, an http link.
	for _, ev := range []*EventInput{
		{Start: time.Date(2026, 3, 12, 0, 0, 0, 0, berlin), End: time.Date(2026, 3, 12, 0, 0, 0, 0, berlin), AllDay: true,
			TimeZone: "Europe/Berlin", Venue: "Main Campus"},
		{Start: testStart, End: testStart.Add(time.Hour), TimeZone: "UTC", OnlineURL: "http://stream.example.edu/live?id=3"},
	} {
		if _, err := f.svc.Create(ctx, writer, ArticleInput{Title: "Fine", CategoryID: f.cat.ID, Event: ev}); err != nil {
			t.Errorf("%+v: %v", ev, err)
		}
	}
}

// An event is saved with its article, read back with it, and removed when the article is
// saved without one or deleted.
func TestEventSaveAndRemove(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	art, err := f.svc.Create(ctx, writer, ArticleInput{Title: "Lecture", CategoryID: f.cat.ID, Event: lecture()})
	if err != nil {
		t.Fatal(err)
	}
	want := Event{ArticleID: art.ID, StartsAt: time.Date(2026, 3, 12, 17, 0, 0, 0, time.UTC),
		EndsAt: time.Date(2026, 3, 12, 19, 0, 0, 0, time.UTC), TimeZone: "Europe/Berlin",
		Venue: "Harrington Lecture Theatre", RegistrationURL: "https://example.edu/register"}
	if art.Event == nil || *art.Event != want {
		t.Fatalf("saved event %+v, want %+v", art.Event, want)
	}
	got, err := f.svc.Article(ctx, art.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Event == nil || *got.Event != want {
		t.Fatalf("read event %+v, want %+v", got.Event, want)
	}
	if s := got.Event.Start().Format("Monday 2 January 2006 15:04 MST"); s != "Thursday 12 March 2026 18:00 CET" {
		t.Errorf("start in its zone: %s", s)
	}

	in := inputOf(got)
	in.Event = nil
	if _, err := f.svc.Update(ctx, writer, art.ID, in, got.UpdatedAt); err != nil {
		t.Fatal(err)
	}
	if got, err = f.svc.Article(ctx, art.ID); err != nil || got.Event != nil {
		t.Fatalf("after removing the event: %+v, %v", got.Event, err)
	}

	in.Event = lecture()
	if got, err = f.svc.Update(ctx, writer, art.ID, in, time.Time{}); err != nil {
		t.Fatal(err)
	}
	mustPublish(t, f.svc, art.ID)
	if err := f.svc.Delete(ctx, editor, art.ID); err != nil {
		t.Fatal(err)
	}
	var n int64
	f.svc.db.Raw("SELECT COUNT(*) FROM article_events").Scan(&n)
	if n != 0 {
		t.Errorf("%d events left after deleting their article", n)
	}
}

// An all-day event is kept as the midnights, in its zone, that begin its first day and end its
// last, whatever times of those days it was given; its input gives back the two days.
func TestAllDayEvent(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	ev := &EventInput{Start: time.Date(2026, 6, 8, 15, 30, 0, 0, auckland), End: time.Date(2026, 6, 10, 9, 0, 0, 0, auckland),
		AllDay: true, TimeZone: "Pacific/Auckland", Venue: "Market Square"}
	art := mustCreateEvent(t, f.svc, f.cat.ID, "Festival", ev, false)
	e := art.Event
	if want := time.Date(2026, 6, 8, 0, 0, 0, 0, auckland); !e.StartsAt.Equal(want) {
		t.Errorf("starts %v, want %v", e.StartsAt, want)
	}
	if want := time.Date(2026, 6, 11, 0, 0, 0, 0, auckland); !e.EndsAt.Equal(want) {
		t.Errorf("ends %v, want %v (midnight after the last day)", e.EndsAt, want)
	}
	if got := e.LastDay().Format("2 January 2006"); got != "10 June 2026" {
		t.Errorf("last day %s", got)
	}
	back := e.Input()
	if !back.Start.Equal(time.Date(2026, 6, 8, 0, 0, 0, 0, auckland)) || !back.End.Equal(time.Date(2026, 6, 10, 0, 0, 0, 0, auckland)) {
		t.Errorf("input of the stored event: %v – %v", back.Start, back.End)
	}

	// In Auckland the festival's last day ends at 12:00 UTC on 10 June.
	end := time.Date(2026, 6, 10, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		now      time.Time
		upcoming bool
	}{
		{end.Add(-time.Second), true},
		{end, false},
	} {
		up, err := f.svc.UpcomingEvents(ctx, []int64{f.cat.ID}, tt.now, 10)
		if err != nil {
			t.Fatal(err)
		}
		if (len(up) == 1) != tt.upcoming {
			t.Errorf("at %v: %d upcoming, want upcoming %v", tt.now, len(up), tt.upcoming)
		}
	}
}

// An event is upcoming until the instant it ends, then past; the lists hold only published
// events of the categories asked for, upcoming ones by start and past ones latest first.
func TestUpcomingAndPastEvents(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	other := mustCreateCategory(t, f.svc, "Other", &f.section.ID)
	at := func(day, hour int) time.Time { return time.Date(2025, 4, day, hour, 0, 0, 0, time.UTC) }
	mk := func(title string, cat int64, from, to time.Time) *Article {
		return mustCreateEvent(t, f.svc, cat, title, &EventInput{Start: from, End: to, TimeZone: "UTC", Venue: "Hall"}, false)
	}
	later := mk("Later", f.cat.ID, at(20, 10), at(20, 12))
	soon := mk("Soon", f.cat.ID, at(5, 10), at(5, 12))
	long := mk("Long", f.cat.ID, at(1, 9), at(30, 17)) // starts first, ends last
	elsewhere := mk("Elsewhere", other.ID, at(6, 10), at(6, 12))
	draft, err := f.svc.Create(ctx, editor, ArticleInput{Title: "Draft", CategoryID: f.cat.ID,
		Event: &EventInput{Start: at(7, 10), End: at(7, 12), TimeZone: "UTC", Venue: "Hall"}})
	if err != nil {
		t.Fatal(err)
	}
	_ = draft

	titles := func(arts []Article) string {
		var out []string
		for _, a := range arts {
			if a.Event == nil {
				t.Errorf("%q without its event", a.Title)
			}
			out = append(out, a.Title)
		}
		return strings.Join(out, ", ")
	}
	upcoming := func(now time.Time, ids ...int64) string {
		t.Helper()
		arts, err := f.svc.UpcomingEvents(ctx, ids, now, 10)
		if err != nil {
			t.Fatal(err)
		}
		return titles(arts)
	}
	past := func(now time.Time, page int) (string, int64, error) {
		l, err := f.svc.PastEvents(ctx, []int64{f.cat.ID, other.ID}, now, page, 2)
		if err != nil {
			return "", 0, err
		}
		return titles(l.Articles), l.Total, nil
	}

	if got := upcoming(at(1, 0), f.cat.ID, other.ID); got != "Long, Soon, Elsewhere, Later" {
		t.Errorf("upcoming on 1 April: %s", got)
	}
	if got := upcoming(at(1, 0), f.cat.ID); got != "Long, Soon, Later" {
		t.Errorf("upcoming in one category: %s", got)
	}
	if got := upcoming(at(5, 12).Add(-time.Second), f.cat.ID); got != "Long, Soon, Later" {
		t.Errorf("a second before Soon ends: %s", got)
	}
	if got := upcoming(at(5, 12), f.cat.ID); got != "Long, Later" {
		t.Errorf("when Soon ends: %s", got)
	}
	if got, n, err := past(at(5, 12), 1); err != nil || got != "Soon" || n != 1 {
		t.Errorf("past when Soon ends: %q (%d), %v", got, n, err)
	}
	if got := upcoming(at(30, 18), f.cat.ID, other.ID); got != "" {
		t.Errorf("upcoming when all are over: %s", got)
	}
	if got, n, err := past(at(30, 18), 1); err != nil || got != "Long, Later" || n != 4 {
		t.Errorf("past page 1: %q (%d), %v", got, n, err)
	}
	if got, _, err := past(at(30, 18), 2); err != nil || got != "Elsewhere, Soon" {
		t.Errorf("past page 2: %q, %v", got, err)
	}
	if _, _, err := past(at(30, 18), 3); !errors.Is(err, ErrNotFound) {
		t.Errorf("past page 3: %v, want ErrNotFound", err)
	}
	if got, n, err := past(at(1, 0), 1); err != nil || got != "" || n != 0 {
		t.Errorf("past before any: %q (%d), %v", got, n, err)
	}
	if arts, err := f.svc.UpcomingEvents(ctx, nil, at(1, 0), 10); err != nil || len(arts) != 0 {
		t.Errorf("upcoming in no category: %d, %v", len(arts), err)
	}

	got, err := f.svc.PublishedEvent(ctx, soon.ID)
	if err != nil || got.Event == nil || got.Title != "Soon" {
		t.Errorf("PublishedEvent: %+v, %v", got, err)
	}
	if _, err := f.svc.PublishedEvent(ctx, draft.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("PublishedEvent of a draft: %v", err)
	}
	plain := mustCreateArticle(t, f.svc, editor, f.cat.ID, "Plain", "Text")
	mustPublish(t, f.svc, plain.ID)
	if _, err := f.svc.PublishedEvent(ctx, plain.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("PublishedEvent of an article without event: %v", err)
	}
	view, err := f.svc.ArticleView(ctx, long.ID, 4)
	if err != nil || view.Article.Event == nil || !view.Article.Event.EndsAt.Equal(at(30, 17)) {
		t.Errorf("article view of an event: %+v, %v", view.Article.Event, err)
	}
	if view, err = f.svc.ArticleView(ctx, plain.ID, 4); err != nil || view.Article.Event != nil {
		t.Errorf("article view without event: %+v, %v", view.Article.Event, err)
	}
	_, _ = later, elsewhere
}

// A pinned or featured event leads the home page until it ends, and not after.
func TestHeadlinesDropEndedEvents(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	ends := testStart.Add(2 * time.Hour)
	ev := mustCreateEvent(t, f.svc, f.cat.ID, "Pinned event",
		&EventInput{Start: testStart.Add(time.Hour), End: ends, TimeZone: "UTC", Venue: "Hall"}, true)
	news := mustCreateArticle(t, f.svc, editor, f.cat.ID, "Pinned news", "Text")
	in := inputOf(news)
	in.Pinned = true
	if _, err := f.svc.SaveAndStep(ctx, editor, news.ID, in, time.Time{}, StepPublish, nil); err != nil {
		t.Fatal(err)
	}
	heads := func() []int64 {
		front, err := f.svc.Front(ctx, FrontSpec{Stories: []int64{f.cat.ID}, Headlines: 5})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, a := range front.Headlines {
			ids = append(ids, a.ID)
		}
		return ids
	}
	if got := heads(); len(got) != 2 {
		t.Fatalf("headlines before the event ends: %v, want both", got)
	}
	f.clock.set(ends.Add(-time.Second))
	if got := heads(); len(got) != 2 {
		t.Errorf("a second before the end: %v, want both", got)
	}
	f.clock.set(ends)
	if got := heads(); len(got) != 1 || got[0] != news.ID {
		t.Errorf("once the event is over: %v, want only %d (not %d)", got, news.ID, ev.ID)
	}
}

// A revision keeps the event; restoring it brings the event back, and restoring one without
// an event takes it away.
func TestRestoreRevisionRestoresEvent(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	art, err := f.svc.Create(ctx, writer, ArticleInput{Title: "Lecture", CategoryID: f.cat.ID}) // revision 1: no event
	if err != nil {
		t.Fatal(err)
	}
	in := inputOf(art)
	in.Event = lecture()
	if art, err = f.svc.Update(ctx, writer, art.ID, in, time.Time{}); err != nil { // revision 2: the lecture
		t.Fatal(err)
	}
	in.Event.Venue = "Great Hall"
	if art, err = f.svc.Update(ctx, writer, art.ID, in, time.Time{}); err != nil { // revision 3: moved
		t.Fatal(err)
	}
	in.Event = nil
	if art, err = f.svc.Update(ctx, writer, art.ID, in, time.Time{}); err != nil { // revision 4: no event
		t.Fatal(err)
	}
	revs, err := f.svc.Revisions(ctx, art.ID)
	if err != nil || len(revs) != 4 {
		t.Fatalf("%d revisions, %v", len(revs), err)
	}
	full, err := f.svc.Revision(ctx, revs[2].ID)
	if err != nil {
		t.Fatal(err)
	}
	var snap struct {
		Event *struct {
			Venue    string `json:"venue"`
			TimeZone string `json:"time_zone"`
		} `json:"event"`
	}
	if err := json.Unmarshal([]byte(full.Snapshot), &snap); err != nil || snap.Event == nil ||
		snap.Event.Venue != "Harrington Lecture Theatre" || snap.Event.TimeZone != "Europe/Berlin" {
		t.Fatalf("snapshot of revision 2: %s (%v)", full.Snapshot, err)
	}

	cur, _ := f.svc.Article(ctx, art.ID)
	if same, err := f.svc.RevisionIsCurrent(ctx, cur, full); err != nil || same {
		t.Errorf("a revision with an event is current for an article without: %v, %v", same, err)
	}
	restored, err := f.svc.RestoreRevision(ctx, writer, art.ID, revs[2].ID)
	if err != nil {
		t.Fatal(err)
	}
	if restored.Event == nil || restored.Event.Venue != "Harrington Lecture Theatre" {
		t.Fatalf("restored event: %+v", restored.Event)
	}
	got, _ := f.svc.Article(ctx, art.ID)
	if got.Event == nil || !got.Event.StartsAt.Equal(time.Date(2026, 3, 12, 17, 0, 0, 0, time.UTC)) {
		t.Errorf("stored after restore: %+v", got.Event)
	}
	if _, err := f.svc.RestoreRevision(ctx, writer, art.ID, revs[2].ID); !errors.Is(err, ErrRevisionIsCurrent) {
		t.Errorf("restoring the same again: %v", err)
	}
	if _, err := f.svc.RestoreRevision(ctx, writer, art.ID, revs[1].ID); err != nil {
		t.Fatal(err)
	}
	if got, _ = f.svc.Article(ctx, art.ID); got.Event == nil || got.Event.Venue != "Great Hall" {
		t.Errorf("after restoring revision 3: %+v", got.Event)
	}
	if _, err := f.svc.RestoreRevision(ctx, writer, art.ID, revs[3].ID); err != nil {
		t.Fatal(err)
	}
	if got, _ = f.svc.Article(ctx, art.ID); got.Event != nil {
		t.Errorf("after restoring revision 1, which had no event: %+v", got.Event)
	}
}

// The first edit of an imported event keeps the event in the revision of the original.
func TestImportedEvent(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	var id int64
	pub := testStart.Add(-24 * time.Hour)
	err := f.svc.Batch(ctx, editor, func(b *Batch) error {
		a, err := b.Import(Imported{ArticleInput: ArticleInput{Title: "Imported", CategoryID: f.cat.ID, Event: lecture()},
			Status: Published, PublishedAt: &pub})
		if err != nil {
			return err
		}
		id = a.ID
		_, err = b.Import(Imported{ArticleInput: ArticleInput{Title: "Bad", CategoryID: f.cat.ID,
			Event: &EventInput{TimeZone: "UTC", Venue: "Hall"}}})
		if fieldError(t, err, "event_start") == "" {
			t.Errorf("import of an event without times: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	up, err := f.svc.UpcomingEvents(ctx, []int64{f.cat.ID}, testStart, 10)
	if err != nil || len(up) != 1 || up[0].ID != id {
		t.Fatalf("imported event upcoming: %v, %v", up, err)
	}
	art, _ := f.svc.Article(ctx, id)
	in := inputOf(art)
	in.Event = nil
	if _, err := f.svc.Update(ctx, editor, id, in, time.Time{}); err != nil {
		t.Fatal(err)
	}
	revs, _ := f.svc.Revisions(ctx, id)
	orig, _ := f.svc.Revision(ctx, revs[len(revs)-1].ID)
	if !strings.Contains(orig.Snapshot, `"venue":"Harrington Lecture Theatre"`) {
		t.Errorf("the original's revision lacks the event: %s", orig.Snapshot)
	}
}

// The upcoming list seeks the events index rather than reading every event or article.
func TestUpcomingQueryUsesIndex(t *testing.T) {
	svc, _ := newTestService(t)
	dbtest.SQLiteOnly(t, "reads SQLite's query plans")
	var rows []struct{ Detail string }
	err := svc.db.Raw("EXPLAIN QUERY PLAN SELECT "+eventColumns+publishedEvents+
		"AND e.ends_at > ? ORDER BY e.starts_at, e.ends_at, e.article_id LIMIT ?", Published, []int64{1, 2}, testStart, 10).Scan(&rows).Error
	if err != nil {
		t.Fatal(err)
	}
	var plan []string
	for _, r := range rows {
		plan = append(plan, r.Detail)
	}
	joined := strings.Join(plan, "; ")
	if !strings.Contains(joined, "article_events_ends (ends_at>?)") {
		t.Errorf("upcoming events plan: %s", joined)
	}
}
