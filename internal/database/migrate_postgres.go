package database

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// PostgresMigrations is Migrations for PostgreSQL: the same versions, names and order, and
// after every step the same tables, columns, indexes and foreign keys.
var PostgresMigrations = []Migration{
	{1, "news", pgMigration1News, false},
	{2, "accounts and audit", pgMigration2Accounts, false},
	{3, "full-text search", pgMigration3Search, false},
	{4, "media and settings", pgMigration4Media, false},
	{5, "staff sessions", pgMigration5Sessions, false},
	{6, "article indexes for editors and the scheduler", pgMigration6ArticleIndexes, false},
	{7, "headline indexes", pgMigration7Headlines, false},
	{8, "two-factor replay guard", pgMigration8TOTPStep, false},
	{9, "article ids never reused", pgMigration9ArticleIDs, false},
	{10, "article ids never reused after loaded content", pgMigration10ArticleIDsOnDelete, false},
	{11, "content version", pgMigration11ContentVersion, false},
	{12, "article bodies in their own table, cover images as a foreign key", pgMigration12ArticleBodies, false},
	{13, "login failures", pgMigration13LoginFailures, false},
	{14, "categories in the search index", pgMigration14SearchCategory, false},
	{15, "article events", pgMigration15ArticleEvents, false},
	{16, "sources of imported articles and images, old addresses", pgMigration16ImportSources, false},
	{17, "published article ids", migration17PublishedIDs, false}, // the same on both
	{18, "article statuses by id", migration18StatusByID, false},  // the same on both
}

// MigrationsFor is the list of migrations for db's engine.
func MigrationsFor(db *gorm.DB) []Migration {
	if Engine(db) == Postgres {
		return PostgresMigrations
	}
	return Migrations
}

// migrateLock is the advisory lock that one migrating process holds, so that instances
// starting together migrate one after the other: the first applies what is missing, the
// others then find nothing left to do.
const migrateLock = 0x63616d7075736e65 // "campusne"

// migratePostgres is MigrateTo on PostgreSQL: each migration in its own transaction, as on
// SQLite (PostgreSQL's DDL is transactional), recorded in schema_migrations, all under the
// advisory lock.
func migratePostgres(ctx context.Context, db *gorm.DB, target int) (ran []int, err error) {
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	// One connection throughout: an advisory lock belongs to the session that took it.
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("database: migrate: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", int64(migrateLock)); err != nil {
		return nil, fmt.Errorf("database: migration lock: %w", err)
	}
	defer func() {
		if _, unErr := conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", int64(migrateLock)); unErr != nil {
			// The session must not go back to the pool holding the lock.
			conn.Raw(func(any) error { return driver.ErrBadConn }) //nolint:errcheck // marks it bad
			err = errors.Join(err, unErr)
		}
	}()
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version BIGINT PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at TIMESTAMPTZ NOT NULL)`); err != nil {
		return nil, fmt.Errorf("database: migrations table: %w", err)
	}
	rows, err := conn.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("database: read migrations: %w", err)
	}
	applied := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return nil, fmt.Errorf("database: read migrations: %w", err)
		}
		applied[v] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("database: read migrations: %w", err)
	}
	for _, m := range PostgresMigrations {
		if m.Version > target || applied[m.Version] {
			continue
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return ran, err
		}
		// Without arguments pgx sends the SQL as one simple query, which may hold several
		// statements.
		_, err = tx.ExecContext(ctx, m.SQL)
		if err == nil {
			_, err = tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
				m.Version, m.Name, time.Now().UTC())
		}
		if err == nil {
			err = tx.Commit()
		}
		if err != nil {
			tx.Rollback() //nolint:errcheck // the error that matters is err
			return ran, fmt.Errorf("database: migration %d (%s): %w", m.Version, m.Name, err)
		}
		ran = append(ran, m.Version)
	}
	return ran, nil
}
