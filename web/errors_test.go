package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"campusnews/internal/accounts"
)

// Error pages inside the staff area keep a signed-in user in the staff layout, with a way back
// to the dashboard, and a refusal says why; public addresses keep the reader's layout.
func TestStaffErrorPages(t *testing.T) {
	ee := newEditorEnv(t)
	admin := ee.client()
	admin.login(ee.mustUser("admin@example.edu", accounts.Admin).Email)
	own := ee.newArticle(ee.writer, "The writer's own", "Text.", "save")
	published := ee.newArticle(ee.writer, "Published by an editor", "Text.", "submit")
	resp, body := ee.act(ee.ed, published, "publish", nil)
	mustStatus(t, resp, body, http.StatusSeeOther)

	staff := func(t *testing.T, cl *client, path string, status int, want string) {
		t.Helper()
		resp, body := cl.get(path)
		mustStatus(t, resp, body, status)
		for _, s := range []string{`<body class="staff">`, `class="site-header staff-header"`, `href="/editor">Back to the dashboard</a>`, want} {
			if !strings.Contains(body, s) {
				t.Errorf("GET %s: the page lacks %q", path, s)
			}
		}
		for _, s := range []string{"Search the news", "Or go to the", "Staff login"} {
			if strings.Contains(body, s) {
				t.Errorf("GET %s: the staff error page shows the reader's %q", path, s)
			}
		}
	}
	const notFound = "There is no page at this address."
	t.Run("refused", func(t *testing.T) {
		staff(t, ee.writer, "/admin", http.StatusForbidden, "Only administrators can manage categories, users and settings")
		staff(t, ee.writer, "/admin/users", http.StatusForbidden, "Only administrators can manage categories, users and settings")
		for _, p := range []string{editURL(own), editURL(own) + "/delete", editURL(own) + "/revisions"} {
			staff(t, ee.other, p, http.StatusForbidden, "Writers can open only their own articles; ask an editor.")
		}
		// The writer owns it, but it has been published: not theirs to delete any more.
		staff(t, ee.writer, editURL(published)+"/delete", http.StatusForbidden, "Writers can delete only their own drafts")
	})
	t.Run("not found", func(t *testing.T) {
		staff(t, ee.writer, "/editor/articles/99999", http.StatusNotFound, notFound)
		staff(t, ee.writer, "/editor/nope", http.StatusNotFound, notFound)
		staff(t, ee.writer, "/account/nope", http.StatusNotFound, notFound)
		staff(t, admin, "/admin/nope", http.StatusNotFound, notFound)
		staff(t, admin, "/admin/users/9999", http.StatusNotFound, notFound)
	})
	t.Run("refused posts", func(t *testing.T) {
		resp, body := ee.act(ee.writer, own, "publish", nil)
		mustStatus(t, resp, body, http.StatusForbidden)
		if !strings.Contains(body, "Only editors and administrators can publish or schedule articles.") || !strings.Contains(body, `<body class="staff">`) {
			t.Errorf("a writer's publish: the 403 page does not say why in the staff layout\n%s", body)
		}
		resp, body = ee.writer.submit(editURL(published), editURL(published)+"/unpublish", nil)
		mustStatus(t, resp, body, http.StatusForbidden)
		if !strings.Contains(body, "Only editors and administrators can unpublish or archive articles.") {
			t.Errorf("a writer's unpublish: the 403 page does not say why\n%s", body)
		}
		resp, body = ee.writer.submit(editURL(published), editURL(published)+"/delete", nil)
		mustStatus(t, resp, body, http.StatusForbidden)
		if !strings.Contains(body, "Writers can delete only their own drafts") {
			t.Errorf("a writer's delete: the 403 page does not say why\n%s", body)
		}
	})
	t.Run("public", func(t *testing.T) {
		// Signed in or not, an address outside the staff area is the reader's.
		for _, cl := range []*client{ee.writer, ee.client()} {
			for _, p := range []string{"/no-such-section", "/campus/research/" + strconv.FormatInt(own, 10), "/editorial"} {
				resp, body := cl.get(p)
				mustStatus(t, resp, body, http.StatusNotFound)
				if !strings.Contains(body, `<body class="public">`) || !strings.Contains(body, "Search the news") ||
					strings.Contains(body, "Back to the dashboard") {
					t.Errorf("GET %s: not the reader's 404 page\n%s", p, body)
				}
			}
		}
	})
	t.Run("cross-site post", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, ee.http.URL+"/editor/articles/new", strings.NewReader(url.Values{"title": {"x"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		resp, err := ee.writer.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body := readBody(t, resp)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "sent from another site") {
			t.Errorf("a cross-site post: status %d, want 403 saying why\n%s", resp.StatusCode, body)
		}
	})
}
