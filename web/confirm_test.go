package web

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	nethtml "golang.org/x/net/html"

	"campusnews/internal/accounts"
	"campusnews/internal/audit"
	"campusnews/internal/news"
)

// confirmOf returns the data-confirm question of the submit button of the form posting to
// action in body, failing the test when there is no such form.
func confirmOf(t *testing.T, body, action string) (string, bool) {
	t.Helper()
	doc, err := nethtml.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for n := range doc.Descendants() {
		if a, _ := htmlAttr(n, "action"); n.Type != nethtml.ElementNode || n.Data != "form" || a != action {
			continue
		}
		for b := range n.Descendants() {
			if typ, _ := htmlAttr(b, "type"); b.Type == nethtml.ElementNode && b.Data == "button" && typ == "submit" {
				return htmlAttr(b, "data-confirm")
			}
		}
	}
	t.Fatalf("no form with a submit button posting to %s", action)
	return "", false
}

// The page must load the script that asks the question.
var editorScript = regexp.MustCompile(`<script src="/assets/js/editor\.[0-9a-f]+\.js" defer>`)

// Actions that take effect at once ask first in the browser; without the script the forms post
// as before.
func TestImmediateActionsAskFirst(t *testing.T) {
	ee := newEditorEnv(t)
	ctx := context.Background()
	id := ee.newArticle(ee.ed, "Library hours change", "Open late.", "publish")
	page := editURL(id)
	_, body := ee.ed.get(page)
	if !editorScript.MatchString(body) {
		t.Error("the article form does not load editor.js")
	}
	for action, want := range map[string]string{
		page + "/unpublish": "Take “Library hours change” off the site and make it a draft again?",
		page + "/archive":   "Archive “Library hours change”? It leaves the site at once.",
	} {
		if got, ok := confirmOf(t, body, action); !ok || got != want {
			t.Errorf("%s: data-confirm %q, want %q", action, got, want)
		}
	}
	// Without the script, the button posts as it always did.
	resp, body := ee.ed.sendForm(page, page+"/unpublish", nil)
	mustStatus(t, resp, body, http.StatusSeeOther)
	if st := ee.status(id); st != news.Draft {
		t.Fatalf("after unpublish: %s, want draft", st)
	}
	resp, body = ee.ed.sendForm(page, page+"/archive", nil)
	mustStatus(t, resp, body, http.StatusSeeOther)
	if st := ee.status(id); st != news.Archived {
		t.Fatalf("after archive: %s, want archived", st)
	}

	admin := ee.client()
	admin.login(ee.mustUser("admin@example.edu", accounts.Admin).Email)
	wendy, err := ee.users.Create(ctx, audit.Actor{}, accounts.NewUser{Email: "wendy@example.edu", Name: "Wendy Writer",
		Role: accounts.Writer, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	wcl := ee.client()
	wcl.login(wendy.Email)
	enable2FA(t, wcl)
	user := "/admin/users/" + strconv.FormatInt(wendy.ID, 10)
	_, body = admin.get(user)
	if !editorScript.MatchString(body) {
		t.Error("the user page does not load editor.js")
	}
	for action, want := range map[string]string{
		user + "/password":    "Log Wendy Writer out everywhere and give them a new one-time password?",
		user + "/2fa/disable": "Turn off two-factor login for Wendy Writer and log them out everywhere?",
	} {
		if got, ok := confirmOf(t, body, action); !ok || got != want {
			t.Errorf("%s: data-confirm %q, want %q", action, got, want)
		}
	}
	resp, body = admin.sendForm(user, user+"/2fa/disable", nil)
	mustStatus(t, resp, body, http.StatusSeeOther)
	resp, body = admin.sendForm(user, user+"/password", nil)
	mustStatus(t, resp, body, http.StatusOK)
	if u, err := ee.users.ByID(ctx, wendy.ID); err != nil || u.TOTPEnabled || !u.MustChangePassword {
		t.Errorf("after the reset: %+v, %v; want two-factor login off and a password to change", u, err)
	}
}
