package news

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// The home page's topics are those of the current news: a tag only the archive carries is
// not among them however many old articles carry it, while the topics page counts it.
func TestPopularTagsAreTheNewestStories(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	old := testStart.Add(-5 * 365 * 24 * time.Hour)
	err := f.svc.Batch(ctx, editor, func(b *Batch) error {
		for i := range topicWindow + 50 {
			tags := []string{"Campus"}
			when := testStart.Add(-time.Duration(i) * time.Hour)
			if i >= topicWindow {
				tags, when = []string{"Archive Only"}, old.Add(-time.Duration(i)*time.Hour)
			}
			if _, err := b.Import(Imported{ArticleInput: ArticleInput{Title: fmt.Sprintf("Story %d", i), BodySource: "Text.",
				CategoryID: f.cat.ID, Tags: tags}, Status: Published, PublishedAt: &when, SlugWithID: true}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ids := []int64{f.cat.ID}
	popular, err := f.svc.PopularTags(ctx, ids, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(popular) != 1 || popular[0].Name != "Campus" || popular[0].Count != topicWindow {
		t.Errorf("popular topics: %+v; want only Campus, on the newest %d", popular, topicWindow)
	}
	all, err := f.svc.TagCounts(ctx, ids, 10)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int64{}
	for _, tc := range all {
		counts[tc.Name] = tc.Count
	}
	if counts["Campus"] != topicWindow || counts["Archive Only"] != 50 {
		t.Errorf("every topic: %v; want Campus on %d and Archive Only on 50", counts, topicWindow)
	}
}
