package web

import (
	"testing"
	"time"
)

// The events pages without the page cache: what a miss costs (the demo's events among 5,000
// generated articles, or the site of CAMPUSNEWS_BENCH_DATA).
func BenchmarkEventsRender(b *testing.B) {
	benchGet(b, benchEnv(b, 0), "/events", false)
}

func BenchmarkEventsPastRender(b *testing.B) {
	benchGet(b, benchEnv(b, 0), "/events/past", false)
}

func BenchmarkEventsCalendarRender(b *testing.B) {
	benchGet(b, benchEnv(b, 0), "/events.ics", false)
}

// An event's page: its event comes with the article's own query.
func BenchmarkEventArticleRender(b *testing.B) {
	env := benchEnv(b, 0)
	var id int64
	var slug string
	if err := env.db.Raw(`SELECT a.id, a.slug FROM articles a JOIN article_events e ON e.article_id = a.id
		WHERE a.status = 'published' AND e.ends_at > ? ORDER BY e.starts_at LIMIT 1`, time.Now().UTC()).Row().Scan(&id, &slug); err != nil {
		b.Fatal(err)
	}
	benchGet(b, env, "/news-events/events/"+itoa(id)+"/"+slug, false)
}
