package news

import (
	"context"
	"errors"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"campusnews/internal/changes"
	"campusnews/internal/database/dbtest"
	"campusnews/internal/database/pgtest"
	"campusnews/internal/search"
	"campusnews/internal/validate"
)

// The tests run on the engine dbtest.Engine names; PostgreSQL's cluster stops when they end.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// Actors of the tests: two writers and an editor.
var (
	writer  = Actor{UserID: 1, Email: "writer@example.edu", IP: "192.0.2.1"}
	writer2 = Actor{UserID: 2, Email: "other@example.edu", IP: "192.0.2.2"}
	editor  = Actor{UserID: 3, Email: "editor@example.edu", IP: "192.0.2.3", CanPublish: true, CanEditAny: true}
)

// testStart is when every test's clock starts.
var testStart = time.Date(2025, time.March, 10, 9, 0, 0, 0, time.UTC)

// fakeClock is a clock tests move by hand; it is safe to read from the scheduler goroutine.
type fakeClock struct{ unix atomic.Int64 }

func (c *fakeClock) now() time.Time          { return time.Unix(c.unix.Load(), 0).UTC() }
func (c *fakeClock) set(t time.Time)         { c.unix.Store(t.Unix()) }
func (c *fakeClock) advance(d time.Duration) { c.unix.Add(int64(d / time.Second)) }

// newTestService opens a fresh migrated SQLite file and returns a Service on it whose clock
// stands at testStart.
func newTestService(t testing.TB) (*Service, *fakeClock) {
	t.Helper()
	ctx := context.Background()
	db := dbtest.Open(t, dbtest.Engine())
	w, err := changes.NewWatcher(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	svc := NewService(db, w)
	clock := &fakeClock{}
	clock.set(testStart)
	svc.SetClock(clock.now)
	return svc, clock
}

// mustCreateCategory adds a visible category (a section when parent is nil).
func mustCreateCategory(t testing.TB, svc *Service, name string, parent *int64) *Category {
	t.Helper()
	c, err := svc.CreateCategory(context.Background(), editor, CategoryInput{Name: name, ParentID: parent, Visible: true})
	if err != nil {
		t.Fatalf("create category %q: %v", name, err)
	}
	return c
}

// mustCreateArticle adds a draft by a in category catID.
func mustCreateArticle(t testing.TB, svc *Service, a Actor, catID int64, title, body string) *Article {
	t.Helper()
	art, err := svc.Create(context.Background(), a, ArticleInput{Title: title, BodySource: body, CategoryID: catID,
		Summary: "Summary of " + title})
	if err != nil {
		t.Fatalf("create article %q: %v", title, err)
	}
	return art
}

// mustPublish publishes article id as the editor.
func mustPublish(t testing.TB, svc *Service, id int64) {
	t.Helper()
	if err := svc.Publish(context.Background(), editor, id); err != nil {
		t.Fatalf("publish %d: %v", id, err)
	}
}

// newsFixture is a service with one section holding one category.
type newsFixture struct {
	svc     *Service
	clock   *fakeClock
	section *Category
	cat     *Category
}

func newFixture(t testing.TB) newsFixture {
	t.Helper()
	svc, clock := newTestService(t)
	sec := mustCreateCategory(t, svc, "News & Events", nil)
	cat := mustCreateCategory(t, svc, "News", &sec.ID)
	return newsFixture{svc: svc, clock: clock, section: sec, cat: cat}
}

// searchIDs returns the ids search finds for input.
func searchIDs(t testing.TB, svc *Service, input string) []int64 {
	t.Helper()
	res, err := search.Search(context.Background(), svc.db, search.Parse(input), nil, 1, 10)
	if err != nil {
		t.Fatalf("search %q: %v", input, err)
	}
	var ids []int64
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

// fieldError returns the message err holds for field, failing when err is no validation error.
func fieldError(t testing.TB, err error, field string) string {
	t.Helper()
	var ve validate.Errors
	if !errors.As(err, &ve) {
		t.Fatalf("want validation error on %s, got %v", field, err)
	}
	return ve[field]
}

// auditActions lists the actions recorded for subject, oldest first.
func auditActions(t testing.TB, svc *Service, subject string) []string {
	t.Helper()
	var out []string
	if err := svc.db.Table("audit_entries").Where("subject = ?", subject).Order("id").Pluck("action", &out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

func ptr[T any](v T) *T { return &v }
