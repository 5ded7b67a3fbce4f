//go:build e2e

package e2e

import (
	"net/url"
	"slices"
	"strings"
	"testing"
)

// xssData reads, as plain HTTP, what machines read: the site's, the section's and every
// category's Atom feed, the sitemaps and each article's JSON-LD. Everything must parse, no
// payload may be markup in it, and each payload must come back exactly as typed.
func xssData(t *testing.T, s *site, items []xssItem, cur xssSite) {
	t.Helper()
	xssFeeds(t, s, items, cur)
	xssSitemaps(t, s, items)
	xssJSONLDs(t, s, items, cur)
}

// xssFeed fetches and parses the feed at path, failing the test on markup that is not Atom
// and on content a feed reader would run; nil when it cannot be read.
func xssFeed(t *testing.T, s *site, path string) *xssAtom {
	t.Helper()
	status, body := s.get(t, path)
	if status != 200 {
		t.Errorf("GET %s: status %d", path, status)
		return nil
	}
	f, bad, err := xssParseFeed([]byte(body))
	if err != nil {
		t.Errorf("GET %s: the feed does not parse as XML: %v", path, err)
		return nil
	}
	for _, b := range bad {
		t.Errorf("GET %s: the feed holds markup that is not Atom: %s", path, b)
	}
	for _, e := range f.Entries {
		for _, b := range e.Content.Audit() {
			t.Errorf("GET %s: the content of %q holds unsafe HTML: %s", path, e.Title, b)
		}
		for _, b := range e.Summary.Audit() {
			t.Errorf("GET %s: the summary of %q is declared %s and holds unsafe HTML: %s", path, e.Title, e.Summary.Type, b)
		}
	}
	return f
}

// xssFeeds checks the site's feed against the settings and each category's against its
// article.
func xssFeeds(t *testing.T, s *site, items []xssItem, cur xssSite) {
	t.Helper()
	if f := xssFeed(t, s, "/feed.atom"); f != nil {
		if f.Title != cur.Name || f.Subtitle != cur.Tagline || f.Rights != cur.Footer {
			t.Errorf("the site feed has title %q, subtitle %q, rights %q; want the settings as typed: %q, %q, %q",
				f.Title, f.Subtitle, f.Rights, cur.Name, cur.Tagline, cur.Footer)
		}
	}
	xssFeed(t, s, "/"+xssSection+"/feed.atom")
	for _, it := range items {
		f := xssFeed(t, s, it.Category+"/feed.atom")
		if f == nil {
			continue
		}
		if want := cur.Name + " – " + it.P.Text; f.Title != want {
			t.Errorf("%s: its category's feed is titled %q, want %q", it.P.ID, f.Title, want)
		}
		if len(f.Entries) != 1 {
			t.Errorf("%s: its category's feed has %d entries, want 1", it.P.ID, len(f.Entries))
			continue
		}
		e := f.Entries[0]
		if e.Title != it.P.Text || e.Summary.Text() != it.P.Text || e.Author.Name != it.P.Text {
			t.Errorf("%s: a feed reader shows the entry's title %q, summary %q, author %q; want the payload as typed",
				it.P.ID, e.Title, e.Summary.Text(), e.Author.Name)
		}
		if !strings.HasSuffix(e.Alternate(), it.Public) {
			t.Errorf("%s: the feed entry links to %s, want %s", it.P.ID, e.Alternate(), it.Public)
		}
	}
}

// xssSitemaps requires sitemaps of sitemap elements only, listing every article.
func xssSitemaps(t *testing.T, s *site, items []xssItem) {
	t.Helper()
	var locs []string
	status, index := s.get(t, "/sitemap.xml")
	files, err := xssSitemapLocs([]byte(index))
	if status != 200 || err != nil {
		t.Fatalf("GET /sitemap.xml: status %d, %v", status, err)
	}
	for _, f := range append([]string{"/sitemap.xml"}, files...) {
		u, err := url.Parse(f)
		if err != nil {
			t.Fatalf("the sitemap index lists %q: %v", f, err)
		}
		status, body := s.get(t, u.Path)
		bad, err := xssScanXML([]byte(body))
		if status != 200 || err != nil || len(bad) > 0 {
			t.Errorf("GET %s: status %d, parse error %v, not sitemap markup %q", u.Path, status, err, bad)
		}
		l, _ := xssSitemapLocs([]byte(body))
		locs = append(locs, l...)
	}
	for _, it := range items {
		if !slices.ContainsFunc(locs, func(l string) bool { return strings.HasSuffix(l, it.Public) }) {
			t.Errorf("%s: the sitemaps do not list %s", it.P.ID, it.Public)
		}
	}
}

// xssJSONLDs requires each article's JSON-LD to parse, to hold no way out of its script
// element, and to give every payload back as typed.
func xssJSONLDs(t *testing.T, s *site, items []xssItem, cur xssSite) {
	t.Helper()
	for _, it := range items {
		status, body := s.get(t, it.Public)
		if status != 200 {
			t.Errorf("GET %s: status %d", it.Public, status)
			continue
		}
		ld, err := xssJSONLD(body)
		if err != nil {
			t.Errorf("%s: %v", it.P.ID, err)
			continue
		}
		if ld.Headline != it.P.Text || ld.Description != it.P.Text || ld.Section != it.P.Text || ld.Author.Name != it.P.Text {
			t.Errorf("%s: the JSON-LD has headline %q, description %q, section %q, author %q; want the payload as typed",
				it.P.ID, ld.Headline, ld.Description, ld.Section, ld.Author.Name)
		}
		if len(ld.Keywords) != 1 || ld.Keywords[0] != it.Tag || ld.Publisher.Name != cur.Name {
			t.Errorf("%s: the JSON-LD has keywords %q and publisher %q; want [%q] and %q",
				it.P.ID, ld.Keywords, ld.Publisher.Name, it.Tag, cur.Name)
		}
	}
}
