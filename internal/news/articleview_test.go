package news

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"campusnews/internal/database"
)

// An article's page: its neighbours in its category, and related stories — most shared tags
// first, then newest, never itself, never a draft, topped up from its category — seen afresh
// after any change, though kept between changes.
func TestArticleViewNeighboursAndRelated(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	other := mustCreateCategory(t, f.svc, "Research", &f.section.ID)
	ids := map[string]int64{}
	add := func(title string, cat int64, hoursAgo int, tags ...string) {
		t.Helper()
		when := testStart.Add(-time.Duration(hoursAgo) * time.Hour)
		err := f.svc.Batch(ctx, editor, func(b *Batch) error {
			a, err := b.Import(Imported{ArticleInput: ArticleInput{Title: title, BodySource: "Text of " + title + ".",
				CategoryID: cat, Tags: tags}, Status: Published, PublishedAt: &when})
			if err == nil {
				ids[title] = a.ID
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	add("Oldest", f.cat.ID, 50, "Sport")
	add("Subject", f.cat.ID, 40, "Sport", "Rowing")
	add("Both tags", other.ID, 45, "Sport", "Rowing")
	add("Sport only, new", other.ID, 10, "Sport")
	add("Sport only, old", other.ID, 48, "Sport")
	add("Newest in News", f.cat.ID, 5)
	add("Between", f.cat.ID, 30)
	if _, err := f.svc.Create(ctx, editor, ArticleInput{Title: "A draft", BodySource: "Text.", CategoryID: f.cat.ID,
		Tags: []string{"Sport", "Rowing"}}); err != nil {
		t.Fatal(err)
	}

	titles := func(as []Article) []string {
		var out []string
		for _, a := range as {
			out = append(out, a.Title)
		}
		return out
	}
	view := func(n int) *ArticleView {
		t.Helper()
		v, err := f.svc.ArticleView(ctx, ids["Subject"], n)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	v := view(4)
	if tags := v.Article.Tags; len(tags) != 2 || tags[0].Name != "Rowing" || tags[0].Slug != "rowing" ||
		tags[1].Name != "Sport" || tags[0].ID == 0 || tags[1].ID == tags[0].ID {
		t.Errorf("tags: %+v; want Rowing and Sport, by name, with their ids and slugs", tags)
	}
	if v := func() *ArticleView { // an article without tags has none, not an error
		v, err := f.svc.ArticleView(ctx, ids["Newest in News"], 0)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}(); len(v.Article.Tags) != 0 {
		t.Errorf("tags of an untagged article: %+v", v.Article.Tags)
	}
	if v.Prev == nil || v.Prev.Title != "Oldest" || v.Next == nil || v.Next.Title != "Between" {
		t.Errorf("neighbours: %v and %v; want Oldest and Between", v.Prev, v.Next)
	}
	want := []string{"Both tags", "Sport only, new", "Sport only, old", "Oldest"}
	if got := titles(v.Related); !slices.Equal(got, want) {
		t.Errorf("related: %q; want %q", got, want)
	}
	// Fewer tagged stories than asked for: the newest of the category make up the rest.
	if got, want := titles(view(6).Related), append(want, "Newest in News", "Between"); !slices.Equal(got, want) {
		t.Errorf("related, six: %q; want %q", got, want)
	}

	// A new story on both tags leads at once; an unpublished one goes at once.
	add("Both tags, new", other.ID, 1, "Rowing", "Sport")
	if got := titles(view(4).Related); len(got) == 0 || got[0] != "Both tags, new" {
		t.Errorf("related after a new story: %q; want it first", got)
	}
	if err := f.svc.Unpublish(ctx, editor, ids["Both tags"]); err != nil {
		t.Fatal(err)
	}
	if got := titles(view(4).Related); slices.Contains(got, "Both tags") {
		t.Errorf("related after unpublishing: %q", got)
	}
	// A newer story in the category is the next one.
	add("Just after", f.cat.ID, 39)
	if v := view(4); v.Next == nil || v.Next.Title != "Just after" {
		t.Errorf("next after a new story: %v; want Just after", v.Next)
	}
}

// Articles on the same tag share one reading of its newest stories, and of their cards, per
// content version.
func TestRelatedIsReadOncePerTagAndVersion(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var ids []int64
	err := f.svc.Batch(ctx, editor, func(b *Batch) error {
		for i := range 10 {
			when := testStart.Add(-time.Duration(i) * time.Hour)
			a, err := b.Import(Imported{ArticleInput: ArticleInput{Title: fmt.Sprintf("Story %d", i), BodySource: "Text.",
				CategoryID: f.cat.ID, Tags: []string{"Campus"}}, Status: Published, PublishedAt: &when})
			if err != nil {
				return err
			}
			ids = append(ids, a.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		v, err := f.svc.ArticleView(ctx, id, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Related) != 3 || slices.ContainsFunc(v.Related, func(a Article) bool { return a.ID == id }) {
			t.Errorf("related of %d: %d stories, or itself among them", id, len(v.Related))
		}
	}
	f.svc.relatedSets.mu.Lock()
	tags, cards := len(f.svc.relatedSets.tags), len(f.svc.relatedSets.cards)
	f.svc.relatedSets.mu.Unlock()
	if tags != 1 || cards > 4 {
		t.Errorf("%d tags' newest and %d cards kept for ten articles on one tag; want 1 and at most 4", tags, cards)
	}
}

// The article page's queries are prepared on first use; a failure to prepare them is not kept:
// once the database can answer, the next page is served.
func TestArticleQueriesPreparedAgainAfterAFailure(t *testing.T) {
	db, err := database.Open(filepath.Join(t.TempDir(), "campusnews.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(db) })
	svc := NewService(db, nil)
	ctx := context.Background()
	if _, err := svc.ArticleView(ctx, 1, 0); err == nil || errors.Is(err, ErrNotFound) {
		t.Fatalf("before the tables exist: %v, want a failure to prepare", err)
	}
	if _, err := database.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ArticleView(ctx, 1, 0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after migrating: %v, want ErrNotFound", err)
	}
}
