package web

import (
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
