package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"campusnews/internal/news"
	"campusnews/internal/search"
)

// The live preview renders no more than an article may hold, and says so in the preview area.
func TestPreviewRefusesTextLongerThanAnArticle(t *testing.T) {
	ee := newEditorEnv(t)
	_, page := ee.writer.get("/editor/articles/new")
	token := csrfInput.FindStringSubmatch(page)[1]
	preview := func(body string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, ee.http.URL+"/editor/preview",
			strings.NewReader(url.Values{"body": {body}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-CSRF-Token", token)
		resp, err := ee.writer.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp, readBody(t, resp)
	}
	resp, body := preview(strings.Repeat("é", news.MaxBodyLen-8) + " **end**")
	mustStatus(t, resp, body, http.StatusOK)
	if !strings.Contains(body, "<strong>end</strong>") {
		t.Error("a text as long as an article may be is not rendered")
	}
	resp, body = preview(strings.Repeat("> ", news.MaxBodyLen/2) + "x")
	mustStatus(t, resp, body, http.StatusOK)
	if !strings.Contains(body, "The text is 200,001 characters long; an article may hold 200,000.") ||
		strings.Contains(body, "<blockquote>") {
		t.Errorf("a text too long: %.300q", body)
	}
}

// The CSRF token counts only from the X-CSRF-Token header or the form body: in the query
// string it would end up in logs, history and Referer headers.
func TestCSRFTokenNotFromQueryString(t *testing.T) {
	ee := newEditorEnv(t)
	_, page := ee.writer.get("/editor/articles/new")
	token := csrfInput.FindStringSubmatch(page)[1]
	send := func(path string, form url.Values) int {
		t.Helper()
		resp, _ := ee.writer.post(path, form)
		return resp.StatusCode
	}
	if got := send("/editor/preview?_csrf="+url.QueryEscape(token), url.Values{"body": {"x"}}); got != http.StatusForbidden {
		t.Errorf("token in the query string: status %d, want 403", got)
	}
	if got := send("/editor/preview", url.Values{"body": {"x"}, "_csrf": {token}}); got != http.StatusOK {
		t.Errorf("token in the body: status %d, want 200", got)
	}
}

// A topic page exists only while a published article readers can see carries the tag: a tag
// on drafts alone is not confirmed to anyone.
func TestTagOnDraftsOnlyIsNotFound(t *testing.T) {
	ee := newEditorEnv(t)
	reader := ee.client()
	resp, body := ee.writer.sendForm("/editor/articles/new", "/editor/articles/new", url.Values{
		"title": {"Secret merger plans"}, "body_source": {"Not yet."}, "summary": {"Not yet."},
		"category_id": {fmt.Sprint(ee.cat.ID)}, "tags": {"Merger talks"}, "action": {"save"}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	id := articleIDOf(t, resp)
	if resp, _ := reader.get("/tags/merger-talks"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("tag of a draft: status %d, want 404", resp.StatusCode)
	}
	if err := ee.news.Publish(context.Background(), news.Actor{UserID: ee.e.ID, CanPublish: true, CanEditAny: true}, id); err != nil {
		t.Fatal(err)
	}
	if resp, body := reader.get("/tags/merger-talks"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Secret merger plans") {
		t.Errorf("tag of a published article: status %d", resp.StatusCode)
	}
	if err := ee.news.Unpublish(context.Background(), news.Actor{UserID: ee.e.ID, CanPublish: true, CanEditAny: true}, id); err != nil {
		t.Fatal(err)
	}
	if resp, _ := reader.get("/tags/merger-talks"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("tag of an unpublished article: status %d, want 404", resp.StatusCode)
	}
}

func articleIDOf(t *testing.T, resp *http.Response) int64 {
	t.Helper()
	m := articleIDRe.FindStringSubmatch(resp.Header.Get("Location"))
	if m == nil {
		t.Fatalf("saved article: redirected to %q", resp.Header.Get("Location"))
	}
	var id int64
	fmt.Sscan(m[1], &id)
	return id
}

// The page cache keys on exactly what each page reads, so variants of a URL that show the
// same page are one entry and one render. (A page is kept from its second miss on: each list
// asks for each page at least twice.)
func TestCacheKeysOnWhatPagesRead(t *testing.T) {
	env := newDemoEnv(t)
	cl := env.client()
	tree, err := env.news.Tree(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	l, err := env.news.List(context.Background(), news.ListFilter{CategoryIDs: tree.VisibleIDs()}, 1, 1)
	if err != nil || len(l.Articles) == 0 {
		t.Fatal("no article", err)
	}
	article := articleURL(tree, &l.Articles[0])
	for _, tc := range []struct {
		name    string
		prefix  string
		entries int
		urls    []string
	}{
		{"article", article, 1, []string{article, article + "?x=1", article + "?page=2", article + "?q=a"}},
		{"feed", "/feed.atom", 1, []string{"/feed.atom", "/feed.atom?page=3", "/feed.atom?x"}},
		{"home", "/?", 0, []string{"/?page=2", "/?q=x"}}, // the home page's key is "/"
		{"listing", "/news-events/news", 1, []string{"/news-events/news", "/news-events/news?page=1",
			"/news-events/news?page=01", "/news-events/news?utm_source=x", "/news-events/news?q=x"}},
		{"search", "/search", 2, []string{"/search?q=campus", "/search?q=campus+", "/search?q=+campus&utm=1",
			"/search?q=%20campus%20%20&page=1", "/search?page=01&q=campus%20", "/search?q=students", "/search?q=students+"}},
	} {
		for _, u := range tc.urls {
			resp, body := cl.get(u)
			mustStatus(t, resp, body, http.StatusOK)
		}
		n := 0
		env.srv.cache.mu.RLock()
		for k := range env.srv.cache.pages {
			if strings.HasPrefix(k, tc.prefix) {
				n++
			}
		}
		env.srv.cache.mu.RUnlock()
		if n != tc.entries {
			t.Errorf("%s: %d cache entries, want %d", tc.name, n, tc.entries)
		}
	}
}

// A search stopped at its time budget gets the search page saying so, in the site's layout,
// with 503 so that it is not kept in the page cache.
func TestSearchOverBudget(t *testing.T) {
	env := newDemoEnv(t)
	cl := env.client()
	defer search.SetBudget(search.SetBudget(time.Nanosecond))
	resp, body := cl.get("/search?q=campus")
	mustStatus(t, resp, body, http.StatusServiceUnavailable)
	if !strings.Contains(body, "This search took too long; try fewer or longer words.") ||
		!strings.Contains(body, `<form class="search-form"`) || !strings.Contains(body, `value="campus"`) {
		t.Errorf("over budget: %.500s", body)
	}
	search.SetBudget(search.DefaultBudget)
	resp, body = cl.get("/search?q=campus")
	mustStatus(t, resp, body, http.StatusOK)
	if !strings.Contains(body, "articles match") {
		t.Errorf("within budget: %s", resultCount.FindString(body))
	}
}

// The prefix and OR limits say what they left out, like the other search limits.
func TestSearchSaysWhatPrefixAndOrLimitsLeftOut(t *testing.T) {
	env := newDemoEnv(t)
	cl := env.client()
	st := searchStatus(t, cl, "con* OR pro* OR res* OR stu* OR sci* OR uni*")
	for _, want := range []string{"“con OR pro OR res OR stu”", "Your search was shortened.",
		"Only the first 4 words joined by OR were searched.", "Some words ending in * were searched as whole words"} {
		if !strings.Contains(st, want) {
			t.Errorf("status %q lacks %q", st, want)
		}
	}
	if st := searchStatus(t, cl, "campus OR students"); strings.Contains(st, "shortened") {
		t.Errorf("status %q mentions shortening", st)
	}
}

// A writer's article list and dashboard show their own articles and what is published, never
// another writer's drafts; an editor's show everything.
func TestWriterSeesOnlyOwnUnpublishedArticles(t *testing.T) {
	ee := newEditorEnv(t)
	ee.newArticle(ee.other, "Other writer's secret draft", "Draft text.", "save")
	ee.newArticle(ee.writer, "My own draft", "Draft text.", "save")
	ee.newArticle(ee.ed, "Published for all", "Text.", "publish")
	for _, tc := range []struct {
		name    string
		cl      *client
		see     []string
		notSee  []string
		drafts  string
		heading string
	}{
		{"writer", ee.writer, []string{"My own draft", "Published for all"}, []string{"Other writer"}, "1", "Your articles in every status"},
		{"editor", ee.ed, []string{"My own draft", "Published for all", "Other writer"}, nil, "2", "Every article in every status"},
	} {
		for _, path := range []string{"/editor/articles", "/editor", "/editor/articles?status=draft"} {
			_, body := tc.cl.get(path)
			body = strings.ReplaceAll(body, "&#39;", "'")
			for _, s := range tc.notSee {
				if strings.Contains(body, s) {
					t.Errorf("%s: %s shows %q", tc.name, path, s)
				}
			}
			if path == "/editor/articles" {
				for _, s := range append(tc.see, tc.heading) {
					if !strings.Contains(body, s) {
						t.Errorf("%s: %s lacks %q", tc.name, path, s)
					}
				}
			}
			if path == "/editor" && !strings.Contains(body, `<span class="status status-draft">Draft</span> `+tc.drafts+`</a>`) {
				t.Errorf("%s: the dashboard does not count %s drafts", tc.name, tc.drafts)
			}
		}
	}
}
