package markup

import (
	"regexp"

	"github.com/microcosm-cc/bluemonday"
)

// policy is built once: bluemonday policies are safe for concurrent use once
// built, and building one compiles many regular expressions.
var policy = newPolicy()

var (
	// Root-relative sources only: images come from this site (the media
	// library), as the Content-Security-Policy requires, an outside image would
	// tell a third party who reads, and a page-relative "x.png" would resolve
	// differently under each article URL.
	imgSrc = regexp.MustCompile(`^\s*/[^/\\\s]`)
	// Every srcset candidate must start like an allowed src; bluemonday does
	// not check URLs inside srcset itself.
	imgSrcset = regexp.MustCompile(`^\s*/[^/\\\s,][^\s,]*(?:\s+[0-9.]+[wx])?(?:\s*,\s*/[^/\\\s,][^\s,]*(?:\s+[0-9.]+[wx])?)*\s*$`)
	imgSizes  = regexp.MustCompile(`^[a-zA-Z0-9\s(),.:%+-]+$`)
	// Alt text is escaped on output, so any text is safe; only angle
	// brackets are refused, as bluemonday's own Paragraph pattern does. That
	// pattern is not used because it rejects ’, ":" and "?", common in alt text.
	altText = regexp.MustCompile(`^[^<>]*$`)
	// goldmark writes class="language-go" for fenced code; no other class,
	// so staff cannot reach the site's own styles.
	codeClass = regexp.MustCompile(`^language-[a-zA-Z0-9_+#-]+$`)
)

// newPolicy follows bluemonday.UGCPolicy but is assembled element by element:
// bluemonday ORs attribute rules, so UGCPolicy's unrestricted img src could
// not be narrowed afterwards. Left out on purpose: id (DOM clobbering of the
// site's scripts), map/area, meter/progress and every form, media, embedding,
// SVG and MathML element. Style and class (except on code) are never allowed.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()

	// URLs must parse and be relative or http, https, mailto. Off-site links
	// get nofollow (noopener is added in Sanitize); on-site links stay clean.
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(true)
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireNoFollowOnFullyQualifiedLinks(true)

	p.AllowAttrs("dir").Matching(bluemonday.Direction).Globally()
	p.AllowAttrs("lang").Matching(regexp.MustCompile(`^[a-zA-Z]{2,8}(-[a-zA-Z0-9]{1,8})*$`)).Globally()
	p.AllowAttrs("title").Matching(bluemonday.Paragraph).Globally()

	p.AllowElements("article", "aside", "section", "figure", "figcaption",
		"summary", "hgroup", "h1", "h2", "h3", "h4", "h5", "h6",
		"p", "br", "hr", "div", "span", "wbr", "pre",
		"abbr", "acronym", "b", "cite", "dfn", "em", "i", "kbd", "mark",
		"s", "samp", "small", "strike", "strong", "sub", "sup", "tt", "u", "var",
		"rp", "rt", "ruby")
	p.AllowAttrs("open").Matching(regexp.MustCompile(`(?i)^(|open)$`)).OnElements("details")
	p.AllowElements("details")
	p.AllowAttrs("cite").OnElements("blockquote", "q", "del", "ins")
	p.AllowElements("blockquote", "q", "del", "ins")
	p.AllowAttrs("datetime").Matching(bluemonday.ISO8601).OnElements("time", "del", "ins")
	p.AllowElements("time")
	p.AllowAttrs("dir").Matching(bluemonday.Direction).OnElements("bdi", "bdo")
	p.AllowElements("bdi", "bdo")
	p.AllowAttrs("class").Matching(codeClass).OnElements("code")
	p.AllowElements("code")

	p.AllowAttrs("href").OnElements("a")

	p.AllowLists()
	// goldmark writes start="3" for a list that begins at 3.
	p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")
	p.AllowTables()

	p.AllowAttrs("src").Matching(imgSrc).OnElements("img")
	p.AllowAttrs("srcset").Matching(imgSrcset).OnElements("img")
	p.AllowAttrs("sizes").Matching(imgSizes).OnElements("img")
	p.AllowAttrs("alt").Matching(altText).OnElements("img")
	p.AllowAttrs("width", "height").Matching(bluemonday.NumberOrPercent).OnElements("img")
	p.AllowAttrs("loading").Matching(regexp.MustCompile(`^(lazy|eager)$`)).OnElements("img")
	return p
}
