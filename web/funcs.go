package web

import (
	"html/template"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// templateFuncs are the helpers templates may call. None queries anything.
func (s *Server) templateFuncs() template.FuncMap {
	return template.FuncMap{
		"asset": func(name string) (string, error) { return s.assets.URL(name) },
		"date":  longDate,
		"datetime": func(t time.Time) string {
			return t.Format("2 January 2006, 15:04 MST")
		},
		"isodate":    isoDate,
		"abs":        func(path string) string { return s.cfg.BaseURL + path },
		"add":        func(a, b int) int { return a + b },
		"lower":      strings.ToLower,
		"creditLine": creditLine,
		"summary": func(items []FieldError, note ...string) ErrorSummary {
			return ErrorSummary{Items: items, Note: strings.Join(note, " ")}
		},
		// The public header and footer, rendered once per content version (chrome.go).
		"siteHeader": func(b *Base) (template.HTML, error) {
			c, err := s.chromeOf(b)
			return c.header, err
		},
		"siteFooter": func(b *Base) (template.HTML, error) {
			c, err := s.chromeOf(b)
			return c.footer, err
		},
		// The page's parts take it by pointer: the renderer hands templates an addressable
		// page (renderer.Render), and a struct passed by value is copied to the heap per call.
		"headTags": func(b *Base) (template.HTML, error) {
			css, err := s.assets.URL("css/site.css")
			if err != nil {
				return "", err
			}
			icon, err := s.assets.URL("img/favicon.svg")
			return headTags(b, css, icon), err
		},
		"articleMain": articleMain,
		"homeMain":    homeMain,
		"breadcrumbTag": func(b *Base) template.HTML {
			var m tagWriter
			breadcrumbTag(&m, b.Breadcrumb)
			return template.HTML(m.String())
		},
		"photoTag":  photoTag,
		"cardTag":   cardTag,
		"pageTitle": pageTitle,
	}
}

// pageTitle is the page's <title>: its own title and the site's name.
func pageTitle(b *Base) string {
	if b.Title == "" {
		return b.Site.Name
	}
	return b.Title + " – " + b.Site.Name
}

// longDate is a date as pages show it; isoDate the same instant for a datetime attribute.
func longDate(t time.Time) string { return t.Format("2 January 2006") }
func isoDate(t time.Time) string  { return t.Format(time.RFC3339) }

// creditKind is a credit that says what it credits ("Photo: …", "Chart: …", "Illustration:
// …"): a word and a colon at its start.
var creditKind = regexp.MustCompile(`^\p{Lu}\p{Ll}+:\s`)

// creditLine is a picture's credit as a caption shows it: "Photo: " and the name, unless the
// credit already says what kind of picture it credits.
func creditLine(credit string) string {
	if creditKind.MatchString(credit) {
		return credit
	}
	return "Photo: " + credit
}

// photoTag is the <img> of a responsive photo: every variant in srcset, its shown width in
// sizes, its own width and height so the page keeps its place, lazy below the first screen.
// Written here rather than in a template because a page of stories shows twenty of them and
// each attribute cost the template a reflective call to its escaper; every value is escaped
// as html/template escapes it in the same place (a test compares the two).
func photoTag(img *Image) template.HTML {
	var b strings.Builder
	b.Grow(len(img.Src) + len(img.SrcSet) + len(img.Sizes) + len(img.Alt) + 160)
	attr := func(name, value string) {
		b.WriteString(" ")
		b.WriteString(name)
		b.WriteString(`="`)
		b.WriteString(htmlText.Replace(value))
		b.WriteString(`"`)
	}
	b.WriteString(`<img class="photo"`)
	b.WriteString(` src="`)
	b.WriteString(hrefValue(img.Src))
	b.WriteString(`" srcset="`)
	b.WriteString(srcsetValue(img.SrcSet))
	b.WriteString(`"`)
	attr("sizes", img.Sizes)
	attr("width", strconv.Itoa(img.Width))
	attr("height", strconv.Itoa(img.Height))
	attr("alt", img.Alt)
	if img.Lazy {
		attr("loading", "lazy")
	} else {
		attr("loading", "eager")
	}
	attr("decoding", "async")
	if img.Priority {
		attr("fetchpriority", "high")
	}
	b.WriteString(">")
	return template.HTML(b.String())
}

// cardTag is the card of a story in a list (the "card" partial), written here for the reason
// photoTag is: a home page draws thirty cards, and each value cost the template a reflective
// call to its escaper. Every value is escaped as html/template escapes it there (a test
// compares the two).
func cardTag(c ArticleCard) template.HTML {
	var b strings.Builder
	b.Grow(len(c.Title) + len(c.Summary) + len(c.URL) + len(c.CategoryName) + len(c.CategoryURL) + 320)
	text := htmlText.Replace
	if c.Cover != nil {
		b.WriteString(`<article class="card has-photo">`)
	} else {
		b.WriteString(`<article class="card no-photo">`)
	}
	b.WriteString("\n  <h3 class=\"card-title\"><a href=\"")
	b.WriteString(hrefValue(c.URL))
	b.WriteString(`">`)
	b.WriteString(text(c.Title))
	b.WriteString("</a></h3>\n  <p class=\"card-meta\">")
	if !c.Published.IsZero() {
		b.WriteString(`<time datetime="`)
		b.WriteString(text(isoDate(c.Published)))
		b.WriteString(`">`)
		b.WriteString(text(longDate(c.Published)))
		b.WriteString(`</time>`)
	}
	if c.CategoryName != "" {
		b.WriteString(` · <a href="`)
		b.WriteString(hrefValue(c.CategoryURL))
		b.WriteString(`">`)
		b.WriteString(text(c.CategoryName))
		b.WriteString(`</a>`)
	}
	b.WriteString("</p>\n  ")
	if c.Summary != "" {
		b.WriteString(`<p class="card-summary">`)
		b.WriteString(text(c.Summary))
		b.WriteString(`</p>`)
	}
	b.WriteString("\n  ")
	if c.Cover != nil {
		b.WriteString(string(photoTag(c.Cover)))
	}
	b.WriteString("\n</article>")
	return template.HTML(b.String())
}

// htmlText escapes text and quoted attribute values as html/template does (its "+" too, which
// template.HTMLEscapeString leaves).
var htmlText = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "'", "&#39;", "&", "&amp;", "+", "&#43;",
	"<", "&lt;", ">", "&gt;")

// attrEscaper escapes a value as html/template does in one attribute of one tag: tag is the
// markup up to the value's opening quote.
type attrEscaper struct {
	tag string
	t   *template.Template
}

func newAttrEscaper(tag string) attrEscaper {
	return attrEscaper{tag: tag, t: template.Must(template.New(tag).Parse(tag + `{{.}}">`))}
}

// escape is v as html/template writes it there; "#" if it refuses to.
func (e attrEscaper) escape(v string) string {
	var b strings.Builder
	if err := e.t.Execute(&b, v); err != nil {
		return "#"
	}
	s := b.String()
	return s[len(e.tag) : len(s)-len(`">`)]
}

// hrefEscaper escapes a link's address exactly as html/template does in href="…".
var hrefEscaper = newAttrEscaper(`<a href="`)

// hrefValue is u escaped for a quoted href. The site's own addresses (a path, or an http(s)
// address, of letters, digits and -._/:) need nothing; anything else goes through
// html/template, which also refuses a script: address.
func hrefValue(u string) string {
	plain := strings.HasPrefix(u, "/") || strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")
	for i := 0; plain && i < len(u); i++ {
		ch := u[i]
		plain = ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' ||
			ch == '-' || ch == '.' || ch == '_' || ch == '/' || ch == ':'
	}
	if plain {
		return u
	}
	return hrefEscaper.escape(u)
}
