package web

import (
	"bytes"
	"html/template"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"campusnews/internal/news"
	"campusnews/internal/site"
)

// The article page is written in Go, layout and all (Server.writePage): byte for byte the page
// the layout and the article's template make, with or without an event, whatever its text,
// and whether or not the page's buffer has room for it. A page with messages for the reader
// is left to the templates.
func TestArticlePageAsTheTemplates(t *testing.T) {
	env := newTestEnv(t)
	e := echo.New()
	c := e.NewContext(httptest.NewRequest(http.MethodGet, "/", nil), httptest.NewRecorder())
	pages := []ArticlePage{
		{
			Base:         Base{Site: site.Settings{Name: "Campus <News>"}, Title: `A & "B" + 'C'`, Canonical: "https://example.edu/a"},
			Article:      news.Article{Title: "A & B", Summary: "Lead"},
			Body:         template.HTML("<p>Body</p>"),
			ShowSummary:  true,
			CategoryName: "News",
			CategoryURL:  "/news-events/news",
			RelatedCards: []template.HTML{cardTag(ArticleCard{Title: "Other", URL: "/x"})},
		},
		{
			Base: Base{Site: site.Settings{Name: "Campus News"}, Section: "news-events", OGType: "article",
				JSONLD: template.JS(`{"@type":"NewsArticle","headline":"x \u003c/script\u003e"}`),
				Feeds:  []FeedLink{{Title: "Campus News – News", URL: "/news-events/news/feed.atom"}}},
			Article:      news.Article{Title: "Open day"},
			Body:         template.HTML("<p>Come</p>"),
			Event:        &EventView{When: "1 May", Venue: "Main hall", CalendarURL: "/events/1.ics"},
			EventLD:      template.JS(`{"@type":"Event","name":"Open day"}`),
			CategoryName: "Events",
			CategoryURL:  "/news-events/events",
		},
		{Base: Base{Site: site.Settings{Name: "Campus News"}, Title: "Untitled"}},
	}
	for i := range pages {
		p := &pages[i]
		var want bytes.Buffer
		if err := env.srv.render.sets["pages/article"].ExecuteTemplate(&want, "layout", p); err != nil {
			t.Fatal(err)
		}
		for _, room := range []int{0, 64 << 10} {
			got := bytes.NewBuffer(make([]byte, 0, room))
			if err := env.srv.render.Render(got, "pages/article", *p, c); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("page %d, buffer of %d bytes:\ngot  %s\nwant %s", i, room, got.String(), want.String())
			}
			into := bytes.NewBuffer(make([]byte, 0, room))
			into.WriteString("<!-- before -->")
			if done, err := env.srv.writePage(into, "pages/article", p); err != nil || !done {
				t.Fatalf("page %d not written in Go: %v", i, err)
			}
			if into.String() != "<!-- before -->"+want.String() {
				t.Errorf("page %d written after other bytes, buffer of %d bytes:\ngot  %s", i, room, into.String())
			}
		}
		if !strings.HasPrefix(want.String(), "<!doctype html>") || !strings.HasSuffix(want.String(), "</html>") {
			t.Errorf("page %d is not a whole page: %s", i, want.String())
		}
	}
	if done, err := env.srv.writePage(new(bytes.Buffer), "pages/search", &pages[0]); done || err != nil {
		t.Errorf("another page's template given an article page was written as the article page (%v, %v)", done, err)
	}
	flashed := pages[0]
	flashed.Flash = []Flash{{Kind: "success", Message: "Signed in."}}
	if done, err := env.srv.writePage(new(bytes.Buffer), "pages/article", &flashed); done || err != nil {
		t.Errorf("a page with a message was written in Go (%v, %v)", done, err)
	}
	var got bytes.Buffer
	if err := env.srv.render.Render(&got, "pages/article", flashed, c); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got.String(), "Signed in.") {
		t.Errorf("the message is not on the page: %s", got.String())
	}
}
