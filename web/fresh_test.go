package web

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"campusnews/internal/news"
)

// Whatever the page cache holds, a published, changed, unpublished or deleted article is
// right on every page that shows it on the very next request.
func TestChangesShowOnEveryPageAtOnce(t *testing.T) {
	env := newDemoEnv(t)
	ctx := context.Background()
	cl := env.client()
	tree, err := env.news.Tree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cat := tree.ByPath("/news-events/news")
	now := time.Now().UTC()
	pages := []string{"/", "/news-events", "/news-events/news", "/tags/alumni",
		fmt.Sprintf("/archive/%d/%02d", now.Year(), int(now.Month())), "/search?q=quokkatron",
		"/feed.atom", "/news-events/feed.atom", "/news-events/news/feed.atom", "/sitemaps/articles-1.xml"}
	warm := func() {
		for _, p := range pages {
			cl.get(p)
		}
	}
	expect := func(when, text string, present bool) {
		t.Helper()
		for _, p := range pages {
			if when == "changed" && strings.HasPrefix(p, "/sitemaps/") {
				continue // a sitemap lists addresses, not titles
			}
			_, body := cl.get(p)
			if strings.Contains(body, text) != present {
				t.Errorf("%s: %s: contains %q = %v, want %v", when, p, text, !present, present)
			}
		}
	}
	editor := news.Actor{UserID: 1, Email: "editor@example.edu", CanPublish: true, CanEditAny: true}

	warm()
	a, err := env.news.Create(ctx, editor, news.ArticleInput{Title: "Quokkatron visits the campus",
		Summary: "A visitor.", BodySource: "The quokkatron arrived on Monday.", CategoryID: cat.ID,
		Tags: []string{"alumni"}})
	if err != nil {
		t.Fatal(err)
	}
	expect("draft", "Quokkatron", false)
	if err := env.news.Publish(ctx, editor, a.ID); err != nil {
		t.Fatal(err)
	}
	expect("published", "quokkatron-visits-the-campus", true)
	articleURL := fmt.Sprintf("/news-events/news/%d/quokkatron-visits-the-campus", a.ID)
	if resp, _ := cl.get(articleURL); resp.StatusCode != 200 {
		t.Fatalf("article page after publish: %d", resp.StatusCode)
	}

	warm()
	in := news.ArticleInput{Title: "Quokkatron Zephyrine returns", Slug: "quokkatron-visits-the-campus", Summary: "Again.",
		BodySource: "The quokkatron came back.", CategoryID: cat.ID, Tags: []string{"alumni"}}
	cur, err := env.news.Article(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.news.Update(ctx, editor, a.ID, in, cur.UpdatedAt); err != nil {
		t.Fatal(err)
	}
	expect("changed", "Zephyrine", true)
	if _, body := cl.get(articleURL); !strings.Contains(body, "Quokkatron Zephyrine returns") {
		t.Error("article page shows the old title after a change")
	}

	warm()
	if err := env.news.Unpublish(ctx, editor, a.ID); err != nil {
		t.Fatal(err)
	}
	expect("unpublished", "Quokkatron", false)
	if resp, _ := cl.get(articleURL); resp.StatusCode != 404 {
		t.Errorf("article page after unpublish: %d", resp.StatusCode)
	}

	if err := env.news.Publish(ctx, editor, a.ID); err != nil {
		t.Fatal(err)
	}
	warm()
	if err := env.news.Delete(ctx, editor, a.ID); err != nil {
		t.Fatal(err)
	}
	expect("deleted", "Quokkatron", false)
	if resp, _ := cl.get(articleURL); resp.StatusCode != 404 {
		t.Errorf("article page after delete: %d", resp.StatusCode)
	}
}

// Pages answer conditional requests with 304 and carry cache headers.
func TestPagesRevalidateWith304(t *testing.T) {
	env := newDemoEnv(t)
	cl := env.client()
	resp, _ := cl.get("/news-events/news")
	etag := resp.Header.Get("ETag")
	if etag == "" || !strings.Contains(resp.Header.Get("Cache-Control"), "stale-while-revalidate") ||
		resp.Header.Get("Last-Modified") == "" {
		t.Fatalf("headers: ETag %q, Cache-Control %q", etag, resp.Header.Get("Cache-Control"))
	}
	req, _ := newGet(env.http.URL+"/news-events/news", "If-None-Match", etag)
	r2, err := cl.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r2.Body.Close()
	if r2.StatusCode != 304 {
		t.Fatalf("conditional GET: %d", r2.StatusCode)
	}
	// A change the listing shows makes the old ETag stale.
	tree, _ := env.news.Tree(context.Background())
	editor := news.Actor{UserID: 1, CanPublish: true, CanEditAny: true}
	a, err := env.news.Create(context.Background(), editor, news.ArticleInput{Title: "Fresh news for the ETag",
		BodySource: "Body.", CategoryID: tree.ByPath("/news-events/news").ID})
	if err != nil {
		t.Fatal(err)
	}
	if err := env.news.Publish(context.Background(), editor, a.ID); err != nil {
		t.Fatal(err)
	}
	r3, err := cl.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r3.Body.Close()
	if r3.StatusCode != 200 || r3.Header.Get("ETag") == etag {
		t.Fatalf("after a change: status %d, ETag %q (old %q)", r3.StatusCode, r3.Header.Get("ETag"), etag)
	}
	// gzip is served pre-compressed with its own ETag.
	gz, _ := newGet(env.http.URL+"/news-events/news", "Accept-Encoding", "gzip")
	r4, err := cl.c.Do(gz)
	if err != nil {
		t.Fatal(err)
	}
	r4.Body.Close()
	if r4.Header.Get("Content-Encoding") != "gzip" || !strings.HasSuffix(r4.Header.Get("ETag"), `-gz"`) {
		t.Fatalf("gzip answer: encoding %q etag %q", r4.Header.Get("Content-Encoding"), r4.Header.Get("ETag"))
	}
	// Hashed assets are immutable for a year.
	_, home := cl.get("/")
	css := regexp.MustCompile(`href="(/assets/css/site\.[0-9a-f]+\.css)"`).FindStringSubmatch(home)
	if css == nil {
		t.Fatal("no hashed stylesheet link")
	}
	ra, _ := cl.get(css[1])
	if ra.StatusCode != 200 || !strings.Contains(ra.Header.Get("Cache-Control"), "immutable") {
		t.Fatalf("asset: %d %q", ra.StatusCode, ra.Header.Get("Cache-Control"))
	}
}

func newGet(url, header, value string) (*http.Request, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err == nil {
		req.Header.Set(header, value)
	}
	return req, err
}
