package news

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"
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

// A tag's listing reads its first pages by walking the newest articles and its later ones by
// sorting the tagged ones; both give the articles in the same order, newest first, without
// hidden categories.
func TestTagListingPages(t *testing.T) {
	svc, _ := newTestService(t)
	ctx := context.Background()
	sec := mustCreateCategory(t, svc, "News & Events", nil)
	cat := mustCreateCategory(t, svc, "News", &sec.ID)
	hidden := mustCreateCategory(t, svc, "Hidden", &sec.ID)
	base := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
	var want []int64 // tagged, visible, newest first
	err := svc.Batch(ctx, editor, func(b *Batch) error {
		for i := range 60 {
			in := ArticleInput{Title: fmt.Sprintf("Story %d", i), CategoryID: cat.ID, BodySource: "Text"}
			if i%3 != 0 {
				in.Tags = []string{"Research"}
			}
			if i == 7 {
				in.CategoryID = hidden.ID
			}
			at := base.Add(time.Duration(i%10) * time.Hour) // equal dates: ids break ties
			a, err := b.Import(Imported{ArticleInput: in, Status: Published, PublishedAt: &at})
			if err != nil {
				return err
			}
			if len(in.Tags) > 0 && in.CategoryID == cat.ID {
				want = append(want, a.ID)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	tag, err := svc.TagBySlug(ctx, "research")
	if err != nil {
		t.Fatal(err)
	}
	arts, err := svc.db.Raw("SELECT id, published_at FROM articles WHERE id IN ?", want).Rows()
	if err != nil {
		t.Fatal(err)
	}
	at := map[int64]time.Time{}
	for arts.Next() {
		var id int64
		var p time.Time
		if err := arts.Scan(&id, &p); err != nil {
			t.Fatal(err)
		}
		at[id] = p
	}
	arts.Close()
	slices.SortFunc(want, func(a, b int64) int {
		if c := at[b].Compare(at[a]); c != 0 {
			return c
		}
		return cmp.Compare(b, a)
	})
	f := ListFilter{TagID: tag.ID, CategoryIDs: []int64{sec.ID, cat.ID}}
	var got []int64
	for page := 1; ; page++ {
		l, err := svc.List(ctx, f, page, 15)
		if err == ErrNotFound {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if l.Total != int64(len(want)) {
			t.Fatalf("total %d, want %d", l.Total, len(want))
		}
		for _, a := range l.Articles {
			got = append(got, a.ID)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("pages of the tag:\n got %v\nwant %v", got, want)
	}
}

// A tag's listing is counted by reading the listing index, or, when the tag is on few of the
// published articles, by looking up the tag's articles: both count the published ones in the
// categories asked for, and nothing else. The number of published articles that decides is
// counted again when it is a minute old.
func TestTagCountEitherWay(t *testing.T) {
	svc, clock := newTestService(t)
	ctx := context.Background()
	sec := mustCreateCategory(t, svc, "News & Events", nil)
	cat := mustCreateCategory(t, svc, "News", &sec.ID)
	hidden := mustCreateCategory(t, svc, "Hidden", &sec.ID)
	at := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
	err := svc.Batch(ctx, editor, func(b *Batch) error {
		for i := range 40 {
			in := ArticleInput{Title: fmt.Sprintf("Story %d", i), CategoryID: cat.ID, BodySource: "Text"}
			status := Published
			switch {
			case i < 4: // counted
				in.Tags = []string{"Research"}
			case i == 4: // a draft
				in.Tags, status = []string{"Research"}, Draft
			case i == 5: // in a category not asked for
				in.Tags, in.CategoryID = []string{"Research"}, hidden.ID
			}
			var when *time.Time
			if status == Published {
				when = &at
			}
			if _, err := b.Import(Imported{ArticleInput: in, Status: status, PublishedAt: when}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	tag, err := svc.TagBySlug(ctx, "research")
	if err != nil {
		t.Fatal(err)
	}
	f := ListFilter{TagID: tag.ID, CategoryIDs: []int64{sec.ID, cat.ID}}
	// 6 rows of the tag: against 39 published articles the tag's own are read, against an
	// estimate of 10 the listing index.
	for _, guess := range []int64{10, 0} {
		svc.counts.mu.Lock()
		svc.counts.m = nil // counted afresh, as after a change
		svc.counts.mu.Unlock()
		svc.publishedEst.Store(nil)
		if guess > 0 {
			svc.publishedEst.Store(&estimate{n: guess, at: clock.now()})
		}
		if n, err := svc.count(ctx, f); err != nil || n != 4 {
			t.Errorf("estimate %d: count %d (%v), want 4", guess, n, err)
		}
	}
	clock.advance(time.Minute)
	svc.publishedEst.Store(&estimate{n: 10, at: clock.now().Add(-time.Minute)})
	if all, err := svc.publishedEstimate(ctx); err != nil || all != 39 {
		t.Errorf("a minute-old estimate of 10: now %d (%v), want 39", all, err)
	}
}
