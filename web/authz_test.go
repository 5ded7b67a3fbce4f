package web

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"campusnews/internal/accounts"
	"campusnews/internal/news"
)

// access is who may use a route.
type access int

const (
	public    access = iota // anyone, signed in or not
	staff                   // any signed-in staff member
	adminOnly               // administrators
)

// accessByPrefix is the expected guard of every route, keyed by the first segment of its
// path. A route whose first segment is missing here fails TestEveryRouteIsGuarded, so a
// route added later must be placed in this table, and then its guard is checked.
var accessByPrefix = map[string]access{
	"":            public, // the home page
	"search":      public,
	"tags":        public,
	"archive":     public,
	"feed.atom":   public,
	"sitemap.xml": public,
	"sitemaps":    public,
	"robots.txt":  public,
	"healthz":     public,
	"assets":      public,
	"media":       public,
	":section":    public,
	"login":       public,
	"logout":      public,
	"account":     staff,
	"editor":      staff,
	"admin":       adminOnly,

	"accessibility": public, // the accessibility statement
	"events":        public, // the events pages and each event's iCalendar file
	"events.ics":    public, // the events' iCalendar feed
}

// editorSteps are the staff routes whose workflow step the news service keeps for editors:
// the group lets a writer in, and the handler answers 403.
var editorSteps = map[string]bool{
	"POST /editor/articles/:id/unpublish": true,
	"POST /editor/articles/:id/archive":   true,
}

// expectedAccess reads accessByPrefix for a route path.
func expectedAccess(path string) (access, bool) {
	first, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	a, ok := accessByPrefix[first]
	return a, ok
}

// mayUse reports whether role ("" for anonymous) passes the guard of an area with access a.
func mayUse(a access, role accounts.Role) bool {
	return a == public || a == staff && role != "" || a == adminOnly && role == accounts.Admin
}

// routeKey names a route for messages and ordering.
func routeKey(r *echo.Route) string { return r.Method + " " + r.Path }

// guardedRoutes returns the registered routes in a stable order, with the ones that delete
// last so that they do not remove what the others point at.
func guardedRoutes(srv *Server) []*echo.Route {
	routes := srv.Echo().Routes()
	sort.SliceStable(routes, func(i, j int) bool {
		di, dj := strings.HasSuffix(routes[i].Path, "/delete"), strings.HasSuffix(routes[j].Path, "/delete")
		if di != dj {
			return dj
		}
		return routeKey(routes[i]) < routeKey(routes[j])
	})
	return routes
}

// keptMarker is text posted by someone whose session is gone; the login page must keep it.
const keptMarker = "Kept-text-7f3a"

// checkRefused asserts that id was turned away from an area it may not use, in the way the
// area promises: anonymous visitors to the login page, staff below the role with 403.
func checkRefused(t *testing.T, id *identity, method, path string, resp *http.Response, body string) {
	t.Helper()
	where := id.name + " " + method + " " + path
	switch {
	case id.role == "" && method == http.MethodGet:
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login?next=") {
			t.Errorf("%s: status %d to %q, want 303 to /login", where, resp.StatusCode, loc)
		}
	case id.role == "":
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, `name="password"`) ||
			!strings.Contains(body, keptMarker) {
			t.Errorf("%s: status %d, want 401 with the login form keeping the posted text", where, resp.StatusCode)
		}
	default:
		// Refusals inside the staff area keep the signed-in user in its layout.
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, `<body class="staff">`) ||
			!strings.Contains(body, "Back to the dashboard") {
			t.Errorf("%s: status %d, want 403 in the staff layout", where, resp.StatusCode)
		}
	}
}

// checkAllowed asserts that id got through the guard: no refusal, no login page, no failure.
// A page view with valid parameters must also answer 200 (or redirect onwards on public
// pages, where an article address without its slug moves to the full one).
func checkAllowed(t *testing.T, id *identity, method, path string, want access, resp *http.Response, body string) {
	t.Helper()
	where := id.name + " " + method + " " + path
	loc := resp.Header.Get("Location")
	switch {
	case resp.StatusCode >= 500:
		t.Errorf("%s: status %d\n%s", where, resp.StatusCode, body)
	case want != public && (resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden ||
		strings.HasPrefix(loc, "/login")):
		t.Errorf("%s: refused with %d (Location %q), want access", where, resp.StatusCode, loc)
	case method != http.MethodGet:
	case want == public && (path == "/login" || path == "/login/2fa"):
		// Signed-in staff are sent on; the code step without a pending login goes back.
	case resp.StatusCode != http.StatusOK && !(want == public && resp.StatusCode == http.StatusMovedPermanently):
		t.Errorf("%s: status %d (Location %q), want 200", where, resp.StatusCode, loc)
	}
}

// Every registered route is checked for every kind of visitor against accessByPrefix:
// anonymous visitors go to the login page, staff below the route's role get 403, everyone
// allowed gets through. Echo's catch-all routes of the guarded groups are checked too, so an
// unknown address inside a staff area reveals nothing before login.
func TestEveryRouteIsGuarded(t *testing.T) {
	ae := newAuthzEnv(t)
	routes := guardedRoutes(ae.srv)
	checked := 0
	for _, r := range routes {
		want, ok := expectedAccess(r.Path)
		if !ok {
			t.Errorf("route %s has no expected access; add its first path segment to accessByPrefix", routeKey(r))
			continue
		}
		if r.Method == echo.RouteNotFound {
			ae.checkCatchAll(t, r, want)
			checked++
			continue
		}
		if r.Method == http.MethodHead && want != public {
			t.Errorf("route %s: HEAD is expected on public pages only; extend this test", routeKey(r))
			continue
		}
		if r.Method != http.MethodGet && r.Method != http.MethodPost && r.Method != http.MethodHead {
			t.Errorf("route %s: only GET, HEAD and POST are expected; extend this test", routeKey(r))
			continue
		}
		if routeKey(r) == "POST /logout" {
			ae.checkLogout(t)
			checked++
			continue
		}
		if routeKey(r) == "GET /logout" {
			ae.checkLogoutPage(t)
			checked++
			continue
		}
		if routeKey(r) == "POST /account/logout-everywhere" {
			ae.checkLogoutEverywhere(t)
			checked++
			continue
		}
		for _, id := range ae.ids {
			path := ae.fill(t, r.Path, id.fx)
			resp, body := id.do(t, r.Method, path, url.Values{"title": {keptMarker}})
			allowed := mayUse(want, id.role)
			if editorSteps[routeKey(r)] && id.role == accounts.Writer {
				allowed = false
			}
			if allowed && r.Method == http.MethodHead {
				checkAllowed(t, id, http.MethodGet, path, want, resp, body) // the GET answer, without a body
			} else if allowed {
				checkAllowed(t, id, r.Method, path, want, resp, body)
			} else {
				checkRefused(t, id, r.Method, path, resp, body)
			}
		}
		checked++
	}
	if checked < 60 {
		t.Errorf("checked %d routes; the route table seems to have lost some", checked)
	}
	t.Logf("checked %d routes for %d identities", checked, len(ae.ids))
}

// checkCatchAll sends an unknown address inside a guarded group: it must be refused like the
// group's pages, and be a plain 404 for those allowed in.
func (ae *authzEnv) checkCatchAll(t *testing.T, r *echo.Route, want access) {
	t.Helper()
	path := strings.Replace(r.Path, "*", "no-such-page/x", 1)
	if path == r.Path {
		path += "/no-such-page"
	}
	for _, id := range ae.ids {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			resp, body := id.do(t, method, path, url.Values{"title": {keptMarker}})
			allowed := mayUse(want, id.role)
			switch {
			case !allowed:
				checkRefused(t, id, method, path, resp, body)
			case resp.StatusCode != http.StatusNotFound:
				t.Errorf("%s %s %s: status %d, want 404", id.name, method, path, resp.StatusCode)
			}
		}
	}
}

// checkLogout: logging out works for everyone and ends the login (checked with a fresh login
// per role, since it ends the session the other checks use).
func (ae *authzEnv) checkLogout(t *testing.T) {
	t.Helper()
	for _, id := range ae.ids {
		cl := ae.client()
		page := "/login"
		if id.user != nil {
			cl.login(id.user.Email)
			page = "/account"
		}
		tok := ae.tokenFrom(cl, page)
		resp, body := cl.post("/logout", url.Values{"_csrf": {tok}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("%s POST /logout: status %d\n%s", id.name, resp.StatusCode, body)
		}
		if resp, _ := cl.get("/editor"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("%s after logout: GET /editor status %d, want 303 to /login", id.name, resp.StatusCode)
		}
	}
}

// checkLogoutEverywhere: staff may end every login of their own, which sends them to the
// login page; they are logged in again for the checks that follow. Anonymous posts are
// refused like any staff form.
func (ae *authzEnv) checkLogoutEverywhere(t *testing.T) {
	t.Helper()
	const path = "/account/logout-everywhere"
	for _, id := range ae.ids {
		resp, body := id.do(t, http.MethodPost, path, url.Values{"title": {keptMarker}})
		if id.user == nil {
			checkRefused(t, id, http.MethodPost, path, resp, body)
			continue
		}
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
			t.Errorf("%s POST %s: status %d to %q, want 303 to /login", id.name, path, resp.StatusCode, resp.Header.Get("Location"))
		}
		if resp, _ := id.cl.get("/editor"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("%s after logging out everywhere: GET /editor status %d, want 303 to /login", id.name, resp.StatusCode)
		}
		id.cl.login(id.user.Email)
		id.token = ae.tokenFrom(id.cl, "/account")
	}
}

// checkLogoutPage: typing /logout shows staff the page with the button, and sends anyone
// else to the login page; it ends no login.
func (ae *authzEnv) checkLogoutPage(t *testing.T) {
	t.Helper()
	for _, id := range ae.ids {
		resp, body := id.do(t, http.MethodGet, "/logout", nil)
		loc := resp.Header.Get("Location")
		switch {
		case id.user == nil && (resp.StatusCode != http.StatusSeeOther || loc != "/login"):
			t.Errorf("%s GET /logout: status %d to %q, want 303 to /login", id.name, resp.StatusCode, loc)
		case id.user != nil && (resp.StatusCode != http.StatusOK || !strings.Contains(body, "<h1>Log out</h1>")):
			t.Errorf("%s GET /logout: status %d to %q, want 200 with the log-out page", id.name, resp.StatusCode, loc)
		case id.user != nil && !id.cl.loggedIn():
			t.Errorf("%s GET /logout ended the login", id.name)
		}
	}
}

// A writer may not publish, unpublish, archive or delete someone else's article, nor edit
// it; the article stays as it was.
func TestWriterCannotTouchOthersArticles(t *testing.T) {
	ae := newAuthzEnv(t)
	writer := ae.ids[1]
	if writer.role != accounts.Writer {
		t.Fatalf("identity 1 is %s, want writer", writer.role)
	}
	draft := ae.mustArticle(ae.setup, "Someone else's draft", false)
	live := ae.mustArticle(ae.setup, "Someone else's live article", true)
	ctx := context.Background()
	cases := []struct {
		art  *news.Article
		path string
		form url.Values
	}{
		{draft, "", url.Values{"action": {"publish"}, "title": {"Hijacked"}, "category_id": {catID(ae.cat)}}},
		{draft, "", url.Values{"action": {"save"}, "title": {"Hijacked"}, "category_id": {catID(ae.cat)}}},
		{draft, "", url.Values{"action": {"submit"}, "title": {"Hijacked"}, "category_id": {catID(ae.cat)}}},
		{draft, "/delete", nil},
		{live, "/unpublish", nil},
		{live, "/archive", nil},
		{live, "/delete", nil},
		{live, "", url.Values{"action": {"save"}, "title": {"Hijacked"}, "category_id": {catID(ae.cat)}}},
	}
	for _, tc := range cases {
		path := editURL(tc.art.ID) + tc.path
		resp, body := writer.do(t, http.MethodPost, path, tc.form)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("writer POST %s %v: status %d, want 403\n%s", path, tc.form, resp.StatusCode, body)
		}
		got, err := ae.news.Article(ctx, tc.art.ID)
		if err != nil {
			t.Fatalf("after writer POST %s: %v", path, err)
		}
		if got.Status != tc.art.Status || got.Title != tc.art.Title || !got.UpdatedAt.Equal(tc.art.UpdatedAt) {
			t.Errorf("writer POST %s changed the article: %s %q → %s %q", path, tc.art.Status, tc.art.Title, got.Status, got.Title)
		}
	}
	// Nor publish their own: the button is an editor's.
	own := ae.mustArticle(actorFor(writer.user), "A writer's own draft", false)
	resp, body := writer.do(t, http.MethodPost, editURL(own.ID), url.Values{"action": {"publish"},
		"title": {own.Title}, "category_id": {catID(ae.cat)}, "body_source": {own.BodySource}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("writer publishing own draft: status %d, want 403\n%s", resp.StatusCode, body)
	}
	if got, _ := ae.news.Article(ctx, own.ID); got == nil || got.Status != news.Draft {
		t.Errorf("writer's own draft is now %v, want draft", got)
	}
	// The GET pages of someone else's article are refused as well.
	for _, p := range []string{"", "/delete", "/revisions"} {
		if resp, _ := writer.do(t, http.MethodGet, editURL(draft.ID)+p, nil); resp.StatusCode != http.StatusForbidden {
			t.Errorf("writer GET %s: status %d, want 403", editURL(draft.ID)+p, resp.StatusCode)
		}
	}
}

// changeForms are submissions that would change something if they got past the CSRF check:
// the representative routes whose rows the test compares.
func changeForms(ae *authzEnv) map[string]url.Values {
	return map[string]url.Values{
		"/admin/settings": validSettings("Forged Name"),
		"/editor/articles/new": {"title": {"Forged article"}, "body_source": {"Forged."}, "action": {"publish"},
			"category_id": {catID(ae.cat)}},
		"/admin/users/new":      {"email": {"forged@example.edu"}, "name": {"Forged"}, "role": {"admin"}},
		"/admin/categories/new": {"name": {"Forged"}, "slug": {"forged"}, "visible": {"1"}, "parent_id": {catID(ae.cat.Parent)}},
		"/account/password": {"current_password": {testPassword}, "password": {"a forged new password"},
			"password_confirm": {"a forged new password"}},
	}
}

// Every POST route refuses a submission without a token, with a made-up one, and with another
// session's token, for a signed-in administrator: 403 with the resubmit page or 401 with the
// login page, and no row in the database changes.
func TestEveryPostRefusesForgedCSRF(t *testing.T) {
	ae := newAuthzEnv(t)
	admin := ae.ids[len(ae.ids)-1]
	if admin.role != accounts.Admin {
		t.Fatalf("last identity is %s, want admin", admin.role)
	}
	other := ae.ids[1] // the writer: a real token, of another session
	forms := changeForms(ae)
	before := ae.dbSnapshot(t)
	tokens := map[string]string{"missing": "", "forged": strings.Repeat("ab", 32), "another session's": other.token}
	posts := 0
	for _, r := range guardedRoutes(ae.srv) {
		if r.Method != http.MethodPost {
			continue
		}
		posts++
		path := ae.fill(t, r.Path, admin.fx)
		for kind, tok := range tokens {
			form := url.Values{"note": {keptMarker}}
			for k, v := range forms[r.Path] {
				form[k] = v
			}
			if tok != "" {
				form.Set("_csrf", tok)
			}
			resp, body := admin.cl.post(path, form)
			switch resp.StatusCode {
			case http.StatusForbidden:
				if !strings.Contains(body, "This form had expired") || !strings.Contains(body, keptMarker) {
					t.Errorf("POST %s with a %s token: 403 without the resubmit page keeping the text", path, kind)
				}
			case http.StatusUnauthorized:
				if !strings.Contains(body, `name="password"`) {
					t.Errorf("POST %s with a %s token: 401 without the login form", path, kind)
				}
			default:
				t.Errorf("POST %s with a %s token: status %d, want 403 or 401", path, kind, resp.StatusCode)
			}
		}
		// The same, with the token in the header scripts use.
		req, _ := http.NewRequest(http.MethodPost, ae.http.URL+path, strings.NewReader(url.Values{"title": {keptMarker}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-CSRF-Token", other.token)
		resp, err := admin.cl.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if body := readBody(t, resp); resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s with another session's X-CSRF-Token: status %d\n%s", path, resp.StatusCode, body)
		}
	}
	if posts < 20 {
		t.Errorf("only %d POST routes; the route table seems to have lost some", posts)
	}
	if after := ae.dbSnapshot(t); after != before {
		t.Errorf("forged submissions changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	// The administrator is still signed in (a forged logout did nothing) and the real token works.
	if resp, body := admin.cl.get("/admin/settings"); resp.StatusCode != http.StatusOK {
		t.Fatalf("after the forged posts: GET /admin/settings status %d\n%s", resp.StatusCode, body)
	}
	resp, body := admin.do(t, http.MethodPost, "/admin/settings", validSettings("Real Name"))
	mustStatus(t, resp, body, http.StatusSeeOther)
	if ae.dbSnapshot(t) == before {
		t.Error("the check cannot fail: a real submission changed nothing either")
	}
}
