//go:build e2e

package e2e

import (
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestEditor has a writer submit an article, an editor publish it from the dashboard, and an
// anonymous reader find it on the home page, in its category, in search and in the feed.
func TestEditor(t *testing.T) {
	s := startSite(t)
	s.addUser(t, "wendy.writer@example.edu", "Wendy Writer", "writer", staffPassword)
	s.addUser(t, "eddie.editor@example.edu", "Eddie Editor", "editor", staffPassword)
	browser := newBrowser(t)

	// A unique word, so search can find this article and nothing else.
	const word = "Zanzibarquokka"
	d := draft{
		Title:    "Zanzibarquokka Exhibition Opens in the Library",
		Summary:  "A travelling exhibition about island wildlife opens this week.",
		Body:     "The " + word + " exhibition shows island wildlife in forty photographs.\n\nIt is open every day until the end of term.",
		Section:  "News & Events",
		Category: "News",
	}
	writer := newTab(t, browser, s, desktopWidth)
	login(t, writer, "wendy.writer@example.edu", staffPassword)
	writer.open("/editor/articles/new")
	fillArticle(t, writer, d)
	saveArticle(t, writer, "submit")
	wantFlash(t, writer, "Submitted for review")
	wantStatus(t, writer, "In review")

	editor := newTab(t, browser, s, desktopWidth)
	if got := login(t, editor, "eddie.editor@example.edu", staffPassword); got != "/editor" {
		t.Errorf("after logging in the editor is at %s, want /editor", got)
	}
	editor.shot("dashboard-editor")
	waiting := `section[aria-labelledby="review-h"] tbody th a`
	if got := editor.texts(waiting); !slices.Contains(got, d.Title) {
		t.Fatalf("the editor's dashboard lists %q waiting for review, want %q among them", got, d.Title)
	}
	articleID(t, follow(editor, "the article waiting for review", byText(waiting, d.Title)))
	wantStatus(t, editor, "In review")
	// "Publish now" asks first; the editor says yes.
	asked := answerDialogs(editor, true)
	saveArticle(t, editor, "confirm-publish")
	if q := <-asked; !strings.HasPrefix(q, "Publish “"+d.Title+"” now?") {
		t.Errorf("Publish now asked %q", q)
	}
	wantFlash(t, editor, "Published")
	wantStatus(t, editor, "Published")

	// What a reader sees now, without logging in.
	public := evalIn[string](editor, `(document.querySelector('.page-head a[href]:not([href^="/editor"])') || {}).pathname || ""`)
	if public == "" {
		t.Fatal("the published article's form has no View on site link")
	}
	status, body := s.get(t, public)
	if status != http.StatusOK || !strings.Contains(body, html.EscapeString(d.Title)) {
		t.Errorf("GET %s: status %d, the title in the page: %v", public, status, strings.Contains(body, d.Title))
	}
	for _, path := range []string{"/", "/news-events", "/news-events/news", "/search?q=" + url.QueryEscape(word), "/feed.atom", "/news-events/news/feed.atom"} {
		status, body := s.get(t, path)
		if status != http.StatusOK {
			t.Errorf("GET %s: status %d", path, status)
			continue
		}
		// Search results mark the matched words inside the title.
		body = strings.NewReplacer("<mark>", "", "</mark>", "").Replace(body)
		if !strings.Contains(body, html.EscapeString(d.Title)) {
			t.Errorf("GET %s does not show the article just published", path)
		}
		if !strings.Contains(body, public) {
			t.Errorf("GET %s does not link to the article at %s", path, public)
		}
	}

	// The same article in a reader's browser, at a phone's width.
	reader := newTab(t, browser, s, phoneWidth)
	reader.open("/search?q=" + url.QueryEscape(word))
	if got := reader.texts(".results .card-title a"); len(got) != 1 || got[0] != d.Title {
		t.Errorf("the search for %s lists %q, want only the new article", word, got)
	}
	follow(reader, "the search result", chromedp.CSS(".results .card-title a"))
	if h := reader.text("h1#article-title"); h != d.Title {
		t.Errorf("the article page's heading is %q, want %q", h, d.Title)
	}
	if crumbs := reader.texts(".breadcrumb li"); strings.Join(crumbs, "|") != "Home|News & Events|News|"+d.Title {
		t.Errorf("the new article's breadcrumb = %q", crumbs)
	}
	reader.noSideScroll("the new article")
}
