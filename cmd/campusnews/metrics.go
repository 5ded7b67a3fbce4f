package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"time"

	"gorm.io/gorm"

	"campusnews/internal/accounts"
	"campusnews/internal/config"
	"campusnews/internal/metrics"
	"campusnews/internal/news"
	"campusnews/web"
)

// startMetrics, when cfg names a metrics address, makes the server's metrics, hooks them into
// the database and the services and serves them at /metrics on a listener of their own,
// apart from the site. It returns nil metrics when there is no address; stop closes the
// listener.
func startMetrics(cfg *config.Config, db *gorm.DB, newsSvc *news.Service, users *accounts.Service,
	log *slog.Logger, stdout io.Writer) (m *metrics.Metrics, stop func(), err error) {
	if cfg.MetricsAddr == "" {
		return nil, func() {}, nil
	}
	m = metrics.New()
	if err := m.InstrumentDB(db); err != nil {
		return nil, nil, err
	}
	newsSvc.SetSchedulerObserver(m)
	users.SetObserver(m)

	ln, err := net.Listen("tcp", cfg.MetricsAddr)
	if err != nil {
		return nil, nil, fmt.Errorf("serve: metrics: %w", err)
	}
	srv := &http.Server{
		Handler:           web.MetricsHandler(m, log),
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      30 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelError),
	}
	go srv.Serve(ln) //nolint:errcheck // ends with Close
	url := "http://" + ln.Addr().String() + "/metrics"
	if cfg.LogFormat == "json" {
		log.Info("campusnews metrics on " + url)
	} else {
		fmt.Fprintf(stdout, "campusnews metrics on %s\n", url)
	}
	if reachableFromAnywhere(ln.Addr()) {
		log.Warn("the metrics listener accepts connections on a public address: bind it to a private one or firewall it",
			"addr", ln.Addr().String())
	}
	return m, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx) //nolint:errcheck // a scrape cut short is retried
	}, nil
}

// reachableFromAnywhere reports whether a listens on every interface or on a public address.
func reachableFromAnywhere(a net.Addr) bool {
	ap, err := netip.ParseAddrPort(a.String())
	if err != nil {
		return false
	}
	ip := ap.Addr().Unmap()
	return ip.IsUnspecified() || ip.IsGlobalUnicast() && !ip.IsPrivate()
}
