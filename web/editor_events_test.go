package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The article form's event fields: shown with the site's zone for a new article, saved with
// the article, refused beside their fields with the input kept, and removed when emptied.
func TestEventFormFields(t *testing.T) {
	ev := newEventsEnv(t)
	resp, body := ev.ed.get("/editor/articles/new")
	mustStatus(t, resp, body, http.StatusOK)
	for _, want := range []string{"<legend>Event</legend>", `<details class="event-fields">`, `name="event_start_date"`,
		`name="event_start_time"`, `name="event_end_date"`, `name="event_end_time"`, `name="event_all_day"`,
		`name="event_time_zone" value="UTC"`, `name="event_venue"`, `name="event_online_url"`, `name="event_registration_url"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the new article form lacks %s", want)
		}
	}
	cat := strconv.FormatInt(ev.events.ID, 10)
	post := func(changes url.Values) (*http.Response, string) {
		base := url.Values{"title": {"Concert"}, "summary": {"A concert"}, "body_source": {"Music."}, "category_id": {cat},
			"action": {"save"}, "event_start_date": {"2030-03-12"}, "event_start_time": {"19:30"},
			"event_end_time": {"21:45"}, "event_time_zone": {"Europe/Berlin"}, "event_venue": {"Aldridge Hall"}}
		for k, v := range changes {
			base[k] = v
		}
		return ev.ed.sendForm("/editor/articles/new", "/editor/articles/new", base)
	}

	for _, tt := range []struct {
		name    string
		changes url.Values
		field   string
		message string
	}{
		{"end before start", url.Values{"event_end_time": {"18:00"}}, "event_end", "The event must end after it starts"},
		{"no start time", url.Values{"event_start_time": {""}}, "event_start", "Enter the time it starts"},
		{"a date that is none", url.Values{"event_start_date": {"12/03/2030"}}, "event_start", "Enter a date such as"},
		{"last day before first", url.Values{"event_all_day": {"1"}, "event_end_date": {"2030-03-11"}}, "event_end", "The last day cannot be before the first"},
		{"unknown zone", url.Values{"event_time_zone": {"Europe/Atlantis"}}, "event_time_zone", "Use a time zone name"},
		{"no place", url.Values{"event_venue": {""}, "event_registration_url": {"https://example.edu/r"}}, "event_venue", "Give the venue, an online link, or both"},
		{"bad link", url.Values{"event_online_url": {"stream.example.edu"}}, "event_online_url", "Enter a whole web address"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := post(tt.changes)
			mustStatus(t, resp, body, http.StatusUnprocessableEntity)
			if !regexp.MustCompile(`id="` + tt.field + `-error">` + regexp.QuoteMeta(tt.message)).MatchString(body) {
				t.Errorf("no error %q beside %s", tt.message, tt.field)
			}
			if !strings.Contains(body, `<details class="event-fields" open>`) {
				t.Error("the event's fields are closed while they hold an error")
			}
			if !strings.Contains(body, `<a href="#`+tt.field+`">`) {
				t.Error("the error summary does not link the field")
			}
			if tt.name == "a date that is none" && !strings.Contains(body, `<input type="text" id="event_start"`) {
				t.Error("a refused date that a date control cannot hold is not shown in a text field")
			}
			for name, v := range tt.changes {
				if v[0] != "" && v[0] != "1" && !strings.Contains(body, `name="`+name+`" value="`+v[0]+`"`) {
					t.Errorf("%s %q not kept", name, v[0])
				}
			}
		})
	}
	if n := len(ev.eventRows(t)); n != 0 {
		t.Fatalf("%d events saved by refused forms", n)
	}

	resp, body = post(nil)
	mustStatus(t, resp, body, http.StatusSeeOther)
	id, _ := strconv.ParseInt(strings.TrimPrefix(resp.Header.Get("Location"), "/editor/articles/"), 10, 64)
	a, err := ev.news.Article(context.Background(), id)
	if err != nil || a.Event == nil {
		t.Fatalf("saved article %d: %v, event %v", id, err, a)
	}
	if e := a.Event; !e.StartsAt.Equal(time.Date(2030, 3, 12, 18, 30, 0, 0, time.UTC)) || !e.EndsAt.Equal(time.Date(2030, 3, 12, 20, 45, 0, 0, time.UTC)) ||
		e.TimeZone != "Europe/Berlin" || e.Venue != "Aldridge Hall" || e.AllDay {
		t.Errorf("saved event %+v", e)
	}
	_, body = ev.ed.get(editURL(id))
	for _, want := range []string{`<details class="event-fields" open>`, `name="event_start_date" value="2030-03-12"`,
		`name="event_start_time" value="19:30"`, `name="event_end_date" value="2030-03-12"`, `name="event_end_time" value="21:45"`,
		`name="event_time_zone" value="Europe/Berlin"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the edit form lacks %s", want)
		}
	}
	// Saved again as it is, the event does not change.
	resp, body = ev.act(ev.ed, id, "save", nil)
	mustStatus(t, resp, body, http.StatusSeeOther)
	if b, _ := ev.news.Article(context.Background(), id); b.Event == nil || *b.Event != *a.Event {
		t.Errorf("saved unchanged: %+v, was %+v", b.Event, a.Event)
	}
	// All day: the times are not read; an empty last day is the first.
	resp, body = ev.act(ev.ed, id, "save", url.Values{"event_all_day": {"1"}, "event_end_date": {""}, "event_end_time": {"nonsense"}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	berlin := zoneOf(t, "Europe/Berlin")
	if b, _ := ev.news.Article(context.Background(), id); b.Event == nil || !b.Event.AllDay ||
		!b.Event.StartsAt.Equal(time.Date(2030, 3, 12, 0, 0, 0, 0, berlin)) || !b.Event.EndsAt.Equal(time.Date(2030, 3, 13, 0, 0, 0, 0, berlin)) {
		t.Errorf("all day: %+v", b.Event)
	}
	// Emptied, the event is gone.
	empty := url.Values{}
	for _, k := range []string{"event_start_date", "event_start_time", "event_end_date", "event_end_time", "event_venue",
		"event_online_url", "event_registration_url"} {
		empty.Set(k, "")
	}
	resp, body = ev.act(ev.ed, id, "save", empty)
	mustStatus(t, resp, body, http.StatusSeeOther)
	if b, _ := ev.news.Article(context.Background(), id); b.Event != nil {
		t.Errorf("emptied, the event stays: %+v", b.Event)
	}
	if _, body = ev.ed.get(editURL(id)); !strings.Contains(body, `<details class="event-fields">`) {
		t.Error("the fields of an article without event are open")
	}
}

// eventRows returns the article ids of the stored events.
func (ev *eventsEnv) eventRows(t *testing.T) []int64 {
	t.Helper()
	var ids []int64
	if err := ev.db.Raw("SELECT article_id FROM article_events").Scan(&ids).Error; err != nil {
		t.Fatal(err)
	}
	return ids
}
