package accounts

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"campusnews/internal/database/dbtest"
)

// enableTOTP turns two-factor sign-in on for id and returns the secret and recovery codes.
func enableTOTP(t *testing.T, s *Service, id int64) (string, []string) {
	t.Helper()
	ctx := context.Background()
	u, err := s.ByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	key, err := NewTOTPKey(u.Email)
	if err != nil {
		t.Fatal(err)
	}
	secret := key.Secret()
	code, err := totp.GenerateCode(secret, s.now())
	if err != nil {
		t.Fatal(err)
	}
	codes, err := s.EnableTOTP(ctx, from("192.0.2.1"), id, TOTPEnable{Password: testPassword, Secret: secret, Code: code})
	if err != nil {
		t.Fatal(err)
	}
	return secret, codes
}

// enable is EnableTOTP with the test password.
func enable(s *Service, id int64, secret, code string) ([]string, error) {
	return s.EnableTOTP(context.Background(), from("192.0.2.1"), id, TOTPEnable{Password: testPassword, Secret: secret, Code: code})
}

// wantFieldError fails unless err is validate.Errors with a message on field alone.
func wantFieldError(t *testing.T, err error, field string) {
	t.Helper()
	ve := fieldErrors(t, err)
	if ve[field] == "" || len(ve) != 1 {
		t.Errorf("errors %v, want one on %s", ve, field)
	}
}

func TestEnableTOTP(t *testing.T) {
	s, clk := newTestService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "ann@example.edu", "Ann", Editor)

	_, err := enable(s, u.ID, "", "123456")
	wantFieldError(t, err, "code")
	key, err := NewTOTPKey(u.Email)
	if err != nil {
		t.Fatal(err)
	}
	secret, url := key.Secret(), key.URL()
	_ = ctx
	if !strings.HasPrefix(url, "otpauth://totp/campusnews:ann@example.edu?") || !strings.Contains(url, "issuer=campusnews") ||
		!strings.Contains(url, "secret="+secret) {
		t.Errorf("otpauth URL %q", url)
	}
	if got, _ := s.ByID(ctx, u.ID); got.TOTPSecret != "" || got.TOTPEnabled {
		t.Errorf("a new key changed the account: secret %q, enabled %v", got.TOTPSecret, got.TOTPEnabled)
	}
	stale, _ := totp.GenerateCode(secret, clk.now().Add(-2*time.Minute))
	other, _ := NewTOTPKey(u.Email)
	otherCode, _ := totp.GenerateCode(other.Secret(), clk.now())
	for _, bad := range []string{"", "abcdef", "12345", stale, otherCode} {
		_, err := enable(s, u.ID, secret, bad)
		wantFieldError(t, err, "code")
	}
	code, _ := totp.GenerateCode(secret, clk.now())
	codes, err := enable(s, u.ID, secret, code[:3]+" "+code[3:]) // as apps show it
	if err != nil {
		t.Fatal(err)
	}
	format := regexp.MustCompile(`^[a-z]{4}-[a-z]{4}-[a-z]{4}$`)
	seen := map[string]bool{}
	for _, c := range codes {
		if !format.MatchString(c) || seen[c] {
			t.Errorf("recovery code %q: bad format or repeated", c)
		}
		seen[c] = true
	}
	got, _ := s.ByID(ctx, u.ID)
	if len(codes) != 10 || !got.TOTPEnabled || got.RecoveryCodesLeft() != 10 {
		t.Errorf("%d codes, enabled %v, %d stored", len(codes), got.TOTPEnabled, got.RecoveryCodesLeft())
	}
	for _, c := range codes {
		if strings.Contains(got.RecoveryCodes, c) || strings.Contains(got.RecoveryCodes, strings.ReplaceAll(c, "-", "")) {
			t.Errorf("recovery code %q stored in clear", c)
		}
	}
	if got.TOTPSecret != secret {
		t.Error("the enabled secret is not the one the app holds")
	}
	if _, err := enable(s, u.ID, secret, code); !errors.Is(err, ErrTOTPEnabled) {
		t.Errorf("enable twice: %v", err)
	}
}

// Turning two-factor login on takes the password, and ends every other session of the
// account: someone holding a stolen session cannot enrol their own phone, nor keep a session
// opened before the owner did.
func TestEnableTOTPNeedsPasswordEndsOtherSessions(t *testing.T) {
	s, clk := newTestService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "ann@example.edu", "Ann", Editor)
	here, _ := s.StartSession(ctx, u.ID, "192.0.2.1", "here")
	there, _ := s.StartSession(ctx, u.ID, "198.51.100.9", "there")
	key, _ := NewTOTPKey(u.Email)
	code, _ := totp.GenerateCode(key.Secret(), clk.now())
	in := TOTPEnable{Password: "not-the-password", Secret: key.Secret(), Code: code, Keep: here}
	_, err := s.EnableTOTP(ctx, from("192.0.2.1"), u.ID, in)
	wantFieldError(t, err, "password")
	if got, _ := s.ByID(ctx, u.ID); got.TOTPEnabled {
		t.Fatal("enabled with a wrong password")
	}
	in.Password = testPassword
	if _, err := s.EnableTOTP(ctx, from("192.0.2.1"), u.ID, in); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionUser(ctx, here); err != nil {
		t.Errorf("the session that enabled it ended: %v", err)
	}
	if _, err := s.SessionUser(ctx, there); !errors.Is(err, ErrNotFound) {
		t.Errorf("another session survived: %v", err)
	}
	if n := auditRows(t, s, "2fa.enable"); n != 1 {
		t.Errorf("%d 2fa.enable entries", n)
	}
}

// The code that proved the setup is spent: it cannot also finish a login.
func TestEnrolmentCodeIsSpent(t *testing.T) {
	s, clk := newTestService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "ann@example.edu", "Ann", Editor)
	key, _ := NewTOTPKey(u.Email)
	code, _ := totp.GenerateCode(key.Secret(), clk.now())
	if _, err := enable(s, u.ID, key.Secret(), code); err != nil {
		t.Fatal(err)
	}
	clk.advance(5 * time.Second) // the same thirty-second step
	if _, err := s.Authenticate(ctx, from("192.0.2.1"), u.Email, testPassword); err != nil {
		t.Fatal(err)
	}
	if err := s.VerifySecondFactor(ctx, from("192.0.2.1"), u.ID, code); !errors.Is(err, ErrTOTPInvalid) {
		t.Errorf("the enrolment code logged in: %v", err)
	}
	clk.advance(30 * time.Second)
	next, _ := totp.GenerateCode(key.Secret(), clk.now())
	if err := s.VerifySecondFactor(ctx, from("192.0.2.1"), u.ID, next); err != nil {
		t.Errorf("the next code: %v", err)
	}
}

func TestVerifySecondFactor(t *testing.T) {
	s, clk := newTestService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "ann@example.edu", "Ann", Editor)
	secret, codes := enableTOTP(t, s, u.ID)

	// The password alone is not yet a login.
	if _, err := s.Authenticate(ctx, from("ip"), "ann@example.edu", testPassword); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ByID(ctx, u.ID); got.LastLoginAt != nil {
		t.Errorf("login recorded before the second factor")
	}

	clk.advance(time.Hour)
	tests := []struct {
		name string
		at   time.Duration // code generated this far from now
		ok   bool
	}{
		// Steps only move forward: each accepted code's step must be later than the last.
		{"one step behind", -30 * time.Second, true},
		{"current", 0, true},
		{"the same code again", 0, false},
		{"one step behind after current", -30 * time.Second, false},
		{"one step ahead", 30 * time.Second, true},
		{"three steps behind", -90 * time.Second, false},
	}
	for _, tc := range tests {
		code, _ := totp.GenerateCode(secret, clk.now().Add(tc.at))
		err := s.VerifySecondFactor(ctx, from("192.0.2.1"), u.ID, code)
		if (err == nil) != tc.ok || (!tc.ok && !errors.Is(err, ErrTOTPInvalid)) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	if got, _ := s.ByID(ctx, u.ID); got.LastLoginAt == nil || !got.LastLoginAt.Equal(clk.now()) {
		t.Errorf("last login %v, want %v", got.LastLoginAt, clk.now())
	}

	if err := s.VerifySecondFactor(ctx, from("192.0.2.1"), u.ID, " "+strings.ToUpper(codes[3])+" "); err != nil {
		t.Errorf("recovery code: %v", err)
	}
	if err := s.VerifySecondFactor(ctx, from("192.0.2.1"), u.ID, codes[3]); !errors.Is(err, ErrTOTPInvalid) {
		t.Errorf("recovery code used twice: %v", err)
	}
	if got, _ := s.ByID(ctx, u.ID); got.RecoveryCodesLeft() != 9 {
		t.Errorf("%d recovery codes left, want 9", got.RecoveryCodesLeft())
	}
	if err := s.VerifySecondFactor(ctx, from("192.0.2.1"), u.ID, codes[4]); err != nil {
		t.Errorf("another recovery code: %v", err)
	}

	other := mustCreate(t, s, "bo@example.edu", "Bo", Writer)
	if err := s.VerifySecondFactor(ctx, from("192.0.2.1"), other.ID, codes[5]); !errors.Is(err, ErrTOTPInvalid) {
		t.Errorf("account without two-factor: %v", err)
	}
}

// A recovery code sent at the same moment to two instances works once.
func TestRecoveryCodeOnceAcrossInstances(t *testing.T) {
	s, clk := newTestService(t)
	other := NewService(dbtest.Reopen(t, s.db))
	other.SetClock(clk.now)
	ctx := context.Background()
	u := mustCreate(t, s, "ann@example.edu", "Ann", Editor)
	_, codes := enableTOTP(t, s, u.ID)
	for _, code := range codes[:5] {
		var used atomic.Int32
		var wg sync.WaitGroup
		for i := range 4 {
			svc := s
			if i%2 == 1 {
				svc = other
			}
			wg.Go(func() {
				ok, err := svc.useRecoveryCode(ctx, u.ID, code)
				if err != nil {
					t.Error(err)
				}
				if ok {
					used.Add(1)
				}
			})
		}
		wg.Wait()
		if used.Load() != 1 {
			t.Errorf("recovery code accepted %d times, want once", used.Load())
		}
	}
	if got, _ := s.ByID(ctx, u.ID); got.RecoveryCodesLeft() != len(codes)-5 {
		t.Errorf("%d recovery codes left, want %d", got.RecoveryCodesLeft(), len(codes)-5)
	}
}

func TestSecondFactorThrottle(t *testing.T) {
	s, clk := newTestService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "ann@example.edu", "Ann", Editor)
	secret, codes := enableTOTP(t, s, u.ID)
	for i := range 5 {
		if err := s.VerifySecondFactor(ctx, from("192.0.2.1"), u.ID, "000000"); !errors.Is(err, ErrTOTPInvalid) {
			t.Fatalf("wrong code %d: %v", i+1, err)
		}
	}
	code, _ := totp.GenerateCode(secret, clk.now())
	wantThrottled(t, s.VerifySecondFactor(ctx, from("192.0.2.1"), u.ID, code), 15*time.Minute)
	wantThrottled(t, s.VerifySecondFactor(ctx, from("192.0.2.1"), u.ID, codes[0]), 15*time.Minute)
	if got, _ := s.ByID(ctx, u.ID); got.RecoveryCodesLeft() != 10 {
		t.Error("a throttled attempt consumed a recovery code")
	}
	clk.advance(15 * time.Minute)
	code, _ = totp.GenerateCode(secret, clk.now())
	if err := s.VerifySecondFactor(ctx, from("192.0.2.1"), u.ID, code); err != nil {
		t.Errorf("after the lock: %v", err)
	}
}

func TestDisableTOTP(t *testing.T) {
	s, clk := newTestService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "ann@example.edu", "Ann", Editor)
	secret, codes := enableTOTP(t, s, u.ID)
	here, _ := s.StartSession(ctx, u.ID, "192.0.2.1", "here")
	there, _ := s.StartSession(ctx, u.ID, "198.51.100.9", "there")
	clk.advance(time.Minute)
	code, _ := totp.GenerateCode(secret, clk.now())
	act := from("192.0.2.1")

	// Both factors are needed; with a wrong password the code is not tried, so a recovery
	// code is not spent.
	wantFieldError(t, s.DisableTOTP(ctx, act, u.ID, TOTPDisable{Password: "not-the-password", Code: codes[0], Keep: here}), "password")
	wantFieldError(t, s.DisableTOTP(ctx, act, u.ID, TOTPDisable{Password: testPassword, Code: "000000", Keep: here}), "code")
	if got, _ := s.ByID(ctx, u.ID); !got.TOTPEnabled || got.RecoveryCodesLeft() != 10 {
		t.Fatalf("refused disables changed the account: enabled %v, %d codes", got.TOTPEnabled, got.RecoveryCodesLeft())
	}
	if err := s.DisableTOTP(ctx, act, u.ID, TOTPDisable{Password: testPassword, Code: code, Keep: here}); err != nil {
		t.Fatal(err)
	}
	got, _ := s.ByID(ctx, u.ID)
	if got.TOTPEnabled || got.TOTPSecret != "" || got.RecoveryCodes != "" {
		t.Errorf("after disable: %+v", got)
	}
	if got.LastLoginAt != nil {
		t.Error("checking the code recorded a login")
	}
	if _, err := s.SessionUser(ctx, here); err != nil {
		t.Errorf("the session that disabled it ended: %v", err)
	}
	if _, err := s.SessionUser(ctx, there); !errors.Is(err, ErrNotFound) {
		t.Errorf("another session survived: %v", err)
	}
	for _, c := range []string{code, codes[0]} {
		if err := s.VerifySecondFactor(ctx, act, u.ID, c); !errors.Is(err, ErrTOTPInvalid) {
			t.Errorf("code %q after disable: %v", c, err)
		}
	}
	if err := s.DisableTOTP(ctx, act, 999, TOTPDisable{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown account: %v", err)
	}
	if n := auditRows(t, s, "2fa.disable"); n != 1 {
		t.Errorf("%d 2fa.disable entries", n)
	}
	// Deactivated accounts cannot finish a login.
	enableTOTP(t, s, u.ID)
	if _, err := s.Update(ctx, adminActor, u.ID, UserUpdate{Name: "Ann", Role: Editor, Active: false}); err != nil {
		t.Fatal(err)
	}
	got, _ = s.ByID(ctx, u.ID)
	clk.advance(time.Minute)
	code, _ = totp.GenerateCode(got.TOTPSecret, clk.now())
	if err := s.VerifySecondFactor(ctx, act, u.ID, code); !errors.Is(err, ErrInactive) {
		t.Errorf("deactivated account: %v", err)
	}
}

func TestResetTOTP(t *testing.T) {
	s, clk := newTestService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "ann@example.edu", "Ann", Editor)
	other := mustCreate(t, s, "bob@example.edu", "Bob", Editor)
	secret, codes := enableTOTP(t, s, u.ID)
	sid, _ := s.StartSession(ctx, u.ID, "ip", "a")
	keep, _ := s.StartSession(ctx, other.ID, "ip", "b")
	before := sessionVersion(t, s, u.ID)
	if err := s.ResetTOTP(ctx, adminActor, u.ID); err != nil {
		t.Fatal(err)
	}
	got, _ := s.ByID(ctx, u.ID)
	if got.TOTPEnabled || got.TOTPSecret != "" || got.RecoveryCodes != "" || got.SessionVersion != before+1 {
		t.Errorf("after reset: %+v (version was %d)", got, before)
	}
	if _, err := s.SessionUser(ctx, sid); !errors.Is(err, ErrNotFound) {
		t.Errorf("session survived the reset: %v", err)
	}
	if _, err := s.SessionUser(ctx, keep); err != nil {
		t.Errorf("another account's session ended: %v", err)
	}
	code, _ := totp.GenerateCode(secret, clk.now())
	for _, c := range []string{code, codes[0]} {
		if err := s.VerifySecondFactor(ctx, from("192.0.2.1"), u.ID, c); !errors.Is(err, ErrTOTPInvalid) {
			t.Errorf("code %q after reset: %v", c, err)
		}
	}
	if _, err := s.Authenticate(ctx, from("ip"), u.Email, testPassword); err != nil {
		t.Errorf("password login after reset: %v", err)
	}
	if err := s.ResetTOTP(ctx, adminActor, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown account: %v", err)
	}
}
