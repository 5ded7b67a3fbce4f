package accounts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestAuthenticate(t *testing.T) {
	s, clk := newTestService(t)
	ctx := context.Background()
	mustCreate(t, s, "ann@example.edu", "Ann", Writer)
	off := mustCreate(t, s, "off@example.edu", "Off", Writer)
	if _, err := s.Update(ctx, off.ID, UserUpdate{Name: "Off", Role: Writer, Active: false}); err != nil {
		t.Fatal(err)
	}

	u, err := s.Authenticate(ctx, "ANN@example.edu", testPassword, "192.0.2.1")
	if err != nil || u.Email != "ann@example.edu" {
		t.Fatalf("right password: %v, %v", u, err)
	}
	stored, _ := s.ByID(ctx, u.ID)
	if stored.LastLoginAt == nil || !stored.LastLoginAt.Equal(clk.now()) {
		t.Errorf("last login %v, want %v", stored.LastLoginAt, clk.now())
	}

	for _, tc := range []struct{ name, email, pw string }{
		{"wrong password", "ann@example.edu", testPassword + "x"},
		{"unknown address", "nobody@example.edu", testPassword},
		{"deactivated", "off@example.edu", testPassword},
		{"empty", "", ""},
	} {
		u, err := s.Authenticate(ctx, tc.email, tc.pw, "192.0.2.1")
		if err != ErrInvalidCredentials || u != nil { //nolint:errorlint // exactly this error, not a wrapped one
			t.Errorf("%s: %v, %v; want ErrInvalidCredentials", tc.name, u, err)
		}
	}
	if s.dummyHash == "" {
		t.Error("an unknown address did not cost a bcrypt comparison")
	}
}

func TestLongPassword(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	long := strings.Repeat("0123456789", 8) + "-tail-one" // past bcrypt's 72 bytes
	if _, err := s.Create(ctx, NewUser{Email: "l@example.edu", Name: "L", Role: Writer, Password: long}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, "l@example.edu", long, "ip"); err != nil {
		t.Errorf("long password: %v", err)
	}
	if _, err := s.Authenticate(ctx, "l@example.edu", strings.Repeat("0123456789", 8)+"-tail-two", "ip"); !errors.Is(err, ErrInvalidCredentials) {
		t.Errorf("a password differing after 72 bytes was accepted: %v", err)
	}
}

// wantThrottled fails unless err is a *ThrottledError asking to wait about wait.
func wantThrottled(t *testing.T, err error, wait time.Duration) {
	t.Helper()
	var te *ThrottledError
	if !errors.As(err, &te) {
		t.Fatalf("want *ThrottledError, got %v", err)
	}
	if te.RetryAfter != wait {
		t.Errorf("retry after %v, want %v", te.RetryAfter, wait)
	}
	if te.Error() != "accounts: too many failed logins" {
		t.Errorf("message %q", te.Error())
	}
}

func TestThrottlePerAccount(t *testing.T) {
	s, clk := newTestService(t)
	ctx := context.Background()
	mustCreate(t, s, "ann@example.edu", "Ann", Writer)
	for i := range 5 {
		clk.advance(time.Minute)
		ip := fmt.Sprintf("192.0.2.%d", i) // a different address each time: the account limit acts alone
		if _, err := s.Authenticate(ctx, "Ann@example.edu", "wrong-password!", ip); !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	_, err := s.Authenticate(ctx, "ann@example.edu", testPassword, "198.51.100.1")
	wantThrottled(t, err, 15*time.Minute)
	clk.advance(15*time.Minute - time.Second)
	_, err = s.Authenticate(ctx, "ann@example.edu", testPassword, "198.51.100.1")
	wantThrottled(t, err, time.Second)
	clk.advance(time.Second)
	for range 4 {
		if _, err := s.Authenticate(ctx, "ann@example.edu", "wrong-password!", "198.51.100.1"); !errors.Is(err, ErrInvalidCredentials) {
			t.Fatal(err)
		}
	}
	if _, err := s.Authenticate(ctx, "ann@example.edu", testPassword, "198.51.100.1"); err != nil {
		t.Fatalf("after the lock: %v", err)
	}

	// Success cleared the count: four more failures do not lock.
	for range 4 {
		if _, err := s.Authenticate(ctx, "ann@example.edu", "wrong-password!", "198.51.100.1"); !errors.Is(err, ErrInvalidCredentials) {
			t.Fatal(err)
		}
	}
	if _, err := s.Authenticate(ctx, "ann@example.edu", testPassword, "198.51.100.1"); err != nil {
		t.Fatalf("four failures after a success locked the account: %v", err)
	}

	// Failures spread over more than the window do not add up.
	for range 4 {
		s.Authenticate(ctx, "ann@example.edu", "wrong-password!", "198.51.100.2") //nolint:errcheck
	}
	clk.advance(15*time.Minute + time.Second)
	s.Authenticate(ctx, "ann@example.edu", "wrong-password!", "198.51.100.2") //nolint:errcheck
	if _, err := s.Authenticate(ctx, "ann@example.edu", testPassword, "198.51.100.2"); err != nil {
		t.Errorf("old failures counted: %v", err)
	}
}

func TestThrottleUnknownAddress(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	for range 5 {
		s.Authenticate(ctx, "ghost@example.edu", "wrong-password!", "192.0.2.1") //nolint:errcheck
	}
	// An unknown address locks like a real one, so a lock does not reveal which exist.
	_, err := s.Authenticate(ctx, "ghost@example.edu", "wrong-password!", "192.0.2.2")
	wantThrottled(t, err, 15*time.Minute)
}

func TestThrottlePerIP(t *testing.T) {
	s, clk := newTestService(t)
	ctx := context.Background()
	mustCreate(t, s, "ann@example.edu", "Ann", Writer)
	const ip = "203.0.113.9"
	for i := range 20 {
		email := fmt.Sprintf("guess%d@example.edu", i%5) // four tries each: no account lock
		if _, err := s.Authenticate(ctx, email, "wrong-password!", ip); !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	_, err := s.Authenticate(ctx, "ann@example.edu", testPassword, ip)
	wantThrottled(t, err, 15*time.Minute)
	if _, err := s.Authenticate(ctx, "ann@example.edu", testPassword, "203.0.113.10"); err != nil {
		t.Errorf("another address was locked out too: %v", err)
	}
	clk.advance(15 * time.Minute)
	if _, err := s.Authenticate(ctx, "ann@example.edu", testPassword, ip); err != nil {
		t.Errorf("after the lock: %v", err)
	}
}

func TestThrottleParallelGuesses(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	mustCreate(t, s, "ann@example.edu", "Ann", Writer)
	var mu sync.Mutex
	var wrong, throttled int
	var wg sync.WaitGroup
	for i := range 30 {
		wg.Go(func() {
			_, err := s.Authenticate(ctx, "ann@example.edu", "wrong-password!", fmt.Sprintf("192.0.2.%d", i))
			var te *ThrottledError
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.Is(err, ErrInvalidCredentials):
				wrong++
			case errors.As(err, &te):
				throttled++
			default:
				t.Errorf("unexpected %v", err)
			}
		})
	}
	wg.Wait()
	if wrong > 5 || wrong+throttled != 30 {
		t.Errorf("%d passwords checked, %d throttled; at most 5 may be checked", wrong, throttled)
	}
}

func TestThrottleBounded(t *testing.T) {
	th := newThrottle(5, time.Minute)
	th.maxKeys = 50
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 500 {
		key := fmt.Sprint(i)
		if th.begin(key, now) != 0 {
			t.Fatalf("fresh key %s refused", key)
		}
		th.fail(key, now)
		now = now.Add(time.Second)
		if th.size() > 50 {
			t.Fatalf("%d keys remembered, limit 50", th.size())
		}
	}
	// Once their failures are old, a sweep forgets them all.
	now = now.Add(2 * time.Minute)
	th.prune(now)
	if th.size() != 0 {
		t.Errorf("%d stale keys kept", th.size())
	}
}

func TestSetPassword(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "ann@example.edu", "Ann", Writer)
	if ve := fieldErrors(t, s.SetPassword(ctx, u.ID, "short", false)); ve["password"] == "" {
		t.Errorf("weak password: %v", ve)
	}
	if err := s.SetPassword(ctx, u.ID, "a-brand-new-secret", true); err != nil {
		t.Fatal(err)
	}
	got, _ := s.ByID(ctx, u.ID)
	if got.SessionVersion != 2 || !got.MustChangePassword {
		t.Errorf("after set: version %d, must change %v", got.SessionVersion, got.MustChangePassword)
	}
	if _, err := s.Authenticate(ctx, "ann@example.edu", "a-brand-new-secret", "ip"); err != nil {
		t.Errorf("new password: %v", err)
	}
	if err := s.SetPassword(ctx, 999, "a-brand-new-secret", false); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown account: %v", err)
	}
}

func TestChangePassword(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "ann@example.edu", "Ann", Writer)
	if err := s.SetPassword(ctx, u.ID, testPassword, true); err != nil {
		t.Fatal(err)
	}
	sid, err := s.StartSession(ctx, u.ID, "ip", "test")
	if err != nil {
		t.Fatal(err)
	}
	before := sessionVersion(t, s, u.ID)

	ve := fieldErrors(t, s.ChangePassword(ctx, u.ID, "not-the-password", "short"))
	if ve["current"] != "Current password is wrong" || ve["password"] == "" {
		t.Errorf("wrong current, weak next: %v", ve)
	}
	if sessionVersion(t, s, u.ID) != before {
		t.Error("a refused change bumped the session version")
	}
	// The password set for the owner cannot be chosen again as their own.
	ve = fieldErrors(t, s.ChangePassword(ctx, u.ID, testPassword, testPassword))
	if ve["password"] != msgSamePassword || ve["current"] != "" {
		t.Errorf("next equal to current: %v", ve)
	}
	if got, _ := s.ByID(ctx, u.ID); got.SessionVersion != before || !got.MustChangePassword {
		t.Errorf("a refused change changed the account: version %d, must change %v", got.SessionVersion, got.MustChangePassword)
	}
	if err := s.ChangePassword(ctx, u.ID, testPassword, "another-good-one"); err != nil {
		t.Fatal(err)
	}
	got, _ := s.ByID(ctx, u.ID)
	if got.SessionVersion != before+1 || got.MustChangePassword {
		t.Errorf("after change: version %d (was %d), must change %v", got.SessionVersion, before, got.MustChangePassword)
	}
	if _, err := s.SessionUser(ctx, sid); !errors.Is(err, ErrNotFound) {
		t.Errorf("session outlived the password change: %v", err)
	}
	if _, err := s.Authenticate(ctx, "ann@example.edu", testPassword, "ip"); !errors.Is(err, ErrInvalidCredentials) {
		t.Errorf("old password still works: %v", err)
	}
	if _, err := s.Authenticate(ctx, "ann@example.edu", "another-good-one", "ip"); err != nil {
		t.Errorf("new password: %v", err)
	}
}

func TestAddrKey(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.7":            "192.0.2.7",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1": "2001:db8:1:2::/64",
		"::ffff:192.0.2.7":     "::ffff:192.0.2.7",
		"not an address":       "not an address",
	} {
		if got := addrKey(in); got != want {
			t.Errorf("addrKey(%q) = %q, want %q", in, got, want)
		}
	}
}
