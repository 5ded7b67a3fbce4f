//go:build e2e

package e2e

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// xssAtom is the part of an Atom feed the payloads go into.
type xssAtom struct {
	Title    string         `xml:"title"`
	Subtitle string         `xml:"subtitle"`
	Rights   string         `xml:"rights"`
	Entries  []xssAtomEntry `xml:"entry"`
}

type xssAtomEntry struct {
	Title   string      `xml:"title"`
	Summary xssAtomText `xml:"summary"`
	Content xssAtomText `xml:"content"`
	Author  struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Links []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
}

// Alternate is the address of the entry's page; an entry also links its cover photo (rel
// enclosure).
func (e xssAtomEntry) Alternate() string {
	for _, l := range e.Links {
		if l.Rel == "alternate" {
			return l.Href
		}
	}
	return ""
}

// xssAtomText is an Atom text construct: plain text, or HTML when its type says so.
type xssAtomText struct {
	Type string `xml:"type,attr"`
	Raw  string `xml:",chardata"`
}

// Text is what a feed reader shows.
func (a xssAtomText) Text() string {
	if a.Type != "html" {
		return a.Raw
	}
	nodes, err := nethtml.ParseFragment(strings.NewReader(a.Raw), &nethtml.Node{Type: nethtml.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return a.Raw
	}
	var b strings.Builder
	var walk func(n *nethtml.Node)
	walk = func(n *nethtml.Node) {
		if n.Type == nethtml.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return b.String()
}

// Audit lists what a feed reader would be given to run; plain text gives it nothing.
func (a xssAtomText) Audit() []string {
	if a.Type != "html" && a.Type != "xhtml" {
		return nil
	}
	return xssHTMLAudit(a.Raw)
}

// xssXMLElements are the elements a feed or a sitemap may hold; anything else, a script above
// all, means text became markup.
var xssXMLElements = map[string]bool{
	"feed": true, "title": true, "subtitle": true, "link": true, "id": true, "updated": true, "published": true,
	"rights": true, "entry": true, "summary": true, "content": true, "author": true, "name": true, "email": true,
	"uri": true, "category": true, "contributor": true, "icon": true, "logo": true, "generator": true,
	"urlset": true, "url": true, "loc": true, "lastmod": true, "changefreq": true, "priority": true,
	"sitemapindex": true, "sitemap": true,
}

// xssScanXML parses doc strictly and lists the elements and attributes that are not the
// format's own. Payload text may appear only as character data, escaped or in CDATA.
func xssScanXML(doc []byte) ([]string, error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	var bad []string
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return bad, nil
		}
		if err != nil {
			return bad, err
		}
		if se, ok := tok.(xml.StartElement); ok {
			if !xssXMLElements[se.Name.Local] {
				bad = append(bad, "element <"+se.Name.Local+">")
			}
			for _, a := range se.Attr {
				if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") {
					bad = append(bad, fmt.Sprintf("attribute %s on <%s>", a.Name.Local, se.Name.Local))
				}
			}
		}
	}
}

// xssParseFeed scans and decodes an Atom feed.
func xssParseFeed(doc []byte) (*xssAtom, []string, error) {
	bad, err := xssScanXML(doc)
	if err != nil {
		return nil, bad, err
	}
	var f xssAtom
	if err := xml.Unmarshal(doc, &f); err != nil {
		return nil, bad, err
	}
	return &f, bad, nil
}

// xssSitemapLocs decodes the addresses of a sitemap or a sitemap index.
func xssSitemapLocs(doc []byte) ([]string, error) {
	var s struct {
		Sitemaps []string `xml:"sitemap>loc"`
		URLs     []string `xml:"url>loc"`
	}
	if err := xml.Unmarshal(doc, &s); err != nil {
		return nil, err
	}
	return append(s.Sitemaps, s.URLs...), nil
}

// xssHTMLAudit lists what in an HTML fragment (a feed entry's content, as a feed reader would
// show it) could run script: the same rules as the browser's audit, on the parsed tree.
func xssHTMLAudit(fragment string) []string {
	nodes, err := nethtml.ParseFragment(strings.NewReader(fragment), &nethtml.Node{Type: nethtml.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return []string{err.Error()}
	}
	banned := map[string]bool{"script": true, "iframe": true, "frame": true, "object": true, "embed": true, "applet": true,
		"base": true, "meta": true, "link": true, "style": true, "svg": true, "math": true, "form": true, "noscript": true}
	urlAttrs := map[string]bool{"href": true, "src": true, "action": true, "formaction": true, "data": true, "poster": true,
		"background": true, "cite": true, "xlink:href": true}
	var bad []string
	var walk func(n *nethtml.Node)
	walk = func(n *nethtml.Node) {
		if n.Type == nethtml.ElementNode {
			if banned[n.Data] {
				bad = append(bad, "<"+n.Data+">")
			}
			for _, a := range n.Attr {
				k := strings.ToLower(a.Key)
				switch {
				case strings.HasPrefix(k, "on"), k == "srcdoc", k == "style":
					bad = append(bad, fmt.Sprintf("<%s %s=%q>", n.Data, k, a.Val))
				case urlAttrs[k] && !xssSafeURL(a.Val):
					bad = append(bad, fmt.Sprintf("<%s %s=%q>", n.Data, k, a.Val))
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return bad
}

// xssScheme is a URL scheme at the start of an attribute value, once the characters browsers
// ignore there are gone.
var xssScheme = regexp.MustCompile(`^([a-zA-Z][a-zA-Z0-9+.-]*):`)

func xssSafeURL(v string) bool {
	s := strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, v)
	m := xssScheme.FindStringSubmatch(s)
	if m == nil {
		return true // relative
	}
	switch strings.ToLower(m[1]) {
	case "http", "https", "mailto":
		return true
	}
	return false
}

// xssLD is the part of an article's JSON-LD the payloads go into.
type xssLD struct {
	Headline    string   `json:"headline"`
	Description string   `json:"description"`
	Section     string   `json:"articleSection"`
	Keywords    []string `json:"keywords"`
	Author      struct {
		Name string `json:"name"`
	} `json:"author"`
	Publisher struct {
		Name string `json:"name"`
	} `json:"publisher"`
}

var xssLDBlock = regexp.MustCompile(`(?is)<script type="application/ld\+json">(.*?)</script>`)

// xssJSONLD finds the one JSON-LD block of an article page and decodes it. The block must hold
// no angle bracket at all: JSON can carry every one escaped, and a raw one is the start of a
// way out of the script element ("</script>") or into an HTML comment ("<!--").
func xssJSONLD(page string) (*xssLD, error) {
	blocks := xssLDBlock.FindAllStringSubmatch(page, -1)
	if len(blocks) != 1 {
		return nil, fmt.Errorf("the page has %d JSON-LD blocks, want 1", len(blocks))
	}
	raw := blocks[0][1]
	if strings.ContainsAny(raw, "<>") {
		return nil, fmt.Errorf("the JSON-LD holds a raw angle bracket: %.300s", raw)
	}
	var ld xssLD
	d := json.NewDecoder(strings.NewReader(raw))
	if err := d.Decode(&ld); err != nil {
		return nil, fmt.Errorf("the JSON-LD does not parse: %w: %.300s", err, raw)
	}
	if d.More() {
		return nil, fmt.Errorf("the JSON-LD has more than one value: %.300s", raw)
	}
	return &ld, nil
}
