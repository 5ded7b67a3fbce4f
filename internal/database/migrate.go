package database

import (
	"context"
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
}

// Migrations is the ordered list of every schema step.
var Migrations = []Migration{
	{1, "news", migration1News},
	{2, "accounts and audit", migration2Accounts},
	{3, "full-text search", migration3Search},
	{4, "media and settings", migration4Media},
	{5, "staff sessions", migration5Sessions},
	{6, "article indexes for editors and the scheduler", migration6ArticleIndexes},
	{7, "headline indexes", migration7Headlines},
	{8, "two-factor replay guard", migration8TOTPStep},
	{9, "article ids never reused", migration9ArticleIDs},
	{10, "article ids never reused after loaded content", migration10ArticleIDsOnDelete},
	{11, "content version", migration11ContentVersion},
	{12, "login failures", migration12LoginFailures},
}

// Migrate applies, in order and each in its own transaction, every migration not yet recorded
// in schema_migrations. It returns the versions it applied.
func Migrate(ctx context.Context, db *gorm.DB) ([]int, error) {
	return MigrateTo(ctx, db, Migrations[len(Migrations)-1].Version)
}

// MigrateTo applies the migrations up to and including version target.
func MigrateTo(ctx context.Context, db *gorm.DB, target int) ([]int, error) {
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
func apply(ctx context.Context, db *gorm.DB, m Migration) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	tx, err := sqlDB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
		m.Version, m.Name, time.Now().UTC()); err != nil {
		return err
	}
	return tx.Commit()
}

// Version returns the highest applied migration, 0 for a new database.
func Version(ctx context.Context, db *gorm.DB) (int, error) {
	var v int
	err := db.WithContext(ctx).Raw("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v).Error
	return v, err
}
