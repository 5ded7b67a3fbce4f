package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"syscall"
	"testing"
	"time"

	"campusnews/internal/demo"
)

// benchData names a data directory holding a seeded site (make bench-go makes one of the demo
// and 100,000 generated articles and keeps it in bench/work); the benchmarks read it and write
// nothing. Without it they make a small site of 5,000 articles each time.
var benchData = os.Getenv("CAMPUSNEWS_BENCH_DATA")

// benchEnv is the demo site with its photos plus generated articles, so listings and search
// have depth.
func benchEnv(b *testing.B, ttl time.Duration) *testEnv {
	b.Helper()
	if benchData != "" {
		return newTestEnvData(b, benchData, ttl)
	}
	env := newTestEnvTTL(b, ttl)
	ctx := context.Background()
	if _, err := demo.LoadWithPhotos(ctx, env.news, env.media); err != nil {
		b.Fatal(err)
	}
	if err := demo.Generate(ctx, env.news, 5000, nil); err != nil {
		b.Fatal(err)
	}
	return env
}

func benchGet(b *testing.B, env *testEnv, path string, gzip bool) {
	b.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if gzip {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	rec := httptest.NewRecorder()
	env.srv.ServeHTTP(rec, req)
	if rec.Code != 200 {
		b.Fatalf("%s: %d", path, rec.Code)
	}
	b.ReportAllocs()
	cpu := startCPU()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rec := httptest.NewRecorder()
		env.srv.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("%s: %d", path, rec.Code)
		}
	}
	cpu.report(b)
}

// cpuClock reads the CPU time the process used, so that a benchmark can report CPU time per
// operation beside the wall-clock time: on a machine shared with other work, wall time
// counts the time the benchmark waited for a core; CPU time is what the work itself took.
type cpuClock time.Duration

func startCPU() cpuClock { return cpuClock(processCPU()) }

func (c cpuClock) report(b *testing.B) {
	b.ReportMetric(float64(processCPU()-time.Duration(c))/float64(b.N), "cpu-ns/op")
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func referenceURL(b *testing.B, env *testEnv) string {
	var id int64
	var slug string
	if err := env.db.Raw("SELECT id, slug FROM articles WHERE title = ?", refTitle).Row().Scan(&id, &slug); err != nil {
		b.Fatal(err)
	}
	return "/news-events/news/" + itoa(id) + "/" + slug
}

// Rendering without the page cache: what a miss costs.
func BenchmarkArticleRender(b *testing.B) {
	env := benchEnv(b, 0)
	benchGet(b, env, referenceURL(b, env), false)
}

// The long tail: a different article each time, as crawlers and readers from links ask, with
// the page cache on as served (nearly every request a miss on a large site) and gzip.
func BenchmarkArticleRandom(b *testing.B) {
	env := benchEnv(b, time.Hour)
	rows, err := env.db.Raw("SELECT id FROM articles WHERE status = 'published' ORDER BY RANDOM() LIMIT 5000").Rows()
	if err != nil {
		b.Fatal(err)
	}
	var paths []string
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			b.Fatal(err)
		}
		art, err := env.news.Article(context.Background(), id)
		if err != nil {
			b.Fatal(err)
		}
		tree, err := env.news.Tree(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		paths = append(paths, articleURL(tree, art))
	}
	rows.Close()
	b.ReportAllocs()
	cpu := startCPU()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req := httptest.NewRequest(http.MethodGet, paths[i%len(paths)], nil)
		req.Header.Set("Accept-Encoding", "gzip")
		rec := httptest.NewRecorder()
		env.srv.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("%s: %d", req.URL.Path, rec.Code)
		}
	}
	cpu.report(b)
}

func BenchmarkListingRender(b *testing.B) {
	benchGet(b, benchEnv(b, 0), "/news-events/news?page=50", false)
}

func BenchmarkHomeRender(b *testing.B) {
	benchGet(b, benchEnv(b, 0), "/", false)
}

func BenchmarkTagRender(b *testing.B) {
	benchGet(b, benchEnv(b, 0), "/tags/research?page=3", false)
}

// After every change each page is a miss, and its first render also rebuilds what is kept per
// content version (the tree, listing counts, related stories): what a reader waits for while
// editors publish. One op is a change followed by the pages of the mixed-load bench, each
// reported apart in ms.
func BenchmarkReadersAfterChange(b *testing.B) {
	env := benchEnv(b, time.Hour)
	pages := []struct{ name, path string }{
		{"home", "/"}, {"listing", "/news-events/news"}, {"article", referenceURL(b, env)},
		{"topic", "/tags/research"}, {"section", "/news-events"},
	}
	took := make([]time.Duration, len(pages))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		env.bump()
		for j, p := range pages {
			req := httptest.NewRequest(http.MethodGet, p.path, nil)
			req.Header.Set("Accept-Encoding", "gzip")
			rec := httptest.NewRecorder()
			t0 := time.Now()
			env.srv.ServeHTTP(rec, req)
			took[j] += time.Since(t0)
			if rec.Code != 200 {
				b.Fatalf("%s: %d", p.path, rec.Code)
			}
		}
	}
	for j, p := range pages {
		b.ReportMetric(float64(took[j].Microseconds())/1000/float64(b.N), p.name+"-ms")
	}
}

func BenchmarkSearchRender(b *testing.B) {
	benchGet(b, benchEnv(b, 0), "/search?q=research+students", false)
}

// Serving from the page cache: what a reader costs in a spike.
func BenchmarkArticleCached(b *testing.B) {
	env := benchEnv(b, time.Hour)
	benchGet(b, env, referenceURL(b, env), true)
}

// The same with the access log on (to io.Discard): what a log line adds to a cached page.
func BenchmarkArticleCachedLogged(b *testing.B) {
	env := benchEnv(b, time.Hour)
	env.srv = loggedServer(b, env, slog.NewTextHandler(io.Discard, nil))
	benchGet(b, env, referenceURL(b, env), true)
}

func BenchmarkArticleCachedLoggedJSON(b *testing.B) {
	env := benchEnv(b, time.Hour)
	env.srv = loggedServer(b, env, slog.NewJSONHandler(io.Discard, nil))
	benchGet(b, env, referenceURL(b, env), true)
}

func BenchmarkListingCached(b *testing.B) {
	benchGet(b, benchEnv(b, time.Hour), "/news-events/news?page=50", true)
}
