package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	nethtml "golang.org/x/net/html"

	"campusnews/internal/news"
)

// buttonsOf returns the submit buttons of the page named action, with their attributes.
func buttonsOf(t *testing.T, body string) map[string]map[string]string {
	t.Helper()
	doc, err := nethtml.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]string{}
	for n := range doc.Descendants() {
		if name, _ := htmlAttr(n, "name"); n.Type != nethtml.ElementNode || n.Data != "button" || name != "action" {
			continue
		}
		attrs := map[string]string{"text": strings.Join(strings.Fields(textOf(n)), " ")}
		for _, a := range n.Attr {
			attrs[a.Key] = a.Val
		}
		out[attrs["value"]+"@"+attrs["form"]] = attrs
	}
	return out
}

func textOf(n *nethtml.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == nethtml.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}

// "Publish now" asks first. With the script, the browser asks the button's data-confirm
// question and a yes sends "publish". Without it, the button sends "confirm-publish" and the
// server answers with the form as typed, the article previewed and a button that publishes;
// nothing is saved until that button is pressed.
func TestPublishNowAsksFirst(t *testing.T) {
	ee := newEditorEnv(t)
	ctx := context.Background()
	id := ee.newArticle(ee.ed, "Robotics Lab Opens", "The lab opens on Monday.", "save")
	page := editURL(id)
	_, body := ee.ed.get(page)
	b := buttonsOf(t, body)["confirm-publish@"]
	if b == nil || b["text"] != "Publish now" || b["data-confirmed-value"] != "publish" ||
		b["data-confirm"] != "Publish “Robotics Lab Opens” now? Readers see it at once." {
		t.Errorf("the Publish now button is %v, want one asking before it publishes", b)
	}
	if _, ok := buttonsOf(t, body)["publish@"]; ok {
		t.Error("the form has a button that publishes without asking")
	}

	// Without the script: the question, with the changed title kept, and nothing saved.
	resp, body := ee.act(ee.ed, id, "confirm-publish", url.Values{"title": {"Robotics Lab Opens Its Doors"}})
	mustStatus(t, resp, body, http.StatusOK)
	for _, want := range []string{`<h2 id="confirm-h">Publish “Robotics Lab Opens Its Doors” now?</h2>`,
		`value="Robotics Lab Opens Its Doors"`, "<p>The lab opens on Monday.</p>", "The article as it will be published."} {
		if !strings.Contains(body, want) {
			t.Errorf("the confirmation page lacks %q", want)
		}
	}
	yes := buttonsOf(t, body)["publish@article-form"]
	if yes == nil || yes["text"] != "Yes, publish now" {
		t.Errorf("the confirmation has no Yes button sending the form: %v", buttonsOf(t, body))
	}
	art, err := ee.news.Article(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if art.Status != news.Draft || art.Title != "Robotics Lab Opens" {
		t.Fatalf("asking changed the article: %s %q", art.Status, art.Title)
	}

	// Yes: the form as the confirmation page has it, with that button.
	form := formFields(t, body, page)
	form.Set("action", "publish")
	resp, body = ee.ed.post(page, form)
	mustStatus(t, resp, body, http.StatusSeeOther)
	if art, _ = ee.news.Article(ctx, id); art.Status != news.Published || art.Title != "Robotics Lab Opens Its Doors" {
		t.Errorf("after Yes: %s %q, want published with the new title", art.Status, art.Title)
	}
}

// A form that could not be published shows its errors rather than the question; a writer,
// who may not publish, is refused the question too.
func TestPublishQuestionOnlyWhenItCanSucceed(t *testing.T) {
	ee := newEditorEnv(t)
	id := ee.newArticle(ee.ed, "Library Hours", "Open late.", "save")
	resp, body := ee.act(ee.ed, id, "confirm-publish", url.Values{"title": {""}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	if strings.Contains(body, `id="confirm-h"`) || !strings.Contains(body, `id="title-error"`) {
		t.Error("publishing without a title asks the question instead of showing the error beside the title")
	}
	own := ee.newArticle(ee.writer, "A Writer's Draft", "Text.", "save")
	resp, body = ee.act(ee.writer, own, "confirm-publish", nil)
	mustStatus(t, resp, body, http.StatusForbidden)
	if st := ee.status(own); st != news.Draft {
		t.Errorf("the writer's draft is %s", st)
	}
}
