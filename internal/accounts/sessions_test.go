package accounts

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"campusnews/internal/audit"
)

// lastSeen reads the stored last-seen time of session sid.
func lastSeen(t *testing.T, s *Service, sid string) time.Time {
	t.Helper()
	var row session
	if err := s.db.Where("id = ?", sessionKey(sid)).Take(&row).Error; err != nil {
		t.Fatalf("read session: %v", err)
	}
	return row.LastSeenAt.UTC()
}

func TestSessionIdle(t *testing.T) {
	s, clk := newTestService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "ann@example.edu", "Ann", Writer)
	sid, err := s.StartSession(ctx, u.ID, "192.0.2.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	// Used a little under every SessionIdle, a session outlives SessionIdle.
	for i := 0; i < 3; i++ {
		clk.advance(SessionIdle - time.Minute)
		if _, err := s.SessionUser(ctx, sid); err != nil {
			t.Fatalf("used after %v: %v", SessionIdle-time.Minute, err)
		}
	}
	clk.advance(SessionIdle)
	if _, err := s.SessionUser(ctx, sid); !errors.Is(err, ErrNotFound) {
		t.Fatalf("idle for %v: %v, want ErrNotFound", SessionIdle, err)
	}
	var n int64
	if err := s.db.Model(&session{}).Count(&n).Error; err != nil || n != 0 {
		t.Errorf("idle session rows left: %d, %v", n, err)
	}
}

func TestSessionSeenAtMostOncePerMinute(t *testing.T) {
	s, clk := newTestService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "ann@example.edu", "Ann", Writer)
	sid, err := s.StartSession(ctx, u.ID, "192.0.2.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	start := lastSeen(t, s, sid)
	steps := []struct {
		advance time.Duration
		want    time.Duration // last seen, after start
	}{
		{30 * time.Second, 0},
		{29 * time.Second, 0},
		{time.Second, time.Minute},
		{10 * time.Second, time.Minute},
		{2 * time.Minute, 3*time.Minute + 10*time.Second},
	}
	for i, st := range steps {
		clk.advance(st.advance)
		if _, err := s.SessionUser(ctx, sid); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if got := lastSeen(t, s, sid).Sub(start); got != st.want {
			t.Errorf("step %d: last seen %v after start, want %v", i, got, st.want)
		}
	}
}

func TestStartSessionPrunesEnded(t *testing.T) {
	s, clk := newTestService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "ann@example.edu", "Ann", Writer)
	idle, _ := s.StartSession(ctx, u.ID, "ip", "idle")
	busy, _ := s.StartSession(ctx, u.ID, "ip", "busy")
	clk.advance(SessionIdle - time.Minute)
	if _, err := s.SessionUser(ctx, busy); err != nil {
		t.Fatal(err)
	}
	clk.advance(2 * time.Minute)
	if _, err := s.StartSession(ctx, u.ID, "ip", "new"); err != nil {
		t.Fatal(err)
	}
	var agents []string
	if err := s.db.Model(&session{}).Order("user_agent").Pluck("user_agent", &agents).Error; err != nil {
		t.Fatal(err)
	}
	if len(agents) != 2 || agents[0] != "busy" || agents[1] != "new" {
		t.Errorf("sessions left: %v, want [busy new]", agents)
	}
	if _, err := s.SessionUser(ctx, idle); !errors.Is(err, ErrNotFound) {
		t.Errorf("pruned session: %v", err)
	}
}

func TestChangePasswordEndsEverySession(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "ann@example.edu", "Ann", Writer)
	other := mustCreate(t, s, "bob@example.edu", "Bob", Writer)
	a, _ := s.StartSession(ctx, u.ID, "ip", "a")
	b, _ := s.StartSession(ctx, u.ID, "ip", "b")
	keep, _ := s.StartSession(ctx, other.ID, "ip", "other")
	if err := s.ChangePassword(ctx, from("192.0.2.1"), u.ID, testPassword, "another long passphrase"); err != nil {
		t.Fatal(err)
	}
	for _, sid := range []string{a, b} {
		if _, err := s.SessionUser(ctx, sid); !errors.Is(err, ErrNotFound) {
			t.Errorf("session survived a password change: %v", err)
		}
	}
	if _, err := s.SessionUser(ctx, keep); err != nil {
		t.Errorf("another account's session ended: %v", err)
	}
}

func TestEndSessions(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "ann@example.edu", "Ann", Writer)
	other := mustCreate(t, s, "bob@example.edu", "Bob", Writer)
	a, _ := s.StartSession(ctx, u.ID, "ip", "a")
	b, _ := s.StartSession(ctx, u.ID, "ip", "b")
	keep, _ := s.StartSession(ctx, other.ID, "ip", "other")
	act := audit.Actor{UserID: u.ID, Email: u.Email, IP: "192.0.2.1"}
	if err := s.EndSessions(ctx, act, u.ID); err != nil {
		t.Fatal(err)
	}
	for _, sid := range []string{a, b} {
		if _, err := s.SessionUser(ctx, sid); !errors.Is(err, ErrNotFound) {
			t.Errorf("session survived: %v", err)
		}
	}
	if _, err := s.SessionUser(ctx, keep); err != nil {
		t.Errorf("another account's session ended: %v", err)
	}
	var e audit.Entry
	if err := s.db.Where("action = ?", "logout.everywhere").Take(&e).Error; err != nil {
		t.Fatal(err)
	}
	if e.UserID == nil || *e.UserID != u.ID || e.Subject != fmt.Sprintf("user %d", u.ID) || e.Detail != "2 sessions ended" {
		t.Errorf("entry %+v", e)
	}
	if err := s.EndSessions(ctx, act, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown account: %v", err)
	}
}
