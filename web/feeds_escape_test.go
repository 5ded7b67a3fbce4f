package web

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"testing"

	nethtml "golang.org/x/net/html"
)

// A summary is plain text; the feed declares it HTML, so it must arrive escaped for that:
// a feed reader shows the text as typed and never gets an element out of it.
func TestFeedSummaryIsEscapedHTML(t *testing.T) {
	ee := newEditorEnv(t)
	const evil = `<img src=x onerror=alert(1)>`
	id := ee.newArticle(ee.ed, "Summary test", "Body.", "save")
	resp, body := ee.act(ee.ed, id, "publish", url.Values{"summary": {evil}})
	mustStatus(t, resp, body, http.StatusSeeOther)

	resp, body = ee.ed.get("/campus/research/feed.atom")
	mustStatus(t, resp, body, http.StatusOK)
	var feed struct {
		Entries []struct {
			Summary struct {
				Type string `xml:"type,attr"`
				Text string `xml:",chardata"`
			} `xml:"summary"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(body), &feed); err != nil || len(feed.Entries) != 1 {
		t.Fatalf("the feed does not parse or has not one entry (%v):\n%s", err, body)
	}
	s := feed.Entries[0].Summary
	if s.Type != "html" && s.Type != "text" && s.Type != "" {
		t.Fatalf("the summary has type %q", s.Type)
	}
	if s.Type != "html" {
		if s.Text != evil {
			t.Errorf("the text summary is %q, want %q", s.Text, evil)
		}
		return
	}
	doc, err := nethtml.Parse(strings.NewReader(s.Text))
	if err != nil {
		t.Fatal(err)
	}
	var elements []string
	var text strings.Builder
	var walk func(n *nethtml.Node)
	walk = func(n *nethtml.Node) {
		switch n.Type {
		case nethtml.ElementNode:
			if n.Data != "html" && n.Data != "head" && n.Data != "body" {
				elements = append(elements, n.Data)
			}
		case nethtml.TextNode:
			text.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if len(elements) > 0 || text.String() != evil {
		t.Errorf("a reader of the HTML summary %q sees elements %q and the text %q, want only the text %q",
			s.Text, elements, text.String(), evil)
	}
}
