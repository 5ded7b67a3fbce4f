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
		"date":  func(t time.Time) string { return t.Format("2 January 2006") },
		"datetime": func(t time.Time) string {
			return t.Format("2 January 2006, 15:04 MST")
		},
		"isodate":    func(t time.Time) string { return t.Format(time.RFC3339) },
		"abs":        func(path string) string { return s.cfg.BaseURL + path },
		"add":        func(a, b int) int { return a + b },
		"lower":      strings.ToLower,
		"creditLine": creditLine,
		"summary": func(items []FieldError, note ...string) ErrorSummary {
			return ErrorSummary{Items: items, Note: strings.Join(note, " ")}
		},
		// The public header and footer, rendered once per content version (chrome.go).
		"siteHeader": func(b Base) (template.HTML, error) {
			c, err := s.chromeOf(b)
			return c.header, err
		},
		"siteFooter": func(b Base) (template.HTML, error) {
			c, err := s.chromeOf(b)
			return c.footer, err
		},
		"photoTag": photoTag,
		"pageTitle": func(b Base) string {
			if b.Title == "" {
				return b.Site.Name
			}
			return b.Title + " – " + b.Site.Name
		},
	}
}

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
// for a quoted attribute all the same.
func photoTag(img *Image) template.HTML {
	var b strings.Builder
	b.Grow(len(img.Src) + len(img.SrcSet) + len(img.Sizes) + len(img.Alt) + 160)
	attr := func(name, value string) {
		b.WriteString(" ")
		b.WriteString(name)
		b.WriteString(`="`)
		b.WriteString(template.HTMLEscapeString(value))
		b.WriteString(`"`)
	}
	b.WriteString(`<img class="photo"`)
	attr("src", img.Src)
	attr("srcset", img.SrcSet)
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
