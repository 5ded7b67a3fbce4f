package news

import (
	"context"
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
}

// Articles loaded in a batch (the demo site, an import) take their ids from the same
// sequence, so deleting the newest of them does not free its id either.
func TestDeletedImportedArticleIDIsNotReused(t *testing.T) {
	svc, _ := newTestService(t)
	ctx := context.Background()
	sec := mustCreateCategory(t, svc, "News & Events", nil)
	cat := mustCreateCategory(t, svc, "News", &sec.ID)
	var last int64
	err := svc.Batch(ctx, editor, func(b *Batch) error {
		for i := 1; i <= 3; i++ {
			a, err := b.Import(Imported{ArticleInput: ArticleInput{Title: "Loaded", CategoryID: cat.ID, BodySource: "Body"},
				SlugWithID: true})
			if err != nil {
				return err
			}
			last = a.ID
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Delete(ctx, editor, last); err != nil {
		t.Fatal(err)
	}
	if a := mustCreateArticle(t, svc, editor, cat.ID, "New", "Body"); a.ID != last+1 {
		t.Errorf("new article after deleting imported article %d got id %d, want %d", last, a.ID, last+1)
	}
}
