package main

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"campusnews/internal/changes"
	"campusnews/internal/database"
	"campusnews/internal/news"
)

// fetch returns the status and body of a GET of base+path.
func fetch(t *testing.T, base, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// within polls path until ok says its answer shows the change, and fails the test when that
// takes longer than d after since.
func within(t *testing.T, base, path string, since time.Time, d time.Duration, ok func(status int, body string) bool) {
	t.Helper()
	for {
		status, body := fetch(t, base, path)
		if ok(status, body) {
			t.Logf("%s changed after %v", path, time.Since(since).Round(time.Millisecond))
			return
		}
		if time.Since(since) > d {
			t.Errorf("%s did not change within %v (status %d)", path, d, status)
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// A write by another process (the command line, a second service on the same database, as
// another instance or an import makes it) shows on every public page it affects within a
// second, although the server keeps pages in memory for ten.
func TestChangesFromAnotherProcessShowWithinASecond(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server and seeds 600 articles")
	}
	dir := seededData(t)
	srv := startServer(t, dir, "--cache-ttl", "10s")
	base := srv.base

	// What the pages show before, each read once so that it sits in the page cache.
	// (The sitemap index names one file per 10,000 articles, so 600 more leave it as it is.)
	pages := []string{"/", "/news-events/news", "/news-events/news?page=2", "/tags/research", "/archive",
		"/search?q=research", "/feed.atom", "/news-events/news/feed.atom", "/sitemaps/articles-1.xml"}
	before := map[string]string{}
	for _, p := range pages {
		status, body := fetch(t, base, p)
		before[p] = body
		if p == "/news-events/news?page=2" {
			if status != http.StatusNotFound {
				t.Fatalf("%s before: %d, want 404 (the demo's News fills one page)", p, status)
			}
			continue
		}
		if status != http.StatusOK {
			t.Fatalf("%s before: %d", p, status)
		}
	}

	// The command line adds 600 articles while the server runs.
	runCmd(t, "", "seed", "--articles", "600", "--data", dir)
	done := time.Now()
	for _, p := range pages {
		p := p
		within(t, base, p, done, time.Second, func(status int, body string) bool {
			if p == "/news-events/news?page=2" {
				return status == http.StatusOK
			}
			return status == http.StatusOK && body != before[p]
		})
	}
	within(t, base, "/news-events/news", done, time.Second, func(_ int, body string) bool {
		return strings.Contains(body, "?page=2")
	})

	// A second news service on the same database file publishes, then unpublishes.
	ctx := context.Background()
	db, err := database.Open(filepath.Join(dir, "campusnews.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(db)
	w, err := changes.NewWatcher(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	other := news.NewService(db, w)
	tree, err := other.Tree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cat := tree.ByPath("/news-events/news")
	editor := news.Actor{Via: "test", CanPublish: true, CanEditAny: true}
	// Search pages mark the matched word, so the pages are checked for the rest of the title.
	const title, rest = "Quokka sighting on the east lawn", "sighting on the east lawn"
	art, err := other.SaveAndStep(ctx, editor, 0, news.ArticleInput{Title: title, CategoryID: cat.ID,
		Summary: "A rare visitor.", BodySource: "A quokka was seen near the library.", Tags: []string{"Research"}},
		time.Time{}, news.StepPublish, nil)
	if err != nil {
		t.Fatal(err)
	}
	done = time.Now()
	url := "/news-events/news/" + strconv.FormatInt(art.ID, 10) + "/" + art.Slug
	within(t, base, url, done, time.Second, func(status int, body string) bool {
		return status == http.StatusOK && strings.Contains(body, title)
	})
	for _, p := range []string{"/", "/news-events/news", "/tags/research", "/search?q=quokka", "/feed.atom"} {
		within(t, base, p, done, time.Second, func(_ int, body string) bool { return strings.Contains(body, rest) })
	}
	if err := other.Unpublish(ctx, editor, art.ID); err != nil {
		t.Fatal(err)
	}
	done = time.Now()
	within(t, base, url, done, time.Second, func(status int, _ string) bool { return status == http.StatusNotFound })
	for _, p := range []string{"/", "/news-events/news", "/search?q=quokka", "/feed.atom"} {
		within(t, base, p, done, time.Second, func(_ int, body string) bool { return !strings.Contains(body, rest) })
	}
}
