package database

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestOpenSetsPragmas(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer Close(db)
	var mode string
	var fk, timeout int
	db.Raw("PRAGMA journal_mode").Scan(&mode)
	db.Raw("PRAGMA foreign_keys").Scan(&fk)
	db.Raw("PRAGMA busy_timeout").Scan(&timeout)
	if mode != "wal" || fk != 1 || timeout < 1000 {
		t.Fatalf("journal_mode=%q foreign_keys=%d busy_timeout=%d", mode, fk, timeout)
	}
}

// An old database, made by the first migration and holding content, is migrated forward by
// a newer binary without losing anything.
func TestMigrateForwardKeepsData(t *testing.T) {
	onEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := openEmpty(t, engine)
		ran, err := MigrateTo(ctx, db, 1)
		if err != nil || len(ran) != 1 || ran[0] != 1 {
			t.Fatalf("first migration: ran %v, err %v", ran, err)
		}
		now := time.Now().UTC()
		// One statement per Exec: prepared statements run only the first.
		if err := db.Exec(`INSERT INTO categories (id, name, slug, created_at, updated_at) VALUES (1, 'News & Events', 'news-events', ?, ?)`, now, now).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Exec(`INSERT INTO articles (id, category_id, title, slug, body_source, status, created_at, updated_at)
			VALUES (7, 1, 'Old article', 'old-article', 'Body text', 'published', ?, ?)`, now, now).Error; err != nil {
			t.Fatal(err)
		}
		ran, err = Migrate(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if len(ran) != len(MigrationsFor(db))-1 || ran[0] != 2 {
			t.Fatalf("forward migration ran %v", ran)
		}
		var title string
		if err := db.Raw("SELECT title FROM articles WHERE id = 7").Scan(&title).Error; err != nil || title != "Old article" {
			t.Fatalf("article after migration: %q, %v", title, err)
		}
		var body string
		if err := db.Raw("SELECT source FROM article_bodies WHERE article_id = 7").Scan(&body).Error; err != nil || body != "Body text" {
			t.Fatalf("body after migration: %q, %v", body, err)
		}
		var last int64
		if err := db.Raw("SELECT last FROM id_sequences WHERE name = 'articles'").Scan(&last).Error; err != nil || last != 7 {
			t.Errorf("article id sequence starts at %d (%v), want the highest id, 7", last, err)
		}
		v, err := Version(ctx, db)
		if err != nil || v != Migrations[len(Migrations)-1].Version {
			t.Fatalf("version %d, %v", v, err)
		}
		// Running again applies nothing.
		if ran, err := Migrate(ctx, db); err != nil || len(ran) != 0 {
			t.Fatalf("second run applied %v, %v", ran, err)
		}
	})
}

func TestMigrationsAreOrdered(t *testing.T) {
	for i, m := range Migrations {
		if m.Version != i+1 || m.SQL == "" || m.Name == "" {
			t.Fatalf("migration at %d is %d %q", i, m.Version, m.Name)
		}
	}
}

func TestBackupIsAConsistentCopy(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(filepath.Join(dir, "live.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer Close(db)
	if _, err := Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	db.Exec(`INSERT INTO categories (name, slug, created_at, updated_at) VALUES ('A', 'a', datetime('now'), datetime('now'))`)
	dest := filepath.Join(dir, "backups", "copy.db")
	if err := Backup(ctx, db, dest); err != nil {
		t.Fatal(err)
	}
	if err := Backup(ctx, db, dest); err == nil {
		t.Fatal("backup over an existing file should fail")
	}
	cp, err := Open(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer Close(cp)
	var n int
	var ok string
	cp.Raw("SELECT COUNT(*) FROM categories").Scan(&n)
	cp.Raw("PRAGMA integrity_check").Scan(&ok)
	if n != 1 || ok != "ok" {
		t.Fatalf("copy has %d categories, integrity %q", n, ok)
	}
}

// The rebuild of the articles table keeps every article with its tags, revisions, body and
// search text, drops a cover that points at no image, and leaves the foreign keys working:
// deleting an image clears the covers that showed it, deleting an article its tag links.
func TestMigrationMovesBodiesAndKeepsLinks(t *testing.T) {
	onEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := openEmpty(t, engine)
		if _, err := MigrateTo(ctx, db, 11); err != nil {
			t.Fatal(err)
		}
		index := `INSERT INTO articles_fts (rowid, title, summary, body) VALUES (7, 'Published', '', 'Some text')`
		if engine == Postgres {
			index = `INSERT INTO search_docs (article_id, category_id, title, summary, body) VALUES (7, 1, 'Published', '', 'Some text')`
		}
		now := time.Now().UTC()
		for _, q := range []string{
			`INSERT INTO categories (id, name, slug, created_at, updated_at) VALUES (1, 'News', 'news', ?, ?)`,
			`INSERT INTO media (id, path, mime, size, width, height, created_at) VALUES (5, 'a.jpg', 'image/jpeg', 1, 1, 1, ?)`,
			`INSERT INTO articles (id, category_id, title, slug, body_source, body_html, status, cover_media_id, created_at, updated_at)
				VALUES (7, 1, 'Published', 'published', 'Some *text*', '<p>Some <em>text</em></p>', 'published', 5, ?, ?)`,
			`INSERT INTO articles (id, category_id, title, slug, body_source, status, cover_media_id, created_at, updated_at)
				VALUES (9, 1, 'Draft', 'draft', 'Draft text', 'draft', 99, ?, ?)`,
			index,
			`INSERT INTO tags (id, name, slug) VALUES (3, 'Research', 'research')`,
			`INSERT INTO article_tags (article_id, tag_id) VALUES (7, 3)`,
			`INSERT INTO article_tags (article_id, tag_id) VALUES (9, 3)`,
			`INSERT INTO revisions (article_id, title, created_at) VALUES (7, 'Published', ?)`,
		} {
			var args []any
			for range strings.Count(q, "?") {
				args = append(args, now)
			}
			if err := db.Exec(q, args...).Error; err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if _, err := Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		if engine == SQLite {
			var fk int
			db.Raw("PRAGMA foreign_keys").Scan(&fk)
			if fk != 1 {
				t.Fatal("foreign keys are off after the migration")
			}
		}
		count := func(q string) int64 {
			var n int64
			if err := db.Raw(q).Scan(&n).Error; err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return n
		}
		if n := count("SELECT COUNT(*) FROM article_tags"); n != 2 {
			t.Errorf("tag links after migration: %d, want 2", n)
		}
		if n := count("SELECT COUNT(*) FROM revisions"); n != 1 {
			t.Errorf("revisions after migration: %d, want 1", n)
		}
		var body struct{ Source, HTML, Text string }
		db.Raw("SELECT source, html, text FROM article_bodies WHERE article_id = 7").Scan(&body)
		if body.Source != "Some *text*" || body.HTML != "<p>Some <em>text</em></p>" || body.Text != "Some text" {
			t.Errorf("body of 7 = %+v", body)
		}
		if n := count("SELECT COUNT(*) FROM articles WHERE id = 9 AND cover_media_id IS NULL"); n != 1 {
			t.Error("a cover pointing at no image was kept")
		}
		if err := db.Exec("DELETE FROM media WHERE id = 5").Error; err != nil {
			t.Fatal(err)
		}
		if n := count("SELECT COUNT(*) FROM articles WHERE id = 7 AND cover_media_id IS NULL"); n != 1 {
			t.Error("deleting the image left the cover")
		}
		if err := db.Exec("DELETE FROM articles WHERE id = 9").Error; err != nil {
			t.Fatal(err)
		}
		if n := count("SELECT COUNT(*) FROM article_tags WHERE article_id = 9") + count("SELECT COUNT(*) FROM article_bodies WHERE article_id = 9"); n != 0 {
			t.Error("deleting an article left its tag links or body")
		}
		if n := count("SELECT last FROM id_sequences WHERE name = 'articles'"); n != 9 {
			t.Errorf("id sequence at %d, want 9", n)
		}
		// The trigger of migration 10 went with the rebuild: deleting the newest article no
		// longer moves the sequence (the service does, through the sequence it inserts with).
		if err := db.Exec("UPDATE id_sequences SET last = 1 WHERE name = 'articles'").Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Exec("DELETE FROM articles WHERE id = 7").Error; err != nil {
			t.Fatal(err)
		}
		if n := count("SELECT last FROM id_sequences WHERE name = 'articles'"); n != 1 {
			t.Errorf("a trigger moved the id sequence to %d after the rebuild", n)
		}
	})
}
