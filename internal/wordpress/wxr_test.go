package wordpress

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The export in testdata was made by WordPress 6.1 (Debian 12's package) with its own exporter;
// testdata/README.md says what the site holds and make-export.sh how it was built.

func readExportFile(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/export.xml")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// readAll reads the whole export: the header and the items by ID.
func readAll(t testing.TB, data []byte) (*Header, map[int64]*Item, []*Item) {
	t.Helper()
	r := NewReader(bytes.NewReader(data))
	h, err := r.Header()
	if err != nil {
		t.Fatal(err)
	}
	byID := map[int64]*Item{}
	var items []*Item
	for it, err := range r.All() {
		if err != nil {
			t.Fatal(err)
		}
		if byID[it.ID] != nil {
			t.Fatalf("item %d twice", it.ID)
		}
		byID[it.ID] = it
		items = append(items, it)
	}
	return h, byID, items
}

func TestExportHeader(t *testing.T) {
	h, _, _ := readAll(t, readExportFile(t))
	if h.Title != "Example University News & Events" || h.Link != "https://news.example.edu" ||
		h.WXRVersion != "1.2" || h.BaseSiteURL != "https://news.example.edu" || h.Language != "en-US" ||
		h.Description != "Neuigkeiten, nouvelles, news — from the campus" {
		t.Errorf("site: %+v", h)
	}

	authors := map[string]string{}
	for _, a := range h.Authors {
		authors[a.Login] = a.DisplayName
	}
	want := map[string]string{"webteam": "Web Team", "mmueller": "Marie Müller", "jchen": "Jia Chen",
		"sokeefe": "Siobhán O'Keefe", "rpatel": "Ravi Patel"}
	if fmt.Sprint(authors) != fmt.Sprint(want) {
		t.Errorf("authors %v, want %v", authors, want)
	}

	// Nested categories: Physics › Research › News, parents before children, names decoded.
	cats := map[string]Category{}
	seen := map[string]bool{"": true}
	for _, c := range h.Categories {
		if _, dup := cats[c.Slug]; dup {
			t.Errorf("category %q twice", c.Slug)
		}
		if !seen[c.Parent] {
			t.Errorf("category %q comes before its parent %q", c.Slug, c.Parent)
		}
		seen[c.Slug] = true
		cats[c.Slug] = c
	}
	if len(cats) != 10 {
		t.Errorf("%d categories, want 10: %v", len(cats), h.Categories)
	}
	for slug, parent := range map[string]string{"physics": "research", "life-sciences": "research",
		"research": "news", "campus": "news", "news": "", "etudes-echanges": "student-life"} {
		if cats[slug].Parent != parent {
			t.Errorf("category %q has parent %q, want %q", slug, cats[slug].Parent, parent)
		}
	}
	if c := cats["etudes-echanges"]; c.Name != "Études & Échanges" || c.Description != "Exchange programmes" {
		t.Errorf("category with an ampersand: %+v", c)
	}

	tags := map[string]string{}
	for _, tg := range h.Tags {
		tags[tg.Slug] = tg.Name
	}
	if len(tags) != 26 || tags["%e6%a0%a1%e5%8f%8b"] != "校友" || tags["zurich"] != "Zürich" || tags["open-day"] != "open day" {
		t.Errorf("tags: %v", tags)
	}
	if len(h.Terms) != 1 || h.Terms[0].Taxonomy != "nav_menu" || h.Terms[0].Slug != "main-menu" {
		t.Errorf("other terms: %+v", h.Terms)
	}
}

func TestExportItemCounts(t *testing.T) {
	_, _, items := readAll(t, readExportFile(t))
	counts := map[string]int{}
	for _, it := range items {
		counts[it.Type+"/"+it.Status]++
	}
	want := map[string]int{
		"post/publish": 27, "post/draft": 2, "post/pending": 2, "post/private": 1, "post/future": 2, "post/trash": 1,
		"page/publish": 4, "page/draft": 1, "attachment/inherit": 17, "nav_menu_item/publish": 2, "wp_block/publish": 1,
	}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("counts\n got %v\nwant %v", counts, want)
	}
}

func utc(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestExportItems(t *testing.T) {
	_, byID, _ := readAll(t, readExportFile(t))

	// A classic-editor post with a featured image, an excerpt, categories and tags.
	p := byID[4]
	if p.Type != TypePost || p.Status != StatusPublish || p.Title != "Physics department unveils new laser lab" ||
		p.Name != "physics-laser-lab" || p.Creator != "jchen" || p.GUID != "https://news.example.edu/2019/02/physics-laser-lab/" ||
		p.Link != "https://news.example.edu/2019/02/physics-laser-lab/" || p.Path() != "/2019/02/physics-laser-lab/" ||
		p.Excerpt != "A €2.4 million laser laboratory opens in the physics building." || p.ThumbnailID() != 5 {
		t.Errorf("post 4: %+v", p)
	}
	if !slices.Equal(p.Categories(), []string{"physics", "research"}) || !slices.Equal(p.Tags(), []string{"lab", "physics"}) {
		t.Errorf("post 4 terms: %v %v", p.Categories(), p.Tags())
	}
	// Dates: the site is in Europe/Zurich, one hour ahead of GMT in winter, two in summer.
	if !p.Date.Equal(utc("2019-02-14 10:30")) || !p.DateGMT.Equal(utc("2019-02-14 09:30")) ||
		!p.ModifiedGMT.Equal(utc("2019-02-15 07:12")) || p.DateGMT.Location() != time.UTC {
		t.Errorf("post 4 dates: %v %v %v", p.Date, p.DateGMT, p.ModifiedGMT)
	}
	if s := byID[12]; !s.Sticky || !s.ModifiedGMT.Equal(utc("2020-05-11 07:30")) {
		t.Errorf("post 12 (sticky, modified in summer time): %v %v", s.Sticky, s.ModifiedGMT)
	}
	if !byID[38].DateGMT.Equal(utc("2024-02-29 17:00")) {
		t.Errorf("leap day post: %v", byID[38].DateGMT)
	}

	// Drafts and pending posts have no GMT date, nor a pretty permalink.
	for _, id := range []int64{45, 46, 47, 48} {
		it := byID[id]
		if !it.DateGMT.IsZero() || it.Date.IsZero() || it.Path() != fmt.Sprintf("/?p=%d", id) {
			t.Errorf("post %d (%s): date %v, GMT %v, path %q", id, it.Status, it.Date, it.DateGMT, it.Path())
		}
	}
	if byID[46].Name != "" {
		t.Errorf("a draft never given a slug has %q", byID[46].Name)
	}
	// Scheduled posts keep their future date.
	if f := byID[50]; f.Status != StatusFuture || !f.DateGMT.Equal(utc("2031-06-27 08:00")) || f.ThumbnailID() != 51 || f.Path() != "/?p=50" {
		t.Errorf("scheduled post: %+v", f)
	}
	if byID[49].Status != StatusPrivate || byID[53].Password != "press2025" || byID[54].Status != StatusTrash {
		t.Errorf("private, protected, trashed: %q %q %q", byID[49].Status, byID[53].Password, byID[54].Status)
	}
	if pg := byID[58]; pg.Type != TypePage || pg.Parent != 57 || pg.Path() != "/contact/press/" {
		t.Errorf("child page: %+v", pg)
	}

	// Comments are counted and kept out of the content.
	if byID[6].Comments != 2 || byID[15].Comments != 1 || byID[1].Comments != 1 || byID[4].Comments != 0 {
		t.Errorf("comments: %d %d %d", byID[6].Comments, byID[15].Comments, byID[1].Comments)
	}
	if strings.Contains(byID[6].Content, "Lena") {
		t.Error("a comment leaked into the content")
	}
	// The exporter splits "]]>" across two CDATA sections; the content is whole again.
	if !strings.Contains(byID[11].Content, "if (days[item[0]]>14) {") {
		t.Errorf("content with ]]>: %q", byID[11].Content)
	}
}

func TestExportAttachments(t *testing.T) {
	_, byID, items := readAll(t, readExportFile(t))
	a := byID[5]
	if a.Type != TypeAttachment || a.Parent != 4 || a.AttachedFile() != "2019/02/laser-lab.jpg" ||
		a.AttachmentURL != "https://news.example.edu/wp-content/uploads/2019/02/laser-lab.jpg" ||
		a.ImageAlt() != "A green laser beam crossing an optical table" || a.Excerpt != "The optical table in room P-104" {
		t.Errorf("attachment 5: %+v", a)
	}
	if byID[56].Parent != 0 || byID[19].ImageAlt() != "" {
		t.Errorf("unattached logo or image without alt text: %+v %+v", byID[56], byID[19])
	}
	// Every featured image is an attachment of the export.
	for _, it := range items {
		if id := it.ThumbnailID(); id != 0 && (byID[id] == nil || byID[id].Type != TypeAttachment) {
			t.Errorf("item %d: featured image %d is not an attachment", it.ID, id)
		}
	}
	// The uploads copy has every file but the one missing on purpose.
	var missing []string
	for _, it := range items {
		if it.Type != TypeAttachment {
			continue
		}
		if _, err := os.Stat(filepath.Join("testdata/uploads", filepath.FromSlash(it.AttachedFile()))); err != nil {
			missing = append(missing, it.AttachedFile())
		}
	}
	if !slices.Equal(missing, []string{"2023/05/campus-map.jpg"}) {
		t.Errorf("missing uploads: %v", missing)
	}
}

// TestTruncatedExport cuts the export at several places: each read ends with an error naming
// the line and column where the file stops.
func TestTruncatedExport(t *testing.T) {
	data := readExportFile(t)
	for _, cut := range []int{
		len(data) / 3, // somewhere in an item
		bytes.Index(data, []byte("<![CDATA[<!-- wp:")) + 20,       // inside a CDATA section
		bytes.LastIndex(data, []byte("</item>")) + len("</item>"), // after a whole item
		bytes.Index(data, []byte("<wp:author>")) + 3,              // in the header, inside a tag
		len(data) - len("</rss>\n") + 2,                           // inside the last end tag
	} {
		trunc := data[:cut]
		wantLine := bytes.Count(trunc, []byte("\n")) + 1
		r := NewReader(bytes.NewReader(trunc))
		var err error
		n := 0
		for _, err = range r.All() {
			if err != nil {
				break
			}
			n++
		}
		var we *Error
		if !errors.As(err, &we) {
			t.Errorf("cut at %d: after %d items, error %v, want *Error", cut, n, err)
			continue
		}
		if we.Line != wantLine || we.Column < 1 || !strings.Contains(err.Error(), fmt.Sprintf("line %d, column ", wantLine)) {
			t.Errorf("cut at %d (line %d): %v", cut, wantLine, err)
		}
		// The reader stays stopped.
		if _, err2 := r.Next(); err2 != err {
			t.Errorf("cut at %d: Next after the error returned %v", cut, err2)
		}
	}
}

func TestMalformedExport(t *testing.T) {
	data := string(readExportFile(t))
	// A mismatched end tag in the middle of item 4.
	broken := strings.Replace(data, "<wp:post_name><![CDATA[physics-laser-lab]]></wp:post_name>",
		"<wp:post_name><![CDATA[physics-laser-lab]]></wp:post_nam>", 1)
	line := strings.Count(broken[:strings.Index(broken, "</wp:post_nam>")], "\n") + 1
	r := NewReader(strings.NewReader(broken))
	var err error
	for _, err = range r.All() {
		if err != nil {
			break
		}
	}
	var we *Error
	if !errors.As(err, &we) || we.Line != line || !strings.Contains(err.Error(), "wp:post_name") && !strings.Contains(err.Error(), "post_nam") {
		t.Errorf("mismatched tag on line %d: %v", line, err)
	}

	for _, tc := range []struct{ in, want string }{
		{"", "no <rss> element"},
		{"<html><body>not an export</body></html>", "not a WordPress export: the document is <html>"},
		{"<rss version=\"2.0\"></rss>", "<rss> has no <channel>"},
		{"<rss><channel><item><wp:post_id xmlns:wp=\"http://wordpress.org/export/1.2/\">x1</wp:post_id></item></channel></rss>", `wp:post_id: "x1" is not a number`},
		{"<rss><channel></channel></rss><rss>", "an element after the end of the export"},
		{"<rss><channel><title>a &bogus; b</title></channel></rss>", "line 1, column"},
	} {
		r := NewReader(strings.NewReader(tc.in))
		_, err := r.Next()
		if err == nil || err == io.EOF || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.in, err, tc.want)
		}
	}

	// An empty channel is a valid, empty export.
	r = NewReader(strings.NewReader(`<?xml version="1.0"?><rss><channel><title>T</title></channel></rss>`))
	if _, err := r.Next(); err != io.EOF {
		t.Errorf("empty export: %v", err)
	}
}

// TestOtherEncodings reads an export whose declaration names ISO-8859-1, as older sites wrote.
func TestOtherEncodings(t *testing.T) {
	doc := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<rss xmlns:wp=\"http://wordpress.org/export/1.1/\"><channel><title>Caf\xe9</title>" +
		"<item><title>Z\xfcrich</title><wp:post_id>7</wp:post_id></item></channel></rss>"
	r := NewReader(strings.NewReader(doc))
	it, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	h, _ := r.Header()
	if h.Title != "Café" || it.Title != "Zürich" || it.ID != 7 {
		t.Errorf("title %q, item %+v", h.Title, it)
	}
}

func TestText(t *testing.T) {
	for in, want := range map[string]string{
		"Q&amp;A with the rector":           "Q&A with the rector",
		"CO<sub>2</sub> down by 18 %":       "CO2 down by 18 %",
		"<p>One</p><p>Two</p>":              "One Two",
		"Line<br>break  and\n spaces":       "Line break and spaces",
		"plain":                             "plain",
		"&lt;not a tag&gt; &#8220;x&#8221;": "<not a tag> “x”",
	} {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkReader streams a large export: the site's items repeated, fed through a pipe so that
// the document is never whole in memory. Figures: MB/s and allocations per item.
func BenchmarkReader(b *testing.B) {
	data := readExportFile(b)
	start := bytes.Index(data, []byte("<item>"))
	end := bytes.LastIndex(data, []byte("</item>")) + len("</item>")
	head, items, tail := data[:start], data[start:end], data[end:]
	const copies = 50
	size := int64(len(head) + copies*len(items) + len(tail))
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		pr, pw := io.Pipe()
		go func() {
			pw.Write(head)
			for range copies {
				pw.Write(items)
			}
			pw.Write(tail)
			pw.Close()
		}()
		r := NewReader(pr)
		n := 0
		for _, err := range r.All() {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != copies*bytes.Count(items, []byte("<item>")) {
			b.Fatalf("%d items", n)
		}
	}
}
