//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The checkers, installed by "make e2e-deps" from the versions pinned in
// testdata/npm/package-lock.json.
const (
	axePath = "testdata/npm/node_modules/axe-core/axe.min.js"
	vnuPath = "testdata/npm/node_modules/vnu-jar/build/dist/vnu.jar"
)

// TestAccessibility checks every page of the site, public and staff, with axe-core at a
// phone's and a desktop's width, and the HTML the server sends with the Nu HTML checker. Any
// axe violation, whatever its impact, and any Nu error fails it, with one line per finding.
func TestAccessibility(t *testing.T) {
	axe, java := a11yTools(t)
	s := startSite(t)
	fx := newFixtures(t, s)
	pages := pagesToCheck(t, s, fx)
	browser := newBrowser(t)
	htmlDir := t.TempDir()

	began := time.Now()
	var axeTime time.Duration
	var findings []string
	var nu chan []string
	var nuTime time.Duration
	for i, width := range []int64{phoneWidth, desktopWidth} {
		tb := newTab(t, browser, s, width)
		tb.injectAxe(axe)
		loggedIn := false
		for n, p := range pages {
			if p.Staff && !loggedIn {
				login(t, tb, fx.AdminEmail, staffPassword)
				loggedIn = true
			}
			html := tb.show(p)
			if i == 0 {
				if err := os.WriteFile(filepath.Join(htmlDir, fmt.Sprintf("%02d-%s.html", n, p.Name)), []byte(html), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			start := time.Now()
			findings = append(findings, tb.axeFindings(p.Name)...)
			axeTime += time.Since(start)
		}
		if i == 0 {
			// The HTML is the same at every width: the checker reads it while the browser
			// goes on at the next width.
			ctx, cancel := context.WithCancel(context.Background())
			t.Cleanup(cancel) // a test that fails before reading the report ends the checker
			nu = make(chan []string, 1)
			go func() {
				start := time.Now()
				found := vnuFindings(ctx, java, htmlDir)
				nuTime = time.Since(start)
				nu <- found
			}()
		}
	}
	start := time.Now()
	findings = append(findings, <-nu...)
	t.Logf("checked %d pages at 2 widths in %s: axe %s of it; the Nu HTML checker %s beside the browser, of which %s after it",
		len(pages), time.Since(began).Round(100*time.Millisecond), axeTime.Round(100*time.Millisecond),
		nuTime.Round(100*time.Millisecond), time.Since(start).Round(100*time.Millisecond))
	if len(findings) > 0 {
		t.Errorf("%d accessibility or HTML findings:\n%s", len(findings), strings.Join(findings, "\n"))
	}
}

// show brings the page p into the tab, ready for axe, and returns the HTML the server sent
// for it. A page reached by a form is shown by submitting the form; every disclosure (a
// <details>, a menu button) is opened so that what it hides is checked too.
func (tb *tab) show(p sitePage) string {
	tb.t.Helper()
	var html string
	if p.Submit == "" {
		tb.openStatus(p.Path, p.Status)
		// Asked again from inside the page (with the tab's cookies for the staff pages): the
		// HTML as the server sent it, not the DOM the scripts changed.
		html = evalAwait[string](tb, `fetch(location.href, {credentials: "same-origin"}).then(r => r.text())`)
	} else {
		tb.openStatus(p.Path, http.StatusOK)
		if p.Status != http.StatusOK {
			tb.watch.expect(fmt.Sprintf("status of %d (%s)", p.Status, http.StatusText(p.Status)))
		}
		form := fmt.Sprintf(`(() => { %s; const b = document.querySelector(%s); return [b.form, b]; })()`, p.Prep, jsString(p.Submit))
		html = evalAwait[string](tb, fmt.Sprintf(`(() => { const [f, b] = %s;
			return fetch(f.getAttribute("action"), {method: "POST", credentials: "same-origin", body: new URLSearchParams(new FormData(f, b))}).then(r => r.text()); })()`, form))
		// requestSubmit, not a click: the page's own confirmation question is not asked.
		ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
		defer cancel()
		resp, err := chromedp.RunResponse(ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const [f, b] = %s; f.requestSubmit(b); })()`, form)))
		if err != nil {
			tb.t.Fatalf("%s: submit the form of %s: %v", p.Name, p.Path, err)
		}
		if int(resp.Status) != p.Status {
			tb.t.Errorf("%s: submitting the form of %s answered %d, want %d", p.Name, p.Path, resp.Status, p.Status)
		}
	}
	tb.settle()
	tb.do("open every disclosure", chromedp.Evaluate[chromedp.Void](`
		document.querySelectorAll("details:not([open])").forEach(d => { d.open = true; });
		document.querySelectorAll("button[aria-expanded=false][aria-controls]").forEach(b => b.click());`))
	return html
}

// a11yTools returns the axe-core script and the java command, failing with what to do when
// they are missing.
func a11yTools(t *testing.T) (axe, java string) {
	t.Helper()
	b, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatalf("axe-core is missing (%v): run `make e2e-deps`, which installs the pinned axe-core and vnu-jar with npm", err)
	}
	if _, err := os.Stat(vnuPath); err != nil {
		t.Fatalf("the Nu HTML checker is missing (%v): run `make e2e-deps`", err)
	}
	java, err = exec.LookPath("java")
	if err != nil {
		t.Fatal("java not found: run `make e2e-deps` (installs Debian's default-jre-headless)")
	}
	return string(b), java
}

// injectAxe makes every document the tab loads define axe before its own scripts run. The
// browser adds it outside the page's Content-Security-Policy.
func (tb *tab) injectAxe(src string) {
	tb.t.Helper()
	tb.do("install axe-core", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: src})
		return err
	}))
}

// openStatus loads path and requires the given status.
func (tb *tab) openStatus(path string, status int) {
	tb.t.Helper()
	if status != http.StatusOK {
		// The browser logs the error status of the page asked for.
		tb.watch.expect(fmt.Sprintf("status of %d (%s) %s", status, http.StatusText(status), tb.site.URL+path))
	}
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(tb.site.URL+path))
	if err != nil {
		tb.t.Fatalf("open %s: %v", path, err)
	}
	if int(resp.Status) != status {
		tb.t.Fatalf("open %s: status %d, want %d", path, resp.Status, status)
	}
	tb.checkPage()
}

// settle waits until the page's own scripts have done what they do at load: fonts, and the
// article form's live preview, which the script fills in after asking the server.
func (tb *tab) settle() {
	tb.t.Helper()
	tb.do("wait for the page to settle", chromedp.Poll[chromedp.Void](`document.readyState === "complete" &&
		(!document.getElementById("body_source") || !document.getElementById("body_source").value.trim() ||
		 !!document.querySelector("section.preview") ||
		 !!document.querySelector(".live-preview:not(.is-empty)"))`,
		chromedp.WithPollingInterval(50*time.Millisecond)))
}

// axeFinding is one element that breaks one axe rule.
type axeFinding struct {
	Rule   string `json:"rule"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Target string `json:"target"`
}

// axeFindings runs every axe rule over the page and returns one line per element that
// breaks one: rule, impact, element, page and width.
func (tb *tab) axeFindings(name string) []string {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	found, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeFinding](`axe.run(document, {resultTypes: ["violations"]}).then(r =>
		r.violations.flatMap(v => v.nodes.map(n => ({rule: v.id, impact: v.impact || "", help: v.help,
			target: n.target.map(String).join(" ")}))))`, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("run axe on %s (%s): %v", name, tb.path(), err)
	}
	var out []string
	for _, f := range found {
		out = append(out, fmt.Sprintf("axe %s (%s) at %d px on %s %s: %s — %s", f.Rule, f.Impact, tb.width, name, tb.path(), f.Target, f.Help))
	}
	return out
}

func evalAwait[T any](tb *tab, expr string) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// vnuMessage is one message of the Nu HTML checker's JSON output.
type vnuMessage struct {
	Type    string `json:"type"` // "error", "info" (with subType "warning"), "non-document-error"
	URL     string `json:"url"`
	Line    int    `json:"lastLine"`
	Column  int    `json:"lastColumn"`
	Message string `json:"message"`
	Extract string `json:"extract"`
}

// vnuFindings runs the Nu HTML checker once over every file in dir (one JVM start) and
// returns one line per error.
// It runs beside the browser, so it reports its own failure as a finding.
func vnuFindings(ctx context.Context, java, dir string) []string {
	files, err := filepath.Glob(filepath.Join(dir, "*.html"))
	if err != nil || len(files) == 0 {
		return []string{fmt.Sprintf("no pages saved for the Nu HTML checker in %s (%v)", dir, err)}
	}
	sort.Strings(files)
	// C1 alone: a short run ends sooner without the optimising compiler (3 s rather than 8 s
	// here), and C1's larger frames need a larger stack for the checker's schema.
	args := append([]string{"-Xss16m", "-XX:TieredStopAtLevel=1", "-jar", vnuPath, "--format", "json", "--exit-zero-always"}, files...)
	cmd := exec.CommandContext(ctx, java, args...)
	var report strings.Builder
	cmd.Stderr = &report // where the checker writes its report
	if err := cmd.Run(); err != nil {
		return []string{fmt.Sprintf("the Nu HTML checker did not run: %v\n%s", err, report.String())}
	}
	var res struct{ Messages []vnuMessage }
	if err := json.Unmarshal([]byte(report.String()), &res); err != nil {
		return []string{fmt.Sprintf("the Nu HTML checker's report is not JSON: %v\n%.2000s", err, report.String())}
	}
	var out []string
	for _, m := range res.Messages {
		if m.Type == "info" {
			continue // warnings and notes
		}
		page := strings.TrimSuffix(filepath.Base(m.URL), ".html")
		out = append(out, fmt.Sprintf("Nu %s on %s line %d:%d: %s  [%s]", m.Type, page, m.Line, m.Column, m.Message,
			strings.Join(strings.Fields(m.Extract), " ")))
	}
	return out
}
