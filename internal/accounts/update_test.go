package accounts

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"campusnews/internal/database/dbtest"
)

func TestUpdate(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "ann@example.edu", "Ann", Writer)

	got, err := s.Update(ctx, adminActor, u.ID, UserUpdate{Name: " Ann Lee ", Role: Writer, Active: true})
	if err != nil || got.Name != "Ann Lee" || got.SessionVersion != 1 {
		t.Fatalf("rename: %+v, %v; want version kept at 1", got, err)
	}
	got, err = s.Update(ctx, adminActor, u.ID, UserUpdate{Name: "Ann Lee", Role: Editor, Active: true})
	if err != nil || got.Role != Editor || got.SessionVersion != 2 {
		t.Fatalf("role change: %+v, %v; want version 2", got, err)
	}
	got, err = s.Update(ctx, adminActor, u.ID, UserUpdate{Name: "Ann Lee", Role: Editor, Active: false})
	if err != nil || got.Active || got.SessionVersion != 3 {
		t.Fatalf("deactivate: %+v, %v; want version 3", got, err)
	}
	got, err = s.Update(ctx, adminActor, u.ID, UserUpdate{Name: "Ann Lee", Role: Editor, Active: true})
	if err != nil || !got.Active || got.SessionVersion != 3 {
		t.Fatalf("reactivate: %+v, %v; want version kept at 3", got, err)
	}

	for _, up := range []UserUpdate{
		{Name: "", Role: Editor, Active: true},
		{Name: strings.Repeat("x", 101), Role: Editor, Active: true},
		{Name: "Ann", Role: "boss", Active: true},
	} {
		if _, err := s.Update(ctx, adminActor, u.ID, up); len(fieldErrors(t, err)) != 1 {
			t.Errorf("%+v: %v", up, err)
		}
	}
	if _, err := s.Update(ctx, adminActor, 999, UserUpdate{Name: "X", Role: Writer, Active: true}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown account: %v", err)
	}
}

func TestLastAdmin(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	a := mustCreate(t, s, "a@example.edu", "A", Admin)
	b := mustCreate(t, s, "b@example.edu", "B", Admin)
	if _, err := s.Update(ctx, adminActor, b.ID, UserUpdate{Name: "B", Role: Admin, Active: false}); err != nil {
		t.Fatalf("deactivating one of two admins: %v", err)
	}
	// b is inactive now, so a is the last active administrator.
	tests := []struct {
		up     UserUpdate
		fields []string
	}{
		{UserUpdate{Name: "A", Role: Admin, Active: false}, []string{"active"}},
		{UserUpdate{Name: "A", Role: Editor, Active: true}, []string{"role"}},
		{UserUpdate{Name: "A", Role: Writer, Active: false}, []string{"active", "role"}},
	}
	for _, tc := range tests {
		ve := fieldErrors(t, func() error { _, err := s.Update(ctx, adminActor, a.ID, tc.up); return err }())
		for _, f := range tc.fields {
			if ve[f] == "" {
				t.Errorf("%+v: no error on %s: %v", tc.up, f, ve)
			}
		}
	}
	if got, _ := s.ByID(ctx, a.ID); !got.Active || got.Role != Admin || got.SessionVersion != 1 {
		t.Errorf("refused updates changed the account: %+v", got)
	}
	if _, err := s.Update(ctx, adminActor, a.ID, UserUpdate{Name: "Alice", Role: Admin, Active: true}); err != nil {
		t.Errorf("renaming the last admin: %v", err)
	}
	// With b back, a may step down.
	if _, err := s.Update(ctx, adminActor, b.ID, UserUpdate{Name: "B", Role: Admin, Active: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(ctx, adminActor, a.ID, UserUpdate{Name: "Alice", Role: Editor, Active: true}); err != nil {
		t.Errorf("demoting one of two active admins: %v", err)
	}
}

// Two administrators stepping each other down at once through two instances leave one of
// them an administrator.
func TestLastAdminAcrossInstances(t *testing.T) {
	s, clk := newTestService(t)
	other := NewService(dbtest.Reopen(t, s.db))
	other.SetClock(clk.now)
	ctx := context.Background()
	a := mustCreate(t, s, "a@example.edu", "A", Admin)
	b := mustCreate(t, s, "b@example.edu", "B", Admin)
	for range 5 {
		var wg sync.WaitGroup
		wg.Go(func() { s.Update(ctx, adminActor, a.ID, UserUpdate{Name: "A", Role: Editor, Active: true}) })     //nolint:errcheck
		wg.Go(func() { other.Update(ctx, adminActor, b.ID, UserUpdate{Name: "B", Role: Editor, Active: true}) }) //nolint:errcheck
		wg.Wait()
		var admins int64
		if err := s.db.Model(&User{}).Where("role = ? AND active = ?", Admin, true).Count(&admins).Error; err != nil {
			t.Fatal(err)
		}
		if admins != 1 {
			t.Fatalf("%d active administrators after both stepped down at once, want 1", admins)
		}
		for _, u := range []*User{a, b} {
			if _, err := s.Update(ctx, adminActor, u.ID, UserUpdate{Name: u.Name, Role: Admin, Active: true}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestSessions(t *testing.T) {
	s, clk := newTestService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "ann@example.edu", "Ann", Editor)
	sid, err := s.StartSession(ctx, u.ID, "192.0.2.1", strings.Repeat("agent", 200))
	if err != nil {
		t.Fatal(err)
	}
	var stored []session
	if err := s.db.Find(&stored).Error; err != nil || len(stored) != 1 {
		t.Fatalf("sessions stored: %v, %v", stored, err)
	}
	if stored[0].ID == sid || len(stored[0].UserAgent) > maxUserAgent {
		t.Errorf("stored session %+v: want the id hashed and the agent cut", stored[0])
	}
	if got, err := s.SessionUser(ctx, sid); err != nil || got.ID != u.ID {
		t.Fatalf("session user: %v, %v", got, err)
	}
	for _, bad := range []string{"", "nonsense", stored[0].ID} {
		if _, err := s.SessionUser(ctx, bad); !errors.Is(err, ErrNotFound) {
			t.Errorf("session %q: %v", bad, err)
		}
	}

	for used := time.Duration(0); used < SessionLifetime-time.Second; used += time.Hour {
		clk.advance(min(time.Hour, SessionLifetime-time.Second-used)) // in use, never idle
		if _, err := s.SessionUser(ctx, sid); err != nil {
			t.Fatalf("%v into the lifetime: %v", used, err)
		}
	}
	clk.advance(time.Second)
	if _, err := s.SessionUser(ctx, sid); !errors.Is(err, ErrNotFound) {
		t.Errorf("past the lifetime: %v", err)
	}

	sid, _ = s.StartSession(ctx, u.ID, "ip", "ua")
	if err := s.EndSession(ctx, from("ip"), sid); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionUser(ctx, sid); !errors.Is(err, ErrNotFound) {
		t.Errorf("after logout: %v", err)
	}
	if err := s.EndSession(ctx, from("ip"), sid); err != nil {
		t.Errorf("ending an ended session: %v", err)
	}
	if n := auditRows(t, s, "logout"); n != 1 {
		t.Errorf("%d logout entries, want 1", n)
	}

	sid, _ = s.StartSession(ctx, u.ID, "ip", "ua")
	if _, err := s.Update(ctx, adminActor, u.ID, UserUpdate{Name: "Ann", Role: Writer, Active: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionUser(ctx, sid); !errors.Is(err, ErrNotFound) {
		t.Errorf("after a role change: %v", err)
	}

	// A deactivated account is out even if its session row survived.
	sid, _ = s.StartSession(ctx, u.ID, "ip", "ua")
	if err := s.db.Model(&User{}).Where("id = ?", u.ID).Update("active", false).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionUser(ctx, sid); !errors.Is(err, ErrNotFound) {
		t.Errorf("session of a deactivated account: %v", err)
	}
	s.db.Model(&User{}).Where("id = ?", u.ID).Update("active", true) //nolint:errcheck

	sid, _ = s.StartSession(ctx, u.ID, "ip", "ua")
	if _, err := s.Update(ctx, adminActor, u.ID, UserUpdate{Name: "Ann", Role: Writer, Active: false}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionUser(ctx, sid); !errors.Is(err, ErrNotFound) {
		t.Errorf("after deactivation: %v", err)
	}
	if _, err := s.StartSession(ctx, u.ID, "ip", "ua"); !errors.Is(err, ErrInactive) {
		t.Errorf("session for a deactivated account: %v", err)
	}
}
