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
			l, err := svc.EditorList(ctx, editor, tt.f, 1, 10)
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
	l, err := svc.EditorList(ctx, editor, EditorFilter{}, 2, 3)
	if err != nil || len(l.Articles) != 1 || l.Pages() != 2 || len(l.Articles[0].Tags) != 1 || l.Articles[0].CreatedBy == nil {
		t.Errorf("second page: %+v, %v", l, err)
	}
	if l.Articles[0].BodySource != "" {
		t.Error("the list read the bodies")
	}
	if _, err := svc.EditorList(ctx, editor, EditorFilter{}, 3, 3); !errors.Is(err, ErrNotFound) {
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
	// A writer's counts are of what they may see: their own, and what is published.
	wantCounts := map[Status]int64{Draft: 1, Review: 1, Scheduled: 2, Published: 2, Expired: 0, Archived: 0}
	if diff := cmp.Diff(wantCounts, d.Counts); diff != "" {
		t.Errorf("writer's counts (-want +got):\n%s", diff)
	}

	d, err = svc.Dashboard(ctx, editor)
	if err != nil {
		t.Fatal(err)
	}
	wantCounts = map[Status]int64{Draft: 2, Review: 2, Scheduled: 2, Published: 2, Expired: 0, Archived: 0}
	if diff := cmp.Diff(wantCounts, d.Counts); diff != "" {
		t.Errorf("editor's counts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Their review", "My review"}, titles(d.InReview)); diff != "" {
		t.Errorf("editor's review queue, waiting longest first (-want +got):\n%s", diff)
	}
}

// A writer's lists show their own articles in every status and what is published, never
// another writer's drafts, reviews, scheduled or archived articles; the dashboard, its counts
// and the article list agree, for a writer as for an editor, who sees everything.
func TestWhatStaffListsShow(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc := f.svc
	mk := func(a Actor, title string) int64 {
		f.clock.advance(time.Minute)
		return mustCreateArticle(t, svc, a, f.cat.ID, title, "").ID
	}
	mk(writer, "Mine, draft")
	mk(writer2, "Theirs, draft")
	if err := svc.Submit(ctx, writer2, mk(writer2, "Theirs, in review")); err != nil {
		t.Fatal(err)
	}
	if err := svc.Schedule(ctx, editor, mk(writer2, "Theirs, scheduled"), testStart.Add(48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := svc.Schedule(ctx, editor, mk(writer, "Mine, scheduled"), testStart.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	mustPublish(t, svc, mk(writer2, "Theirs, published"))
	archived := mk(writer2, "Theirs, archived")
	mustPublish(t, svc, archived)
	if err := svc.ArchiveArticle(ctx, editor, archived); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name string
		a    Actor
		want []string // the article list, most recently changed first
	}{
		{"writer", writer, []string{"Theirs, published", "Mine, scheduled", "Mine, draft"}},
		{"editor", editor, []string{"Theirs, archived", "Theirs, published", "Mine, scheduled", "Theirs, scheduled",
			"Theirs, in review", "Theirs, draft", "Mine, draft"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := svc.EditorList(ctx, tc.a, EditorFilter{}, 1, 20)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, titles(l.Articles)); diff != "" {
				t.Errorf("list (-want +got):\n%s", diff)
			}
			d, err := svc.Dashboard(ctx, tc.a)
			if err != nil {
				t.Fatal(err)
			}
			var sum int64
			for _, st := range Statuses {
				ls, err := svc.EditorList(ctx, tc.a, EditorFilter{Status: st}, 1, 20)
				if errors.Is(err, ErrNotFound) {
					ls, err = &Listing{}, nil
				}
				if err != nil {
					t.Fatal(err)
				}
				if d.Counts[st] != ls.Total {
					t.Errorf("%s: the dashboard counts %d, the list holds %d", st, d.Counts[st], ls.Total)
				}
				sum += d.Counts[st]
			}
			if sum != l.Total {
				t.Errorf("the counts add up to %d, the list holds %d", sum, l.Total)
			}
			seen := map[string]bool{}
			for _, title := range tc.want {
				seen[title] = true
			}
			for _, panel := range [][]Article{d.MyDrafts, d.InReview, d.Scheduled, d.RecentlyPublished} {
				for _, a := range panel {
					if !seen[a.Title] {
						t.Errorf("the dashboard shows %q", a.Title)
					}
				}
			}
		})
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
				if _, err := svc.EditorList(ctx, editor, bm.f, 1, 20); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
