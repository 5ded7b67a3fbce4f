//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// xssDetectorJS runs in every frame before the page's own scripts (scripts given to the
// browser this way are exempt from the page's CSP). Each dialog function records its argument
// instead of opening a dialog, in the top window when it can reach it, and says so on the
// console, which reaches the test from any frame.
const xssDetectorJS = `(() => {
  const hit = (m) => {
    const v = String(m);
    try { (window.top.__xss = window.top.__xss || []).push(v); } catch (e) {}
    if (window !== window.top) { (window.__xss = window.__xss || []).push(v); }
    try { console.warn("__XSS__ " + v + " in " + location.href); } catch (e) {}
  };
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    const trap = function (m) { hit(name + "(" + (m === undefined ? "" : m) + ")"); return name === "confirm" ? false : null; };
    try { Object.defineProperty(window, name, { value: trap, writable: false, configurable: false }); } catch (e) { window[name] = trap; }
  }
  window.__xss = window.__xss || [];
})()`

// xssAuditJS lists what in the document could run script or leave the page: any on*
// attribute, a URL that is not http(s), mailto or a relative one, and elements the site never
// writes itself (its own scripts are files under /assets/ and one JSON-LD block in the head).
// Markup that got past the sanitizer shows here even when the CSP keeps it from running.
const xssAuditJS = `(() => {
  const bad = [];
  const urlAttrs = new Set(["href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
    "lowsrc", "dynsrc", "codebase", "cite", "ping", "manifest", "longdesc", "usemap", "archive", "classid", "icon"]);
  const okURL = (v, dataImage) => {
    const s = v.replace(/[\u0000-\u0020\u007f-\u00a0]/g, "").toLowerCase();
    if (s === "" || s.startsWith("#")) return true;
    if (dataImage && /^data:image\/(png|jpeg|gif|webp)[;,]/.test(s)) return true;
    let u;
    try { u = new URL(v, document.baseURI); } catch (e) { return !/^[a-z][a-z0-9+.-]*:/.test(s) || /^(https?|mailto):/.test(s); }
    return ["http:", "https:", "mailto:"].includes(u.protocol);
  };
  const banned = new Set(["iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "svg", "math",
    "noscript", "xmp", "plaintext", "listing", "isindex", "marquee", "video", "audio", "source", "track", "param"]);
  const walk = (root, where) => {
    for (const el of root.querySelectorAll("*")) {
      const tag = el.localName, name = where + tag;
      for (const a of el.attributes) {
        const n = a.name.toLowerCase();
        if (n.startsWith("on")) bad.push(name + " has " + n + "=" + a.value);
        if (n === "srcdoc") bad.push(name + " has srcdoc");
        if (n === "style") bad.push(name + " has style=" + a.value);
        if (n === "http-equiv") bad.push(name + " has http-equiv=" + a.value);
        if (urlAttrs.has(n) && !okURL(a.value, tag === "img" && n === "src")) bad.push(name + " " + n + "=" + a.value);
        if (n === "srcset" && a.value.split(",").some(c => !okURL(c.trim().split(/\s+/)[0] || "", false))) bad.push(name + " srcset=" + a.value);
      }
      if (banned.has(tag)) bad.push(name + " element");
      if (tag === "script") {
        const ld = el.type === "application/ld+json" && el.parentNode === document.head;
        const own = /^\/assets\/js\//.test(el.getAttribute("src") || "") && el.textContent === "";
        if (!ld && !own) bad.push("script element: " + el.outerHTML.slice(0, 120));
      }
      if (tag === "style" || (tag === "link" && !/^\/assets\//.test(el.getAttribute("href") || "") &&
          !["canonical", "alternate"].includes(el.rel))) bad.push(name + ": " + el.outerHTML.slice(0, 120));
      if (tag === "template") walk(el.content, name + ">");
    }
  };
  walk(document, "");
  if (document.querySelectorAll('script[type="application/ld+json"]').length > 1) bad.push("more than one JSON-LD block");
  return { xss: window.__xss || ["(the detector is missing)"], bad: bad };
})()`

// xssAudit is what xssAuditJS returns.
type xssAudit struct {
	XSS []string `json:"xss"`
	Bad []string `json:"bad"`
}

// xssCSPScript matches the CSP reports that mean script reached the page: the policy stopped it,
// but escaped text never gets that far, so markup got through.
var xssCSPScript = regexp.MustCompile(`(?i)refused to (execute|run|evaluate|load the script)|inline event handler|script-src`)

// xssWatch collects from a tab's events what shows a payload ran or nearly did (failures)
// and what only shows the CSP or the network doing their jobs (notes, for the log).
type xssWatch struct {
	mu       sync.Mutex
	ctx      context.Context // the tab, to dismiss dialogs; set once the tab exists
	failures []string
	notes    []string
}

func (w *xssWatch) handle(ev any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		text := xssConsoleArgs(ev.Args)
		switch {
		case strings.HasPrefix(text, "__XSS__"):
			w.failures = append(w.failures, "a payload ran: "+strings.TrimPrefix(text, "__XSS__ "))
		case ev.Type == runtime.ConsoleAPICalledTypeError:
			w.failures = append(w.failures, "console.error: "+text)
		}
	case *runtime.EventExceptionThrown:
		w.failures = append(w.failures, "uncaught exception: "+exceptionText(ev.ExceptionDetails))
	case *log.EventEntryAdded:
		msg := fmt.Sprintf("%s (%s) %s", ev.Entry.Text, ev.Entry.Source, ev.Entry.URL)
		switch {
		case xssCSPScript.MatchString(ev.Entry.Text):
			w.failures = append(w.failures, "the CSP blocked script, so markup got through: "+msg)
		case ev.Entry.Source == log.EntrySourceNetwork && isAsset(ev.Entry.URL):
			w.failures = append(w.failures, "the site's own file failed: "+msg)
		case ev.Entry.Level == log.EntryLevelError || ev.Entry.Level == log.EntryLevelWarning:
			w.notes = append(w.notes, msg)
		}
	case *page.EventJavascriptDialogOpening:
		w.failures = append(w.failures, fmt.Sprintf("a %s dialog opened: %q", ev.Type, ev.Message))
		if ctx := w.ctx; ctx != nil {
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false}) //nolint:errcheck // best effort: the failure is recorded
		}
	}
}

// take returns and forgets what was collected.
func (w *xssWatch) take() (failures, notes []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	failures, notes = w.failures, w.notes
	w.failures, w.notes = nil, nil
	return failures, notes
}

func xssConsoleArgs(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		var s string
		if a.Description != "" {
			s = a.Description
		} else if err := json.Unmarshal(a.Value, &s); err != nil {
			s = string(a.Value)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

// xssTab is one tab with the detector installed, in its own browser context.
type xssTab struct {
	t      *testing.T
	ctx    context.Context
	base   string // the site's URL
	watch  *xssWatch
	pages  int           // pages checked
	blocks int           // CSP and network notes seen
	slow   time.Duration // longest page
	navT   time.Duration // time spent loading pages
	checkT time.Duration // time spent inspecting them
}

// newXSSTab opens a tab on the site at base with the detector installed before any page loads.
func newXSSTab(t *testing.T, browser context.Context, base string) *xssTab {
	t.Helper()
	w := &xssWatch{}
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext(), chromedp.WithListener(w.handle))
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(desktopWidth, desktopHeight)); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	w.mu.Lock()
	w.ctx = ctx
	w.mu.Unlock()
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: xssDetectorJS}); err != nil {
		t.Fatalf("install the XSS detector: %v", err)
	}
	return &xssTab{t: t, ctx: ctx, base: base, watch: w}
}

// visit loads path, requires the status want, and checks the page.
func (x *xssTab) visit(path string, want int64) {
	x.t.Helper()
	start := time.Now()
	if got := x.navigate(path); got != want {
		x.t.Errorf("open %s: status %d, want %d", path, got, want)
	}
	x.check(path)
	x.slow = max(x.slow, time.Since(start))
}

// navigate loads path and returns the status of its answer.
func (x *xssTab) navigate(path string) int64 {
	x.t.Helper()
	defer func(t time.Time) { x.navT += time.Since(t) }(time.Now())
	ctx, cancel := context.WithTimeout(x.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(x.base+path))
	if err != nil {
		x.t.Fatalf("open %s: %v", path, err)
	}
	return resp.Status
}

// xssPress clicks the element and checks the page it leads to, which must answer want.
func xssPress[S chromedp.Selectable](x *xssTab, what string, sel S, want int64) {
	x.t.Helper()
	ctx, cancel := context.WithTimeout(x.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(sel))
	if err != nil {
		x.t.Fatalf("press %s: %v", what, err)
	}
	if resp.Status != want {
		x.t.Errorf("press %s: status %d, want %d", what, resp.Status, want)
	}
	x.check(what)
}

// xssFindings is what one page showed.
type xssFindings struct {
	Ran      []string // markers the dialog traps recorded
	Bad      []string // unsafe markup the DOM audit found
	Failures []string // events that show script ran or reached the page
	Notes    []string // what the CSP or the network refused, as expected
}

// inspect lets queued tasks (focus, toggle and error handlers) run, then collects what the
// detectors, the DOM audit and the console show.
func (x *xssTab) inspect() xssFindings {
	x.t.Helper()
	defer func(t time.Time) { x.checkT += time.Since(t) }(time.Now())
	x.pages++
	ctx, cancel := context.WithTimeout(x.ctx, stepTimeout)
	defer cancel()
	a, err := chromedp.Run(ctx, chromedp.Evaluate[xssAudit](
		`new Promise(r => setTimeout(r, 0)).then(() => `+xssAuditJS+`)`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		x.t.Fatalf("audit the page: %v", err)
	}
	f := xssFindings{Ran: a.XSS, Bad: a.Bad}
	f.Failures, f.Notes = x.watch.take()
	return f
}

// check fails the test on anything inspect finds, and logs what was refused as expected.
func (x *xssTab) check(where string) {
	x.t.Helper()
	f := x.inspect()
	for _, v := range f.Ran {
		x.t.Errorf("%s: a payload ran: %s", where, v)
	}
	for _, b := range f.Bad {
		x.t.Errorf("%s: unsafe markup in the page: %s", where, b)
	}
	for _, m := range f.Failures {
		x.t.Errorf("%s: %s", where, m)
	}
	x.blocks += len(f.Notes)
	for _, n := range f.Notes {
		if strings.Contains(n, "Content Security Policy") {
			x.t.Logf("%s: refused by the CSP as expected: %s", where, n)
		}
	}
}

// xssEval evaluates a JavaScript expression in the page and decodes its value.
func xssEval[T any](x *xssTab, expr string) T {
	x.t.Helper()
	ctx, cancel := context.WithTimeout(x.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		x.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitFor polls a JavaScript condition for up to limit and reports whether it came true.
func (x *xssTab) waitFor(cond string, limit time.Duration) bool {
	ctx, cancel := context.WithTimeout(x.ctx, limit+5*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](cond,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(limit)))
	return err == nil
}

// walk visits path and then every further page its pager links to, up to limit pages,
// calling each (when not nil) on every page, and returns the paths visited.
func (x *xssTab) walk(path string, limit int, each func()) []string {
	x.t.Helper()
	var seen []string
	for path != "" && len(seen) < limit {
		x.visit(path, 200)
		seen = append(seen, path)
		if each != nil {
			each()
		}
		path = xssEval[string](x, `(() => { const a = document.querySelector('.pager a[rel=next]');
			return a ? a.pathname + a.search : ""; })()`)
	}
	return seen
}

// login signs in through the login form.
func (x *xssTab) login(email, password string) {
	x.t.Helper()
	x.visit("/login", 200)
	ctx, cancel := context.WithTimeout(x.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password)); err != nil {
		x.t.Fatalf("fill in the login form: %v", err)
	}
	xssPress(x, "the Log in button", chromedp.CSS(`form[action="/login"] button[type=submit]`), 200)
	if p := xssEval[string](x, "location.pathname"); strings.HasPrefix(p, "/login") {
		x.t.Fatalf("login as %s failed: still at %s", email, p)
	}
}
