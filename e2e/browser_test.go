//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Viewports the pages are checked at: a phone and a desktop.
const (
	phoneWidth, phoneHeight     = 375, 812
	desktopWidth, desktopHeight = 1440, 900
)

// newBrowser starts one headless Chromium for the test and returns the context of its first
// tab; tabs made from it with newTab share the process. It fails the test when Chromium is
// missing: CI must run the browser tests, not skip them.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	if chromePath == "" {
		t.Fatal("chromium not found: run `make e2e-deps` (installs Debian's chromium), " +
			"set CAMPUSNEWS_CHROMIUM to a Chromium binary, or CAMPUSNEWS_E2E=0 to skip the browser tests")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromePath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first call starts the browser; it gets no timeout, because a timeout on it would end
	// the browser with it.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium (%s): %v", chromePath, err)
	}
	return ctx
}

// tab is one browser tab in a browser context of its own (own cookies), at one viewport. Its
// methods fail the test on an error, and every page it shows is watched for script errors and
// failed asset requests.
type tab struct {
	t     *testing.T
	ctx   context.Context
	site  *site
	width int64
	watch *pageWatch
}

// newTab opens a tab at the given width: a phone (touch, mobile viewport, 2x pixels) at
// phoneWidth, a desktop window otherwise.
func newTab(t *testing.T, browser context.Context, s *site, width int64) *tab {
	t.Helper()
	w := &pageWatch{urls: map[network.RequestID]string{}}
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext(), chromedp.WithListener(w.handle))
	tb := &tab{t: t, ctx: ctx, site: s, width: width, watch: w}
	t.Cleanup(cancel)
	t.Cleanup(tb.checkPage) // runs before cancel: cleanups run last-in first-out
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	viewport := chromedp.EmulateViewport(desktopWidth, desktopHeight)
	if width == phoneWidth {
		viewport = chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateScale(2),
			chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	tb.do("set the viewport", viewport)
	return tb
}

func (tb *tab) phone() bool { return tb.width == phoneWidth }

// do runs steps as one group with its own time limit and fails the test on an error.
func (tb *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tb.t.Fatalf("%s (at %s): %v", what, tb.location(), err)
	}
	tb.checkPage()
}

// open loads path on the site and requires a 200 answer.
func (tb *tab) open(path string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(tb.site.URL+path))
	if err != nil {
		tb.t.Fatalf("open %s: %v", path, err)
	}
	if resp.Status != 200 {
		tb.t.Fatalf("open %s: status %d", path, resp.Status)
	}
	tb.checkPage()
}

// follow presses the element (a tap on the phone, a click on the desktop), waits for the page
// it leads to and requires a 2xx answer. It returns the path (with query) of the new page.
func follow[S chromedp.Selectable](tb *tab, what string, sel S) string {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	from := tb.location()
	resp, err := chromedp.RunResponse(ctx, press(tb, sel))
	if err != nil {
		tb.t.Fatalf("follow %s (from %s): %v", what, from, err)
	}
	if resp.Status < 200 || resp.Status > 299 {
		tb.t.Fatalf("follow %s (from %s): status %d for %s", what, from, resp.Status, resp.URL)
	}
	tb.checkPage()
	return tb.path()
}

// press is a tap on the phone and a mouse click on the desktop.
func press[S chromedp.Selectable](tb *tab, sel S) chromedp.Action[chromedp.Void] {
	if tb.phone() {
		return chromedp.Tap(sel)
	}
	return chromedp.Click(sel)
}

// location is the address of the page, for messages.
func (tb *tab) location() string {
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "?"
	}
	return loc
}

// path is the path and query of the page.
func (tb *tab) path() string {
	u, err := url.Parse(tb.location())
	if err != nil {
		return ""
	}
	return u.RequestURI()
}

// text is the visible text of the first element matching the CSS selector.
func (tb *tab) text(css string) string {
	tb.t.Helper()
	return strings.TrimSpace(evalIn[string](tb, fmt.Sprintf(
		`(() => { const e = document.querySelector(%s); return e ? e.innerText : "<no element %s>"; })()`,
		jsString(css), strings.ReplaceAll(css, `"`, `'`))))
}

// texts is the trimmed text of every element matching the CSS selector, in document order.
func (tb *tab) texts(css string) []string {
	tb.t.Helper()
	return evalIn[[]string](tb, fmt.Sprintf(
		`[...document.querySelectorAll(%s)].map(e => e.textContent.replace(/\s+/g, " ").trim())`, jsString(css)))
}

// count is the number of elements matching the CSS selector.
func (tb *tab) count(css string) int {
	tb.t.Helper()
	return evalIn[int](tb, fmt.Sprintf(`document.querySelectorAll(%s).length`, jsString(css)))
}

// evalIn evaluates a JavaScript expression in the page and decodes its value.
func evalIn[T any](tb *tab, expr string) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tb.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// byText selects the first element matching css whose whole text is text.
func byText(css, text string) chromedp.JSPath {
	return chromedp.JSPath(fmt.Sprintf(
		`[...document.querySelectorAll(%s)].find(e => e.textContent.replace(/\s+/g, " ").trim() === %s)`,
		jsString(css), jsString(text)))
}

// jsString is s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s) //nolint:errchkjson // a string always marshals
	return string(b)
}

// noSideScroll fails the test when the page is wider than the viewport, which on a phone
// means readers must scroll sideways.
func (tb *tab) noSideScroll(page string) {
	tb.t.Helper()
	w := evalIn[[]int](tb, `[document.documentElement.scrollWidth, window.innerWidth]`)
	if w[0] > w[1] {
		tb.t.Errorf("%s at %d px: the page scrolls sideways (scrollWidth %d > innerWidth %d); widest elements: %s",
			page, tb.width, w[0], w[1], tb.widest(w[1]))
	}
}

// widest names the elements reaching past the right edge, to say what to fix.
func (tb *tab) widest(limit int) string {
	return strings.Join(evalIn[[]string](tb, fmt.Sprintf(`[...document.querySelectorAll("body *")]
		.filter(e => e.getBoundingClientRect().right > %d + 1)
		.slice(0, 5)
		.map(e => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ").join(".") : "") +
			" (right edge " + Math.round(e.getBoundingClientRect().right) + ")")`, limit)), ", ")
}

// shot saves a full-page PNG as screenshots/NAME-WIDTH.png.
func (tb *tab) shot(name string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		tb.t.Fatal(err)
	}
	file := filepath.Join(screenshotDir, fmt.Sprintf("%s-%d.png", name, tb.width))
	if err := os.WriteFile(file, png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

// checkPage reports, as test errors, what went wrong in the pages since the last check.
func (tb *tab) checkPage() {
	tb.t.Helper()
	for _, p := range tb.watch.take() {
		tb.t.Errorf("in the browser: %s", p)
	}
}

// pageWatch collects script errors and failed asset requests from a tab's events. Its
// handle method runs in the tab's event loop, so it only records.
type pageWatch struct {
	mu       sync.Mutex
	urls     map[network.RequestID]string
	problems []string
	expected []string // problems containing one of these are not problems (a 404 page asked for)
}

// expect makes problems that mention s no problems, for an error status the test asks for.
func (w *pageWatch) expect(s string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.expected = append(w.expected, s)
}

func (w *pageWatch) handle(ev any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		w.add("uncaught exception: %s", exceptionText(ev.ExceptionDetails))
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError {
			var parts []string
			for _, a := range ev.Args {
				if a.Description != "" {
					parts = append(parts, a.Description)
				} else {
					parts = append(parts, string(a.Value))
				}
			}
			w.add("console.error: %s", strings.Join(parts, " "))
		}
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError {
			w.add("browser log error (%s): %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
		}
	case *network.EventRequestWillBeSent:
		w.urls[ev.RequestID] = ev.Request.URL
	case *network.EventResponseReceived:
		u := ev.Response.URL
		if ev.Response.Status >= 400 && isAsset(u) {
			w.add("asset request failed: %d %s", ev.Response.Status, u)
		}
	case *network.EventLoadingFailed:
		// A request the browser gave up itself (the page moved on) is no failure.
		if !ev.Canceled {
			w.add("request failed: %s %s", ev.ErrorText, w.urls[ev.RequestID])
		}
	}
}

func (w *pageWatch) add(format string, args ...any) {
	p := fmt.Sprintf(format, args...)
	for _, e := range w.expected {
		if strings.Contains(p, e) {
			return
		}
	}
	w.problems = append(w.problems, p)
}

// take returns the problems recorded so far and forgets them.
func (w *pageWatch) take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	p := w.problems
	w.problems = nil
	return p
}

// isAsset tells whether a URL is one of the site's static files or uploads.
func isAsset(u string) bool {
	return strings.Contains(u, "/assets/") || strings.Contains(u, "/media/")
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "(no details)"
	}
	s := d.Text
	if d.Exception != nil && d.Exception.Description != "" {
		s += " " + d.Exception.Description
	}
	return fmt.Sprintf("%s (%s:%d:%d)", s, d.URL, d.LineNumber+1, d.ColumnNumber+1)
}
