//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Screenshot settings: pages are cut at a height that shows their first screens and most of
// the rest (a phone's pages are longer); the phone's at 1.5 device pixels a CSS pixel (its
// tab has 2), the desktop's at 1. JPEG keeps the photographs on the pages small.
const (
	shotMaxHeight      = 3000 // CSS pixels, desktop
	shotMaxHeightPhone = 4500 // CSS pixels, phone
	shotPhoneScale     = 0.75 // of the phone tab's 2 device pixels a CSS pixel
	shotQuality        = 72
)

// articleHref finds the address of an article on a page: the links of article pages.
var articleHref = regexp.MustCompile(`href="(/[a-z0-9-]+/[a-z0-9-]+/\d+/[a-z0-9-]+)"`)

// TestScreenshots writes screenshots of the main reader pages at a phone's and a desktop's
// width into the directory $CAMPUSNEWS_SCREENSHOTS ("make screenshots" writes
// docs/screenshots). Without the variable it is skipped: the pictures are for people, and the
// other tests check the pages. The site is the demo site as "make run" shows it. Pages that
// do not exist on this version of the site (the events calendar) are skipped with a note.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("CAMPUSNEWS_SCREENSHOTS")
	if dir == "" {
		t.Skip("set CAMPUSNEWS_SCREENSHOTS to a directory to take screenshots (make screenshots)")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s := startSiteWith(t, 0)
	shots := []struct{ name, path string }{
		{"home", "/"},
		{"listing", "/news-events/news"},
		{"article-reference", linkTo(t, s, "/news-events/news", referenceTitle)},
		{"article-photo", linkTo(t, s, "/news-events/news", "Northbridge Opens New Centre for Coastal Engineering")},
	}
	if status, body := s.get(t, "/events"); status == 200 {
		shots = append(shots, struct{ name, path string }{"events", "/events"})
		if m := articleHref.FindStringSubmatch(body); m != nil {
			shots = append(shots, struct{ name, path string }{"event", m[1]})
		} else {
			t.Log("/events lists no event: no screenshot of an event page")
		}
	} else {
		t.Logf("/events answers %d: no screenshots of the events calendar or an event page", status)
	}
	browser := newBrowser(t)
	for _, width := range []int64{phoneWidth, desktopWidth} {
		tb := newTab(t, browser, s, width)
		for _, sh := range shots {
			tb.open(sh.path)
			file := filepath.Join(dir, fmt.Sprintf("%s-%d.jpg", sh.name, width))
			tb.screenshot(file)
			t.Logf("%s: %s", file, sh.path)
		}
	}
}

// linkTo returns the address the page at path links to under the text title.
func linkTo(t *testing.T, s *site, path, title string) string {
	t.Helper()
	_, body := s.get(t, path)
	re := regexp.MustCompile(`href="([^"]+)">` + regexp.QuoteMeta(title) + `</a>`)
	if m := re.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	t.Fatalf("%s has no link to %q", path, title)
	return ""
}

// screenshot saves the page as a JPEG: all of it on a phone, the first shotMaxHeight pixels
// on a desktop. Lazy photos are loaded first, as a reader scrolling down would see them.
func (tb *tab) screenshot(file string) {
	tb.t.Helper()
	tb.do("load every photo", chromedp.Evaluate[chromedp.Void](`(async () => {
		document.querySelectorAll('img[loading="lazy"]').forEach(i => { i.loading = "eager"; });
		await Promise.all([...document.images].map(i => i.decode().catch(() => {})));
		await document.fonts.ready;
	})()`, chromedp.EvalAwaitPromise))
	height, scale := min(evalIn[float64](tb, `document.documentElement.scrollHeight`), shotMaxHeight), 1.0
	if tb.phone() {
		height, scale = min(evalIn[float64](tb, `document.documentElement.scrollHeight`), shotMaxHeightPhone), shotPhoneScale
	}
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	q := int64(shotQuality)
	img, err := chromedp.Run(ctx, chromedp.Action[[]byte](func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		r, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format: page.CaptureScreenshotFormatJpeg, Quality: &q,
			Clip:                  &page.Viewport{Width: float64(tb.width), Height: height, Scale: scale},
			CaptureBeyondViewport: ptrTo(true), FromSurface: ptrTo(true),
		})
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	}))
	if err != nil {
		tb.t.Fatalf("screenshot %s: %v", file, err)
	}
	if err := os.WriteFile(file, img, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

func ptrTo[T any](v T) *T { return &v }
