// Command campusnews runs the university news portal: serve (the default), migrate, seed,
// user, backup and import.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // site time zones work on machines without a zoneinfo database

	"gorm.io/gorm"

	"campusnews/internal/config"
	"campusnews/internal/database"
	"campusnews/web"
)

const usage = `campusnews — a university news portal

Usage:
  campusnews [serve] [flags]          serve the site (default)
  campusnews migrate [flags]          bring the database schema up to date
  campusnews seed [--articles N]      load the demo site into an empty database, or add N generated articles
  campusnews user add --email E --name N --role R    create a staff account (password from stdin or prompt)
  campusnews user passwd --email E    set a staff member's password
  campusnews user 2fa-off --email E   turn off a staff member's two-factor login (lost phone and codes)
  campusnews backup [flags] FILE      write a consistent copy of the database to FILE
  campusnews copy --from DIR --to URL copy a site from SQLite in DIR into an empty PostgreSQL database
  campusnews import wordpress FILE.xml [--uploads DIR] [--section SLUG]    import a WordPress export

Every command takes --data DIR (CAMPUSNEWS_DATA, default ./data), which holds the SQLite
database, uploads and the session key, and --database postgres://… (CAMPUSNEWS_DATABASE) to
keep the database in PostgreSQL instead; run "campusnews serve -h" for every setting.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "campusnews:", err)
		os.Exit(1)
	}
}

// run dispatches to a subcommand; it is main without the process, for tests.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serveCmd(ctx, args, stdout, stderr)
	case "migrate":
		return migrateCmd(ctx, args, stdout, stderr)
	case "seed":
		return seedCmd(ctx, args, stdout, stderr)
	case "user":
		return userCmd(ctx, args, stdin, stdout, stderr)
	case "backup":
		return backupCmd(ctx, args, stdout, stderr)
	case "copy":
		return copyCmd(ctx, args, stdout, stderr)
	case "import":
		return importCmd(ctx, args, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}

// flags returns a flag set with the common settings for subcommand name.
func flags(name string, stderr io.Writer) (*flag.FlagSet, *config.Config) {
	fs := flag.NewFlagSet("campusnews "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs, config.Register(fs)
}

// openDB validates cfg, opens the database (PostgreSQL when --database names one, else the
// SQLite file in --data) and migrates it.
func openDB(ctx context.Context, cfg *config.Config, log *slog.Logger) (*gorm.DB, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	var db *gorm.DB
	var err error
	if cfg.Postgres() {
		db, err = database.OpenURL(ctx, cfg.Database)
	} else {
		db, err = database.Open(cfg.DBPath())
	}
	if err != nil {
		return nil, err
	}
	ran, err := database.Migrate(ctx, db)
	if err != nil {
		database.Close(db) //nolint:errcheck // already failing
		return nil, err
	}
	if len(ran) > 0 && log != nil {
		log.Info("migrated database", "database", cfg.DatabaseLabel(), "applied", ran)
	}
	return db, nil
}

// newLogger writes each record to w at once, unbuffered, so that a crash loses no line: as
// slog's key=value text, or one JSON object a line for format "json". Lines logged while
// serving a request carry its request_id.
func newLogger(w io.Writer, format string) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if format == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(web.LogHandler(h))
}
