package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"campusnews/internal/demo"
)

func TestPageCacheStaysWithinBudget(t *testing.T) {
	pc := newPageCache(time.Minute, 2)
	pc.budget = 10_000
	now := time.Now()
	page := func(gen uint64) *cachedPage {
		return &cachedPage{gen: gen, expires: now.Add(time.Minute), modified: now, body: make([]byte, 1000)}
	}
	for i := 0; i < 100; i++ {
		pc.put(fmt.Sprintf("/p%d", i), page(1))
		if pc.bytes > pc.budget {
			t.Fatalf("after %d puts: %d bytes over the budget of %d", i+1, pc.bytes, pc.budget)
		}
		sum := 0
		for _, p := range pc.pages {
			sum += p.size()
		}
		if sum != pc.bytes {
			t.Fatalf("accounting: counted %d, holds %d", pc.bytes, sum)
		}
	}
	if pc.get("/p99", 1, now) == nil {
		t.Error("the newest page was evicted")
	}
	if pc.get("/p99", 2, now) != nil {
		t.Error("a page of an older generation was served")
	}
	pc.put("/p99", page(1)) // replacing a key keeps the count right
	if pc.bytes > pc.budget {
		t.Errorf("replace: %d bytes", pc.bytes)
	}
}

// Pages past their TTL leave within a TTL even when the cache is far from its budget: a crawl
// through the archive does not keep the process at the budget after it ends.
func TestPageCacheDropsExpiredPages(t *testing.T) {
	pc := newPageCache(50*time.Millisecond, 2)
	put := func(key string) {
		now := time.Now()
		pc.put(key, &cachedPage{gen: 1, expires: now.Add(pc.ttl), modified: now, body: make([]byte, 1000)})
	}
	for i := range 100 {
		put(fmt.Sprintf("/old%d", i))
	}
	time.Sleep(2 * pc.ttl)
	put("/new")
	if n, bytes := pc.held(); n != 1 || bytes != (&cachedPage{body: make([]byte, 1000), key: ""}).size() {
		t.Errorf("after the TTL the cache holds %d pages, %d bytes; want only the new one", n, bytes)
	}
}

// Parameters no page reads do not make distinct cache entries.
func TestCacheKeyIgnoresUnreadParameters(t *testing.T) {
	env := newDemoEnv(t)
	cl := env.client()
	for i := 0; i < 20; i++ {
		cl.get(fmt.Sprintf("/news-events/news?utm_source=x%d&page=1", i))
	}
	n := 0
	for k := range env.srv.cache.pages {
		if strings.HasPrefix(k, "/news-events/news") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d cache entries for one page", n)
	}
}

// Last-Modified is when the content last changed, not when the page was rendered: a page
// rendered again after its cache entry expired keeps the date, so If-Modified-Since still gets
// 304. A change moves the date, and a client holding the content from before gets it in full,
// even when two changes fall within one second and so share a date.
func TestLastModifiedIsTheLastChange(t *testing.T) {
	env := newTestEnvTTL(t, 50*time.Millisecond)
	// Loading in the second the database was made would make the date inexact (see below).
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second)))
	if _, err := demo.Load(context.Background(), env.news); err != nil {
		t.Fatal(err)
	}
	cl := env.client()
	const path = "/news-events/news"
	since := func(date string) int {
		t.Helper()
		req, err := newGet(env.http.URL+path, "If-Modified-Since", date)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := cl.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	resp, _ := cl.get(path)
	first := resp.Header.Get("Last-Modified")
	if first == "" {
		t.Fatal("no Last-Modified")
	}
	// Past the TTL and into another second, so a render time would show.
	time.Sleep(1100 * time.Millisecond)
	resp, _ = cl.get(path)
	if got := resp.Header.Get("Last-Modified"); got != first {
		t.Errorf("rendered again without a change: Last-Modified %q, was %q", got, first)
	}
	time.Sleep(60 * time.Millisecond)
	if code := since(first); code != http.StatusNotModified {
		t.Errorf("If-Modified-Since the page's own date after the TTL: %d, want 304", code)
	}

	env.bump()
	resp, _ = cl.get(path)
	second := resp.Header.Get("Last-Modified")
	if a, b := parseHTTPTime(t, first), parseHTTPTime(t, second); !b.After(a) {
		t.Errorf("after a change: Last-Modified %q, was %q", second, first)
	}
	if code := since(first); code != http.StatusOK {
		t.Errorf("If-Modified-Since the date before the change: %d, want 200", code)
	}
	if code := since(second); code != http.StatusNotModified {
		t.Errorf("If-Modified-Since the new date: %d, want 304", code)
	}
	// A second change, almost surely in the same second: the date cannot move, so it no
	// longer proves the client has the latest content.
	env.bump()
	if code := since(second); code != http.StatusOK {
		t.Errorf("If-Modified-Since the date before a second change: %d, want 200", code)
	}
}

func parseHTTPTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := http.ParseTime(s)
	if err != nil {
		t.Fatalf("date %q: %v", s, err)
	}
	return tm
}

// A page asked for once is answered but not kept; asked for again it is kept, and after a
// change the first miss keeps it at once: the cache holds what readers come back to, not
// every page a crawler walks past.
func TestCacheKeepsPagesAskedForAgain(t *testing.T) {
	env := newTestEnvTTL(t, time.Hour)
	if _, err := demo.Load(context.Background(), env.news); err != nil {
		t.Fatal(err)
	}
	cl := env.client()
	held := func() (n int) {
		env.srv.cache.mu.RLock()
		defer env.srv.cache.mu.RUnlock()
		for k := range env.srv.cache.pages {
			if strings.HasPrefix(k, "/news-events?") {
				n++
			}
		}
		return n
	}
	for i, want := range []int{0, 1, 1} {
		resp, body := cl.get("/news-events")
		mustStatus(t, resp, body, http.StatusOK)
		if got := held(); got != want {
			t.Fatalf("after request %d: %d entries, want %d", i+1, got, want)
		}
	}
	env.bump()
	resp, body := cl.get("/news-events")
	mustStatus(t, resp, body, http.StatusOK)
	env.srv.cache.mu.RLock()
	p := env.srv.cache.pages["/news-events?page=1"]
	env.srv.cache.mu.RUnlock()
	if p == nil || p.gen != env.changes.Gen() {
		t.Fatal("after a change the page seen before was not kept on its first miss")
	}
	// A page not kept is still answered in the encoding asked for, with its validators.
	req, err := newGet(env.http.URL+"/news-events/events", "Accept-Encoding", "gzip")
	if err != nil {
		t.Fatal(err)
	}
	r, err := cl.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Encoding") != "gzip" || r.Header.Get("Etag") == "" {
		t.Errorf("first miss: status %d, encoding %q, etag %q", r.StatusCode, r.Header.Get("Content-Encoding"), r.Header.Get("Etag"))
	}
}

// Readers who take gzip leave only the gzip copy in the cache; a reader who does not still
// gets the whole page, the same bytes a render gives, and from then on it is kept too.
func TestCacheKeepsGzipCopyOnly(t *testing.T) {
	env := newTestEnvTTL(t, time.Hour)
	if _, err := demo.Load(context.Background(), env.news); err != nil {
		t.Fatal(err)
	}
	const path = "/news-events/news"
	get := func(gz bool) *httptest.ResponseRecorder {
		rec := env.serveGet(path, gz)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, rec.Code)
		}
		return rec
	}
	get(true)
	zipped := get(true) // the second miss keeps it
	key := path + "?page=1"
	env.srv.cache.mu.RLock()
	p := env.srv.cache.pages[key]
	env.srv.cache.mu.RUnlock()
	if p == nil || p.body != nil || len(p.gzip) == 0 {
		t.Fatalf("kept after two gzip readers: %+v; want the gzip copy alone", p)
	}
	zr, err := gzip.NewReader(zipped.Body)
	if err != nil {
		t.Fatal(err)
	}
	want, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	plain := get(false)
	if plain.Header().Get("Content-Encoding") != "" || !bytes.Equal(plain.Body.Bytes(), want) {
		t.Errorf("without gzip: %d bytes, encoding %q; want the page's %d bytes", plain.Body.Len(),
			plain.Header().Get("Content-Encoding"), len(want))
	}
	if n := plain.Header().Get("Content-Length"); n != strconv.Itoa(len(want)) {
		t.Errorf("Content-Length %s, want %d", n, len(want))
	}
	if e, ez := plain.Header().Get("ETag"), zipped.Header().Get("ETag"); e == "" || e == ez {
		t.Errorf("ETags %q and %q: the two encodings must differ", e, ez)
	}
	env.srv.cache.mu.RLock()
	p = env.srv.cache.pages[key]
	held := env.srv.cache.bytes
	env.srv.cache.mu.RUnlock()
	if p == nil || !bytes.Equal(p.body, want) || held < len(want)+len(p.gzip) {
		t.Errorf("after a reader without gzip the cache holds %d bytes; want both copies", held)
	}
}

// A page rendered before a change whose pages are kept already is not kept, and does not
// sweep out the newer pages; asking for pages without gzip never takes the cache past its
// budget.
func TestPageCacheKeepsNewestVersionWithinBudget(t *testing.T) {
	pc := newPageCache(time.Millisecond, 2) // every put sweeps
	pc.budget = 20_000
	now := time.Now()
	body := bytes.Repeat([]byte("<p>The same words, again and again.</p>\n"), 100)
	page := func(key string, gen uint64) *cachedPage {
		return &cachedPage{gen: gen, key: key, expires: now.Add(time.Hour), modified: now, gzip: gzipPage(body, true),
			hLen: []string{strconv.Itoa(len(body))}}
	}
	pc.put("/a", page("/a", 2))
	time.Sleep(2 * time.Millisecond)
	pc.put("/b", page("/b", 1))
	if pc.get("/a", 2, now) == nil || pc.pages["/b"] != nil {
		t.Fatalf("after a page of an older version: %d pages kept; want only the newer one", len(pc.pages))
	}
	for i := range 20 {
		key := fmt.Sprintf("/p%d", i)
		pc.put(key, page(key, 2))
		full, err := pc.withBody(pc.get(key, 2, now))
		if err != nil || !bytes.Equal(full.body, body) {
			t.Fatalf("%s without gzip: %v, %d bytes; want the page's %d", key, err, len(full.body), len(body))
		}
		if pc.bytes > pc.budget {
			t.Fatalf("after %s was asked for without gzip the cache holds %d bytes, over its budget of %d", key, pc.bytes, pc.budget)
		}
	}
}

// A render is shared by the readers waiting on the same page: the one who started it leaving
// (his request's context ends) does not end it. The page is answered and kept.
func TestRenderOutlivesTheRequestThatStartedIt(t *testing.T) {
	env := newTestEnvTTL(t, time.Hour)
	if _, err := demo.Load(context.Background(), env.news); err != nil {
		t.Fatal(err)
	}
	for i := range 2 { // the second miss of a page keeps it
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		req := httptest.NewRequest(http.MethodGet, "/news-events", nil).WithContext(ctx)
		rec := httptest.NewRecorder()
		env.srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "</html>") {
			t.Fatalf("request %d: status %d, %d bytes", i+1, rec.Code, rec.Body.Len())
		}
	}
	env.srv.cache.mu.RLock()
	p := env.srv.cache.pages["/news-events?page=1"]
	env.srv.cache.mu.RUnlock()
	if p == nil {
		t.Fatal("the page was not kept")
	}
}

// Misses wait for a free render, first come first served; a page the cache holds is served
// while every render is taken.
func TestMissesWaitForARender(t *testing.T) {
	env := newTestEnvTTL(t, time.Hour)
	if _, err := demo.Load(context.Background(), env.news); err != nil {
		t.Fatal(err)
	}
	get := func(path string) *httptest.ResponseRecorder { return env.serveGet(path, false) }
	for range 3 { // kept on its second miss, then a hit
		if rec := get("/news-events"); rec.Code != http.StatusOK {
			t.Fatalf("/news-events: %d", rec.Code)
		}
	}
	renders := env.srv.cache.renders
	for range cap(renders) {
		renders <- struct{}{}
	}
	done := make(chan *httptest.ResponseRecorder, 2)
	go func() { done <- get("/archive") }()
	time.Sleep(100 * time.Millisecond) // the first in the queue
	go func() { done <- get("/tags") }()
	if rec := get("/news-events"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "</html>") {
		t.Fatalf("a kept page while every render is taken: %d", rec.Code)
	}
	select {
	case rec := <-done:
		t.Fatalf("a miss rendered while every render was taken: %d", rec.Code)
	case <-time.After(300 * time.Millisecond):
	}
	<-renders // one render free: the miss that came first renders, then gives it to the next
	first := <-done
	if first.Code != http.StatusOK || !strings.Contains(first.Body.String(), "Archive") {
		t.Fatalf("first miss: %d, want the archive", first.Code)
	}
	for range cap(renders) - 1 { // the rest of those taken here
		<-renders
	}
	if rec := <-done; rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Topics") {
		t.Fatalf("second miss: %d", rec.Code)
	}
}

// The buffers of pages sent and not kept render the next misses. Pages kept are never among
// them: every page read back from the cache, gzip or not, is the page first rendered, after
// many other pages were rendered into the buffers given back.
func TestBuffersOfPagesNotKeptRenderTheNextMisses(t *testing.T) {
	env := newTestEnvTTL(t, time.Hour)
	if _, err := demo.Load(context.Background(), env.news); err != nil {
		t.Fatal(err)
	}
	emptySpareBuffers() // what earlier tests left
	get := func(path string, gz bool) []byte {
		t.Helper()
		rec := env.serveGet(path, gz)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, rec.Code)
		}
		if rec.Header().Get("Content-Encoding") != "gzip" {
			return rec.Body.Bytes()
		}
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		page, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		return page
	}
	var paths []string
	for _, m := range regexp.MustCompile(`href="(/news-events/news/\d+/[^"]+)"`).FindAllStringSubmatch(string(get("/news-events/news", false)), -1) {
		if !slices.Contains(paths, m[1]) {
			paths = append(paths, m[1])
		}
	}
	if len(paths) < 6 {
		t.Fatalf("%d articles listed; want 6 or more", len(paths))
	}
	paths = append(paths, "/", "/news-events", "/news-events/events", "/search")
	gz := func(i int) bool { return i%2 == 0 } // half the pages gzip, half not, each always so
	own := func(p string, page []byte) {
		t.Helper()
		if !bytes.Contains(page, []byte(`<link rel="canonical" href="`+env.srv.cfg.BaseURL+p+`">`)) {
			t.Fatalf("%s: answered another page", p)
		}
	}
	for i, p := range paths { // first misses: answered, not kept
		own(p, get(p, gz(i)))
	}
	if len(spareBuffers) == 0 {
		t.Fatal("no buffer given back after pages answered and not kept")
	}
	// No buffer given back is one the cache holds.
	sameArray := func(a, b []byte) bool { return cap(a) > 0 && cap(b) > 0 && &a[:cap(a)][0] == &b[:cap(b)][0] }
	noneKept := func(p string) {
		t.Helper()
		var spare [][]byte
		for len(spareBuffers) > 0 {
			spare = append(spare, <-spareBuffers)
		}
		env.srv.cache.mu.RLock()
		for _, q := range env.srv.cache.pages {
			for _, b := range spare {
				if sameArray(b, q.body) || sameArray(b, q.gzip) {
					t.Errorf("after %s: a buffer of the kept page %s was given back", p, q.key)
				}
			}
		}
		env.srv.cache.mu.RUnlock()
		for _, b := range spare {
			spareBuffers <- b
		}
	}
	kept := make([][]byte, len(paths))
	for i, p := range paths { // second misses: kept
		kept[i] = get(p, gz(i))
		own(p, kept[i])
		noneKept(p)
	}
	for i, w := range []string{"research", "campus", "students", "library", "award", "science"} {
		get("/search?q="+w, gz(i)) // misses between, into the buffers given back
	}
	for i, p := range paths { // hits
		if got := get(p, gz(i)); !bytes.Equal(got, kept[i]) {
			t.Fatalf("%s (gzip %v): the kept page changed after other renders", p, gz(i))
		}
	}
}

// Readers who shared a render may still be sending its page: its buffers are not given back.
func TestSharedRenderKeepsItsBuffers(t *testing.T) {
	env := newTestEnvTTL(t, time.Hour)
	if _, err := demo.Load(context.Background(), env.news); err != nil {
		t.Fatal(err)
	}
	emptySpareBuffers()
	renders := env.srv.cache.renders
	for range cap(renders) { // every render taken: the first miss waits inside the flight
		renders <- struct{}{}
	}
	done := make(chan *httptest.ResponseRecorder, 2)
	for range 2 {
		go func() { done <- env.serveGet("/news-events", true) }()
	}
	time.Sleep(200 * time.Millisecond) // both in the flight
	for range cap(renders) {
		<-renders
	}
	a, b := <-done, <-done
	if a.Code != http.StatusOK || b.Code != http.StatusOK || !bytes.Equal(a.Body.Bytes(), b.Body.Bytes()) {
		t.Fatalf("statuses %d and %d; bodies equal: %v", a.Code, b.Code, bytes.Equal(a.Body.Bytes(), b.Body.Bytes()))
	}
	if n := len(spareBuffers); n != 0 {
		t.Errorf("%d buffers of a render two readers shared were given back", n)
	}
}

// A page kept whole holds no more than it needs, though it was rendered into a larger page's
// buffer given back.
func TestKeptPageHoldsWhatItNeeds(t *testing.T) {
	env := newTestEnvTTL(t, time.Hour)
	if _, err := demo.Load(context.Background(), env.news); err != nil {
		t.Fatal(err)
	}
	emptySpareBuffers()
	for range 2 { // the second miss keeps it, whole: this reader does not take gzip
		spareBuffers <- make([]byte, 0, maxSpare)
		if rec := env.serveGet("/tags", false); rec.Code != http.StatusOK {
			t.Fatalf("/tags: %d", rec.Code)
		}
	}
	env.srv.cache.mu.RLock()
	p := env.srv.cache.pages["/tags"]
	env.srv.cache.mu.RUnlock()
	if p == nil || len(p.body) == 0 {
		t.Fatalf("/tags not kept whole: %+v", p)
	}
	if len(p.body) > maxSpare/2 {
		t.Fatalf("/tags is %d bytes: too large for this test", len(p.body))
	}
	if cap(p.body) > len(p.body)+len(p.body)/4+1024 {
		t.Errorf("a page of %d bytes kept in a buffer of %d", len(p.body), cap(p.body))
	}
}

// serveGet answers a GET of path through the server, asking for gzip or not.
func (e *testEnv) serveGet(path string, gz bool) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if gz {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	return rec
}

// emptySpareBuffers drops the buffers given back so far.
func emptySpareBuffers() {
	for len(spareBuffers) > 0 {
		<-spareBuffers
	}
}
