package accounts

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"campusnews/internal/audit"
)

func TestRoles(t *testing.T) {
	tests := []struct {
		r, min Role
		want   bool
	}{
		{Admin, Admin, true}, {Admin, Editor, true}, {Admin, Writer, true},
		{Editor, Admin, false}, {Editor, Editor, true}, {Editor, Writer, true},
		{Writer, Admin, false}, {Writer, Editor, false}, {Writer, Writer, true},
		{"root", Writer, false}, {Admin, "root", false}, {"", "", false},
	}
	for _, tc := range tests {
		if got := tc.r.AtLeast(tc.min); got != tc.want {
			t.Errorf("%q.AtLeast(%q) = %v, want %v", tc.r, tc.min, got, tc.want)
		}
	}
	labels := map[Role]string{Admin: "Administrator", Editor: "Editor", Writer: "Writer"}
	for _, r := range Roles {
		if !r.Valid() || r.Label() != labels[r] {
			t.Errorf("%q: valid %v label %q", r, r.Valid(), r.Label())
		}
	}
	if Role("Admin").Valid() {
		t.Error("roles are case-sensitive")
	}
}

func TestPasswordPolicy(t *testing.T) {
	tests := []struct {
		pw   string
		want string // a fragment of the message, "" for accepted
	}{
		{"short-pw-11", "at least 12"},
		{"exactly12chr", ""},
		{"ünïcödé-pass", ""}, // 12 characters, more bytes
		{strings.Repeat("ab", 128), ""},
		{strings.Repeat("ab", 128) + "c", "at most 256"},
		{"aaaaaaaaaaaaaaaa", "more than one"},
		{"ßßßßßßßßßßßß", "more than one"},
		{"Password1234", "too common"},
		{"QWERTY123456", "too common"},
		{"a-long-password-123", ""},
	}
	for _, tc := range tests {
		got := PasswordPolicy(tc.pw)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("PasswordPolicy(%q) = %q, want %q", tc.pw, got, tc.want)
		}
	}
}

func TestCreate(t *testing.T) {
	s, clk := newTestService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "  Ann.Lee@Example.EDU ", " Ann Lee ", Editor)
	got, err := s.ByID(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Email != "ann.lee@example.edu" || got.Name != "Ann Lee" || got.Role != Editor ||
		!got.Active || got.SessionVersion != 1 || got.MustChangePassword || got.TOTPEnabled {
		t.Errorf("stored %+v", got)
	}
	if got.PasswordHash == "" || strings.Contains(got.PasswordHash, testPassword) {
		t.Errorf("password hash %q", got.PasswordHash)
	}
	if !got.CreatedAt.Equal(clk.now()) || got.CreatedAt.Location().String() != "UTC" {
		t.Errorf("created at %v, want %v UTC", got.CreatedAt, clk.now())
	}

	for _, email := range []string{"ann.lee@example.edu", "ANN.LEE@EXAMPLE.EDU"} {
		_, err := s.Create(ctx, adminActor, NewUser{Email: email, Name: "Other", Role: Writer, Password: testPassword})
		if ve := fieldErrors(t, err); ve["email"] != msgEmailTaken {
			t.Errorf("duplicate %s: %v", email, ve)
		}
	}
	if n, _ := s.Count(ctx); n != 1 {
		t.Errorf("count = %d after refused duplicates", n)
	}
}

func TestCreateValidation(t *testing.T) {
	s, _ := newTestService(t)
	ok := NewUser{Email: "bo@example.edu", Name: "Bo", Role: Writer, Password: testPassword}
	tests := []struct {
		name  string
		edit  func(*NewUser)
		field string
	}{
		{"no email", func(n *NewUser) { n.Email = "" }, "email"},
		{"bad email", func(n *NewUser) { n.Email = "bo at example" }, "email"},
		{"display-name email", func(n *NewUser) { n.Email = "Bo <bo@example.edu>" }, "email"},
		{"no name", func(n *NewUser) { n.Name = "   " }, "name"},
		{"long name", func(n *NewUser) { n.Name = strings.Repeat("n", 101) }, "name"},
		{"bad role", func(n *NewUser) { n.Role = "owner" }, "role"},
		{"no role", func(n *NewUser) { n.Role = "" }, "role"},
		{"short password", func(n *NewUser) { n.Password = "short" }, "password"},
		{"common password", func(n *NewUser) { n.Password = "password1234" }, "password"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			nu := ok
			tc.edit(&nu)
			_, err := s.Create(context.Background(), adminActor, nu)
			ve := fieldErrors(t, err)
			if ve[tc.field] == "" || len(ve) != 1 {
				t.Errorf("errors %v, want one on %s", ve, tc.field)
			}
		})
	}
	if _, err := s.Create(context.Background(), adminActor, NewUser{Email: "bo@example.edu", Name: strings.Repeat("n", 100),
		Role: Writer, Password: testPassword}); err != nil {
		t.Errorf("100-character name refused: %v", err)
	}
}

func TestLookups(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	mustCreate(t, s, "zed@example.edu", "Zed", Writer)
	mustCreate(t, s, "amy@example.edu", "amy", Editor)
	mustCreate(t, s, "bea@example.edu", "Bea", Admin)
	us, err := s.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range us {
		names = append(names, u.Name)
	}
	if strings.Join(names, ",") != "amy,Bea,Zed" {
		t.Errorf("list order %v", names)
	}
	if n, err := s.Count(ctx); err != nil || n != 3 {
		t.Errorf("count = %d, %v", n, err)
	}
	if u, err := s.ByEmail(ctx, " BEA@example.edu"); err != nil || u.Name != "Bea" {
		t.Errorf("by e-mail: %v, %v", u, err)
	}
	if _, err := s.ByEmail(ctx, "nobody@example.edu"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown e-mail: %v", err)
	}
	if _, err := s.ByID(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}
}

func TestBootstrap(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	email, pw, created, err := s.Bootstrap(ctx, "")
	if err != nil || !created {
		t.Fatalf("first bootstrap: created %v, %v", created, err)
	}
	if email != "admin@campusnews.local" || !regexp.MustCompile(`^[`+unambiguous+`]{20}$`).MatchString(pw) {
		t.Errorf("bootstrap gave %q / %q", email, pw)
	}
	u, err := s.Authenticate(ctx, from("192.0.2.1"), email, pw)
	if err != nil {
		t.Fatalf("bootstrap password does not work: %v", err)
	}
	if u.Role != Admin || u.Name != "Administrator" || !u.MustChangePassword {
		t.Errorf("bootstrap account %+v", u)
	}
	if _, _, again, err := s.Bootstrap(ctx, ""); err != nil || again {
		t.Errorf("second bootstrap: created %v, %v", again, err)
	}
	if n, _ := s.Count(ctx); n != 1 {
		t.Errorf("%d accounts after two bootstraps", n)
	}
}

func TestBootstrapChosenAddress(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	_, _, created, err := s.Bootstrap(ctx, "not an address")
	if ve := fieldErrors(t, err); ve["email"] == "" || created {
		t.Fatalf("bad address: created %v, %v", created, ve)
	}
	email, _, created, err := s.Bootstrap(ctx, " Head.Of.News@Uni.example ")
	if err != nil || !created || email != "head.of.news@uni.example" {
		t.Fatalf("chosen address: %q, created %v, %v", email, created, err)
	}
	var e struct{ Detail string }
	s.db.Table("audit_entries").Where("action = ?", "user.create").Take(&e)
	if e.Detail != "head.of.news@uni.example as Administrator (first start)" {
		t.Errorf("audit detail %q", e.Detail)
	}
}

// Every change an administrator or the owner makes is recorded in its own transaction: when
// the entry cannot be written, the change does not happen either.
func TestChangesAndTheirEntriesCommitTogether(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "ann@example.edu", "Ann", Writer)
	me := from("192.0.2.1")
	me.UserID, me.Email = u.ID, u.Email
	steps := []struct {
		action string
		do     func() error
	}{
		{"user.role", func() error {
			_, err := s.Update(ctx, adminActor, u.ID, UserUpdate{Name: "Ann", Role: Editor, Active: true})
			return err
		}},
		{"user.password_reset", func() error { return s.SetPassword(ctx, adminActor, u.ID, "a-brand-new-secret", true) }},
		{"password.change", func() error { return s.ChangePassword(ctx, me, u.ID, "a-brand-new-secret", "another-new-secret") }},
		{"user.2fa_disable", func() error { return s.ResetTOTP(ctx, adminActor, u.ID) }},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.action, err)
		}
		if n := auditRows(t, s, st.action); n != 1 {
			t.Errorf("%d %s entries, want 1", n, st.action)
		}
	}
	if n := auditRows(t, s, "user.create"); n != 1 {
		t.Errorf("%d user.create entries", n)
	}
	var e audit.Entry
	s.db.Where("action = ?", "user.role").Take(&e)
	if e.UserEmail != adminActor.Email || e.IP != adminActor.IP || e.Subject != fmt.Sprintf("user %d", u.ID) ||
		e.Detail != "ann@example.edu: Writer → Editor" {
		t.Errorf("role entry %+v", e)
	}

	// Without the audit log, nothing changes.
	if err := s.db.Exec("ALTER TABLE audit_entries RENAME TO audit_gone").Error; err != nil {
		t.Fatal(err)
	}
	before, _ := s.ByID(ctx, u.ID)
	if err := s.SetPassword(ctx, adminActor, u.ID, "yet-another-secret", false); err == nil {
		t.Fatal("a password reset succeeded without its audit entry")
	}
	if _, err := s.Update(ctx, adminActor, u.ID, UserUpdate{Name: "Ann", Role: Admin, Active: true}); err == nil {
		t.Fatal("a role change succeeded without its audit entry")
	}
	if _, err := s.Create(ctx, adminActor, NewUser{Email: "x@example.edu", Name: "X", Role: Writer, Password: testPassword}); err == nil {
		t.Fatal("an account was created without its audit entry")
	}
	after, _ := s.ByID(ctx, u.ID)
	if after.PasswordHash != before.PasswordHash || after.Role != before.Role {
		t.Error("a change was kept although its audit entry was not written")
	}
	if n, _ := s.Count(ctx); n != 1 {
		t.Errorf("%d accounts", n)
	}
}

func TestBootstrapLeavesExistingAccounts(t *testing.T) {
	s, _ := newTestService(t)
	mustCreate(t, s, "w@example.edu", "W", Writer)
	if _, _, created, err := s.Bootstrap(context.Background(), ""); err != nil || created {
		t.Errorf("bootstrap with an account present: created %v, %v", created, err)
	}
}

func TestOneTimePassword(t *testing.T) {
	shape := regexp.MustCompile(`^[` + unambiguous + `]{20}$`)
	seen := map[string]bool{}
	for range 50 {
		pw, err := OneTimePassword()
		if err != nil {
			t.Fatal(err)
		}
		if !shape.MatchString(pw) || PasswordPolicy(pw) != "" {
			t.Fatalf("one-time password %q: wrong shape or refused by the policy", pw)
		}
		if seen[pw] {
			t.Fatalf("one-time password %q came twice", pw)
		}
		seen[pw] = true
	}
}
