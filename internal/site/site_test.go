package site

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"gorm.io/gorm"

	"campusnews/internal/audit"
	"campusnews/internal/changes"
	"campusnews/internal/database/dbtest"
	"campusnews/internal/database/pgtest"
	"campusnews/internal/validate"
)

// The tests run on the engine dbtest.Engine names; PostgreSQL's cluster stops when they end.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var admin = audit.Actor{UserID: 1, Email: "admin@example.edu", IP: "192.0.2.1"}

// openDB opens a fresh migrated database.
func openDB(t *testing.T) *gorm.DB {
	t.Helper()
	return dbtest.Open(t, dbtest.Engine())
}

// newService returns a Service on db with a watcher of its own, as a process has.
func newService(t *testing.T, db *gorm.DB) (*Service, *changes.Watcher) {
	t.Helper()
	w, err := changes.NewWatcher(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return NewService(db, w), w
}

func TestSettingsSaveAndValidate(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	s, w := newService(t, db)
	st, err := s.Get(ctx)
	if err != nil || st.Name != Defaults.Name || st.Location().String() != "UTC" {
		t.Fatalf("defaults: %+v, %v", st, err)
	}
	gen := w.Gen()
	st.Name, st.TimeZone, st.Require2FA = "  Campus Herald ", "Europe/Berlin", true
	if err := s.Save(ctx, admin, st); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Get(ctx)
	if got.Name != "Campus Herald" || got.Location().String() != "Europe/Berlin" || !got.Require2FA {
		t.Fatalf("after save: %+v", got)
	}
	// What readers see moved on, in this process at once.
	if w.Gen() == gen {
		t.Error("saving the settings did not move the content version")
	}
	var e audit.Entry
	if err := db.Where("action = ?", "settings.update").Take(&e).Error; err != nil {
		t.Fatal(err)
	}
	if e.UserID == nil || *e.UserID != 1 || e.Subject != "site settings" ||
		e.Detail != "name: Campus Herald; time zone: Europe/Berlin; two-factor login required" {
		t.Errorf("audit entry %+v", e)
	}
	// A fresh service reads what was stored.
	if again, _ := newServiceGet(t, db); again.Name != "Campus Herald" {
		t.Fatalf("stored name %q", again.Name)
	}
	// Saving the same settings again changes nothing and records nothing.
	gen = w.Gen()
	if err := s.Save(ctx, admin, got); err != nil {
		t.Fatal(err)
	}
	var n int64
	db.Model(&audit.Entry{}).Where("action = ?", "settings.update").Count(&n)
	if n != 1 || w.Gen() != gen {
		t.Errorf("an unchanged save: %d entries, version moved %v", n, w.Gen() != gen)
	}

	bad := got
	bad.Name, bad.TimeZone = "", "Mars/Olympus"
	var ve validate.Errors
	if err := s.Save(ctx, admin, bad); !errors.As(err, &ve) || ve["name"] == "" || ve["time_zone"] == "" {
		t.Fatalf("invalid settings: %v", err)
	}
	if cur, _ := s.Get(ctx); cur.Name != "Campus Herald" {
		t.Fatalf("a refused save changed the name to %q", cur.Name)
	}
}

// waitWatching returns once w's Run notices commits: until its first look at the database,
// a commit would be taken for the state it starts from.
func waitWatching(t *testing.T, db *gorm.DB, w *changes.Watcher) {
	t.Helper()
	gen := w.Gen()
	for start := time.Now(); w.Gen() == gen; time.Sleep(20 * time.Millisecond) {
		if time.Since(start) > 10*time.Second {
			t.Fatal("the watcher does not run")
		}
		if err := db.Transaction(changes.Bump); err != nil {
			t.Fatal(err)
		}
	}
}

func newServiceGet(t *testing.T, db *gorm.DB) (Settings, error) {
	s, _ := newService(t, db)
	return s.Get(context.Background())
}

// Settings saved by another process (here a second service on its own connection to the same
// file) show in this one within a second, without a restart.
func TestSettingsFromAnotherProcess(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db := openDB(t)
	first, w := newService(t, db)
	go w.Run(ctx, 0, slog.New(slog.NewTextHandler(io.Discard, nil)))
	waitWatching(t, db, w)
	if st, err := first.Get(ctx); err != nil || st.Name != Defaults.Name {
		t.Fatalf("first read: %+v, %v", st, err)
	}
	second, _ := newService(t, dbtest.Reopen(t, db))
	st := Defaults
	st.Name = "Saved Elsewhere"
	if err := second.Save(ctx, admin, st); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for {
		got, err := first.Get(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name == "Saved Elsewhere" {
			break
		}
		if time.Since(start) > time.Second {
			t.Fatalf("after %v the first service still shows %q", time.Since(start), got.Name)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("seen after %v", time.Since(start))
}
