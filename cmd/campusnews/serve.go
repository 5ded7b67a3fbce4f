package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"campusnews/internal/accounts"
	"campusnews/internal/audit"
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
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil { // before the logger is made in the format it names
		return err
	}
	log := newLogger(stdout, cfg.LogFormat)
	db, err := openDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer database.Close(db) //nolint:errcheck

	newsSvc := news.NewService(db)
	views := news.NewViews(db)
	users := accounts.NewService(db)
	srv, err := web.New(web.Deps{
		Config: *cfg,
		News:   newsSvc,
		Views:  views,
		Site:   site.NewService(db),
		Users:  users,
		Audit:  audit.New(db),
		Media:  media.NewStore(db, cfg.MediaDir(), cfg.MaxUpload),
		Ping:   func(ctx context.Context) error { return database.Ping(ctx, db) },
		Log:    log,
	})
	if err != nil {
		return err
	}
	if err := announceFirstAdmin(ctx, users, stdout); err != nil {
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

	errc := make(chan error, 1)
	go func() { errc <- httpSrv.Serve(ln) }()
	if cfg.LogFormat == "json" {
		log.Info("campusnews serving on http://"+ln.Addr().String(), "data", cfg.Data) // every line JSON
	} else {
		fmt.Fprintf(stdout, "campusnews serving on http://%s (data in %s)\n", ln.Addr(), cfg.Data)
	}

	select {
	case err = <-errc:
	case <-ctx.Done():
		log.Info("shutting down")
		sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		err = httpSrv.Shutdown(sctx) // lets in-flight requests finish
		cancel()
	}
	stopBG()
	wg.Wait() // the view counter flushes once more on its way out
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// announceFirstAdmin creates the first administrator of an empty site with a random one-time
// password and prints it once; there is never a default password.
func announceFirstAdmin(ctx context.Context, users *accounts.Service, stdout io.Writer) error {
	email, password, created, err := users.Bootstrap(ctx)
	if err != nil || !created {
		return err
	}
	fmt.Fprintf(stdout, `
  First start: an administrator account was created.
    e-mail:   %s
    password: %s   (one-time: you must choose a new one at first login)
  Log in at /login. This password is shown only now.

`, email, password)
	return nil
}
