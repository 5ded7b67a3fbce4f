package web

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	nethtml "golang.org/x/net/html"

	"campusnews/internal/demo"
)

var (
	titleRe = regexp.MustCompile(`<title>([^<]*)</title>`)
	h1Re    = regexp.MustCompile(`<h1[^>]*>([^<]*)</h1>`)
	nextRe  = regexp.MustCompile(`<a href="([^"]+)" rel="next">`)
)

// titleAndHeading returns the page's <title> and first <h1>, unescaped.
func titleAndHeading(t *testing.T, body string) (string, string) {
	t.Helper()
	ti, h := titleRe.FindStringSubmatch(body), h1Re.FindStringSubmatch(body)
	if ti == nil || h == nil {
		t.Fatalf("the page has no title or no h1:\n%.500s", body)
	}
	return html.UnescapeString(ti[1]), html.UnescapeString(h[1])
}

// The second and later pages of every kind of listing say which page they are in the title
// and the heading; the first page does not.
func TestLaterPagesHaveTheirOwnTitle(t *testing.T) {
	env := newDemoEnv(t)
	if err := demo.Generate(context.Background(), env.news, 150, nil); err != nil {
		t.Fatal(err)
	}
	cl := env.client()
	_, tags := cl.get("/tags")
	tag := regexp.MustCompile(`href="(/tags/[^"]+)"`).FindStringSubmatch(tags)
	_, archive := cl.get("/archive")
	year := regexp.MustCompile(`href="(/archive/\d{4})"`).FindStringSubmatch(archive)
	if tag == nil || year == nil {
		t.Fatal("no topic or no archive year to page through")
	}
	for _, first := range []string{"/news-events", "/news-events/news", tag[1], year[1], "/search?q=university"} {
		resp, body := cl.get(first)
		mustStatus(t, resp, body, http.StatusOK)
		title1, h1 := titleAndHeading(t, body)
		if strings.Contains(title1, "page") || strings.Contains(h1, "page") {
			t.Errorf("%s: the first page is titled %q with heading %q; only later pages name their number", first, title1, h1)
		}
		next := nextRe.FindStringSubmatch(body)
		if next == nil {
			t.Errorf("%s: no second page to check", first)
			continue
		}
		second := html.UnescapeString(next[1])
		resp, body = cl.get(second)
		mustStatus(t, resp, body, http.StatusOK)
		title2, h2 := titleAndHeading(t, body)
		if want := h1 + " — page 2"; h2 != want {
			t.Errorf("%s: heading %q, want %q", second, h2, want)
		}
		if want := strings.Replace(title1, " – ", " — page 2 – ", 1); title2 != want {
			t.Errorf("%s: title %q, want %q", second, title2, want)
		}
	}
}

// suggestionLinks returns the links of the "Latest stories" and "Topics" blocks of a page.
func suggestionLinks(body string) (latest, topics []string) {
	block := func(id string) []string {
		i := strings.Index(body, `id="`+id+`"`)
		if i < 0 {
			return nil
		}
		rest := body[i:]
		rest = rest[:strings.Index(rest, "</section>")]
		var out []string
		for _, m := range regexp.MustCompile(`<a href="([^"]+)">`).FindAllStringSubmatch(rest, -1) {
			out = append(out, m[1])
		}
		return out
	}
	return block("suggest-latest-h"), block("suggest-topics-h")
}

// A search that finds nothing and the not-found page offer the latest stories and topics,
// each link leading to a page that exists.
func TestDeadEndsOfferAWayOn(t *testing.T) {
	env := newDemoEnv(t)
	cl := env.client()
	_, home := cl.get("/")
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/search?q=zqxwvnothing", http.StatusOK},
		{"/no-such-section", http.StatusNotFound},
		{"/news-events/news/999999/gone", http.StatusNotFound},
		{"/tags/no-such-topic", http.StatusNotFound},
	} {
		resp, body := cl.get(tc.path)
		mustStatus(t, resp, body, tc.status)
		latest, topics := suggestionLinks(body)
		if len(latest) != suggestLatest || len(topics) == 0 {
			t.Errorf("%s offers %d latest stories and %d topics, want %d and some", tc.path, len(latest), len(topics), suggestLatest)
		}
		for _, l := range append(latest, topics...) {
			if !strings.Contains(home, `href="`+l+`"`) && !strings.HasPrefix(l, "/tags/") {
				// The latest stories are the home page's newest too.
				t.Errorf("%s suggests %s, which the home page does not link to", tc.path, l)
			}
			if resp, _ := cl.get(l); resp.StatusCode != http.StatusOK {
				t.Errorf("%s suggests %s, which answers %d", tc.path, l, resp.StatusCode)
			}
		}
	}
	// A search with results has no need of them.
	_, body := cl.get("/search?q=Xinjiang")
	if latest, _ := suggestionLinks(body); latest != nil {
		t.Error("a search with results offers the latest stories too")
	}
}

// When the suggestions cannot be loaded the not-found page is shown without them: it never
// fails itself. A failure is not kept: the next page has them again.
func TestNotFoundPageSurvivesFailingSuggestions(t *testing.T) {
	env := newDemoEnv(t)
	cl := env.client()
	// The articles go away under the service's feet: the queries for the latest stories fail.
	if err := env.db.Exec(`ALTER TABLE articles RENAME TO articles_gone`).Error; err != nil {
		t.Fatal(err)
	}
	resp, body := cl.get("/no-such-section")
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "<h1>Page not found</h1>") {
		t.Fatalf("with failing suggestions: status %d\n%.1000s", resp.StatusCode, body)
	}
	if strings.Contains(body, "suggest-latest-h") {
		t.Error("the not-found page shows latest stories it could not load")
	}
	if err := env.db.Exec(`ALTER TABLE articles_gone RENAME TO articles`).Error; err != nil {
		t.Fatal(err)
	}
	if resp, body := cl.get("/no-such-section"); resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "suggest-latest-h") {
		t.Errorf("once the articles are back: status %d, suggestions shown: %v", resp.StatusCode, strings.Contains(body, "suggest-latest-h"))
	}
}

// The suggestions follow the content: a story published after a not-found page was shown
// leads the next one.
func TestSuggestionsFollowTheContent(t *testing.T) {
	ee := newEditorEnv(t)
	cl := ee.client()
	ee.newArticle(ee.ed, "First Light at the Observatory", "Text.", "publish")
	if _, body := cl.get("/no-such-page"); !strings.Contains(body, "First Light at the Observatory") {
		t.Fatal("the not-found page does not suggest the only story")
	}
	ee.newArticle(ee.ed, "Second Light at the Observatory", "Text.", "publish")
	if latest, _ := suggestionLinks(func() string { _, b := cl.get("/no-such-page"); return b }()); len(latest) != 2 {
		t.Errorf("after a second story the not-found page suggests %q, want both", latest)
	}
}

// searchLandmarks returns the accessible name (aria-label) of each search landmark of a page.
func searchLandmarks(t *testing.T, body string) []string {
	t.Helper()
	doc, err := nethtml.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for n := range doc.Descendants() {
		if role, _ := htmlAttr(n, "role"); n.Type == nethtml.ElementNode && (role == "search" || n.Data == "search") {
			name, _ := htmlAttr(n, "aria-label")
			names = append(names, name)
		}
	}
	return names
}

// Pages with a search form of their own keep it apart from the header's: each search
// landmark has a name, and no two on a page share one.
func TestSearchFormsHaveDistinctNames(t *testing.T) {
	env := newDemoEnv(t)
	cl := env.client()
	for _, path := range []string{"/", "/search", "/search?q=Xinjiang", "/search?q=zqxwvnothing", "/no-such-section"} {
		_, body := cl.get(path)
		names := searchLandmarks(t, body)
		seen := map[string]bool{}
		for _, n := range names {
			if n == "" || seen[n] {
				t.Errorf("%s: search landmarks named %q; each needs a name of its own", path, names)
				break
			}
			seen[n] = true
		}
		if want := 1 + btoi(path != "/"); len(names) != want {
			t.Errorf("%s: %d search landmarks %q, want %d", path, len(names), names, want)
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// The accessibility statement is linked from every public page's footer, names its target
// and its tests, and says how to report a barrier to the site's contact.
func TestAccessibilityStatement(t *testing.T) {
	env := newDemoEnv(t)
	cl := env.client()
	for _, path := range []string{"/", "/news-events", "/no-such-section"} {
		if _, body := cl.get(path); !strings.Contains(body, `<a href="/accessibility">Accessibility</a>`) {
			t.Errorf("%s: the footer does not link to the accessibility statement", path)
		}
	}
	resp, body := cl.get("/accessibility")
	mustStatus(t, resp, body, http.StatusOK)
	for _, want := range []string{"<h1>Accessibility</h1>", "WCAG) 2.1</a> at level AA", "axe-core", "Nu HTML checker",
		"375 pixels", "1440 pixels", "Known limitations", "Report a barrier",
		`<a href="mailto:news@northbridge.example.edu?subject=Accessibility%20barrier">news@northbridge.example.edu</a>`} {
		if !strings.Contains(body, want) {
			t.Errorf("the statement lacks %q", want)
		}
	}
}

func TestMailAddress(t *testing.T) {
	for in, want := range map[string]string{
		"news@example.edu": "news@example.edu", "+44 20 7946 0000": "", "News <news@example.edu>": "",
		"a@b.c?subject=x": "", "": "",
	} {
		if got := mailAddress(in); got != want {
			t.Errorf("mailAddress(%q) = %q, want %q", in, got, want)
		}
	}
}

// The not-found page, suggestions and all: it is not cached, so each miss pays this.
func BenchmarkNotFound(b *testing.B) {
	env := benchEnv(b, 10*time.Second)
	req := httptest.NewRequest(http.MethodGet, "/no-such-section/no-such-page", nil)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		env.srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "suggest-latest-h") {
			b.Fatalf("status %d, suggestions shown: %v", rec.Code, strings.Contains(rec.Body.String(), "suggest-latest-h"))
		}
	}
}
