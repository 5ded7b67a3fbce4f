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
