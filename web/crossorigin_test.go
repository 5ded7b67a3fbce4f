package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"campusnews/internal/accounts"
)

// A form posted from another site is refused outright: it is neither carried to the login page
// nor offered back to send again, whatever session the browser has.
func TestCrossSitePostsAreRefused(t *testing.T) {
	env := newTestEnv(t)
	env.mustUser("admin@example.edu", accounts.Admin)
	anon := env.client()
	admin := env.client()
	admin.login("admin@example.edu")
	_, page := admin.get("/admin/users/new")
	token := csrfInput.FindStringSubmatch(page)[1]
	form := url.Values{"email": {"attacker@evil.example"}, "name": {"Mallory"}, "role": {"admin"}, "_csrf": {token}}
	for _, tc := range []struct {
		name   string
		cl     *client
		header string
		value  string
	}{
		{"anonymous, cross-site", anon, "Sec-Fetch-Site", "cross-site"},
		{"anonymous, same-site subdomain", anon, "Sec-Fetch-Site", "same-site"},
		{"anonymous, foreign origin", anon, "Origin", "http://evil.example"},
		{"admin, cross-site with a valid token", admin, "Sec-Fetch-Site", "cross-site"},
		{"admin, foreign origin with a valid token", admin, "Origin", "https://evil.example"},
	} {
		req, _ := http.NewRequest(http.MethodPost, env.http.URL+"/admin/users/new", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set(tc.header, tc.value)
		resp, err := tc.cl.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body := readBody(t, resp)
		if resp.StatusCode != http.StatusForbidden || strings.Contains(body, "attacker@evil.example") {
			t.Errorf("%s: status %d, carried text %v", tc.name, resp.StatusCode, strings.Contains(body, "attacker@evil.example"))
		}
		if resp.Header.Get("Set-Cookie") != "" {
			t.Errorf("%s: a refused request set a cookie", tc.name)
		}
	}
	if _, err := env.users.ByEmail(t.Context(), "attacker@evil.example"); err == nil {
		t.Fatal("a cross-site form created a user")
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/editor/articles?status=draft": "/editor/articles?status=draft",
		"/admin":                        "/admin",
		"":                              "/editor",
		"//evil.example":                "/editor",
		"/\t/evil.example":              "/editor",
		"/%09/evil.example":             "/%09/evil.example",
		"/\\evil.example":               "/editor",
		"https://evil.example/x":        "/editor",
		"http:/evil.example":            "/editor",
		"javascript:alert(1)":           "/editor",
		"/login?next=/x":                "/editor",
		" /editor":                      "/editor",
		"/editor\n":                     "/editor",
		"evil.example":                  "/editor",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
