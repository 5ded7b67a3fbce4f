package news

import (
	"context"
	"fmt"
	"testing"
)

// A listing's total, which is kept between changes, follows every publish, unpublish and
// delete at once, for a category, a section and everything.
func TestListingTotalFollowsChanges(t *testing.T) {
	svc, _ := newTestService(t)
	ctx := context.Background()
	sec := mustCreateCategory(t, svc, "News & Events", nil)
	cat := mustCreateCategory(t, svc, "News", &sec.ID)
	other := mustCreateCategory(t, svc, "Events", &sec.ID)
	filters := map[string]ListFilter{
		"category": {CategoryIDs: []int64{cat.ID}},
		"section":  {CategoryIDs: []int64{sec.ID, cat.ID, other.ID}},
		"all":      {},
	}
	totals := func() map[string]int64 {
		out := map[string]int64{}
		for name, f := range filters {
			l, err := svc.List(ctx, f, 1, 10)
			if err == ErrNotFound {
				continue // an empty listing has no page 1
			}
			if err != nil {
				t.Fatal(err)
			}
			out[name] = l.Total
		}
		return out
	}
	want := func(step string, category, section, all int64) {
		t.Helper()
		got := totals()
		if got["category"] != category || got["section"] != section || got["all"] != all {
			t.Errorf("%s: totals %v, want category %d, section %d, all %d", step, got, category, section, all)
		}
	}
	a := mustCreateArticle(t, svc, editor, cat.ID, "First", "Body")
	b := mustCreateArticle(t, svc, editor, other.ID, "Second", "Body")
	want("drafts only", 0, 0, 0)
	mustPublish(t, svc, a.ID)
	want("one published", 1, 1, 1)
	mustPublish(t, svc, b.ID)
	want("two published", 1, 2, 2)
	if err := svc.Unpublish(ctx, editor, a.ID); err != nil {
		t.Fatal(err)
	}
	want("first unpublished", 0, 1, 1)
	if err := svc.Delete(ctx, editor, b.ID); err != nil {
		t.Fatal(err)
	}
	want("second deleted", 0, 0, 0)
}

// The id of a deleted article is never given to a new one, so its old address and audit
// entries cannot lead to another article.
func TestDeletedArticleIDIsNotReused(t *testing.T) {
	svc, _ := newTestService(t)
	ctx := context.Background()
	sec := mustCreateCategory(t, svc, "News & Events", nil)
	cat := mustCreateCategory(t, svc, "News", &sec.ID)
	first := mustCreateArticle(t, svc, editor, cat.ID, "First", "Body")
	gone := mustCreateArticle(t, svc, editor, cat.ID, "Second", "Body")
	if err := svc.Delete(ctx, editor, gone.ID); err != nil {
		t.Fatal(err)
	}
	next := mustCreateArticle(t, svc, editor, cat.ID, "Third", "Body")
	if next.ID <= gone.ID {
		t.Errorf("new article got id %d after %d (deleted) and %d", next.ID, gone.ID, first.ID)
	}
	// Rows inserted without the sequence, as the demo loader does, are not collided with.
	if err := svc.db.Exec(`INSERT INTO articles (id, category_id, title, slug, created_at, updated_at)
		VALUES (?, ?, 'Loaded', 'loaded', datetime('now'), datetime('now'))`, next.ID+5, cat.ID).Error; err != nil {
		t.Fatal(err)
	}
	if after := mustCreateArticle(t, svc, editor, cat.ID, "Fourth", "Body"); after.ID != next.ID+6 {
		t.Errorf("article after a loaded row got id %d, want %d", after.ID, next.ID+6)
	}
}

// Deleting the newest of articles loaded without the sequence (a freshly seeded site) does
// not free its id either.
func TestDeletedLoadedArticleIDIsNotReused(t *testing.T) {
	svc, _ := newTestService(t)
	ctx := context.Background()
	sec := mustCreateCategory(t, svc, "News & Events", nil)
	cat := mustCreateCategory(t, svc, "News", &sec.ID)
	for id := 1; id <= 3; id++ {
		if err := svc.db.Exec(`INSERT INTO articles (id, category_id, title, slug, created_at, updated_at)
			VALUES (?, ?, 'Loaded', ?, datetime('now'), datetime('now'))`, id, cat.ID, fmt.Sprint("loaded-", id)).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := svc.Delete(ctx, editor, 3); err != nil {
		t.Fatal(err)
	}
	if a := mustCreateArticle(t, svc, editor, cat.ID, "New", "Body"); a.ID != 4 {
		t.Errorf("new article after deleting loaded article 3 got id %d, want 4", a.ID)
	}
}
