package markup

import (
	"bytes"
	"net/url"
	"strings"

	nethtml "golang.org/x/net/html"
)

// linkAttrs are the attributes the policy lets carry a URL.
var linkAttrs = map[string]bool{"href": true, "src": true, "cite": true}

// AbsoluteURLs returns fragment, HTML as Render makes it, with every relative URL in it resolved
// against base: for HTML read away from the page it was written for, such as in a feed, where
// "/media/x.jpg" has no site to belong to. Absolute URLs stay as they are.
func AbsoluteURLs(fragment string, base *url.URL) string {
	nodes, err := nethtml.ParseFragment(strings.NewReader(fragment), bodyContext)
	if err != nil {
		return fragment // only reader errors, impossible with strings.Reader
	}
	var walk func(n *nethtml.Node)
	walk = func(n *nethtml.Node) {
		if n.Type == nethtml.ElementNode {
			for i, a := range n.Attr {
				switch {
				case a.Namespace != "":
				case linkAttrs[a.Key]:
					n.Attr[i].Val = resolve(base, a.Val)
				case a.Key == "srcset":
					n.Attr[i].Val = resolveSrcset(base, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	var buf bytes.Buffer
	for _, n := range nodes {
		walk(n)
		if err := nethtml.Render(&buf, n); err != nil {
			return fragment // only writer errors, impossible with bytes.Buffer
		}
	}
	return buf.String()
}

// resolve makes ref absolute against base; a ref that does not parse is left alone.
func resolve(base *url.URL, ref string) string {
	u, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		return ref
	}
	return base.ResolveReference(u).String()
}

// resolveSrcset resolves the URL of every "url [descriptor]" candidate of a srcset.
func resolveSrcset(base *url.URL, set string) string {
	cands := strings.Split(set, ",")
	for i, c := range cands {
		f := strings.Fields(c)
		if len(f) == 0 {
			continue
		}
		f[0] = resolve(base, f[0])
		cands[i] = strings.Join(f, " ")
	}
	return strings.Join(cands, ", ")
}
