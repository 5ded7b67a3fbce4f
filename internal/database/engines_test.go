package database

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"gorm.io/gorm"

	"campusnews/internal/database/pgtest"
)

// The PostgreSQL tests share one throwaway cluster, stopped when they end.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// engines are the engines every test of both runs on.
var engines = []string{SQLite, Postgres}

// openEmpty opens a new database of engine that no migration has touched: a file in the test's
// directory, or a fresh database on the test cluster (the test is skipped without one). It is
// closed when the test ends.
func openEmpty(t *testing.T, engine string) *gorm.DB {
	t.Helper()
	var db *gorm.DB
	var err error
	if engine == Postgres {
		db, err = OpenURL(context.Background(), pgtest.URL(t))
	} else {
		db, err = Open(filepath.Join(t.TempDir(), "t.db"))
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { Close(db) })
	return db
}

// onEachEngine runs fn as a subtest per engine.
func onEachEngine(t *testing.T, fn func(t *testing.T, engine string)) {
	for _, e := range engines {
		t.Run(e, func(t *testing.T) { fn(t, e) })
	}
}
