package database

import (
	"context"
	"path/filepath"
	"testing"
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
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ran, err := MigrateTo(ctx, db, 1)
	if err != nil || len(ran) != 1 || ran[0] != 1 {
		t.Fatalf("first migration: ran %v, err %v", ran, err)
	}
	// One statement per Exec: prepared statements run only the first.
	if err := db.Exec(`INSERT INTO categories (id, name, slug, created_at, updated_at) VALUES (1, 'News & Events', 'news-events', datetime('now'), datetime('now'))`).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(`INSERT INTO articles (id, category_id, title, slug, body_source, status, created_at, updated_at)
		VALUES (7, 1, 'Old article', 'old-article', 'Body text', 'published', datetime('now'), datetime('now'))`).Error; err != nil {
		t.Fatal(err)
	}
	Close(db)

	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer Close(db)
	ran, err = Migrate(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if len(ran) != len(Migrations)-1 || ran[0] != 2 {
		t.Fatalf("forward migration ran %v", ran)
	}
	var title string
	if err := db.Raw("SELECT title FROM articles WHERE id = 7").Scan(&title).Error; err != nil || title != "Old article" {
		t.Fatalf("article after migration: %q, %v", title, err)
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
