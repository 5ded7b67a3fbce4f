package main

import (
	"io"
	"net/http"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

var metricsLine = regexp.MustCompile(`campusnews metrics on (http://127\.0\.0\.1:\d+/metrics)`)

// With --metrics-addr, serve says where its metrics are; they answer there, in the Prometheus
// text format, counting the site's requests; the site's own address does not serve them.
func TestServeMetricsOnTheirOwnListener(t *testing.T) {
	srv := startServer(t, seededData(t), "--metrics-addr", "127.0.0.1:0")
	m := metricsLine.FindStringSubmatch(srv.log())
	if m == nil {
		t.Fatalf("serve did not say where its metrics are:\n%s", srv.log())
	}
	get := func(url string) (int, string, string) {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
	}
	if status, _, _ := get(srv.base + "/"); status != http.StatusOK {
		t.Fatalf("home page: status %d", status)
	}
	if status, _, body := get(srv.base + "/metrics"); status != http.StatusNotFound || strings.Contains(body, "campusnews_") {
		t.Errorf("the public address answers /metrics with %d", status)
	}
	status, ctype, body := get(m[1])
	if status != http.StatusOK || !strings.HasPrefix(ctype, "text/plain") {
		t.Fatalf("%s: status %d, type %q", m[1], status, ctype)
	}
	for _, want := range []string{
		`campusnews_http_requests_total{method="GET",route="/",status="2xx"} 1`,
		`campusnews_http_requests_total{method="GET",route="/:section",status="4xx"} 1`,
		`campusnews_page_cache_misses_total 2`,
		`campusnews_db_query_duration_seconds_count{operation="row"}`,
		`go_sql_open_connections{db_name="campusnews"}`,
		`campusnews_scheduler_runs_total`,
		`campusnews_build_info{`,
		"go_goroutines ",
		"process_resident_memory_bytes ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// On SQLite serve lets Go run one goroutine more than it has CPUs (web.Processors).
	procs := runtime.GOMAXPROCS(0) + 1
	if env := os.Getenv("GOMAXPROCS"); env != "" {
		procs = runtime.GOMAXPROCS(0) // set by whoever runs it: left alone
	}
	if want := "go_sched_gomaxprocs_threads " + strconv.Itoa(procs) + "\n"; !strings.Contains(body, want) {
		t.Errorf("/metrics lacks %q", want)
	}
	if status, _, _ := get(strings.TrimSuffix(m[1], "/metrics") + "/"); status != http.StatusNotFound {
		t.Errorf("the metrics listener answers / with %d", status)
	}
	if code := srv.stop(); code != 0 {
		t.Errorf("exit code %d after SIGTERM\n%s", code, srv.log())
	}
}

// Without --metrics-addr there is no metrics listener.
func TestServeWithoutMetrics(t *testing.T) {
	srv := startServer(t, seededData(t))
	if strings.Contains(srv.log(), "metrics on") {
		t.Errorf("metrics served without --metrics-addr:\n%s", srv.log())
	}
	srv.kill()
}
