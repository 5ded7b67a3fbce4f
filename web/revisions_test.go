package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"campusnews/internal/accounts"
	"campusnews/internal/news"
)

var revisionLinks = regexp.MustCompile(`href="(/editor/articles/\d+/revisions/\d+)"><time`)

// revisionPaths lists the compare pages of article id, newest first.
func revisionPaths(t *testing.T, cl *client, id int64) (paths []string, page string) {
	t.Helper()
	resp, body := cl.get(editURL(id) + "/revisions")
	mustStatus(t, resp, body, http.StatusOK)
	for _, m := range revisionLinks.FindAllStringSubmatch(body, -1) {
		paths = append(paths, m[1])
	}
	return paths, body
}

// The newest revision is the current version: it is marked so, and neither offers nor allows a
// restore that would change nothing.
func TestCurrentRevision(t *testing.T) {
	ee := newEditorEnv(t)
	ctx := context.Background()
	id := ee.newArticle(ee.writer, "First title", "Alpha beta gamma.", "save")
	resp, body := ee.act(ee.writer, id, "save", url.Values{"title": {"Second title"}})
	mustStatus(t, resp, body, http.StatusSeeOther)

	revs, list := revisionPaths(t, ee.writer, id)
	if len(revs) != 2 {
		t.Fatalf("%d revisions, want 2", len(revs))
	}
	if n := strings.Count(list, "Current version"); n != 1 {
		t.Fatalf("the list marks %d revisions as the current version, want 1\n%s", n, list)
	}
	if i, j := strings.Index(list, revs[0]), strings.Index(list, "Current version"); j < i || j > strings.Index(list, revs[1]) {
		t.Error("the mark is not on the newest revision")
	}
	newest, oldest := revs[0], revs[1]
	_, body = ee.writer.get(newest)
	if !strings.Contains(body, "Current version</span>") || strings.Contains(body, "Restore this revision") ||
		!strings.Contains(body, "nothing to restore") {
		t.Errorf("the newest revision's page offers a restore or is not marked current\n%s", body)
	}
	_, body = ee.writer.get(oldest)
	if strings.Contains(body, "Current version</span>") || !strings.Contains(body, "Restore this revision") {
		t.Errorf("the older revision's page is marked current or offers no restore\n%s", body)
	}

	// Posting the restore anyway changes nothing and says so.
	before, _ := ee.news.Article(ctx, id)
	resp, body = ee.writer.submit(oldest, newest+"/restore", nil)
	mustStatus(t, resp, body, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != editURL(id)+"/revisions" {
		t.Errorf("restoring the current version went to %q", loc)
	}
	_, body = ee.writer.get(resp.Header.Get("Location"))
	if !strings.Contains(body, "same as the current version, so there was nothing to restore") {
		t.Errorf("no word that there was nothing to restore\n%s", body)
	}
	after, _ := ee.news.Article(ctx, id)
	if !after.UpdatedAt.Equal(before.UpdatedAt) {
		t.Error("restoring the current version saved the article")
	}
	if revs, _ := revisionPaths(t, ee.writer, id); len(revs) != 2 {
		t.Errorf("restoring the current version added a revision: %d", len(revs))
	}
	var restores int64
	ee.db.Raw("SELECT COUNT(*) FROM audit_entries WHERE action = 'article.restore'").Scan(&restores)
	if restores != 0 {
		t.Error("restoring the current version was recorded in the audit log")
	}

	// A real restore: the new revision is current, and so is the one restored, which is the same.
	resp, body = ee.writer.submit(oldest, oldest+"/restore", nil)
	mustStatus(t, resp, body, http.StatusSeeOther)
	revs, list = revisionPaths(t, ee.writer, id)
	if len(revs) != 3 || strings.Count(list, "Current version") != 1 {
		t.Fatalf("after the restore: %d revisions, %d marked current", len(revs), strings.Count(list, "Current version"))
	}
	if _, body = ee.writer.get(oldest); strings.Contains(body, "Restore this revision") {
		t.Error("revision 1, now the same as the current version, still offers a restore")
	}
	if _, body = ee.writer.get(revs[1]); !strings.Contains(body, "Restore this revision") {
		t.Error("revision 2, which differs now, offers no restore")
	}
}

// An article without revisions (loaded by the demo, or older than revisions) keeps its
// original as a revision when first saved, and it can be restored.
func TestFirstEditKeepsTheOriginal(t *testing.T) {
	env := newDemoEnv(t)
	ctx := context.Background()
	ed := env.client()
	ed.login(env.mustUser("editor@example.edu", accounts.Editor).Email)
	var id int64
	env.db.Raw(`SELECT a.id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM revisions r WHERE r.article_id = a.id)
		AND EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = a.id) ORDER BY a.id LIMIT 1`).Scan(&id)
	if id == 0 {
		t.Fatal("the demo has no tagged article without revisions")
	}
	orig, err := env.news.Article(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if revs, _ := revisionPaths(t, ed, id); len(revs) != 0 {
		t.Fatalf("the demo article has %d revisions already", len(revs))
	}

	resp, body := ed.sendForm(editURL(id), editURL(id), url.Values{"title": {"Rewritten title"},
		"body_source": {"Rewritten text."}, "tags": {"rewritten"}, "author": {"Someone Else"}, "action": {"save"}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	revs, list := revisionPaths(t, ed, id)
	if len(revs) != 2 {
		t.Fatalf("after the first edit: %d revisions, want the original and the edit", len(revs))
	}
	if !strings.Contains(list, "As it was before the first edit") || !strings.Contains(list, orig.Title) {
		t.Errorf("the original is not listed with its title and note\n%s", list)
	}
	_, body = ed.get(revs[1])
	if !strings.Contains(body, "Restore this revision") {
		t.Fatal("the original offers no restore")
	}
	resp, body = ed.submit(revs[1], revs[1]+"/restore", nil)
	mustStatus(t, resp, body, http.StatusSeeOther)
	got, err := env.news.Article(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != orig.Title || got.BodySource != orig.BodySource || got.Author != orig.Author ||
		!slices.Equal(tagNames(got), tagNames(orig)) {
		t.Errorf("after restoring the original: %q by %q tagged %v, want %q by %q tagged %v",
			got.Title, got.Author, tagNames(got), orig.Title, orig.Author, tagNames(orig))
	}
	// Later saves keep no second copy of the original.
	resp, body = ed.sendForm(editURL(id), editURL(id), url.Values{"title": {"Once more"}, "action": {"save"}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	if revs, list := revisionPaths(t, ed, id); len(revs) != 4 || strings.Count(list, "As it was before the first edit") != 1 {
		t.Errorf("after two more saves: %d revisions, want 4 with one original", len(revs))
	}
}

func tagNames(a *news.Article) []string {
	var out []string
	for _, t := range a.Tags {
		out = append(out, t.Name)
	}
	return out
}
