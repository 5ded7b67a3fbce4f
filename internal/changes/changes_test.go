package changes_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/gorm"

	"campusnews/internal/changes"
	"campusnews/internal/database"
)

func open(t *testing.T, path string) *gorm.DB {
	t.Helper()
	db, err := database.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(db) })
	if _, err := database.Migrate(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestBumpMovesTheVersionOnlyWhenCommitted(t *testing.T) {
	ctx := context.Background()
	db := open(t, filepath.Join(t.TempDir(), "c.db"))
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

// A change committed through another handle on the file, as another process makes it, reaches
// a running watcher within a second.
func TestRunNoticesAnotherProcess(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	path := filepath.Join(t.TempDir(), "c.db")
	db := open(t, path)
	other := open(t, path)
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
