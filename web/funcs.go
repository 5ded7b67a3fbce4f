package web

import (
	"html/template"
	"regexp"
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
