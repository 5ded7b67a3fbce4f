package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"campusnews/internal/accounts"
	"campusnews/internal/audit"
)

var (
	secretText    = regexp.MustCompile(`class="totp-secret">([A-Z2-7 ]+)<`)
	recoveryText  = regexp.MustCompile(`<li><code>([a-z]{4}-[a-z]{4}-[a-z]{4})</code></li>`)
	qrImage       = regexp.MustCompile(`<img src="data:image/png;base64,([A-Za-z0-9/=]|&#43;)+" width="200" height="200" alt="[^"]+">`)
	fieldErrorFor = func(field string) *regexp.Regexp {
		return regexp.MustCompile(`<p class="field-error" id="` + field + `-error">([^<]+)</p>`)
	}
)

const newPassword = "a brand new passphrase"

func TestAccountPage(t *testing.T) {
	env := newTestEnv(t)
	env.mustUser("ada@example.edu", accounts.Editor)
	cl := env.client()
	cl.login("ada@example.edu")
	resp, body := cl.get("/account")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{"ada@example.edu", "Editor", "Two-factor login", `href="/account/password"`, `href="/account/2fa"`, "Off"} {
		if !strings.Contains(body, want) {
			t.Errorf("account page lacks %q", want)
		}
	}
}

func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	env := newTestEnv(t)
	env.mustUser("ada@example.edu", accounts.Writer)
	here, there := env.client(), env.client()
	here.login("ada@example.edu")
	there.login("ada@example.edu")

	bad := []struct {
		name, field string
		form        url.Values
	}{
		{"repeat differs", "password_repeat", url.Values{"current_password": {testPassword}, "password": {newPassword},
			"password_repeat": {newPassword + "x"}}},
		{"current wrong", "current_password", url.Values{"current_password": {"not my password"}, "password": {newPassword},
			"password_repeat": {newPassword}}},
		{"too short", "password", url.Values{"current_password": {testPassword}, "password": {"short"},
			"password_repeat": {"short"}}},
	}
	for _, tc := range bad {
		resp, body := here.submit("/account/password", "/account/password", tc.form)
		if resp.StatusCode != http.StatusUnprocessableEntity || !fieldErrorFor(tc.field).MatchString(body) {
			t.Errorf("%s: status %d, no error beside %s\n%s", tc.name, resp.StatusCode, tc.field, body)
		}
		if strings.Contains(body, newPassword) {
			t.Errorf("%s: a password was written back into the page", tc.name)
		}
	}
	if !there.loggedIn() {
		t.Fatal("a refused change ended the other session")
	}

	resp, _ := here.submit("/account/password", "/account/password", url.Values{"current_password": {testPassword},
		"password": {newPassword}, "password_repeat": {newPassword}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/editor" {
		t.Fatalf("change: status %d, location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if !here.loggedIn() {
		t.Error("the browser that changed the password was logged out")
	}
	if there.loggedIn() {
		t.Error("another session survived the password change")
	}
	if _, err := env.users.Authenticate(context.Background(), audit.Actor{IP: "192.0.2.1"}, "ada@example.edu", newPassword); err != nil {
		t.Errorf("new password does not work: %v", err)
	}
	if n := env.auditCount("password.change", "ada@example.edu"); n != 1 {
		t.Errorf("password.change entries = %d, want 1", n)
	}
}

func TestMustChangePasswordFirst(t *testing.T) {
	env := newTestEnv(t)
	u := env.mustUser("ada@example.edu", accounts.Writer)
	if err := env.users.SetPassword(context.Background(), audit.Actor{}, u.ID, testPassword, true); err != nil {
		t.Fatal(err)
	}
	cl := env.client()
	cl.login("ada@example.edu")
	resp, _ := cl.get("/editor")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/account/password" {
		t.Fatalf("editor with a password to change: status %d, location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, body := cl.get("/account/password"); !strings.Contains(body, "Choose your own password to continue") {
		t.Error("no explanation on the password page")
	}
	resp, _ = cl.submit("/account/password", "/account/password", url.Values{"current_password": {testPassword},
		"password": {newPassword}, "password_repeat": {newPassword}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("change: status %d", resp.StatusCode)
	}
	if _, body := cl.get("/account/password"); strings.Contains(body, "Choose your own password to continue") {
		t.Error("still asked to choose a password")
	}
}

var nextInput = regexp.MustCompile(`<input type="hidden" name="next" value="([^"]*)">`)

// Someone who logs in to reach a page, and must first change their password, gets to that
// page afterwards; the address rides the password form, refusals included, and is checked
// like the login's.
func TestForcedChangeGoesOnToNext(t *testing.T) {
	env := newTestEnv(t)
	u := env.mustUser("ada@example.edu", accounts.Writer)
	if err := env.users.SetPassword(context.Background(), audit.Actor{}, u.ID, testPassword, true); err != nil {
		t.Fatal(err)
	}
	const want = "/editor/articles?status=draft"
	cl := env.client()
	resp, body := cl.submit("/login?next="+url.QueryEscape(want), "/login", url.Values{"email": {u.Email},
		"password": {testPassword}, "next": {want}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
		t.Fatalf("login: status %d to %q\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	resp, _ = cl.get(want)
	form := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || form != "/account/password?next="+url.QueryEscape(want) {
		t.Fatalf("GET %s with a password to change: status %d to %q", want, resp.StatusCode, form)
	}
	_, body = cl.get(form)
	m := nextInput.FindStringSubmatch(body)
	if m == nil || html.UnescapeString(m[1]) != want {
		t.Fatalf("the password form does not carry next %q: %v", want, m)
	}
	next := html.UnescapeString(m[1])

	resp, body = cl.submit(form, "/account/password", url.Values{"current_password": {testPassword},
		"password": {newPassword}, "password_repeat": {newPassword + "x"}, "next": {next}})
	m = nextInput.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusUnprocessableEntity || m == nil || html.UnescapeString(m[1]) != want {
		t.Fatalf("refused change: status %d, next %v", resp.StatusCode, m)
	}
	resp, _ = cl.submit(form, "/account/password", url.Values{"current_password": {testPassword},
		"password": {newPassword}, "password_repeat": {newPassword}, "next": {next}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
		t.Fatalf("change: status %d to %q, want %q", resp.StatusCode, resp.Header.Get("Location"), want)
	}
	if resp, _ := cl.get(want); resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s after the change: status %d", want, resp.StatusCode)
	}

	// Another site is never a place to go on to.
	resp, _ = cl.submit("/account/password", "/account/password", url.Values{"current_password": {newPassword},
		"password": {testPassword}, "password_repeat": {testPassword}, "next": {"//evil.example/x"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/editor" {
		t.Errorf("change with a foreign next: status %d to %q, want /editor", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// The one-time password an account was given cannot be chosen again as its own: the form
// says so beside the new password, writes no password back, and the change is still due.
func TestForcedChangeRefusesTheSamePassword(t *testing.T) {
	env, admin, _ := adminEnv(t)
	resp, body := admin.submit("/admin/users/new", "/admin/users/new", url.Values{"email": {"new@example.edu"},
		"name": {"New Writer"}, "role": {"writer"}, "password_mode": {"generate"}})
	mustStatus(t, resp, body, http.StatusOK)
	otp := shownPassword(t, body)
	cl := env.client()
	loginAs(t, cl, "new@example.edu", otp)

	resp, body = cl.submit("/account/password", "/account/password", url.Values{"current_password": {otp},
		"password": {otp}, "password_repeat": {otp}})
	m := fieldErrorFor("password").FindStringSubmatch(body)
	if resp.StatusCode != http.StatusUnprocessableEntity || m == nil || !strings.Contains(m[1], "different from your current") {
		t.Fatalf("new password equal to the one-time one: status %d\n%s", resp.StatusCode, body)
	}
	if strings.Contains(body, otp) {
		t.Error("a password was written back into the page")
	}
	if !strings.Contains(body, "Choose your own password to continue") {
		t.Error("the refused form no longer explains the forced change")
	}
	if resp, _ := cl.get("/editor"); resp.Header.Get("Location") != "/account/password" {
		t.Errorf("after the refused change: GET /editor status %d to %q, want the password form",
			resp.StatusCode, resp.Header.Get("Location"))
	}
	if u, _ := env.users.ByEmail(context.Background(), "new@example.edu"); !u.MustChangePassword {
		t.Error("the account no longer has to change its password")
	}

	// Not only when forced: an ordinary change to the same password is refused as well.
	env.mustUser("ada@example.edu", accounts.Writer)
	ada := env.client()
	ada.login("ada@example.edu")
	resp, body = ada.submit("/account/password", "/account/password", url.Values{"current_password": {testPassword},
		"password": {testPassword}, "password_repeat": {testPassword}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !fieldErrorFor("password").MatchString(body) {
		t.Fatalf("ordinary change to the same password: status %d\n%s", resp.StatusCode, body)
	}
	if !ada.loggedIn() {
		t.Error("a refused change ended the session")
	}
}

// enable2FA turns two-factor login on through the pages and returns the secret and the
// recovery codes.
func enable2FA(t *testing.T, cl *client) (string, []string) {
	t.Helper()
	resp, body := cl.get("/account/2fa")
	m := secretText.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil || !qrImage.MatchString(body) || !strings.Contains(body, "otpauth://totp/") {
		t.Fatalf("setup page: status %d, no secret, QR code or URL\n%s", resp.StatusCode, body)
	}
	secret := strings.ReplaceAll(m[1], " ", "")
	if _, again := cl.get("/account/2fa"); !strings.Contains(again, m[1]) {
		t.Error("reloading the setup page changed the secret")
	}
	var untouched int64
	cl.e.db.Raw("SELECT COUNT(*) FROM users WHERE email = ? AND totp_secret = ''", secretOwner(t, body)).Scan(&untouched)
	if untouched != 1 {
		t.Error("showing the setup page stored a secret on the account")
	}
	resp, body = cl.submit("/account/2fa", "/account/2fa/enable", url.Values{"code": {wrongCode(t, secret)},
		"password": {testPassword}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, m[1]) || !fieldErrorFor("code").MatchString(body) {
		t.Fatalf("wrong setup code: status %d, or the secret changed", resp.StatusCode)
	}
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	resp, body = cl.submit("/account/2fa", "/account/2fa/enable", url.Values{"code": {code}, "password": {testPassword}})
	var codes []string
	for _, c := range recoveryText.FindAllStringSubmatch(body, -1) {
		codes = append(codes, c[1])
	}
	if resp.StatusCode != http.StatusOK || len(codes) != 10 || !strings.Contains(body, "shown only this once") {
		t.Fatalf("enable: status %d, %d recovery codes\n%s", resp.StatusCode, len(codes), body)
	}
	return secret, codes
}

// nextCode is the code of secret for the next thirty seconds, which the server accepts now as
// one step of clock skew: unlike the current one, it has not been spent on turning two-factor
// login on.
func nextCode(t *testing.T, secret string) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, time.Now().Add(30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// wrongCode is a six-digit code that is not valid for secret around now.
func wrongCode(t *testing.T, secret string) string {
	t.Helper()
	valid := map[string]bool{}
	for _, d := range []time.Duration{-time.Minute, -30 * time.Second, 0, 30 * time.Second, time.Minute} {
		c, err := totp.GenerateCode(secret, time.Now().Add(d))
		if err != nil {
			t.Fatal(err)
		}
		valid[c] = true
	}
	for _, c := range []string{"000000", "111111", "222222", "333333", "444444", "555555"} {
		if !valid[c] {
			return c
		}
	}
	t.Fatal("no wrong code found")
	return ""
}

// passwordStep logs in with the password on a fresh client and expects the code form next.
func passwordStep(t *testing.T, env *testEnv) *client {
	t.Helper()
	cl := env.client()
	resp, _ := cl.submit("/login", "/login", url.Values{"email": {"ada@example.edu"}, "password": {testPassword},
		"next": {"/account"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login/2fa?next=%2Faccount" {
		t.Fatalf("password step: status %d, location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if cl.loggedIn() {
		t.Fatal("logged in after the password step alone")
	}
	return cl
}

func TestTwoFactorLogin(t *testing.T) {
	env := newTestEnv(t)
	env.mustUser("ada@example.edu", accounts.Writer)
	setup := env.client()
	setup.login("ada@example.edu")
	secret, codes := enable2FA(t, setup)

	cl := passwordStep(t, env)
	resp, body := cl.submit("/login/2fa?next=/account", "/login/2fa", url.Values{"code": {wrongCode(t, secret)}, "next": {"/account"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, msgBadCode) || cl.loggedIn() {
		t.Fatalf("wrong code: status %d\n%s", resp.StatusCode, body)
	}
	code := nextCode(t, secret) // the current one was spent turning it on
	resp, _ = cl.submit("/login/2fa?next=/account", "/login/2fa", url.Values{"code": {code}, "next": {"/account"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/account" || !cl.loggedIn() {
		t.Fatalf("right code: status %d, location %q", resp.StatusCode, resp.Header.Get("Location"))
	}

	recovery := strings.ToUpper(codes[3]) // people type codes loosely
	cl = passwordStep(t, env)
	resp, _ = cl.submit("/login/2fa", "/login/2fa", url.Values{"code": {recovery}})
	if resp.StatusCode != http.StatusSeeOther || !cl.loggedIn() {
		t.Fatalf("recovery code: status %d", resp.StatusCode)
	}
	cl = passwordStep(t, env)
	resp, _ = cl.submit("/login/2fa", "/login/2fa", url.Values{"code": {recovery}})
	if resp.StatusCode != http.StatusUnprocessableEntity || cl.loggedIn() {
		t.Fatalf("used recovery code again: status %d", resp.StatusCode)
	}
	if n := env.auditCount("login.failed", "ada@example.edu"); n != 2 {
		t.Errorf("failed code entries = %d, want 2", n)
	}
	if n := env.auditCount("2fa.enable", "ada@example.edu"); n != 1 {
		t.Errorf("2fa.enable entries = %d, want 1", n)
	}
}

func TestTwoFactorDisable(t *testing.T) {
	env := newTestEnv(t)
	env.mustUser("ada@example.edu", accounts.Editor)
	cl := env.client()
	cl.login("ada@example.edu")
	_, codes := enable2FA(t, cl)

	setRequire2FA(t, env, true)
	resp, body := cl.submit("/account/2fa", "/account/2fa/disable", url.Values{"password": {testPassword}})
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "cannot be turned off") {
		t.Fatalf("disable while required: status %d\n%s", resp.StatusCode, body)
	}
	setRequire2FA(t, env, false)
	resp, body = cl.submit("/account/2fa", "/account/2fa/disable", url.Values{"password": {"not my password"}, "code": {codes[1]}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !fieldErrorFor("password").MatchString(body) {
		t.Fatalf("disable with a wrong password: status %d\n%s", resp.StatusCode, body)
	}
	resp, body = cl.submit("/account/2fa", "/account/2fa/disable", url.Values{"password": {testPassword}, "code": {"000000"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !fieldErrorFor("code").MatchString(body) {
		t.Fatalf("disable with the password but a wrong code: status %d", resp.StatusCode)
	}
	resp, _ = cl.submit("/account/2fa", "/account/2fa/disable", url.Values{"password": {testPassword}, "code": {codes[0]}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: status %d", resp.StatusCode)
	}
	if u, _ := env.users.ByEmail(context.Background(), "ada@example.edu"); u.TOTPEnabled {
		t.Error("two-factor login still on")
	}
	if n := env.auditCount("2fa.disable", "ada@example.edu"); n != 1 {
		t.Errorf("2fa.disable entries = %d, want 1", n)
	}
	if _, body := cl.get("/account/2fa"); !secretText.MatchString(body) {
		t.Error("no setup offered after turning off")
	}
}

// Where the site requires two-factor login, an editor without it is sent to set it up, sees no
// menu whose entries would send them back, and goes on to the page they asked for.
func TestRequiredTwoFactorSetupGoesOnToNext(t *testing.T) {
	env := newTestEnv(t)
	env.mustUser("ada@example.edu", accounts.Editor)
	setRequire2FA(t, env, true)
	cl := env.client()
	cl.login("ada@example.edu")
	resp, _ := cl.get("/editor/media")
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/account/2fa?next=%2Feditor%2Fmedia" {
		t.Fatalf("staff page without two-factor login: status %d, Location %q", resp.StatusCode, loc)
	}
	_, body := cl.get("/account/2fa?next=%2Feditor%2Fmedia")
	if strings.Contains(body, `class="site-nav staff-nav"`) {
		t.Error("the staff menu is shown before the required setup")
	}
	if !strings.Contains(body, `<input type="hidden" name="next" value="/editor/media">`) {
		t.Error("the setup form does not carry the page asked for")
	}
	secret := strings.ReplaceAll(secretText.FindStringSubmatch(body)[1], " ", "")
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	resp, body = cl.sendForm("/account/2fa?next=%2Feditor%2Fmedia", "/account/2fa/enable", url.Values{"code": {code},
		"password": {testPassword}})
	mustStatus(t, resp, body, http.StatusOK)
	if !strings.Contains(body, `href="/editor/media">I have stored them – continue</a>`) {
		t.Error("after setup, continue does not lead to the page asked for")
	}
	if !strings.Contains(body, `class="site-nav staff-nav"`) {
		t.Error("the staff menu is still hidden once two-factor login is on")
	}
}

// TestExpiredSessionKeepsText follows a writer whose session ended while writing: the text
// rides the login form and comes back on a page that sends it again.
func TestExpiredSessionKeepsText(t *testing.T) {
	env := newTestEnv(t)
	env.mustUser("ada@example.edu", accounts.Writer)
	cl := env.client()
	title, text := `Open day <script>alert(1)</script>`, "First line\nSecond line with \"quotes\" & more"
	resp, body := cl.post("/editor/articles/new", url.Values{"_csrf": {"expired"}, "title": {title}, "body": {text}})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("expired post: status %d", resp.StatusCode)
	}
	kept := hiddenFields(body)
	if kept.Get("carry.title") != title || kept.Get("carry.body") != text || kept.Get("carry_action") != "/editor/articles/new" {
		t.Fatalf("text not carried in the login form: %v\n%s", kept, body)
	}
	if strings.Contains(body, "<script>alert(1)") {
		t.Error("carried text not escaped")
	}
	kept.Set("email", "ada@example.edu")
	kept.Set("password", testPassword)
	resp, body = cl.post("/login", kept)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, msgResubmitted) ||
		!strings.Contains(body, `action="/editor/articles/new"`) || !strings.Contains(body, "Save now") {
		t.Fatalf("after login: status %d\n%s", resp.StatusCode, body)
	}
	again := hiddenFields(body)
	if again.Get("title") != title || again.Get("body") != text || again.Get("_csrf") == "" || again.Get("_csrf") == "expired" {
		t.Errorf("resubmit form lost the text or the token: %v", again)
	}
	if strings.Contains(body, "<script>alert(1)") || !strings.Contains(body, "Open day &lt;script&gt;") {
		t.Error("kept title not shown escaped")
	}
	if !cl.loggedIn() {
		t.Error("not logged in")
	}
}

func TestCarryThroughSecondFactor(t *testing.T) {
	env := newTestEnv(t)
	env.mustUser("ada@example.edu", accounts.Writer)
	setup := env.client()
	setup.login("ada@example.edu")
	secret, _ := enable2FA(t, setup)

	cl := env.client()
	_, body := cl.post("/editor/articles/new", url.Values{"title": {"Kept title"}, "body": {"Kept body"}})
	form := hiddenFields(body)
	form.Set("email", "ada@example.edu")
	form.Set("password", testPassword)
	resp, body := cl.post("/login", form)
	form = hiddenFields(body)
	if resp.StatusCode != http.StatusOK || form.Get("carry.title") != "Kept title" || !strings.Contains(body, `action="/login/2fa"`) {
		t.Fatalf("code form: status %d, carried %v", resp.StatusCode, form)
	}
	form.Set("code", nextCode(t, secret))
	resp, body = cl.post("/login/2fa", form)
	if resp.StatusCode != http.StatusOK || hiddenFields(body).Get("body") != "Kept body" {
		t.Fatalf("after code: status %d\n%s", resp.StatusCode, body)
	}
}

func TestCarryOnlyToStaffForms(t *testing.T) {
	env := newTestEnv(t)
	env.mustUser("ada@example.edu", accounts.Writer)
	for _, action := range []string{"https://evil.example/x", "//evil.example/x", "/logout", "/editor/../logout", "/editor?x=1"} {
		cl := env.client()
		resp, body := cl.submit("/login", "/login", url.Values{"email": {"ada@example.edu"}, "password": {testPassword},
			"carry_action": {action}, "carry.title": {"x"}})
		if resp.StatusCode != http.StatusSeeOther || strings.Contains(body, "evil") {
			t.Errorf("carry to %q: status %d, want a plain redirect", action, resp.StatusCode)
		}
	}
}

func TestStaleTokenKeepsNoPasswords(t *testing.T) {
	env := newTestEnv(t)
	env.mustUser("ada@example.edu", accounts.Writer)
	cl := env.client()
	cl.login("ada@example.edu")
	resp, body := cl.post("/account/password", url.Values{"_csrf": {"stale"}, "current_password": {testPassword},
		"password": {newPassword}, "password_repeat": {newPassword}})
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "The form had expired") {
		t.Fatalf("stale token: status %d, want 403 and an explanation\n%s", resp.StatusCode, body)
	}
	if strings.Contains(body, testPassword) || strings.Contains(body, newPassword) || strings.Contains(body, `name="password`) ||
		strings.Contains(body, `name="current_password"`) {
		t.Errorf("a password was kept in the resubmit page\n%s", body)
	}
	if _, err := env.users.Authenticate(context.Background(), audit.Actor{IP: "192.0.2.1"}, "ada@example.edu", testPassword); err != nil {
		t.Errorf("the password changed despite the stale token: %v", err)
	}
}

// secretOwner is the account named in the otpauth URL of a setup page.
func secretOwner(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`otpauth://totp/campusnews:([^?"&]+)`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no otpauth URL on the setup page")
	}
	email, err := url.PathUnescape(m[1])
	if err != nil {
		t.Fatal(err)
	}
	return email
}

// setRequire2FA changes the site setting that requires two-factor login of editors and admins.
func setRequire2FA(t *testing.T, env *testEnv, on bool) {
	t.Helper()
	st, err := env.srv.site.Get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	st.Require2FA = on
	if err := env.srv.site.Save(context.Background(), audit.Actor{}, st); err != nil {
		t.Fatal(err)
	}
}

// Turning two-factor login on asks for the password, and ends every other session of the
// account while this one goes on: a stolen session cannot enrol its own phone, nor outlive
// the owner's enrolment.
func TestTwoFactorEnableNeedsPasswordEndsOtherSessions(t *testing.T) {
	env := newTestEnv(t)
	env.mustUser("ada@example.edu", accounts.Writer)
	here, there := env.client(), env.client()
	here.login("ada@example.edu")
	there.login("ada@example.edu")
	_, body := here.get("/account/2fa")
	secret := strings.ReplaceAll(secretText.FindStringSubmatch(body)[1], " ", "")
	code, _ := totp.GenerateCode(secret, time.Now())
	resp, body := here.submit("/account/2fa", "/account/2fa/enable", url.Values{"code": {code}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !fieldErrorFor("password").MatchString(body) {
		t.Fatalf("enable without the password: status %d\n%s", resp.StatusCode, body)
	}
	resp, body = here.submit("/account/2fa", "/account/2fa/enable", url.Values{"code": {code}, "password": {"not my password"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !fieldErrorFor("password").MatchString(body) {
		t.Fatalf("enable with a wrong password: status %d\n%s", resp.StatusCode, body)
	}
	if u, _ := env.users.ByEmail(context.Background(), "ada@example.edu"); u.TOTPEnabled {
		t.Fatal("enabled without the password")
	}
	if !there.loggedIn() {
		t.Fatal("a refused enable ended the other session")
	}
	resp, body = here.submit("/account/2fa", "/account/2fa/enable", url.Values{"code": {code}, "password": {testPassword}})
	mustStatus(t, resp, body, http.StatusOK)
	if !here.loggedIn() {
		t.Error("the session that turned it on was logged out")
	}
	if there.loggedIn() {
		t.Error("another session survived turning two-factor login on")
	}
}

// Turning it off ends the other sessions too.
func TestTwoFactorDisableEndsOtherSessions(t *testing.T) {
	env := newTestEnv(t)
	env.mustUser("ada@example.edu", accounts.Writer)
	here := env.client()
	here.login("ada@example.edu")
	_, codes := enable2FA(t, here)
	there := passwordStep(t, env)
	resp, _ := there.submit("/login/2fa", "/login/2fa", url.Values{"code": {codes[0]}})
	if resp.StatusCode != http.StatusSeeOther || !there.loggedIn() {
		t.Fatalf("second login: status %d", resp.StatusCode)
	}
	resp, body := here.submit("/account/2fa", "/account/2fa/disable", url.Values{"password": {testPassword}, "code": {codes[1]}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	if !here.loggedIn() {
		t.Error("the session that turned it off was logged out")
	}
	if there.loggedIn() {
		t.Error("another session survived turning two-factor login off")
	}
}

// "Log out everywhere" on the account page ends every login of the account, this one too,
// and leaves other people's alone.
func TestLogoutEverywhere(t *testing.T) {
	env := newTestEnv(t)
	env.mustUser("ada@example.edu", accounts.Writer)
	env.mustUser("bob@example.edu", accounts.Writer)
	here, there, bob := env.client(), env.client(), env.client()
	here.login("ada@example.edu")
	there.login("ada@example.edu")
	bob.login("bob@example.edu")
	_, page := here.get("/account")
	if !strings.Contains(page, `action="/account/logout-everywhere"`) || !strings.Contains(page, "Log out everywhere, this browser too") {
		t.Fatalf("no button on the account page\n%s", page)
	}
	// Without the form's token nothing happens.
	resp, _ := here.post("/account/logout-everywhere", url.Values{"_csrf": {strings.Repeat("ab", 32)}})
	if resp.StatusCode < 400 || !there.loggedIn() {
		t.Fatalf("a forged post: status %d", resp.StatusCode)
	}
	resp, _ = here.submit("/account", "/account/logout-everywhere", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Fatalf("status %d, location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, body := here.get("/login"); !strings.Contains(body, "You are logged out everywhere") {
		t.Error("no message")
	}
	if here.loggedIn() || there.loggedIn() {
		t.Error("a session of the account survived")
	}
	if !bob.loggedIn() {
		t.Error("someone else was logged out")
	}
	if n := env.auditCount("logout.everywhere", "ada@example.edu"); n != 1 {
		t.Errorf("logout.everywhere entries = %d, want 1", n)
	}
}
