// Package dbtest opens migrated databases of either engine for tests, so that a test can run
// on both:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
//
//	func TestX(t *testing.T) {
//		for _, engine := range dbtest.Engines {
//			t.Run(engine, func(t *testing.T) { db := dbtest.Open(t, engine); … })
//		}
//	}
package dbtest

import (
	"context"
	"path/filepath"
	"testing"

	"gorm.io/gorm"

	"campusnews/internal/database"
	"campusnews/internal/database/pgtest"
)

// Engines are the engines a test runs on.
var Engines = []string{database.SQLite, database.Postgres}

// Open returns a migrated, empty database of engine for t, closed when t ends: a SQLite file in
// t's temporary directory, or on PostgreSQL a copy of a database migrated once per process
// (skipped, or failed under CAMPUSNEWS_TEST_POSTGRES=1, without PostgreSQL).
func Open(t testing.TB, engine string) *gorm.DB {
	t.Helper()
	var db *gorm.DB
	var err error
	switch engine {
	case database.Postgres:
		db, err = database.OpenURL(context.Background(), PostgresURL(t))
	case database.SQLite:
		db, err = database.Open(filepath.Join(t.TempDir(), "campusnews.db"))
		if err == nil {
			_, err = database.Migrate(context.Background(), db)
		}
	default:
		t.Fatalf("dbtest: no engine %q", engine)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(db) })
	return db
}

// PostgresURL returns the URL of a new migrated, empty PostgreSQL database for t.
func PostgresURL(t testing.TB) string {
	t.Helper()
	return pgtest.Clone(t, "migrated", func(url string) error {
		db, err := database.OpenURL(context.Background(), url)
		if err != nil {
			return err
		}
		defer database.Close(db)
		_, err = database.Migrate(context.Background(), db)
		return err
	})
}
