package web

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var resultCount = regexp.MustCompile(`(?s)<p class="result-count" role="status">(.*?)</p>`)

// searchStatus returns the text of the search page's status line for q.
func searchStatus(t *testing.T, cl *client, q string) string {
	t.Helper()
	resp, body := cl.get("/search?q=" + url.QueryEscape(q))
	mustStatus(t, resp, body, 200)
	m := resultCount.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("q=%.40q: no status line\n%s", q, body)
	}
	return html.UnescapeString(m[1])
}

// When the search limits leave part of a query out, the page says so and shows the query that
// was searched: it never claims that the whole query matched.
func TestSearchSaysWhatItLeftOut(t *testing.T) {
	env := newDemoEnv(t)
	cl := env.client()
	long := strings.Repeat("x", 100)
	const twelve = "the a of and in to for at on with by from"

	st := searchStatus(t, cl, twelve+" zzzqqq")
	if strings.Contains(st, "zzzqqq") || !strings.Contains(st, "articles match “"+twelve+"”.") ||
		!strings.Contains(st, "Only the first 12 words were searched.") {
		t.Errorf("thirteen words: status %q, want the twelve searched and a note that the rest were not", st)
	}
	if st := searchStatus(t, cl, twelve); strings.Contains(st, "shortened") {
		t.Errorf("twelve words: status %q mentions shortening", st)
	}

	st = searchStatus(t, cl, "campus "+long)
	if strings.Contains(st, long) || !strings.Contains(st, "match “campus”.") ||
		!strings.Contains(st, "Words longer than 64 letters were left out.") {
		t.Errorf("a long word: status %q", st)
	}

	st = searchStatus(t, cl, long)
	if strings.Contains(st, "Type a word") || !strings.Contains(st, "too long") ||
		!strings.Contains(st, "Words longer than 64 letters were left out.") {
		t.Errorf("only a long word: status %q, want it called too long", st)
	}

	// Past 256 characters nothing is read, and the word the cut falls in is left out whole.
	st = searchStatus(t, cl, "campus"+strings.Repeat(" .", 123)+" zzzqqq")
	if strings.Contains(st, "zzzqqq") || !strings.Contains(st, "match “campus”.") ||
		!strings.Contains(st, "Only the first 256 characters were read.") {
		t.Errorf("a long query: status %q", st)
	}

	if st := searchStatus(t, cl, "-campus"); st != "Type a word to search for." {
		t.Errorf("only an exclusion: status %q", st)
	}
}

// Search results are ranked by relevance, so their pager says Previous and Next; listings are
// by date and keep Newer and Older.
func TestSearchPagerSaysPreviousAndNext(t *testing.T) {
	ae := newAuthzEnv(t)
	for i := range perPage + 1 {
		ae.mustArticle(ae.setup, fmt.Sprintf("Paged zebrafish study %d", i), true)
	}
	cl := ae.client()
	for _, tc := range []struct{ path, want, not string }{
		{"/search?q=zebrafish", `rel="next">Next ›</a>`, "Older"},
		{"/search?q=zebrafish&page=2", `rel="prev">‹ Previous</a>`, "Newer"},
		{"/campus/research", `rel="next">Older ›</a>`, "Next ›"},
		{"/campus/research?page=2", `rel="prev">‹ Newer</a>`, "Previous"},
	} {
		resp, body := cl.get(tc.path)
		mustStatus(t, resp, body, 200)
		if !strings.Contains(body, tc.want) || strings.Contains(body, tc.not) {
			t.Errorf("%s: want %q and no %q in\n%s", tc.path, tc.want, tc.not, body)
		}
	}
}
