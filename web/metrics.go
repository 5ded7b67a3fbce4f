package web

import (
	"errors"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"campusnews/internal/media"
	"campusnews/internal/metrics"
	"campusnews/internal/validate"
)

// MetricsHandler serves m at /metrics in the Prometheus exposition format, for a listener of
// its own on a private address: never the site's.
func MetricsHandler(m *metrics.Metrics, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.Registry(), promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(log.Handler(), slog.LevelError),
		ErrorHandling: promhttp.ContinueOnError, // a failing collector leaves the others readable
	}))
	return mux
}

// unmatchedRoute is the route label of a request no route answers, whatever its path: the
// label takes route patterns only, never paths, so a crawler cannot add series.
const unmatchedRoute = "unmatched"

// requestMetrics counts requests by route pattern, method and status class. Every route the
// server was built with has a table of its series, each resolved from its labels once, on
// first use (series nobody asks for are never exported), so a request costs one map lookup
// and a few atomic adds: no label hashing, no allocation.
type requestMetrics struct {
	m         *metrics.Metrics
	routes    map[string]*routeSeries
	unmatched *routeSeries
}

type routeSeries struct {
	route string
	slots [len(metrics.Methods) + 1][len(metrics.StatusClasses)]atomic.Pointer[requestSeries]
}

type requestSeries struct {
	count prometheus.Counter
	took  prometheus.Observer
}

func newRequestMetrics(m *metrics.Metrics, routes []*echo.Route) *requestMetrics {
	rm := &requestMetrics{m: m, routes: make(map[string]*routeSeries), unmatched: &routeSeries{route: unmatchedRoute}}
	for _, r := range routes {
		if rm.routes[r.Path] == nil {
			rm.routes[r.Path] = &routeSeries{route: r.Path}
		}
	}
	return rm
}

// series returns the series of the route for method and status class (indexes).
func (rs *routeSeries) series(m *metrics.Metrics, method, class int) *requestSeries {
	slot := &rs.slots[method][class]
	if s := slot.Load(); s != nil {
		return s
	}
	// Two first requests may both resolve it: they get the same children.
	c, o := m.Request(rs.route, metrics.MethodLabel(method), metrics.StatusClasses[class])
	s := &requestSeries{count: c, took: o}
	slot.Store(s)
	return s
}

// monoEpoch is a time with a monotonic reading: time.Since(monoEpoch) reads only the
// monotonic clock, where time.Now reads the wall clock too, and a clock read is most of what
// measuring a request costs.
var monoEpoch = time.Now()

// measureRequest counts each request and its latency under its route pattern (c.Path(), set
// by the router). It answers an error itself, as logRequest does, so the status counted is
// the one sent.
func (s *Server) measureRequest(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Since(monoEpoch)
		if err := next(c); err != nil {
			c.Error(err)
		}
		took := time.Since(monoEpoch) - start
		rm := s.requests
		rs := rm.routes[c.Path()]
		if rs == nil {
			rs = rm.unmatched
		}
		ser := rs.series(rm.m, metrics.MethodIndex(c.Request().Method), metrics.StatusClassIndex(c.Response().Status))
		ser.count.Inc()
		ser.took.Observe(took.Seconds())
		return nil
	}
}

// instrument hooks m into the server once its routes are registered: the request table and
// the page cache's counters and gauges.
func (s *Server) instrument(m *metrics.Metrics) error {
	s.requests = newRequestMetrics(m, s.echo.Routes())
	if s.cache == nil {
		return nil
	}
	s.cache.stats = &cacheStats{m.PageCache()}
	return m.WatchPageCache(s.cache.held)
}

// cacheStats counts what the page cache does. It is nil when metrics are off, and then a count
// costs a nil check.
type cacheStats struct{ metrics.PageCache }

func (st *cacheStats) hit() {
	if st != nil {
		st.Hits.Inc()
	}
}

func (st *cacheStats) miss() {
	if st != nil {
		st.Misses.Inc()
	}
}

func (st *cacheStats) notModified() {
	if st != nil {
		st.NotModified.Inc()
	}
}

func (st *cacheStats) evicted(stale bool) {
	switch {
	case st == nil:
	case stale:
		st.EvictedStale.Inc()
	default:
		st.EvictedFull.Inc()
	}
}

// observeUpload counts an upload by what Save returned, and the time it took.
func (s *Server) observeUpload(err error, took time.Duration) {
	if s.metrics == nil {
		return
	}
	var verrs validate.Errors
	result := metrics.UploadFailed
	switch {
	case err == nil:
		result = metrics.UploadStored
	case errors.As(err, &verrs):
		result = metrics.UploadRefused
	case errors.Is(err, media.ErrBusy):
		result = metrics.UploadBusy
	}
	s.metrics.Upload(result, took)
}
