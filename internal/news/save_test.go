package news

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"campusnews/internal/changes"
	"campusnews/internal/database/dbtest"
	"campusnews/internal/validate"
)

// Saving and publishing is one transaction: a step that is refused leaves the article as it
// was, with no revision and no audit entry, and every problem is reported at once.
func TestSaveAndStepIsOneTransaction(t *testing.T) {
	svc, clock := newTestService(t)
	ctx := context.Background()
	sec := mustCreateCategory(t, svc, "News & Events", nil)
	cat := mustCreateCategory(t, svc, "News", &sec.ID)
	art := mustCreateArticle(t, svc, writer, cat.ID, "Draft", "First text")
	count := func(q string, args ...any) int64 {
		var n int64
		if err := svc.db.Raw(q, args...).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	revisions := func() int64 { return count("SELECT COUNT(*) FROM revisions WHERE article_id = ?", art.ID) }
	audits := func() int64 { return count("SELECT COUNT(*) FROM audit_entries") }
	revs, entries := revisions(), audits()

	in := inputOf(art)
	in.BodySource = "Second text"
	past := clock.now().Add(-time.Hour)
	in.Title = ""
	_, err := svc.SaveAndStep(ctx, editor, art.ID, in, art.UpdatedAt, StepSchedule, &past)
	var verrs validate.Errors
	if !errors.As(err, &verrs) || verrs["title"] == "" || verrs["publish_at"] == "" {
		t.Fatalf("a bad title and a past time: %v, want both reported", err)
	}
	in.Title = "Draft"
	if _, err := svc.SaveAndStep(ctx, editor, art.ID, in, art.UpdatedAt, StepSchedule, &past); !errors.As(err, &verrs) {
		t.Fatalf("schedule in the past: %v, want a validation error", err)
	}
	if _, err := svc.SaveAndStep(ctx, writer, art.ID, in, art.UpdatedAt, StepPublish, nil); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a writer publishing: %v, want ErrForbidden", err)
	}
	got, err := svc.Article(ctx, art.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.BodySource != "First text" || got.Status != Draft || revisions() != revs || audits() != entries {
		t.Fatalf("a refused step saved something: body %q, status %s, revisions %d→%d, audit %d→%d",
			got.BodySource, got.Status, revs, revisions(), entries, audits())
	}

	gen := svc.Generation()
	saved, err := svc.SaveAndStep(ctx, editor, art.ID, in, art.UpdatedAt, StepPublish, nil)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Status != Published || saved.BodySource != "Second text" || saved.BodyText != "Second text" ||
		saved.BodyHTML != "<p>Second text</p>\n" {
		t.Fatalf("saved and published: %+v", saved)
	}
	if svc.Generation() == gen {
		t.Error("publishing did not move the content version")
	}
	if ids := searchIDs(t, svc, "second "); len(ids) != 1 {
		t.Errorf("published article found %d times", len(ids))
	}
	if n := count("SELECT COUNT(*) FROM audit_entries WHERE action IN ('article.update', 'article.publish')"); n != 2 {
		t.Errorf("%d audit entries for the save and the publish, want 2", n)
	}
	// A publish of what is already published is refused and saves nothing.
	in.BodySource = "Third text"
	if _, err := svc.SaveAndStep(ctx, editor, art.ID, in, saved.UpdatedAt, StepPublish, nil); !errors.Is(err, ErrWrongStatus) {
		t.Fatalf("publishing a published article: %v, want ErrWrongStatus", err)
	}
	if got, _ := svc.Article(ctx, art.ID); got.BodySource != "Second text" {
		t.Errorf("the refused publish saved %q", got.BodySource)
	}
}

// A new article can be written and scheduled in one call; the schedule is checked against the
// expiry typed with it, not one stored before.
func TestCreateAndSchedule(t *testing.T) {
	svc, clock := newTestService(t)
	ctx := context.Background()
	sec := mustCreateCategory(t, svc, "News & Events", nil)
	cat := mustCreateCategory(t, svc, "News", &sec.ID)
	at := clock.now().Add(48 * time.Hour)
	expires := clock.now().Add(24 * time.Hour)
	in := ArticleInput{Title: "Open day", CategoryID: cat.ID, BodySource: "Come and see.", ExpiresAt: &expires}
	var verrs validate.Errors
	if _, err := svc.SaveAndStep(ctx, editor, 0, in, time.Time{}, StepSchedule, &at); !errors.As(err, &verrs) || verrs["publish_at"] == "" {
		t.Fatalf("scheduled after its own expiry: %v", err)
	}
	if n, _ := svc.CountPublished(ctx); n != 0 {
		t.Fatal("something was saved")
	}
	in.ExpiresAt = nil
	art, err := svc.SaveAndStep(ctx, editor, 0, in, time.Time{}, StepSchedule, &at)
	if err != nil {
		t.Fatal(err)
	}
	if art.Status != Scheduled || art.PublishedAt == nil || !art.PublishedAt.Equal(at.Truncate(time.Second)) {
		t.Fatalf("status %s at %v", art.Status, art.PublishedAt)
	}
}

// Two instances taking the same slug at the same moment: one gets it, the other the form's
// error beside the field, never a storage error (on PostgreSQL the unique index can be what
// catches it, after both checks passed).
func TestSameSlugAtOnceAcrossInstances(t *testing.T) {
	f := newFixture(t)
	otherDB := dbtest.Reopen(t, f.svc.db)
	w, err := changes.NewWatcher(context.Background(), otherDB)
	if err != nil {
		t.Fatal(err)
	}
	other := NewService(otherDB, w)
	other.SetClock(f.clock.now)
	ctx := context.Background()
	for i := range 8 {
		slug := fmt.Sprintf("same-%d", i)
		var ok, refused atomic.Int32
		var wg sync.WaitGroup
		for j, svc := range []*Service{f.svc, other, f.svc, other} {
			wg.Go(func() {
				var err error
				if i%2 == 0 {
					_, err = svc.Create(ctx, writer, ArticleInput{Title: fmt.Sprintf("Take %d", j), Slug: slug, CategoryID: f.cat.ID})
				} else {
					_, err = svc.CreateCategory(ctx, editor, CategoryInput{Name: fmt.Sprintf("Take %d", j), Slug: slug,
						ParentID: &f.section.ID, Visible: true})
				}
				var ve validate.Errors
				switch {
				case err == nil:
					ok.Add(1)
				case errors.As(err, &ve) && ve["slug"] != "":
					refused.Add(1)
				default:
					t.Errorf("slug %s: %v, want the slug's form error", slug, err)
				}
			})
		}
		wg.Wait()
		if ok.Load() != 1 || refused.Load() != 3 {
			t.Errorf("slug %s: %d saved, %d refused; want 1 and 3", slug, ok.Load(), refused.Load())
		}
	}
}
