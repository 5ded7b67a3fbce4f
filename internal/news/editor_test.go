package news

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"campusnews/internal/changes"
	"campusnews/internal/database/dbtest"

	"github.com/google/go-cmp/cmp"
)

func TestUpdateConflict(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	art := mustCreateArticle(t, f.svc, writer, f.cat.ID, "First title", "Text.")
	formA, formB := art.UpdatedAt, art.UpdatedAt // two people open the form

	// The clock does not move: the second save must still see the first.
	saved, err := f.svc.Update(ctx, writer, art.ID, ArticleInput{Title: "Writer's title", CategoryID: f.cat.ID}, formA)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Update(ctx, editor, art.ID, ArticleInput{Title: "Editor's title", CategoryID: f.cat.ID}, formB)
	if !errors.Is(err, ErrConflict) {
		t.Fatalf("stale save: %v, want ErrConflict", err)
	}
	got, err := f.svc.Article(ctx, art.ID)
	if err != nil || got.Title != "Writer's title" {
		t.Fatalf("after refused save: %q, %v", got.Title, err)
	}
	// A save based on what is stored now goes through, also when the form sent local time.
	base := saved.UpdatedAt.In(time.FixedZone("CET", 3600))
	if _, err := f.svc.Update(ctx, editor, art.ID, ArticleInput{Title: "Editor's title", CategoryID: f.cat.ID}, base); err != nil {
		t.Fatalf("fresh save: %v", err)
	}
}

func TestSlugs(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc := f.svc
	var slugs []string
	for range 3 {
		slugs = append(slugs, mustCreateArticle(t, svc, writer, f.cat.ID, "Graduation Day 2025", "").Slug)
	}
	if diff := cmp.Diff([]string{"graduation-day-2025", "graduation-day-2025-2", "graduation-day-2025-3"}, slugs); diff != "" {
		t.Errorf("slugs (-want +got):\n%s", diff)
	}

	_, err := svc.Create(ctx, writer, ArticleInput{Title: "Other", Slug: "graduation-day-2025", CategoryID: f.cat.ID})
	if msg := fieldError(t, err, "slug"); msg != "This slug is already used by another article" {
		t.Errorf("taken slug: %q", msg)
	}
	_, err = svc.Create(ctx, writer, ArticleInput{Title: "Other", Slug: "Not A Slug", CategoryID: f.cat.ID})
	if msg := fieldError(t, err, "slug"); msg != "Use lower-case letters, digits and hyphens" {
		t.Errorf("bad slug: %q", msg)
	}

	long := strings.Repeat("word ", 30)
	a1 := mustCreateArticle(t, svc, writer, f.cat.ID, long, "")
	a2 := mustCreateArticle(t, svc, writer, f.cat.ID, long, "")
	if !ValidSlug(a2.Slug) || a2.Slug == a1.Slug || !strings.HasSuffix(a2.Slug, "-2") {
		t.Errorf("numbered long slug %q after %q", a2.Slug, a1.Slug)
	}
	noLetters := mustCreateArticle(t, svc, writer, f.cat.ID, "???", "")
	if noLetters.Slug != "article" {
		t.Errorf("slug of %q = %q", "???", noLetters.Slug)
	}

	// Saving with an empty slug keeps the address; a typed one replaces it; its own slug is
	// not "taken".
	first, err := svc.Article(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ typed, want string }{
		{"", "graduation-day-2025"},
		{"graduation-day-2025", "graduation-day-2025"},
		{"commencement", "commencement"},
	} {
		got, err := svc.Update(ctx, writer, first.ID, ArticleInput{Title: "Renamed", Slug: tt.typed, CategoryID: f.cat.ID}, time.Time{})
		if err != nil || got.Slug != tt.want {
			t.Errorf("update with slug %q: %q, %v; want %q", tt.typed, got.Slug, err, tt.want)
		}
	}
}

func TestArticleValidation(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	valid := func() ArticleInput { return ArticleInput{Title: "Title", CategoryID: f.cat.ID} }
	tests := []struct {
		name   string
		change func(*ArticleInput)
		field  string
	}{
		{"title missing", func(in *ArticleInput) { in.Title = "  " }, "title"},
		{"title too long", func(in *ArticleInput) { in.Title = strings.Repeat("é", MaxTitleLen+1) }, "title"},
		{"no category", func(in *ArticleInput) { in.CategoryID = 0 }, "category_id"},
		{"unknown category", func(in *ArticleInput) { in.CategoryID = 999 }, "category_id"},
		{"summary too long", func(in *ArticleInput) { in.Summary = strings.Repeat("a", MaxSummaryLen+1) }, "summary"},
		{"body too long", func(in *ArticleInput) { in.BodySource = strings.Repeat("a", MaxBodyLen+1) }, "body_source"},
		{"credit too long", func(in *ArticleInput) { in.Photographer = strings.Repeat("a", MaxCreditLen+1) }, "photographer"},
		{"too many tags", func(in *ArticleInput) {
			for i := range MaxTags + 1 {
				in.Tags = append(in.Tags, "tag "+string(rune('a'+i)))
			}
		}, "tags"},
		{"tag too long", func(in *ArticleInput) { in.Tags = []string{strings.Repeat("t", MaxTagLen+1)} }, "tags"},
		{"tag without letters", func(in *ArticleInput) { in.Tags = []string{"!!!"} }, "tags"},
		{"expiry in the past", func(in *ArticleInput) { in.ExpiresAt = ptr(testStart.Add(-time.Minute)) }, "expires_at"},
		{"expiry now", func(in *ArticleInput) { in.ExpiresAt = ptr(testStart) }, "expires_at"},
		{"unknown cover", func(in *ArticleInput) { in.CoverMediaID = ptr(int64(42)) }, "cover_media_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := valid()
			tt.change(&in)
			_, err := f.svc.Create(ctx, writer, in)
			if msg := fieldError(t, err, tt.field); msg == "" {
				t.Errorf("no message for %s in %v", tt.field, err)
			}
		})
	}
	var n int64
	f.svc.db.Model(&Article{}).Count(&n)
	if n != 0 {
		t.Errorf("%d invalid articles stored", n)
	}
}

func TestTagsUpsertedBySlug(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	a1, err := f.svc.Create(ctx, writer, ArticleInput{Title: "One", CategoryID: f.cat.ID, Tags: []string{"Research", " Open  Day ", "research"}})
	if err != nil {
		t.Fatal(err)
	}
	a2, err := f.svc.Create(ctx, writer, ArticleInput{Title: "Two", CategoryID: f.cat.ID, Tags: []string{"RESEARCH"}})
	if err != nil {
		t.Fatal(err)
	}
	names := func(a *Article) []string {
		var out []string
		for _, tg := range a.Tags {
			out = append(out, tg.Name+"="+tg.Slug)
		}
		return out
	}
	if diff := cmp.Diff([]string{"Open Day=open-day", "Research=research"}, names(a1)); diff != "" {
		t.Errorf("tags of first (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Research=research"}, names(a2)); diff != "" {
		t.Errorf("tags of second (-want +got):\n%s", diff)
	}
	got, err := f.svc.Update(ctx, writer, a1.ID, ArticleInput{Title: "One", CategoryID: f.cat.ID}, time.Time{})
	if err != nil || len(got.Tags) != 0 {
		t.Errorf("tags after clearing: %v, %v", got.Tags, err)
	}
}

func TestScriptNeverReachesBodyHTML(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	body := "Hello <script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[x](javascript:alert(3))"
	art := mustCreateArticle(t, f.svc, writer, f.cat.ID, "Injection", body)
	updated, err := f.svc.Update(ctx, editor, art.ID, ArticleInput{Title: "Injection", CategoryID: f.cat.ID,
		BodySource: body + "\n\n<SCRIPT>alert(4)</SCRIPT>"}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	for _, html := range []string{art.BodyHTML, updated.BodyHTML} {
		low := strings.ToLower(html)
		for _, bad := range []string{"<script", "onerror", "javascript:"} {
			if strings.Contains(low, bad) {
				t.Errorf("body_html contains %q: %s", bad, html)
			}
		}
	}
	if !strings.Contains(updated.BodySource, "<SCRIPT>") {
		t.Error("the source should keep what was typed")
	}
}

func TestRevisionsAndRestore(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc := f.svc
	other := mustCreateCategory(t, svc, "Research", &f.section.ID)
	first := ArticleInput{Title: "Version one", Slug: "version-one", Summary: "S1", BodySource: "Body one",
		Author: "A. Author", CategoryID: f.cat.ID, Tags: []string{"Alpha"}}
	art, err := svc.Create(ctx, writer, first)
	if err != nil {
		t.Fatal(err)
	}
	for i, title := range []string{"Version two", "Version three"} {
		f.clock.advance(time.Minute)
		_, err := svc.Update(ctx, writer, art.ID, ArticleInput{Title: title, Slug: "version-" + []string{"two", "three"}[i],
			BodySource: "Body " + title, CategoryID: other.ID, Tags: []string{"Beta"}}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
	}
	revs, err := svc.Revisions(ctx, art.ID)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, r := range revs {
		titles = append(titles, r.Title)
	}
	if diff := cmp.Diff([]string{"Version three", "Version two", "Version one"}, titles); diff != "" {
		t.Fatalf("revisions (-want +got):\n%s", diff)
	}
	oldest, err := svc.Revision(ctx, revs[2].ID)
	if err != nil || oldest.BodySource != "Body one" || !strings.Contains(oldest.Snapshot, `"author":"A. Author"`) {
		t.Fatalf("revision: %+v, %v", oldest, err)
	}
	if _, err := svc.RestoreRevision(ctx, writer, art.ID+1, oldest.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("restore onto another article: %v", err)
	}

	got, err := svc.RestoreRevision(ctx, writer, art.ID, oldest.ID)
	if err != nil {
		t.Fatal(err)
	}
	restored := inputOf(got)
	if diff := cmp.Diff(first, restored); diff != "" {
		t.Errorf("restored (-want +got):\n%s", diff)
	}
	revs, err = svc.Revisions(ctx, art.ID)
	if err != nil || len(revs) != 4 || revs[0].Note != "Restored revision 1" {
		t.Fatalf("after restore: %+v, %v", revs, err)
	}
	acts := auditActions(t, svc, fmt.Sprintf("article %d", art.ID))
	if !slices.Equal(acts, []string{"article.create", "article.update", "article.update", "article.restore"}) {
		t.Errorf("audit = %v", acts)
	}
}

func TestUpdatePublishedReindexes(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	art := mustCreateArticle(t, f.svc, writer, f.cat.ID, "Concert", "The orchestra plays.")
	mustPublish(t, f.svc, art.ID)
	opened, err := f.svc.Article(ctx, art.ID)
	if err != nil {
		t.Fatal(err)
	}
	gen := f.svc.Generation()
	_, err = f.svc.Update(ctx, editor, art.ID, ArticleInput{Title: "Concert", CategoryID: f.cat.ID,
		BodySource: "The xylophonist plays."}, opened.UpdatedAt)
	if err != nil {
		t.Fatal(err)
	}
	if f.svc.Generation() == gen {
		t.Error("updating a published article did not change the generation")
	}
	if ids := searchIDs(t, f.svc, "xylophonist"); !slices.Equal(ids, []int64{art.ID}) {
		t.Errorf("new text not found: %v", ids)
	}
	if ids := searchIDs(t, f.svc, "orchestra"); len(ids) != 0 {
		t.Errorf("old text still found: %v", ids)
	}
	got, err := f.svc.PublishedArticle(ctx, art.ID)
	if err != nil || !strings.Contains(got.BodyHTML, "xylophonist") || got.Status != Published {
		t.Errorf("published after update: %+v, %v", got, err)
	}
}

// Two saves of one article from the same form, at once through two instances: one is saved,
// the other is a conflict, never a save over the first that nobody saw.
func TestSaveConflictAcrossInstances(t *testing.T) {
	f := newFixture(t)
	otherDB := dbtest.Reopen(t, f.svc.db)
	w, err := changes.NewWatcher(context.Background(), otherDB)
	if err != nil {
		t.Fatal(err)
	}
	other := NewService(otherDB, w)
	other.SetClock(f.clock.now)
	ctx := context.Background()
	for round := range 6 {
		art := mustCreateArticle(t, f.svc, writer, f.cat.ID, fmt.Sprintf("Draft %d", round), "Text")
		var saved, conflicts atomic.Int32
		var wg sync.WaitGroup
		for i, svc := range []*Service{f.svc, other} {
			wg.Go(func() {
				in := inputOf(art)
				in.BodySource = fmt.Sprintf("Version %d", i)
				_, err := svc.Update(ctx, writer, art.ID, in, art.UpdatedAt)
				switch {
				case err == nil:
					saved.Add(1)
				case errors.Is(err, ErrConflict):
					conflicts.Add(1)
				default:
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if saved.Load() != 1 || conflicts.Load() != 1 {
			t.Errorf("round %d: %d saved, %d conflicts; want one of each", round, saved.Load(), conflicts.Load())
		}
	}
}
