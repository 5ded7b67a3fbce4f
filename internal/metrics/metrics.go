// Package metrics defines what campusnews measures about itself, in Prometheus's terms, in a
// registry of each server's own: requests, the page cache, database queries, the scheduler,
// sign-in failures, uploads, and the Go runtime and process. The README lists every metric.
package metrics

import (
	"runtime"
	"runtime/debug"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// namespace prefixes every metric of the site's own.
const namespace = "campusnews"

// Bucket bounds, in seconds. A page from memory takes a tenth of a millisecond, a render a few
// milliseconds, a slow search or a request stuck behind a writer up to seconds.
var (
	requestBuckets = []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}
	// SQLite answers most statements in microseconds; a write waiting for the lock takes longer.
	queryBuckets  = []float64{.00001, .000025, .00005, .0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}
	uploadBuckets = []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}
)

// Label values that are known in advance, so each series exists (at 0) from the start and a
// rate over it needs no first sample.
var (
	// DB operation kinds, as GORM runs them.
	dbOps = []string{OpQuery, OpRow, OpExec}
	// UploadResults are the outcomes of an upload.
	UploadResults = []string{UploadStored, UploadRefused, UploadBusy, UploadFailed}
	// Factors of a sign-in: the password, or the second-factor code.
	factors = []string{"password", "code"}
)

// Outcomes of an upload, the values of the result label.
const (
	UploadStored  = "stored"  // the image is in the library
	UploadRefused = "refused" // the file or its description was refused (shown beside the field)
	UploadBusy    = "busy"    // other images were being processed for longer than an upload waits
	UploadFailed  = "failed"  // anything else: a disk or database error
)

// Metrics holds a server's registry and the metrics recorded outside the web layer's own
// bookkeeping. Its methods are safe for concurrent use; a nil *Metrics is never passed to a
// service (observers are set only when metrics are on).
type Metrics struct {
	reg *prometheus.Registry

	httpRequests *prometheus.CounterVec
	httpDuration *prometheus.HistogramVec

	cacheHits, cacheMisses, cacheNotModified prometheus.Counter
	cacheEvictions                           *prometheus.CounterVec

	dbDuration *prometheus.HistogramVec

	schedRuns, schedFailures prometheus.Counter
	schedArticles            *prometheus.CounterVec

	loginFailures, loginThrottled, loginLockouts *prometheus.CounterVec

	uploads        *prometheus.CounterVec
	uploadDuration *prometheus.HistogramVec
}

// New returns the metrics of one server in a registry of their own, with the Go runtime and
// process collectors and the build information.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	counter := func(name, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{Namespace: namespace, Name: name, Help: help})
	}
	counterVec := func(name, help string, labels ...string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: name, Help: help}, labels)
	}
	histogramVec := func(name, help string, buckets []float64, labels ...string) *prometheus.HistogramVec {
		return prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: namespace, Name: name, Help: help, Buckets: buckets}, labels)
	}

	m.httpRequests = counterVec("http_requests_total",
		"HTTP requests answered, by route pattern, method and status class.", "route", "method", "status")
	m.httpDuration = histogramVec("http_request_duration_seconds",
		"Time from the request reaching the router to its answer, by route pattern, method and status class.",
		requestBuckets, "route", "method", "status")

	m.cacheHits = counter("page_cache_hits_total", "Public pages answered from the page cache without rendering.")
	m.cacheMisses = counter("page_cache_misses_total", "Public pages rendered because the page cache did not hold them.")
	m.cacheNotModified = counter("page_cache_not_modified_total",
		"Public pages answered 304 Not Modified from the page cache (a part of hits and misses).")
	m.cacheEvictions = counterVec("page_cache_evictions_total",
		"Pages dropped from the page cache to make room: stale (an older content version or past the TTL) or full (at random, over the budget).",
		"reason")

	m.dbDuration = histogramVec("db_query_duration_seconds",
		"Time SQLite took to answer a statement, by kind: query (model reads), row (raw reads), exec (writes).",
		queryBuckets, "operation")

	m.schedRuns = counter("scheduler_runs_total", "Runs of the publishing scheduler.")
	m.schedFailures = counter("scheduler_failures_total", "Runs of the publishing scheduler that ended with an error.")
	m.schedArticles = counterVec("scheduler_articles_total",
		"Articles the scheduler moved: published (their time came) or expired (their expiry passed).", "action")

	m.loginFailures = counterVec("login_failures_total",
		"Wrong sign-in attempts: a wrong address or password, or a wrong second-factor code.", "factor")
	m.loginThrottled = counterVec("login_throttled_total",
		"Sign-in attempts refused unchecked because a lockout was in force.", "factor")
	m.loginLockouts = counterVec("login_lockouts_total",
		"Lockouts started: an attempt reached a limit of the flood control (one per lockout).", "factor")

	m.uploads = counterVec("media_uploads_total", "Image uploads, by result: stored, refused, busy or failed.", "result")
	m.uploadDuration = histogramVec("media_upload_duration_seconds",
		"Time to check, decode, resize and store an uploaded image, by result.", uploadBuckets, "result")

	for _, op := range dbOps {
		m.dbDuration.WithLabelValues(op)
	}
	for _, a := range []string{"published", "expired"} {
		m.schedArticles.WithLabelValues(a)
	}
	for _, f := range factors {
		m.loginFailures.WithLabelValues(f)
		m.loginThrottled.WithLabelValues(f)
		m.loginLockouts.WithLabelValues(f)
	}
	for _, r := range UploadResults {
		m.uploads.WithLabelValues(r)
		m.uploadDuration.WithLabelValues(r)
	}
	for _, r := range []string{EvictStale, EvictFull} {
		m.cacheEvictions.WithLabelValues(r)
	}

	m.reg.MustRegister(
		m.httpRequests, m.httpDuration,
		m.cacheHits, m.cacheMisses, m.cacheNotModified, m.cacheEvictions,
		m.dbDuration,
		m.schedRuns, m.schedFailures, m.schedArticles,
		m.loginFailures, m.loginThrottled, m.loginLockouts,
		m.uploads, m.uploadDuration,
		buildInfo(),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

// Registry is where the metrics are registered: a Gatherer for the /metrics handler, and a
// Registerer for collectors added at wiring.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// buildInfo is campusnews_build_info, always 1, labelled with what was built.
func buildInfo() prometheus.Collector {
	version, revision := "unknown", "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		version = bi.Main.Version
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					revision += "-modified"
				}
			}
		}
	}
	g := prometheus.NewGauge(prometheus.GaugeOpts{Namespace: namespace, Name: "build_info",
		Help:        "Always 1; its labels say which build of campusnews is running.",
		ConstLabels: prometheus.Labels{"version": version, "revision": revision, "goversion": runtime.Version()}})
	g.Set(1)
	return g
}

// Request returns the series of requests to route (an Echo route pattern) by method answered
// with a status of class status ("2xx"): their count and their latency. The web layer
// resolves each combination once and keeps it, so a request costs no label hashing.
func (m *Metrics) Request(route, method, status string) (prometheus.Counter, prometheus.Observer) {
	return m.httpRequests.WithLabelValues(route, method, status), m.httpDuration.WithLabelValues(route, method, status)
}

// Reasons a page leaves the cache, the values of the reason label.
const (
	EvictStale = "stale"
	EvictFull  = "full"
)

// PageCache is the page cache's counters.
type PageCache struct {
	Hits, Misses, NotModified, EvictedStale, EvictedFull prometheus.Counter
}

// PageCache returns the counters of the page cache.
func (m *Metrics) PageCache() PageCache {
	return PageCache{Hits: m.cacheHits, Misses: m.cacheMisses, NotModified: m.cacheNotModified,
		EvictedStale: m.cacheEvictions.WithLabelValues(EvictStale), EvictedFull: m.cacheEvictions.WithLabelValues(EvictFull)}
}

// WatchPageCache adds gauges of what the page cache holds, read from held at each scrape:
// its entries and their bytes (bodies with their gzip copies).
func (m *Metrics) WatchPageCache(held func() (entries, bytes int)) error {
	entries := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: namespace, Name: "page_cache_entries",
		Help: "Pages the page cache holds."}, func() float64 { n, _ := held(); return float64(n) })
	bytes := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: namespace, Name: "page_cache_bytes",
		Help: "Bytes the page cache holds: bodies, their gzip copies and a fixed overhead per entry."},
		func() float64 { _, b := held(); return float64(b) })
	if err := m.reg.Register(entries); err != nil {
		return err
	}
	return m.reg.Register(bytes)
}

// SchedulerRun counts one run of the publishing scheduler and what it moved; err is what
// ended it early, if anything. It makes *Metrics a news.SchedulerObserver.
func (m *Metrics) SchedulerRun(published, expired int, err error) {
	m.schedRuns.Inc()
	m.schedArticles.WithLabelValues("published").Add(float64(published))
	m.schedArticles.WithLabelValues("expired").Add(float64(expired))
	if err != nil {
		m.schedFailures.Inc()
	}
}

// LoginFailed counts a wrong password (factor "password") or second-factor code ("code").
// With LoginThrottled and LockoutStarted it makes *Metrics an accounts.Observer.
func (m *Metrics) LoginFailed(factor string) { m.loginFailures.WithLabelValues(factor).Inc() }

// LoginThrottled counts an attempt refused unchecked because a lockout was in force.
func (m *Metrics) LoginThrottled(factor string) { m.loginThrottled.WithLabelValues(factor).Inc() }

// LockoutStarted counts a lockout begun.
func (m *Metrics) LockoutStarted(factor string) { m.loginLockouts.WithLabelValues(factor).Inc() }

// Upload counts an upload with its result (one of UploadResults) and the time it took.
func (m *Metrics) Upload(result string, took time.Duration) {
	m.uploads.WithLabelValues(result).Inc()
	m.uploadDuration.WithLabelValues(result).Observe(took.Seconds())
}

// StatusClasses are the values of the status label; a code outside 100-599 counts in the
// nearest class.
var StatusClasses = [...]string{"1xx", "2xx", "3xx", "4xx", "5xx"}

// StatusClassIndex is the index in StatusClasses of the class of code.
func StatusClassIndex(code int) int {
	return min(max(code/100-1, 0), len(StatusClasses)-1)
}

// Methods are the request methods counted by name; any other is counted as MethodOther, so a
// client cannot add series by inventing methods.
var Methods = [...]string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE"}

// MethodOther is the method label of a method not in Methods.
const MethodOther = "other"

// MethodIndex is the index of method in Methods, or len(Methods) for any other.
func MethodIndex(method string) int {
	switch method {
	case "GET":
		return 0
	case "HEAD":
		return 1
	case "POST":
		return 2
	}
	for i, m := range Methods[3:] {
		if m == method {
			return i + 3
		}
	}
	return len(Methods)
}

// MethodLabel is the method label of index i of MethodIndex.
func MethodLabel(i int) string {
	if i < len(Methods) {
		return Methods[i]
	}
	return MethodOther
}
