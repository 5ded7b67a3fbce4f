package web

import (
	"context"
	"html"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"campusnews/internal/accounts"
	"campusnews/internal/audit"
)

var (
	loginErrorText = regexp.MustCompile(`<li id="login-error">([^<]*)</li>`)
	hiddenInput    = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
)

// hiddenFields returns the hidden inputs of a page, as a browser would send them.
func hiddenFields(body string) url.Values {
	v := url.Values{}
	for _, m := range hiddenInput.FindAllStringSubmatch(body, -1) {
		v.Add(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	return v
}

// auditCount is how many audit entries have action and, when email is not empty, that address.
func (e *testEnv) auditCount(action, email string) int {
	e.t.Helper()
	entries, _, err := audit.New(e.db).List(context.Background(), audit.Filter{Action: action}, 1, 1000)
	if err != nil {
		e.t.Fatal(err)
	}
	n := 0
	for _, en := range entries {
		if email == "" || en.UserEmail == email {
			n++
		}
	}
	return n
}

// loggedIn reports whether the client's session opens a staff page.
func (cl *client) loggedIn() bool {
	cl.e.t.Helper()
	resp, _ := cl.get("/account")
	switch resp.StatusCode {
	case http.StatusOK:
		return true
	case http.StatusSeeOther:
		if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/login") {
			cl.e.t.Fatalf("/account redirected to %s", loc)
		}
		return false
	}
	cl.e.t.Fatalf("/account: status %d", resp.StatusCode)
	return false
}

func TestLoginSucceeds(t *testing.T) {
	env := newTestEnv(t)
	env.mustUser("ada@example.edu", accounts.Writer)
	cl := env.client()
	if cl.loggedIn() {
		t.Fatal("logged in before logging in")
	}
	resp, body := cl.get("/login?next=/editor/articles")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `autocomplete="current-password"`) ||
		!strings.Contains(body, `name="next" value="/editor/articles"`) {
		t.Fatalf("login form: status %d\n%s", resp.StatusCode, body)
	}
	resp, _ = cl.submit("/login?next=/editor/articles", "/login", url.Values{
		"email": {"ADA@example.edu "}, "password": {testPassword}, "next": {"/editor/articles"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/editor/articles" {
		t.Fatalf("login: status %d, location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if !cl.loggedIn() {
		t.Fatal("not logged in after login")
	}
	if n := env.auditCount("login", "ada@example.edu"); n != 1 {
		t.Errorf("login audit entries = %d, want 1", n)
	}
	// A logged-in visit to the login page goes straight on.
	if resp, _ := cl.get("/login"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/editor" {
		t.Errorf("login page while logged in: status %d, location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestLoginNextStaysOnSite(t *testing.T) {
	env := newTestEnv(t)
	env.mustUser("ada@example.edu", accounts.Writer)
	for _, next := range []string{"https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"} {
		cl := env.client()
		resp, _ := cl.submit("/login", "/login", url.Values{"email": {"ada@example.edu"}, "password": {testPassword},
			"next": {next}})
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/") ||
			strings.HasPrefix(loc, "//") || strings.Contains(loc, "evil") {
			t.Errorf("next %q: status %d, location %q", next, resp.StatusCode, loc)
		}
	}
}

func TestLoginFailuresLookTheSame(t *testing.T) {
	env := newTestEnv(t)
	env.mustUser("ada@example.edu", accounts.Writer)
	cases := []struct{ name, email, password string }{
		{"wrong password", "ada@example.edu", "not the password at all"},
		{"unknown address", "nobody@example.edu", testPassword},
	}
	var msgs []string
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cl := env.client()
			resp, body := cl.submit("/login", "/login", url.Values{"email": {tc.email}, "password": {tc.password}})
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", resp.StatusCode)
			}
			m := loginErrorText.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("no login error in\n%s", body)
			}
			msgs = append(msgs, m[1])
			if !strings.Contains(body, `value="`+tc.email+`"`) {
				t.Error("typed e-mail address not kept")
			}
			if strings.Contains(body, tc.password) {
				t.Error("password written back into the page")
			}
			if cl.loggedIn() {
				t.Error("a failed login logged in")
			}
			if n := env.auditCount("login.failed", tc.email); n != 1 {
				t.Errorf("login.failed entries for %s = %d, want 1", tc.email, n)
			}
		})
	}
	if len(msgs) != 2 || msgs[0] != msgs[1] || msgs[0] != msgBadLogin {
		t.Errorf("messages differ or are unexpected: %q", msgs)
	}
}

func TestLoginEmptyFieldsAndEscaping(t *testing.T) {
	env := newTestEnv(t)
	cl := env.client()
	resp, body := cl.submit("/login", "/login", url.Values{"email": {`<script>alert(1)</script>`}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Enter your password") {
		t.Fatalf("status %d\n%s", resp.StatusCode, body)
	}
	if strings.Contains(body, "<script>alert(1)") || !strings.Contains(body, "&lt;script&gt;alert(1)") {
		t.Error("typed e-mail address not escaped")
	}
	if n := env.auditCount("login.failed", ""); n != 0 {
		t.Errorf("an empty form counted as %d failed logins", n)
	}
}

func TestLoginThrottled(t *testing.T) {
	env := newTestEnv(t)
	env.mustUser("ada@example.edu", accounts.Writer)
	cl := env.client()
	for i := 0; i < 5; i++ {
		resp, _ := cl.submit("/login", "/login", url.Values{"email": {"ada@example.edu"}, "password": {"wrong password number"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("failure %d: status %d", i+1, resp.StatusCode)
		}
	}
	resp, body := cl.submit("/login", "/login", url.Values{"email": {"ada@example.edu"}, "password": {testPassword}})
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("right password after 5 failures: status %d, want 429", resp.StatusCode)
	}
	if !strings.Contains(body, "Too many failed attempts. Try again in 15 minutes.") || resp.Header.Get("Retry-After") == "" {
		t.Errorf("no clear throttling message or Retry-After header\n%s", body)
	}
	if cl.loggedIn() {
		t.Error("a throttled login logged in")
	}
	if n := env.auditCount("login.throttled", "ada@example.edu"); n != 1 {
		t.Errorf("login.throttled entries = %d, want 1", n)
	}
}

// A lockout is recorded when it starts; the attempts it refuses add nothing to the audit log,
// however many there are, and what a stranger types is cut short.
func TestThrottledLoginsAddNoAuditEntries(t *testing.T) {
	env := newTestEnv(t)
	cl := env.client()
	typed := strings.Repeat("a", 240) + "@example.edu"
	for i := 0; i < 5; i++ {
		resp, _ := cl.submit("/login", "/login", url.Values{"email": {typed}, "password": {"wrong password number"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("failure %d: status %d", i+1, resp.StatusCode)
		}
	}
	var before int64
	env.db.Raw("SELECT COUNT(*) FROM audit_entries").Scan(&before)
	if before != 6 {
		t.Errorf("%d entries after 5 failures, want 5 login.failed and 1 login.throttled", before)
	}
	const refused = 200
	_, page := cl.get("/login")
	tok := csrfInput.FindStringSubmatch(page)[1]
	for i := 0; i < refused; i++ {
		resp, _ := cl.post("/login", url.Values{"_csrf": {tok}, "email": {typed}, "password": {"wrong password number"}})
		if resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("attempt %d: status %d, want 429", i+6, resp.StatusCode)
		}
	}
	var after, longest int64
	env.db.Raw("SELECT COUNT(*) FROM audit_entries").Scan(&after)
	env.db.Raw("SELECT MAX(LENGTH(user_email)) FROM audit_entries").Scan(&longest)
	if after != before {
		t.Errorf("%d throttled attempts added %d audit entries, want none", refused, after-before)
	}
	if longest > 100 {
		t.Errorf("an anonymous attempt stored %d characters of typed e-mail address", longest)
	}
}

func TestLoginRefusesBadCSRF(t *testing.T) {
	env := newTestEnv(t)
	env.mustUser("ada@example.edu", accounts.Writer)
	cases := []struct {
		name  string
		token string
		visit bool // fetched the form first, so the session has a token
	}{
		{"missing token, no session", "", false},
		{"missing token", "", true},
		{"forged token", strings.Repeat("ab", 32), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cl := env.client()
			if tc.visit {
				cl.get("/login")
			}
			form := url.Values{"email": {"ada@example.edu"}, "password": {testPassword}}
			if tc.token != "" {
				form.Set("_csrf", tc.token)
			}
			resp, body := cl.post("/login", form)
			if resp.StatusCode == http.StatusSeeOther || resp.StatusCode < 400 {
				t.Fatalf("status %d: the login was accepted", resp.StatusCode)
			}
			if !strings.Contains(body, "The login form had expired") || !strings.Contains(body, `value="ada@example.edu"`) {
				t.Errorf("no explanation or lost address\n%s", body)
			}
			if cl.loggedIn() {
				t.Error("logged in without a valid token")
			}
		})
	}
	if n := env.auditCount("login", ""); n != 0 {
		t.Errorf("%d logins recorded", n)
	}
}

func TestLogoutEndsSessionOnServer(t *testing.T) {
	env := newTestEnv(t)
	env.mustUser("ada@example.edu", accounts.Writer)
	cl := env.client()
	cl.login("ada@example.edu")
	base, _ := url.Parse(env.http.URL)
	saved := cl.c.Jar.Cookies(base)
	resp, _ := cl.submit("/account", "/logout", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Fatalf("logout: status %d, location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, body := cl.get("/login"); !strings.Contains(body, "You are logged out.") {
		t.Error("no logout message")
	}
	if cl.loggedIn() {
		t.Error("still logged in after logout")
	}
	jar, _ := cookiejar.New(nil)
	jar.SetCookies(base, saved)
	thief := env.client()
	thief.c.Jar = jar
	if thief.loggedIn() {
		t.Error("a copy of the cookie from before logout still works")
	}
	if n := env.auditCount("logout", "ada@example.edu"); n != 1 {
		t.Errorf("logout entries = %d, want 1", n)
	}
}

// Typing /logout shows a page whose button logs out; the GET itself changes nothing, so a
// link or an image pointing there cannot end anyone's login.
func TestLogoutPage(t *testing.T) {
	env := newTestEnv(t)
	env.mustUser("ada@example.edu", accounts.Writer)
	cl := env.client()
	cl.login("ada@example.edu")
	resp, body := cl.get("/logout")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /logout: status %d\n%s", resp.StatusCode, body)
	}
	main := body[strings.Index(body, `<main`):]
	for _, want := range []string{`class="site-header staff-header"`, "<h1>Log out</h1>", "ada@example.edu"} {
		if !strings.Contains(body, want) {
			t.Errorf("logout page lacks %q", want)
		}
	}
	if !regexp.MustCompile(`<form class="form" action="/logout" method="post">\s*<input type="hidden" name="_csrf" value="[^"]+">`).MatchString(main) {
		t.Errorf("no log-out form with a CSRF token in the page:\n%s", main)
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("logout page cacheable: %q", cc)
	}
	if !cl.loggedIn() {
		t.Fatal("GET /logout logged out")
	}
	resp, _ = cl.submit("/logout", "/logout", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" || cl.loggedIn() {
		t.Fatalf("the page's button: status %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body = cl.get("/logout")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Errorf("GET /logout logged out: status %d to %q\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
}

func TestDeactivationLogsOutAtOnce(t *testing.T) {
	env := newTestEnv(t)
	env.mustUser("root@example.edu", accounts.Admin) // the last admin may not be deactivated
	u := env.mustUser("ada@example.edu", accounts.Writer)
	cl := env.client()
	cl.login("ada@example.edu")
	if !cl.loggedIn() {
		t.Fatal("not logged in")
	}
	if _, err := env.users.Update(context.Background(), audit.Actor{}, u.ID, accounts.UserUpdate{Name: u.Name, Role: u.Role, Active: false}); err != nil {
		t.Fatal(err)
	}
	if cl.loggedIn() {
		t.Error("a deactivated user is still logged in")
	}
	resp, _ := cl.submit("/login", "/login", url.Values{"email": {"ada@example.edu"}, "password": {testPassword}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("deactivated user logging in: status %d, want 422", resp.StatusCode)
	}
}

func TestPendingSecondFactorExpires(t *testing.T) {
	env := newTestEnv(t)
	cases := []struct {
		age  time.Duration
		want bool
	}{{0, true}, {4 * time.Minute, true}, {6 * time.Minute, false}, {-time.Hour, false}}
	for _, tc := range cases {
		req, _ := http.NewRequest(http.MethodGet, "/login/2fa", nil)
		c := env.srv.echo.NewContext(req, nil)
		sess := env.srv.session(c)
		sess.Values[keyPending] = int64(7)
		sess.Values[keyPendingAt] = time.Now().Add(-tc.age).Unix()
		id, ok := env.srv.pendingUser(c)
		if ok != tc.want || (ok && id != 7) {
			t.Errorf("age %v: got %d %v, want %v", tc.age, id, ok, tc.want)
		}
	}
}

func TestTwoFactorPageNeedsPasswordStep(t *testing.T) {
	env := newTestEnv(t)
	cl := env.client()
	resp, _ := cl.get("/login/2fa")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Fatalf("status %d, location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body := cl.submit("/login", "/login/2fa", url.Values{"code": {"123456"}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, msgLoginAgain) {
		t.Errorf("code without password step: status %d\n%s", resp.StatusCode, body)
	}
	if cl.loggedIn() {
		t.Error("logged in with a code alone")
	}
}
