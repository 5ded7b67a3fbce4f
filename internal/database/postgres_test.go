package database

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"campusnews/internal/database/pgtest"
)

func TestOpenURLPoolAndErrors(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	db, err := OpenURL(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer Close(db)
	if Engine(db) != Postgres {
		t.Errorf("engine %q", Engine(db))
	}
	sqlDB, _ := db.DB()
	if n := sqlDB.Stats().MaxOpenConnections; n != DefaultPostgresConns {
		t.Errorf("pool of %d connections, want %d", n, DefaultPostgresConns)
	}
	var tz string
	db.Raw("SHOW timezone").Scan(&tz)
	if tz != "UTC" {
		t.Errorf("session time zone %q, want UTC", tz)
	}
	small, err := OpenURL(ctx, url+"&pool_max_conns=3")
	if err != nil {
		t.Fatal(err)
	}
	defer Close(small)
	if sqlDB, _ := small.DB(); sqlDB.Stats().MaxOpenConnections != 3 {
		t.Errorf("pool_max_conns=3 gave %d", sqlDB.Stats().MaxOpenConnections)
	}
	// Nothing listens on port 1: the error names the server but not the password.
	for _, bad := range []string{
		"postgres://ann:s3cret-pw@127.0.0.1:1/news?connect_timeout=2",
		"postgres://ann@127.0.0.1:1/news?password=s3cret-pw&connect_timeout=2",
		"postgres://ann:s3cret-pw@127.0.0.1:1/news?pool_max_conns=zero",
		"postgres://ann:s3cret-pw@127.0.0.1:1/news?sslmode=nonsense",
	} {
		_, err := OpenURL(ctx, bad)
		if err == nil {
			t.Fatalf("%s opened", bad)
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("error shows the password: %v", err)
		}
	}
}

// Times come back as the same instant, in UTC, on both engines (pgx would give the machine's
// zone), whatever zone they were written in.
func TestTimesComeBackInUTC(t *testing.T) {
	onEachEngine(t, func(t *testing.T, engine string) {
		db := openEmpty(t, engine)
		if _, err := Migrate(context.Background(), db); err != nil {
			t.Fatal(err)
		}
		written := time.Date(2026, 3, 1, 12, 30, 15, 0, time.UTC)
		if engine == Postgres {
			// PostgreSQL keeps the instant of a time in any zone.
			written = written.In(time.FixedZone("CET", 3600))
		}
		if err := db.Exec("INSERT INTO audit_entries (action, at) VALUES ('x', ?)", written).Error; err != nil {
			t.Fatal(err)
		}
		var row struct{ At time.Time }
		if err := db.Raw("SELECT at FROM audit_entries").Scan(&row).Error; err != nil {
			t.Fatal(err)
		}
		if !row.At.Equal(written) || row.At.Location() != time.UTC {
			t.Errorf("wrote %v, read %v (%v)", written, row.At, row.At.Location())
		}
		var n int64
		db.Raw("SELECT count(*) FROM audit_entries WHERE at < ?", written.Add(time.Second)).Scan(&n)
		if n != 1 {
			t.Error("a time does not compare with a later one")
		}
	})
}

// An address is one account whatever its capitals, on both engines (COLLATE NOCASE, citext),
// and the helpers tell a duplicate and a dangling reference on both.
func TestEmailIgnoresCaseAndViolationsAreRecognised(t *testing.T) {
	onEachEngine(t, func(t *testing.T, engine string) {
		db := openEmpty(t, engine)
		if _, err := Migrate(context.Background(), db); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		add := func(email string) error {
			return db.Exec(`INSERT INTO users (email, name, role, password_hash, created_at, updated_at)
				VALUES (?, 'Ann', 'admin', 'x', ?, ?)`, email, now, now).Error
		}
		if err := add("Ann@Example.edu"); err != nil {
			t.Fatal(err)
		}
		var got string
		if err := db.Raw("SELECT email FROM users WHERE email = ?", "ann@example.EDU").Scan(&got).Error; err != nil || got != "Ann@Example.edu" {
			t.Errorf("lookup in other capitals found %q, %v", got, err)
		}
		err := add("ANN@example.edu")
		if err == nil || !IsUniqueViolation(err) || IsForeignKeyViolation(err) {
			t.Errorf("same address in capitals: %v (unique violation: %v)", err, IsUniqueViolation(err))
		}
		err = db.Exec(`INSERT INTO user_sessions (id, user_id, created_at, last_seen_at) VALUES ('s', 999, ?, ?)`, now, now).Error
		if err == nil || !IsForeignKeyViolation(err) || IsUniqueViolation(err) {
			t.Errorf("session of no user: %v", err)
		}
		if IsUniqueViolation(nil) || IsUniqueViolation(errors.New("other")) {
			t.Error("IsUniqueViolation of no violation")
		}
	})
}

// The search table finds words as typed, without their accents, with no stemming and no stop
// words (as SQLite's unicode61 remove_diacritics tokenizer), and weights the title first.
func TestSearchDocsFindWordsAsTyped(t *testing.T) {
	db := openEmpty(t, Postgres)
	if _, err := Migrate(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	db.Exec("INSERT INTO categories (id, name, slug, created_at, updated_at) VALUES (1, 'News', 'news', ?, ?)", now, now)
	for id, doc := range map[int][3]string{
		1: {"Research in Zürich", "", "The team was running tests."},
		2: {"Campus news", "", "A visit from Zurich researchers; the Straße was closed."},
	} {
		if err := db.Exec("INSERT INTO articles (id, category_id, title, slug, created_at, updated_at) VALUES (?, 1, ?, ?, ?, ?)",
			id, doc[0], doc[0], now, now).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Exec("INSERT INTO search_docs (article_id, category_id, title, summary, body) VALUES (?, 1, ?, ?, ?)",
			id, doc[0], doc[1], doc[2]).Error; err != nil {
			t.Fatal(err)
		}
	}
	find := func(q string) []int64 {
		var ids []int64
		if err := db.Raw(`SELECT article_id FROM search_docs WHERE tsv @@ to_tsquery('campusnews', ?)
			ORDER BY ts_rank(tsv, to_tsquery('campusnews', ?)) DESC, article_id`, q, q).Scan(&ids).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return ids
	}
	for q, want := range map[string]string{
		"zurich":  "[1 2]", // accents off, title match first
		"ZÜRICH":  "[1 2]",
		"running": "[1]",
		"run":     "[]", // no stemming
		"the":     "[1 2]",
		"strasse": "[2]",
		"zur:*":   "[1 2]",
	} {
		if got := fmt.Sprint(find(q)); got != want {
			t.Errorf("%q finds %s, want %s", q, got, want)
		}
	}
	if err := db.Exec("DELETE FROM articles WHERE id = 2").Error; err != nil {
		t.Fatal(err)
	}
	if got := find("zurich"); len(got) != 1 {
		t.Errorf("a deleted article stayed in the index: %v", got)
	}
}

// Instances started together migrate one at a time: every migration runs once.
func TestPostgresMigratesOnceWhenInstancesStartTogether(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	var wg sync.WaitGroup
	ran := make([][]int, 3)
	errs := make([]error, 3)
	for i := range ran {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := OpenURL(ctx, url)
			if err != nil {
				errs[i] = err
				return
			}
			defer Close(db)
			ran[i], errs[i] = Migrate(ctx, db)
		}()
	}
	wg.Wait()
	total := 0
	for i := range ran {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		total += len(ran[i])
	}
	if total != len(PostgresMigrations) {
		t.Errorf("instances applied %v between them, want each migration once", ran)
	}
}

// A backup made with pg_dump restores into an empty database with everything in it, and is
// readable by its owner only.
func TestBackupPostgresRestores(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	bin, err := pgtest.BinDir()
	if err != nil {
		t.Skip(err)
	}
	// The client programs of the server's version.
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	db, err := OpenURL(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer Close(db)
	if _, err := Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	db.Exec("INSERT INTO categories (name, slug, created_at, updated_at) VALUES ('Zürich', 'zurich', ?, ?)", now, now)
	dest := filepath.Join(t.TempDir(), "backups", "news.dump")
	if err := BackupPostgres(ctx, url+"&pool_max_conns=4", dest); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(dest)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file %v, %v", fi, err)
	}
	if err := BackupPostgres(ctx, url, dest); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Fatalf("backup over an existing file: %v", err)
	}
	restored := pgtest.URL(t)
	out, err := exec.Command(filepath.Join(bin, "pg_restore"), "--no-owner", "--dbname="+restored, dest).CombinedOutput()
	if err != nil {
		t.Fatalf("pg_restore: %v: %s", err, out)
	}
	rdb, err := OpenURL(ctx, restored)
	if err != nil {
		t.Fatal(err)
	}
	defer Close(rdb)
	var name string
	var v int
	rdb.Raw("SELECT name FROM categories").Scan(&name)
	v, _ = Version(ctx, rdb)
	if name != "Zürich" || v != len(PostgresMigrations) {
		t.Errorf("restored database: category %q, version %d", name, v)
	}

	// Without pg_dump the message says what to run, without the password.
	t.Setenv("PATH", t.TempDir())
	err = BackupPostgres(ctx, "postgres://ann:s3cret@db.example.edu/news", filepath.Join(t.TempDir(), "x.dump"))
	if err == nil || !strings.Contains(err.Error(), "pg_dump --format=custom --file=") || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("without pg_dump: %v", err)
	}
}

// ContainsLikeOn finds text regardless of case beyond A to Z on both engines.
func TestContainsLikeOnBothEngines(t *testing.T) {
	onEachEngine(t, func(t *testing.T, engine string) {
		db := openEmpty(t, engine)
		if err := db.Exec("CREATE TABLE t (s TEXT)").Error; err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{"Über die Brücke", "ÅRHUS 50% off", "plain Title", "a_b"} {
			if err := db.Exec("INSERT INTO t VALUES (?)", s).Error; err != nil {
				t.Fatal(err)
			}
		}
		for q, want := range map[string]int64{"über": 1, "ÜBER": 1, "brücke": 1, "århus": 1, "50%": 1,
			"title": 1, "TITLE": 1, "%": 1, "_": 1, "ö": 0, "x": 0} {
			cond, arg := ContainsLikeOn(db, "s", q)
			var n int64
			if err := db.Raw("SELECT COUNT(*) FROM t WHERE "+cond, arg).Scan(&n).Error; err != nil {
				t.Fatalf("%q: %v", q, err)
			}
			if n != want {
				t.Errorf("%q matches %d rows, want %d", q, n, want)
			}
		}
	})
}
