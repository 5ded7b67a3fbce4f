package dbtest

import (
	"context"
	"os"
	"testing"

	"campusnews/internal/database"
	"campusnews/internal/database/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// Each test gets a migrated database of its own, on both engines.
func TestOpenGivesMigratedSeparateDatabases(t *testing.T) {
	for _, engine := range Engines {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			a, b := Open(t, engine), Open(t, engine)
			if database.Engine(a) != engine {
				t.Fatalf("engine %q", database.Engine(a))
			}
			if v, err := database.Version(ctx, a); err != nil || v != len(database.Migrations) {
				t.Fatalf("version %d, %v", v, err)
			}
			if err := a.Exec("INSERT INTO tags (name, slug) VALUES ('A', 'a')").Error; err != nil {
				t.Fatal(err)
			}
			var n int64
			b.Raw("SELECT count(*) FROM tags").Scan(&n)
			if n != 0 {
				t.Errorf("a row of one test's database is in another's")
			}
		})
	}
}
