package web

import (
	"html/template"
	"strings"
	"testing"
	"time"

	"campusnews/internal/news"
	"campusnews/internal/site"
)

// Hostile and ordinary values for every text and address a page shows.
var (
	tagTexts = []string{"", "Plain title", `<script>alert("x")</script>`, `Tom & "Jerry" 'quoted' a+b`,
		"大连理工大学 — ünïcödé", "{{.Title}} </article>", "a\nb\tc\x00d"}
	tagURLs = []string{"/news-events/news/41/a-slug", "/news-events/news", "/tags/a b", `/x"y`,
		"/ünï/path", "javascript:alert(1)", "https://example.edu/news/1/x?a=1&b=2", "",
		"/a%20b", "//evil.example/x", "https://example.edu:8443/a/b", "http://example.edu/a:b",
		"HTTPS://EXAMPLE.EDU/x", "https://example.edu/'quote'", "data:text/html,<b>x</b>",
		"/a:b/c", "https:x", "http://", "/%zz"}
)

func pick[T any](xs []T, i int) T { return xs[i%len(xs)] }

func TestHeadTagsAsTheTemplate(t *testing.T) {
	tmpl := template.Must(template.New("head").Funcs(template.FuncMap{
		"asset": func(name string) string { return "/assets/" + name },
	}).Parse(headTemplate))
	n := 0
	for i := range 60 {
		b := Base{
			Site:        site.Settings{Name: pick(tagTexts, i+1)},
			Title:       pick(tagTexts, i),
			Description: pick(tagTexts, i+2),
			Canonical:   pick(tagURLs, i),
			OGType:      pick([]string{"", "article", `a"b`}, i),
			NoIndex:     i%3 == 0,
		}
		if i%2 == 0 {
			b.OGImage = pick(tagURLs, i+3)
			b.OGImageAlt = pick(tagTexts, i+4)
			if i%4 == 0 {
				b.OGImageWidth, b.OGImageHeight = 1200, 630
			}
		}
		for k := range i % 3 {
			b.Feeds = append(b.Feeds, FeedLink{Title: pick(tagTexts, i+k), URL: pick(tagURLs, i+k+5)})
		}
		if i%5 == 1 {
			b.Calendars = []FeedLink{{Title: pick(tagTexts, i+3), URL: pick(tagURLs, i+7)}}
		}
		if i%3 != 2 {
			b.JSONLD = template.JS(`{"@type":"NewsArticle","headline":"\u003cb\u003e \"x\""}`)
		}
		var want strings.Builder
		if err := tmpl.ExecuteTemplate(&want, "headtags", b); err != nil {
			t.Fatal(err)
		}
		got := string(headTags(&b, "/assets/css/site.css", "/assets/img/favicon.svg"))
		if got != want.String() {
			t.Errorf("head %d %+v:\ngot  %s\nwant %s", i, b, got, want.String())
		}
		n++
	}
	if n < 50 {
		t.Fatalf("compared %d heads", n)
	}
}

func TestArticleMainAsTheTemplate(t *testing.T) {
	tmpl := template.Must(template.New("article").Funcs(template.FuncMap{
		"date":       longDate,
		"isodate":    isoDate,
		"creditLine": creditLine,
	}).Parse(articleMainTemplate))
	zone := time.FixedZone("CST", 8*3600)
	n := 0
	for i := range 120 {
		text := func(k int) string { return pick(tagTexts, i+k) }
		url := func(k int) string { return pick(tagURLs, i+k) }
		p := ArticlePage{
			Base: Base{Site: site.Settings{Name: text(1)}, Canonical: url(2)},
			Article: news.Article{Title: text(0), Summary: text(3), Source: text(i % 4),
				Author: text(2 * (i % 3)), Photographer: text(i % 5), Editor: text(i % 6)},
			Body:         template.HTML(`<p>Body <b>with</b> markup &amp; "quotes"</p>`),
			ShowSummary:  i%2 == 0,
			CategoryName: text(4),
			CategoryURL:  url(1),
			Views:        int64(i * 997),
		}
		if i%3 != 0 {
			p.Published = time.Date(2026, 3, 4, 5, 6, 7, 0, zone)
		}
		for k := range i % 4 {
			p.Base.Breadcrumb = append(p.Base.Breadcrumb, Crumb{Name: text(k), URL: url(k + 3)})
		}
		if i%4 == 3 {
			p.Base.Breadcrumb = append(p.Base.Breadcrumb, Crumb{Name: text(5)})
		}
		for k := range i % 3 {
			p.Article.Tags = append(p.Article.Tags, news.Tag{Name: text(k + 2), Slug: pick([]string{"research", "a b", `x"y`, "ünï"}, i+k)})
		}
		if i%5 != 0 {
			p.Prev = &ArticleCard{Title: text(6), URL: url(4)}
		}
		if i%7 > 2 {
			p.Next = &ArticleCard{Title: text(2), URL: url(6)}
		}
		if i%4 == 1 {
			p.RelatedCards = []template.HTML{cardTag(ArticleCard{Title: text(1), URL: url(0)})}
			if i%8 == 5 {
				p.RelatedCards = append(p.RelatedCards, cardTag(ArticleCard{Title: text(3), URL: url(2)}))
			}
		}
		if i%3 == 1 {
			p.Event = &EventView{When: text(0), Venue: text(i % 3), OnlineURL: pick(append([]string{""}, tagURLs...), i),
				OnlineLabel: text(2), RegistrationURL: pick(append([]string{""}, tagURLs...), i+4), RegistrationLabel: text(3),
				CalendarURL: url(5), Over: i%4 == 0, Now: i%4 == 2}
		}
		if i%4 == 2 || i%11 == 0 {
			p.Cover = &Image{Src: url(7), Width: 960, Height: 640, Alt: text(5), Caption: text(i % 4), Credit: pick([]string{"", "Jane Doe", "Chart: Office of Research", `<"x">`}, i)}
			if i%8 < 5 {
				p.Cover.SrcSet = pick([]string{"/media/1/a-480.jpg 480w, /media/1/a-960.jpg 960w", `/media/1/"b".jpg 480w`, "javascript:x 1x", "/m/a b.jpg 2x, /m/c.jpg"}, i)
				p.Cover.Sizes = pick([]string{"(min-width: 60rem) 60vw, 100vw", `a"b`}, i)
			}
		}
		var want strings.Builder
		if err := tmpl.ExecuteTemplate(&want, "main", p); err != nil {
			t.Fatal(err)
		}
		if got := string(articleMain(&p)); got != want.String() {
			t.Errorf("article %d:\ngot  %s\nwant %s", i, got, want.String())
		}
		n++
	}
	if n < 100 {
		t.Fatalf("compared %d article pages", n)
	}
}

func TestHomeMainAsTheTemplate(t *testing.T) {
	tmpl := template.Must(template.New("home").Funcs(template.FuncMap{
		"date":     longDate,
		"isodate":  isoDate,
		"cardTag":  cardTag,
		"photoTag": photoTag,
	}).Parse(homeMainTemplate))
	zone := time.FixedZone("CST", 8*3600)
	cover := &Image{Src: "/media/1/a.jpg", SrcSet: "/media/1/a-480.jpg 480w", Sizes: "100vw", Width: 960, Height: 640, Alt: `A "b"`}
	n, bare, empty := 0, 0, 0
	for i := range 80 {
		text := func(k int) string { return pick(tagTexts, i+k) }
		url := func(k int) string { return pick(tagURLs, i+k) }
		card := func(k int) ArticleCard {
			c := ArticleCard{Title: text(k), URL: url(k), Summary: text(k + 1), CategoryName: text(k + 2),
				CategoryURL: url(k + 3), Published: time.Date(2026, 3, 4, 5, 6, 7, 0, zone)}
			if (i+k)%3 == 0 {
				c.Cover = cover
			}
			return c
		}
		p := HomePage{Base: Base{Site: site.Settings{Name: text(0)}}}
		if i%4 != 3 {
			l := card(1)
			if i%5 == 0 {
				l.CategoryName, l.Summary = "", ""
			}
			p.Lead = &l
		}
		for k := range i % 3 {
			p.Notices = append(p.Notices, card(k+2))
		}
		if i%2 == 0 {
			p.NoticesURL = url(5)
		}
		for k := range (i / 4) % 3 {
			p.Headlines = append(p.Headlines, card(k+4))
		}
		for k := range (i / 12) % 4 {
			s := SectionBlock{Name: text(k), URL: url(k + 6)}
			for j := range k + 1 {
				s.Articles = append(s.Articles, card(j+k))
			}
			p.Sections = append(p.Sections, s)
		}
		for k := range i % 5 {
			p.Tags = append(p.Tags, news.TagCount{Tag: news.Tag{Name: text(k + 3), Slug: pick([]string{"research", "a b", `x"y`, "ünï"}, i+k)}, Count: int64(k)})
		}
		var want strings.Builder
		if err := tmpl.ExecuteTemplate(&want, "main", p); err != nil {
			t.Fatal(err)
		}
		if got := string(homeMain(&p)); got != want.String() {
			t.Errorf("home %d:\ngot  %s\nwant %s", i, got, want.String())
		}
		if p.Lead == nil && len(p.Notices)+len(p.Headlines) == 0 {
			bare++
		}
		if p.Lead == nil && len(p.Sections) == 0 {
			empty++
		}
		n++
	}
	if n < 80 || bare == 0 || empty == 0 {
		t.Fatalf("compared %d home pages, %d without a front, %d empty", n, bare, empty)
	}
}

// photoTag escapes its addresses as html/template does in src and srcset: the media library's
// own pass as they are, anything else is normalised or refused.
func TestPhotoTagAsTheTemplate(t *testing.T) {
	tmpl := template.Must(template.New("photo").Parse(`<img class="photo" src="{{.Src}}" srcset="{{.SrcSet}}" sizes="{{.Sizes}}" width="{{.Width}}" height="{{.Height}}" alt="{{.Alt}}" loading="{{if .Lazy}}lazy{{else}}eager{{end}}" decoding="async"{{if .Priority}} fetchpriority="high"{{end}}>`))
	srcsets := []string{"", "/media/0c29-480.jpg 480w, /media/0c29-960.jpg 960w, /media/0c29-1600.jpg 1600w",
		"/media/a.jpg 480w", "/media/a b.jpg 480w", "javascript:alert(1) 480w", "/media/ü.jpg 480w",
		"/media/a.jpg 480w,/media/b.jpg 960w", "/media/a.jpg 2x", "/media/a.jpg w", "/media/a.jpg 48ow",
		"/media/a.jpg 480w, ", "https://cdn.example.edu/a.jpg 480w", `/media/"a".jpg 480w`, "/m/a.jpg  480w"}
	n := 0
	for i := range 120 {
		img := &Image{Src: pick(append([]string{"/media/0c29-960.jpg"}, tagURLs...), i), SrcSet: pick(srcsets, i),
			Sizes: pick([]string{"(min-width: 60rem) 30vw, 100vw", `a"b<c>`}, i), Width: 960, Height: 640 + i,
			Alt: pick(tagTexts, i), Lazy: i%2 == 0, Priority: i%3 == 0}
		var want strings.Builder
		if err := tmpl.Execute(&want, img); err != nil {
			t.Fatal(err)
		}
		if got := string(photoTag(img)); got != want.String() {
			t.Errorf("photo %+v:\ngot  %s\nwant %s", img, got, want.String())
		}
		n++
	}
	if n < 100 {
		t.Fatalf("compared %d photos", n)
	}
}
