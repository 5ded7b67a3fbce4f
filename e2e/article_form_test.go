//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// longDraft is an article long enough that the form is several screens tall.
func longDraft(title string) draft {
	var body strings.Builder
	for i := range 14 {
		fmt.Fprintf(&body, "Paragraph %d of the regatta report: the crews rowed two thousand metres on the river in a light headwind.\n\n", i+1)
		if i == 6 {
			body.WriteString("## The final\n\n")
		}
	}
	return draft{Title: title, Summary: "The rowing club won four of six races at the spring regatta.",
		Body: body.String(), Section: "News & Events", Category: "News"}
}

// TestArticleForm checks the article form at work: the live preview beside the text on a
// desktop, a short status instead of a live region, the action bar in reach while the form
// scrolls, "Publish now" asking first (with the script, answered from the keyboard, and
// without it), and the staff menu folded on a phone.
func TestArticleForm(t *testing.T) {
	s := startSite(t)
	const email = "eve.editor@example.edu"
	s.addUser(t, email, "Eve Editor", "editor", staffPassword)
	browser := newBrowser(t)

	t.Run("desktop", func(t *testing.T) {
		tb := newTab(t, browser, s, desktopWidth)
		login(t, tb, email, staffPassword)
		tb.open("/editor/articles/new")
		d := longDraft("Rowing Club Wins the Spring Regatta")
		fillArticle(t, tb, d)
		typeInto(tb, "body_source", " The end.")
		waitPreview(tb, "The end.")
		tb.shot("article-form-preview")

		// Beside the text, level with it, and still in view when the text is scrolled to.
		box := evalIn[[]float64](tb, `(() => {
			const t = document.getElementById("body_source").getBoundingClientRect();
			const p = document.querySelector(".live-preview").getBoundingClientRect();
			return [t.left, t.right, t.top, t.bottom, p.left, p.right, p.top, p.bottom]; })()`)
		if box[4] < box[1] || box[6] >= box[3] || box[7] <= box[2] {
			t.Errorf("the live preview (x %.0f–%.0f, y %.0f–%.0f) is not beside the text (x %.0f–%.0f, y %.0f–%.0f)",
				box[4], box[5], box[6], box[7], box[0], box[1], box[2], box[3])
		}
		tb.do("scroll to the end of the text", chromedp.Evaluate[chromedp.Void](
			`document.getElementById("body_source").scrollIntoView({block: "end"})`))
		if !inView(tb, ".live-preview .live-preview-head") {
			t.Error("the live preview leaves the window when the text is scrolled to its end")
		}

		// No live region around the article: only a short status.
		if live := evalIn[string](tb, `(() => { const r = document.querySelector(".live-preview .article-body")
			.closest("[aria-live],[role=status],[role=log],[role=alert]"); return r ? r.outerHTML.slice(0, 120) : ""; })()`); live != "" {
			t.Errorf("the live preview is inside a live region, read out again after every pause: %s", live)
		}
		if got := tb.text(".live-preview [role=status]"); got != "Preview updated" {
			t.Errorf("after typing the preview's status says %q, want Preview updated", got)
		}

		// The buttons stay in reach at the top, the middle and the end of a long form.
		if h := evalIn[float64](tb, `document.documentElement.scrollHeight / innerHeight`); h < 1.5 {
			t.Fatalf("the form is only %.1f windows tall; the check of the action bar needs a longer one", h)
		}
		for _, at := range []string{"0", "document.documentElement.scrollHeight / 2", "document.documentElement.scrollHeight"} {
			tb.do("scroll", chromedp.Evaluate[chromedp.Void]("window.scrollTo(0, "+at+")"))
			if !inView(tb, `#article-form button[value=save]`) {
				t.Errorf("scrolled to %s: the Save button is out of the window", at)
			}
		}

		id := articleID(t, saveArticle(t, tb, "save"))
		wantStatus(t, tb, "Draft")

		// "Publish now" asks; No leaves the draft as it was.
		answers := answerDialogs(tb, false)
		tb.do("press Publish now", press(tb, chromedp.CSS(`#article-form button[value=confirm-publish]`)))
		if q := <-answers; q != "Publish “"+d.Title+"” now? Readers see it at once." {
			t.Errorf("Publish now asks %q", q)
		}
		time.Sleep(300 * time.Millisecond) // a navigation, if the No were ignored
		if got := tb.path(); got != fmt.Sprintf("/editor/articles/%d", id) {
			t.Errorf("after answering No the page is %s", got)
		}
		wantStatus(t, tb, "Draft")

		// Yes, from the keyboard: the button in focus, Enter, Enter on the question.
		answers = answerDialogs(tb, true)
		tb.do("focus Publish now", chromedp.Focus(chromedp.CSS(`#article-form button[value=confirm-publish]`)))
		ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
		defer cancel()
		if _, err := chromedp.RunResponse(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
			t.Fatalf("Enter on Publish now: %v", err)
		}
		<-answers
		wantFlash(t, tb, "Published")
		wantStatus(t, tb, "Published")
	})

	t.Run("phone", func(t *testing.T) {
		tb := newTab(t, browser, s, phoneWidth)
		// The first Tab reaches the skip link, and Enter on it moves to the content.
		tb.open("/")
		tb.do("press Tab", chromedp.KeyEvent(kb.Tab))
		if got := evalIn[string](tb, `document.activeElement.className`); got != "skip-link" {
			t.Errorf("the first Tab focuses %q, want the skip link", got)
		}
		tb.do("press Enter", chromedp.KeyEvent(kb.Enter))
		if got := evalIn[string](tb, `document.activeElement.id`); got != "main" {
			t.Errorf("the skip link moved the focus to #%s, want #main", got)
		}

		login(t, tb, email, staffPassword)
		tb.open("/editor/articles/new")
		// The staff menu is one row: the Menu button, closed.
		if h := evalIn[float64](tb, `document.querySelector(".staff-nav").getBoundingClientRect().height`); h > 56 {
			t.Errorf("the folded staff menu is %.0f px tall, want one row", h)
		}
		wantMenu(t, tb, false)
		tb.do("focus Menu and press Enter", chromedp.Focus(chromedp.CSS(".staff-menu-button")), chromedp.KeyEvent(kb.Enter))
		wantMenu(t, tb, true)
		tb.shot("staff-menu-open")
		tb.do("press Escape", chromedp.KeyEvent(kb.Escape))
		wantMenu(t, tb, false)
		if got := evalIn[string](tb, `document.activeElement.className`); got != "staff-menu-button" {
			t.Errorf("after Escape the focus is on %q, want the Menu button", got)
		}
		tb.do("press Space", chromedp.KeyEvent(" "))
		wantMenu(t, tb, true)

		// The action bar is in reach and small.
		fillArticle(t, tb, longDraft("Library Opens Overnight for Exams"))
		tb.do("scroll to the top", chromedp.Evaluate[chromedp.Void]("window.scrollTo(0, 0)"))
		if !inView(tb, `#article-form button[value=save]`) {
			t.Error("on the phone the Save button is out of the window at the top of the form")
		}
		if h := evalIn[float64](tb, `document.querySelector(".editor-actions").getBoundingClientRect().height`); h > 0.15*phoneHeight {
			t.Errorf("the action bar is %.0f px tall, more than 15%% of the phone's window", h)
		}
		// A field reached with Tab that lies behind the bar scrolls clear of it.
		tb.do("Tab to the summary, which lies behind the bar", chromedp.Evaluate[chromedp.Void](`(() => {
			document.getElementById("category_id").focus({preventScroll: true});
			window.scrollBy(0, document.getElementById("summary").getBoundingClientRect().bottom - innerHeight + 10); })()`),
			chromedp.KeyEvent(kb.Tab))
		if got := evalIn[[]float64](tb, `[document.getElementById("summary").getBoundingClientRect().bottom,
			document.querySelector(".editor-actions").getBoundingClientRect().top, document.activeElement === document.getElementById("summary") ? 1 : 0]`); got[2] != 1 || got[0] > got[1] {
			t.Errorf("the summary field, reached with Tab, ends at %.0f px, behind the action bar at %.0f px (focused: %v)", got[0], got[1], got[2] == 1)
		}
		tb.shot("article-form-phone")
	})

	t.Run("without JavaScript", func(t *testing.T) {
		phone := newTab(t, browser, s, phoneWidth)
		noScript(phone)
		login(t, phone, email, staffPassword)
		phone.open("/editor")
		if evalIn[bool](phone, `getComputedStyle(document.querySelector(".staff-menu-button")).display !== "none"`) {
			t.Error("without the script the Menu button shows, and it could not open the menu")
		}
		if !evalIn[bool](phone, `document.querySelector("#staff-menu").getBoundingClientRect().height > 0`) {
			t.Error("without the script the staff menu is not shown")
		}

		tb := newTab(t, browser, s, desktopWidth)
		noScript(tb)
		login(t, tb, email, staffPassword)
		tb.open("/editor/articles/new")
		d := draft{Title: "Chess Team Qualifies for the Finals", Summary: "The chess team plays the national finals in May.",
			Body: "The chess team qualified for the national finals.", Section: "News & Events", Category: "News"}
		fillArticle(t, tb, d)
		id := articleID(t, saveArticle(t, tb, "save"))
		if got := follow(tb, "Publish now", chromedp.CSS(`#article-form button[value=confirm-publish]`)); got != fmt.Sprintf("/editor/articles/%d", id) {
			t.Errorf("Publish now led to %s", got)
		}
		if q := tb.text("#confirm-h"); q != "Publish “"+d.Title+"” now?" {
			t.Errorf("the confirmation asks %q", q)
		}
		if p := tb.text("section.preview .article-body"); !strings.Contains(p, "qualified for the national finals") {
			t.Errorf("the confirmation shows the text %q, want the article's", p)
		}
		wantStatus(t, tb, "Draft")
		tb.shot("publish-confirm")
		follow(tb, "Yes, publish now", chromedp.CSS(`#confirm-publish button[value=publish]`))
		wantFlash(t, tb, "Published")
		wantStatus(t, tb, "Published")
	})
}

// typeInto types text at the end of the field, as a person would (input events and all).
func typeInto(tb *tab, id, text string) {
	tb.t.Helper()
	tb.do("type into #"+id, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(
		`(() => { const e = document.getElementById(%s); e.focus(); e.setSelectionRange(e.value.length, e.value.length); })()`, jsString(id))),
		chromedp.KeyEvent(text))
}

// waitPreview waits until the live preview shows text.
func waitPreview(tb *tab, text string) {
	tb.t.Helper()
	tb.do("wait for the live preview", chromedp.Poll[chromedp.Void](fmt.Sprintf(
		`(document.querySelector(".live-preview .article-body") || {innerText: ""}).innerText.includes(%s)`, jsString(text)),
		chromedp.WithPollingInterval(100*time.Millisecond)))
}

// inView reports whether the whole of the first element matching css is inside the window
// (to the pixel: fractions of one are rounding).
func inView(tb *tab, css string) bool {
	tb.t.Helper()
	r := evalIn[[]float64](tb, fmt.Sprintf(`(() => { const r = document.querySelector(%s).getBoundingClientRect();
		return [r.top, r.bottom, r.height, innerHeight]; })()`, jsString(css)))
	if r[2] > 0 && r[0] > -1 && r[1] < r[3]+1 {
		return true
	}
	tb.t.Logf("%s: top %.1f, bottom %.1f, window height %.1f", css, r[0], r[1], r[3])
	return false
}

// wantMenu fails the test unless the staff menu is open (its links shown, the button saying
// so) or folded.
func wantMenu(t *testing.T, tb *tab, open bool) {
	t.Helper()
	got := evalIn[[]string](tb, `[document.querySelector(".staff-menu-button").getAttribute("aria-expanded"),
		String(document.querySelector("#staff-menu").getBoundingClientRect().height > 0)]`)
	if want := fmt.Sprint(open); got[0] != want || got[1] != want {
		t.Errorf("staff menu: aria-expanded=%s, links shown %s; want %s and %s", got[0], got[1], want, want)
	}
}

// answerDialogs answers the next JavaScript dialog of the tab (yes or no) and sends its
// question on the channel.
func answerDialogs(tb *tab, accept bool) <-chan string {
	ctx, cancel := context.WithCancel(tb.ctx)
	tb.t.Cleanup(cancel)
	events := chromedp.Events(ctx, page.JavascriptDialogOpening)
	asked := make(chan string, 1)
	go func() {
		defer cancel()
		for ev, err := range events {
			if err != nil {
				return
			}
			chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error { //nolint:errcheck // the test sees the outcome
				_, err := cdp.Call(ctx, t, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: accept})
				return err
			}))
			asked <- ev.Message
			return
		}
	}()
	return asked
}

// noScript turns the page's scripts off in the tab, as a browser with JavaScript disabled.
func noScript(tb *tab) {
	tb.t.Helper()
	tb.do("turn scripts off", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
}
