package news

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestWorkflowPublishAndUnpublish(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc := f.svc
	art := mustCreateArticle(t, svc, writer, f.cat.ID, "Solar car wins the race", "The **zephyrine** car crossed the line first.")
	if art.Status != Draft || art.Slug != "solar-car-wins-the-race" || *art.CreatedBy != writer.UserID ||
		!strings.Contains(art.BodyHTML, "<strong>zephyrine</strong>") {
		t.Fatalf("created %+v", art)
	}
	if _, err := svc.PublishedArticle(ctx, art.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("draft visible: %v", err)
	}

	if err := svc.Submit(ctx, writer, art.ID); err != nil {
		t.Fatal(err)
	}
	if err := svc.Submit(ctx, writer, art.ID); !errors.Is(err, ErrWrongStatus) {
		t.Errorf("second submit: %v, want ErrWrongStatus", err)
	}
	if err := svc.Publish(ctx, writer, art.ID); !errors.Is(err, ErrForbidden) {
		t.Fatalf("writer publish: %v, want ErrForbidden", err)
	}
	if ids := searchIDs(t, svc, "zephyrine"); len(ids) != 0 {
		t.Fatalf("unpublished article in search: %v", ids)
	}

	gen := svc.Generation()
	mustPublish(t, svc, art.ID)
	if svc.Generation() == gen {
		t.Error("publish did not change the generation")
	}
	got, err := svc.PublishedArticle(ctx, art.ID)
	if err != nil {
		t.Fatalf("published article: %v", err)
	}
	if got.PublishedAt == nil || !got.PublishedAt.Equal(testStart) || got.ApprovedBy == nil || *got.ApprovedBy != editor.UserID {
		t.Errorf("published_at %v approved_by %v", got.PublishedAt, got.ApprovedBy)
	}
	if ids := searchIDs(t, svc, "zephyrine"); !slices.Equal(ids, []int64{art.ID}) {
		t.Fatalf("search after publish = %v", ids)
	}

	gen = svc.Generation()
	if err := svc.Unpublish(ctx, editor, art.ID); err != nil {
		t.Fatal(err)
	}
	if svc.Generation() == gen {
		t.Error("unpublish did not change the generation")
	}
	if _, err := svc.PublishedArticle(ctx, art.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("unpublished article visible: %v", err)
	}
	if ids := searchIDs(t, svc, "zephyrine"); len(ids) != 0 {
		t.Errorf("unpublished article in search: %v", ids)
	}
	want := []string{"article.create", "article.submit", "article.publish", "article.unpublish"}
	if diff := cmp.Diff(want, auditActions(t, svc, fmt.Sprintf("article %d", art.ID))); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}
}

func TestRepublishKeepsFirstDate(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	art := mustCreateArticle(t, f.svc, writer, f.cat.ID, "Open day", "Come and see.")
	mustPublish(t, f.svc, art.ID)
	if err := f.svc.Unpublish(ctx, editor, art.ID); err != nil {
		t.Fatal(err)
	}
	f.clock.advance(48 * time.Hour)
	mustPublish(t, f.svc, art.ID)
	got, err := f.svc.PublishedArticle(ctx, art.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.PublishedAt.Equal(testStart) {
		t.Errorf("published_at = %v, want the first publication %v", got.PublishedAt, testStart)
	}
}

func TestPublishExpiredNoticeClearsExpiry(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	in := ArticleInput{Title: "Library closed", CategoryID: f.cat.ID, ExpiresAt: ptr(testStart.Add(time.Hour))}
	art, err := f.svc.Create(ctx, editor, in)
	if err != nil {
		t.Fatal(err)
	}
	mustPublish(t, f.svc, art.ID)
	f.clock.advance(2 * time.Hour)
	if n, err := f.svc.PublishDue(ctx); err != nil || n != 1 {
		t.Fatalf("PublishDue = %d, %v", n, err)
	}
	mustPublish(t, f.svc, art.ID)
	if n, err := f.svc.PublishDue(ctx); err != nil || n != 0 {
		t.Fatalf("republished notice expired again: %d, %v", n, err)
	}
	got, err := f.svc.PublishedArticle(ctx, art.ID)
	if err != nil || got.ExpiresAt != nil {
		t.Fatalf("after republish: %+v, %v", got, err)
	}
}

func TestPermissions(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc := f.svc
	own := mustCreateArticle(t, svc, writer, f.cat.ID, "Own draft", "Text.")
	review := mustCreateArticle(t, svc, writer, f.cat.ID, "Own review", "Text.")
	if err := svc.Submit(ctx, writer, review.ID); err != nil {
		t.Fatal(err)
	}
	published := mustCreateArticle(t, svc, writer, f.cat.ID, "Own published", "Text.")
	mustPublish(t, svc, published.ID)
	edit := func(a Actor, id int64) error {
		_, err := svc.Update(ctx, a, id, ArticleInput{Title: "Changed", CategoryID: f.cat.ID}, time.Time{})
		return err
	}
	tests := []struct {
		name string
		do   func() error
		want error
	}{
		{"writer edits own draft", func() error { return edit(writer, own.ID) }, nil},
		{"writer edits own article in review", func() error { return edit(writer, review.ID) }, nil},
		{"writer edits own published article", func() error { return edit(writer, published.ID) }, ErrForbidden},
		{"writer edits another's draft", func() error { return edit(writer2, own.ID) }, ErrForbidden},
		{"editor edits a published article", func() error { return edit(editor, published.ID) }, nil},
		{"writer submits another's draft", func() error { return svc.Submit(ctx, writer2, own.ID) }, ErrForbidden},
		{"writer publishes", func() error { return svc.Publish(ctx, writer, own.ID) }, ErrForbidden},
		{"writer schedules", func() error { return svc.Schedule(ctx, writer, own.ID, testStart.Add(time.Hour)) }, ErrForbidden},
		{"writer unpublishes", func() error { return svc.Unpublish(ctx, writer, published.ID) }, ErrForbidden},
		{"writer archives", func() error { return svc.ArchiveArticle(ctx, writer, published.ID) }, ErrForbidden},
		{"writer deletes own published article", func() error { return svc.Delete(ctx, writer, published.ID) }, ErrForbidden},
		{"writer deletes another's draft", func() error { return svc.Delete(ctx, writer2, own.ID) }, ErrForbidden},
		{"writer restores on another's draft", func() error {
			revs, err := svc.Revisions(ctx, own.ID)
			if err != nil {
				return err
			}
			_, err = svc.RestoreRevision(ctx, writer2, own.ID, revs[0].ID)
			return err
		}, ErrForbidden},
		{"writer deletes own draft", func() error { return svc.Delete(ctx, writer, own.ID) }, nil},
		{"unknown article", func() error { return edit(editor, 9999) }, ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
	// A refused edit changed nothing.
	got, err := svc.Article(ctx, review.ID)
	if err != nil || got.Title != "Changed" || got.Status != Review {
		t.Errorf("review article after own edit: %+v, %v", got, err)
	}
}

func TestWriterCannotDeleteOnceUnpublishedDraft(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	art := mustCreateArticle(t, f.svc, writer, f.cat.ID, "Was out", "Text.")
	mustPublish(t, f.svc, art.ID)
	if err := f.svc.Unpublish(ctx, editor, art.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Delete(ctx, writer, art.ID); !errors.Is(err, ErrForbidden) {
		t.Errorf("delete of a once-published draft by its writer: %v, want ErrForbidden", err)
	}
}

func TestDeleteRemovesEverything(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc := f.svc
	art, err := svc.Create(ctx, writer, ArticleInput{Title: "Quasar lecture", BodySource: "quasar", CategoryID: f.cat.ID,
		Tags: []string{"Physics"}})
	if err != nil {
		t.Fatal(err)
	}
	mustPublish(t, svc, art.ID)
	gen := svc.Generation()
	if err := svc.Delete(ctx, editor, art.ID); err != nil {
		t.Fatal(err)
	}
	if svc.Generation() == gen {
		t.Error("deleting a published article did not change the generation")
	}
	if _, err := svc.Article(ctx, art.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted article: %v", err)
	}
	for _, table := range []string{"revisions", "article_tags"} {
		var n int64
		if err := svc.db.Table(table).Where("article_id = ?", art.ID).Count(&n).Error; err != nil || n != 0 {
			t.Errorf("%s left: %d, %v", table, n, err)
		}
	}
	if ids := searchIDs(t, svc, "quasar"); len(ids) != 0 {
		t.Errorf("deleted article in search: %v", ids)
	}
	acts := auditActions(t, svc, fmt.Sprintf("article %d", art.ID))
	if acts[len(acts)-1] != "article.delete" {
		t.Errorf("audit = %v", acts)
	}
}

func TestArchive(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	art := mustCreateArticle(t, f.svc, writer, f.cat.ID, "Old news", "obsolescent")
	mustPublish(t, f.svc, art.ID)
	if err := f.svc.ArchiveArticle(ctx, editor, art.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.PublishedArticle(ctx, art.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("archived article visible: %v", err)
	}
	if ids := searchIDs(t, f.svc, "obsolescent"); len(ids) != 0 {
		t.Errorf("archived article in search: %v", ids)
	}
	if err := f.svc.ArchiveArticle(ctx, editor, art.ID); !errors.Is(err, ErrWrongStatus) {
		t.Errorf("archive twice: %v", err)
	}
}
