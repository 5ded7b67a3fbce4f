package media

import (
	"context"
	"testing"
	"time"
)

func TestInUseBeyondDrafts(t *testing.T) {
	s, db := newTestStore(t, 0)
	ctx := context.Background()
	m := mustSave(t, s, 40, 20)
	now := time.Now().UTC()
	mustExec(t, db, "INSERT INTO categories (id, name, slug, created_at, updated_at) VALUES (1, 'News', 'news', ?, ?)", now, now)
	const writer, other = 7, 8
	check := func(name string, want bool) {
		t.Helper()
		got, err := s.InUseBeyondDrafts(ctx, m, writer)
		if err != nil || got != want {
			t.Errorf("%s: in use = %v (%v), want %v", name, got, err, want)
		}
	}
	check("unused", false)
	mustExec(t, db, `INSERT INTO articles (id, category_id, title, slug, status, created_by, cover_media_id, created_at, updated_at)
		VALUES (1, 1, 'A', 'a', 'draft', ?, ?, ?, ?)`, writer, m.ID, now, now)
	check("cover of the writer's own draft", false)
	mustExec(t, db, "UPDATE articles SET status = 'published' WHERE id = 1")
	check("cover of a published article", true)
	mustExec(t, db, "UPDATE articles SET status = 'draft', cover_media_id = NULL WHERE id = 1")
	check("no longer the cover", false)
	mustExec(t, db, `INSERT INTO articles (id, category_id, title, slug, status, created_by, body_source, created_at, updated_at)
		VALUES (2, 1, 'B', 'b', 'draft', ?, ?, ?, ?)`, other, "![x](/media/"+m.Path+")", now, now)
	check("in the text of someone else's draft", true)
}
