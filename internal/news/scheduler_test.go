package news

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"campusnews/internal/changes"
	"campusnews/internal/database/dbtest"
	"campusnews/internal/search"
)

func TestScheduledPublishing(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc := f.svc
	story := mustCreateArticle(t, svc, writer, f.cat.ID, "Nobel laureate visits", "The laureate speaks on thermoacoustics.")
	if msg := fieldError(t, svc.Schedule(ctx, editor, story.ID, testStart), "publish_at"); msg == "" {
		t.Error("schedule at now accepted")
	}
	at := testStart.Add(time.Hour)
	if err := svc.Schedule(ctx, editor, story.ID, at.In(time.FixedZone("EST", -5*3600))); err != nil {
		t.Fatal(err)
	}
	got, err := svc.Article(ctx, story.ID)
	if err != nil || got.Status != Scheduled || !got.PublishedAt.Equal(at) || *got.ApprovedBy != editor.UserID {
		t.Fatalf("scheduled: %+v, %v", got, err)
	}

	gen := svc.Generation()
	f.clock.set(at.Add(-time.Second))
	if n, err := svc.PublishDue(ctx); err != nil || n != 0 {
		t.Fatalf("PublishDue before time = %d, %v", n, err)
	}
	if svc.Generation() != gen {
		t.Error("an idle PublishDue changed the generation")
	}
	if _, err := svc.PublishedArticle(ctx, story.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("scheduled article visible early: %v", err)
	}
	if ids := searchIDs(t, svc, "thermoacoustics"); len(ids) != 0 {
		t.Fatalf("scheduled article in search early: %v", ids)
	}

	f.clock.set(at)
	if n, err := svc.PublishDue(ctx); err != nil || n != 1 {
		t.Fatalf("PublishDue at time = %d, %v", n, err)
	}
	if svc.Generation() == gen {
		t.Error("publishing on time did not change the generation")
	}
	if got, err := svc.PublishedArticle(ctx, story.ID); err != nil || !got.PublishedAt.Equal(at) {
		t.Fatalf("published on time: %+v, %v", got, err)
	}
	if ids := searchIDs(t, svc, "thermoacoustics"); !slices.Equal(ids, []int64{story.ID}) {
		t.Fatalf("search after scheduled publish = %v", ids)
	}
	checkSystemEntry(t, svc, story.ID, "article.publish.scheduled")
}

func TestNoticeExpires(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc := f.svc
	notice, err := svc.Create(ctx, editor, ArticleInput{Title: "Parking closed", BodySource: "carpark resurfacing",
		CategoryID: f.cat.ID, ExpiresAt: ptr(testStart.Add(3 * time.Hour))})
	if err != nil {
		t.Fatal(err)
	}
	mustPublish(t, svc, notice.ID)
	f.clock.set(testStart.Add(3*time.Hour - time.Second))
	if n, err := svc.PublishDue(ctx); err != nil || n != 0 {
		t.Fatalf("PublishDue before expiry = %d, %v", n, err)
	}
	f.clock.set(testStart.Add(3 * time.Hour))
	gen := svc.Generation()
	if n, err := svc.PublishDue(ctx); err != nil || n != 1 {
		t.Fatalf("PublishDue at expiry = %d, %v", n, err)
	}
	if svc.Generation() == gen {
		t.Error("expiring did not change the generation")
	}
	if _, err := svc.PublishedArticle(ctx, notice.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("expired notice visible: %v", err)
	}
	if ids := searchIDs(t, svc, "resurfacing"); len(ids) != 0 {
		t.Errorf("expired notice in search: %v", ids)
	}
	if got, _ := svc.Article(ctx, notice.ID); got.Status != Expired {
		t.Errorf("notice status = %s", got.Status)
	}
	checkSystemEntry(t, svc, notice.ID, "article.expire")
}

// checkSystemEntry checks that the last audit entry of article id is action, by nobody.
func checkSystemEntry(t *testing.T, svc *Service, id int64, action string) {
	t.Helper()
	var e struct {
		Action string
		UserID *int64
	}
	err := svc.db.Table("audit_entries").Where("subject = ?", fmt.Sprintf("article %d", id)).Order("id DESC").Take(&e).Error
	if err != nil || e.Action != action || e.UserID != nil {
		t.Errorf("last audit entry of %d = %+v, %v; want %s by nobody", id, e, err, action)
	}
}

func TestScheduleRules(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc := f.svc
	notice, err := svc.Create(ctx, editor, ArticleInput{Title: "Exam timetable", CategoryID: f.cat.ID,
		ExpiresAt: ptr(testStart.Add(time.Hour))})
	if err != nil {
		t.Fatal(err)
	}
	if msg := fieldError(t, svc.Schedule(ctx, editor, notice.ID, testStart.Add(2*time.Hour)), "publish_at"); msg == "" {
		t.Error("schedule after expiry accepted")
	}
	mustPublish(t, svc, notice.ID)
	if err := svc.Schedule(ctx, editor, notice.ID, testStart.Add(time.Minute)); !errors.Is(err, ErrWrongStatus) {
		t.Errorf("schedule of a published article: %v", err)
	}

	// Unpublishing a scheduled article forgets the date it never reached.
	story := mustCreateArticle(t, svc, writer, f.cat.ID, "Later", "")
	if err := svc.Schedule(ctx, editor, story.ID, testStart.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := svc.Unpublish(ctx, editor, story.ID); err != nil {
		t.Fatal(err)
	}
	got, err := svc.Article(ctx, story.ID)
	if err != nil || got.Status != Draft || got.PublishedAt != nil {
		t.Errorf("unscheduled: %+v, %v", got, err)
	}
	f.clock.advance(2 * time.Hour)
	if n, err := svc.PublishDue(ctx); err != nil || n != 1 { // the notice expires, the draft stays
		t.Errorf("PublishDue = %d, %v", n, err)
	}
}

// Two instances of the site run the scheduler on one database: each due article is published
// once, with one audit entry and one search entry, whichever instance gets to it.
func TestPublishDueOnceAcrossInstances(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	otherDB := dbtest.Reopen(t, f.svc.db)
	w, err := changes.NewWatcher(ctx, otherDB)
	if err != nil {
		t.Fatal(err)
	}
	other := NewService(otherDB, w)
	other.SetClock(f.clock.now)
	at := testStart.Add(time.Hour)
	var ids []int64
	for i := range 20 {
		a := mustCreateArticle(t, f.svc, writer, f.cat.ID, fmt.Sprintf("Lecture %d on thermoacoustics", i), "Text.")
		if err := f.svc.Schedule(ctx, editor, a.ID, at); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	f.clock.set(at)
	var moved atomic.Int64
	var wg sync.WaitGroup
	for i := range 4 {
		svc := f.svc
		if i%2 == 1 {
			svc = other
		}
		wg.Go(func() {
			n, err := svc.PublishDue(ctx)
			if err != nil {
				t.Error(err)
			}
			moved.Add(int64(n))
		})
	}
	wg.Wait()
	if moved.Load() != int64(len(ids)) {
		t.Errorf("the schedulers moved %d articles together, want %d", moved.Load(), len(ids))
	}
	for _, id := range ids {
		acts := auditActions(t, f.svc, fmt.Sprintf("article %d", id))
		if n := len(slices.DeleteFunc(acts, func(a string) bool { return a != "article.publish.scheduled" })); n != 1 {
			t.Errorf("article %d: %d scheduled publishing entries, want 1", id, n)
		}
	}
	res, err := search.Search(ctx, f.svc.db, search.Parse("thermoacoustics "), nil, 1, search.MaxPerPage)
	if err != nil || res.Total != int64(len(ids)) {
		t.Errorf("search finds %v articles (%v), want %d", res, err, len(ids))
	}
}

func TestRunScheduler(t *testing.T) {
	f := newFixture(t)
	art := mustCreateArticle(t, f.svc, writer, f.cat.ID, "Timed", "")
	if err := f.svc.Schedule(context.Background(), editor, art.ID, testStart.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		f.svc.RunScheduler(ctx, 5*time.Millisecond, slog.New(slog.NewTextHandler(io.Discard, nil)))
		close(done)
	}()
	f.clock.advance(time.Minute)
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := f.svc.PublishedArticle(context.Background(), art.ID); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the scheduler did not publish the article")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("RunScheduler did not stop with its context")
	}
}

// TestDueQueryUsesIndexes guards the scheduler's once-a-second cost: each branch must seek
// on its time column, not walk every article of a status.
func TestDueQueryUsesIndexes(t *testing.T) {
	dbtest.SQLiteOnly(t, "reads SQLite's query plans")
	svc, _ := newTestService(t)
	tests := []struct {
		name  string
		query []any
		want  []string // in the plan
	}{
		{"due", []any{dueSQL, Scheduled, testStart, Published, testStart}, []string{"published_at<", "expires_at<"}},
		{"publish", []any{"SELECT id FROM articles WHERE status = ? AND published_at IS NOT NULL AND published_at <= ? ORDER BY published_at, id",
			Scheduled, testStart}, []string{"published_at<"}},
		{"expire", []any{"SELECT id FROM articles WHERE status = ? AND expires_at IS NOT NULL AND expires_at <= ? ORDER BY expires_at, id",
			Published, testStart}, []string{"expires_at<"}},
	}
	for _, tt := range tests {
		var rows []struct{ Detail string }
		if err := svc.db.Raw("EXPLAIN QUERY PLAN "+tt.query[0].(string), tt.query[1:]...).Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		var plan []string
		for _, r := range rows {
			plan = append(plan, r.Detail)
		}
		joined := strings.Join(plan, "; ")
		for _, w := range tt.want {
			if !strings.Contains(joined, w) || strings.Contains(joined, "SCAN articles") {
				t.Errorf("%s query plan lacks %q: %s", tt.name, w, joined)
			}
		}
	}
}

// BenchmarkPublishDueIdle is the scheduler's cost per tick when nothing is due, among many
// published articles, some of which expire later.
func BenchmarkPublishDueIdle(b *testing.B) {
	svc, _ := newTestService(b)
	ctx := context.Background()
	sec := mustCreateCategory(b, svc, "Section", nil)
	err := svc.db.Exec(fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
		INSERT INTO articles (category_id, title, slug, status, published_at, expires_at, created_at, updated_at)
		SELECT %d, 'a' || i, 'a-' || i, 'published', ?, CASE WHEN i %% 10 = 0 THEN ? END, ?, ? FROM n`, sec.ID),
		testStart.Add(-time.Hour), testStart.Add(time.Hour), testStart, testStart).Error
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if n, err := svc.PublishDue(ctx); err != nil || n != 0 {
			b.Fatal(n, err)
		}
	}
}
