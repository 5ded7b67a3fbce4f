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

// The article page writes its main part into the page itself (mainWriter); the page is the
// one the layout makes with the page's "main" template, byte for byte.
func TestArticlePageWritesItsMainAsTheLayoutWould(t *testing.T) {
	env := newTestEnv(t)
	p := &ArticlePage{
		Base:         Base{Site: site.Settings{Name: "Campus <News>"}, Title: "A & B", Canonical: "https://example.edu/a"},
		Article:      news.Article{Title: "A & B", Summary: "Lead"},
		Body:         template.HTML("<p>Body</p>"),
		ShowSummary:  true,
		CategoryName: "News",
		CategoryURL:  "/news-events/news",
		RelatedCards: []template.HTML{cardTag(ArticleCard{Title: "Other", URL: "/x"})},
	}
	e := echo.New()
	c := e.NewContext(httptest.NewRequest(http.MethodGet, "/", nil), httptest.NewRecorder())
	var got bytes.Buffer
	if err := env.srv.render.Render(&got, "pages/article", *p, c); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := env.srv.render.sets["pages/article"].ExecuteTemplate(&want, "layout", p); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("got  %s\nwant %s", got.String(), want.String())
	}
	if !strings.Contains(got.String(), `<h1 id="article-title">A &amp; B</h1>`) || !strings.HasSuffix(got.String(), "</html>") {
		t.Errorf("not a whole article page: %s", got.String())
	}
}
