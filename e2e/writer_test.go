//go:build e2e

package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestWriter follows a writer: log in, save a draft, upload an image to the media library,
// choose it as the cover, preview, and submit the article for review.
func TestWriter(t *testing.T) {
	s := startSite(t)
	const email = "wendy.writer@example.edu"
	s.addUser(t, email, "Wendy Writer", "writer", staffPassword)
	tb := newTab(t, newBrowser(t), s, desktopWidth)

	tb.open("/login")
	tb.shot("login")
	if got := login(t, tb, email, staffPassword); got != "/editor" {
		t.Errorf("after logging in the writer is at %s, want /editor", got)
	}
	if name := tb.text(".staff-user a"); name != "Wendy Writer" {
		t.Errorf("the staff header names %q, want Wendy Writer", name)
	}

	// A draft.
	d := draft{
		Title:    "Campus Quokkafest Draws a Record Crowd",
		Summary:  "Students counted the campus quokkas for the first Quokkafest.",
		Body:     "The first **Quokkafest** brought 300 students to the lawn.\n\nThey counted 42 quokkas before lunch.",
		Section:  "News & Events",
		Category: "News",
	}
	tb.open("/editor/articles/new")
	fillArticle(t, tb, d)
	id := articleID(t, saveArticle(t, tb, "save"))
	wantFlash(t, tb, "Saved.")
	wantStatus(t, tb, "Draft")
	if got := evalIn[string](tb, `document.getElementById("title").value`); got != d.Title {
		t.Errorf("the saved draft's title is %q, want %q", got, d.Title)
	}

	// An image in the media library.
	const alt = "A yellow quokka-shaped sun over the campus lawn"
	tb.open("/editor/media")
	tb.do("choose the image and describe it",
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{writeImage(t)}),
		chromedp.SendKeys(chromedp.ID("alt"), alt))
	if got := follow(tb, "the Upload button", chromedp.CSS(`form[enctype="multipart/form-data"] button[type=submit]`)); !strings.HasPrefix(got, "/editor/media/") {
		t.Fatalf("the upload led to %s, want /editor/media/ID: %s", got, tb.text("main"))
	}
	wantFlash(t, tb, "Uploaded.")
	tb.open("/editor/media")
	if items := tb.texts(".media-grid figcaption a"); !slices.Contains(items, alt) {
		t.Errorf("the media library lists %q, want the uploaded image among them", items)
	}
	imagesLoaded(t, tb, ".media-grid img")
	tb.shot("media")

	// The image as cover, a preview, and off to review.
	tb.open(fmt.Sprintf("/editor/articles/%d", id))
	cover := chooseOptionPrefix(t, tb, "cover_media_id", alt)
	if got := saveArticle(t, tb, "preview"); got != fmt.Sprintf("/editor/articles/%d", id) {
		t.Errorf("the preview is at %s, want the article's form", got)
	}
	if p := tb.text("section.preview"); !strings.Contains(p, d.Title) || !strings.Contains(p, d.Summary) {
		t.Errorf("the preview shows %q, want the title and the summary", p)
	}
	if got := tb.texts("section.preview .article-body p"); len(got) != 2 || !strings.Contains(got[1], "42 quokkas") {
		t.Errorf("the preview's paragraphs are %q, want the two of the text", got)
	}
	if got := tb.count("section.preview .article-body strong"); got != 1 {
		t.Errorf("the preview has %d bold words, want the one marked with **", got)
	}
	if got := evalIn[string](tb, `document.getElementById("cover_media_id").value`); got != cover {
		t.Errorf("after the preview the cover select holds %q, want %q", got, cover)
	}
	tb.shot("editor-preview")

	saveArticle(t, tb, "submit")
	wantFlash(t, tb, "Submitted for review")
	wantStatus(t, tb, "In review")
	imagesLoaded(t, tb, "img.cover-thumb")
	tb.open("/editor")
	if got := tb.texts(`section[aria-labelledby="review-h"] tbody th a`); len(got) != 1 || got[0] != d.Title {
		t.Errorf("the writer's dashboard lists %q waiting for review, want the article", got)
	}
	tb.shot("dashboard")
}
