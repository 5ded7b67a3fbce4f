package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"sync"
	"time"

	"campusnews/internal/accounts"
	"campusnews/internal/audit"
	"campusnews/internal/changes"
	"campusnews/internal/database"
	"campusnews/internal/media"
	"campusnews/internal/news"
	"campusnews/internal/site"
	"campusnews/web"
)

// viewFlushInterval bounds how many view counts a crash can lose.
const viewFlushInterval = 5 * time.Second

func serveCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cfg := flags("serve", stderr)
	adminEmail := fs.String("admin-email", os.Getenv("CAMPUSNEWS_ADMIN_EMAIL"),
		"e-mail address of the first administrator, used on the first start only (CAMPUSNEWS_ADMIN_EMAIL; asked on a terminal)")
	cfg.RegisterServe(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil { // before the logger is made in the format it names
		return err
	}
	if os.Getenv("GOMAXPROCS") == "" {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(web.Processors(cfg.Postgres())))
	}
	log := newLogger(stdout, cfg.LogFormat)
	db, err := openDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer database.Close(db) //nolint:errcheck

	watcher, err := changes.NewWatcher(ctx, db)
	if err != nil {
		return err
	}
	newsSvc := news.NewService(db, watcher)
	views := news.NewViews(db)
	users := accounts.NewService(db)
	met, stopMetrics, err := startMetrics(cfg, db, newsSvc, users, log, stdout)
	if err != nil {
		return err
	}
	defer stopMetrics()
	srv, err := web.New(web.Deps{
		Config:  *cfg,
		Changes: watcher,
		News:    newsSvc,
		Views:   views,
		Site:    site.NewService(db, watcher),
		Users:   users,
		Audit:   audit.New(db),
		Media:   media.NewStore(db, cfg.MediaDir(), cfg.MaxUpload, watcher, newsSvc),
		Ping:    func(ctx context.Context) error { return database.Ping(ctx, db) },
		Log:     log,
		Metrics: met,
	})
	if err != nil {
		return err
	}
	if err := announceFirstAdmin(ctx, users, *adminEmail, os.Stdin, stdout); err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	httpSrv := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelError), // net/http's own complaints, in the same format
	}

	bg, stopBG := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); views.Run(bg, viewFlushInterval, log) }()
	wg.Add(1)
	go func() { defer wg.Done(); newsSvc.RunScheduler(bg, time.Second, log) }()
	wg.Add(2)
	go func() { defer wg.Done(); watcher.Run(bg, changes.PollInterval, log) }()
	go func() { defer wg.Done(); audit.New(db).RunPruning(bg, 24*time.Hour, log) }()

	errc := make(chan error, 1)
	go func() { errc <- httpSrv.Serve(ln) }()
	if cfg.LogFormat == "json" {
		log.Info("campusnews serving on http://"+ln.Addr().String(), "database", cfg.DatabaseLabel(), "data", cfg.Data) // every line JSON
	} else {
		fmt.Fprintf(stdout, "campusnews serving on http://%s (database %s, data in %s)\n", ln.Addr(), cfg.DatabaseLabel(), cfg.Data)
	}

	select {
	case err = <-errc:
	case <-ctx.Done():
		log.Info("shutting down", "delay", cfg.ShutdownDelay)
		srv.Drain() // /healthz answers 503 from now on
		select {
		case err = <-errc:
		case <-time.After(cfg.ShutdownDelay):
			sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			err = httpSrv.Shutdown(sctx) // lets in-flight requests finish
			cancel()
		}
	}
	stopBG()
	wg.Wait() // the view counter flushes once more on its way out
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}
