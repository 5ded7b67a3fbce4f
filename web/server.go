// Package web is the HTTP layer: routes, middleware, handlers and rendering.
package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"campusnews/internal/accounts"
	"campusnews/internal/audit"
	"campusnews/internal/changes"
	"campusnews/internal/config"
	"campusnews/internal/media"
	"campusnews/internal/metrics"
	"campusnews/internal/news"
	"campusnews/internal/site"
)

// Deps is everything the web layer needs, built by the caller.
type Deps struct {
	Config config.Config
	// Changes tells when content readers see has changed, in this process or another.
	Changes *changes.Watcher
	News    *news.Service
	Views   *news.Views
	Site    *site.Service
	Users   *accounts.Service
	Audit   *audit.Log
	Media   *media.Store
	Ping    func(context.Context) error // answers whether the database is reachable
	// Log receives every log line: errors, and one line per request when Config.LogRequests
	// is set. Its lines logged while serving a request carry the request's id (LogHandler).
	Log *slog.Logger
	// Metrics, when set, count requests, the page cache and uploads; nil: no metrics, and
	// nothing is measured. One Server per Metrics: the cache's gauges are registered once.
	Metrics *metrics.Metrics
}

// Server holds the services the handlers call.
type Server struct {
	cfg     config.Config
	changes *changes.Watcher
	news    *news.Service
	views   *news.Views
	site    *site.Service
	users   *accounts.Service
	audit   *audit.Log
	media   *media.Store
	ping    func(context.Context) error
	log     *slog.Logger

	cookies      *sessions.CookieStore
	sameOrigin   *http.CrossOriginProtection
	cache        *pageCache // nil when the TTL is 0
	echo         *echo.Echo
	render       *renderer
	chrome       chromeCache
	relatedCards fragmentMemo // an article page's related stories, see fragments.go
	assets       *assetStore
	suggested    atomic.Pointer[suggestionMemo] // the dead ends' suggestions, see suggestions
	nav          atomic.Pointer[navMemo]        // the main navigation of the newest tree, see base
	metrics      *metrics.Metrics               // nil when metrics are off
	requests     *requestMetrics                // the series of each route, when metrics are on
	draining     atomic.Bool                    // set by Drain: /healthz answers 503
}

// Drain makes /healthz answer 503 from now on, so that a load balancer's health check takes
// this instance out while it finishes its requests and stops. Every other page is served as
// before.
func (s *Server) Drain() { s.draining.Store(true) }

// New builds the server with its middleware chain and every route.
func New(d Deps) (*Server, error) {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	s := &Server{cfg: d.Config, changes: d.Changes, news: d.News, views: d.Views, site: d.Site, users: d.Users, audit: d.Audit,
		media: d.Media, ping: d.Ping, log: slog.New(LogHandler(d.Log.Handler())), metrics: d.Metrics}
	var err error
	s.sameOrigin = http.NewCrossOriginProtection()
	if err := s.sameOrigin.AddTrustedOrigin(d.Config.BaseURL); err != nil {
		return nil, fmt.Errorf("web: base URL as an origin: %w", err)
	}
	if d.Config.CacheTTL > 0 {
		s.cache = newPageCache(d.Config.CacheTTL, renderSlots(d.Config.Postgres()))
	}
	if s.cookies, err = newCookieStore(d.Config.SessionKey, d.Config.Data, d.Config.SecureCookies); err != nil {
		return nil, err
	}
	if s.assets, err = newAssetStore(d.Config.Dev); err != nil {
		return nil, err
	}
	if s.render, err = newRenderer(d.Config.Dev, s.templateFuncs()); err != nil {
		return nil, err
	}
	s.render.write = s.writePage
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.Renderer = s.render
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = echo.ExtractIPDirect()
	if len(d.Config.TrustedProxies) > 0 {
		// Behind a reverse proxy the client is in X-Forwarded-For; believe it only from the
		// proxies named, or anyone could choose the address the login throttle counts.
		opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
		for _, n := range d.Config.TrustedProxies {
			opts = append(opts, echo.TrustIPRange(n))
		}
		e.IPExtractor = echo.ExtractIPFromXFFHeader(opts...)
	}
	s.echo = e
	s.middleware()
	s.routes()
	if d.Metrics != nil {
		if err := s.instrument(d.Metrics); err != nil {
			return nil, fmt.Errorf("web: metrics: %w", err)
		}
	}
	return s, nil
}

// ServeHTTP makes Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.echo.ServeHTTP(w, r)
}

// Echo exposes the router, for tests that enumerate routes.
func (s *Server) Echo() *echo.Echo { return s.echo }
