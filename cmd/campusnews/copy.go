package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/term"

	"campusnews/internal/config"
	"campusnews/internal/database"
)

const copyUsage = `Usage:
  campusnews copy --from DIR --to postgres://user@host/db

Copies a site from its SQLite database in the data directory DIR into a new, empty PostgreSQL
database (migrated first): every article with its revisions, categories, tags, images' records,
accounts, settings and the audit log, keeping their ids. Staff sign in again afterwards
(sessions are not copied). The copy is one transaction: if anything fails, the PostgreSQL
database is left as it was. Uploaded files stay in DIR/media: give the PostgreSQL instances a
--data directory that holds them (and session.key), or copy it there.
`

func copyCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("campusnews copy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, copyUsage); fs.PrintDefaults() }
	from := fs.String("from", "", "data directory of the SQLite site to copy")
	var to string
	if v := os.Getenv("CAMPUSNEWS_DATABASE"); config.IsPostgresURL(v) {
		to = v
	}
	fs.Func("to", "postgres:// URL of the empty database to copy into (default CAMPUSNEWS_DATABASE)", func(s string) error {
		to = s
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("copy: unexpected argument %q", fs.Arg(0))
	}
	if *from == "" || to == "" {
		fmt.Fprint(stderr, copyUsage)
		return errors.New("copy: name both --from DIR and --to postgres://…")
	}
	target := config.Config{Data: *from, Database: to}
	if !target.Postgres() {
		return errors.New("copy: --to must be a postgres:// or postgresql:// URL")
	}
	source := config.Config{Data: *from}.DBPath()
	if _, err := os.Stat(source); err != nil {
		return fmt.Errorf("copy: no site in %s: %w", *from, err)
	}

	src, err := database.Open(source)
	if err != nil {
		return err
	}
	defer database.Close(src) //nolint:errcheck // read only
	// Like every command, bring the source up to this binary's schema first.
	if _, err := database.Migrate(ctx, src); err != nil {
		return err
	}
	dst, err := database.OpenURL(ctx, to)
	if err != nil {
		return err
	}
	defer database.Close(dst) //nolint:errcheck // committed or rolled back by then
	if _, err := database.Migrate(ctx, dst); err != nil {
		return err
	}

	fmt.Fprintf(stdout, "copying %s to %s\n", source, target.DatabaseLabel())
	begin := time.Now()
	bar := newCopyBar(stdout)
	stats, err := database.Copy(ctx, src, dst, bar.show)
	bar.end()
	if err != nil {
		return fmt.Errorf("%w (nothing was written to the PostgreSQL database)", err)
	}
	var rows int64
	for _, t := range stats.Tables {
		rows += t.Rows
	}
	fmt.Fprintf(stdout, "copied %d rows in %d tables in %v; row counts checked; %d published articles in the search index\n",
		rows, len(stats.Tables), time.Since(begin).Round(time.Millisecond), stats.Searched)
	if stats.Repaired > 0 {
		fmt.Fprintf(stdout, "%d text values held bytes PostgreSQL cannot store (invalid UTF-8 or NUL) and were repaired\n", stats.Repaired)
	}
	fmt.Fprintf(stdout, "uploaded files are in %s: serve with --data pointing at a directory that holds them\n",
		filepath.Join(*from, "media"))
	return nil
}

// copyBar shows a copy's progress: on a terminal one bar per table, redrawn in place;
// elsewhere (a log, a pipe) one line per table when it is done.
type copyBar struct {
	w        io.Writer
	terminal bool
	table    string
	last     time.Time
}

func newCopyBar(w io.Writer) *copyBar {
	f, ok := w.(*os.File)
	return &copyBar{w: w, terminal: ok && term.IsTerminal(int(f.Fd()))}
}

func (b *copyBar) show(table string, done, total int64) {
	finished := done >= total && (done > 0 || b.table == table)
	if !b.terminal {
		if finished {
			fmt.Fprintf(b.w, "  %-15s %9d rows\n", table, done)
		}
		b.table = table
		return
	}
	// At most ten redraws a second; always the last one of a table.
	if !finished && table == b.table && time.Since(b.last) < 100*time.Millisecond {
		return
	}
	b.table, b.last = table, time.Now()
	const width = 30
	filled := width
	if total > 0 {
		filled = int(done * width / total)
	}
	fmt.Fprintf(b.w, "\r  %-15s [%s%s] %9d/%d", table, strings.Repeat("#", filled), strings.Repeat(".", width-filled), done, total)
	if finished {
		fmt.Fprintln(b.w)
	}
}

// end closes a bar a failure interrupted.
func (b *copyBar) end() {
	if b.terminal && b.table != "" {
		fmt.Fprint(b.w, "\r\033[K")
	}
}
