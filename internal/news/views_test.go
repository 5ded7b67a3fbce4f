package news

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// Counts of more articles than one transaction writes all arrive, each exactly once.
func TestViewsFlushWritesEveryCount(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	n := 2*viewChunk + 17
	var ids []int64
	err := f.svc.Batch(ctx, editor, func(b *Batch) error {
		for i := range n {
			when := testStart.Add(-time.Duration(i) * time.Minute)
			a, err := b.Import(Imported{ArticleInput: ArticleInput{Title: fmt.Sprintf("Story %d", i), BodySource: "Text.",
				CategoryID: f.cat.ID}, Status: Published, PublishedAt: &when, SlugWithID: true})
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
	v := NewViews(f.svc.db)
	for i, id := range ids {
		for range i%3 + 1 {
			v.Add(id)
		}
	}
	if err := v.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	for i, id := range ids {
		var got int64
		if err := f.svc.db.Raw("SELECT views FROM articles WHERE id = ?", id).Scan(&got).Error; err != nil {
			t.Fatal(err)
		}
		if want := int64(i%3 + 1); got != want || v.Pending(id) != 0 {
			t.Fatalf("article %d: %d views written, %d pending; want %d written", id, got, v.Pending(id), want)
		}
	}
}

// A flush cut short (the server shutting down) writes nothing more and keeps the counts it did
// not write for the next flush, which writes each once.
func TestViewsFlushCutShortKeepsItsCounts(t *testing.T) {
	f := newFixture(t)
	a := mustCreateArticle(t, f.svc, editor, f.cat.ID, "Read often", "Text.")
	mustPublish(t, f.svc, a.ID)
	v := NewViews(f.svc.db)
	v.Add(a.ID)
	v.Add(a.ID)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := v.Flush(ctx); err == nil {
		t.Fatal("a cancelled flush reported no error")
	}
	if got := v.Pending(a.ID); got != 2 {
		t.Fatalf("%d views pending after a cancelled flush; want 2", got)
	}
	if err := v.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	var got int64
	if err := f.svc.db.Raw("SELECT views FROM articles WHERE id = ?", a.ID).Scan(&got).Error; err != nil {
		t.Fatal(err)
	}
	if got != 2 || v.Pending(a.ID) != 0 {
		t.Fatalf("%d views written, %d pending; want 2 written", got, v.Pending(a.ID))
	}
}
