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
//
// The service and handler packages instead run all their tests on one engine per run, the one
// Engine names: their helpers call Open(t, Engine()), and make test runs those packages twice.
package dbtest

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"gorm.io/gorm"

	"campusnews/internal/database"
	"campusnews/internal/database/pgtest"
)

// Engines are the engines a test runs on.
var Engines = []string{database.SQLite, database.Postgres}

// EngineEnv names the engine the service and handler tests of a run use:
// CAMPUSNEWS_TEST_ENGINE=postgres runs them on PostgreSQL; unset or sqlite, on SQLite.
const EngineEnv = "CAMPUSNEWS_TEST_ENGINE"

// Engine is the engine EngineEnv names for this run.
func Engine() string {
	if os.Getenv(EngineEnv) == database.Postgres {
		return database.Postgres
	}
	return database.SQLite
}

// SQLiteOnly skips t when this run's engine is not SQLite: the test checks something only
// SQLite has (its files, PRAGMAs, FTS5 tables), for the reason why.
func SQLiteOnly(t testing.TB, why string) {
	t.Helper()
	if Engine() != database.SQLite {
		t.Skip("SQLite only: " + why)
	}
}

// Open returns a migrated, empty database of engine for t, closed when t ends: a SQLite file in
// t's temporary directory, or on PostgreSQL a copy of a database migrated once per process
// (skipped, or failed under CAMPUSNEWS_TEST_POSTGRES=1, without PostgreSQL).
func Open(t testing.TB, engine string) *gorm.DB {
	t.Helper()
	var where string
	switch engine {
	case database.Postgres:
		where = PostgresURL(t)
	case database.SQLite:
		where = filepath.Join(t.TempDir(), "campusnews.db")
	default:
		t.Fatalf("dbtest: no engine %q", engine)
	}
	db := open(t, where)
	if engine == database.SQLite {
		if _, err := database.Migrate(context.Background(), db); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// Reopen opens another pool of connections on the database of db (from Open), as another
// process serving the same site has; it is closed when t ends.
func Reopen(t testing.TB, db *gorm.DB) *gorm.DB {
	t.Helper()
	where, ok := opened.Load(db)
	if !ok {
		t.Fatal("dbtest: Reopen of a database Open did not open")
	}
	return open(t, where.(string))
}

// opened maps each database Open returned to its file or URL.
var opened sync.Map

func open(t testing.TB, where string) *gorm.DB {
	t.Helper()
	var db *gorm.DB
	var err error
	if database.IsPostgresURL(where) {
		db, err = database.OpenURL(context.Background(), where)
	} else {
		db, err = database.Open(where)
	}
	if err != nil {
		t.Fatal(err)
	}
	opened.Store(db, where)
	t.Cleanup(func() {
		opened.Delete(db)
		database.Close(db)
	})
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
