//go:build e2e

package e2e

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// xssTitles reads the text of the elements matching css.
func xssTitles(x *xssTab, css string) []string {
	return xssEval[[]string](x, fmt.Sprintf(`[...document.querySelectorAll(%s)].map(e => e.textContent)`, jsString(css)))
}

// xssTour visits the public pages showing the corpus: home, the section and every category,
// every article, a quarter of the tags and the tag index. Pages alike for every payload (tags,
// images, the categories' forms, stale forms) each show a different quarter of the corpus.
func xssTour(t *testing.T, x *xssTab, items []xssItem) {
	t.Helper()
	x.visit("/", 200)
	x.walk("/"+xssSection, 10, nil)
	for _, it := range items {
		x.visit(it.Category, 200)
		if got := xssTitles(x, ".card-title a"); !slices.Contains(got, it.P.Text) {
			t.Errorf("%s: its category lists %q, not the article's title as typed", it.P.ID, got)
		}
	}
	var tags []string
	for _, it := range items {
		x.visit(it.Public, 200)
		if got := xssEval[string](x, `document.getElementById("article-title").textContent`); got != it.P.Text {
			t.Errorf("%s: the article's heading is %q, want the title as typed", it.P.ID, got)
		}
		for _, css := range []string{".standfirst", ".article-meta", ".article-cover figcaption", ".kicker"} {
			if got := xssEval[string](x, fmt.Sprintf(`(document.querySelector(%s) || {}).textContent || ""`, jsString(css))); !strings.Contains(got, it.P.Text) {
				t.Errorf("%s: %s shows %q, without the payload as typed", it.P.ID, css, got)
			}
		}
		if got := xssEval[string](x, `(document.querySelector(".article-cover img") || {}).alt`); got != it.P.Text {
			t.Errorf("%s: the cover's alt text is %q, want the payload as typed", it.P.ID, got)
		}
		tag := xssEval[string](x, fmt.Sprintf(`(() => { const a = [...document.querySelectorAll(".article-tags a")]
			.find(a => a.textContent === %s); return a ? a.pathname : ""; })()`, jsString(it.Tag)))
		if tag == "" {
			t.Errorf("%s: the article shows no tag %q; it shows %q", it.P.ID, it.Tag, xssTitles(x, ".article-tags a"))
			continue
		}
		tags = append(tags, tag)
	}
	for i, tag := range tags {
		if i%4 == 0 {
			x.visit(tag, 200)
		}
	}
	x.visit("/tags", 200)
}

// xssSearchAndArchive searches for a word of every article's text, for words of the payloads
// and for each payload itself, and visits the archive of this month.
func xssSearchAndArchive(t *testing.T, x *xssTab, items []xssItem) {
	t.Helper()
	// Every article's title comes back as typed in the search results, <mark> and all.
	var found []string
	x.walk("/search?q=xsscorpus", 20, func() { found = append(found, xssTitles(x, ".results .card-title a")...) })
	for _, it := range items {
		if !slices.Contains(found, it.P.Text) {
			t.Errorf("%s: the search for xsscorpus does not list the title as typed", it.P.ID)
		}
	}
	for _, q := range []string{"alert", "script", "onerror", "javascript", "img src", "P5*"} {
		x.visit("/search?q="+url.QueryEscape(q), 200)
	}
	for _, it := range items {
		x.visit("/search?q="+url.QueryEscape(it.P.Text), 200)
		if got := xssEval[string](x, `document.getElementById("q").value`); got != it.P.Text {
			t.Errorf("%s: the search box holds %q, want the query as typed", it.P.ID, got)
		}
	}

	now := time.Now().UTC()
	x.visit("/archive", 200)
	x.visit(fmt.Sprintf("/archive/%d", now.Year()), 200)
	x.walk(fmt.Sprintf("/archive/%d/%02d", now.Year(), now.Month()), 20, nil)
}

// xssStaffTour visits the staff pages showing the corpus: the dashboard, the article list,
// each article's form (with its live preview), revisions and a revision's differences, the
// page that keeps a submission whose form expired, the media library and each image's page,
// and the admin's categories, users, settings and audit log.
func xssStaffTour(t *testing.T, x *xssTab, items []xssItem, names []string) {
	t.Helper()
	x.visit("/editor", 200)
	if got := xssEval[string](x, `document.querySelector(".staff-user a").textContent`); got != names[0] {
		t.Errorf("the staff header names %q, want the admin's name as typed, %q", got, names[0])
	}
	x.walk("/editor/articles", 20, nil)
	xssArticleForms(t, x, items)
	x.walk("/editor/media", 20, nil)
	for i, it := range items {
		if i%4 != 1 {
			continue
		}
		x.visit(it.Media, 200)
		for _, id := range []string{"alt", "caption", "credit"} {
			if got := xssEval[string](x, fmt.Sprintf(`(document.getElementById(%s) || {}).value`, jsString(id))); got != it.P.Text {
				t.Errorf("%s: the image's %s holds %q, want the payload as typed", it.P.ID, id, got)
			}
		}
	}
	x.visit("/admin", 200)
	x.visit("/admin/categories", 200)
	for i, it := range items {
		p := "/admin/categories/" + it.CategoryID
		if i%4 == 2 {
			x.visit(p, 200)
		}
		if i%10 == 0 {
			x.visit(p+"/delete", 200)
			x.visit(it.Article+"/delete", 200)
		}
	}
	x.visit("/admin/users", 200)
	x.visit("/admin/settings", 200)
	x.walk("/admin/audit", 40, nil)
	x.visit("/account", 200)
}

// xssArticleForms opens each article's form and waits for its live preview, then its
// revisions and the differences of its first revision; every fourth payload is also sent in
// a stale form.
func xssArticleForms(t *testing.T, x *xssTab, items []xssItem) {
	t.Helper()
	for i, it := range items {
		if got := x.navigate(it.Article); got != 200 {
			t.Errorf("open %s: status %d", it.Article, got)
		}
		// The form renders a live preview of the text with the server's sanitized HTML.
		if !x.waitFor(`!!document.querySelector(".live-preview:not(.is-empty)")`, 10*time.Second) {
			t.Errorf("%s: the live preview did not appear", it.P.ID)
		}
		x.check(it.Article + " with its live preview")
		for _, id := range []string{"title", "summary", "source", "author", "photographer", "editor"} {
			if got := xssEval[string](x, fmt.Sprintf(`document.getElementById(%s).value`, jsString(id))); got != it.P.Text {
				t.Errorf("%s: the form's %s holds %q, want the payload as typed", it.P.ID, id, got)
			}
		}
		x.visit(it.Article+"/revisions", 200)
		revs := xssEval[[]string](x, `[...document.querySelectorAll("main a[href*='/revisions/']")].map(a => a.pathname)`)
		if len(revs) == 0 {
			t.Errorf("%s: the article has no revisions to look at", it.P.ID)
			continue
		}
		x.visit(revs[len(revs)-1], 200)
		if i%4 == 3 {
			xssExpired(t, x, it)
		}
	}
}

// xssExpired sends the payload in a form whose CSRF token is stale, as another site could
// make a signed-in browser do: the site answers with a page that keeps the submission, field
// names included, to send again.
func xssExpired(t *testing.T, x *xssTab, it xssItem) {
	t.Helper()
	xssEval[bool](x, fmt.Sprintf(`(() => {
		const f = document.createElement("form"), p = %s;
		f.method = "post"; f.action = "/editor/articles/new";
		for (const [k, v] of [["_csrf", "stale"], ["title", p], ["summary", p], ["body_source", p], ["name", p], [p, p]]) {
			const i = document.createElement("input"); i.type = "hidden"; i.name = k; i.value = v; f.appendChild(i);
		}
		const b = document.createElement("button"); b.id = "xss-send"; b.textContent = "send"; f.appendChild(b);
		document.body.appendChild(f);
		return true;
	})()`, jsString(it.P.Text)))
	xssPress(x, it.P.ID+": a stale form", chromedp.ID("xss-send"), 403)
	kept := xssTitles(x, "dl.kept dd")
	if !slices.Contains(kept, it.P.Text) {
		t.Errorf("%s: the page for the stale form keeps %q, not the payload as typed", it.P.ID, kept)
	}
	names := xssEval[[]string](x, `[...document.querySelectorAll("main form input[type=hidden]")].map(i => i.name)`)
	if !slices.Contains(names, it.P.Text) {
		t.Errorf("%s: the page for the stale form lost the field named with the payload; it keeps %q", it.P.ID, names)
	}
}
