package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
	"golang.org/x/crypto/bcrypt"

	"campusnews/internal/accounts"
	"campusnews/internal/audit"
	"campusnews/internal/config"
	"campusnews/internal/database"
)

// runUser runs the binary's entry point with args and stdin, returning stdout, stderr and the
// error.
func runUser(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

// userService opens the database in dir, as the server would.
func userService(t *testing.T, dir string) *accounts.Service {
	t.Helper()
	db, err := database.Open(config.Config{Data: dir}.DBPath())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(db) }) //nolint:errcheck
	return accounts.NewService(db)
}

func TestUserCommand(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	out, errOut, err := runUser(t, "a-long-password-123\n",
		"user", "add", "--email", "Ann@Example.edu", "--name", "Ann Lee", "--role", "editor", "--data", dir)
	if err != nil {
		t.Fatalf("user add: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "ann@example.edu") {
		t.Errorf("user add said %q", out)
	}
	svc := userService(t, dir)
	u, err := svc.Authenticate(ctx, audit.Actor{IP: "127.0.0.1"}, "ann@example.edu", "a-long-password-123")
	if err != nil {
		t.Fatalf("the new account cannot log in: %v", err)
	}
	if u.Role != accounts.Editor || u.Name != "Ann Lee" || u.MustChangePassword {
		t.Errorf("created %+v", u)
	}
	if !strings.HasPrefix(u.PasswordHash, "$2a$12$") {
		t.Errorf("hash %q is not bcrypt at cost 12", u.PasswordHash[:7])
	}

	// A refused account: every problem is printed by field, and the command fails.
	_, errOut, err = runUser(t, "short\n",
		"user", "add", "--email", "ANN@example.edu", "--name", "", "--role", "boss", "--data", dir)
	if err == nil {
		t.Fatal("user add with bad fields succeeded")
	}
	for _, want := range []string{"email: An account with this e-mail address already exists",
		"name: Name is required", "password: Use at least 12 characters", "role: Choose a role"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}

	if _, errOut, err := runUser(t, "another-password-456\r\n", "user", "passwd", "--email", "ann@EXAMPLE.edu",
		"--must-change", "--data", dir); err != nil {
		t.Fatalf("user passwd: %v\n%s", err, errOut)
	}
	// Each cost-12 hash takes seconds under the race detector: one login proves the change.
	after, err := svc.Authenticate(ctx, audit.Actor{IP: "127.0.0.2"}, "ann@example.edu", "another-password-456")
	if err != nil || !after.MustChangePassword || after.PasswordHash == u.PasswordHash {
		t.Errorf("new password after passwd: %v, account %+v", err, after)
	}

	for _, tc := range []struct {
		stdin string
		args  []string
	}{
		{"x-long-password-1\n", []string{"user", "passwd", "--email", "nobody@example.edu", "--data", dir}},
		{"", []string{"user", "add", "--email", "b@example.edu", "--name", "B", "--role", "writer", "--data", dir}},
		{"x-long-password-1\n", []string{"user", "rename", "--data", dir}},
		{"x-long-password-1\n", []string{"user"}},
	} {
		if _, _, err := runUser(t, tc.stdin, tc.args...); err == nil {
			t.Errorf("%v with stdin %q succeeded", tc.args, tc.stdin)
		}
	}

	out, _, err = runUser(t, "", "user", "list", "--data", dir)
	if err != nil || !strings.Contains(out, "ann@example.edu") || !strings.Contains(out, "Ann Lee") ||
		strings.Count(out, "\n") != 2 {
		t.Errorf("user list: %v\n%s", err, out)
	}
	if n, _ := svc.Count(ctx); n != 1 {
		t.Errorf("%d accounts, want 1", n)
	}
}

// An administrator who lost both the phone and the recovery codes gets back in from the server.
func TestUserTwoFactorOff(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	db, err := database.Open(config.Config{Data: dir}.DBPath())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(db) }) //nolint:errcheck
	if _, err := database.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	svc := accounts.NewService(db)
	svc.SetBcryptCost(bcrypt.MinCost)
	u, err := svc.Create(ctx, audit.Actor{}, accounts.NewUser{Email: "ann@example.edu", Name: "Ann", Role: accounts.Admin,
		Password: "a-long-password-123"})
	if err != nil {
		t.Fatal(err)
	}
	key, err := accounts.NewTOTPKey(u.Email)
	if err != nil {
		t.Fatal(err)
	}
	code, _ := totp.GenerateCode(key.Secret(), time.Now())
	if _, err := svc.EnableTOTP(ctx, audit.Actor{}, u.ID, accounts.TOTPEnable{Password: "a-long-password-123",
		Secret: key.Secret(), Code: code}); err != nil {
		t.Fatal(err)
	}
	sid, err := svc.StartSession(ctx, u.ID, "127.0.0.1", "test")
	if err != nil {
		t.Fatal(err)
	}

	out, errOut, err := runUser(t, "", "user", "2fa-off", "--email", "ANN@example.edu", "--data", dir)
	if err != nil || !strings.Contains(out, "two-factor login turned off for ann@example.edu") {
		t.Fatalf("user 2fa-off: %v\n%s%s", err, out, errOut)
	}
	got, _ := svc.ByID(ctx, u.ID)
	if got.TOTPEnabled || got.TOTPSecret != "" || got.RecoveryCodes != "" {
		t.Errorf("two-factor login still set up: %+v", got)
	}
	if _, err := svc.SessionUser(ctx, sid); !errors.Is(err, accounts.ErrNotFound) {
		t.Errorf("the account's session survived: %v", err)
	}
	var logged int64
	db.Raw(`SELECT COUNT(*) FROM audit_entries WHERE action = 'user.2fa_disable' AND subject = ?
		AND detail = 'ann@example.edu (command line)'`, fmt.Sprint("user ", u.ID)).Scan(&logged)
	if logged != 1 {
		t.Errorf("the change is in the audit log %d times, want once", logged)
	}
	out, _, err = runUser(t, "", "user", "2fa-off", "--email", "ann@example.edu", "--data", dir)
	if err != nil || !strings.Contains(out, "already off") {
		t.Errorf("second 2fa-off: %v, %q", err, out)
	}
	for _, args := range [][]string{
		{"user", "2fa-off", "--data", dir},
		{"user", "2fa-off", "--email", "nobody@example.edu", "--data", dir},
		{"user", "2fa-off", "--email", "ann@example.edu", "extra", "--data", dir},
	} {
		if _, _, err := runUser(t, "", args...); err == nil {
			t.Errorf("%v succeeded", args)
		}
	}
	for _, args := range [][]string{{"help"}, {"user", "help"}} {
		if out, _, _ := runUser(t, "", args...); !strings.Contains(out, "user 2fa-off --email E") {
			t.Errorf("%v does not mention user 2fa-off:\n%s", args, out)
		}
	}
}
