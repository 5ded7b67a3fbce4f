package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"campusnews/internal/news"
)

func TestWriterDraftReviewEditorPublishes(t *testing.T) {
	ee := newEditorEnv(t)
	form := url.Values{"title": {""}, "body_source": {"The zebrafish lab grew."}, "action": {"save"},
		"category_id": {strconv.FormatInt(ee.cat.ID, 10)}}
	resp, body := ee.writer.sendForm("/editor/articles/new", "/editor/articles/new", form)
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	for _, want := range []string{`<p class="field-error" id="title-error">Title is required</p>`,
		">\nThe zebrafish lab grew.</textarea>", `aria-invalid="true" aria-describedby="title-error"`} {
		if !strings.Contains(body, want) {
			t.Errorf("refused form lacks %q", want)
		}
	}

	id := ee.newArticle(ee.writer, "Zebrafish lab opens", "The new zebrafish lab opened on Monday with six axolotls.", "save")
	resp, body = ee.writer.get(editURL(id))
	mustStatus(t, resp, body, http.StatusOK)
	if !strings.Contains(body, "Saved.") || !strings.Contains(body, `status-draft`) {
		t.Error("edit page after saving lacks the flash or the draft status")
	}
	resp, body = ee.act(ee.writer, id, "submit", nil)
	mustStatus(t, resp, body, http.StatusSeeOther)
	if st := ee.status(id); st != news.Review {
		t.Fatalf("after submit: %s", st)
	}

	// A writer may not publish: the request is refused and nothing moves.
	resp, body = ee.act(ee.writer, id, "publish", nil)
	mustStatus(t, resp, body, http.StatusForbidden)
	if st := ee.status(id); st != news.Review {
		t.Fatalf("after a writer's publish: %s", st)
	}
	_, body = ee.writer.get(editURL(id))
	if strings.Contains(body, `value="publish"`) {
		t.Error("the writer is offered a publish button")
	}

	resp, body = ee.act(ee.ed, id, "publish", nil)
	mustStatus(t, resp, body, http.StatusSeeOther)
	if st := ee.status(id); st != news.Published {
		t.Fatalf("after the editor's publish: %s", st)
	}
	_, body = ee.ed.get(editURL(id))
	public := fmt.Sprintf("/campus/research/%d/zebrafish-lab-opens", id)
	if !strings.Contains(body, `href="`+public+`">View on site`) {
		t.Error("no View on site link for the published article")
	}
	reader := ee.client()
	for path, want := range map[string]string{"/campus/research": `href="` + public + `"`, public: "<h1",
		"/search?q=axolotls": `href="` + public + `"`, "/feed.atom": public} {
		resp, body := reader.get(path)
		mustStatus(t, resp, body, http.StatusOK)
		if !strings.Contains(body, want) || !strings.Contains(body, "lab opens") {
			t.Errorf("%s does not show the published article", path)
		}
	}
	if _, body = reader.get(public); !strings.Contains(body, "The new zebrafish lab opened on Monday with six axolotls.") {
		t.Error("the article page lacks the body")
	}

	// Editing the published article changes the live page at once.
	resp, body = ee.act(ee.ed, id, "save", url.Values{"body_source": {"The lab now has 40 tanks."}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	if _, body = reader.get(public); !strings.Contains(body, "40 tanks") {
		t.Error("the live article did not change")
	}
}

func TestWriterOpensOnlyOwnArticles(t *testing.T) {
	ee := newEditorEnv(t)
	id := ee.newArticle(ee.writer, "Mine", "Text.", "save")
	for _, path := range []string{editURL(id), editURL(id) + "/revisions", editURL(id) + "/delete"} {
		resp, body := ee.other.get(path)
		mustStatus(t, resp, body, http.StatusForbidden)
		if !strings.Contains(body, "Writers can open only their own articles; ask an editor.") {
			t.Errorf("%s: the 403 page does not say why", path)
		}
	}
	resp, body := ee.other.submit("/editor/articles/new", editURL(id), url.Values{"title": {"Taken over"},
		"category_id": {strconv.FormatInt(ee.cat.ID, 10)}, "action": {"save"}})
	mustStatus(t, resp, body, http.StatusForbidden)
	if a, _ := ee.news.Article(context.Background(), id); a.Title != "Mine" {
		t.Errorf("title changed to %q", a.Title)
	}
	resp, body = ee.ed.get(editURL(id))
	mustStatus(t, resp, body, http.StatusOK)

	// Pinning and featuring are the editors' choice: a writer's request is ignored.
	resp, body = ee.act(ee.writer, id, "save", url.Values{"pinned": {"1"}, "featured": {"1"}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	if a, _ := ee.news.Article(context.Background(), id); a.Pinned || a.Featured {
		t.Error("a writer pinned or featured an article")
	}
}

func TestScheduleIsNotPublic(t *testing.T) {
	ee := newEditorEnv(t)
	id := ee.newArticle(ee.ed, "Open day next week", "Come along.", "save")

	resp, body := ee.act(ee.ed, id, "schedule", url.Values{"publish_at": {""}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, `id="publish_at-error">Choose when to publish`) {
		t.Error("no error beside publish_at")
	}

	at := time.Now().Add(48 * time.Hour).UTC().Format(localInput) // the site's zone is UTC
	resp, body = ee.act(ee.ed, id, "schedule", url.Values{"publish_at": {at}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	if st := ee.status(id); st != news.Scheduled {
		t.Fatalf("status %s, want scheduled", st)
	}
	_, body = ee.ed.get(editURL(id))
	if !strings.Contains(body, "Scheduled to appear on") || !strings.Contains(body, `value="`+at+`"`) {
		t.Error("the form does not show the schedule")
	}
	reader := ee.client()
	resp, _ = reader.get(fmt.Sprintf("/campus/research/%d/open-day-next-week", id))
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("scheduled article: status %d, want 404", resp.StatusCode)
	}
	if _, body = reader.get("/campus/research"); strings.Contains(body, "Open day next week") {
		t.Error("the scheduled article is listed")
	}

	// A time in the past: the text is saved, the schedule refused beside its field.
	past := time.Now().Add(-time.Hour).UTC().Format(localInput)
	resp, body = ee.act(ee.ed, id, "schedule", url.Values{"publish_at": {past}, "title": {"Open day soon"}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, `id="publish_at-error">Choose a time in the future`) {
		t.Error("no error beside publish_at for a past time")
	}
}

func TestRevisionsCompareAndRestore(t *testing.T) {
	ee := newEditorEnv(t)
	id := ee.newArticle(ee.writer, "First title", "Alpha beta gamma.", "save")
	resp, body := ee.act(ee.writer, id, "save", url.Values{"title": {"Second title"}, "body_source": {"Alpha delta gamma."}})
	mustStatus(t, resp, body, http.StatusSeeOther)

	resp, body = ee.writer.get(editURL(id) + "/revisions")
	mustStatus(t, resp, body, http.StatusOK)
	links := regexp.MustCompile(`href="(/editor/articles/\d+/revisions/\d+)"><time`).FindAllStringSubmatch(body, -1)
	if len(links) != 2 {
		t.Fatalf("%d revisions listed, want 2", len(links))
	}
	if !strings.Contains(body, "writer") {
		t.Error("the revisions do not name who saved them")
	}
	oldest := links[1][1]
	resp, body = ee.writer.get(oldest)
	mustStatus(t, resp, body, http.StatusOK)
	for _, want := range []string{"<del>beta</del>", "<ins>delta</ins>", "<del>First</del>", "<ins>Second</ins>"} {
		if !strings.Contains(body, want) {
			t.Errorf("comparison lacks %s", want)
		}
	}
	resp, body = ee.writer.submit(oldest, oldest+"/restore", nil)
	mustStatus(t, resp, body, http.StatusSeeOther)
	a, err := ee.news.Article(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "First title" || a.BodySource != "Alpha beta gamma." {
		t.Errorf("after restore: %q / %q", a.Title, a.BodySource)
	}
	_, body = ee.writer.get(editURL(id) + "/revisions")
	if !strings.Contains(body, "Restored revision 1") {
		t.Error("the restore is not noted in the revisions")
	}
	// A revision of another article is not reachable through this one.
	other := ee.newArticle(ee.writer, "Other", "x", "save")
	resp, _ = ee.writer.get(editURL(other) + oldest[strings.LastIndex(oldest, "/revisions"):])
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("foreign revision: %d", resp.StatusCode)
	}
}

func TestStaleSaveIsConflict(t *testing.T) {
	ee := newEditorEnv(t)
	id := ee.newArticle(ee.writer, "Shared piece", "Original text.", "save")
	_, stale := ee.writer.get(editURL(id))
	form := formFields(t, stale, editURL(id))

	resp, body := ee.act(ee.ed, id, "save", url.Values{"body_source": {"The editor's text."}})
	mustStatus(t, resp, body, http.StatusSeeOther)

	form.Set("body_source", "My own careful words.")
	form.Set("action", "save")
	resp, body = ee.writer.post(editURL(id), form)
	mustStatus(t, resp, body, http.StatusConflict)
	for _, want := range []string{"Someone else saved this article since you opened it. Your text is kept below; compare and save again.",
		">\nMy own careful words.</textarea>", "The editor&#39;s text."} {
		if !strings.Contains(body, want) {
			t.Errorf("conflict page lacks %q", want)
		}
	}
	if a, _ := ee.news.Article(context.Background(), id); a.BodySource != "The editor's text." {
		t.Errorf("the stale save went through: %q", a.BodySource)
	}
	// Saving the re-rendered form again wins.
	again := formFields(t, body, editURL(id))
	again.Set("action", "save")
	resp, body = ee.writer.post(editURL(id), again)
	mustStatus(t, resp, body, http.StatusSeeOther)
	if a, _ := ee.news.Article(context.Background(), id); a.BodySource != "My own careful words." {
		t.Errorf("second save: %q", a.BodySource)
	}
}

// A writer whose article an editor publishes while they edit it cannot save any more, but
// gets their text back rather than a bare refusal.
func TestSaveAfterPublishKeepsWritersText(t *testing.T) {
	ee := newEditorEnv(t)
	id := ee.newArticle(ee.writer, "Library hours", "Open late in May.", "submit")
	_, open := ee.writer.get(editURL(id))
	form := formFields(t, open, editURL(id))
	resp, body := ee.act(ee.ed, id, "publish", nil)
	mustStatus(t, resp, body, http.StatusSeeOther)

	form.Set("body_source", "Open late in May and June, with a quiet floor.")
	form.Set("action", "save")
	resp, body = ee.writer.post(editURL(id), form)
	mustStatus(t, resp, body, http.StatusConflict)
	for _, want := range []string{"Since you opened this article its status has become “Published”",
		">\nOpen late in May and June, with a quiet floor.</textarea>"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, `value="save"`) || strings.Contains(body, "<fieldset class=\"plain\" disabled>") {
		t.Error("the writer is offered a save, or the kept text cannot be selected")
	}
	if a, _ := ee.news.Article(context.Background(), id); a.BodySource != "Open late in May." {
		t.Errorf("the writer's save went through: %q", a.BodySource)
	}
}

func TestPreview(t *testing.T) {
	ee := newEditorEnv(t)
	_, page := ee.writer.get("/editor/articles/new")
	token := csrfInput.FindStringSubmatch(page)[1]
	post := func(tok string) (*http.Response, string) {
		req, _ := http.NewRequest(http.MethodPost, ee.http.URL+"/editor/preview",
			strings.NewReader(url.Values{"body": {"Some **bold** words <script>alert(1)</script>"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-CSRF-Token", tok)
		resp, err := ee.writer.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp, readBody(t, resp)
	}
	resp, body := post(token)
	mustStatus(t, resp, body, http.StatusOK)
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(body, "<strong>bold</strong>") {
		t.Errorf("preview: %s %q", resp.Header.Get("Content-Type"), body)
	}
	if strings.Contains(body, "<script") {
		t.Errorf("preview keeps a script: %q", body)
	}
	if resp, _ = post("wrong"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("preview with a wrong token: %d", resp.StatusCode)
	}

	// Without JavaScript: the preview button renders the text above the form and saves nothing.
	resp, body = ee.writer.sendForm("/editor/articles/new", "/editor/articles/new", url.Values{
		"title": {"Draft idea"}, "body_source": {"## A heading\n\nText."}, "action": {"preview"}})
	mustStatus(t, resp, body, http.StatusOK)
	if !strings.Contains(body, "<h2>A heading</h2>") || !strings.Contains(body, "## A heading") {
		t.Error("the no-JS preview lacks the rendered text or the source")
	}
	l, err := ee.news.EditorList(context.Background(), news.Actor{CanEditAny: true}, news.EditorFilter{}, 1, 10)
	if err != nil || l.Total != 0 {
		t.Errorf("preview saved something: %v, %d", err, l.Total)
	}
}

func TestWorkflowButtons(t *testing.T) {
	ee := newEditorEnv(t)
	id := ee.newArticle(ee.ed, "Short notice", "Closed today.", "publish")
	public := fmt.Sprintf("/campus/research/%d/short-notice", id)
	reader := ee.client()
	if resp, _ := reader.get(public); resp.StatusCode != http.StatusOK {
		t.Fatalf("published: %d", resp.StatusCode)
	}
	resp, body := ee.ed.submit(editURL(id), editURL(id)+"/unpublish", nil)
	mustStatus(t, resp, body, http.StatusSeeOther)
	if st := ee.status(id); st != news.Draft {
		t.Errorf("after unpublish: %s", st)
	}
	if resp, _ := reader.get(public); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unpublished article: %d", resp.StatusCode)
	}
	resp, body = ee.ed.submit(editURL(id), editURL(id)+"/archive", nil)
	mustStatus(t, resp, body, http.StatusSeeOther)
	if st := ee.status(id); st != news.Archived {
		t.Errorf("after archive: %s", st)
	}
	// Writers have no such buttons and are refused.
	mine := ee.newArticle(ee.writer, "Mine", "x", "save")
	resp, body = ee.writer.submit(editURL(mine), editURL(mine)+"/archive", nil)
	mustStatus(t, resp, body, http.StatusForbidden)

	resp, body = ee.ed.get(editURL(id) + "/delete")
	mustStatus(t, resp, body, http.StatusOK)
	if !strings.Contains(body, "Delete this article?") {
		t.Error("no confirmation question")
	}
	resp, body = ee.ed.submit(editURL(id)+"/delete", editURL(id)+"/delete", nil)
	mustStatus(t, resp, body, http.StatusSeeOther)
	if resp, _ := ee.ed.get(editURL(id)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("deleted article: %d", resp.StatusCode)
	}
	if n := ee.auditCount("article.delete", ee.e.Email); n != 1 {
		t.Errorf("%d delete entries in the audit log", n)
	}
}

func TestDashboardAndList(t *testing.T) {
	ee := newEditorEnv(t)
	ctx := context.Background()
	w := news.Actor{UserID: ee.writerU.ID, Email: ee.writerU.Email}
	for i := range editorPerPage + 2 {
		in := news.ArticleInput{Title: fmt.Sprintf("Batch %02d", i), CategoryID: ee.cat.ID}
		if _, err := ee.news.Create(ctx, w, in); err != nil {
			t.Fatal(err)
		}
	}
	ee.newArticle(ee.ed, "Editor's own draft", "x", "save")
	resp, body := ee.writer.get("/editor")
	mustStatus(t, resp, body, http.StatusOK)
	if !strings.Contains(body, "Batch 26") || !strings.Contains(body, "Write an article") || strings.Contains(body, "Editor&#39;s own draft") {
		t.Error("the writer's dashboard shows the wrong drafts")
	}
	// The writer's 27 drafts; the editor's draft is not the writer's to see.
	if !strings.Contains(body, `<span class="status status-draft">Draft</span> 27`) {
		t.Error("the dashboard does not count the writer's 27 drafts")
	}

	resp, body = ee.ed.get("/editor/articles")
	mustStatus(t, resp, body, http.StatusOK)
	if !strings.Contains(body, "28 articles") || !strings.Contains(body, `href="/editor/articles?page=2"`) {
		t.Error("the list lacks the count or page 2")
	}
	resp, body = ee.ed.get("/editor/articles?page=2")
	mustStatus(t, resp, body, http.StatusOK)
	if resp, _ = ee.ed.get("/editor/articles?page=3"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("page past the end: %d", resp.StatusCode)
	}
	uid := strconv.FormatInt(ee.writerU.ID, 10)
	resp, body = ee.ed.get("/editor/articles?status=draft&author=" + uid + "&q=Batch+0")
	mustStatus(t, resp, body, http.StatusOK)
	if !strings.Contains(body, "10 articles match the filter") || !strings.Contains(body, `<option value="`+uid+`" selected>writer</option>`) {
		t.Error("the filtered list is wrong")
	}
}

// A writer's lists link only to the forms they may open: others' published articles link to
// the public page, others' drafts to nothing.
func TestWriterListsLinkOnlyWhatTheyMayOpen(t *testing.T) {
	ee := newEditorEnv(t)
	mine := ee.newArticle(ee.writer, "My own draft", "x", "save")
	theirs := ee.newArticle(ee.other, "Their draft", "x", "save")
	live := ee.newArticle(ee.ed, "Live news", "x", "publish")
	for _, page := range []string{"/editor", "/editor/articles"} {
		_, body := ee.writer.get(page)
		if page == "/editor/articles" && !strings.Contains(body, `href="`+editURL(mine)+`"`) {
			t.Errorf("%s: no link to the writer's own draft", page)
		}
		for _, id := range []int64{theirs, live} {
			if strings.Contains(body, `href="`+editURL(id)+`"`) {
				t.Errorf("%s: links to the form of article %d, which the writer may not open", page, id)
			}
		}
		if !strings.Contains(body, fmt.Sprintf(`href="/campus/research/%d/live-news"`, live)) {
			t.Errorf("%s: the published article does not link to its public page", page)
		}
	}
	_, body := ee.writer.get("/editor/articles?q=own")
	if !strings.Contains(body, "1 article matches the filter.") {
		t.Error("a single match is not counted in the singular")
	}
}

// The article list's title search ignores case in any alphabet.
func TestArticleListSearchFoldsCase(t *testing.T) {
	ee := newEditorEnv(t)
	ee.newArticle(ee.ed, "Über die Straße: Ørsted visits", "x", "save")
	for _, q := range []string{"über", "ÜBER", "ørsted", "straße"} {
		_, body := ee.ed.get("/editor/articles?q=" + url.QueryEscape(q))
		if !strings.Contains(body, "1 article matches the filter.") {
			t.Errorf("searching %q does not find the article", q)
		}
	}
}

// Every field a writer can type comes out escaped on the editor pages and the public page.
func TestEditorFieldsAreEscaped(t *testing.T) {
	ee := newEditorEnv(t)
	const evil = `<script>alert(1)</script>`
	id := ee.newArticle(ee.ed, evil, "Body "+evil, "save")
	resp, body := ee.act(ee.ed, id, "publish", url.Values{"summary": {evil}, "source": {evil}, "author": {evil},
		"photographer": {evil}, "editor": {evil}, "tags": {evil + ", safe"}, "slug": {"evil"}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	pages := []string{editURL(id), "/editor", "/editor/articles", editURL(id) + "/revisions", editURL(id) + "/delete",
		fmt.Sprintf("/campus/research/%d/evil", id)}
	for _, p := range pages {
		resp, body := ee.ed.get(p)
		mustStatus(t, resp, body, http.StatusOK)
		if strings.Contains(body, "<script>alert") {
			t.Errorf("%s: the script comes out unescaped", p)
		}
		if !strings.Contains(body, html.EscapeString(evil)) && !strings.Contains(body, `\u003cscript\u003e`) {
			t.Errorf("%s: the escaped text is missing", p)
		}
	}
	resp, body = ee.ed.get(fmt.Sprintf("/campus/research/%d/evil", id))
	if n := strings.Count(body, "&lt;script&gt;alert(1)&lt;/script&gt;"); n < 6 {
		t.Errorf("public page shows the typed text escaped %d times, want title, summary, source and credits", n)
	}
}

func TestWordDiff(t *testing.T) {
	render := func(parts []DiffPart) string {
		var b strings.Builder
		for _, p := range parts {
			switch p.Kind {
			case "del":
				b.WriteString("[-" + p.Text + "-]")
			case "ins":
				b.WriteString("{+" + p.Text + "+}")
			default:
				b.WriteString(p.Text)
			}
		}
		return b.String()
	}
	tests := []struct{ a, b, old, cur string }{
		{"", "", "", ""},
		{"same text", "same text", "same text", "same text"},
		{"", "new words", "", "{+new words+}"},
		{"old words", "", "[-old words-]", ""},
		{"a b c", "a x c", "a [-b-] c", "a {+x+} c"},
		{"one\ntwo three", "one\ntwo four three", "one\ntwo three", "one\ntwo {+four +}three"},
		{"<b> & é", "<b> and é", "<b> [-&-] é", "<b> {+and+} é"},
	}
	for _, tc := range tests {
		old, cur := wordDiff(tc.a, tc.b)
		if got := render(old); got != tc.old {
			t.Errorf("wordDiff(%q, %q) old side = %q, want %q", tc.a, tc.b, got, tc.old)
		}
		if got := render(cur); got != tc.cur {
			t.Errorf("wordDiff(%q, %q) new side = %q, want %q", tc.a, tc.b, got, tc.cur)
		}
	}
	// Too large to compare word by word: the changed middle is shown replaced, never lost.
	w, v := strings.TrimSpace(strings.Repeat("w ", 3000)), strings.TrimSpace(strings.Repeat("v ", 3000))
	old, cur := wordDiff("start "+w+" end", "start "+v+" end")
	if render(old) != "start [-"+w+"-] end" || render(cur) != "start {+"+v+"+} end" {
		t.Error("large input is not shown as one replacement")
	}
}
