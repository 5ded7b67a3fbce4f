package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"campusnews/internal/accounts"
	"campusnews/internal/database"
)

// emptySite is an accounts service on a new, migrated database.
func emptySite(t *testing.T) *accounts.Service {
	t.Helper()
	db, err := database.Open(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(db) }) //nolint:errcheck
	if _, err := database.Migrate(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	s := accounts.NewService(db)
	s.SetBcryptCost(bcrypt.MinCost)
	return s
}

// admins lists the e-mail addresses of the accounts of s.
func admins(t *testing.T, s *accounts.Service) []string {
	t.Helper()
	us, err := s.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, u := range us {
		if u.Role == accounts.Admin {
			out = append(out, u.Email)
		}
	}
	return out
}

// The first administrator's address is the one given, or asked for on a terminal; without
// either, today's default, said so; with accounts present, nothing happens.
func TestFirstAdmin(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name        string
		flag, input string
		interactive bool
		want        string
		say         []string
	}{
		{"flag", "Head@Uni.example", "", false, "head@uni.example", []string{"e-mail:   head@uni.example"}},
		{"flag on a terminal is not asked", "head@uni.example", "other@uni.example\n", true, "head@uni.example", nil},
		{"no terminal", "", "", false, accounts.DefaultAdminEmail,
			[]string{"No --admin-email given and no terminal to ask on", "e-mail:   " + accounts.DefaultAdminEmail}},
		{"asked", "", "not an address\n  news@uni.example \n", true, "news@uni.example",
			[]string{"E-mail address of the first administrator [admin@campusnews.local]: ", "e-mail:   news@uni.example"}},
		{"asked, enter for the default", "", "\n", true, accounts.DefaultAdminEmail, nil},
		{"asked, end of input", "", "", true, accounts.DefaultAdminEmail, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := emptySite(t)
			var out bytes.Buffer
			if err := firstAdmin(ctx, s, tc.flag, strings.NewReader(tc.input), tc.interactive, &out); err != nil {
				t.Fatal(err)
			}
			if got := admins(t, s); len(got) != 1 || got[0] != tc.want {
				t.Errorf("administrators %v, want [%s]", got, tc.want)
			}
			for _, want := range append(tc.say, "password: ", "This password is shown only now") {
				if !strings.Contains(out.String(), want) {
					t.Errorf("output lacks %q:\n%s", want, out.String())
				}
			}
			if tc.name == "asked" && strings.Count(out.String(), "E-mail address of the first administrator") != 2 {
				t.Errorf("a bad address was not asked for again:\n%s", out.String())
			}
			// A second start changes nothing and says nothing.
			out.Reset()
			if err := firstAdmin(ctx, s, "someone@uni.example", strings.NewReader(""), false, &out); err != nil || out.Len() != 0 {
				t.Errorf("second start: %v, said %q", err, out.String())
			}
			if n, _ := s.Count(ctx); n != 1 {
				t.Errorf("%d accounts after a second start", n)
			}
		})
	}
	// A bad --admin-email stops the first start with the reason, and creates nobody.
	s := emptySite(t)
	err := firstAdmin(ctx, s, "admin at uni", strings.NewReader(""), false, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "--admin-email") {
		t.Errorf("bad address: %v", err)
	}
	if n, _ := s.Count(ctx); n != 0 {
		t.Errorf("%d accounts after a bad address", n)
	}
}
