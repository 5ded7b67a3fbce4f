package audit

import (
	"context"
	"os"
	"testing"
	"time"

	"campusnews/internal/database/dbtest"
	"campusnews/internal/database/pgtest"
)

// The tests run on the engine dbtest.Engine names; PostgreSQL's cluster stops when they end.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func newTestLog(t *testing.T) *Log {
	t.Helper()
	db := dbtest.Open(t, dbtest.Engine())
	return New(db)
}

// Entries older than their retention are deleted: failed logins after a month, everything
// else after a year.
func TestPrune(t *testing.T) {
	l := newTestLog(t)
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	staff := int64(7)
	entries := []struct {
		e    Entry
		age  time.Duration
		kept bool
	}{
		{Entry{Action: "article.publish", UserID: &staff}, 364 * day, true},
		{Entry{Action: "article.publish", UserID: &staff}, 366 * day, false},
		{Entry{Action: "article.publish.scheduled"}, 200 * day, true},
		{Entry{Action: "user.create", Detail: "x (command line)"}, 400 * day, false},
		{Entry{Action: "login", UserID: &staff}, 40 * day, true},
		{Entry{Action: "login.failed", UserEmail: "guess@example.edu"}, 29 * day, true},
		{Entry{Action: "login.failed", UserEmail: "guess@example.edu"}, 31 * day, false},
		{Entry{Action: "login.throttled", UserEmail: "guess@example.edu"}, 31 * day, false},
		{Entry{Action: "login.failed", UserID: &staff, Detail: "two-factor"}, 45 * day, false},
	}
	for _, c := range entries {
		c.e.At = now.Add(-c.age)
		if err := l.Record(ctx, c.e); err != nil {
			t.Fatal(err)
		}
	}
	// A backlog larger than one batch goes too.
	backlog := make([]Entry, 2*pruneBatch+10)
	for i := range backlog {
		backlog[i] = Entry{Action: "login.failed", UserEmail: "flood@example.edu", At: now.Add(-40 * day)}
	}
	if err := l.db.CreateInBatches(backlog, 500).Error; err != nil {
		t.Fatal(err)
	}
	n, err := l.Prune(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(len(backlog) + 5); n != want {
		t.Errorf("pruned %d entries, want %d", n, want)
	}
	left, total, err := l.List(ctx, Filter{}, 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	if total != 4 {
		t.Errorf("%d entries left, want 4: %+v", total, left)
	}
	for _, e := range left {
		age := now.Sub(e.At)
		for _, c := range entries {
			if c.e.Action == e.Action && c.age == age && !c.kept {
				t.Errorf("%s of %v ago was kept", e.Action, age)
			}
		}
	}
	if n, err := l.Prune(ctx, now); err != nil || n != 0 {
		t.Errorf("second prune: %d, %v", n, err)
	}
}
