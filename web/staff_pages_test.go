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
	"campusnews/internal/audit"
	"campusnews/internal/news"
)

var (
	staffNav    = regexp.MustCompile(`(?s)<nav class="site-nav staff-nav" aria-label="Staff">.*?</nav>`)
	currentLink = regexp.MustCompile(`<a href="([^"]+)" aria-current="true">`)
)

// menuCurrent returns the staff menu entries a page marks as current.
func menuCurrent(t *testing.T, body string) []string {
	t.Helper()
	nav := staffNav.FindString(body)
	if nav == "" {
		t.Fatalf("no staff menu on the page\n%s", body)
	}
	var out []string
	for _, m := range currentLink.FindAllStringSubmatch(nav, -1) {
		out = append(out, m[1])
	}
	return out
}

// Every staff page marks the menu entry of its part of the staff area, sub-pages included.
func TestStaffMenuMarksTheSection(t *testing.T) {
	env, cl, admin := adminEnv(t)
	sec := newCategory(t, env, cl, "Campus", "0", "/campus")
	cat := newCategory(t, env, cl, "Research", catID(sec), "/campus/research")
	actor := news.Actor{UserID: admin.ID, Email: admin.Email, CanPublish: true, CanEditAny: true}
	art, err := env.news.Create(context.Background(), actor, news.ArticleInput{Title: "Menu test", CategoryID: cat.ID})
	if err != nil {
		t.Fatal(err)
	}
	a := "/editor/articles/" + strconv.FormatInt(art.ID, 10)
	img := "/editor/media/" + strconv.FormatInt(cl.mustUpload("A photo"), 10)
	writer := env.mustUser("writer@example.edu", accounts.Writer)
	u := "/admin/users/" + strconv.FormatInt(writer.ID, 10)

	for path, want := range map[string]string{
		"/editor": "/editor", "/editor/articles": "/editor/articles", "/editor/articles/new": "/editor/articles/new",
		a: "/editor/articles", a + "/revisions": "/editor/articles", a + "/delete": "/editor/articles",
		"/editor/media": "/editor/media", img: "/editor/media",
		"/admin/categories": "/admin/categories", "/admin/categories/new": "/admin/categories",
		"/admin/categories/" + catID(cat): "/admin/categories", "/admin/categories/" + catID(cat) + "/delete": "/admin/categories",
		"/admin/users": "/admin/users", "/admin/users/new": "/admin/users", u: "/admin/users",
		"/admin/settings": "/admin/settings", "/admin/audit": "/admin/audit",
		"/admin": "", "/account": "", "/account/password": "",
	} {
		resp, body := cl.get(path)
		mustStatus(t, resp, body, http.StatusOK)
		got := menuCurrent(t, body)
		if want == "" && len(got) != 0 || want != "" && (len(got) != 1 || got[0] != want) {
			t.Errorf("%s marks %q in the menu, want %q", path, got, want)
		}
	}

	// The page with a new account's one-time password answers a POST; it belongs to Users.
	resp, body := cl.submit("/admin/users/new", "/admin/users/new", url.Values{"email": {"new@example.edu"},
		"name": {"New"}, "role": {"writer"}, "password_mode": {"generate"}})
	mustStatus(t, resp, body, http.StatusOK)
	if got := menuCurrent(t, body); len(got) != 1 || got[0] != "/admin/users" {
		t.Errorf("the one-time password page marks %q, want /admin/users", got)
	}
}

// Someone who must replace a password set for them sees only the site's name, their own
// name and Log out: every menu entry would bring them back to the password form.
func TestForcedPasswordChangeHasMinimalHeader(t *testing.T) {
	env := newTestEnv(t)
	u := env.mustUser("ada@example.edu", accounts.Editor)
	if err := env.users.SetPassword(context.Background(), audit.Actor{}, u.ID, testPassword, true); err != nil {
		t.Fatal(err)
	}
	cl := env.client()
	cl.login(u.Email)
	resp, body := cl.get("/account/password")
	mustStatus(t, resp, body, http.StatusOK)
	if staffNav.MatchString(body) || strings.Contains(body, `href="/editor/articles"`) || strings.Contains(body, `href="/account"`) {
		t.Error("the forced password change shows the staff menu or links away")
	}
	for _, want := range []string{`<span class="brand-name">`, `<span class="staff-name">ada</span>`, `action="/logout"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the minimal header lacks %s", want)
		}
	}

	resp, body = cl.submit("/account/password", "/account/password", url.Values{"current_password": {testPassword},
		"password": {newPassword}, "password_repeat": {newPassword}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	_, body = cl.get("/account/password")
	if !staffNav.MatchString(body) || !strings.Contains(body, `<a href="/account">ada</a>`) {
		t.Error("after the change the full staff header does not come back")
	}
}

const loginNotice = "Please log in to continue."

// A staff page that sends a logged-out visitor to the login form says why; the login form
// opened directly, or reached with a message of its own, does not.
func TestLoginSaysWhyAfterRedirect(t *testing.T) {
	env := newTestEnv(t)
	cl := env.client()
	resp, _ := cl.get("/editor/articles")
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login?next=") {
		t.Fatalf("a logged-out staff page: status %d, location %q", resp.StatusCode, loc)
	}
	resp, body := cl.get(loc)
	mustStatus(t, resp, body, http.StatusOK)
	if !strings.Contains(body, loginNotice) {
		t.Errorf("the login form reached from a staff page does not say %q", loginNotice)
	}
	if _, body = cl.get("/login"); strings.Contains(body, loginNotice) {
		t.Errorf("the login form opened directly says %q", loginNotice)
	}
	// A login whose code step timed out comes back with next= and its own message.
	resp, _ = cl.get("/login/2fa?next=/editor")
	loc = resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login?next=") {
		t.Fatalf("an expired code step: status %d, location %q", resp.StatusCode, loc)
	}
	_, body = cl.get(loc)
	if !strings.Contains(body, msgLoginAgain) || strings.Contains(body, loginNotice) {
		t.Errorf("after an expired code step the login form says %q: %v, %q: %v, want only the first",
			msgLoginAgain, strings.Contains(body, msgLoginAgain), loginNotice, strings.Contains(body, loginNotice))
	}
}

// Statuses read as words in the filter, the badges and the counts, never as stored values.
func TestArticleStatusLabels(t *testing.T) {
	ee := newEditorEnv(t)
	id := ee.newArticle(ee.writer, "Waiting for review", "Text.", "submit")
	resp, body := ee.ed.get("/editor/articles")
	mustStatus(t, resp, body, http.StatusOK)
	for _, st := range news.Statuses {
		if !strings.Contains(body, `<option value="`+string(st)+`">`+st.Label()+`</option>`) {
			t.Errorf("the status filter lacks %q labelled %q", st, st.Label())
		}
	}
	for _, want := range []string{`<span class="status status-review">In review</span>`, `<option value="review">In review</option>`} {
		if !strings.Contains(body, want) {
			t.Errorf("the article list lacks %s", want)
		}
	}
	if _, body = ee.ed.get("/editor/articles?status=review"); !strings.Contains(body, `<option value="review" selected>In review</option>`) {
		t.Error("the chosen status is not selected by its label")
	}
	for _, path := range []string{"/editor", editURL(id)} {
		_, body = ee.ed.get(path)
		if !strings.Contains(body, `<span class="status status-review">In review</span>`) || strings.Contains(body, `">review</span>`) {
			t.Errorf("%s does not label the status as In review", path)
		}
	}
}

func TestStatusLabelsAreComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, st := range news.Statuses {
		l := st.Label()
		if l == string(st) || seen[l] {
			t.Errorf("status %q has label %q", st, l)
		}
		seen[l] = true
	}
}

// A section's row counts the articles of its categories, from the one grouped count.
func TestCategoryListCountsSectionArticles(t *testing.T) {
	env, cl, admin := adminEnv(t)
	sec := newCategory(t, env, cl, "Campus", "0", "/campus")
	a := newCategory(t, env, cl, "Research", catID(sec), "/campus/research")
	b := newCategory(t, env, cl, "Sport", catID(sec), "/campus/sport")
	empty := newCategory(t, env, cl, "Empty Section", "0", "/empty-section")
	actor := news.Actor{UserID: admin.ID, Email: admin.Email, CanPublish: true, CanEditAny: true}
	for i, cat := range []*news.Node{a, a, b} {
		if _, err := env.news.Create(context.Background(), actor, news.ArticleInput{Title: "Story " + strconv.Itoa(i), CategoryID: cat.ID}); err != nil {
			t.Fatal(err)
		}
	}
	_, body := cl.get("/admin/categories")
	for _, tc := range []struct {
		node *news.Node
		want string
	}{
		{sec, `3 <span class="hint">in all</span>`}, {a, "2"}, {b, "1"}, {empty, `0 <span class="hint">in all</span>`},
	} {
		row := regexp.MustCompile(`(?s)<tr id="cat-` + catID(tc.node) + `".*?<td data-label="Articles" class="num">(.*?)</td>`).FindStringSubmatch(body)
		if row == nil || row[1] != tc.want {
			t.Errorf("%s: articles cell %q, want %q", tc.node.Name, row, tc.want)
		}
	}
}

// The admin forms head their error summary as the article form does, counting the fields,
// in the order of the form, each linking to its control.
func TestAdminFormsErrorSummary(t *testing.T) {
	env, cl, _ := adminEnv(t)
	sec := newCategory(t, env, cl, "Campus", "0", "/campus")
	summary := regexp.MustCompile(`(?s)<div class="error-summary" role="alert" tabindex="-1">\s*<h2>([^<]+)</h2>\s*<ul>(.*?)</ul>`)
	link := regexp.MustCompile(`<a href="#([^"]+)">`)
	for _, tc := range []struct {
		form, post string
		values     url.Values
		heading    string
		links      []string
	}{
		{"/admin/categories/new", "/admin/categories/new", url.Values{"name": {""}, "parent_id": {catID(sec)}},
			"Please check one field", []string{"cat-name"}},
		{"/admin/users/new", "/admin/users/new", url.Values{"email": {"not an address"}, "name": {""}, "role": {"writer"},
			"password_mode": {"typed"}, "password": {"short"}},
			"Please check 3 fields", []string{"user-email", "user-name", "user-password"}},
		{"/admin/settings", "/admin/settings", func() url.Values {
			v := validSettings("")
			v.Set("time_zone", "Mars/Olympus")
			return v
		}(), "Please check 2 fields", []string{"set-name", "set-time_zone"}},
		{"/account/password", "/account/password", url.Values{"current_password": {""}, "password": {"short"}, "password_repeat": {"other"}},
			"Please check 3 fields", []string{"current_password", "password", "password_repeat"}},
	} {
		resp, body := cl.submit(tc.form, tc.post, tc.values)
		mustStatus(t, resp, body, http.StatusUnprocessableEntity)
		m := summary.FindStringSubmatch(body)
		if m == nil {
			t.Errorf("%s: no error summary\n%s", tc.post, body)
			continue
		}
		var got []string
		for _, l := range link.FindAllStringSubmatch(m[2], -1) {
			got = append(got, l[1])
			if !strings.Contains(body, `id="`+l[1]+`"`) {
				t.Errorf("%s: the summary links to #%s, which is not on the page", tc.post, l[1])
			}
		}
		if m[1] != tc.heading || strings.Join(got, ",") != strings.Join(tc.links, ",") {
			t.Errorf("%s: summary %q linking %q, want %q linking %q", tc.post, m[1], got, tc.heading, tc.links)
		}
	}
}

// The wording of the user list and the account page matches who may do what: categories are
// for administrators, and only an administrator can change a name or role, never an e-mail.
func TestStaffWordingMatchesRights(t *testing.T) {
	env, cl, admin := adminEnv(t)
	_, body := cl.get("/admin/users")
	if !strings.Contains(body, "editors also approve and publish them; administrators also manage categories, accounts and settings.") {
		t.Error("the user list does not say that categories are for administrators")
	}
	_, body = cl.get("/account")
	if want := `Change your name or role on <a href="/admin/users/` + strconv.FormatInt(admin.ID, 10) + `">`; !strings.Contains(body, want) ||
		strings.Contains(body, "Ask an administrator") {
		t.Errorf("the admin's account page does not point to their user entry (%s)", want)
	}
	env.mustUser("ed@example.edu", accounts.Editor)
	ed := env.client()
	ed.login("ed@example.edu")
	_, body = ed.get("/account")
	if !strings.Contains(body, "Ask an administrator to change your name or role.") || strings.Contains(body, "/admin/users") {
		t.Error("an editor's account page does not say to ask an administrator")
	}
	if strings.Contains(body, "address") && strings.Contains(body, "managed by an administrator") {
		t.Error("the account page still promises that an administrator manages the e-mail address")
	}
}
