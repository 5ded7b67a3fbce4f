package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"campusnews/internal/accounts"
	"campusnews/internal/changes"
	"campusnews/internal/config"
	"campusnews/internal/database"
	"campusnews/internal/database/pgtest"
	"campusnews/internal/demo"
	"campusnews/internal/news"
)

// demoSite returns a data directory holding the demo site, loaded through the news service,
// and an administrator, and its database (open).
func demoSite(t *testing.T) (string, *gorm.DB) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := database.Open(config.Config{Data: dir}.DBPath())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(db) })
	if _, err := database.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	w, err := changes.NewWatcher(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, news.NewService(db, w)); err != nil {
		t.Fatal(err)
	}
	if _, err := accounts.NewService(db).Create(ctx, cliActor, accounts.NewUser{Email: "Ann@Example.edu", Name: "Ann",
		Role: accounts.Admin, Password: staffPassword}); err != nil {
		t.Fatal(err)
	}
	// What the demo has none of: an image (the cover of an article), a revision, a setting.
	now := time.Now().UTC().Truncate(time.Second)
	for _, q := range []string{
		"INSERT INTO media (id, path, mime, size, width, height, alt, created_at) VALUES (4, '2026/ab.jpg', 'image/jpeg', 10, 1, 1, 'Alt', ?)",
		"UPDATE articles SET cover_media_id = 4 WHERE id = (SELECT MIN(id) FROM articles)",
		"INSERT INTO revisions (article_id, title, snapshot, created_at) SELECT MIN(id), 'First', '{}', ? FROM articles",
		"INSERT INTO settings (key, value) VALUES ('site.name', 'Campus News')",
	} {
		var args []any
		if strings.Contains(q, "?") {
			args = append(args, now)
		}
		if err := db.Exec(q, args...).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return dir, db
}

// runIn runs the command in this process and returns its output and error.
func runIn(args ...string) (string, error) {
	var out bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(""), &out, &out)
	return out.String(), err
}

// The demo site copied into PostgreSQL has every row of every table, the same rows, a search
// index of its published articles, and sequences past the copied ids.
func TestCopyDemoSiteToPostgres(t *testing.T) {
	url := pgtest.URL(t)
	dir, lite := demoSite(t)
	begin := time.Now()
	out, err := runIn("copy", "--from", dir, "--to", url)
	if err != nil {
		t.Fatalf("copy: %v\n%s", err, out)
	}
	t.Logf("copied the demo site in %v:\n%s", time.Since(begin), out)
	for _, want := range []string{"articles", "row counts checked", "search index"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	pg, err := database.OpenURL(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(pg)

	count := func(db *gorm.DB, q string) int64 {
		t.Helper()
		var n int64
		if err := db.Raw(q).Scan(&n).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	for _, table := range []string{"categories", "media", "articles", "article_bodies", "tags", "article_tags",
		"revisions", "users", "audit_entries", "settings", "id_sequences"} {
		q := "SELECT count(*) FROM " + table
		if s, p := count(lite, q), count(pg, q); s != p || s == 0 {
			t.Errorf("%s: %d rows in SQLite, %d in PostgreSQL", table, s, p)
		}
	}
	if s, p := count(lite, "SELECT count(*) FROM articles WHERE status = 'published'"), count(pg, "SELECT count(*) FROM search_docs"); s != p || p == 0 {
		t.Errorf("search index holds %d articles, %d are published", p, s)
	}

	// A few rows, column by column.
	type article struct {
		ID          int64
		CategoryID  int64
		Title, Slug string
		Status      string
		PublishedAt *time.Time
		Pinned      bool
		Featured    bool
		Text        string
		Tags        string
	}
	const articlesQ = `SELECT a.id, a.category_id, a.title, a.slug, a.status, a.published_at, a.pinned, a.featured, b.text,
		(SELECT COUNT(*) FROM article_tags x WHERE x.article_id = a.id) AS tags
		FROM articles a JOIN article_bodies b ON b.article_id = a.id ORDER BY a.id`
	var sa, pa []article
	lite.Raw(articlesQ).Scan(&sa)
	pg.Raw(articlesQ).Scan(&pa)
	if len(sa) == 0 || len(sa) != len(pa) {
		t.Fatalf("%d articles in SQLite, %d in PostgreSQL", len(sa), len(pa))
	}
	pinned := false
	for i := range sa {
		s, p := sa[i], pa[i]
		if s.PublishedAt != nil && p.PublishedAt != nil && s.PublishedAt.Equal(*p.PublishedAt) {
			s.PublishedAt = p.PublishedAt
		}
		if fmt.Sprint(s) != fmt.Sprint(p) {
			t.Errorf("article differs:\nSQLite     %+v\nPostgreSQL %+v", s, p)
			break
		}
		pinned = pinned || p.Pinned
	}
	if !pinned {
		t.Error("no pinned article: the flags did not come over")
	}
	var su, pu struct {
		Email, Role, PasswordHash string
		Active                    bool
		CreatedAt                 time.Time
	}
	lite.Raw("SELECT email, role, password_hash, active, created_at FROM users").Scan(&su)
	pg.Raw("SELECT email, role, password_hash, active, created_at FROM users").Scan(&pu)
	// PostgreSQL keeps microseconds.
	if su.Email != pu.Email || su.PasswordHash != pu.PasswordHash || !pu.Active ||
		!su.CreatedAt.Truncate(time.Microsecond).Equal(pu.CreatedAt) || pu.CreatedAt.Location() != time.UTC {
		t.Errorf("user differs:\nSQLite     %+v\nPostgreSQL %+v", su, pu)
	}
	if n := count(pg, "SELECT count(*) FROM articles WHERE cover_media_id = 4"); n != 1 {
		t.Errorf("%d articles have the copied cover", n)
	}
	if n := count(pg, "SELECT count(*) FROM categories c JOIN categories p ON p.id = c.parent_id"); n != count(lite, "SELECT count(*) FROM categories WHERE parent_id IS NOT NULL") {
		t.Errorf("%d categories kept their section", n)
	}

	// New rows get new ids; the content version moved past the source's.
	now := time.Now().UTC()
	var id int64
	if err := pg.Raw("INSERT INTO tags (name, slug) VALUES ('New', 'new-tag') RETURNING id").Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	if max := count(lite, "SELECT MAX(id) FROM tags"); id <= max {
		t.Errorf("a new tag got id %d, not past the copied %d", id, max)
	}
	if err := pg.Exec("INSERT INTO audit_entries (action, at) VALUES ('x', ?)", now).Error; err != nil {
		t.Errorf("a new audit entry: %v", err)
	}
	if s, p := count(lite, "SELECT gen FROM content_version"), count(pg, "SELECT gen FROM content_version"); p <= s {
		t.Errorf("content version %d after the copy, source at %d", p, s)
	}
}

// A copy into a database that holds content, or one that fails part of the way, leaves the
// target as it was.
func TestFailedCopyLeavesTargetAsItWas(t *testing.T) {
	url := pgtest.URL(t)
	dir, lite := demoSite(t)
	pg, err := database.OpenURL(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(pg)
	count := func(table string) int64 {
		var n int64
		pg.Raw("SELECT count(*) FROM " + table).Scan(&n)
		return n
	}

	// A value PostgreSQL cannot take, in the last article: categories and media went in
	// before it failed.
	if err := lite.Exec("UPDATE articles SET views = 'many' WHERE id = (SELECT MAX(id) FROM articles)").Error; err != nil {
		t.Fatal(err)
	}
	out, err := runIn("copy", "--from", dir, "--to", url)
	if err == nil || !strings.Contains(err.Error(), "nothing was written") {
		t.Fatalf("copy of a bad value: %v\n%s", err, out)
	}
	if n := count("categories") + count("articles") + count("search_docs"); n != 0 {
		t.Errorf("a failed copy left %d rows", n)
	}
	var last int64
	pg.Raw("SELECT last FROM id_sequences WHERE name = 'articles'").Scan(&last)
	if last != 0 {
		t.Errorf("a failed copy moved the article sequence to %d", last)
	}

	// Repaired, it copies; a second copy into the same database is refused.
	lite.Exec("UPDATE articles SET views = 3 WHERE views = 'many'")
	if out, err := runIn("copy", "--from", dir, "--to", url); err != nil {
		t.Fatalf("copy: %v\n%s", err, out)
	}
	before := count("articles")
	out, err = runIn("copy", "--from", dir, "--to", url)
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("second copy: %v\n%s", err, out)
	}
	if count("articles") != before {
		t.Errorf("the refused copy changed the target: %d articles, were %d", count("articles"), before)
	}

	// Bad arguments say what is wanted.
	for _, args := range [][]string{
		{"copy", "--from", dir},
		{"copy", "--from", dir, "--to", "mysql://x/y"},
		{"copy", "--from", filepath.Join(dir, "nothing"), "--to", url},
	} {
		if out, err := runIn(args...); err == nil {
			t.Errorf("%v accepted:\n%s", args, out)
		}
	}
}

// backup with a PostgreSQL URL runs pg_dump; without pg_dump it says what to run.
func TestBackupPostgresCommand(t *testing.T) {
	url := pgtest.URL(t)
	bin, err := pgtest.BinDir()
	if err != nil {
		t.Skip(err)
	}
	t.Setenv("PATH", bin)
	dir := t.TempDir()
	if out, err := runIn("migrate", "--data", dir, "--database", url); err != nil || !strings.Contains(out, "schema version") {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	file := filepath.Join(t.TempDir(), "news.dump")
	out, err := runIn("backup", file, "--database", url)
	if err != nil || !strings.Contains(out, "backed up") {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	if out, err := runIn("backup", file, "--database", url); err == nil {
		t.Errorf("backup over an existing file:\n%s", out)
	}
	t.Setenv("PATH", t.TempDir())
	out, err = runIn("backup", filepath.Join(t.TempDir(), "b.dump"), "--database", "postgres://ann:s3cret@db.example.edu/news")
	if err == nil || !strings.Contains(err.Error(), "pg_dump --format=custom") || strings.Contains(err.Error()+out, "s3cret") {
		t.Errorf("backup without pg_dump: %v\n%s", err, out)
	}
	// migrate made no SQLite file in --data: the database is PostgreSQL.
	if _, err := os.Stat(config.Config{Data: dir}.DBPath()); !os.IsNotExist(err) {
		t.Errorf("a SQLite database appeared in --data: %v", err)
	}
}

// On a terminal the progress is a bar per table, redrawn in place; elsewhere a line per table.
func TestCopyBar(t *testing.T) {
	var term, plain bytes.Buffer
	bars := []*copyBar{{w: &term, terminal: true}, {w: &plain}}
	for _, b := range bars {
		b.show("categories", 0, 0)
		b.show("categories", 0, 0)
		b.show("articles", 0, 3000)
		b.show("articles", 1000, 3000)
		b.show("articles", 3000, 3000)
		b.end()
	}
	if got := plain.String(); got != "  categories              0 rows\n  articles             3000 rows\n" {
		t.Errorf("plain progress:\n%q", got)
	}
	got := term.String()
	for _, want := range []string{"\r  articles        [..............................]         0/3000",
		"[##############################]      3000/3000\n", "categories      [##############################]         0/0\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("terminal progress lacks %q:\n%q", want, got)
		}
	}
}
