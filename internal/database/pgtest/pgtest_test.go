package pgtest

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

// Each test gets its own database; a clone starts with what the template's build put there.
func TestDatabasesAreSeparateAndClonesCopyTheTemplate(t *testing.T) {
	ctx := context.Background()
	a, b := URL(t), URL(t)
	if a == b {
		t.Fatal("two tests share a database")
	}
	if _, err := connect(t, a).Exec(ctx, "CREATE TABLE only_in_a (x int)"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := connect(t, b).QueryRow(ctx, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_a'").Scan(&n); err != nil || n != 0 {
		t.Fatalf("table of one database seen in another: %d, %v", n, err)
	}
	builds := 0
	build := func(url string) error {
		builds++
		c, err := pgx.Connect(ctx, url)
		if err != nil {
			return err
		}
		defer c.Close(ctx)
		_, err = c.Exec(ctx, "CREATE TABLE greeting (words text); INSERT INTO greeting VALUES ('hello')")
		return err
	}
	for range 2 {
		var words string
		if err := connect(t, Clone(t, "greeting", build)).QueryRow(ctx, "SELECT words FROM greeting").Scan(&words); err != nil || words != "hello" {
			t.Fatalf("clone holds %q, %v", words, err)
		}
	}
	if builds != 1 {
		t.Errorf("template built %d times, want once", builds)
	}
	t.Logf("cluster started in %v", StartTime())
}
