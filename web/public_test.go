package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"campusnews/internal/audit"
	"campusnews/internal/demo"
	"campusnews/internal/news"
)

// newDemoEnv is a test server holding the demo site.
func newDemoEnv(t *testing.T) *testEnv {
	t.Helper()
	env := newTestEnv(t)
	if _, err := demo.Load(context.Background(), env.news); err != nil {
		t.Fatal(err)
	}
	return env
}

const refTitle = "Wang Hansong,secretary of the Party Committee of DUT Visited Alumni and Aid Cadres in Xinjiang."

// referenceParagraphs reads the body paragraphs of the reference article as the file has them.
func referenceParagraphs(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../internal/demo/content/dut-xinjiang-alumni-visit.md")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.SplitN(string(b), "---", 3)
	var out []string
	for _, p := range strings.Split(parts[2], "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

var hrefRe = regexp.MustCompile(`href="(/news-events/news/\d+/[^"]+)"`)

// A reader goes home → News & Events → News → the reference article and finds its breadcrumb
// and every paragraph exactly as written.
func TestReaderReachesReferenceArticle(t *testing.T) {
	env := newDemoEnv(t)
	cl := env.client()
	resp, body := cl.get("/")
	if resp.StatusCode != 200 || !strings.Contains(body, `href="/news-events"`) {
		t.Fatalf("home: %d, no link to News & Events", resp.StatusCode)
	}
	resp, body = cl.get("/news-events")
	if resp.StatusCode != 200 || !strings.Contains(body, `href="/news-events/news"`) {
		t.Fatalf("section: %d, no link to News", resp.StatusCode)
	}
	var articleURL string
	for page := 1; articleURL == "" && page < 10; page++ {
		resp, body = cl.get("/news-events/news?page=" + strconv.Itoa(page))
		if resp.StatusCode != 200 {
			break
		}
		if i := strings.Index(body, html.EscapeString(refTitle)); i >= 0 {
			articleURL = hrefRe.FindStringSubmatch(body[strings.LastIndex(body[:i], "<a "):])[1]
		}
	}
	if articleURL == "" {
		t.Fatal("the reference article is not listed under News")
	}
	resp, body = cl.get(articleURL)
	if resp.StatusCode != 200 {
		t.Fatalf("article: %d", resp.StatusCode)
	}
	crumbs := regexp.MustCompile(`(?s)<nav class="breadcrumb".*?</nav>`).FindString(body)
	want := []string{`<a href="/">Home</a>`, `<a href="/news-events">News &amp; Events</a>`,
		`<a href="/news-events/news">News</a>`, `<span aria-current="page">` + html.EscapeString(refTitle) + `</span>`}
	last := 0
	for _, w := range want {
		i := strings.Index(crumbs[last:], w)
		if i < 0 {
			t.Fatalf("breadcrumb lacks %s in order:\n%s", w, crumbs)
		}
		last += i
	}
	if !strings.Contains(body, "<h1 id=\"article-title\">"+html.EscapeString(refTitle)+"</h1>") {
		t.Error("title not shown exactly")
	}
	for i, p := range referenceParagraphs(t) {
		if !strings.Contains(body, "<p>"+html.EscapeString(p)+"</p>") {
			t.Errorf("paragraph %d not shown exactly: %.60s…", i+1, p)
		}
	}
	for _, w := range []string{"28 September 2018", "Dalian University of Technology (DUT)",
		`"@type":"NewsArticle"`, `<link rel="canonical" href="http://127.0.0.1:0` + articleURL + `">`,
		`<meta property="og:type" content="article">`, `type="application/atom+xml"`} {
		if !strings.Contains(body, w) {
			t.Errorf("article page lacks %s", w)
		}
	}
}

func TestSearchFindsReferenceArticle(t *testing.T) {
	env := newDemoEnv(t)
	_, body := env.client().get("/search?q=" + url.QueryEscape("Xinjiang alumni"))
	if !strings.Contains(body, "<mark>Xinjiang</mark>") || !strings.Contains(body, "Wang Hansong") {
		t.Fatalf("search page does not show the highlighted reference article:\n%s", body)
	}
}

// Any query gives a normal page: never a 500.
func TestSearchSurvivesAnyQuery(t *testing.T) {
	env := newDemoEnv(t)
	cl := env.client()
	junk := strings.Repeat(`"*^:(){}[]<>!@#$%&-+OR NEAR AND NOT `, 60)[:2000]
	for _, q := range []string{"", `"`, `""`, "*", "OR", "NOT", "-", "title:x", "NEAR(a b)", `a" OR "b`,
		"'; DROP TABLE articles; --", "\x00\xff", "<script>alert(1)</script>", junk} {
		resp, body := cl.get("/search?q=" + url.QueryEscape(q))
		if resp.StatusCode != 200 {
			t.Errorf("q=%.30q: status %d", q, resp.StatusCode)
		}
		if strings.Contains(body, "<script>alert(1)") {
			t.Errorf("q=%.30q echoed unescaped", q)
		}
	}
	if resp, _ := cl.get("/search?q=research&page=abc"); resp.StatusCode != 404 {
		t.Errorf("bad page number: %d", resp.StatusCode)
	}
}

func TestListingsPaginateAndEndIn404(t *testing.T) {
	env := newDemoEnv(t)
	cl := env.client()
	for _, tc := range []struct {
		path string
		want int
	}{
		{"/news-events", 200}, {"/news-events/news", 200}, {"/news-events/news?page=1", 200},
		{"/news-events/news?page=99", 404}, {"/news-events/news?page=0", 404}, {"/news-events/news?page=x", 404},
		{"/no-such-section", 404}, {"/news-events/no-such", 404}, {"/news-events/news/999999/x", 404},
		{"/news-events/news/abc/x", 404}, {"/tags", 200}, {"/tags/alumni", 200}, {"/tags/no-such-tag", 404},
		{"/archive", 200}, {"/archive/2018", 200}, {"/archive/2018/09", 200}, {"/archive/2018/13", 404},
		{"/archive/1999", 404}, {"/archive/2030", 404}, {"/archive/9999", 404}, {"/archive/1999/05", 404},
		{"/archive/2018/01", 404}, {"/archive/abc", 404}, {"/feed.atom", 200}, {"/news-events/feed.atom", 200}, {"/news-events/news/feed.atom", 200},
		{"/nope/feed.atom", 404}, {"/sitemap.xml", 200}, {"/sitemaps/pages.xml", 200}, {"/sitemaps/articles-1.xml", 200},
		{"/sitemaps/articles-99.xml", 404}, {"/robots.txt", 200}, {"/healthz", 200},
	} {
		resp, body := cl.get(tc.path)
		if resp.StatusCode != tc.want {
			t.Errorf("%s: status %d, want %d", tc.path, resp.StatusCode, tc.want)
		}
		if tc.want == 404 && !strings.Contains(body, `class="site-header"`) {
			t.Errorf("%s: 404 page is not in the site layout", tc.path)
		}
	}
}

func TestPagesCarryMetadata(t *testing.T) {
	env := newDemoEnv(t)
	cl := env.client()
	for _, path := range []string{"/", "/news-events", "/news-events/news", "/tags", "/archive", "/search?q=campus"} {
		_, body := cl.get(path)
		for _, w := range []string{"<title>", `<meta name="description" content="`, `<meta property="og:title"`,
			`<a class="skip-link" href="#main">`, `<main id="main"`, `<link rel="alternate" type="application/atom+xml"`} {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %s", path, w)
			}
		}
		if path != "/search?q=campus" && !strings.Contains(body, `<link rel="canonical"`) {
			t.Errorf("%s lacks a canonical link", path)
		}
	}
}

// A renamed article's old address leads to the new one with 301.
func TestOldArticleURLRedirects(t *testing.T) {
	env := newDemoEnv(t)
	var id int64
	var slug string
	row := env.db.Raw("SELECT id, slug FROM articles WHERE title = ?", refTitle).Row()
	if err := row.Scan(&id, &slug); err != nil {
		t.Fatal(err)
	}
	env.exec("UPDATE articles SET slug = 'renamed-visit' WHERE id = ?", id)
	resp, _ := env.client().get("/news-events/news/" + itoa(id) + "/" + slug)
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/news-events/news/"+itoa(id)+"/renamed-visit" {
		t.Fatalf("old URL: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	env := newDemoEnv(t)
	cl := env.client()
	for _, path := range []string{"/", "/nope", "/feed.atom", "/login", "/healthz"} {
		resp, _ := cl.get(path)
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") ||
			!strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Referrer-Policy") == "" {
			t.Errorf("%s: missing nosniff or Referrer-Policy", path)
		}
	}
}

// The archive's months follow the site's time zone: an article published at 00:30 on 1 October
// in Berlin (22:30 UTC on 30 September) is an October article there.
func TestArchiveUsesSiteTimeZone(t *testing.T) {
	env := newDemoEnv(t)
	ctx := context.Background()
	st, _ := env.srv.site.Get(ctx)
	st.TimeZone = "Europe/Berlin"
	if err := env.srv.site.Save(ctx, audit.Actor{}, st); err != nil {
		t.Fatal(err)
	}
	env.exec("UPDATE articles SET published_at = ? WHERE title = ?", time.Date(2018, 9, 30, 22, 30, 0, 0, time.UTC), refTitle)
	cl := env.client()
	if _, body := cl.get("/archive/2018/10"); !strings.Contains(body, "Wang Hansong") {
		t.Error("not in October in Berlin time")
	}
	if _, body := cl.get("/archive/2018/09"); strings.Contains(body, "Wang Hansong") {
		t.Error("still in September")
	}
}

// Public pages answer HEAD like GET, without a body and without counting a view.
func TestHeadRequests(t *testing.T) {
	env := newDemoEnv(t)
	cl := env.client()
	for _, path := range []string{"/", "/news-events/news", "/feed.atom", "/healthz", "/nope"} {
		req, _ := http.NewRequest(http.MethodHead, env.http.URL+path, nil)
		resp, err := cl.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body := readBody(t, resp)
		want := 200
		if path == "/nope" {
			want = 404
		}
		if resp.StatusCode != want || body != "" {
			t.Errorf("HEAD %s: %d with %d bytes", path, resp.StatusCode, len(body))
		}
	}
}

// Articles of a hidden category are not counted on the topics and archive pages.
func TestHiddenCategoriesAreNotCounted(t *testing.T) {
	env := newDemoEnv(t)
	cl := env.client()
	count := regexp.MustCompile(`href="/tags/alumni">Alumni <span class="count">(\d+)</span>`)
	_, before := cl.get("/tags")
	m := count.FindStringSubmatch(before)
	if m == nil {
		t.Fatalf("no alumni count on /tags:\n%s", before)
	}
	env.exec("UPDATE categories SET visible = FALSE WHERE slug = 'news-events' AND parent_id IS NULL")
	_, after := cl.get("/tags")
	if n := count.FindStringSubmatch(after); n != nil && n[1] == m[1] {
		t.Errorf("alumni still counts %s articles with News & Events hidden", n[1])
	}
	var total, visible int64
	env.db.Raw("SELECT COUNT(*) FROM articles WHERE status = 'published'").Scan(&total)
	months, err := env.news.Archive(context.Background(), mustTree(t, env).VisibleIDs())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range months {
		visible += m.Count
	}
	if visible == 0 || visible >= total {
		t.Errorf("archive counts %d of %d published articles with a section hidden", visible, total)
	}
}

func mustTree(t *testing.T, env *testEnv) *news.Tree {
	t.Helper()
	tree, err := env.news.Tree(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// Search neither lists nor counts articles of a hidden category, so its total and page links
// agree with the results shown.
func TestSearchLeavesOutHiddenCategories(t *testing.T) {
	env := newDemoEnv(t)
	cl := env.client()
	_, body := cl.get("/search?q=xinjiang")
	if !strings.Contains(body, "1 article matches") {
		t.Fatalf("reference article not found before hiding its section:\n%s", body)
	}
	env.exec("UPDATE categories SET visible = FALSE WHERE slug = 'news-events' AND parent_id IS NULL")
	_, body = cl.get("/search?q=xinjiang")
	if !strings.Contains(body, "No articles match") || strings.Contains(body, "Xinjiang</mark>") {
		t.Errorf("search still finds the article of a hidden section:\n%s", body)
	}
}

// Once the process begins to stop, /healthz answers 503 so that a load balancer's health check
// takes the instance out, while the pages themselves are still served.
func TestHealthzAnswers503WhileDraining(t *testing.T) {
	env := newDemoEnv(t)
	cl := env.client()
	if resp, body := cl.get("/healthz"); resp.StatusCode != 200 || body != "ok\n" {
		t.Fatalf("/healthz before: %d %q", resp.StatusCode, body)
	}
	env.srv.Drain()
	resp, body := cl.get("/healthz")
	if resp.StatusCode != http.StatusServiceUnavailable || body != "shutting down\n" || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("/healthz while draining: %d %q, Cache-Control %q", resp.StatusCode, body, resp.Header.Get("Cache-Control"))
	}
	for _, path := range []string{"/", "/news-events/news", "/login"} {
		if resp, _ := cl.get(path); resp.StatusCode != 200 {
			t.Errorf("%s while draining: %d, want 200", path, resp.StatusCode)
		}
	}
}
