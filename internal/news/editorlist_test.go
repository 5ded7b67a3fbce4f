package news

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func titles(arts []Article) []string {
	out := []string{}
	for _, a := range arts {
		out = append(out, a.Title)
	}
	return out
}

// seedEditorList adds four articles a minute apart, the second published.
func seedEditorList(t *testing.T, f newsFixture, otherCat int64) {
	t.Helper()
	for _, c := range []struct {
		a     Actor
		cat   int64
		title string
	}{
		{writer, f.cat.ID, "Budget 100% approved"},
		{writer2, f.cat.ID, "Rowing win"},
		{writer, otherCat, "Football draw"},
		{writer2, otherCat, "Chess_club opens"},
	} {
		f.clock.advance(time.Minute)
		art, err := f.svc.Create(context.Background(), c.a, ArticleInput{Title: c.title, CategoryID: c.cat, Tags: []string{"Campus"}})
		if err != nil {
			t.Fatal(err)
		}
		if c.title == "Rowing win" {
			mustPublish(t, f.svc, art.ID)
		}
	}
}

func TestEditorList(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc := f.svc
	other := mustCreateCategory(t, svc, "Sport", &f.section.ID)
	seedEditorList(t, f, other.ID)
	tests := []struct {
		name string
		f    EditorFilter
		want []string
	}{
		{"all, newest change first", EditorFilter{}, []string{"Chess_club opens", "Football draw", "Rowing win", "Budget 100% approved"}},
		{"status", EditorFilter{Status: Published}, []string{"Rowing win"}},
		{"category", EditorFilter{CategoryID: other.ID}, []string{"Chess_club opens", "Football draw"}},
		{"author", EditorFilter{AuthorID: writer.UserID}, []string{"Football draw", "Budget 100% approved"}},
		{"title", EditorFilter{Query: "  WIN "}, []string{"Rowing win"}},
		{"percent is literal", EditorFilter{Query: "%"}, []string{"Budget 100% approved"}},
		{"underscore is literal", EditorFilter{Query: "_"}, []string{"Chess_club opens"}},
		{"nothing", EditorFilter{Query: "%_"}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := svc.EditorList(ctx, tt.f, 1, 10)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, titles(l.Articles)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if l.Total != int64(len(tt.want)) {
				t.Errorf("total = %d", l.Total)
			}
		})
	}
	l, err := svc.EditorList(ctx, EditorFilter{}, 2, 3)
	if err != nil || len(l.Articles) != 1 || l.Pages() != 2 || len(l.Articles[0].Tags) != 1 || l.Articles[0].CreatedBy == nil {
		t.Errorf("second page: %+v, %v", l, err)
	}
	if l.Articles[0].BodySource != "" {
		t.Error("the list read the bodies")
	}
	if _, err := svc.EditorList(ctx, EditorFilter{}, 3, 3); !errors.Is(err, ErrNotFound) {
		t.Errorf("page past the end: %v", err)
	}
}

func TestDashboard(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc := f.svc
	mk := func(a Actor, title string) int64 {
		f.clock.advance(time.Minute)
		return mustCreateArticle(t, svc, a, f.cat.ID, title, "").ID
	}
	mk(writer, "My draft")
	mk(writer2, "Their draft")
	for _, c := range []struct {
		a     Actor
		title string
	}{{writer2, "Their review"}, {writer, "My review"}} {
		if err := svc.Submit(ctx, c.a, mk(c.a, c.title)); err != nil {
			t.Fatal(err)
		}
	}
	late, soon := mk(writer, "Late"), mk(writer, "Soon")
	if err := svc.Schedule(ctx, editor, late, testStart.Add(48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := svc.Schedule(ctx, editor, soon, testStart.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	mustPublish(t, svc, mk(writer, "Old story"))
	f.clock.advance(time.Hour)
	mustPublish(t, svc, mk(writer2, "New story"))

	d, err := svc.Dashboard(ctx, writer)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{
		"drafts": titles(d.MyDrafts), "review": titles(d.InReview),
		"scheduled": titles(d.Scheduled), "published": titles(d.RecentlyPublished),
	}
	want := map[string][]string{
		"drafts": {"My draft"}, "review": {"My review"},
		"scheduled": {"Soon", "Late"}, "published": {"New story", "Old story"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("writer's dashboard (-want +got):\n%s", diff)
	}
	wantCounts := map[Status]int64{Draft: 2, Review: 2, Scheduled: 2, Published: 2, Expired: 0, Archived: 0}
	if diff := cmp.Diff(wantCounts, d.Counts); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}

	d, err = svc.Dashboard(ctx, editor)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"Their review", "My review"}, titles(d.InReview)); diff != "" {
		t.Errorf("editor's review queue, waiting longest first (-want +got):\n%s", diff)
	}
}

// BenchmarkEditorList measures the staff list over 100,000 articles with 3 KB bodies, by
// filter: the title searches are the ones no index can seek.
func BenchmarkEditorList(b *testing.B) {
	svc, _ := newTestService(b)
	ctx := context.Background()
	sec := mustCreateCategory(b, svc, "Section", nil)
	err := svc.db.Exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
		INSERT INTO articles (created_by, category_id, title, slug, body_source, status, published_at, created_at, updated_at)
		SELECT i % 40, ?, 'title ' || i, 'a-' || i, printf('%.3000c', 'x'),
			CASE WHEN i % 50 = 0 THEN 'draft' ELSE 'published' END,
			datetime('2020-01-01', '+' || i || ' minutes'), datetime('2020-01-01', '+' || i || ' minutes'),
			datetime('2020-01-01', '+' || (i * 7919 % 100000) || ' minutes') FROM n`, sec.ID).Error
	if err != nil {
		b.Fatal(err)
	}
	for _, bm := range []struct {
		name string
		f    EditorFilter
	}{
		{"all", EditorFilter{}},
		{"status", EditorFilter{Status: Published}},
		{"author", EditorFilter{AuthorID: 5}},
		{"title-none", EditorFilter{Query: "zzz"}},
		{"title-many", EditorFilter{Query: "title 9", Status: Published}},
	} {
		b.Run(bm.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := svc.EditorList(ctx, bm.f, 1, 20); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
