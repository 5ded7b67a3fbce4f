//go:build e2e

package e2e

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// staffPassword is the password the tests give the accounts they create.
const staffPassword = "correct horse battery staple"

// draft is what a test types into the article form.
type draft struct {
	Title, Summary, Body string
	Section, Category    string // the category select: group label and option label
}

// login signs in at /login and returns the path the site sends the user to.
func login(t *testing.T, tb *tab, email, password string) string {
	t.Helper()
	tb.open("/login")
	tb.do("fill in the login form",
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password))
	got := follow(tb, "the Log in button", chromedp.CSS(`form[action="/login"] button[type=submit]`))
	if strings.HasPrefix(got, "/login") {
		t.Fatalf("login as %s failed: still at %s: %s", email, got, tb.text("main"))
	}
	return got
}

// fillArticle types d into the article form that is open in tb.
func fillArticle(t *testing.T, tb *tab, d draft) {
	t.Helper()
	tb.do("fill in the article form",
		chromedp.SendKeys(chromedp.ID("title"), d.Title),
		chromedp.SetValue(chromedp.ID("summary"), d.Summary),
		chromedp.SetValue(chromedp.ID("body_source"), d.Body))
	chooseOption(t, tb, "category_id", d.Section, d.Category)
}

// chooseOption selects the option of the select element with the given id whose label is
// label (inside the optgroup labelled group, when group is not empty) and returns its value.
func chooseOption(t *testing.T, tb *tab, id, group, label string) string {
	t.Helper()
	return choose(t, tb, id, group, label, "===")
}

// chooseOptionPrefix is chooseOption for the first option whose label starts with prefix.
func chooseOptionPrefix(t *testing.T, tb *tab, id, prefix string) string {
	t.Helper()
	return choose(t, tb, id, "", prefix, "startsWith")
}

func choose(t *testing.T, tb *tab, id, group, label, match string) string {
	t.Helper()
	test := "o.textContent.trim() === label"
	if match == "startsWith" {
		test = "o.textContent.trim().startsWith(label)"
	}
	v := evalIn[string](tb, fmt.Sprintf(`(() => {
		const sel = document.getElementById(%s), group = %s, label = %s;
		const opt = [...sel.querySelectorAll("option")].find(o =>
			%s && (group === "" || (o.parentElement.label || "") === group));
		if (!opt) return "";
		sel.value = opt.value;
		sel.dispatchEvent(new Event("change", {bubbles: true}));
		return opt.value;
	})()`, jsString(id), jsString(group), jsString(label), test))
	if v == "" {
		t.Fatalf("the select #%s has no option %q in group %q; options: %q", id, label, group,
			tb.texts("#"+id+" option"))
	}
	return v
}

// saveArticle presses the form button with the given action (save, submit, confirm-publish, preview)
// and returns the path of the page it leads to.
func saveArticle(t *testing.T, tb *tab, action string) string {
	t.Helper()
	return follow(tb, "the "+action+" button", chromedp.CSS(`#article-form button[name=action][value=`+action+`]`))
}

// articleID reads the article id from an editor address such as /editor/articles/12.
func articleID(t *testing.T, path string) int64 {
	t.Helper()
	m := regexp.MustCompile(`^/editor/articles/(\d+)`).FindStringSubmatch(path)
	if m == nil {
		t.Fatalf("expected the article form at /editor/articles/ID, got %s", path)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// wantFlash fails the test unless a flash message on the page contains want.
func wantFlash(t *testing.T, tb *tab, want string) {
	t.Helper()
	flashes := tb.texts(".flash")
	for _, f := range flashes {
		if strings.Contains(f, want) {
			return
		}
	}
	t.Errorf("at %s: no message %q; messages: %q", tb.path(), want, flashes)
}

// wantStatus fails the test unless the article form shows the status label.
func wantStatus(t *testing.T, tb *tab, want string) {
	t.Helper()
	if got := tb.texts(".page-head .status"); len(got) != 1 || got[0] != want {
		t.Errorf("the article's status is %q, want %q", got, want)
	}
}

// writeImage makes a PNG photo stand-in in a temporary directory and returns its path.
func writeImage(t *testing.T) string {
	t.Helper()
	const w, h = 1200, 800
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{R: uint8(20 + 200*x/w), G: uint8(60 + 120*y/h), B: 160, A: 255}
			if (x-600)*(x-600)+(y-400)*(y-400) < 200*200 {
				c = color.RGBA{R: 240, G: 200, B: 40, A: 255}
			}
			img.Set(x, y, c)
		}
	}
	path := filepath.Join(t.TempDir(), "quokka.png")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// imagesLoaded fails the test unless every image matching css has loaded with a size.
func imagesLoaded(t *testing.T, tb *tab, css string) {
	t.Helper()
	// Lazy images below the fold would wait for a scroll that never comes.
	tb.do("wait for the images", chromedp.Poll[chromedp.Void](fmt.Sprintf(
		`[...document.querySelectorAll(%s)].every(i => { i.loading = "eager"; return i.complete; })`, jsString(css)),
		chromedp.WithPollingInterval(100*time.Millisecond)))
	broken := evalIn[[]string](tb, fmt.Sprintf(
		`[...document.querySelectorAll(%s)].filter(i => !i.naturalWidth).map(i => i.currentSrc || i.src)`, jsString(css)))
	if n := tb.count(css); n == 0 {
		t.Errorf("at %s: no image %s", tb.path(), css)
	}
	if len(broken) > 0 {
		t.Errorf("at %s: images that did not load: %q", tb.path(), broken)
	}
}
