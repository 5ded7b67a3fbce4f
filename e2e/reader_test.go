//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The reference article of the demo site, which must be shown exactly as written.
const (
	referenceTitle = "Wang Hansong,secretary of the Party Committee of DUT Visited Alumni and Aid Cadres in Xinjiang."
	referenceFile  = "../internal/demo/content/dut-xinjiang-alumni-visit.md"
	// maxPages bounds the walk through a listing's pages.
	maxPages = 30
)

// TestReader walks a reader's way through the site on a phone and on a desktop: the home page,
// a section from the navigation, a category, the reference article, its neighbour, the header
// search and a topic.
func TestReader(t *testing.T) {
	s := startSite(t)
	browser := newBrowser(t)
	paragraphs := referenceParagraphs(t)
	for _, width := range []int64{phoneWidth, desktopWidth} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			readerJourney(t, newTab(t, browser, s, width), paragraphs)
		})
	}
}

func readerJourney(t *testing.T, tb *tab, paragraphs []string) {
	tb.open("/")
	tb.shot("home")
	tb.noSideScroll("home")

	// The navigation: on the phone it is folded into the "Menu" disclosure.
	navLinks := ".nav-wide .nav-section > a"
	if tb.phone() {
		tb.do("open the menu", press(tb, chromedp.CSS("details.nav-toggle > summary")),
			chromedp.WaitVisible(chromedp.CSS("details.nav-toggle[open] .nav-sections")))
		navLinks = "details.nav-toggle .nav-section > a"
	}
	if got := follow(tb, "the News & Events link", byText(navLinks, "News & Events")); got != "/news-events" {
		t.Fatalf("the News & Events link led to %s, want /news-events", got)
	}
	if h := tb.text("main h1"); h != "News & Events" {
		t.Errorf("section page heading = %q, want News & Events", h)
	}
	tb.shot("section")
	tb.noSideScroll("section page")

	if got := follow(tb, "the News link", byText(".subnav a", "News")); got != "/news-events/news" {
		t.Fatalf("the News link led to %s, want /news-events/news", got)
	}
	if h := tb.text("main h1"); h != "News" {
		t.Errorf("category page heading = %q, want News", h)
	}
	tb.shot("listing")
	tb.noSideScroll("category listing")

	findInListing(t, tb, referenceTitle)
	follow(tb, "the reference article", byText(".list .card-title a", referenceTitle))
	checkReferenceArticle(t, tb, paragraphs)
	tb.shot("article")
	tb.noSideScroll("article")

	// A neighbour in the same category.
	neighbours := tb.texts(".prev-next a > span")
	if len(neighbours) == 0 {
		t.Fatal("the reference article has neither a Previous nor a Next link")
	}
	href := evalIn[string](tb, `document.querySelector(".prev-next a").getAttribute("href")`)
	if got := follow(tb, "the "+neighbours[0]+" link", chromedp.CSS(".prev-next a")); got != href {
		t.Errorf("the neighbour link led to %s, want %s", got, href)
	}
	if h := tb.text("main h1"); h == referenceTitle || h == "" {
		t.Errorf("the neighbour page shows %q, want another article", h)
	}
	if crumbs := tb.texts(".breadcrumb li"); len(crumbs) != 4 || crumbs[1] != "News & Events" || crumbs[2] != "News" {
		t.Errorf("the neighbour's breadcrumb = %q, want Home › News & Events › News › its title", crumbs)
	}

	// The search box in the header.
	tb.do("type a search", chromedp.SendKeys(chromedp.ID("header-q"), "Xinjiang alumni"))
	if got := follow(tb, "the header search", chromedp.CSS(".header-search button")); !strings.HasPrefix(got, "/search?q=Xinjiang") {
		t.Fatalf("the header search led to %s, want /search?q=Xinjiang+alumni", got)
	}
	result := fmt.Sprintf(`[...document.querySelectorAll(".results .result")].find(r =>
		r.querySelector(".card-title a").textContent.trim() === %s)`, jsString(referenceTitle))
	if !evalIn[bool](tb, "!!"+result) {
		t.Fatalf("the search for Xinjiang alumni does not list the reference article; results: %q",
			tb.texts(".results .card-title"))
	}
	if marks := evalIn[[]string](tb, "[..."+result+`.querySelectorAll("mark")].map(m => m.textContent)`); len(marks) == 0 {
		t.Error("the search result of the reference article highlights no word with <mark>")
	} else if !containsFold(marks, "xinjiang") {
		t.Errorf("the search result highlights %q, want Xinjiang among them", marks)
	}
	tb.shot("search")
	tb.noSideScroll("search results")

	// A topic of the article.
	follow(tb, "the search result", byText(".results .card-title a", referenceTitle))
	tags := tb.texts(".article-tags a[rel=tag]")
	if len(tags) == 0 {
		t.Fatal("the reference article has no topics")
	}
	if got := follow(tb, "the topic "+tags[0], chromedp.CSS(".article-tags a[rel=tag]")); !strings.HasPrefix(got, "/tags/") {
		t.Fatalf("the topic link led to %s, want /tags/…", got)
	}
	if h := tb.text("main h1"); !strings.Contains(h, tags[0]) {
		t.Errorf("topic page heading = %q, want it to name %s", h, tags[0])
	}
	findInListing(t, tb, referenceTitle)
	tb.shot("tag")
	tb.noSideScroll("topic page")
}

// findInListing follows the listing's "Older" links until a card titled title is on the
// page, and fails the test when none has it.
func findInListing(t *testing.T, tb *tab, title string) {
	t.Helper()
	card := byText(".list .card-title a", title)
	for range maxPages {
		if evalIn[bool](tb, "!!"+string(card)) {
			return
		}
		if tb.count(".pager a[rel=next]") == 0 {
			break
		}
		follow(tb, "the Older page link", chromedp.CSS(".pager a[rel=next]"))
	}
	t.Fatalf("no page of the listing %s has %q", tb.path(), title)
}

// checkReferenceArticle checks the breadcrumb, the heading and every paragraph of the text.
func checkReferenceArticle(t *testing.T, tb *tab, paragraphs []string) {
	t.Helper()
	want := []string{"Home", "News & Events", "News", referenceTitle}
	if got := tb.texts(".breadcrumb li"); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("breadcrumb = %q, want %q", got, want)
	}
	if h := tb.text("h1#article-title"); h != referenceTitle {
		t.Errorf("article heading = %q, want %q", h, referenceTitle)
	}
	got := tb.texts(".article-body > p")
	if len(got) != len(paragraphs) {
		t.Errorf("the article shows %d paragraphs, the reference text has %d", len(got), len(paragraphs))
	}
	for i, p := range paragraphs {
		if i >= len(got) || got[i] != p {
			t.Errorf("paragraph %d is missing or changed; want %.80q…", i+1, p)
		}
	}
}

// referenceParagraphs reads the reference article's text from the demo content: the
// paragraphs after the front matter, whitespace folded as the page shows it.
func referenceParagraphs(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile(referenceFile)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(raw), "\r\n", "\n")
	if parts := strings.SplitN(text, "\n---\n", 2); strings.HasPrefix(text, "---\n") && len(parts) == 2 {
		text = parts[1]
	}
	space := regexp.MustCompile(`\s+`)
	var out []string
	for _, p := range strings.Split(text, "\n\n") {
		if p = space.ReplaceAllString(strings.TrimSpace(p), " "); p != "" {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		t.Fatalf("%s has no paragraphs", referenceFile)
	}
	return out
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
