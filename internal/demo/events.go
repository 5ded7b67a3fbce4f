package demo

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"campusnews/internal/news"
)

// The demo site's events. The four announced in articles_news.go keep the dates their texts
// name, long past or not; the articles here are dated from the day the demo is loaded, so the
// site always has events to come in the next weeks and months, and some just over. Their texts
// name no dates: the article page's "When and where" box does. Not every event is in the
// Events category: an event is a kind of article, and the alumni, admissions and careers
// offices announce theirs in their own sections.

// demoZone is where the demo university is: its events' times are this zone's.
const demoZone = "Europe/London"

// demoEvent is the event announced by the demo article titled Title. Start and End are, in
// demoZone, "2006-01-02 15:04" or, for an all-day event, "2006-01-02" (End its last day); or
// the same counted in days from the day the demo is loaded: "+10 18:00", "-8 21:00", "+40".
type demoEvent struct {
	Title                       string
	Start, End                  string
	Venue, Online, Registration string
}

var demoEvents = []demoEvent{
	{Title: "Open Day 2026: Explore Northbridge on Saturday 17 October", Start: "2026-10-17 09:30", End: "2026-10-17 16:00",
		Venue: "Great Hall, Cathedral Road, Main Campus", Registration: "https://northbridge.example.edu/admissions/open-day"},
	{Title: "Public Lecture: The Chemistry of Clean Water", Start: "2025-02-26 18:00", End: "2025-02-26 19:30",
		Venue: "Harrington Lecture Theatre, Science Quarter", Online: "https://stream.northbridge.example.edu/clean-water"},
	{Title: "Northbridge Science Festival Returns to the City Centre", Start: "2019-06-08", End: "2019-06-10",
		Venue: "Market Square, City Museum and Central Library, Northbridge"},
	{Title: "Spring Concert by the University Symphony Orchestra", Start: "2021-04-24 19:30", End: "2021-04-24 21:30",
		Venue: "Aldridge Concert Hall", Online: "https://stream.northbridge.example.edu/music"},

	{Title: "Alumni Winter Reception Brings Graduates Back to the Great Hall", Start: "-8 18:30", End: "-8 21:00",
		Venue: "Great Hall, Cathedral Road, Main Campus"},
	{Title: "Winter Lecture: Living with Rising Seas", Start: "+10 18:00", End: "+10 19:30",
		Venue: "Harrington Lecture Theatre, Science Quarter", Registration: "https://northbridge.example.edu/events/rising-seas"},
	{Title: "Online Information Session for International Applicants", Start: "+21 12:00", End: "+21 13:15",
		Online: "https://meet.northbridge.example.edu/international-applicants", Registration: "https://northbridge.example.edu/admissions/international/sessions"},
	{Title: "Graduate Research Showcase: Three Days of Open Labs", Start: "+40", End: "+42",
		Venue: "Science Quarter and the Great Hall, Main Campus"},
	{Title: "Spring Careers Fair Meets More Than a Hundred Employers", Start: "+95 10:00", End: "+95 16:00",
		Venue: "Sports Centre, North Campus", Registration: "https://northbridge.example.edu/careers/fair"},
}

// eventArticles are the articles of the events dated from now, published some days before
// their events (and never after now).
func eventArticles(now time.Time) []demoArticle {
	arts := []demoArticle{
		{
			Category: "campus-life/alumni",
			Title:    "Alumni Winter Reception Brings Graduates Back to the Great Hall",
			Summary:  "Graduates from six decades meet current students and staff for an evening of music, speeches and the Alumni Awards.",
			Source:   "Alumni Relations Office", Author: "Priya Raman", Photographer: "Tomasz Wielgosz", Editor: "Helen Marsh",
			Tags: []string{"alumni", "events", "community"},
			Body: `The Alumni Relations Office invites graduates of every year to the winter reception in the Great Hall, with a welcome from the President and the presentation of this year's Alumni Awards.

The University Brass Ensemble plays from half past six, and student societies show what they have been doing. Tours of the new Centre for Coastal Engineering leave from the foyer during the evening.

Entry is free for graduates and one guest.`,
		},
		{
			Category: "news-events/events",
			Title:    "Winter Lecture: Living with Rising Seas",
			Summary:  "Dr Nadia Rahman of the Centre for Coastal Engineering on how towns can plan for higher seas, in a free public lecture.",
			Source:   "Centre for Coastal Engineering", Author: "Daniel Forsyth", Photographer: "Yuki Tanabe", Editor: "David Okoye",
			Tags: []string{"events", "research", "sustainability"},
			Body: `Coastal towns face a choice between defending, adapting and moving. In this winter lecture Dr Nadia Rahman shows what the harbour surveys of the Centre for Coastal Engineering tell us about the next fifty years, and which decisions cannot wait.

The lecture is free and open to everyone, with questions from the audience afterwards. Places in the theatre are limited, so please register.

Doors open half an hour before the start, with hot drinks in the foyer.`,
		},
		{
			Category: "admissions/international",
			Title:    "Online Information Session for International Applicants",
			Summary:  "Admissions staff and current students answer questions about applying, visas, scholarships and arriving in Northbridge.",
			Source:   "International Office", Author: "Jasmine Clarke", Editor: "Helen Marsh",
			Tags: []string{"international", "admissions", "events"},
			Body: `Thinking of studying at Northbridge from abroad? Join our online information session to hear how applications work, what the visa process involves, and which scholarships are open to international students.

Current students from four continents talk about their first weeks here and take your questions in the chat.

The session is free. Register to receive the link and a reminder; a recording is sent to everyone who registers.`,
		},
		{
			Category: "news-events/events",
			Title:    "Graduate Research Showcase: Three Days of Open Labs",
			Summary:  "Doctoral researchers open their laboratories, studios and archives to visitors, with talks, posters and demonstrations.",
			Source:   "Graduate School", Author: "Rachel Dunmore", Photographer: "Samuel Boateng", Editor: "David Okoye",
			Tags: []string{"research", "students", "events"},
			Body: `For three days the Graduate School opens the doors of the Science Quarter and the Great Hall to anyone curious about research at Northbridge.

Doctoral researchers show their work in short talks every hour, at poster sessions and in live demonstrations, from robots that sort recycling to the restoration of medieval manuscripts.

No booking is needed. Schools are welcome on the first two days; please contact the Graduate School to arrange a group visit.`,
		},
		{
			Category: "campus-life/students",
			Title:    "Spring Careers Fair Meets More Than a Hundred Employers",
			Summary:  "Students and recent graduates meet employers from engineering, health, the arts and public service at the spring careers fair.",
			Source:   "Careers Service", Author: "Martin Hale", Editor: "Helen Marsh",
			Tags: []string{"students", "events", "alumni"},
			Body: `The spring careers fair brings more than a hundred employers to the Sports Centre, from local firms to international organisations, looking for interns, graduates and volunteers.

Careers advisers check CVs at the entrance, and short workshops through the day cover interviews, applications and starting your own business.

The fair is open to all students and to graduates of the last three years. Register in advance to skip the queue at the door.`,
		},
	}
	for i := range arts {
		if e, ok := eventFor(arts[i].Title); ok {
			start, _, _, _ := e.times(now)
			pub := start.AddDate(0, 0, -24)
			if latest := now.AddDate(0, 0, -2); pub.After(latest) {
				pub = latest
			}
			arts[i].Published = pub.UTC().Format("2006-01-02") + " 09:00"
		}
	}
	return arts
}

// eventFor returns the event of the article titled title, if it has one.
func eventFor(title string) (demoEvent, bool) {
	for _, e := range demoEvents {
		if e.Title == title {
			return e, true
		}
	}
	return demoEvent{}, false
}

// input is e as the news service takes it, dated from now.
func (e demoEvent) input(now time.Time) (*news.EventInput, error) {
	start, end, allDay, err := e.times(now)
	if err != nil {
		return nil, err
	}
	return &news.EventInput{Start: start, End: end, AllDay: allDay, TimeZone: demoZone,
		Venue: e.Venue, OnlineURL: e.Online, RegistrationURL: e.Registration}, nil
}

// times reads e's Start and End in demoZone. A relative event falls on the working day nearest
// the day it counts to, outside the winter break (after it for events to come, before it for
// those past, so that they stay what they are), and keeps its length.
func (e demoEvent) times(now time.Time) (start, end time.Time, allDay bool, err error) {
	loc, err := time.LoadLocation(demoZone)
	if err != nil {
		return start, end, false, err
	}
	if !relative(e.Start) {
		if start, allDay, err = fixedWhen(e.Start, loc); err == nil {
			end, _, err = fixedWhen(e.End, loc)
		}
		if err != nil {
			return start, end, false, fmt.Errorf("demo: event %q: %w", e.Title, err)
		}
		return start, end, allDay, nil
	}
	from, fromClock, err1 := relativeWhen(e.Start)
	to, toClock, err2 := relativeWhen(e.End)
	if err := errors.Join(err1, err2); err != nil {
		return start, end, false, fmt.Errorf("demo: event %q: %w", e.Title, err)
	}
	d := now.In(loc)
	step := 1
	if from < 0 {
		step = -1
	}
	day := workingDay(time.Date(d.Year(), d.Month(), d.Day()+from, 0, 0, 0, 0, loc), step)
	last := time.Date(day.Year(), day.Month(), day.Day()+to-from, 0, 0, 0, 0, loc)
	return at(day, fromClock), at(last, toClock), fromClock == "", nil
}

func relative(s string) bool { return strings.HasPrefix(s, "+") || strings.HasPrefix(s, "-") }

// fixedWhen reads "2006-01-02 15:04" or "2006-01-02" (allDay) in loc.
func fixedWhen(s string, loc *time.Location) (time.Time, bool, error) {
	if t, err := time.ParseInLocation("2006-01-02 15:04", s, loc); err == nil {
		return t, false, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, loc)
	return t, true, err
}

// relativeWhen reads "+10 18:00" or "+40" into days and a clock time, "" for a day alone.
func relativeWhen(s string) (int, string, error) {
	days, clock, _ := strings.Cut(s, " ")
	n, err := strconv.Atoi(days)
	if err != nil {
		return 0, "", fmt.Errorf("day %q: %w", s, err)
	}
	if clock != "" {
		if _, err := time.Parse("15:04", clock); err != nil {
			return 0, "", fmt.Errorf("time %q: %w", s, err)
		}
	}
	return n, clock, nil
}

// workingDay is day, or the first day after it (step 1) or before it (step -1) that is neither
// a weekend nor in the winter break (23 December to 2 January).
func workingDay(day time.Time, step int) time.Time {
	for {
		m, d := day.Month(), day.Day()
		winter := m == time.December && d >= 23 || m == time.January && d <= 2
		if day.Weekday() != time.Saturday && day.Weekday() != time.Sunday && !winter {
			return day
		}
		day = time.Date(day.Year(), day.Month(), day.Day()+step, 0, 0, 0, 0, day.Location())
	}
}

// at is day at clock ("15:04"), or day itself for "".
func at(day time.Time, clock string) time.Time {
	if clock == "" {
		return day
	}
	c, _ := time.Parse("15:04", clock) // checked by relativeWhen
	return time.Date(day.Year(), day.Month(), day.Day(), c.Hour(), c.Minute(), 0, 0, day.Location())
}
