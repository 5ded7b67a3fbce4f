package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	nethtml "golang.org/x/net/html"

	"campusnews/internal/accounts"
	"campusnews/internal/news"
)

// editorEnv is a test server with a section and a category, two writers and an editor, each
// with a signed-in client.
type editorEnv struct {
	*testEnv
	cat                *news.Node // /campus/research
	writer, other, ed  *client
	writerU, otherU, e *accounts.User
}

func newEditorEnv(t *testing.T) *editorEnv {
	t.Helper()
	env := newTestEnv(t)
	ctx := context.Background()
	admin := news.Actor{UserID: 1, Email: "setup@example.edu", CanPublish: true, CanEditAny: true}
	sec, err := env.news.CreateCategory(ctx, admin, news.CategoryInput{Name: "Campus", Slug: "campus", Visible: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = env.news.CreateCategory(ctx, admin, news.CategoryInput{Name: "Research", Slug: "research", ParentID: &sec.ID, Visible: true})
	if err != nil {
		t.Fatal(err)
	}
	ee := &editorEnv{testEnv: env}
	ee.cat = treeNode(t, env, "/campus/research")
	ee.writerU = env.mustUser("writer@example.edu", accounts.Writer)
	ee.otherU = env.mustUser("other@example.edu", accounts.Writer)
	ee.e = env.mustUser("editor@example.edu", accounts.Editor)
	ee.writer, ee.other, ee.ed = env.client(), env.client(), env.client()
	ee.writer.login(ee.writerU.Email)
	ee.other.login(ee.otherU.Email)
	ee.ed.login(ee.e.Email)
	return ee
}

// mustStatus fails the test unless resp has status want.
func mustStatus(t testing.TB, resp *http.Response, body string, want int) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d\n%s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, want, body)
	}
}

// treeNode returns the category at path.
func treeNode(t testing.TB, env *testEnv, path string) *news.Node {
	t.Helper()
	tree, err := env.news.Tree(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n := tree.ByPath(path)
	if n == nil {
		t.Fatalf("no category at %s", path)
	}
	return n
}

// formFields returns what a browser would send for the form posting to action in body:
// text, hidden and date inputs, checked boxes, textareas and selected options, leaving out
// disabled controls and the buttons.
func formFields(t testing.TB, body, action string) url.Values {
	t.Helper()
	doc, err := nethtml.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var form *nethtml.Node
	for n := range doc.Descendants() {
		if a, _ := htmlAttr(n, "action"); n.Type == nethtml.ElementNode && n.Data == "form" && a == action {
			form = n
			break
		}
	}
	if form == nil {
		t.Fatalf("no form posting to %s", action)
	}
	v := url.Values{}
	addControls(form, v)
	return v
}

func htmlAttr(n *nethtml.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// addControls adds the values of the enabled controls in n to v.
func addControls(n *nethtml.Node, v url.Values) {
	if n.Type == nethtml.ElementNode {
		if _, off := htmlAttr(n, "disabled"); off {
			return
		}
		name, _ := htmlAttr(n, "name")
		switch n.Data {
		case "input":
			typ, _ := htmlAttr(n, "type")
			val, _ := htmlAttr(n, "value")
			_, checked := htmlAttr(n, "checked")
			if name != "" && typ != "submit" && typ != "file" && (checked || typ != "checkbox" && typ != "radio") {
				v.Add(name, val)
			}
		case "textarea":
			text := ""
			if n.FirstChild != nil {
				text = n.FirstChild.Data
			}
			v.Add(name, text)
		case "select":
			if val, ok := selectedOption(n); ok {
				v.Add(name, val)
			}
			return
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		addControls(c, v)
	}
}

// selectedOption is the value a select sends: its selected option, or else its first.
func selectedOption(sel *nethtml.Node) (string, bool) {
	var first *string
	for o := range sel.Descendants() {
		if o.Type != nethtml.ElementNode || o.Data != "option" {
			continue
		}
		val, _ := htmlAttr(o, "value")
		if _, ok := htmlAttr(o, "selected"); ok {
			return val, true
		}
		if first == nil {
			first = &val
		}
	}
	if first == nil {
		return "", false
	}
	return *first, true
}

// sendForm GETs page, takes the form posting to action as the browser has it, applies
// changes and posts it.
func (cl *client) sendForm(page, action string, changes url.Values) (*http.Response, string) {
	cl.e.t.Helper()
	resp, body := cl.get(page)
	if resp.StatusCode != http.StatusOK {
		cl.e.t.Fatalf("GET %s: status %d\n%s", page, resp.StatusCode, body)
	}
	form := formFields(cl.e.t, body, action)
	for k, vs := range changes {
		form[k] = vs
	}
	return cl.post(action, form)
}

var articleIDRe = regexp.MustCompile(`^/editor/articles/(\d+)$`)

// newArticle writes an article through the form and returns its id.
func (ee *editorEnv) newArticle(cl *client, title, body, action string) int64 {
	ee.t.Helper()
	resp, page := cl.sendForm("/editor/articles/new", "/editor/articles/new", url.Values{
		"title": {title}, "body_source": {body}, "summary": {"About " + title},
		"category_id": {strconv.FormatInt(ee.cat.ID, 10)}, "action": {action},
	})
	mustStatus(ee.t, resp, page, http.StatusSeeOther)
	m := articleIDRe.FindStringSubmatch(resp.Header.Get("Location"))
	if m == nil {
		ee.t.Fatalf("saved article: redirected to %q", resp.Header.Get("Location"))
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	return n
}

func (ee *editorEnv) status(id int64) news.Status {
	ee.t.Helper()
	a, err := ee.news.Article(context.Background(), id)
	if err != nil {
		ee.t.Fatal(err)
	}
	return a.Status
}

// act presses the button action of the edit form of article id.
func (ee *editorEnv) act(cl *client, id int64, action string, changes url.Values) (*http.Response, string) {
	ee.t.Helper()
	if changes == nil {
		changes = url.Values{}
	}
	changes.Set("action", action)
	return cl.sendForm(editURL(id), editURL(id), changes)
}
