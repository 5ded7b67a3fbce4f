package web

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"campusnews/internal/accounts"
	"campusnews/internal/audit"
	"campusnews/internal/news"
)

// A body over the form limit is refused with 413 in the site's layout (the staff one in the
// staff area) on every form route, and
// an upload over the upload limit on the upload route, before anything is read or stored.
func TestOversizedBodies(t *testing.T) {
	ae := newAuthzEnv(t)
	admin := ae.ids[len(ae.ids)-1]
	before := ae.dbSnapshot(t)
	big := "title=" + strings.Repeat("a", 2<<20+1024)
	for _, r := range guardedRoutes(ae.srv) {
		if r.Method != http.MethodPost || r.Path == "/editor/media" {
			continue
		}
		path := ae.fill(t, r.Path, admin.fx)
		for _, chunked := range []bool{false, true} {
			var body io.Reader = strings.NewReader("_csrf=" + admin.token + "&" + big)
			if chunked {
				body = io.MultiReader(body) // no length known: sent chunked
			}
			req, _ := http.NewRequest(http.MethodPost, ae.http.URL+path, body)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := admin.cl.c.Do(req)
			if err != nil {
				t.Fatalf("POST %s: %v", path, err)
			}
			page := readBody(t, resp)
			layout := `<body class="staff">`
			if strings.HasPrefix(path, "/log") {
				layout = `<body class="public">`
			}
			if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(page, layout) {
				t.Errorf("POST %s with %d bytes (chunked %v): status %d, want 413 with %s", path, len(big), chunked, resp.StatusCode, layout)
			}
		}
	}

	// An upload far over the limit (2 MiB here; twice that is read, for a message beside the
	// field) is refused the same way.
	for _, chunked := range []bool{false, true} {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("_csrf", admin.token)
		_ = mw.WriteField("alt", "Too big")
		fw, _ := mw.CreateFormFile("file", "huge.png")
		png := testPNG(t, 8, 8)
		_, _ = fw.Write(png)
		_, _ = fw.Write(bytes.Repeat([]byte{0}, 5<<20))
		_ = mw.Close()
		var body io.Reader = &buf
		if chunked {
			body = io.MultiReader(body)
		}
		req, _ := http.NewRequest(http.MethodPost, ae.http.URL+"/editor/media", body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		resp, err := admin.cl.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		page := readBody(t, resp)
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(page, `<body class="staff">`) {
			t.Errorf("upload of 5 MiB (chunked %v): status %d, want 413 in the staff layout\n%.300s", chunked, resp.StatusCode, page)
		}
	}
	if ae.dbSnapshot(t) != before {
		t.Error("an oversized submission changed the database")
	}
	// The limits leave room for what is allowed: a form just under the limit goes through.
	resp, page := admin.do(t, http.MethodPost, "/editor/preview", url.Values{"body": {strings.Repeat("word ", 300_000)}})
	mustStatus(t, resp, page, http.StatusOK)
}

// Media addresses outside the stored names answer 404: traversal, NUL bytes, dot files,
// very long and non-ASCII names.
func TestMediaNamesCannotEscape(t *testing.T) {
	ae := newAuthzEnv(t)
	cl := ae.client()
	if resp, _ := cl.get("/media/" + ae.pub.mediaName); resp.StatusCode != http.StatusOK {
		t.Fatalf("the stored image answers %d", resp.StatusCode)
	}
	for _, p := range []string{
		"/media/..%2f..%2fetc%2fpasswd",
		"/media/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
		"/media/%2e%2e%2fsession.key",
		"/media/..%5csession.key",
		"/media/..",
		"/media/%2e%2e",
		"/media/%00.jpg",
		"/media/" + ae.pub.mediaName + "%00.jpg",
		"/media/.htaccess",
		"/media/.",
		"/media/%20",
		"/media/" + strings.Repeat("a", 5000) + ".jpg",
		"/media/" + strings.Repeat("%C3%A9", 300) + ".png",
		"/media/%E2%80%AE" + "gpj.exe",
		"/media/%F0%9F%93%B7.jpg",
		"/media/%ff%fe.jpg",
		"/media/" + strings.ToUpper(ae.pub.mediaName),
		"/media/" + strings.TrimSuffix(ae.pub.mediaName, ".png") + ".tmp",
		"/media/test.db",
		"/media/session.key",
	} {
		resp, body := cl.get(p)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %.80s: status %d, want 404\n%.200s", p, resp.StatusCode, body)
		}
	}
}

// odd requests are malformed or unusual queries and headers no public page may answer with 500.
var oddQueries = []string{
	"%zz", "q=%ff%fe", "page=-1", "page=0", "page=99999999999999999999", "page=1&page=2&page=x",
	"page=1e3", "page=%00", "q=" + strings.Repeat("x", 8000), "q=\"&q=*", "q=a+OR+OR+NOT+-*", "=&&&=",
	"q=%E2%80%AE", "next=//evil.example", "category=-5&status=nope", "q=" + strings.Repeat("\"a ", 500),
}

var oddHeaders = []map[string]string{
	{"Accept-Encoding": strings.Repeat("gzip;q=0.5, br, ", 3000)},
	{"Accept-Encoding": "gzip;q=abc, *;q=-1"},
	{"If-None-Match": "garbage\"without-quotes"},
	{"If-None-Match": strings.Repeat("W/\"x\", ", 2000)},
	{"If-Modified-Since": "yesterday"},
	{"If-Modified-Since": "Mon, 01 Jan 10000 00:00:00 GMT"},
	{"If-Unmodified-Since": "0"},
	{"Range": "bytes=99999999999999999999-"},
	{"Range": "bytes=5-1,0-0,-0"},
	{"Cookie": "campusnews_session=%%%; other=" + strings.Repeat("z", 3000)},
	{"Accept": "*/*;q=nonsense"},
	{"X-Forwarded-For": "not-an-ip, ::::"},
	{"Referer": "javascript:alert(1)"},
	{"Host": "evil.example"},
	{"Host": "[::1]:0"},
	{"Host": strings.Repeat("h", 1000) + ".example"},
}

// publicPaths is every public GET route filled with working values.
func (ae *authzEnv) publicPaths(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, r := range guardedRoutes(ae.srv) {
		if a, ok := expectedAccess(r.Path); ok && a == public && r.Method == http.MethodGet {
			out = append(out, ae.fill(t, r.Path, fixtures{}))
		}
	}
	return out
}

// No malformed query string or odd header makes any public page fail with a 5xx, and a
// Host header never makes it into a page.
func TestOddRequestsNeverFail(t *testing.T) {
	ae := newAuthzEnv(t)
	cl := ae.client()
	paths := ae.publicPaths(t)
	if len(paths) < 20 {
		t.Fatalf("only %d public routes", len(paths))
	}
	send := func(path string, header map[string]string) {
		t.Helper()
		req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, ae.http.URL+path, nil)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for k, v := range header {
			if k == "Host" {
				req.Host = v
			} else {
				req.Header.Set(k, v)
			}
		}
		resp, err := cl.c.Do(req)
		if err != nil {
			t.Fatalf("GET %.80s %v: %v", path, header, err)
		}
		body := readBody(t, resp)
		if resp.StatusCode >= 500 {
			t.Errorf("GET %.100s with %.100v: status %d\n%.300s", path, header, resp.StatusCode, body)
		}
		if h, ok := header["Host"]; ok && strings.Contains(body, h) {
			t.Errorf("GET %s: the Host header %.40q appears in the page", path, h)
		}
	}
	for _, p := range paths {
		for _, q := range oddQueries {
			send(p+"?"+q, nil)
		}
		for _, h := range oddHeaders {
			send(p, h)
		}
	}
	// Malformed paths and hosts, sent as raw bytes since a Go client refuses to build them.
	for _, host := range []string{"évil", "a b", "", "[::1", "x:99999999"} {
		if status := rawGet(t, ae.http.Listener.Addr().String(), "/", host); status >= 500 {
			t.Errorf("GET / with Host %q: status %d", host, status)
		}
	}
	for _, p := range []string{
		"/%zz", "/tags/%ff", "/archive/99999999999999999999", "/archive/2018/99999999999999999999",
		"/archive/-1/-1", "/campus/research/99999999999999999999", "/campus/research/-1/x",
		"/campus/research/0x10/x", "/sitemaps/articles-99999999999999999999.xml", "/sitemaps/..%2f..%2fx",
		"/assets/..%2f..%2fgo.mod", "/assets/%00", "/campus/%00/feed.atom", "/search/..", "//", "/.%2e/",
	} {
		if status := rawGet(t, ae.http.Listener.Addr().String(), p, "localhost"); status >= 500 {
			t.Errorf("GET %s: status %d", p, status)
		}
	}
}

// rawGet sends a GET of target with host as the Host header, byte for byte as given, and
// returns the status of the answer.
func rawGet(t *testing.T, addr, target, host string) int {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", target, host); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("GET %s (Host %q): %v", target, host, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// Every read of an article counts exactly once, whether the page was rendered for it or came
// from the page cache, so the counts the server flushes on shutdown are the reads it served.
func TestEveryViewCountedOnce(t *testing.T) {
	for _, ttl := range []time.Duration{0, time.Minute} {
		env := newTestEnvTTL(t, ttl)
		ae := &authzEnv{testEnv: env}
		ae.setup = actorFor(env.mustUser("setup@example.edu", accounts.Admin))
		ae.mustCategories()
		art := ae.mustArticle(ae.setup, "Counted article", true)
		path := ae.cat.Path + "/" + itoa(art.ID) + "/" + art.Slug
		cl := env.client()
		const reads = 9
		for range reads {
			if resp, body := cl.get(path); resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: status %d\n%.300s", path, resp.StatusCode, body)
			}
		}
		if resp, _ := cl.get(ae.cat.Path + "/" + itoa(art.ID)); resp.StatusCode != http.StatusMovedPermanently {
			t.Fatalf("the short address answers %d, want 301", resp.StatusCode)
		}
		if got := env.srv.views.Pending(art.ID); got != reads {
			t.Errorf("cache TTL %s: %d views counted for %d reads", ttl, got, reads)
		}
	}
}

// A reader who leaves before the page is ready is not a server failure: the request's
// context is cancelled, and the answer (which nobody reads) is logged as 499, not 500.
func TestClientGoneIsNotAServerError(t *testing.T) {
	ae := newAuthzEnv(t)
	var logged bytes.Buffer
	srv, err := New(Deps{Config: ae.srv.cfg, Changes: ae.changes, News: ae.news, Views: news.NewViews(ae.db), Site: ae.srv.site,
		Users: ae.users, Audit: audit.New(ae.db), Media: ae.media, Log: slog.New(slog.NewTextHandler(&logged, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, path := range ae.publicPaths(t) {
		if strings.HasPrefix(path, "/assets/") || path == "/healthz" || path == "/robots.txt" || strings.HasPrefix(path, "/media/") {
			continue // answered without the database
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequestWithContext(ctx, http.MethodGet, path, nil))
		if rec.Code >= 500 {
			t.Errorf("GET %s after the client left: status %d", path, rec.Code)
		}
	}
	if strings.Contains(logged.String(), "level=ERROR") {
		t.Errorf("a client leaving was logged as an error:\n%s", logged.String())
	}
}
