package web

import (
	"html/template"
	"slices"
	"strconv"
	"strings"
	"time"
	"unsafe"
)

// The <head> of every page and the body of an article page are written here rather than in
// templates for the reason cardTag is: a random article from a large archive is rendered for
// each reader, and each of the page's seventy values cost the template a reflective call to
// its escaper, a third of the page's render. Every value is escaped as html/template escapes
// it in the same place (a test compares the bytes with the templates these replaced).

// tagWriter accumulates a fragment of a page: in a buffer of its own, or straight into the
// spare room of the page's buffer (Server.writePage).
type tagWriter struct{ b []byte }

func (m *tagWriter) raw(s string)  { m.b = append(m.b, s...) }
func (m *tagWriter) text(s string) { m.raw(htmlText.Replace(s)) }
func (m *tagWriter) href(u string) { m.raw(hrefValue(u)) }

// WriteString is raw, for writers that take an io.StringWriter.
func (m *tagWriter) WriteString(s string) (int, error) {
	m.raw(s)
	return len(s), nil
}

// Grow makes room for n more bytes.
func (m *tagWriter) Grow(n int) { m.b = slices.Grow(m.b, n) }

// String returns the fragment without copying it, as strings.Builder does: a tagWriter only
// appends, so the bytes behind a string it returned never change.
func (m *tagWriter) String() string { return unsafe.String(unsafe.SliceData(m.b), len(m.b)) }

// headTags is the head of a page after its <title>: description, robots, canonical address,
// the Open Graph and Twitter tags, feeds, style sheet, icon and JSON-LD. css and icon are the
// addresses of the site's style sheet and icon.
func headTags(b *Base, css, icon string) template.HTML {
	var m tagWriter
	m.Grow(1536 + 2*len(b.Description) + 2*len(b.Canonical) + len(b.JSONLD))
	writeHeadTags(&m, b, css, icon)
	return template.HTML(m.String())
}

func writeHeadTags(m *tagWriter, b *Base, css, icon string) {
	m.raw(`<meta name="description" content="`)
	m.text(b.Description)
	m.raw("\">\n")
	if b.NoIndex {
		m.raw(`<meta name="robots" content="noindex">`)
	}
	m.raw("\n")
	if b.Canonical != "" {
		m.raw(`<link rel="canonical" href="`)
		m.href(b.Canonical)
		m.raw(`">`)
	}
	m.raw("\n<meta property=\"og:site_name\" content=\"")
	m.text(b.Site.Name)
	m.raw("\">\n<meta property=\"og:title\" content=\"")
	if b.Title != "" {
		m.text(b.Title)
	} else {
		m.text(b.Site.Name)
	}
	m.raw("\">\n<meta property=\"og:description\" content=\"")
	m.text(b.Description)
	m.raw("\">\n<meta property=\"og:type\" content=\"")
	if b.OGType != "" {
		m.text(b.OGType)
	} else {
		m.raw("website")
	}
	m.raw("\">\n")
	if b.Canonical != "" {
		m.raw(`<meta property="og:url" content="`)
		m.text(b.Canonical)
		m.raw(`">`)
	}
	m.raw("\n")
	if b.OGImage != "" {
		m.raw(`<meta property="og:image" content="`)
		m.text(b.OGImage)
		m.raw("\">\n")
		if b.OGImageWidth != 0 {
			m.raw(`<meta property="og:image:width" content="`)
			m.raw(strconv.Itoa(b.OGImageWidth))
			m.raw("\">\n<meta property=\"og:image:height\" content=\"")
			m.raw(strconv.Itoa(b.OGImageHeight))
			m.raw("\">\n")
		}
		if b.OGImageAlt != "" {
			m.raw(`<meta property="og:image:alt" content="`)
			m.text(b.OGImageAlt)
			m.raw("\">\n<meta name=\"twitter:image:alt\" content=\"")
			m.text(b.OGImageAlt)
			m.raw("\">\n")
		}
		m.raw(`<meta name="twitter:card" content="summary_large_image">`)
	} else {
		m.raw(`<meta name="twitter:card" content="summary">`)
	}
	m.raw("\n")
	for _, f := range b.Feeds {
		m.raw(`<link rel="alternate" type="application/atom+xml" title="`)
		m.text(f.Title)
		m.raw(`" href="`)
		m.href(f.URL)
		m.raw("\">\n")
	}
	for _, f := range b.Calendars {
		m.raw(`<link rel="alternate" type="text/calendar" title="`)
		m.text(f.Title)
		m.raw(`" href="`)
		m.href(f.URL)
		m.raw("\">\n")
	}
	m.raw(`<link rel="stylesheet" href="`)
	m.href(css)
	m.raw("\">\n<link rel=\"icon\" href=\"")
	m.href(icon)
	m.raw("\" type=\"image/svg+xml\">\n")
	if b.JSONLD != "" {
		// JSONLD is template.JS, which html/template writes into a script as it is.
		m.raw(`<script type="application/ld+json">`)
		m.raw(string(b.JSONLD))
		m.raw(`</script>`)
	}
}

// breadcrumbTag is the breadcrumb trail (the "breadcrumb" partial).
func breadcrumbTag(m *tagWriter, crumbs []Crumb) {
	if len(crumbs) == 0 {
		return
	}
	m.raw("<nav class=\"breadcrumb\" aria-label=\"Breadcrumb\"><ol>\n")
	for _, c := range crumbs {
		m.raw("<li>")
		if c.URL != "" {
			m.raw(`<a href="`)
			m.href(c.URL)
			m.raw(`">`)
			m.text(c.Name)
			m.raw("</a>")
		} else {
			m.raw(`<span aria-current="page">`)
			m.text(c.Name)
			m.raw("</span>")
		}
		m.raw("</li>\n")
	}
	m.raw("</ol></nav>")
}

// articleMain is the main part of an article page: breadcrumb, the article with its facts,
// event, cover, body and topics, the links to its neighbours and the related stories.
func articleMain(p *ArticlePage) template.HTML {
	var m tagWriter
	m.Grow(p.mainSize())
	writeArticleMain(&m, p)
	return template.HTML(m.String())
}

// mainSize is about how long the article's main part is: its body, its cards and some 2 KB
// of markup around them, 1 KB more with an event box.
func (p *ArticlePage) mainSize() int {
	size := len(p.Body) + 2048
	if p.Event != nil {
		size += 1024
	}
	for _, c := range p.RelatedCards {
		size += len(c)
	}
	return size
}

func writeArticleMain(m *tagWriter, p *ArticlePage) {
	a := &p.Article
	m.raw("<div class=\"wrap article-wrap\">\n  ")
	breadcrumbTag(m, p.Base.Breadcrumb)
	m.raw("\n  <article class=\"article\" aria-labelledby=\"article-title\">\n    <header class=\"article-head\">\n      <p class=\"kicker\"><a href=\"")
	m.href(p.CategoryURL)
	m.raw(`">`)
	m.text(p.CategoryName)
	m.raw("</a></p>\n      <h1 id=\"article-title\">")
	m.text(a.Title)
	m.raw("</h1>\n      ")
	if p.ShowSummary {
		m.raw(`<p class="standfirst">`)
		m.text(a.Summary)
		m.raw(`</p>`)
	}
	m.raw("\n      <dl class=\"article-meta\">\n        ")
	if !p.Published.IsZero() {
		m.raw(`<div><dt>Published</dt><dd>`)
		timeTag(m, p.Published)
		m.raw(`</dd></div>`)
	}
	fact := func(name, value string) {
		m.raw("\n        ")
		if value != "" {
			m.raw("<div><dt>" + name + "</dt><dd>")
			m.text(value)
			m.raw("</dd></div>")
		}
	}
	fact("Source", a.Source)
	fact("Author", a.Author)
	fact("Photos", a.Photographer)
	fact("Editor", a.Editor)
	m.raw("\n        <div><dt>Views</dt><dd>")
	m.raw(strconv.FormatInt(p.Views, 10))
	m.raw("</dd></div>\n      </dl>\n    </header>\n    ")
	if e := p.Event; e != nil {
		eventBox(m, e)
	}
	m.raw("\n    ")
	if c := p.Cover; c != nil {
		m.raw("<figure class=\"article-cover\">\n      <img src=\"")
		m.href(c.Src)
		m.raw(`"`)
		if c.SrcSet != "" {
			m.raw(` srcset="`)
			m.raw(srcsetValue(c.SrcSet))
			m.raw(`" sizes="`)
			m.text(c.Sizes)
			m.raw(`"`)
		}
		m.raw(` width="`)
		m.raw(strconv.Itoa(c.Width))
		m.raw(`" height="`)
		m.raw(strconv.Itoa(c.Height))
		m.raw(`" alt="`)
		m.text(c.Alt)
		m.raw("\">\n      ")
		if c.Caption != "" || c.Credit != "" {
			m.raw("<figcaption>")
			m.text(c.Caption)
			if c.Credit != "" {
				m.raw(` <span class="credit">`)
				m.text(creditLine(c.Credit))
				m.raw("</span>")
			}
			m.raw("</figcaption>")
		}
		m.raw("\n    </figure>")
	}
	m.raw("\n    <div class=\"article-body\">")
	m.raw(string(p.Body))
	m.raw("</div>\n    <p class=\"print-only print-source\">")
	m.text(p.Base.Site.Name)
	m.raw(" · ")
	m.text(p.Base.Canonical)
	m.raw("</p>\n    ")
	if len(a.Tags) > 0 {
		m.raw(`<footer class="article-tags"><h2 class="visually-hidden">Topics</h2><ul class="tag-list">`)
		for _, t := range a.Tags {
			m.raw(`<li><a href="`)
			m.href("/tags/" + t.Slug)
			m.raw(`" rel="tag">`)
			m.text(t.Name)
			m.raw("</a></li>")
		}
		m.raw("</ul></footer>")
	}
	m.raw("\n  </article>\n  ")
	if p.Prev != nil || p.Next != nil {
		m.raw(`<nav class="prev-next" aria-label="More in `)
		m.text(p.CategoryName)
		m.raw("\">\n    ")
		neighbour := func(c *ArticleCard, rel, label string) {
			if c != nil {
				m.raw(`<a class="` + rel + `" href="`)
				m.href(c.URL)
				m.raw(`" rel="` + rel + `"><span>` + label + `</span>`)
				m.text(c.Title)
				m.raw("</a>")
			}
		}
		neighbour(p.Prev, "prev", "Previous")
		m.raw("\n    ")
		neighbour(p.Next, "next", "Next")
		m.raw("\n  </nav>")
	}
	m.raw("\n  ")
	if len(p.RelatedCards) > 0 {
		m.raw("<section class=\"related\" aria-labelledby=\"related-h\">\n    <h2 id=\"related-h\">Related news</h2>\n    <div class=\"card-grid\">")
		for _, c := range p.RelatedCards {
			m.raw(string(c))
		}
		m.raw("</div>\n  </section>")
	}
	m.raw("\n</div>")
}

// eventBox is the "When and where" box of an article that announces an event.
func eventBox(m *tagWriter, e *EventView) {
	m.raw("<section class=\"event-box\" aria-labelledby=\"event-h\">\n      <h2 id=\"event-h\">When and where</h2>\n      ")
	if e.Over {
		m.raw(`<p class="event-state">This event has ended.</p>`)
	} else if e.Now {
		m.raw(`<p class="event-state">Happening now.</p>`)
	}
	m.raw("\n      <dl class=\"event-facts\">\n        <div><dt>When</dt><dd>")
	m.text(e.When)
	m.raw("</dd></div>\n        ")
	if e.Venue != "" {
		m.raw("<div><dt>Where</dt><dd>")
		m.text(e.Venue)
		m.raw("</dd></div>")
	}
	link := func(name, url, label string) {
		m.raw("\n        ")
		if url != "" {
			m.raw("<div><dt>" + name + "</dt><dd><a href=\"")
			m.href(url)
			m.raw(`">`)
			m.text(label)
			m.raw("</a></dd></div>")
		}
	}
	link("Online", e.OnlineURL, e.OnlineLabel)
	link("Registration", e.RegistrationURL, e.RegistrationLabel)
	m.raw("\n      </dl>\n      <p class=\"event-actions\">")
	if !e.Over {
		m.raw(`<a class="button" href="`)
		m.href(e.CalendarURL)
		m.raw(`" type="text/calendar">Add to calendar</a> `)
	}
	m.raw("<a href=\"/events\">All upcoming events</a></p>\n    </section>")
}

// srcsetEscaper escapes a srcset exactly as html/template does.
var srcsetEscaper = newAttrEscaper(`<img srcset="`)

// srcsetValue is a srcset escaped for a quoted attribute as html/template escapes it. The
// media library's own ("/media/…-480.jpg 480w, /media/…-960.jpg 960w") need nothing; anything
// else goes through html/template, which checks each candidate's address.
func srcsetValue(s string) string {
	if s == "" || plainSrcset(s) {
		return s
	}
	return srcsetEscaper.escape(s)
}

// plainSrcset reports whether s is candidates of a site path (as hrefValue passes it) and a
// width, such as "480w", separated by ", ".
func plainSrcset(s string) bool {
	for c := range strings.SplitSeq(s, ", ") {
		u, w, ok := strings.Cut(c, " ")
		if !ok || !strings.HasPrefix(u, "/") || hrefValue(u) != u || len(w) < 2 || w[len(w)-1] != 'w' {
			return false
		}
		for _, d := range w[:len(w)-1] {
			if d < '0' || d > '9' {
				return false
			}
		}
	}
	return true
}

// homeMain is the main part of the home page: the lead story, notices and top stories, a block
// of cards for each section, and the topics.
func homeMain(p *HomePage) template.HTML {
	var m tagWriter
	m.Grow(16384)
	m.raw("<div class=\"wrap home\">\n  <h1 class=\"visually-hidden\">")
	m.text(p.Base.Site.Name)
	m.raw("</h1>\n  \n  ")
	if p.Lead != nil || len(p.Notices) > 0 || len(p.Headlines) > 0 {
		m.raw("<div class=\"front\">\n    ")
		if l := p.Lead; l != nil {
			if l.Cover != nil {
				m.raw(`<article class="lead-story has-photo" aria-labelledby="lead-h">`)
			} else {
				m.raw(`<article class="lead-story no-photo" aria-labelledby="lead-h">`)
			}
			m.raw("\n      ")
			if l.CategoryName != "" {
				m.raw(`<p class="kicker"><a href="`)
				m.href(l.CategoryURL)
				m.raw(`">`)
				m.text(l.CategoryName)
				m.raw("</a></p>")
			}
			m.raw("\n      <h2 class=\"lead-title\" id=\"lead-h\"><a href=\"")
			m.href(l.URL)
			m.raw(`">`)
			m.text(l.Title)
			m.raw("</a></h2>\n      ")
			if l.Summary != "" {
				m.raw(`<p class="lead-summary">`)
				m.text(l.Summary)
				m.raw("</p>")
			}
			m.raw("\n      <p class=\"card-meta\">")
			timeTag(&m, l.Published)
			m.raw("</p>\n      ")
			if l.Cover != nil {
				m.raw(string(photoTag(l.Cover)))
			}
			m.raw("\n    </article>")
		}
		m.raw("\n    ")
		if len(p.Notices) > 0 {
			m.raw("<section class=\"notices\" aria-labelledby=\"notices-h\">\n      <h2 id=\"notices-h\">Notices</h2>\n      <ul>")
			for _, n := range p.Notices {
				m.raw(`<li><a href="`)
				m.href(n.URL)
				m.raw(`">`)
				m.text(n.Title)
				m.raw("</a> ")
				timeTag(&m, n.Published)
				m.raw("</li>")
			}
			m.raw("</ul>\n      ")
			if p.NoticesURL != "" {
				m.raw(`<p class="more-link"><a href="`)
				m.href(p.NoticesURL)
				m.raw(`">All notices ›</a></p>`)
			}
			m.raw("\n    </section>")
		}
		m.raw("\n    ")
		if len(p.Headlines) > 0 {
			m.raw("<section class=\"top-stories\" aria-labelledby=\"top-h\">\n      <h2 id=\"top-h\">Top stories</h2>\n      ")
			for _, c := range p.Headlines {
				m.raw(string(cardTag(c)))
			}
			m.raw("\n    </section>")
		}
		m.raw("\n  </div>")
	}
	m.raw("\n\n  <div class=\"home-sections\">\n    ")
	for _, s := range p.Sections {
		m.raw(`<section class="section-block" aria-labelledby="sec-`)
		m.text(s.URL)
		m.raw("\">\n      <div class=\"section-head\"><h2 id=\"sec-")
		m.text(s.URL)
		m.raw(`"><a href="`)
		m.href(s.URL)
		m.raw(`">`)
		m.text(s.Name)
		m.raw(`</a></h2><a class="more" href="`)
		m.href(s.URL)
		m.raw(`">More from `)
		m.text(s.Name)
		m.raw(" ›</a></div>\n      <div class=\"card-grid\">")
		for _, c := range s.Articles {
			m.raw(string(cardTag(c)))
		}
		m.raw("</div>\n    </section>")
	}
	if len(p.Sections) == 0 && p.Lead == nil {
		m.raw(`<p class="empty">No news has been published yet.</p>`)
	}
	m.raw("\n  </div>\n  <aside class=\"home-aside\">\n    ")
	if len(p.Tags) > 0 {
		m.raw("<section class=\"topics\" aria-labelledby=\"topics-h\">\n      <h2 id=\"topics-h\">Topics</h2>\n      <ul class=\"tag-list\">")
		for _, t := range p.Tags {
			m.raw(`<li><a href="`)
			m.href("/tags/" + t.Slug)
			m.raw(`">`)
			m.text(t.Name)
			m.raw("</a></li>")
		}
		m.raw("</ul>\n    </section>")
	}
	m.raw("\n    <section class=\"follow\" aria-labelledby=\"follow-h\">\n      <h2 id=\"follow-h\">Follow the news</h2>\n      <p><a href=\"/feed.atom\">Subscribe to the Atom feed</a> or browse the <a href=\"/archive\">archive</a>.</p>\n    </section>\n  </aside>\n</div>")
	return template.HTML(m.String())
}

// timeTag is a <time> of t as pages show a date.
func timeTag(m *tagWriter, t time.Time) {
	m.raw(`<time datetime="`)
	m.text(isoDate(t))
	m.raw(`">`)
	m.text(longDate(t))
	m.raw("</time>")
}
