package wordpress

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"campusnews/internal/markup"
)

// site is the export read once for the tests of this file.
type site struct {
	header *Header
	byID   map[int64]*Item
	items  []*Item
}

func loadSite(t testing.TB) *site {
	t.Helper()
	h, byID, items := readAll(t, readExportFile(t))
	return &site{h, byID, items}
}

// options are those the loader would pass: the old address, attachments and reusable blocks
// looked up in the export.
func (s *site) options() Options {
	return Options{
		SiteURL: s.header.Link,
		Attachment: func(id int64) (Image, bool) {
			a := s.byID[id]
			if a == nil || a.Type != TypeAttachment {
				return Image{}, false
			}
			return Image{URL: a.AttachmentURL, Alt: a.ImageAlt(), Caption: Text(a.Excerpt), AttachmentID: id}, true
		},
		ReusableBlock: func(id int64) (string, bool) {
			b := s.byID[id]
			if b == nil || b.Type != "wp_block" {
				return "", false
			}
			return b.Content, true
		},
	}
}

// media maps an image to where the media library would serve it.
func media(img Image) string {
	return "/media/" + path.Base(img.URL)
}

// render is what readers would see: the body with its images moved, through campusnews's
// Markdown renderer and sanitizer.
func render(b *Body) string {
	return markup.Render(b.MarkdownWith(media))
}

// visibleText is the text a reader sees in an HTML fragment, white space collapsed.
func visibleText(fragment string) string {
	nodes, _ := nethtml.ParseFragment(strings.NewReader(fragment), &nethtml.Node{Type: nethtml.ElementNode, Data: "div", DataAtom: atom.Div})
	var b strings.Builder
	var walk func(n *nethtml.Node)
	walk = func(n *nethtml.Node) {
		switch {
		case n.Type == nethtml.TextNode:
			b.WriteString(n.Data)
		case n.Type == nethtml.ElementNode && (n.Data == "script" || n.Data == "style" || n.Data == "template"):
			return
		case n.Type == nethtml.ElementNode && !inlineTags[n.Data] && n.Data != "img":
			b.WriteByte(' ')
			defer b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(b.String(), "\u00a0", " ")), " ")
}

// TestCleanRendersLikeWordPress compares, for every post and page, the text a reader saw on the
// WordPress site (testdata/rendered.json: the_content as WordPress rendered it, curly quotes
// off) with the text of the cleaned body as campusnews renders it.
func TestCleanRendersLikeWordPress(t *testing.T) {
	s := loadSite(t)
	data, err := os.ReadFile("testdata/rendered.json")
	if err != nil {
		t.Fatal(err)
	}
	var rendered map[string]string
	if err := json.Unmarshal(data, &rendered); err != nil {
		t.Fatal(err)
	}
	// Where the text differs on purpose.
	differs := map[int64]string{
		18: "the YouTube frame is a link to it",
		32: "the map frame is a link to it",
		34: "the latest posts are a list WordPress makes when the page is shown",
	}
	n := 0
	for _, it := range s.items {
		if it.Type != TypePost && it.Type != TypePage || it.Status == StatusTrash {
			continue
		}
		wp, ok := rendered[strconv.FormatInt(it.ID, 10)]
		if !ok {
			t.Errorf("no rendering of item %d", it.ID)
			continue
		}
		n++
		got := visibleText(render(Clean(it.Content, s.options())))
		want := visibleText(wp)
		if reason, ok := differs[it.ID]; ok {
			if got == want {
				t.Errorf("item %d renders the same, though %s", it.ID, reason)
			}
			continue
		}
		if got != want {
			t.Errorf("item %d %q:\n got %q\nwant %q", it.ID, it.Title, got, want)
		}
	}
	if n != 39 {
		t.Errorf("%d posts and pages compared", n)
	}
}

// TestCleanPassesSanitizer checks every cleaned body: nothing of the body is left for the
// sanitizer to remove (what it removes would have been shown as WordPress markup), block
// comments and converted shortcodes are gone, and every image survives with its new address.
func TestCleanPassesSanitizer(t *testing.T) {
	s := loadSite(t)
	for _, it := range s.items {
		if it.Type != TypePost && it.Type != TypePage {
			continue
		}
		b := Clean(it.Content, s.options())
		md := b.MarkdownWith(media)
		for _, bad := range []string{"<!--", "wp:", "[caption", "[/caption]", "[embed", "wp-image-", "class="} {
			if strings.Contains(md, bad) {
				t.Errorf("item %d: %q left in\n%s", it.ID, bad, md)
			}
		}
		out := markup.Render(md)
		imgs := strings.Count(out, `<img src="/media/`)
		if imgs != len(b.slots) {
			t.Errorf("item %d: %d images rendered, %d in the body:\n%s", it.ID, imgs, len(b.slots), out)
		}
	}
}

func cleanItem(t *testing.T, s *site, id int64) (*Body, string) {
	t.Helper()
	b := Clean(s.byID[id].Content, s.options())
	return b, render(b)
}

func mustContain(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%s lacks %q:\n%s", what, sub, s)
		}
	}
}

func mustNotContain(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			t.Errorf("%s has %q:\n%s", what, sub, s)
		}
	}
}

// TestCleanClassicParagraphs: classic-editor posts have no <p>; wpautop makes paragraphs of
// blank lines and breaks of single newlines, and leaves <pre> alone.
func TestCleanClassicParagraphs(t *testing.T) {
	s := loadSite(t)
	b, out := cleanItem(t, s, 45)
	if md := b.Markdown(); md != "First line of the notes.  \nSecond line.\n\nNext paragraph." {
		t.Errorf("draft 45 Markdown: %q", md)
	}
	if out != "<p>First line of the notes.<br/>\nSecond line.</p>\n<p>Next paragraph.</p>\n" {
		t.Errorf("draft 45 rendered: %q", out)
	}
	_, out = cleanItem(t, s, 11)
	mustContain(t, "post 11", out, "<h3>New hours</h3>",
		"<pre><code>Mon–Fri   08:00 – 24:00\n\nSat       10:00 – 20:00\nSun       closed\n</code></pre>",
		"fine = 0.50 &lt;&lt; weeks;", "<blockquote>\n<p>We listened to the students&#39; council. – The head librarian</p>\n</blockquote>",
		`<a href="/2019/02/physics-laser-lab/">web site</a>`)
	_, out = cleanItem(t, s, 10)
	mustContain(t, "post 10", out, "<p>Student Service Centre<br/>\nMain Building, room 0.12<br/>\nOpen 8:00–18:00</p>",
		"<li>a photo ID\n<ul>\n<li>passport, or</li>", `<a href="mailto:welcome@example.edu">`)
	mustNotContain(t, "post 10", out, "&nbsp;", "\u00a0", "<p></p>")
}

// TestCleanCaptions: [caption] becomes a figure with its caption; the link to the full-size
// file around the image goes, the image is listed with its attachment ID.
func TestCleanCaptions(t *testing.T) {
	s := loadSite(t)
	b, out := cleanItem(t, s, 4)
	mustContain(t, "post 4", out,
		`<figure><img src="/media/laser-lab-300x200.jpg" alt="A green laser beam crossing an optical table"/><figcaption>The new laser lab in the physics building</figcaption></figure>`,
		"<p>&#34;We can now run experiments that needed a trip abroad before,&#34; says Prof. Anna Weber.<br/>")
	want := []Image{{URL: "https://news.example.edu/wp-content/uploads/2019/02/laser-lab-300x200.jpg",
		Alt: "A green laser beam crossing an optical table", Caption: "The new laser lab in the physics building", AttachmentID: 5}}
	if fmt.Sprint(b.Images) != fmt.Sprint(want) {
		t.Errorf("images %+v", b.Images)
	}

	// A caption with markup, followed by text; a second, uncaptioned copy of the image inline.
	b, out = cleanItem(t, s, 15)
	mustContain(t, "post 15", out,
		`<figcaption>The laureate in the <em>main auditorium</em></figcaption></figure>`,
		`<p>The auditorium was full an hour before the lecture began.</p>`,
		`<p><img src="/media/nobel-lecture-150x150.jpg" alt="The laureate at the lectern"/>The lecture covered`)
	if len(b.Images) != 2 || b.Images[0].AttachmentID != 16 || b.Images[1].AttachmentID != 16 {
		t.Errorf("images %+v", b.Images)
	}

	// The old caption="…" attribute, a GIF, and an image from another site.
	b, out = cleanItem(t, s, 20)
	mustContain(t, "post 20", out, `<figcaption>Class of 1991 on the terrace</figcaption>`,
		`<img src="/media/group.jpg" alt="Group photo"/>`)
	if len(b.Images) != 2 || b.Images[1].URL != "https://photos.example.org/reunion/2021/group.jpg" || b.Images[1].AttachmentID != 0 {
		t.Errorf("images %+v", b.Images)
	}
}

// TestCleanBlocks: block comments go, headings, lists, quotes, tables, code and image blocks
// stay as Markdown renders them.
func TestCleanBlocks(t *testing.T) {
	s := loadSite(t)
	b, out := cleanItem(t, s, 22)
	mustNotContain(t, "post 22 Markdown", b.Markdown(), "<!--", "wp:")
	mustContain(t, "post 22", out, "<h2>What is new</h2>", "<li>Forty <strong>seminar rooms</strong></li>",
		`<figure><img src="/media/new-building.jpg" alt="The new teaching building"/><figcaption>The new teaching building on the <a href="/campus-map/">north campus</a></figcaption></figure>`)

	_, out = cleanItem(t, s, 25)
	mustContain(t, "post 25", out, `<ol start="3">`, "<th>Tonnes CO<sub>2</sub></th>", "<td>12,400</td>", "<hr/>",
		"<p>Emissions per year</p>")
	_, out = cleanItem(t, s, 24)
	mustContain(t, "post 24", out, "<blockquote>\n<p>A qubit is like a coin that is still spinning.</p>", "10<sup>3</sup> students",
		`<a href="https://physics.example.edu/courses/qm1" rel="nofollow noopener">course page</a>`)
	_, out = cleanItem(t, s, 37)
	mustContain(t, "post 37", out, "<pre><code>ssh student@portal.example.edu\npasswd   # choose your own password\n</code></pre>",
		"<mark>Don’t miss</mark> the welcome party")
	_, out = cleanItem(t, s, 44)
	mustContain(t, "post 44", out, "<li>Monday: repair café\n<ul>\n<li>bikes</li>")
	// A linked block image (to its attachment page) and a gallery block.
	b, out = cleanItem(t, s, 40)
	mustContain(t, "post 40", out, `<p><img src="/media/olympiad-150x150.jpg" alt="The winners with their medals"/></p>`)
	mustNotContain(t, "post 40", out, "<a ")
	b, out = cleanItem(t, s, 28)
	if len(b.Images) != 3 || b.Images[1].Caption != "Lectures moved outside" || b.Images[2].AttachmentID != 31 {
		t.Errorf("gallery block images %+v", b.Images)
	}
	mustContain(t, "post 28", out, "<figcaption>Lectures moved <em>outside</em></figcaption>", "<p>Summer school 2022</p>")
}

// TestCleanShortcodes: shortcodes of plugins are counted for the import report and left as
// text (or dropped with their tags), an escaped [[gallery]] is literal text.
func TestCleanShortcodes(t *testing.T) {
	s := loadSite(t)
	b, out := cleanItem(t, s, 17)
	if fmt.Sprint(b.Shortcodes) != "map[contact-form-7:1 event_calendar:1 su_button:2]" {
		t.Errorf("shortcodes %v", b.Shortcodes)
	}
	mustContain(t, "post 17", out, `<p>[contact-form-7 id=&#34;12&#34; title=&#34;Registration&#34;]</p>`,
		"(Editors: use [gallery] to show pictures, and [su_button] for buttons.)")

	opts := s.options()
	opts.DropUnknownShortcodes = true
	out = render(Clean(s.byID[17].Content, opts))
	mustContain(t, "post 17 without unknown shortcodes", out, "<p>Register now</p>", "use [gallery] to show")
	mustNotContain(t, "post 17 without unknown shortcodes", out, "contact-form-7", "event_calendar", "[su_button")

	// A gallery: its attachments, each a figure with the attachment's caption.
	b, out = cleanItem(t, s, 6)
	if len(b.Images) != 3 || b.Images[0].AttachmentID != 7 || b.Images[2].URL != "https://news.example.edu/wp-content/uploads/2019/05/open-day-3.jpg" || len(b.Shortcodes) != 0 {
		t.Errorf("gallery: images %+v, shortcodes %v", b.Images, b.Shortcodes)
	}
	mustContain(t, "post 6", out, `<figure><img src="/media/open-day-1.jpg" alt="Visitors in the main hall"/><figcaption>The main hall at noon</figcaption></figure>`,
		`<p><img src="/media/open-day-3.jpg" alt="Students guiding a tour"/></p>`)
	// Without the attachments, the gallery is reported, not silently lost.
	b = Clean(s.byID[6].Content, Options{})
	if b.Shortcodes["gallery"] != 1 || len(b.Images) != 0 {
		t.Errorf("unresolved gallery: %v %v", b.Shortcodes, b.Images)
	}

	// [embed] and a shortcode block; dynamic blocks are reported, reusable ones inlined.
	_, out = cleanItem(t, s, 13)
	mustContain(t, "post 13", out, `<a href="https://www.youtube.com/watch?v=aqz-KE-bpKQ" rel="nofollow noopener">https://www.youtube.com/watch?v=aqz-KE-bpKQ</a>`)
	b, out = cleanItem(t, s, 34)
	if fmt.Sprint(b.Shortcodes) != "map[contact-form-7:1]" || fmt.Sprint(b.Removed) != "map[wp:latest-posts:1]" {
		t.Errorf("post 34: %v %v", b.Shortcodes, b.Removed)
	}
	mustContain(t, "post 34", out, `Subscribe to our newsletter: <a href="/newsletter/">news.example.edu/newsletter</a>`)
	b = Clean(s.byID[34].Content, Options{})
	if b.Removed["wp:block"] != 1 {
		t.Errorf("unresolved reusable block: %v", b.Removed)
	}
}

// TestCleanUnsafe: what the sanitizer would drop is gone before: script, frame, handlers,
// script links, styles. The frame's address stays as a link.
func TestCleanUnsafe(t *testing.T) {
	s := loadSite(t)
	b, out := cleanItem(t, s, 18)
	md := b.Markdown()
	for _, bad := range []string{"iframe", "script", "onclick", "onerror", "javascript", "alert", "style", "font", "injected", "<span"} {
		if strings.Contains(strings.ToLower(md), bad) {
			t.Errorf("%q left in the Markdown:\n%s", bad, md)
		}
	}
	if md := markup.Render(md); md != out && markup.Sanitize(out) != out {
		t.Error("rendered body changes when sanitized again")
	}
	mustContain(t, "post 18", out, `<a href="https://www.youtube.com/embed/aqz-KE-bpKQ" rel="nofollow noopener">`,
		"<p>See the results or this one.</p>", "Congratulations to the whole team!<br/>\n<img src=\"/media/robotics-team.jpg\" alt=\"\"/>")
	if fmt.Sprint(b.Removed) != "map[iframe:1 javascript: link:1 script:1]" {
		t.Errorf("removed: %v", b.Removed)
	}
	b, _ = cleanItem(t, s, 32)
	if b.Removed["iframe"] != 1 || strings.Contains(b.Markdown(), "<iframe") {
		t.Errorf("map frame: %v", b.Removed)
	}
}

// TestCleanEscapes: Markdown characters in WordPress text stay text.
func TestCleanEscapes(t *testing.T) {
	s := loadSite(t)
	_, out := cleanItem(t, s, 39)
	mustContain(t, "post 39", out, "Search the archive with *wildcards* and _underscores_: file names like report_2023_final.pdf work too.",
		"<p># is not a heading here, and 1. is not a list. Backslashes \\ stay, and so do &lt;tags&gt; written as text &amp; ampersands.</p>",
		"<p>[1] The archive holds 40,000 items; see [the catalogue] for more.</p>")
	_, out = cleanItem(t, s, 14)
	mustContain(t, "post 14", out, "“Grüezi!” — that was the first word Zoë learned. 🎓", "one of them took a course in 中文", "<em>« C’est formidable ! »</em><br/>")
}

// TestMarkdownWith: images get the address the caller gives; "" leaves them out, keeping a
// figure's caption.
func TestMarkdownWith(t *testing.T) {
	s := loadSite(t)
	b := Clean(s.byID[15].Content, s.options())
	var asked []string
	out := markup.Render(b.MarkdownWith(func(img Image) string {
		asked = append(asked, img.URL)
		if strings.Contains(img.URL, "150x150") {
			return ""
		}
		return "/media/42/nobel (1).jpg"
	}))
	if len(asked) != 2 {
		t.Errorf("asked for %v", asked)
	}
	mustContain(t, "rewritten", out, `<img src="/media/42/nobel%20%281%29.jpg" alt="The laureate at the lectern"/>`)
	mustNotContain(t, "rewritten", out, "150x150", "wp-content")

	b = Clean(s.byID[4].Content, s.options())
	out = markup.Render(b.MarkdownWith(func(Image) string { return "" }))
	mustContain(t, "without images", out, "<p>The new laser lab in the physics building</p>")
	mustNotContain(t, "without images", out, "<img", "<figure")
	// Markdown keeps the original addresses.
	mustContain(t, "Markdown", b.Markdown(), `src="https://news.example.edu/wp-content/uploads/2019/02/laser-lab-300x200.jpg"`)
}

func TestShortcodeParsing(t *testing.T) {
	var seen []string
	got := scanShortcodes(`a [[caption]] b [gallery ids="1,2" link='file' size=large /] c [su_box title="x"]in [b]side[/su_box] [sic] [Update] [1] [see the map] [a_b`,
		func(sc *shortcode) (string, bool) {
			seen = append(seen, fmt.Sprintf("%s %v%v:%q", sc.name, sc.attrs, sc.positional, sc.content))
			return "<" + sc.name + ">", true
		})
	if want := `a [caption] b <gallery> c <su_box> <sic> [Update] [1] [see the map] [a_b`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if want := `[gallery map[ids:1,2 link:file size:large][]:"" su_box map[title:x][]:"in [b]side" sic map[][]:""]`; fmt.Sprint(seen) != want {
		t.Errorf("seen %v\nwant %v", seen, want)
	}
}

func TestBlockComments(t *testing.T) {
	var seen []string
	got := scanBlocks("<!-- wp:paragraph {\"a\":\"\\u002d\\u002d\\u003e\"} --><p>x</p><!-- /wp:paragraph -->"+
		"<!-- wp:latest-posts /--><!-- wp:acme/widget {\"n\":1} /--><!-- not a block --><!--wp:nospace-->",
		func(bc blockComment) string {
			seen = append(seen, fmt.Sprintf("%s closing=%v void=%v %s", bc.name, bc.closing, bc.void, bc.attrs))
			return ""
		})
	if got != "<p>x</p><!-- not a block --><!--wp:nospace-->" {
		t.Errorf("got %q", got)
	}
	want := `[paragraph closing=false void=false {"a":"\u002d\u002d\u003e"} paragraph closing=true void=false  latest-posts closing=false void=true  acme/widget closing=false void=true {"n":1}]`
	if fmt.Sprint(seen) != want {
		t.Errorf("seen %v\nwant %v", seen, want)
	}
}

// checkClean is the property FuzzCleanHTML checks: a body is valid UTF-8, and rendering it
// shows no more "<" than WordPress showed as text: markup, which the sanitizer would drop,
// never becomes visible as text. What WordPress showed is the content after wpautop, which
// can itself make text of a broken tag ("<BloCkquote\n<" is a blockquote holding "<" there).
func checkClean(t testing.TB, content string) {
	opts := Options{SiteURL: "https://news.example.edu", DropUnknownShortcodes: len(content)%2 == 0}
	b := Clean(content, opts)
	md := b.MarkdownWith(media)
	if !utf8.ValidString(md) {
		t.Fatalf("invalid UTF-8 in %q", md)
	}
	out := markup.Render(md)
	shown := strings.Count(visibleText(out), "<")
	wp := &cleaner{opts: opts, body: &Body{Shortcodes: map[string]int{}, Removed: map[string]int{}}, imageIndex: map[string]int{}}
	had := max(strings.Count(visibleText(content), "<"), strings.Count(visibleText(wp.preprocess(content)), "<"))
	if shown > had {
		t.Fatalf("raw markup became visible: %d \"<\" shown, %d in the content's text\ncontent %q\nmarkdown %q\nrendered %q",
			shown, had, content, md, out)
	}
}

// BenchmarkClean cleans every post and page of the export, and renders it as readers see it.
func BenchmarkClean(b *testing.B) {
	s := loadSite(b)
	var contents []string
	size := 0
	for _, it := range s.items {
		if it.Type == TypePost || it.Type == TypePage {
			contents = append(contents, it.Content)
			size += len(it.Content)
		}
	}
	opts := s.options()
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range contents {
			Clean(c, opts).MarkdownWith(media)
		}
	}
}

// TestCleanConcurrently: a loader may clean posts in parallel (run with -race).
func TestCleanConcurrently(t *testing.T) {
	s := loadSite(t)
	want := map[int64]string{}
	for _, it := range s.items {
		want[it.ID] = Clean(it.Content, s.options()).Markdown()
	}
	done := make(chan error)
	for range 4 {
		go func() {
			for _, it := range s.items {
				if got := Clean(it.Content, s.options()).Markdown(); got != want[it.ID] {
					done <- fmt.Errorf("item %d cleaned differently in parallel", it.ID)
					return
				}
			}
			done <- nil
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
