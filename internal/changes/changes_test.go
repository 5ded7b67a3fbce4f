package changes_test

import (
	"context"
	"log/slog"
	"os"
	"testing"
	"time"

	"gorm.io/gorm"

	"campusnews/internal/changes"
	"campusnews/internal/database"
	"campusnews/internal/database/dbtest"
	"campusnews/internal/database/pgtest"
)

// The tests run on the engine dbtest.Engine names; PostgreSQL's cluster stops when they end.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func open(t *testing.T) *gorm.DB {
	t.Helper()
	return dbtest.Open(t, dbtest.Engine())
}

func TestBumpMovesTheVersionOnlyWhenCommitted(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	w, err := changes.NewWatcher(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	before := w.Version()
	// A rolled-back change leaves the version as it was.
	_ = db.Transaction(func(tx *gorm.DB) error {
		if err := changes.Bump(tx); err != nil {
			t.Fatal(err)
		}
		return context.Canceled
	})
	if err := w.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if w.Gen() != before.Gen {
		t.Fatalf("gen after rollback = %d, want %d", w.Gen(), before.Gen)
	}
	if err := db.Transaction(func(tx *gorm.DB) error { return changes.Bump(tx) }); err != nil {
		t.Fatal(err)
	}
	if w.Gen() != before.Gen {
		t.Fatal("the watcher moved before Sync or a poll")
	}
	if err := w.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	after := w.Version()
	if after.Gen != before.Gen+1 {
		t.Fatalf("gen = %d, want %d", after.Gen, before.Gen+1)
	}
	if after.Since.Before(before.Since) {
		t.Fatalf("since went back: %v before %v", after.Since, before.Since)
	}
}

// A change committed through another handle on the database, as another process makes it,
// reaches a running watcher within a second.
func TestRunNoticesAnotherProcess(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db := open(t)
	other := dbtest.Reopen(t, db)
	w, err := changes.NewWatcher(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); w.Run(ctx, 20*time.Millisecond, slog.Default()) }()
	defer func() { cancel(); <-done }()
	start := w.Gen()
	if err := other.Transaction(func(tx *gorm.DB) error { return changes.Bump(tx) }); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Second)
	for w.Gen() == start {
		if time.Now().After(deadline) {
			t.Fatal("a change from another handle was not noticed within 1 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// On PostgreSQL a change committed elsewhere arrives as a notification: it shows at once, long
// before the next poll, and a rolled-back change sends none.
func TestRunHearsNotifications(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db := open(t)
	if database.Engine(db) != database.Postgres {
		t.Skip("notifications are PostgreSQL's")
	}
	other := dbtest.Reopen(t, db)
	w, err := changes.NewWatcher(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); w.Run(ctx, time.Hour, slog.Default()) }()
	defer func() { cancel(); <-done }()
	for start := time.Now(); !w.Listening(); time.Sleep(5 * time.Millisecond) {
		if time.Since(start) > 10*time.Second {
			t.Fatal("the watcher does not listen")
		}
	}
	for range 3 {
		start := w.Gen()
		if err := other.Transaction(changes.Bump); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(time.Second)
		for w.Gen() == start {
			if time.Now().After(deadline) {
				t.Fatal("a notified change did not arrive within 1 s (the poll is an hour away)")
			}
			time.Sleep(2 * time.Millisecond)
		}
		if w.Gen() != start+1 {
			t.Errorf("gen %d after one change from %d", w.Gen(), start)
		}
	}
	// A stopping server is not held up by the listening connection.
	cancel()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatal("Run did not return within 1 s of its context's end")
	}
}
