package accounts

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
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
	codes, err := s.EnableTOTP(ctx, id, secret, code)
	if err != nil {
		t.Fatal(err)
	}
	return secret, codes
}

func TestEnableTOTP(t *testing.T) {
	s, clk := newTestService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "ann@example.edu", "Ann", Editor)

	if _, err := s.EnableTOTP(ctx, u.ID, "", "123456"); !errors.Is(err, ErrTOTPInvalid) {
		t.Errorf("enable without a secret: %v", err)
	}
	key, err := NewTOTPKey(u.Email)
	if err != nil {
		t.Fatal(err)
	}
	secret, url := key.Secret(), key.URL()
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
		if _, err := s.EnableTOTP(ctx, u.ID, secret, bad); !errors.Is(err, ErrTOTPInvalid) {
			t.Errorf("enable with %q: %v", bad, err)
		}
	}
	code, _ := totp.GenerateCode(secret, clk.now())
	codes, err := s.EnableTOTP(ctx, u.ID, secret, code[:3]+" "+code[3:]) // as apps show it
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
	if _, err := s.EnableTOTP(ctx, u.ID, secret, code); !errors.Is(err, ErrTOTPEnabled) {
		t.Errorf("enable twice: %v", err)
	}
}

func TestVerifySecondFactor(t *testing.T) {
	s, clk := newTestService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "ann@example.edu", "Ann", Editor)
	secret, codes := enableTOTP(t, s, u.ID)

	// The password alone is not yet a login.
	if _, err := s.Authenticate(ctx, "ann@example.edu", testPassword, "ip"); err != nil {
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
		err := s.VerifySecondFactor(ctx, u.ID, code)
		if (err == nil) != tc.ok || (!tc.ok && !errors.Is(err, ErrTOTPInvalid)) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	if got, _ := s.ByID(ctx, u.ID); got.LastLoginAt == nil || !got.LastLoginAt.Equal(clk.now()) {
		t.Errorf("last login %v, want %v", got.LastLoginAt, clk.now())
	}

	if err := s.VerifySecondFactor(ctx, u.ID, " "+strings.ToUpper(codes[3])+" "); err != nil {
		t.Errorf("recovery code: %v", err)
	}
	if err := s.VerifySecondFactor(ctx, u.ID, codes[3]); !errors.Is(err, ErrTOTPInvalid) {
		t.Errorf("recovery code used twice: %v", err)
	}
	if got, _ := s.ByID(ctx, u.ID); got.RecoveryCodesLeft() != 9 {
		t.Errorf("%d recovery codes left, want 9", got.RecoveryCodesLeft())
	}
	if err := s.VerifySecondFactor(ctx, u.ID, codes[4]); err != nil {
		t.Errorf("another recovery code: %v", err)
	}

	other := mustCreate(t, s, "bo@example.edu", "Bo", Writer)
	if err := s.VerifySecondFactor(ctx, other.ID, codes[5]); !errors.Is(err, ErrTOTPInvalid) {
		t.Errorf("account without two-factor: %v", err)
	}
}

func TestSecondFactorThrottle(t *testing.T) {
	s, clk := newTestService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "ann@example.edu", "Ann", Editor)
	secret, codes := enableTOTP(t, s, u.ID)
	for i := range 5 {
		if err := s.VerifySecondFactor(ctx, u.ID, "000000"); !errors.Is(err, ErrTOTPInvalid) {
			t.Fatalf("wrong code %d: %v", i+1, err)
		}
	}
	code, _ := totp.GenerateCode(secret, clk.now())
	wantThrottled(t, s.VerifySecondFactor(ctx, u.ID, code), 15*time.Minute)
	wantThrottled(t, s.VerifySecondFactor(ctx, u.ID, codes[0]), 15*time.Minute)
	if got, _ := s.ByID(ctx, u.ID); got.RecoveryCodesLeft() != 10 {
		t.Error("a throttled attempt consumed a recovery code")
	}
	clk.advance(15 * time.Minute)
	code, _ = totp.GenerateCode(secret, clk.now())
	if err := s.VerifySecondFactor(ctx, u.ID, code); err != nil {
		t.Errorf("after the lock: %v", err)
	}
}

func TestDisableTOTP(t *testing.T) {
	s, clk := newTestService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "ann@example.edu", "Ann", Editor)
	secret, codes := enableTOTP(t, s, u.ID)
	if err := s.DisableTOTP(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	got, _ := s.ByID(ctx, u.ID)
	if got.TOTPEnabled || got.TOTPSecret != "" || got.RecoveryCodes != "" {
		t.Errorf("after disable: %+v", got)
	}
	code, _ := totp.GenerateCode(secret, clk.now())
	for _, c := range []string{code, codes[0]} {
		if err := s.VerifySecondFactor(ctx, u.ID, c); !errors.Is(err, ErrTOTPInvalid) {
			t.Errorf("code %q after disable: %v", c, err)
		}
	}
	if err := s.DisableTOTP(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown account: %v", err)
	}
	// Deactivated accounts cannot finish a login.
	enableTOTP(t, s, u.ID)
	if _, err := s.Update(ctx, u.ID, UserUpdate{Name: "Ann", Role: Editor, Active: false}); err != nil {
		t.Fatal(err)
	}
	got, _ = s.ByID(ctx, u.ID)
	code, _ = totp.GenerateCode(got.TOTPSecret, clk.now())
	if err := s.VerifySecondFactor(ctx, u.ID, code); !errors.Is(err, ErrInactive) {
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
	if err := s.ResetTOTP(ctx, u.ID); err != nil {
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
		if err := s.VerifySecondFactor(ctx, u.ID, c); !errors.Is(err, ErrTOTPInvalid) {
			t.Errorf("code %q after reset: %v", c, err)
		}
	}
	if _, err := s.Authenticate(ctx, u.Email, testPassword, "ip"); err != nil {
		t.Errorf("password login after reset: %v", err)
	}
	if err := s.ResetTOTP(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown account: %v", err)
	}
}
