package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"campusnews/internal/accounts"
	"campusnews/internal/news"
)

// adminEnv is a test server with one administrator signed in.
func adminEnv(t *testing.T) (*testEnv, *client, *accounts.User) {
	t.Helper()
	env := newTestEnv(t)
	admin := env.mustUser("admin@example.edu", accounts.Admin)
	cl := env.client()
	cl.login(admin.Email)
	return env, cl, admin
}

// childOrder lists the slugs of the categories in the section at path, in order.
func childOrder(t *testing.T, env *testEnv, path string) string {
	t.Helper()
	var slugs []string
	for _, ch := range treeNode(t, env, path).Children {
		slugs = append(slugs, ch.Slug)
	}
	return strings.Join(slugs, ",")
}

func catID(n *news.Node) string { return strconv.FormatInt(n.ID, 10) }

// newCategory creates a category through the admin form and returns it.
func newCategory(t *testing.T, env *testEnv, cl *client, name, parent, path string) *news.Node {
	t.Helper()
	form := url.Values{"name": {name}, "parent_id": {parent}, "visible": {"1"}, "description": {"About " + name}}
	resp, body := cl.submit("/admin/categories/new", "/admin/categories/new", form)
	mustStatus(t, resp, body, http.StatusSeeOther)
	return treeNode(t, env, path)
}

func TestAdminManagesCategories(t *testing.T) {
	env, cl, admin := adminEnv(t)
	reader := env.client()

	sec := newCategory(t, env, cl, "Campus Life", "0", "/campus-life")
	clubs := newCategory(t, env, cl, "Clubs", catID(sec), "/campus-life/clubs")
	sports := newCategory(t, env, cl, "Sports", catID(sec), "/campus-life/sports")
	if !sec.IsSection() || clubs.ParentID == nil || *clubs.ParentID != sec.ID {
		t.Fatalf("section %+v, category %+v", sec.Category, clubs.Category)
	}
	_, home := reader.get("/")
	if !strings.Contains(home, `href="/campus-life/clubs"`) || !strings.Contains(home, ">Campus Life<") {
		t.Fatalf("new category missing from the public navigation:\n%s", home)
	}

	// A form with errors keeps what was typed and shows the message beside the field.
	resp, body := cl.submit("/admin/categories/new", "/admin/categories/new",
		url.Values{"name": {""}, "description": {"Kept text"}, "parent_id": {catID(sec)}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, "Kept text") || !strings.Contains(body, `id="cat-name-error"`) {
		t.Fatalf("422 form lost input or error:\n%s", body)
	}

	// Rename.
	resp, body = cl.submit("/admin/categories/"+catID(clubs), "/admin/categories/"+catID(clubs),
		url.Values{"name": {"Student Clubs"}, "slug": {"clubs"}, "parent_id": {catID(sec)}, "visible": {"1"}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	if _, home = reader.get("/"); !strings.Contains(home, "Student Clubs") {
		t.Fatal("renamed category not in the navigation")
	}

	// Reorder.
	if got := childOrder(t, env, "/campus-life"); got != "clubs,sports" {
		t.Fatalf("order %s", got)
	}
	resp, body = cl.submit("/admin/categories", "/admin/categories/"+catID(sports)+"/move", url.Values{"direction": {"up"}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	if got := childOrder(t, env, "/campus-life"); got != "sports,clubs" {
		t.Fatalf("after moving sports up: %s", got)
	}
	resp, body = cl.submit("/admin/categories", "/admin/categories/"+catID(sports)+"/move", url.Values{"direction": {"down"}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	if got := childOrder(t, env, "/campus-life"); got != "clubs,sports" {
		t.Fatalf("after moving sports down: %s", got)
	}

	// Hide: gone for readers, still listed (and marked) for the admin.
	resp, body = cl.submit("/admin/categories/"+catID(clubs), "/admin/categories/"+catID(clubs),
		url.Values{"name": {"Student Clubs"}, "slug": {"clubs"}, "parent_id": {catID(sec)}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	if _, home = reader.get("/"); strings.Contains(home, "/campus-life/clubs") {
		t.Fatal("hidden category still in the navigation")
	}
	if resp, _ = reader.get("/campus-life/clubs"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("hidden category listing: status %d", resp.StatusCode)
	}
	if _, body = cl.get("/admin/categories"); !strings.Contains(body, "Student Clubs") || !strings.Contains(body, "(hidden)") {
		t.Fatalf("hidden category not shown as hidden to the admin:\n%s", body)
	}

	// Delete is refused while it holds an article, then works with a move.
	actor := news.Actor{UserID: admin.ID, Email: admin.Email, CanPublish: true, CanEditAny: true}
	art, err := env.news.Create(context.Background(), actor, news.ArticleInput{Title: "Chess club wins", CategoryID: clubs.ID})
	if err != nil {
		t.Fatal(err)
	}
	_, body = cl.get("/admin/categories/" + catID(clubs) + "/delete")
	if !strings.Contains(body, "“Student Clubs” still holds 1 article. Move them to another category first.") ||
		!strings.Contains(body, `name="move_to"`) {
		t.Fatalf("delete page does not explain the articles:\n%s", body)
	}
	resp, body = cl.submit("/admin/categories/"+catID(clubs)+"/delete", "/admin/categories/"+catID(clubs)+"/delete", nil)
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, "still holds 1 article. Move them to another category first.") {
		t.Fatalf("refusal not explained:\n%s", body)
	}
	treeNode(t, env, "/campus-life/clubs")
	resp, body = cl.submit("/admin/categories/"+catID(clubs)+"/delete", "/admin/categories/"+catID(clubs)+"/delete",
		url.Values{"move_to": {catID(sports)}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	if tree, _ := env.news.Tree(context.Background()); tree.Node(clubs.ID) != nil {
		t.Fatal("category still there after delete")
	}
	moved, err := env.news.Article(context.Background(), art.ID)
	if err != nil || moved.CategoryID != sports.ID {
		t.Fatalf("article not moved: %v %+v", err, moved)
	}
}

func TestAdminAreaIsForAdminsOnly(t *testing.T) {
	env := newTestEnv(t)
	for _, role := range []accounts.Role{accounts.Editor, accounts.Writer} {
		t.Run(string(role), func(t *testing.T) {
			u := env.mustUser(string(role)+"@example.edu", role)
			cl := env.client()
			cl.login(u.Email)
			for _, path := range []string{"/admin", "/admin/categories", "/admin/users", "/admin/settings", "/admin/audit"} {
				if resp, _ := cl.get(path); resp.StatusCode != http.StatusForbidden {
					t.Errorf("GET %s: status %d, want 403", path, resp.StatusCode)
				}
			}
			resp, body := cl.submit("/account", "/admin/categories/new", url.Values{"name": {"Sneaky"}, "parent_id": {"0"}, "visible": {"1"}})
			mustStatus(t, resp, body, http.StatusForbidden)
			if tree, _ := env.news.Tree(context.Background()); tree.ByPath("/sneaky") != nil {
				t.Fatal("forbidden POST created a category")
			}
		})
	}
	resp, _ := env.client().get("/admin/categories")
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
		t.Fatalf("anonymous: status %d to %q, want 303 to /login", resp.StatusCode, loc)
	}
}

var otpInput = regexp.MustCompile(`id="otp"[^>]*value="([^"]+)"`)

// shownPassword returns the one-time password shown on body.
func shownPassword(t *testing.T, body string) string {
	t.Helper()
	m := otpInput.FindStringSubmatch(body)
	if m == nil || len(m[1]) < 16 {
		t.Fatalf("no one-time password on the page:\n%s", body)
	}
	return m[1]
}

// loginAs signs cl in as email with pw.
func loginAs(t *testing.T, cl *client, email, pw string) {
	t.Helper()
	resp, body := cl.submit("/login", "/login", url.Values{"email": {email}, "password": {pw}})
	mustStatus(t, resp, body, http.StatusSeeOther)
}

func TestAdminCreatesUserWithOneTimePassword(t *testing.T) {
	env, cl, _ := adminEnv(t)
	resp, body := cl.submit("/admin/users/new", "/admin/users/new", url.Values{"email": {"new@example.edu"},
		"name": {"New Writer"}, "role": {"writer"}, "password_mode": {"generate"}})
	mustStatus(t, resp, body, http.StatusOK)
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Fatalf("one-time password page cacheable: %q", cc)
	}
	pw := shownPassword(t, body)
	u, err := env.users.ByEmail(context.Background(), "new@example.edu")
	if err != nil || u.Role != accounts.Writer || !u.MustChangePassword {
		t.Fatalf("created %+v, %v", u, err)
	}
	for _, path := range []string{"/admin/users", "/admin/users/" + strconv.FormatInt(u.ID, 10), "/admin/audit"} {
		if _, body := cl.get(path); strings.Contains(body, pw) {
			t.Fatalf("%s shows the one-time password again", path)
		}
	}

	newbie := env.client()
	loginAs(t, newbie, "new@example.edu", pw)
	resp, _ = newbie.get("/editor")
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/account/password" {
		t.Fatalf("new user not sent to change the password: %d %q", resp.StatusCode, loc)
	}

	// A typed password that the policy refuses is an error beside the field; input is kept.
	resp, body = cl.submit("/admin/users/new", "/admin/users/new", url.Values{"email": {"typed@example.edu"},
		"name": {"Typed Person"}, "role": {"editor"}, "password_mode": {"typed"}, "password": {"short"}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, `id="user-password-error"`) || !strings.Contains(body, "typed@example.edu") {
		t.Fatalf("typed password error not shown or input lost:\n%s", body)
	}
}

func TestAdminChangesRoleAndDeactivates(t *testing.T) {
	env, cl, _ := adminEnv(t)
	w := env.mustUser("writer@example.edu", accounts.Writer)
	path := "/admin/users/" + strconv.FormatInt(w.ID, 10)

	resp, body := cl.submit(path, path, url.Values{"name": {"Promoted"}, "role": {"editor"}, "active": {"1"}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	if u, _ := env.users.ByID(context.Background(), w.ID); u.Role != accounts.Editor || u.Name != "Promoted" || !u.Active {
		t.Fatalf("after role change: %+v", u)
	}

	other := env.client()
	other.login(w.Email)
	if resp, _ := other.get("/account"); resp.StatusCode != http.StatusOK {
		t.Fatalf("editor's own account page: %d", resp.StatusCode)
	}
	resp, body = cl.submit(path, path, url.Values{"name": {"Promoted"}, "role": {"editor"}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	resp, _ = other.get("/account")
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
		t.Fatalf("deactivated user's session still works: %d %q", resp.StatusCode, loc)
	}
	resp, _ = other.submit("/login", "/login", url.Values{"email": {w.Email}, "password": {testPassword}})
	if resp.StatusCode == http.StatusSeeOther {
		t.Fatal("deactivated user could log in")
	}
}

func TestAdminResetsPassword(t *testing.T) {
	env, cl, _ := adminEnv(t)
	w := env.mustUser("writer@example.edu", accounts.Writer)
	other := env.client()
	other.login(w.Email)

	path := "/admin/users/" + strconv.FormatInt(w.ID, 10)
	resp, body := cl.submit(path, path+"/password", nil)
	mustStatus(t, resp, body, http.StatusOK)
	pw := shownPassword(t, body)
	if resp, _ := other.get("/account"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("session survived the password reset: %d", resp.StatusCode)
	}
	loginAs(t, env.client(), w.Email, pw)
}

// Someone who lost both their phone and their recovery codes gets back in through an admin:
// the button turns their two-factor login off and logs them out everywhere.
func TestAdminTurnsOffTwoFactor(t *testing.T) {
	env, cl, admin := adminEnv(t)
	ctx := context.Background()
	w := env.mustUser("writer@example.edu", accounts.Writer)
	path := "/admin/users/" + strconv.FormatInt(w.ID, 10)
	const button = "Turn off two-factor login"
	if _, body := cl.get(path); strings.Contains(body, button) {
		t.Error("the button is offered for an account without two-factor login")
	}
	// Without two-factor login on, the action changes nothing.
	resp, body := cl.submit(path, path+"/2fa/disable", nil)
	mustStatus(t, resp, body, http.StatusSeeOther)
	if _, body := cl.get(path); !strings.Contains(body, "is already off") {
		t.Error("no word that two-factor login was already off")
	}

	lost := env.client()
	lost.login(w.Email)
	enable2FA(t, lost)
	_, body = cl.get(path)
	if !strings.Contains(body, button) || !strings.Contains(body, `action="`+path+`/2fa/disable"`) {
		t.Fatalf("no button to turn off two-factor login on %s:\n%s", path, body)
	}
	resp, body = cl.submit(path, path+"/2fa/disable", nil)
	mustStatus(t, resp, body, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != path {
		t.Errorf("redirected to %q, want %q", loc, path)
	}
	if u, _ := env.users.ByID(ctx, w.ID); u.TOTPEnabled || u.TOTPSecret != "" || u.RecoveryCodes != "" {
		t.Errorf("two-factor login still set up: %+v", u)
	}
	if lost.loggedIn() {
		t.Error("the account's session survived")
	}
	_, body = cl.get(path)
	if strings.Contains(body, button) || !strings.Contains(body, "logged out everywhere") {
		t.Errorf("after turning off: button still there or no confirmation\n%s", body)
	}
	if n := env.auditCount("user.2fa_disable", admin.Email); n != 1 {
		t.Errorf("user.2fa_disable entries by the admin = %d, want 1", n)
	}
	// The owner logs in with the password alone and is in.
	back := env.client()
	back.login(w.Email)
	if !back.loggedIn() {
		t.Error("the owner cannot log in after two-factor login was turned off")
	}

	// An admin's own two-factor login is turned off on their account page, with a code.
	enable2FA(t, cl)
	self := "/admin/users/" + strconv.FormatInt(admin.ID, 10)
	if _, body := cl.get(self); strings.Contains(body, button) {
		t.Error("the button is offered on the admin's own account")
	}
	resp, body = cl.submit(self, self+"/2fa/disable", nil)
	mustStatus(t, resp, body, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/account/2fa" {
		t.Errorf("own account: redirected to %q, want /account/2fa", loc)
	}
	if u, _ := env.users.ByID(ctx, admin.ID); !u.TOTPEnabled {
		t.Error("the admin turned off their own two-factor login without a code")
	}
	if n := env.auditCount("user.2fa_disable", ""); n != 1 {
		t.Errorf("user.2fa_disable entries = %d, want 1", n)
	}
}

func TestLastAdminCannotDemoteThemselves(t *testing.T) {
	env, cl, admin := adminEnv(t)
	path := "/admin/users/" + strconv.FormatInt(admin.ID, 10)
	for _, tc := range []struct {
		name string
		form url.Values
		msg  string
	}{
		{"demote", url.Values{"name": {"Admin"}, "role": {"editor"}, "active": {"1"}}, "The last active administrator must stay an administrator"},
		{"deactivate", url.Values{"name": {"Admin"}, "role": {"admin"}}, "The last active administrator cannot be deactivated"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := cl.submit(path, path, tc.form)
			mustStatus(t, resp, body, http.StatusUnprocessableEntity)
			if !strings.Contains(body, tc.msg) || !strings.Contains(body, "field-error") {
				t.Fatalf("message %q not shown:\n%s", tc.msg, body)
			}
			if u, _ := env.users.ByID(context.Background(), admin.ID); u.Role != accounts.Admin || !u.Active {
				t.Fatalf("last admin changed: %+v", u)
			}
		})
	}
}

// validSettings is a valid settings submission with name.
func validSettings(name string) url.Values {
	return url.Values{"name": {name}, "tagline": {"Tag line"}, "footer": {"Footer text"},
		"contact": {"news@example.edu"}, "time_zone": {"Europe/Berlin"}}
}

func TestAdminSettings(t *testing.T) {
	env, cl, _ := adminEnv(t)
	reader := env.client()
	if _, home := reader.get("/"); strings.Contains(home, "Campus Chronicle") {
		t.Fatal("new name shown before saving")
	}
	resp, body := cl.submit("/admin/settings", "/admin/settings", validSettings("Campus Chronicle"))
	mustStatus(t, resp, body, http.StatusSeeOther)
	if _, home := reader.get("/"); !strings.Contains(home, "Campus Chronicle") {
		t.Fatalf("home page does not show the new name:\n%s", home)
	}
	if _, body = cl.get("/admin/settings"); !strings.Contains(body, `<option value="Europe/Berlin" selected>`) {
		t.Fatal("saved time zone not selected")
	}

	bad := validSettings("Another Name")
	bad.Set("time_zone", "Mars/Olympus")
	resp, body = cl.submit("/admin/settings", "/admin/settings", bad)
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, `id="set-time_zone-error"`) || !strings.Contains(body, "Another Name") ||
		!strings.Contains(body, `<option value="Mars/Olympus" selected>`) {
		t.Fatalf("time zone error not beside the field or input lost:\n%s", body)
	}
	if _, home := reader.get("/"); strings.Contains(home, "Another Name") {
		t.Fatal("refused settings were saved")
	}
}

func TestAdminAuditLog(t *testing.T) {
	env, cl, _ := adminEnv(t)
	newCategory(t, env, cl, "Research", "0", "/research")
	resp, body := cl.submit("/admin/settings", "/admin/settings", validSettings("Audited Name"))
	mustStatus(t, resp, body, http.StatusSeeOther)
	resp, body = cl.submit("/admin/users/new", "/admin/users/new", url.Values{"email": {"w@example.edu"},
		"name": {"W"}, "role": {"writer"}})
	mustStatus(t, resp, body, http.StatusOK)

	_, body = cl.get("/admin/audit")
	if !strings.Contains(body, " CET</time>") && !strings.Contains(body, " CEST</time>") {
		t.Error("audit times not in the site's time zone (Europe/Berlin)")
	}
	// Entries name their action in plain words, with the code as the title.
	login, catCreate := `<span title="login">Logged in</span>`, `<span title="category.create">Created a category</span>`
	settings, userCreate := `<span title="settings.update">Changed the site settings</span>`, `<span title="user.create">Added a user</span>`
	for _, want := range []string{login, catCreate, settings, userCreate, "Audited Name"} {
		if !strings.Contains(body, want) {
			t.Errorf("audit log lacks %s", want)
		}
	}
	for _, tc := range []struct {
		query      string
		want, omit string
	}{
		{"action=category.", catCreate, login},
		{"action=settings.update", settings, catCreate},
		{"action=user.", userCreate, settings},
		{"action=login", login, userCreate},
		{"q=Audited", settings, login},
	} {
		_, body = cl.get("/admin/audit?" + tc.query)
		if !strings.Contains(body, tc.want) || strings.Contains(body, tc.omit) {
			t.Errorf("?%s: want %s without %s", tc.query, tc.want, tc.omit)
		}
	}
	if resp, _ := cl.get("/admin/audit?page=9"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("page past the end: %d", resp.StatusCode)
	}
}

func TestAdminFieldsAreEscaped(t *testing.T) {
	const xss = `<script>alert(1)</script>`
	const escaped = `&lt;script&gt;alert(1)&lt;/script&gt;`
	env, cl, _ := adminEnv(t)
	resp, body := cl.submit("/admin/categories/new", "/admin/categories/new",
		url.Values{"name": {xss}, "description": {xss}, "parent_id": {"0"}, "visible": {"1"}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	sec := treeNode(t, env, "/script-alert-1-script")
	resp, body = cl.submit("/admin/categories/new", "/admin/categories/new",
		url.Values{"name": {xss + " inner"}, "slug": {"inner"}, "description": {xss}, "parent_id": {catID(sec)}, "visible": {"1"}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	form := url.Values{"name": {xss}, "tagline": {xss}, "footer": {xss}, "contact": {xss}, "time_zone": {"UTC"}}
	resp, body = cl.submit("/admin/settings", "/admin/settings", form)
	mustStatus(t, resp, body, http.StatusSeeOther)

	pages := map[string]*client{"/": env.client(), sec.Path: env.client()}
	for _, p := range []string{"/admin", "/admin/categories", "/admin/categories/" + catID(sec), "/admin/categories/" + catID(sec) + "/delete",
		"/admin/settings", "/admin/audit", "/admin/users"} {
		pages[p] = cl
	}
	for path, c := range pages {
		resp, body := c.get(path)
		mustStatus(t, resp, body, http.StatusOK)
		if strings.Contains(body, xss) {
			t.Errorf("%s: raw script in the page", path)
		}
		if !strings.Contains(body, escaped) {
			t.Errorf("%s: escaped text missing", path)
		}
	}
}
