package database

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Migration is one frozen step of the schema. Its SQL never changes once released: a new
// need is a new migration at the end of the list.
type Migration struct {
	Version int
	Name    string
	SQL     string
	// ForeignKeysOff runs the step with foreign key enforcement off, as SQLite's procedure
	// for rebuilding a table requires; the keys are checked before it commits.
	ForeignKeysOff bool
}

// Migrations is the ordered list of every schema step on SQLite; PostgresMigrations has the
// same steps for PostgreSQL.
var Migrations = []Migration{
	{1, "news", migration1News, false},
	{2, "accounts and audit", migration2Accounts, false},
	{3, "full-text search", migration3Search, false},
	{4, "media and settings", migration4Media, false},
	{5, "staff sessions", migration5Sessions, false},
	{6, "article indexes for editors and the scheduler", migration6ArticleIndexes, false},
	{7, "headline indexes", migration7Headlines, false},
	{8, "two-factor replay guard", migration8TOTPStep, false},
	{9, "article ids never reused", migration9ArticleIDs, false},
	{10, "article ids never reused after loaded content", migration10ArticleIDsOnDelete, false},
	{11, "content version", migration11ContentVersion, false},
	{12, "article bodies in their own table, cover images as a foreign key", migration12ArticleBodies, true},
	{13, "login failures", migration13LoginFailures, false},
	{14, "categories in the search index", migration14SearchCategory, false},
	{15, "article events", migration15ArticleEvents, false},
	{16, "sources of imported articles and images, old addresses", migration16ImportSources, false},
	{17, "published article ids", migration17PublishedIDs, false},
	{18, "article statuses by id", migration18StatusByID, false},
}

// Migrate applies, in order and each in its own transaction, every migration not yet recorded
// in schema_migrations. It returns the versions it applied.
func Migrate(ctx context.Context, db *gorm.DB) ([]int, error) {
	return MigrateTo(ctx, db, Migrations[len(Migrations)-1].Version)
}

// MigrateTo applies the migrations up to and including version target.
func MigrateTo(ctx context.Context, db *gorm.DB, target int) ([]int, error) {
	if Engine(db) == Postgres {
		return migratePostgres(ctx, db, target)
	}
	db = db.WithContext(ctx)
	if err := db.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at DATETIME NOT NULL)`).Error; err != nil {
		return nil, fmt.Errorf("database: migrations table: %w", err)
	}
	var done []int
	if err := db.Raw("SELECT version FROM schema_migrations").Scan(&done).Error; err != nil {
		return nil, fmt.Errorf("database: read migrations: %w", err)
	}
	applied := make(map[int]bool, len(done))
	for _, v := range done {
		applied[v] = true
	}
	var ran []int
	for _, m := range Migrations {
		if m.Version > target || applied[m.Version] {
			continue
		}
		if err := apply(ctx, db, m); err != nil {
			return ran, fmt.Errorf("database: migration %d (%s): %w", m.Version, m.Name, err)
		}
		ran = append(ran, m.Version)
	}
	return ran, nil
}

// apply runs one migration in a transaction on the plain driver: a migration holds several
// statements, which a prepared statement cannot.
func apply(ctx context.Context, db *gorm.DB, m Migration) (err error) {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	// One connection throughout: the foreign-key setting belongs to a connection, and can
	// only change outside a transaction.
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if m.ForeignKeysOff {
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return err
		}
		defer func() {
			if _, onErr := conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON"); onErr != nil {
				// The connection must not go back to the pool without its keys.
				conn.Raw(func(any) error { return driver.ErrBadConn }) //nolint:errcheck // marks it bad
				err = errors.Join(err, onErr)
			}
		}()
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return err
	}
	if m.ForeignKeysOff {
		if err := foreignKeyCheck(ctx, tx); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
		m.Version, m.Name, time.Now().UTC()); err != nil {
		return err
	}
	return tx.Commit()
}

// foreignKeyCheck fails when any row points at a row that does not exist.
func foreignKeyCheck(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return err
	}
	defer rows.Close()
	if rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return err
		}
		return fmt.Errorf("row %d of %s refers to a missing row of %s", rowid.Int64, table, parent)
	}
	return rows.Err()
}

// Version returns the highest applied migration, 0 for a new database.
func Version(ctx context.Context, db *gorm.DB) (int, error) {
	var v int
	err := db.WithContext(ctx).Raw("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v).Error
	return v, err
}
