//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"slices"
	"strings"
	"testing"
	"time"
)

// xssSection is the address of the section that holds the corpus's categories.
const xssSection = "xss-corpus"

// xssItem is where one payload went: its category, image and article.
type xssItem struct {
	P          xssPayload
	CategoryID string
	Category   string // public path
	Media      string // editor path
	Article    string // editor path
	Public     string // public path
	Tag        string // the tag's name as stored
}

// TestXSS writes a corpus of XSS payloads into every field staff can write, through the
// site's own forms, and then looks at every page showing them in Chromium with detectors for
// script that runs, plus a DOM audit for markup that could; feeds, sitemaps and JSON-LD are
// checked as data.
func TestXSS(t *testing.T) {
	start := time.Now()
	corpus := xssCorpus()
	browser := newBrowser(t)
	xssSelfTest(t, browser)

	s := startSite(t)
	const adminEmail = "xss.admin@example.edu"
	s.addUser(t, adminEmail, "Xavier Admin", "admin", staffPassword)
	st := newXSSStaff(t, s.URL, adminEmail, staffPassword)
	items := xssFill(t, st, corpus)
	filled := time.Now()

	x := newXSSTab(t, browser, s.URL)
	x.login(adminEmail, staffPassword)
	names := xssUserRounds(t, st, x, corpus)
	site := xssSettingsRounds(t, st, x, corpus, items)
	xssTour(t, x, items)
	xssSearchAndArchive(t, x, items)
	xssStaffTour(t, x, items, names)
	x.check("after the last page") // events that arrived late
	toured := time.Now()
	xssData(t, s, items, site)

	round := func(d time.Duration) time.Duration { return d.Round(100 * time.Millisecond) }
	t.Logf("%d payloads, %d pages checked in the browser (slowest %s; loading %s, inspecting %s), "+
		"%d expected refusals by the network or the CSP; starting and filling %s, browser %s, feeds and JSON-LD %s, total %s",
		len(corpus), x.pages, round(x.slow), round(x.navT), round(x.checkT), x.blocks,
		round(filled.Sub(start)), round(toured.Sub(filled)), round(time.Since(toured)), round(time.Since(start)))
}

// xssSelfTest shows the detectors work: a page without the site's escaping or CSP runs its
// payloads and each is reported; a page with the CSP stops them, and the markup and the CSP's
// reports are still reported.
func xssSelfTest(t *testing.T, browser context.Context) {
	t.Helper()
	const open = `<img src=x onerror="alert('S1')"><svg onload="alert('S2')"></svg>` +
		`<details open ontoggle="alert('S3')"><summary>x</summary></details>` +
		`<iframe srcdoc="<script>alert('S4')</script>"></iframe><script>alert('S5')</script>` +
		`<a href="javascript:alert('S6')">x</a>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/csp" {
			w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'")
		}
		fmt.Fprint(w, "<!doctype html><title>self-test</title><body>"+open+"</body>")
	}))
	defer srv.Close()
	x := newXSSTab(t, browser, srv.URL)

	x.navigate("/")
	f := x.inspect()
	for _, want := range []string{"alert(S1)", "alert(S2)", "alert(S3)", "alert(S4)", "alert(S5)"} {
		if !slices.Contains(f.Ran, want) {
			t.Errorf("self-test: the detector missed %s; it saw %q", want, f.Ran)
		}
	}
	if !slices.ContainsFunc(f.Failures, func(s string) bool { return strings.Contains(s, "a payload ran: alert(S4)") }) {
		t.Errorf("self-test: the console did not report the payload that ran in a frame; it saw %q", f.Failures)
	}
	if !slices.ContainsFunc(f.Bad, func(s string) bool { return strings.Contains(s, "javascript:alert('S6')") }) {
		t.Errorf("self-test: the DOM audit missed the javascript: link; it saw %q", f.Bad)
	}

	x.navigate("/csp")
	f = x.inspect()
	if len(f.Ran) > 0 {
		t.Errorf("self-test: payloads ran despite the CSP: %q", f.Ran)
	}
	if !slices.ContainsFunc(f.Failures, func(s string) bool { return strings.Contains(s, "the CSP blocked script") }) {
		t.Errorf("self-test: the CSP's refusals were not reported; events: %q, notes: %q", f.Failures, f.Notes)
	}
	if len(f.Bad) < 4 {
		t.Errorf("self-test: the DOM audit found %q under the CSP, want the handlers, the iframe and the script", f.Bad)
	}
	if t.Failed() {
		t.FailNow()
	}
}

// xssFill writes the corpus through the staff forms: a section, a category per payload (name
// and description), an image per payload (alt text, caption, credit) and an article per
// payload with the payload in every field, its category and its image as cover, published.
func xssFill(t *testing.T, st *xssStaff, corpus []xssPayload) []xssItem {
	t.Helper()
	st.send("create the section", "/admin/categories/new", url.Values{"name": {"XSS Corpus"}, "slug": {xssSection},
		"description": {"Hostile text, escaped."}, "visible": {"on"}})
	_, form := st.get("/admin/categories/new")
	section := xssSelectOptions(t, form, "parent_id")["XSS Corpus"]
	if section == "" {
		t.Fatalf("the new section is not offered as a parent: %q", xssSelectOptions(t, form, "parent_id"))
	}
	items := make([]xssItem, len(corpus))
	img := xssPNG(t)
	for i, p := range corpus {
		slug := "xss-" + strings.ToLower(p.ID)
		st.send(p.ID+": create its category", "/admin/categories/new", url.Values{"name": {p.Text}, "slug": {slug},
			"description": {p.Text}, "parent_id": {section}, "visible": {"on"}})
		items[i] = xssItem{P: p, Category: "/" + xssSection + "/" + slug, Tag: xssTag(p),
			Media: st.upload(p.ID+": upload its image", img, map[string]string{"alt": p.Text, "caption": p.Text, "credit": p.Text})}
	}
	_, form = st.get("/editor/articles/new")
	cats := xssSelectOptions(t, form, "category_id")
	for i := range items {
		it := &items[i]
		if it.CategoryID = cats[it.P.Text]; it.CategoryID == "" {
			t.Fatalf("%s: its category is not offered in the article form", it.P.ID)
		}
		fields := func(body, action string) url.Values {
			v := url.Values{"category_id": {it.CategoryID}, "cover_media_id": {path.Base(it.Media)}, "tags": {it.Tag},
				"body_source": {body}, "action": {action}}
			for _, f := range []string{"title", "summary", "source", "author", "photographer", "editor"} {
				v.Set(f, it.P.Text)
			}
			return v
		}
		it.Article = st.send(it.P.ID+": save the article", "/editor/articles/new",
			fields("xsscorpus "+it.P.ID+" draft.\n\n"+it.P.Text, "save"))
		_, edit := st.get(it.Article)
		v := fields("xsscorpus "+it.P.ID+" as published.\n\n"+it.P.Text, "publish")
		if m := xssReUpdatedAt.FindStringSubmatch(edit); m != nil {
			v.Set("updated_at", html.UnescapeString(m[1]))
		}
		st.send(it.P.ID+": publish the article", it.Article, v)
		_, edit = st.get(it.Article)
		m := xssReViewLink.FindStringSubmatch(edit)
		if m == nil {
			t.Fatalf("%s: the published article's form has no View on site link", it.P.ID)
		}
		it.Public = html.UnescapeString(m[1])
	}
	// The section's own name and description, last: they show in every page's navigation.
	last := corpus[len(corpus)-1]
	st.send("rename the section", "/admin/categories/"+section, url.Values{"name": {last.Text}, "slug": {xssSection},
		"description": {corpus[0].Text}, "visible": {"on"}})
	return items
}

// xssEmails are the accounts the admin creates. An address may hold quotes, braces and the
// like, so some are hostile too (alert`E1` calls alert without parentheses, which addresses
// cannot hold).
var xssEmails = []string{
	"xss-user1'onfocus='alert`E1`'autofocus='@example.edu",
	"xss-user2{{.}}${7*7}@example.edu",
	"xss-user3'-alert`E3`-'@example.edu",
	"xss-user4&#39-alert`E4`-&#39@example.edu",
	"xss-user5=onerror=alert`E5`/@example.edu",
	"xss-user6@example.edu",
	"xss-user7@example.edu",
}

// xssUserRounds gives staff accounts the corpus as their names, eight at a time: the admin
// in the browser (whose name every staff page shows) and seven accounts it creates, and looks
// at the list of users after each round. It returns the names the accounts end with.
func xssUserRounds(t *testing.T, st *xssStaff, x *xssTab, corpus []xssPayload) []string {
	t.Helper()
	for k, email := range xssEmails {
		status, _, body := st.post("/admin/users/new", url.Values{"email": {email},
			"name": {corpus[k].Text}, "role": {"writer"}, "password_mode": {"generate"}})
		if status != http.StatusOK && status != http.StatusSeeOther {
			t.Fatalf("create the user %s: status %d; errors %q", email, status, xssFieldErrors(body))
		}
	}
	_, list := st.get("/admin/users")
	rows := xssRowLinks(t, list, "/admin/users/")
	type account struct{ path, role string }
	var accounts []account
	for _, email := range append([]string{"xss.admin@example.edu"}, xssEmails...) {
		var found string
		for text, href := range rows {
			if strings.Contains(text, strings.ToLower(email)) { // addresses are kept in lower case
				found = href
			}
		}
		if found == "" {
			t.Fatalf("the users list has no row for %s", email)
		}
		role := "writer"
		if strings.HasPrefix(email, "xss.admin") {
			role = "admin"
		}
		accounts = append(accounts, account{found, role})
	}
	names := make([]string, len(accounts))
	for r := 0; r*len(accounts) < len(corpus); r++ {
		for k, a := range accounts {
			names[k] = corpus[(r*len(accounts)+k)%len(corpus)].Text
			st.send("rename a user", a.path, url.Values{"name": {names[k]}, "role": {a.role}, "active": {"on"}})
		}
		x.visit("/admin/users", 200)
		shown := xssEval[[]string](x, `[...document.querySelectorAll("tbody tr")].map(r => r.textContent)`)
		for _, n := range names {
			if !slices.ContainsFunc(shown, func(row string) bool { return strings.Contains(row, n) }) {
				t.Errorf("the users list does not show the name %q as typed", n)
			}
		}
	}
	for _, a := range accounts {
		x.visit(a.path, 200)
	}
	return names
}

// xssSite is what the settings hold at the end.
type xssSite struct{ Name, Tagline, Footer, Contact string }

// xssSettingsRounds puts the corpus into the site's settings, four payloads a round (name,
// tagline, footer, contact), so each field gets a quarter of the corpus; after each round the
// home page is checked, and an article every fourth round. The feeds and the JSON-LD are
// checked with the last round's settings.
func xssSettingsRounds(t *testing.T, st *xssStaff, x *xssTab, corpus []xssPayload, items []xssItem) xssSite {
	t.Helper()
	var cur xssSite
	for r := 0; r*4 < len(corpus); r++ {
		at := func(k int) string { return corpus[(r*4+k)%len(corpus)].Text }
		cur = xssSite{Name: at(0), Tagline: at(1), Footer: at(2), Contact: at(3)}
		st.send("save the settings", "/admin/settings", url.Values{"name": {cur.Name}, "tagline": {cur.Tagline},
			"footer": {cur.Footer}, "contact": {cur.Contact}, "time_zone": {"UTC"}})
		x.visit("/", 200)
		if got := xssEval[string](x, `document.querySelector(".brand-name").textContent`); got != cur.Name {
			t.Errorf("the home page shows the site name %q, want %q", got, cur.Name)
		}
		// The browser collapses white space in the title.
		if got, want := xssEval[string](x, `document.title`), strings.Join(strings.Fields(cur.Name), " "); !strings.Contains(got, want) {
			t.Errorf("the home page's title %q does not hold the site name %q", got, want)
		}
		shown := xssEval[[]string](x, `[".brand-tagline", ".site-footer"].map(c => (document.querySelector(c) || {}).textContent || "")`)
		if shown[0] != cur.Tagline || !strings.Contains(shown[1], cur.Footer) || !strings.Contains(shown[1], "Contact: "+cur.Contact) {
			t.Errorf("the home page shows the tagline %q and the footer %q, want %q, %q and %q as typed",
				shown[0], shown[1], cur.Tagline, cur.Footer, cur.Contact)
		}
		if r%4 == 0 {
			x.visit(items[r%len(items)].Public, 200)
		}
	}
	x.visit("/admin/settings", 200)
	return cur
}
