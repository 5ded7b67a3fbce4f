//go:build e2e

package e2e

import (
	"fmt"
	"math"
	"testing"

	"github.com/chromedp/chromedp"
)

// eagerPhotos is how many photos at the top of a listing load at once (web's eagerCards).
const eagerPhotos = 3

// shownPhoto is a story's photo as the browser shows it.
type shownPhoto struct {
	SrcSet, Sizes, Alt, Loading, CurrentSrc string
	HasWidth, HasHeight, HasAlt             bool
	Width, Height                           float64 // as laid out, CSS pixels
	Top                                     float64 // from the top of the page
	Natural                                 int     // natural width of the file the browser chose
}

// photosOf scrolls through the page, so lazy photos load as they would for a reader, and
// returns every story photo on it.
func photosOf(tb *tab) []shownPhoto {
	tb.t.Helper()
	tb.do("scroll through the page", chromedp.Evaluate[chromedp.Void](`(async () => {
		for (let y = 0; y < document.documentElement.scrollHeight; y += window.innerHeight / 2) {
			window.scrollTo(0, y);
			await new Promise(r => requestAnimationFrame(() => setTimeout(r, 30)));
		}
		await Promise.all([...document.querySelectorAll("img.photo")].map(i => i.decode().catch(() => {})));
		window.scrollTo(0, 0);
	})()`, chromedp.EvalAwaitPromise))
	return evalIn[[]shownPhoto](tb, `[...document.querySelectorAll("main img.photo")].map(i => {
		const r = i.getBoundingClientRect();
		return {SrcSet: i.getAttribute("srcset") || "", Sizes: i.getAttribute("sizes") || "", Alt: i.alt,
			Loading: i.getAttribute("loading") || "", CurrentSrc: i.currentSrc,
			HasWidth: i.hasAttribute("width"), HasHeight: i.hasAttribute("height"), HasAlt: i.hasAttribute("alt"),
			Width: r.width, Height: r.height, Top: r.top + window.scrollY, Natural: i.naturalWidth};
	})`)
}

// TestStoryPhotos checks at a phone's and a desktop's width that the home page and the
// listings show the stories' photos: responsive (srcset, sizes), described, sized before they
// load, actually loaded, the lead's large on the first screen, the rest of the listings'
// lazy after the first few.
func TestStoryPhotos(t *testing.T) {
	s := startSite(t)
	browser := newBrowser(t)
	for _, width := range []int64{phoneWidth, desktopWidth} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			tb := newTab(t, browser, s, width)
			for _, path := range []string{"/", "/news-events", "/news-events/news", "/tags/research", "/archive/2025",
				"/search?q=coastal"} {
				tb.open(path)
				photos := photosOf(tb)
				if len(photos) < 3 {
					t.Errorf("%s at %d px: %d story photos, want the covers of the stories that have one", path, width, len(photos))
					continue
				}
				for i, p := range photos {
					where := fmt.Sprintf("%s at %d px, photo %d (%s)", path, width, i+1, p.CurrentSrc)
					if p.SrcSet == "" || p.Sizes == "" || !p.HasWidth || !p.HasHeight || !p.HasAlt || p.Alt == "" {
						t.Errorf("%s: srcset %q, sizes %q, width/height attributes %v/%v, alt %q", where,
							p.SrcSet, p.Sizes, p.HasWidth, p.HasHeight, p.Alt)
					}
					if p.Natural == 0 {
						t.Errorf("%s: not loaded", where)
					}
					// Cropped to 3:2 boxes whose size does not wait for the file.
					if p.Width < 60 || math.Abs(p.Height-p.Width*2/3) > 2 {
						t.Errorf("%s: shown %.0f×%.0f, want a 3:2 box", where, p.Width, p.Height)
					}
					// The browser picks a copy sized for the box, not always the original.
					if p.Width < 300 && p.Natural > 960 {
						t.Errorf("%s: a %.0f px wide photo loads a %d px wide file", where, p.Width, p.Natural)
					}
				}
				if path == "/" {
					lead := photos[0]
					if lead.Top > float64(tb.viewportHeight())*0.5 || lead.Width < float64(width)*0.45 || lead.Loading != "eager" {
						t.Errorf("home at %d px: the lead photo is %.0f px wide at %.0f px from the top, loading %q; want it large on the first screen",
							width, lead.Width, lead.Top, lead.Loading)
					}
				} else if photos[0].Loading != "eager" || (len(photos) > eagerPhotos && photos[len(photos)-1].Loading != "lazy") {
					t.Errorf("%s at %d px: the first photo loads %q, the last %q; want the first screen's eager, the rest lazy",
						path, width, photos[0].Loading, photos[len(photos)-1].Loading)
				}
			}
		})
	}
}

// TestHomeShowsEachStoryOnce reads every link to a story on the home page, in the browser, at
// both widths: none may be there twice.
func TestHomeShowsEachStoryOnce(t *testing.T) {
	s := startSite(t)
	browser := newBrowser(t)
	for _, width := range []int64{phoneWidth, desktopWidth} {
		tb := newTab(t, browser, s, width)
		tb.open("/")
		links := evalIn[[]string](tb, `[...document.querySelectorAll("main a[href]")].map(a => a.pathname)
			.filter(p => /^\/[a-z0-9-]+\/[a-z0-9-]+\/\d+\/[a-z0-9-]+$/.test(p))`)
		if len(links) < 15 {
			t.Errorf("home at %d px links %d stories, want a full front page", width, len(links))
		}
		seen := map[string]bool{}
		for _, l := range links {
			if seen[l] {
				t.Errorf("home at %d px links %s more than once", width, l)
			}
			seen[l] = true
		}
		// The notices are near the top on a phone: right after the lead story.
		if top := evalIn[float64](tb, `document.querySelector(".notices").getBoundingClientRect().top + window.scrollY`); width == phoneWidth && top > 2*phoneHeight {
			t.Errorf("the notices begin %.0f px down the phone's page, want them within its first two screens", top)
		}
	}
}

// viewportHeight is the height of the tab's window in CSS pixels.
func (tb *tab) viewportHeight() int {
	tb.t.Helper()
	return evalIn[int](tb, `window.innerHeight`)
}
