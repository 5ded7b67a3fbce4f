package accounts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"campusnews/internal/database/dbtest"
)

func TestAuthenticate(t *testing.T) {
	s, clk := newTestService(t)
	ctx := context.Background()
	mustCreate(t, s, "ann@example.edu", "Ann", Writer)
	off := mustCreate(t, s, "off@example.edu", "Off", Writer)
	if _, err := s.Update(ctx, adminActor, off.ID, UserUpdate{Name: "Off", Role: Writer, Active: false}); err != nil {
		t.Fatal(err)
	}

	u, err := s.Authenticate(ctx, from("192.0.2.1"), "ANN@example.edu", testPassword)
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
		u, err := s.Authenticate(ctx, from("192.0.2.1"), tc.email, tc.pw)
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
	if _, err := s.Create(ctx, adminActor, NewUser{Email: "l@example.edu", Name: "L", Role: Writer, Password: long}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, from("ip"), "l@example.edu", long); err != nil {
		t.Errorf("long password: %v", err)
	}
	if _, err := s.Authenticate(ctx, from("ip"), "l@example.edu", strings.Repeat("0123456789", 8)+"-tail-two"); !errors.Is(err, ErrInvalidCredentials) {
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

// failN makes n wrong-password attempts on email from ip, each of which must be checked.
func failN(t *testing.T, s *Service, n int, email, ip string) {
	t.Helper()
	for i := range n {
		if _, err := s.Authenticate(context.Background(), from(ip), email, "wrong-password!"); !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("failure %d of %s from %s: %v", i+1, email, ip, err)
		}
	}
}

func TestThrottlePerAccountAndAddress(t *testing.T) {
	s, clk := newTestService(t)
	ctx := context.Background()
	mustCreate(t, s, "ann@example.edu", "Ann", Writer)
	const ip = "198.51.100.1"
	for range 5 {
		clk.advance(time.Minute)
		failN(t, s, 1, "Ann@example.edu", ip)
	}
	// The limit opens as the oldest of the five leaves the fifteen minutes.
	_, err := s.Authenticate(ctx, from(ip), "ann@example.edu", testPassword)
	wantThrottled(t, err, 11*time.Minute)
	clk.advance(11*time.Minute - time.Second)
	_, err = s.Authenticate(ctx, from(ip), "ann@example.edu", testPassword)
	wantThrottled(t, err, time.Second)
	clk.advance(time.Second)
	if _, err := s.Authenticate(ctx, from(ip), "ann@example.edu", testPassword); err != nil {
		t.Fatalf("after the lock: %v", err)
	}

	// Success cleared the count of this address: four more failures do not lock.
	failN(t, s, 4, "ann@example.edu", ip)
	if _, err := s.Authenticate(ctx, from(ip), "ann@example.edu", testPassword); err != nil {
		t.Fatalf("four failures after a success locked the account: %v", err)
	}

	// Failures spread over more than the window do not add up.
	failN(t, s, 4, "ann@example.edu", "198.51.100.2")
	clk.advance(15*time.Minute + time.Second)
	failN(t, s, 1, "ann@example.edu", "198.51.100.2")
	if _, err := s.Authenticate(ctx, from("198.51.100.2"), "ann@example.edu", testPassword); err != nil {
		t.Errorf("old failures counted: %v", err)
	}
}

// A stranger's wrong passwords lock out the stranger, not the account's owner.
func TestStrangerCannotLockOutOwner(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	mustCreate(t, s, "ann@example.edu", "Ann", Writer)
	failN(t, s, 5, "ann@example.edu", "203.0.113.66")
	_, err := s.Authenticate(ctx, from("203.0.113.66"), "ann@example.edu", "wrong-password!")
	wantThrottled(t, err, 15*time.Minute)
	if _, err := s.Authenticate(ctx, from("192.0.2.10"), "ann@example.edu", testPassword); err != nil {
		t.Fatalf("the owner, from another address, was refused: %v", err)
	}
}

func TestThrottleUnknownAddress(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	failN(t, s, 5, "ghost@example.edu", "192.0.2.1")
	// An unknown address locks like a real one, so a lock does not reveal which exist.
	_, err := s.Authenticate(ctx, from("192.0.2.1"), "ghost@example.edu", "wrong-password!")
	wantThrottled(t, err, 15*time.Minute)
}

func TestThrottlePerIP(t *testing.T) {
	s, clk := newTestService(t)
	ctx := context.Background()
	mustCreate(t, s, "ann@example.edu", "Ann", Writer)
	const ip = "203.0.113.9"
	for i := range 50 {
		failN(t, s, 1, fmt.Sprintf("guess%d@example.edu", i%25), ip) // two tries each: no pair lock
	}
	_, err := s.Authenticate(ctx, from(ip), "ann@example.edu", testPassword)
	wantThrottled(t, err, time.Hour)
	if _, err := s.Authenticate(ctx, from("203.0.113.10"), "ann@example.edu", testPassword); err != nil {
		t.Errorf("another address was locked out too: %v", err)
	}
	// The /64 of an IPv6 client counts as one address.
	for i := range 50 {
		failN(t, s, 1, fmt.Sprintf("guess%d@example.edu", i%25), fmt.Sprintf("2001:db8:5:6::%x", i+1))
	}
	_, err = s.Authenticate(ctx, from("2001:db8:5:6:ffff::1"), "ann@example.edu", testPassword)
	wantThrottled(t, err, time.Hour)
	clk.advance(time.Hour)
	if _, err := s.Authenticate(ctx, from(ip), "ann@example.edu", testPassword); err != nil {
		t.Errorf("after the lock: %v", err)
	}
}

// Past fifty failures for one account within the hour, from however many addresses, an
// address that has failed for it waits, while one that has not may still try: the owner with
// the right password gets in, and each attacking address has one guess an hour.
func TestAccountCeilingOnlySlows(t *testing.T) {
	s, clk := newTestService(t)
	ctx := context.Background()
	mustCreate(t, s, "ann@example.edu", "Ann", Writer)
	for i := range 50 {
		failN(t, s, 1, "ann@example.edu", fmt.Sprintf("198.51.100.%d", i%12)) // 4 or 5 per address
	}
	clk.advance(10 * time.Minute)
	// An address that failed four times ten minutes ago is under its own limit, but the
	// account's ceiling now wants a clean address.
	_, err := s.Authenticate(ctx, from("198.51.100.5"), "ann@example.edu", testPassword)
	wantThrottled(t, err, 50*time.Minute)
	if _, err := s.Authenticate(ctx, from("192.0.2.77"), "ann@example.edu", testPassword); err != nil {
		t.Fatalf("the right password from a clean address was refused: %v", err)
	}
	failN(t, s, 1, "ann@example.edu", "203.0.113.5") // a fresh attacking address: one guess
	_, err = s.Authenticate(ctx, from("203.0.113.5"), "ann@example.edu", "wrong-password!")
	wantThrottled(t, err, 50*time.Minute) // when the first fifty leave the hour
	// Another account is not slowed.
	mustCreate(t, s, "bob@example.edu", "Bob", Writer)
	if _, err := s.Authenticate(ctx, from("198.51.100.1"), "bob@example.edu", testPassword); err != nil {
		t.Errorf("another account was slowed: %v", err)
	}
}

// Guesses in parallel, through two instances of the site, cannot slip past the limit.
func TestThrottleParallelGuesses(t *testing.T) {
	s, clk := newTestService(t)
	other := NewService(dbtest.Reopen(t, s.db))
	other.SetBcryptCost(bcrypt.MinCost)
	other.SetClock(clk.now)
	ctx := context.Background()
	mustCreate(t, s, "ann@example.edu", "Ann", Writer)
	var mu sync.Mutex
	var wrong, throttled int
	var wg sync.WaitGroup
	for i := range 30 {
		s := s
		if i%2 == 1 {
			s = other
		}
		wg.Go(func() {
			_, err := s.Authenticate(ctx, from("192.0.2.9"), "ann@example.edu", "wrong-password!")
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

// The counts live in the database: a second instance of the site sees the first one's.
func TestThrottleSharedBetweenInstances(t *testing.T) {
	s, clk := newTestService(t)
	other := NewService(dbtest.Reopen(t, s.db))
	other.SetBcryptCost(bcrypt.MinCost)
	other.SetClock(clk.now)
	mustCreate(t, s, "ann@example.edu", "Ann", Writer)
	failN(t, s, 3, "ann@example.edu", "192.0.2.1")
	failN(t, other, 2, "ann@example.edu", "192.0.2.1")
	_, err := s.Authenticate(context.Background(), from("192.0.2.1"), "ann@example.edu", testPassword)
	wantThrottled(t, err, 15*time.Minute)
}

// auditRows counts the audit entries with action.
func auditRows(t *testing.T, s *Service, action string) int64 {
	t.Helper()
	var n int64
	if err := s.db.Table("audit_entries").Where("action = ?", action).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// A lockout is recorded once, when it starts; the attempts it refuses write nothing, and what
// a stranger types is cut short in the log.
func TestThrottledAttemptsWriteNothing(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	long := strings.Repeat("x", 240) + "@example.edu"
	failN(t, s, 5, long, "192.0.2.1")
	if n := auditRows(t, s, "login.failed"); n != 5 {
		t.Errorf("%d login.failed entries, want 5", n)
	}
	if n := auditRows(t, s, "login.throttled"); n != 1 {
		t.Errorf("%d login.throttled entries at the start of the lockout, want 1", n)
	}
	var total, failures int64
	s.db.Table("audit_entries").Count(&total)
	s.db.Table("login_failures").Count(&failures)
	for range 1000 {
		_, err := s.Authenticate(ctx, from("192.0.2.1"), long, "wrong-password!")
		var te *ThrottledError
		if !errors.As(err, &te) {
			t.Fatalf("want throttled, got %v", err)
		}
	}
	var after, failuresAfter int64
	s.db.Table("audit_entries").Count(&after)
	s.db.Table("login_failures").Count(&failuresAfter)
	if after != total || failuresAfter != failures {
		t.Errorf("1000 throttled attempts wrote %d audit entries and %d counter rows, want none",
			after-total, failuresAfter-failures)
	}
	var longest int
	s.db.Raw("SELECT MAX(LENGTH(user_email)) FROM audit_entries").Scan(&longest)
	if longest > maxLoggedEmail {
		t.Errorf("a stranger put %d characters of e-mail address in the log", longest)
	}
}

// Counter rows older than the longest window are deleted as attempts come in.
func TestFailuresPruned(t *testing.T) {
	s, clk := newTestService(t)
	for i := range 20 {
		failN(t, s, 1, fmt.Sprintf("g%d@example.edu", i), "192.0.2.1")
	}
	clk.advance(time.Hour + time.Minute)
	failN(t, s, 1, "late@example.edu", "192.0.2.2")
	var n int64
	s.db.Table("login_failures").Count(&n)
	if n != 1 {
		t.Errorf("%d counter rows left, want only the new one", n)
	}
}

// Wrong current passwords on the account pages count like failed logins.
func TestChangePasswordThrottled(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "ann@example.edu", "Ann", Writer)
	for range 5 {
		fieldErrors(t, s.ChangePassword(ctx, from("192.0.2.3"), u.ID, "wrong-password!", "a-brand-new-secret"))
	}
	wantThrottled(t, s.ChangePassword(ctx, from("192.0.2.3"), u.ID, testPassword, "a-brand-new-secret"), 15*time.Minute)
	if _, err := s.Authenticate(ctx, from("192.0.2.3"), "ann@example.edu", testPassword); err == nil {
		t.Error("the login form from the same address was not throttled too")
	}
}

func TestSetPassword(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "ann@example.edu", "Ann", Writer)
	if ve := fieldErrors(t, s.SetPassword(ctx, adminActor, u.ID, "short", false)); ve["password"] == "" {
		t.Errorf("weak password: %v", ve)
	}
	if err := s.SetPassword(ctx, adminActor, u.ID, "a-brand-new-secret", true); err != nil {
		t.Fatal(err)
	}
	got, _ := s.ByID(ctx, u.ID)
	if got.SessionVersion != 2 || !got.MustChangePassword {
		t.Errorf("after set: version %d, must change %v", got.SessionVersion, got.MustChangePassword)
	}
	if _, err := s.Authenticate(ctx, from("ip"), "ann@example.edu", "a-brand-new-secret"); err != nil {
		t.Errorf("new password: %v", err)
	}
	if err := s.SetPassword(ctx, adminActor, 999, "a-brand-new-secret", false); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown account: %v", err)
	}
}

func TestChangePassword(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "ann@example.edu", "Ann", Writer)
	if err := s.SetPassword(ctx, adminActor, u.ID, testPassword, true); err != nil {
		t.Fatal(err)
	}
	sid, err := s.StartSession(ctx, u.ID, "ip", "test")
	if err != nil {
		t.Fatal(err)
	}
	before := sessionVersion(t, s, u.ID)

	ve := fieldErrors(t, s.ChangePassword(ctx, from("192.0.2.1"), u.ID, "not-the-password", "short"))
	if ve["current"] != "Current password is wrong" || ve["password"] == "" {
		t.Errorf("wrong current, weak next: %v", ve)
	}
	if sessionVersion(t, s, u.ID) != before {
		t.Error("a refused change bumped the session version")
	}
	// The password set for the owner cannot be chosen again as their own.
	ve = fieldErrors(t, s.ChangePassword(ctx, from("192.0.2.1"), u.ID, testPassword, testPassword))
	if ve["password"] != msgSamePassword || ve["current"] != "" {
		t.Errorf("next equal to current: %v", ve)
	}
	if got, _ := s.ByID(ctx, u.ID); got.SessionVersion != before || !got.MustChangePassword {
		t.Errorf("a refused change changed the account: version %d, must change %v", got.SessionVersion, got.MustChangePassword)
	}
	if err := s.ChangePassword(ctx, from("192.0.2.1"), u.ID, testPassword, "another-good-one"); err != nil {
		t.Fatal(err)
	}
	got, _ := s.ByID(ctx, u.ID)
	if got.SessionVersion != before+1 || got.MustChangePassword {
		t.Errorf("after change: version %d (was %d), must change %v", got.SessionVersion, before, got.MustChangePassword)
	}
	if _, err := s.SessionUser(ctx, sid); !errors.Is(err, ErrNotFound) {
		t.Errorf("session outlived the password change: %v", err)
	}
	if _, err := s.Authenticate(ctx, from("ip"), "ann@example.edu", testPassword); !errors.Is(err, ErrInvalidCredentials) {
		t.Errorf("old password still works: %v", err)
	}
	if _, err := s.Authenticate(ctx, from("ip"), "ann@example.edu", "another-good-one"); err != nil {
		t.Errorf("new password: %v", err)
	}
}

func TestAddrKey(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.7":            "192.0.2.7",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1": "2001:db8:1:2::/64",
		"::ffff:192.0.2.7":     "192.0.2.7",
		"not an address":       "not an address",
	} {
		if got := addrKey(in); got != want {
			t.Errorf("addrKey(%q) = %q, want %q", in, got, want)
		}
	}
}
