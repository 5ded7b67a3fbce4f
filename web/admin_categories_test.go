package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	nethtml "golang.org/x/net/html"

	"campusnews/internal/news"
	"campusnews/internal/validate"
)

// placedTree is an admin's test server with two sections, Campus Life (Clubs, Sports) and
// Research (Labs, hidden), and one published article in Clubs.
type placedTree struct {
	env                 *testEnv
	cl                  *client
	life, research      *news.Node
	clubs, sports, labs *news.Node
	art                 *news.Article
}

func newPlacedTree(t *testing.T) *placedTree {
	t.Helper()
	env, cl, admin := adminEnv(t)
	p := &placedTree{env: env, cl: cl}
	p.life = newCategory(t, env, cl, "Campus Life", "0", "/campus-life")
	p.research = newCategory(t, env, cl, "Research", "0", "/research")
	p.clubs = newCategory(t, env, cl, "Clubs", catID(p.life), "/campus-life/clubs")
	p.sports = newCategory(t, env, cl, "Sports", catID(p.life), "/campus-life/sports")
	resp, body := cl.submit("/admin/categories/new", "/admin/categories/new",
		url.Values{"name": {"Labs"}, "parent_id": {catID(p.research)}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	p.labs = treeNode(t, env, "/research/labs")
	actor := news.Actor{UserID: admin.ID, Email: admin.Email, CanPublish: true, CanEditAny: true}
	ctx := context.Background()
	art, err := env.news.Create(ctx, actor, news.ArticleInput{Title: "Chess club wins", CategoryID: p.clubs.ID})
	if err != nil {
		t.Fatal(err)
	}
	if err := env.news.Publish(ctx, actor, art.ID); err != nil {
		t.Fatal(err)
	}
	p.art = art
	p.mustBeIn(t, p.clubs)
	return p
}

// mustBeIn fails unless the article is in category n and readers reach it at its address.
func (p *placedTree) mustBeIn(t *testing.T, n *news.Node) {
	t.Helper()
	ctx := context.Background()
	art, err := p.env.news.Article(ctx, p.art.ID)
	if err != nil {
		t.Fatal(err)
	}
	if art.CategoryID != n.ID {
		t.Fatalf("article is in category %d, want %d (%s)", art.CategoryID, n.ID, n.Path)
	}
	tree, err := p.env.news.Tree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !n.Visible() {
		return
	}
	path := articleURL(tree, art)
	if resp, body := p.env.client().get(path); resp.StatusCode != http.StatusOK {
		t.Fatalf("article at %s: status %d\n%s", path, resp.StatusCode, body)
	}
}

// selectOptions lists the value and text of every option of the select named name in body.
func selectOptions(t *testing.T, body, name string) (values, labels []string) {
	t.Helper()
	doc, err := nethtml.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for n := range doc.Descendants() {
		if v, _ := htmlAttr(n, "name"); n.Type != nethtml.ElementNode || n.Data != "select" || v != name {
			continue
		}
		for o := range n.Descendants() {
			if o.Type == nethtml.ElementNode && o.Data == "option" {
				v, _ := htmlAttr(o, "value")
				text := ""
				if o.FirstChild != nil {
					text = o.FirstChild.Data
				}
				values, labels = append(values, v), append(labels, text)
			}
		}
		return values, labels
	}
	t.Fatalf("no select %q in the page:\n%s", name, body)
	return nil, nil
}

func TestCategoryDeleteMovesArticlesOnlyIntoCategories(t *testing.T) {
	p := newPlacedTree(t)
	cl, del := p.cl, "/admin/categories/"+catID(p.clubs)+"/delete"

	// Offered: the other categories, hidden ones marked, no sections and nothing chosen.
	_, body := cl.get(del)
	values, labels := selectOptions(t, body, "move_to")
	if want := []string{"", catID(p.sports), catID(p.labs)}; !slices.Equal(values, want) {
		t.Errorf("move_to offers %v (%v), want %v", values, labels, want)
	}
	if !slices.Contains(labels, "Labs (hidden)") {
		t.Errorf("hidden category not marked: %v", labels)
	}
	if got := formFields(t, body, del).Get("move_to"); got != "" {
		t.Errorf("move_to preselects %q, want nothing", got)
	}

	for _, tc := range []struct {
		name, moveTo, msg string
	}{
		{"a section", catID(p.life), "Choose a category, not a section: articles cannot be placed directly in a section"},
		{"nothing", "", "Choose the category its articles move to"},
		{"itself", catID(p.clubs), "Choose another category for the articles"},
		{"unknown", "99999", "Choose another category for the articles"},
	} {
		resp, body := cl.submit(del, del, url.Values{"move_to": {tc.moveTo}})
		mustStatus(t, resp, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `<p class="field-error" id="move_to-error">`+tc.msg+`</p>`) {
			t.Fatalf("move to %s: no error %q beside the field:\n%s", tc.name, tc.msg, body)
		}
		treeNode(t, p.env, "/campus-life/clubs")
		p.mustBeIn(t, p.clubs)
	}

	resp, body := cl.submit(del, del, url.Values{"move_to": {catID(p.sports)}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	p.mustBeIn(t, p.sports)
}

func TestCategoryWithArticlesCannotBecomeSection(t *testing.T) {
	p := newPlacedTree(t)
	cl, edit := p.cl, "/admin/categories/"+catID(p.clubs)

	resp, body := cl.submit(edit, edit, url.Values{"name": {"Clubs renamed"}, "slug": {"clubs"}, "parent_id": {"0"}, "visible": {"1"}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	const msg = "A section cannot hold articles, and this category holds 1. Move them to another category first, or choose a section to place it in."
	if !strings.Contains(body, `<p class="field-error" id="cat-parent_id-error">`+msg+`</p>`) || !strings.Contains(body, "Clubs renamed") {
		t.Fatalf("refusal not beside the field or input lost:\n%s", body)
	}
	if n := treeNode(t, p.env, "/campus-life/clubs"); n.Name != "Clubs" {
		t.Fatalf("refused change saved: %+v", n.Category)
	}
	p.mustBeIn(t, p.clubs)

	// Three levels are refused too: the form offers only sections, and the service checks.
	resp, body = cl.submit(edit, edit, url.Values{"name": {"Clubs"}, "slug": {"clubs"}, "parent_id": {catID(p.sports)}, "visible": {"1"}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, `id="cat-parent_id-error">Choose a section</p>`) {
		t.Fatalf("category under a category not refused beside the field:\n%s", body)
	}
	if values, _ := selectOptions(t, body, "parent_id"); !slices.Equal(values, []string{"0", catID(p.life), catID(p.research)}) {
		t.Errorf("parent_id offers %v, want none and the two sections", values)
	}
	p.mustBeIn(t, p.clubs)

	// Into another section: fine, and the article follows.
	resp, body = cl.submit(edit, edit, url.Values{"name": {"Clubs"}, "slug": {"clubs"}, "parent_id": {catID(p.research)}, "visible": {"1"}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	p.mustBeIn(t, treeNode(t, p.env, "/research/clubs"))

	// An empty category may still become a section.
	resp, body = cl.submit("/admin/categories/"+catID(p.sports), "/admin/categories/"+catID(p.sports),
		url.Values{"name": {"Sports"}, "slug": {"sports"}, "parent_id": {"0"}, "visible": {"1"}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	if n := treeNode(t, p.env, "/sports"); !n.IsSection() {
		t.Fatalf("sports: %+v", n.Category)
	}
}

func TestArticleCannotBePlacedInSection(t *testing.T) {
	ee := newEditorEnv(t)
	sec := treeNode(t, ee.testEnv, "/campus")
	secID := strconv.FormatInt(sec.ID, 10)

	// The form offers categories only.
	_, body := ee.writer.get("/editor/articles/new")
	if values, _ := selectOptions(t, body, "category_id"); !slices.Equal(values, []string{"", strconv.FormatInt(ee.cat.ID, 10)}) {
		t.Errorf("category_id offers %v", values)
	}

	const fieldErr = `<p class="field-error" id="category_id-error">Choose a category</p>`
	resp, body := ee.writer.sendForm("/editor/articles/new", "/editor/articles/new", url.Values{
		"title": {"Placed in a section"}, "summary": {"Kept summary"}, "category_id": {secID}, "action": {"save"}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, fieldErr) || !strings.Contains(body, "Kept summary") {
		t.Fatalf("new article in a section: no field error or input lost:\n%s", body)
	}
	var n int64
	if err := ee.db.Model(&news.Article{}).Count(&n).Error; err != nil || n != 0 {
		t.Fatalf("%d articles stored (%v)", n, err)
	}

	id := ee.newArticle(ee.writer, "Placed in a category", "Text.", "save")
	resp, body = ee.act(ee.writer, id, "save", url.Values{"category_id": {secID}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, fieldErr) {
		t.Fatalf("edit into a section: no field error:\n%s", body)
	}
	if a, err := ee.news.Article(context.Background(), id); err != nil || a.CategoryID != ee.cat.ID {
		t.Fatalf("article moved: %+v, %v", a, err)
	}

	// The service refuses it whatever the caller.
	editor := news.Actor{UserID: ee.e.ID, Email: ee.e.Email, CanPublish: true, CanEditAny: true}
	_, err := ee.news.Create(context.Background(), editor, news.ArticleInput{Title: "Direct", CategoryID: sec.ID})
	if verrs, ok := errors.AsType[validate.Errors](err); !ok || verrs["category_id"] != "Choose a category" {
		t.Fatalf("service accepted a section: %v", err)
	}
}

func TestCategoryMoveSaysWhatHappened(t *testing.T) {
	p := newPlacedTree(t)
	cl := p.cl
	move := func(n *news.Node, direction string) (*http.Response, string) {
		t.Helper()
		return cl.submit("/admin/categories", "/admin/categories/"+catID(n)+"/move", url.Values{"direction": {direction}})
	}
	// flash follows the redirect and returns the page it lands on.
	flash := func(resp *http.Response, body string) string {
		t.Helper()
		mustStatus(t, resp, body, http.StatusSeeOther)
		_, page := cl.get(resp.Header.Get("Location"))
		return page
	}

	for _, direction := range []string{"sideways", "", "UP", "-1"} {
		resp, body := move(p.sports, direction)
		mustStatus(t, resp, body, http.StatusBadRequest)
		if !strings.Contains(body, "Bad request") || !strings.Contains(body, `<body class="staff">`) {
			t.Fatalf("direction %q: no error page in the layout:\n%s", direction, body)
		}
	}
	if got := childOrder(t, p.env, "/campus-life"); got != "clubs,sports" {
		t.Fatalf("a bad direction moved something: %s", got)
	}

	if page := flash(move(p.clubs, "up")); !strings.Contains(page, "“Clubs” is already first.") || strings.Contains(page, "moved up") {
		t.Errorf("moving the first up: wrong message:\n%s", page)
	}
	if page := flash(move(p.sports, "down")); !strings.Contains(page, "“Sports” is already last.") || strings.Contains(page, "moved down") {
		t.Errorf("moving the last down: wrong message:\n%s", page)
	}
	if got := childOrder(t, p.env, "/campus-life"); got != "clubs,sports" {
		t.Fatalf("order changed: %s", got)
	}
	if page := flash(move(p.sports, "up")); !strings.Contains(page, "“Sports” moved up.") {
		t.Errorf("no message for a move:\n%s", page)
	}
	if got := childOrder(t, p.env, "/campus-life"); got != "sports,clubs" {
		t.Fatalf("after moving Sports up: %s", got)
	}
	if page := flash(move(p.research, "down")); !strings.Contains(page, "“Research” is already last.") {
		t.Errorf("moving the last section down: wrong message:\n%s", page)
	}
}
