//go:build e2e

package e2e

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAdmin logs in as the first administrator with the password the server printed, chooses
// a new one, changes the category tree (a new category, moved up and down, another hidden),
// creates an account, and checks the public navigation follows.
func TestAdmin(t *testing.T) {
	s := startSite(t)
	browser := newBrowser(t)
	tb := newTab(t, browser, s, desktopWidth)

	// The one-time password leads straight to choosing a new one.
	if got := login(t, tb, s.AdminEmail, s.AdminPassword); got != "/account/password" {
		t.Fatalf("the first login with the one-time password is at %s, want /account/password", got)
	}
	tb.shot("account-password")
	tb.do("choose a new password",
		chromedp.SendKeys(chromedp.ID("current_password"), s.AdminPassword),
		chromedp.SendKeys(chromedp.ID("password"), staffPassword),
		chromedp.SendKeys(chromedp.ID("password_repeat"), staffPassword))
	if got := follow(tb, "the Change password button", chromedp.CSS(`main form button[type=submit]`)); got != "/editor" {
		t.Errorf("after changing the password the admin is at %s, want /editor", got)
	}
	wantFlash(t, tb, "Your password has been changed")
	follow(tb, "the Log out button", chromedp.CSS(`form[action="/logout"] button`))
	wantFlash(t, tb, "You are logged out")
	if got := login(t, tb, s.AdminEmail, staffPassword); got != "/editor" {
		t.Errorf("logging in with the new password leads to %s, want /editor", got)
	}

	// A new category in News & Events, placed by the up and down buttons.
	const section, name = "News & Events", "E2E Robotics"
	tb.open("/admin/categories")
	order := categoriesIn(t, tb, section)
	if len(order) < 2 {
		t.Fatalf("the demo section %s has categories %q, want at least two", section, order)
	}
	tb.open("/admin/categories/new")
	tb.do("name the category", chromedp.SendKeys(chromedp.ID("cat-name"), name))
	chooseOption(t, tb, "cat-parent_id", "", section)
	if !evalIn[bool](tb, `document.getElementById("cat-visible").checked`) {
		t.Error("a new category is not visible by default")
	}
	if got := follow(tb, "the Create button", chromedp.CSS(`main form.form button[type=submit]`)); got != "/admin/categories" {
		t.Errorf("creating the category led to %s, want /admin/categories", got)
	}
	wantFlash(t, tb, "was created")
	order = append(order, name)
	wantCategories(t, tb, section, order)
	for _, dir := range []string{"up", "up", "down"} {
		follow(tb, "Move "+dir, chromedp.CSS(`button[aria-label="Move `+name+` `+dir+`"]`))
		wantFlash(t, tb, "moved "+dir)
		i := slices.Index(order, name)
		j := i - 1
		if dir == "down" {
			j = i + 1
		}
		order[i], order[j] = order[j], order[i]
		wantCategories(t, tb, section, order)
	}
	tb.shot("admin-categories")
	newPath := publicPath(t, tb, name)

	// Hide another category of the section.
	hidden := order[len(order)-1]
	if hidden == name {
		hidden = order[len(order)-2]
	}
	hiddenPath := publicPath(t, tb, hidden)
	follow(tb, "Edit "+hidden, chromedp.CSS(`a[aria-label="Edit `+hidden+`"]`))
	tb.do("untick Visible", chromedp.Click(chromedp.ID("cat-visible")))
	follow(tb, "the Save changes button", chromedp.CSS(`main form.form button[type=submit]`))
	wantFlash(t, tb, "was saved")
	if row := tb.text(`tbody tr:has(a[aria-label="Edit ` + hidden + `"]) th`); !strings.Contains(row, "(hidden)") {
		t.Errorf("the categories table shows %q for the hidden category", row)
	}

	// Readers see the new order without the hidden category.
	tb.open("/")
	want := slices.DeleteFunc(slices.Clone(order), func(n string) bool { return n == hidden })
	nav := tb.texts(`.nav-wide .nav-section:has(> a[href="/news-events"]) .nav-categories a`)
	if strings.Join(nav, "|") != strings.Join(want, "|") {
		t.Errorf("the public navigation of %s lists %q, want %q", section, nav, want)
	}
	if status, _ := s.get(t, newPath); status != http.StatusOK {
		t.Errorf("GET %s (the new category): status %d, want 200", newPath, status)
	}
	if status, _ := s.get(t, hiddenPath); status != http.StatusNotFound {
		t.Errorf("GET %s (the hidden category): status %d, want 404", hiddenPath, status)
	}

	// A new account with a generated one-time password, which works once.
	const email = "nora.newcomer@example.edu"
	tb.open("/admin/users/new")
	tb.do("fill in the account",
		chromedp.SendKeys(chromedp.ID("user-email"), email),
		chromedp.SendKeys(chromedp.ID("user-name"), "Nora Newcomer"),
		chromedp.SetValue(chromedp.ID("user-role"), "editor"))
	follow(tb, "the Create account button", chromedp.CSS(`main form.form button[type=submit]`))
	otp := evalIn[string](tb, `(document.getElementById("otp") || {}).value || ""`)
	if otp == "" {
		t.Fatalf("creating the account shows no one-time password: %s", tb.text("main"))
	}
	tb.open("/admin/users")
	if rows := tb.texts("tbody tr"); !slices.ContainsFunc(rows, func(r string) bool {
		return strings.Contains(r, email) && strings.Contains(r, "Editor")
	}) {
		t.Errorf("the users list %q has no editor %s", rows, email)
	}
	tb.shot("admin-users")
	newcomer := newTab(t, browser, s, desktopWidth)
	if got := login(t, newcomer, email, otp); got != "/account/password" {
		t.Errorf("the new account's first login is at %s, want /account/password", got)
	}
}

// publicPath reads a category's public address from the categories table.
func publicPath(t *testing.T, tb *tab, name string) string {
	t.Helper()
	p := tb.text(`tbody tr:has(a[aria-label="Edit ` + name + `"]) td a[href^="/"]`)
	if !strings.HasPrefix(p, "/") {
		t.Fatalf("the categories table shows no address for %s: %s", name, p)
	}
	return p
}

// categoriesIn reads the names of a section's categories, in order, from the categories table.
func categoriesIn(t *testing.T, tb *tab, section string) []string {
	t.Helper()
	return evalIn[[]string](tb, `(() => {
		const out = [];
		let inSection = false;
		for (const r of document.querySelectorAll("tbody tr")) {
			const th = r.querySelector("th");
			if (r.classList.contains("section-row")) {
				inSection = th.querySelector("strong").textContent.trim() === `+jsString(section)+`;
			} else if (inSection) {
				out.push([...th.childNodes].filter(n => n.nodeType === Node.TEXT_NODE)
					.map(n => n.textContent).join("").trim());
			}
		}
		return out;
	})()`)
}

// wantCategories fails the test unless the categories table lists want in the section.
func wantCategories(t *testing.T, tb *tab, section string, want []string) {
	t.Helper()
	if got := categoriesIn(t, tb, section); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("the categories of %s are %q, want %q", section, got, want)
	}
}
