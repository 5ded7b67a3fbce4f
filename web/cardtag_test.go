package web

import (
	"html/template"
	"strings"
	"testing"
	"time"
)

// cardTemplate is the "card" partial as a template, which cardTag replaced: cardTag must draw
// the same bytes for every card, whatever its text and addresses hold.
const cardTemplate = `{{define "card"}}<article class="card {{if .Cover}}has-photo{{else}}no-photo{{end}}">
  <h3 class="card-title"><a href="{{.URL}}">{{.Title}}</a></h3>
  <p class="card-meta">{{if not .Published.IsZero}}<time datetime="{{isodate .Published}}">{{date .Published}}</time>{{end}}{{if .CategoryName}} · <a href="{{.CategoryURL}}">{{.CategoryName}}</a>{{end}}</p>
  {{if .Summary}}<p class="card-summary">{{.Summary}}</p>{{end}}
  {{with .Cover}}{{photoTag .}}{{end}}
</article>{{end}}`

func TestCardTagAsTheTemplate(t *testing.T) {
	tmpl := template.Must(template.New("cards").Funcs(template.FuncMap{
		"date":     func(t time.Time) string { return t.Format("2 January 2006") },
		"isodate":  func(t time.Time) string { return t.Format(time.RFC3339) },
		"photoTag": photoTag,
	}).Parse(cardTemplate))
	zone := time.FixedZone("CST", 8*3600)
	texts := []string{"", "Plain title", `<script>alert("x")</script>`, `Tom & "Jerry" 'quoted'`,
		"大连理工大学 — ünïcödé", "{{.Title}} </article>", "a\nb\tc"}
	urls := []string{"/news-events/news/41/a-slug", "/news-events/news", "/tags/a b", `/x"y`,
		"/ünï/path", "javascript:alert(1)", "https://example.edu/?a=1&b=2", "", "/a%20b", "//evil.example/x"}
	cover := &Image{Src: "/media/1/a b.jpg", SrcSet: `/media/1/480.jpg 480w, /media/1/"960".jpg 960w`,
		Sizes: "(min-width: 60rem) 30vw, 100vw", Width: 960, Height: 640, Alt: `A "quoted" <alt>`, Lazy: true}
	n := 0
	for i, title := range texts {
		for j, u := range urls {
			c := ArticleCard{Title: title, URL: u, Summary: texts[(i+j)%len(texts)],
				CategoryName: texts[(i+2*j)%len(texts)], CategoryURL: urls[(i+j+3)%len(urls)]}
			if (i+j)%2 == 0 {
				c.Published = time.Date(2026, 3, 4, 5, 6, 7, 0, zone)
			}
			if j%3 == 0 {
				c.Cover = cover
			}
			var want strings.Builder
			if err := tmpl.ExecuteTemplate(&want, "card", c); err != nil {
				t.Fatal(err)
			}
			if got := string(cardTag(c)); got != want.String() {
				t.Errorf("card %+v:\ngot  %s\nwant %s", c, got, want.String())
			}
			n++
		}
	}
	if n < 50 {
		t.Fatalf("compared %d cards", n)
	}
}
