package web

import (
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"campusnews/internal/accounts"
	"campusnews/internal/audit"
	"campusnews/internal/media"
	"campusnews/internal/metrics"
	"campusnews/internal/news"
)

// withMetrics serves env's site from a Server with metrics on, its services and database
// measured too, in place of env's own, and returns the metrics.
func withMetrics(t testing.TB, env *testEnv) *metrics.Metrics {
	t.Helper()
	m := metrics.New()
	if err := m.InstrumentDB(env.db); err != nil {
		t.Fatal(err)
	}
	env.users.SetObserver(m)
	srv, err := New(Deps{Config: env.srv.cfg, Changes: env.changes, News: env.news, Views: news.NewViews(env.db),
		Site: env.srv.site, Users: env.users, Audit: audit.New(env.db), Media: env.media, Ping: env.srv.ping,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	env.http.Close()
	env.srv, env.http = srv, httptest.NewServer(srv)
	t.Cleanup(env.http.Close)
	return m
}

// scrape reads /metrics from the metrics handler as Prometheus does, in the text format.
func scrape(t *testing.T, m *metrics.Metrics) map[string]*dto.MetricFamily {
	t.Helper()
	rec := httptest.NewRecorder()
	MetricsHandler(m, slog.New(slog.NewTextHandler(io.Discard, nil))).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
		t.Fatalf("/metrics: status %d, type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(rec.Body)
	if err != nil {
		t.Fatalf("/metrics is not in the text format: %v", err)
	}
	return fams
}

// sample is one series: its labels and its value (a histogram's count).
type sample struct {
	labels map[string]string
	value  float64
	sum    float64 // of a histogram
}

func samples(fams map[string]*dto.MetricFamily, name string) []sample {
	f := fams[name]
	if f == nil {
		return nil
	}
	var out []sample
	for _, m := range f.GetMetric() {
		s := sample{labels: map[string]string{}}
		for _, l := range m.GetLabel() {
			s.labels[l.GetName()] = l.GetValue()
		}
		switch {
		case m.Counter != nil:
			s.value = m.Counter.GetValue()
		case m.Gauge != nil:
			s.value = m.Gauge.GetValue()
		case m.Histogram != nil:
			s.value, s.sum = float64(m.Histogram.GetSampleCount()), m.Histogram.GetSampleSum()
		}
		out = append(out, s)
	}
	return out
}

// total sums the series of name whose labels include want.
func total(fams map[string]*dto.MetricFamily, name string, want map[string]string) float64 {
	v := 0.0
	for _, s := range samples(fams, name) {
		match := true
		for k, w := range want {
			match = match && s.labels[k] == w
		}
		if match {
			v += s.value
		}
	}
	return v
}

func labelKey(l map[string]string) string {
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%q,", k, l[k])
	}
	return b.String()
}

// routePatterns is every route pattern of srv, and the label of requests no route answers.
func routePatterns(srv *Server) map[string]bool {
	routes := map[string]bool{unmatchedRoute: true}
	for _, r := range srv.Echo().Routes() {
		routes[r.Path] = true
	}
	return routes
}

// After requests to several pages, /metrics counts each under its route pattern, method and
// status class, with a latency for each; the page cache's hits, misses, 304s and bytes; and a
// failing page in 5xx.
func TestMetricsCountRequestsAndCache(t *testing.T) {
	env := newDemoEnv(t)
	m := withMetrics(t, env)
	var id int64
	var slug string
	if err := env.db.Raw("SELECT id, slug FROM articles WHERE title = ?", refTitle).Row().Scan(&id, &slug); err != nil {
		t.Fatal(err)
	}
	requests := 0
	do := func(method, path string, header http.Header, want int) *http.Response {
		t.Helper()
		req, err := http.NewRequest(method, env.http.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range header {
			req.Header[k] = v
		}
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body) //nolint:errcheck
		resp.Body.Close()
		requests++
		if resp.StatusCode != want && !(want%100 == 0 && resp.StatusCode/100 == want/100) {
			t.Fatalf("%s %s: status %d, want %d", method, path, resp.StatusCode, want)
		}
		return resp
	}
	// A page is kept from its second miss on (see pageCache.admit).
	do("GET", "/", nil, 200)                                    // rendered, not kept
	etag := do("GET", "/", nil, 200).Header.Get("Etag")         // rendered again, kept
	do("GET", "/", http.Header{"If-None-Match": {etag}}, 304)   // from the cache, not modified
	do("HEAD", "/", nil, 200)                                   // from the cache
	do("GET", "/news-events/news/"+itoa(id)+"/"+slug, nil, 200) // rendered
	do("GET", "/news-events/news?utm_source=a", nil, 200)       // rendered, not kept
	do("GET", "/news-events/news?utm_source=b", nil, 200)       // the same page, rendered, kept
	do("GET", "/no-such-section", nil, 404)                     // rendered, not kept
	do("POST", "/login", nil, 400)                              // no CSRF token: any 4xx
	do("GET", "/healthz", nil, 200)                             // not a cached page
	do("PROPFIND", "/", nil, 405)                               // a method of no route
	fams := scrape(t, m)
	if got := total(fams, "campusnews_page_cache_bytes", nil); got <= 0 {
		t.Errorf("page_cache_bytes = %v with pages cached", got)
	} else if entries, bytes := env.srv.cache.held(); got != float64(bytes) || total(fams, "campusnews_page_cache_entries", nil) != float64(entries) {
		t.Errorf("cache gauges %v bytes, %v entries; the cache holds %d bytes in %d entries",
			got, total(fams, "campusnews_page_cache_entries", nil), bytes, entries)
	}

	// A page that fails: the database is gone.
	sqlDB, err := env.db.DB()
	if err != nil {
		t.Fatal(err)
	}
	sqlDB.Close()
	do("GET", "/search?q=research", nil, 500)

	fams = scrape(t, m)
	type key struct{ route, method, status string }
	want := map[key]float64{
		{"/", "GET", "2xx"}:                             2,
		{"/", "GET", "3xx"}:                             1,
		{"/", "HEAD", "2xx"}:                            1,
		{"/", "other", "4xx"}:                           1,
		{"/:section/:category/:id/:slug", "GET", "2xx"}: 1,
		{"/:section/:category", "GET", "2xx"}:           2,
		{"/:section", "GET", "4xx"}:                     1,
		{"/login", "POST", "4xx"}:                       1,
		{"/healthz", "GET", "2xx"}:                      1,
		{"/search", "GET", "5xx"}:                       1,
	}
	got := map[key]float64{}
	durations := map[key]float64{}
	for _, s := range samples(fams, "campusnews_http_requests_total") {
		got[key{s.labels["route"], s.labels["method"], s.labels["status"]}] += s.value
	}
	for _, s := range samples(fams, "campusnews_http_request_duration_seconds") {
		k := key{s.labels["route"], s.labels["method"], s.labels["status"]}
		durations[k] += s.value
		if s.value > 0 && s.sum <= 0 {
			t.Errorf("%v: %v requests took no time", k, s.value)
		}
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("requests %+v = %v, want %v", k, got[k], w)
		}
	}
	sum := 0.0
	for k, v := range got {
		sum += v
		if durations[k] != v {
			t.Errorf("%+v: %v requests but %v latencies", k, v, durations[k])
		}
	}
	if sum != float64(requests) || len(got) != len(want) {
		t.Errorf("%v requests counted in %d series, made %d in %d:\n%v", sum, len(got), requests, len(want), got)
	}

	for name, w := range map[string]float64{
		"campusnews_page_cache_hits_total":         2, // the 304 and the HEAD of /
		"campusnews_page_cache_misses_total":       7, // / twice, the article, the listing twice, the 404, the 500
		"campusnews_page_cache_not_modified_total": 1,
	} {
		if g := total(fams, name, nil); g != w {
			t.Errorf("%s = %v, want %v", name, g, w)
		}
	}
	for _, op := range []string{metrics.OpQuery, metrics.OpRow} {
		if total(fams, "campusnews_db_query_duration_seconds", map[string]string{"operation": op}) == 0 {
			t.Errorf("no %s statements timed", op)
		}
	}
	if total(fams, "go_sql_open_connections", map[string]string{"db_name": "campusnews"}) != 0 {
		t.Error("go_sql_open_connections counts connections of a closed pool")
	}
}

// A crawler enumerating addresses (random slugs, ids, query strings, unknown paths and
// methods) cannot add series: requests are counted by route pattern, and the number of label
// sets stays within routes × methods × status classes and stops growing once each kind of
// request has been seen.
func TestMetricsLabelsBoundedUnderCrawl(t *testing.T) {
	env := newDemoEnv(t)
	m := withMetrics(t, env)
	rng := rand.New(rand.NewPCG(13, 2))
	word := func() string {
		const letters = "abcdefghijklmnopqrstuvwxyz0123456789-"
		b := make([]byte, 3+rng.IntN(12))
		for i := range b {
			b[i] = letters[rng.IntN(len(letters))]
		}
		return string(b)
	}
	// Methods take turns, so that each half of the crawl sends every method to every path.
	methods := []string{"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND", "BREW", "X-FOO"}
	method := 0
	nextMethod := func() string { method++; return methods[method%len(methods)] }
	kinds := []func() (string, string){
		func() (string, string) { return "GET", "/" + word() },
		func() (string, string) { return "GET", "/" + word() + "/" + word() },
		func() (string, string) {
			return "GET", fmt.Sprintf("/news-events/news/%d/%s", 1e6+rng.IntN(1e9), word())
		},
		func() (string, string) { return "GET", fmt.Sprintf("/news-events/news/%d", 1e6+rng.IntN(1e9)) },
		func() (string, string) { return "GET", "/news-events/news?" + word() + "=" + word() },
		func() (string, string) { return "GET", "/?utm_source=" + word() + "&ref=" + word() },
		func() (string, string) {
			p := ""
			for range 5 + rng.IntN(4) {
				p += "/" + word()
			}
			return "GET", p
		},
		func() (string, string) { return "GET", "/tags/" + word() },
		func() (string, string) { return "GET", "/search?q=" + word() + "&page=" + word() },
		func() (string, string) { return "GET", "/assets/" + word() + ".css" },
		func() (string, string) { return "GET", "/media/" + word() + ".jpg" },
		func() (string, string) { return "GET", "/sitemaps/" + word() + ".xml" },
		func() (string, string) { return "GET", "/editor/articles/" + word() },
		func() (string, string) { return "GET", "/admin/" + word() + "/" + word() },
		func() (string, string) { return "GET", "/account/" + word() },
		func() (string, string) { return "GET", "/" + url.PathEscape("☃"+word()) + "/feed.atom" },
		func() (string, string) { return nextMethod(), "/" + word() },
		func() (string, string) { return nextMethod(), "/login?" + word() },
		func() (string, string) { return nextMethod(), "/news-events/news" },
	}
	crawl := func(n int) {
		for i := range n {
			method, path := kinds[i%len(kinds)]()
			rec := httptest.NewRecorder()
			env.srv.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
			if rec.Code >= 500 {
				t.Fatalf("%s %s: status %d", method, path, rec.Code)
			}
		}
	}
	routes := routePatterns(env.srv)
	bound := len(routes) * (len(metrics.Methods) + 1) * len(metrics.StatusClasses)
	labelSets := func() (int, []string) {
		fams := scrape(t, m)
		seen := map[string]bool{}
		for _, s := range samples(fams, "campusnews_http_requests_total") {
			if !routes[s.labels["route"]] {
				t.Fatalf("route label %q is no route pattern", s.labels["route"])
			}
			if !slices.Contains(metrics.Methods[:], s.labels["method"]) && s.labels["method"] != metrics.MethodOther {
				t.Fatalf("method label %q", s.labels["method"])
			}
			seen[labelKey(s.labels)] = true
		}
		if n := len(samples(fams, "campusnews_http_request_duration_seconds")); n != len(seen) {
			t.Errorf("%d latency series for %d request series", n, len(seen))
		}
		keys := make([]string, 0, len(seen))
		for k := range seen {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return len(seen), keys
	}

	crawl(1000)
	half, _ := labelSets()
	crawl(1000)
	full, keys := labelSets()
	t.Logf("2,000 requests: %d label sets (bound %d: %d routes × %d methods × %d classes)",
		full, bound, len(routes), len(metrics.Methods)+1, len(metrics.StatusClasses))
	if full > bound {
		t.Errorf("%d label sets, more than %d", full, bound)
	}
	if full != half {
		t.Errorf("label sets grew with the crawl: %d after 1,000 requests, %d after 2,000:\n%s", half, full, strings.Join(keys, "\n"))
	}
	if fams := scrape(t, m); total(fams, "campusnews_http_requests_total", nil) != 2000 {
		t.Errorf("%v requests counted, made 2,000", total(fams, "campusnews_http_requests_total", nil))
	}
}

// Wrong passwords and codes, the lockouts they start and the attempts refused during one are
// counted as the accounts service records them, through the login pages.
func TestMetricsCountLoginFailuresAndLockouts(t *testing.T) {
	env := newTestEnv(t)
	m := withMetrics(t, env)
	env.mustUser("ada@example.edu", accounts.Writer)
	env.mustUser("bob@example.edu", accounts.Writer)
	count := func(name, factor string) float64 {
		return total(scrape(t, m), name, map[string]string{"factor": factor})
	}

	cl := env.client()
	for i := range 5 {
		resp, _ := cl.submit("/login", "/login", url.Values{"email": {"bob@example.edu"}, "password": {"wrong password number"}})
		mustStatus(t, resp, "", http.StatusUnprocessableEntity)
		if got := count("campusnews_login_failures_total", "password"); got != float64(i+1) {
			t.Fatalf("after %d wrong passwords: %v failures counted", i+1, got)
		}
	}
	if got := count("campusnews_login_lockouts_total", "password"); got != 1 {
		t.Errorf("lockouts after 5 wrong passwords = %v, want 1", got)
	}
	for range 2 {
		resp, _ := cl.submit("/login", "/login", url.Values{"email": {"bob@example.edu"}, "password": {testPassword}})
		mustStatus(t, resp, "", http.StatusTooManyRequests)
	}
	if got := count("campusnews_login_throttled_total", "password"); got != 2 {
		t.Errorf("throttled attempts = %v, want 2", got)
	}
	if f, l := count("campusnews_login_failures_total", "password"), count("campusnews_login_lockouts_total", "password"); f != 5 || l != 1 {
		t.Errorf("refused attempts counted as failures (%v) or lockouts (%v)", f, l)
	}

	// A wrong current password on the account pages counts as a wrong password too.
	setup := env.client()
	setup.login("ada@example.edu")
	resp, body := setup.submit("/account/password", "/account/password", url.Values{"current_password": {"not it at all"},
		"password": {"a new long password 42"}, "password_repeat": {"a new long password 42"}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	if got := count("campusnews_login_failures_total", "password"); got != 6 {
		t.Errorf("after a wrong current password: %v password failures counted, want 6", got)
	}

	// The second factor: five wrong codes at login, then refused.
	secret, _ := enable2FA(t, setup) // with a wrong code first: no login attempt, not counted
	if got := count("campusnews_login_failures_total", "code"); got != 0 {
		t.Errorf("a wrong setup code counted as %v code failures", got)
	}
	code := passwordStep(t, env)
	for range 5 {
		resp, _ := code.submit("/login/2fa", "/login/2fa", url.Values{"code": {wrongCode(t, secret)}})
		mustStatus(t, resp, "", http.StatusUnprocessableEntity)
	}
	resp, _ = code.submit("/login/2fa", "/login/2fa", url.Values{"code": {nextCode(t, secret)}})
	mustStatus(t, resp, "", http.StatusTooManyRequests)
	for name, want := range map[string]float64{"campusnews_login_failures_total": 5, "campusnews_login_lockouts_total": 1,
		"campusnews_login_throttled_total": 1} {
		if got := count(name, "code"); got != want {
			t.Errorf("%s{factor=code} = %v, want %v", name, got, want)
		}
	}
	if got := count("campusnews_login_failures_total", "password"); got != 6 {
		t.Errorf("right passwords counted as failures: %v", got)
	}
}

// Uploads are counted by result, each with its processing time.
func TestMetricsCountUploads(t *testing.T) {
	ee := newEditorEnv(t)
	m := withMetrics(t, ee.testEnv)
	writer := ee.testEnv.client()
	writer.login(ee.writerU.Email)
	writer.mustUpload("A bench in the lab")
	resp, body := writer.upload(url.Values{"alt": {"Not an image"}}, "notes.png", []byte("plain text, not a picture"))
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	gate := media.NewGate(0, 1, 50*time.Millisecond)
	ee.media.SetGate(gate)
	release, err := gate.Acquire(t.Context(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	resp, body = writer.upload(url.Values{"alt": {"Waits"}}, "photo.png", testPNG(t, 64, 48))
	mustStatus(t, resp, body, http.StatusServiceUnavailable)
	release()

	fams := scrape(t, m)
	for result, want := range map[string]float64{metrics.UploadStored: 1, metrics.UploadRefused: 1, metrics.UploadBusy: 1,
		metrics.UploadFailed: 0} {
		l := map[string]string{"result": result}
		if got := total(fams, "campusnews_media_uploads_total", l); got != want {
			t.Errorf("uploads %s = %v, want %v", result, got, want)
		}
		if got := total(fams, "campusnews_media_upload_duration_seconds", l); got != want {
			t.Errorf("upload times %s = %v, want %v", result, got, want)
		}
	}
	for _, s := range samples(fams, "campusnews_media_upload_duration_seconds") {
		if s.labels["result"] == metrics.UploadBusy && s.sum < 0.05 {
			t.Errorf("the busy upload waited %vs, less than the gate's wait", s.sum)
		}
	}
}

// The README documents every metric of the site's own that /metrics exports, and no other.
func TestMetricsDocumented(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	// Metric names as the README writes them: in code quotes, alone or with labels.
	for _, m := range regexp.MustCompile("`(campusnews_[a-z_]+)[`{]").FindAllStringSubmatch(string(readme), -1) {
		n := m[1]
		documented[n] = true
	}
	env := newTestEnv(t)
	m := withMetrics(t, env)
	env.client().get("/")
	exported := map[string]bool{}
	for name := range scrape(t, m) {
		if strings.HasPrefix(name, "campusnews_") {
			exported[name] = true
			if !documented[name] {
				t.Errorf("%s is not in the README", name)
			}
		}
	}
	for name := range documented {
		base := name
		for _, suffix := range []string{"_bucket", "_sum", "_count"} {
			if b, ok := strings.CutSuffix(name, suffix); ok && exported[b] {
				base = b
			}
		}
		if !exported[base] && !strings.HasSuffix(name, "_") {
			t.Errorf("the README documents %s, which is not exported", name)
		}
	}
}

// With metrics off nothing is set up; with them on, a cached page costs at most one
// allocation more (the measuring step of the chain): its series are resolved once, not per
// request.
func TestMetricsCostOfACachedPage(t *testing.T) {
	env := newDemoEnv(t)
	if env.srv.metrics != nil || env.srv.requests != nil || env.srv.cache.stats != nil {
		t.Fatal("metrics set up on a server without them")
	}
	// testing.AllocsPerRun truncates to a whole number and counts what background
	// goroutines (the change poller, the scheduler) allocate meanwhile, so a true cost near a
	// whole number flips either way. Count fractions instead, and keep the least of a few
	// rounds: background work only ever adds.
	allocs := func() float64 {
		req := httptest.NewRequest(http.MethodGet, "/news-events/news", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		env.srv.ServeHTTP(httptest.NewRecorder(), req) // rendered and kept
		const runs = 1000
		least := math.Inf(1)
		for round := 0; round < 5; round++ {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for i := 0; i < runs; i++ {
				rec := httptest.NewRecorder()
				env.srv.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					t.Fatalf("status %d", rec.Code)
				}
			}
			runtime.ReadMemStats(&after)
			least = min(least, float64(after.Mallocs-before.Mallocs)/runs)
		}
		return least
	}
	off := allocs()
	withMetrics(t, env)
	on := allocs()
	t.Logf("allocations per cached page: %.2f without metrics, %.2f with", off, on)
	if on > off+1.5 {
		t.Errorf("metrics add %.2f allocations to a cached page", on-off)
	}
}

// A cached article with metrics on: what counting a request adds to the cheapest page
// (compare BenchmarkArticleCached).
func BenchmarkArticleCachedMetrics(b *testing.B) {
	env := benchEnv(b, time.Hour)
	withMetrics(b, env)
	benchGet(b, env, referenceURL(b, env), true)
}

// The measuring step alone around a handler that does nothing, built per request as Echo
// builds its chain: what metrics add to any request.
func BenchmarkMeasureRequest(b *testing.B) {
	env := newTestEnv(b)
	withMetrics(b, env)
	c := env.srv.echo.NewContext(httptest.NewRequest(http.MethodGet, "/news-events/news", nil), httptest.NewRecorder())
	c.SetPath("/:section/:category")
	noop := func(echo.Context) error { return nil }
	b.ReportAllocs()
	for b.Loop() {
		if err := env.srv.measureRequest(noop)(c); err != nil {
			b.Fatal(err)
		}
	}
}
