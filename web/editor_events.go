package web

import (
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"campusnews/internal/news"
	"campusnews/internal/validate"
)

// Value formats of <input type="date"> and <input type="time">.
const (
	dateInput = "2006-01-02"
	timeInput = "15:04"
)

// EventForm is the event part of the article form, as typed. The dates and times are those of
// the event's own time zone.
type EventForm struct {
	StartDate, StartTime, EndDate, EndTime string
	AllDay                                 bool
	TimeZone                               string
	Venue, OnlineURL, RegistrationURL      string
}

// Empty reports whether nothing of an event was typed: the article announces none. The time
// zone, filled in beforehand, and the all-day box do not count.
func (f EventForm) Empty() bool {
	for _, v := range []string{f.StartDate, f.StartTime, f.EndDate, f.EndTime, f.Venue, f.OnlineURL, f.RegistrationURL} {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// readEventForm reads the event's fields of the article form.
func readEventForm(c echo.Context) EventForm {
	v := func(name string) string { return strings.TrimSpace(c.FormValue(name)) }
	return EventForm{
		StartDate: v("event_start_date"), StartTime: v("event_start_time"),
		EndDate: v("event_end_date"), EndTime: v("event_end_time"),
		AllDay: c.FormValue("event_all_day") != "", TimeZone: v("event_time_zone"),
		Venue: c.FormValue("event_venue"), OnlineURL: v("event_online_url"), RegistrationURL: v("event_registration_url"),
	}
}

// eventFormOf fills the event's fields from a stored event; without one, only the time zone,
// with the site's (loc).
func eventFormOf(e *news.Event, loc *time.Location) EventForm {
	if e == nil {
		return EventForm{TimeZone: loc.String()}
	}
	start, end := e.Start(), e.End()
	f := EventForm{StartDate: start.Format(dateInput), AllDay: e.AllDay, TimeZone: e.TimeZone,
		Venue: e.Venue, OnlineURL: e.OnlineURL, RegistrationURL: e.RegistrationURL}
	if e.AllDay {
		f.EndDate = e.LastDay().Format(dateInput)
		return f
	}
	f.StartTime, f.EndDate, f.EndTime = start.Format(timeInput), end.Format(dateInput), end.Format(timeInput)
	return f
}

// input turns the event's fields into the service's input: nil when nothing was typed. Dates
// and times are read in the event's time zone (in UTC when the name is wrong: the service
// refuses the name, so nothing is saved). A missing end date is the start's; times are not
// read for an all-day event. What cannot be read goes into errs.
func (f EventForm) input(errs validate.Errors) *news.EventInput {
	if f.Empty() {
		return nil
	}
	loc, err := time.LoadLocation(f.TimeZone)
	if err != nil || f.TimeZone == "" || f.TimeZone == "Local" {
		loc = time.UTC
	}
	ev := &news.EventInput{AllDay: f.AllDay, TimeZone: f.TimeZone, Venue: f.Venue, OnlineURL: f.OnlineURL,
		RegistrationURL: f.RegistrationURL}
	endDate := f.EndDate
	if endDate == "" {
		endDate = f.StartDate
	}
	ev.Start = readWhen(f.StartDate, f.StartTime, f.AllDay, loc, "event_start", errs)
	ev.End = readWhen(endDate, f.EndTime, f.AllDay, loc, "event_end", errs)
	return ev
}

// readWhen reads a date and, unless allDay, a time in loc; a missing date is left zero for the
// service to ask for, anything else that cannot be read is an error on field, which holds both
// (the service's own message on it, added later, gives way to this more precise one).
func readWhen(date, clock string, allDay bool, loc *time.Location, field string, errs validate.Errors) time.Time {
	if date == "" {
		return time.Time{}
	}
	d, err := time.ParseInLocation(dateInput, date, loc)
	if err != nil {
		errs.Add(field, "Enter a date such as 2026-03-12")
		return time.Time{}
	}
	if allDay {
		return d
	}
	if clock == "" {
		if field == "event_start" {
			errs.Add(field, "Enter the time it starts, or tick “All day”")
		} else {
			errs.Add(field, "Enter the time it ends, or tick “All day”")
		}
		return time.Time{}
	}
	for _, layout := range []string{timeInput, timeInput + ":05"} {
		if t, err := time.Parse(layout, clock); err == nil {
			return time.Date(d.Year(), d.Month(), d.Day(), t.Hour(), t.Minute(), t.Second(), 0, loc)
		}
	}
	errs.Add(field, "Enter a time such as 18:00")
	return time.Time{}
}

// InputType is kind ("date" or "time") for a value a browser's date or time control can hold,
// else "text": a value typed elsewhere that the form refused is shown again as typed, which
// a date or time control may not hold.
func (f EventForm) InputType(value, kind string) string {
	layouts := []string{dateInput}
	if kind == "time" {
		layouts = []string{timeInput, timeInput + ":05"}
	}
	if value == "" {
		return kind
	}
	for _, l := range layouts {
		if _, err := time.Parse(l, value); err == nil {
			return kind
		}
	}
	return "text"
}
