package metrics_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"gorm.io/gorm"

	"campusnews/internal/accounts"
	"campusnews/internal/changes"
	"campusnews/internal/database"
	"campusnews/internal/metrics"
	"campusnews/internal/news"
)

// The observers the services take are what *Metrics implements.
var (
	_ news.SchedulerObserver = (*metrics.Metrics)(nil)
	_ accounts.Observer      = (*metrics.Metrics)(nil)
)

// openDB is a fresh migrated SQLite file.
func openDB(t *testing.T) *gorm.DB {
	t.Helper()
	db, err := database.Open(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(db) }) //nolint:errcheck
	if _, err := database.Migrate(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	return db
}

// value is the sum of the samples of family name whose labels include want: a counter's or
// gauge's value, a histogram's count. found is false when the family is not exported at all.
func value(t *testing.T, m *metrics.Metrics, name string, want map[string]string) (v float64, found bool) {
	t.Helper()
	fams, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
		found = true
		for _, s := range f.GetMetric() {
			if !hasLabels(s, want) {
				continue
			}
			switch {
			case s.Counter != nil:
				v += s.Counter.GetValue()
			case s.Gauge != nil:
				v += s.Gauge.GetValue()
			case s.Histogram != nil:
				v += float64(s.Histogram.GetSampleCount())
			}
		}
	}
	return v, found
}

func hasLabels(s *dto.Metric, want map[string]string) bool {
	n := 0
	for _, l := range s.GetLabel() {
		if w, ok := want[l.GetName()]; ok && w == l.GetValue() {
			n++
		}
	}
	return n == len(want)
}

func mustValue(t *testing.T, m *metrics.Metrics, name string, labels map[string]string) float64 {
	t.Helper()
	v, ok := value(t, m, name, labels)
	if !ok {
		t.Fatalf("%s is not exported", name)
	}
	return v
}

// The runtime and process collectors and the build information are there from the start, and
// every series whose labels are known in advance exists at 0.
func TestNewExportsEveryFamily(t *testing.T) {
	m := metrics.New()
	for _, name := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "process_cpu_seconds_total",
		"process_resident_memory_bytes", "campusnews_build_info",
		"campusnews_scheduler_runs_total", "campusnews_scheduler_failures_total", "campusnews_scheduler_articles_total",
		"campusnews_login_failures_total", "campusnews_login_throttled_total", "campusnews_login_lockouts_total",
		"campusnews_media_uploads_total", "campusnews_media_upload_duration_seconds",
		"campusnews_page_cache_hits_total", "campusnews_page_cache_misses_total", "campusnews_page_cache_not_modified_total",
		"campusnews_page_cache_evictions_total", "campusnews_db_query_duration_seconds"} {
		if _, ok := value(t, m, name, nil); !ok {
			t.Errorf("%s is not exported", name)
		}
	}
	if v := mustValue(t, m, "campusnews_build_info", nil); v != 1 {
		t.Errorf("build_info = %v", v)
	}
	// Two servers in one process keep apart.
	other := metrics.New()
	other.Upload(metrics.UploadStored, time.Millisecond)
	if v := mustValue(t, m, "campusnews_media_uploads_total", map[string]string{"result": "stored"}); v != 0 {
		t.Errorf("another server's upload counted here: %v", v)
	}
}

// Every statement is timed under its kind, through GORM's own calls, and the pool's
// statistics are exported.
func TestDatabaseQueriesTimedByKind(t *testing.T) {
	db := openDB(t)
	m := metrics.New()
	if err := m.InstrumentDB(db); err != nil {
		t.Fatal(err)
	}
	count := func(op string) float64 {
		return mustValue(t, m, "campusnews_db_query_duration_seconds", map[string]string{"operation": op})
	}
	before := map[string]float64{metrics.OpQuery: count(metrics.OpQuery), metrics.OpRow: count(metrics.OpRow), metrics.OpExec: count(metrics.OpExec)}

	ctx := context.Background()
	var cats []news.Category
	if err := db.WithContext(ctx).Find(&cats).Error; err != nil { // query
		t.Fatal(err)
	}
	var n int64
	if err := db.WithContext(ctx).Raw("SELECT COUNT(*) FROM categories").Scan(&n).Error; err != nil { // row
		t.Fatal(err)
	}
	if err := db.WithContext(ctx).Exec("UPDATE categories SET position = position WHERE id = 0").Error; err != nil { // exec
		t.Fatal(err)
	}
	for op, want := range map[string]float64{metrics.OpQuery: 1, metrics.OpRow: 1, metrics.OpExec: 1} {
		if got := count(op) - before[op]; got != want {
			t.Errorf("%s statements counted: %v, want %v", op, got, want)
		}
	}
	if v := mustValue(t, m, "go_sql_max_open_connections", map[string]string{"db_name": "campusnews"}); v != 8 {
		t.Errorf("go_sql_max_open_connections = %v, want 8", v)
	}
}

// clock is a clock the test moves; the scheduler reads it from its goroutine.
type clock struct{ unix atomic.Int64 }

func (c *clock) now() time.Time { return time.Unix(c.unix.Load(), 0).UTC() }

// The scheduler's runs, what they published and expired, and a failed run are counted as the
// real scheduler does them.
func TestSchedulerRunsCounted(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	w, err := changes.NewWatcher(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	svc := news.NewService(db, w)
	start := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
	var clk clock
	clk.unix.Store(start.Unix())
	svc.SetClock(clk.now)
	m := metrics.New()
	svc.SetSchedulerObserver(m)

	editor := news.Actor{UserID: 1, Email: "editor@example.edu", CanPublish: true, CanEditAny: true}
	sec, err := svc.CreateCategory(ctx, editor, news.CategoryInput{Name: "News & Events", Visible: true})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := svc.CreateCategory(ctx, editor, news.CategoryInput{Name: "News", ParentID: &sec.ID, Visible: true})
	if err != nil {
		t.Fatal(err)
	}
	due := start.Add(time.Minute)
	timed, err := svc.Create(ctx, editor, news.ArticleInput{Title: "Timed", Summary: "Timed.", CategoryID: cat.ID})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Schedule(ctx, editor, timed.ID, due); err != nil {
		t.Fatal(err)
	}
	notice, err := svc.Create(ctx, editor, news.ArticleInput{Title: "Notice", Summary: "Notice.", CategoryID: cat.ID, ExpiresAt: &due})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Publish(ctx, editor, notice.ID); err != nil {
		t.Fatal(err)
	}
	clk.unix.Store(due.Add(time.Second).Unix())

	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		svc.RunScheduler(runCtx, 5*time.Millisecond, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	defer func() { stop(); <-done }()
	waitFor(t, "the article published and the notice expired", func() bool {
		return mustValue(t, m, "campusnews_scheduler_articles_total", map[string]string{"action": "published"}) == 1 &&
			mustValue(t, m, "campusnews_scheduler_articles_total", map[string]string{"action": "expired"}) == 1
	})
	if runs := mustValue(t, m, "campusnews_scheduler_runs_total", nil); runs < 1 {
		t.Errorf("runs = %v", runs)
	}
	if f := mustValue(t, m, "campusnews_scheduler_failures_total", nil); f != 0 {
		t.Errorf("failures = %v before anything failed", f)
	}
	if _, err := svc.PublishedArticle(ctx, timed.ID); err != nil {
		t.Errorf("the scheduled article is not published: %v", err)
	}

	// Runs go on, moving nothing.
	runs := mustValue(t, m, "campusnews_scheduler_runs_total", nil)
	waitFor(t, "more runs", func() bool { return mustValue(t, m, "campusnews_scheduler_runs_total", nil) >= runs+2 })
	if v := mustValue(t, m, "campusnews_scheduler_articles_total", nil); v != 2 {
		t.Errorf("articles moved = %v after idle runs, want 2", v)
	}

	// The database going away makes each run fail.
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	sqlDB.Close()
	waitFor(t, "a failed run", func() bool { return mustValue(t, m, "campusnews_scheduler_failures_total", nil) >= 1 })
}

// waitFor polls cond for up to ten seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestLabelHelpers(t *testing.T) {
	for code, want := range map[int]string{100: "1xx", 200: "2xx", 204: "2xx", 304: "3xx", 404: "4xx", 500: "5xx", 503: "5xx",
		0: "1xx", 999: "5xx"} {
		if got := metrics.StatusClasses[metrics.StatusClassIndex(code)]; got != want {
			t.Errorf("class of %d = %s, want %s", code, got, want)
		}
	}
	for method, want := range map[string]string{"GET": "GET", "HEAD": "HEAD", "POST": "POST", "DELETE": "DELETE",
		"TRACE": "TRACE", "get": "other", "PROPFIND": "other", "": "other"} {
		if got := metrics.MethodLabel(metrics.MethodIndex(method)); got != want {
			t.Errorf("label of method %q = %s, want %s", method, got, want)
		}
	}
}
