package search

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"campusnews/internal/database"
)

// TestContextInterruptsStatement checks what the budget relies on: with the pool and driver
// settings the site uses, a statement still running when its context ends is stopped. This
// one would never end on its own.
func TestContextInterruptsStatement(t *testing.T) {
	db := newTestDB(t)
	pg := database.Engine(db) == database.Postgres
	var pid int64
	if pg {
		// One connection, so that the query after the interrupt shows whether it survived.
		sqlDB, err := db.DB()
		if err != nil {
			t.Fatal(err)
		}
		sqlDB.SetMaxOpenConns(1)
		if err := db.Raw("SELECT pg_backend_pid()").Scan(&pid).Error; err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		var n int64
		done <- db.WithContext(ctx).Raw(`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)
			SELECT count(*) FROM c`).Scan(&n).Error
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("an endless statement ended without an error")
		}
	case <-time.After(time.Minute):
		t.Fatal("the statement went on after its context ended")
	}
	// The connection is usable again.
	var one int
	if err := db.Raw("SELECT 1").Scan(&one).Error; err != nil || one != 1 {
		t.Fatalf("after the interrupt: %v", err)
	}
	if !pg {
		return
	}
	// On PostgreSQL the server stopped the statement (the connection was not merely cut off,
	// leaving it to run), and the pool kept the connection.
	var after int64
	if err := db.Raw("SELECT pg_backend_pid()").Scan(&after).Error; err != nil || after != pid {
		t.Errorf("backend %d after the interrupt, %d before (%v): the connection was dropped", after, pid, err)
	}
	var running int64
	if err := db.Raw("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%RECURSIVE c(x)%' AND pid <> pg_backend_pid()").
		Scan(&running).Error; err != nil || running != 0 {
		t.Errorf("%d endless statements still running on the server (%v)", running, err)
	}
}

func TestSearchBudget(t *testing.T) {
	db := newTestDB(t)
	mustIndex(t, db, fixtureDocs...)
	q := Parse("graduates")
	defer SetBudget(SetBudget(time.Nanosecond))
	if _, err := Search(context.Background(), db, q, nil, 1, 10); !errors.Is(err, ErrTooSlow) {
		t.Fatalf("over budget: %v, want ErrTooSlow", err)
	}
	// A request that went away is not a slow search.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Search(ctx, db, q, nil, 1, 10); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v, want context.Canceled", err)
	}
	SetBudget(DefaultBudget)
	res, err := Search(context.Background(), db, q, nil, 1, 10)
	if err != nil || !slices.Equal(hitIDs(res.Hits), []int64{1}) {
		t.Fatalf("within budget: %v, %v", res, err)
	}
}

// TestSearchWaitsForATurn checks that searches beyond the ones running at once wait, and give
// up when their budget runs out while waiting.
func TestSearchWaitsForATurn(t *testing.T) {
	db := newTestDB(t)
	mustIndex(t, db, fixtureDocs...)
	for range cap(turns) {
		turns <- struct{}{}
	}
	defer SetBudget(SetBudget(20 * time.Millisecond))
	_, err := Search(context.Background(), db, Parse("graduates"), nil, 1, 10)
	if !errors.Is(err, ErrTooSlow) {
		t.Errorf("with every turn taken: %v, want ErrTooSlow", err)
	}
	<-turns
	if _, err := Search(context.Background(), db, Parse("graduates"), nil, 1, 10); err != nil {
		t.Errorf("with a turn free: %v", err)
	}
	for range cap(turns) - 1 {
		<-turns
	}
}
