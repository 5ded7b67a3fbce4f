package web

import "bytes"

// The article page is the page most readers arrive on, and mostly uncached: links and search
// engines spread them over the whole archive. So it is written whole in Go, its layout too:
// executing the layout's template cost a reflective call per value and a copy of every part
// the helpers had already made (head tags, header, main, footer), about a tenth of a miss.
// A test holds it to the bytes the layout and the article's template make
// (TestArticlePageAsTheTemplates); a change to the layout goes into both.

// writePage writes page name with data into buf when it is one written in Go, and reports
// whether it did; the renderer renders every other page from its templates.
func (s *Server) writePage(buf *bytes.Buffer, name string, data any) (bool, error) {
	p, ok := data.(*ArticlePage)
	if name != "pages/article" || !ok || len(p.Flash) > 0 {
		// Another page, or messages to a signed-in reader: the templates show them.
		return false, nil
	}
	c, err := s.chromeOf(&p.Base)
	if err != nil {
		return false, err
	}
	css, err := s.assets.URL("css/site.css")
	if err != nil {
		return false, err
	}
	icon, err := s.assets.URL("img/favicon.svg")
	if err != nil {
		return false, err
	}
	js, err := s.assets.URL("js/site.js")
	if err != nil {
		return false, err
	}
	// Into the room the renderer made in the page's buffer, sized from the last page.
	m := tagWriter{b: buf.AvailableBuffer()}
	m.raw("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n" +
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
	m.text(pageTitle(&p.Base))
	m.raw("</title>\n")
	writeHeadTags(&m, &p.Base, css, icon)
	m.raw("\n")
	if p.EventLD != "" {
		m.raw(`<script type="application/ld+json">`)
		m.raw(string(p.EventLD)) // escaped for a script block when it was made
		m.raw("</script>")
	}
	m.raw("\n</head>\n<body class=\"public\">\n<a class=\"skip-link\" href=\"#main\">Skip to content</a>\n")
	m.raw(string(c.header))
	m.raw("\n<main id=\"main\" tabindex=\"-1\">\n\n")
	writeArticleMain(&m, p)
	m.raw("\n</main>\n")
	m.raw(string(c.footer))
	m.raw("\n<script src=\"")
	m.href(js)
	m.raw("\" defer></script>\n\n</body>\n</html>")
	buf.Write(m.b) //nolint:errcheck // onto itself when the room sufficed
	return true, nil
}
