package database

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// pgxOnly are URL parameters that pgx (or OpenURL) reads and libpq's programs refuse.
var pgxOnly = []string{"pool_max_conns", "default_query_exec_mode", "statement_cache_capacity",
	"description_cache_capacity", "pool_min_conns", "pool_max_conn_lifetime", "pool_max_conn_idle_time",
	"pool_health_check_period"}

// libpqURL is rawURL as PostgreSQL's own programs take it: without pgx's parameters and
// without the password, which it returns apart, for PGPASSWORD (a password on a command line
// is visible to every user of the machine).
func libpqURL(rawURL string) (string, string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", "", errors.New("database: the PostgreSQL URL does not parse")
	}
	q := u.Query()
	for _, p := range pgxOnly {
		q.Del(p)
	}
	password := q.Get("password")
	q.Del("password")
	if u.User != nil {
		if p, ok := u.User.Password(); ok {
			password = p
			u.User = url.User(u.User.Username())
		}
	}
	u.RawQuery = q.Encode()
	return u.String(), password, nil
}

// BackupPostgres writes the database rawURL names to dest with pg_dump in its custom format
// (restore with pg_restore), one consistent snapshot while the site goes on. dest must not
// exist; it is readable by its owner only from the start, as it holds password hashes and
// two-factor secrets. Without pg_dump on the PATH it says what to run instead.
func BackupPostgres(ctx context.Context, rawURL, dest string) error {
	conn, password, err := libpqURL(rawURL)
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(dest)
	if err != nil {
		return fmt.Errorf("database: backup path: %w", err)
	}
	pgDump, err := exec.LookPath("pg_dump")
	if err != nil {
		return fmt.Errorf("database: backup needs pg_dump, which is not on the PATH (Debian: apt-get install postgresql-client); "+
			"to make the same backup by hand, run:\n  pg_dump --format=custom --file=%s %s\n"+
			"with the password in PGPASSWORD or ~/.pgpass", shellQuote(abs), shellQuote(conn))
	}
	if _, err := os.Stat(abs); err == nil {
		return fmt.Errorf("database: backup: %s already exists", abs)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o750); err != nil {
		return fmt.Errorf("database: backup directory: %w", err)
	}
	f, err := os.OpenFile(abs, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("database: backup: %w", err)
	}
	// pg_dump writes to the file this process opened, so the file never has other permissions;
	// a file is seekable, so the archive keeps the offsets a parallel pg_restore uses.
	cmd := exec.CommandContext(ctx, pgDump, "--format=custom", "--no-password", "--dbname="+conn)
	cmd.Stdout = f
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Env = os.Environ()
	if password != "" {
		cmd.Env = append(cmd.Env, "PGPASSWORD="+password)
	}
	err = cmd.Run()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(abs) //nolint:errcheck // a partial archive is worth nothing
		msg := strings.TrimSpace(stderr.String())
		if password != "" {
			msg = strings.ReplaceAll(msg, password, "xxxxx")
		}
		return fmt.Errorf("database: pg_dump: %w: %s", err, msg)
	}
	return nil
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
