package importer

import (
	"bytes"
	"campusnews/internal/database"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"campusnews/internal/news"
	"campusnews/internal/search"
	"campusnews/internal/wordpress"
)

func TestImportWordPress(t *testing.T) {
	s := newTestSite(t)
	rep := s.run(readExport(t))
	ctx := context.Background()

	// Posts, by status: 35 in the export, the trashed one skipped.
	if rep.Posts.InExport != 35 || rep.Posts.Prepared != 34 || rep.Posts.Created != 34 || len(rep.Failed) != 0 {
		t.Errorf("posts %+v, failed %v", rep.Posts, rep.Failed)
	}
	wantFrom := map[string]int{"publish": 26, "publish, password-protected": 1, "future": 2, "draft": 2, "pending": 2, "private": 1}
	for k, n := range wantFrom {
		if rep.Posts.From[k] != n {
			t.Errorf("%d posts %s, want %d", rep.Posts.From[k], k, n)
		}
	}
	for st, n := range map[news.Status]int64{news.Published: 26, news.Draft: 6, news.Scheduled: 2} {
		if got := s.count("SELECT COUNT(*) FROM articles WHERE status = ?", st); got != n {
			t.Errorf("%d %s articles, want %d", got, st, n)
		}
	}
	if got := s.count("SELECT COUNT(*) FROM articles"); got != 34 {
		t.Errorf("%d articles", got)
	}
	if len(rep.Pages) != 5 {
		t.Errorf("pages %v", rep.Pages)
	}
	skipped := map[string]int{}
	for _, sk := range rep.Skipped {
		skipped[sk.What] = sk.Count
	}
	if skipped["trashed posts"] != 1 || skipped["menu items"] != 2 || skipped["reusable blocks"] != 1 {
		t.Errorf("skipped %v", rep.Skipped)
	}

	// A classic post: dates in UTC, the author's name, the excerpt, the most specific of its
	// categories, tags, the featured image that is also in the text.
	laser := s.article(4)
	if laser.Title != "Physics department unveils new laser lab" || laser.Slug != "physics-laser-lab" ||
		laser.Status != news.Published || laser.Author != "Jia Chen" ||
		laser.Summary != "A €2.4 million laser laboratory opens in the physics building." {
		t.Errorf("post 4: %+v", laser)
	}
	if !laser.PublishedAt.Equal(time.Date(2019, 2, 14, 9, 30, 0, 0, time.UTC)) ||
		!laser.UpdatedAt.Equal(time.Date(2019, 2, 15, 7, 12, 0, 0, time.UTC)) ||
		!laser.CreatedAt.Equal(time.Date(2019, 2, 14, 9, 30, 0, 0, time.UTC)) {
		t.Errorf("post 4 dates: published %v, updated %v, created %v", laser.PublishedAt, laser.UpdatedAt, laser.CreatedAt)
	}
	tree, err := s.news.Tree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := tree.Node(laser.CategoryID); n == nil || n.Path != "/news/physics" {
		t.Errorf("post 4 in %+v", n)
	}
	if names := tagNames(laser); names != "Physics lab" {
		t.Errorf("post 4 tags %q", names)
	}
	if laser.CoverMediaID == nil {
		t.Fatal("post 4 has no cover")
	}
	cover, err := s.media.Get(ctx, *laser.CoverMediaID)
	if err != nil {
		t.Fatal(err)
	}
	if cover.Alt != "A green laser beam crossing an optical table" || cover.Caption != "The optical table in room P-104" {
		t.Errorf("cover %+v", cover)
	}
	// The text shows the same image, stored once, at its new address, with its caption.
	if !strings.Contains(laser.BodySource, `<figure><img src="`+cover.Best(960)+`" alt="A green laser beam crossing an optical table"><figcaption>The new laser lab in the physics building</figcaption></figure>`) {
		t.Errorf("post 4 text:\n%s", laser.BodySource)
	}
	if !strings.Contains(laser.BodyHTML, `src="`+cover.Best(960)+`"`) {
		t.Errorf("post 4 page:\n%s", laser.BodyHTML)
	}

	// Every image once, with alt text; no text points at the old uploads any more.
	if rep.Images.Stored != 15 || s.count("SELECT COUNT(*) FROM media") != 15 || s.count("SELECT COUNT(*) FROM import_media") != 15 {
		t.Errorf("images %+v, %d in the library", rep.Images, s.count("SELECT COUNT(*) FROM media"))
	}
	if n := s.count("SELECT COUNT(*) FROM media WHERE alt = '' OR decorative"); n != 0 {
		t.Errorf("%d images without alt text", n)
	}
	if n := s.count("SELECT COUNT(*) FROM article_bodies WHERE source LIKE '%wp-content%' OR html LIKE '%wp-content%'"); n != 0 {
		t.Errorf("%d texts still show the old site's files", n)
	}
	for _, name := range s.mediaFiles() {
		if !regexp.MustCompile(`^[0-9a-f]{32}(-\d+)?\.(jpg|png|gif)$`).MatchString(name) {
			t.Errorf("media file %s", name)
		}
	}
	// Post 15 shows its featured image twice in its text, in two sizes: one image.
	nobel := s.article(15)
	src := regexp.MustCompile(`/media/[0-9a-f]{32}[^"\)]*`).FindAllString(nobel.BodySource, -1)
	if len(src) != 2 || src[0] != src[1] || nobel.CoverMediaID == nil {
		t.Errorf("post 15 images %v, cover %v:\n%s", src, nobel.CoverMediaID, nobel.BodySource)
	}
	// The image without alt text is described by its title, and said so.
	if !rep.Images.Guessed.Has("2021/03/robotics-team.jpg") {
		t.Errorf("guessed alt texts: %+v", rep.Images.Guessed.List)
	}
	// The missing file is reported, not fatal: post 35 has neither cover nor image.
	if !rep.Images.Missing.Has("2023/05/campus-map.jpg") {
		t.Errorf("missing: %+v", rep.Images.Missing.List)
	}
	if mapPost := s.article(35); mapPost.CoverMediaID != nil || strings.Contains(mapPost.BodySource, "<img") {
		t.Errorf("post 35: cover %v\n%s", mapPost.CoverMediaID, mapPost.BodySource)
	}
	if !rep.Images.Foreign.Has("https://photos.example.org/reunion/2021/group.jpg") {
		t.Errorf("images of other sites: %+v", rep.Images.Foreign.List)
	}
	if rep.Attachments.InExport != 17 || rep.Attachments.Unused != 1 {
		t.Errorf("attachments %+v", rep.Attachments)
	}

	// What the sanitizer would drop is gone already; links to the old site are relative, so
	// they reach its old addresses here.
	robots := s.article(18)
	for _, bad := range []string{"<script", "<iframe", "javascript:", "onclick", "onerror", "<font", "style="} {
		if strings.Contains(robots.BodySource, bad) || strings.Contains(robots.BodyHTML, bad) {
			t.Errorf("post 18 keeps %s:\n%s", bad, robots.BodySource)
		}
	}
	if !strings.Contains(s.article(11).BodySource, "](/2019/02/physics-laser-lab/)") {
		t.Errorf("post 11 link:\n%s", s.article(11).BodySource)
	}
	for _, sc := range []string{"[contact-form-7]", "[event_calendar]", "[su_button]"} {
		if !rep.Shortcodes.Has(sc) {
			t.Errorf("shortcode %s not reported: %+v", sc, rep.Shortcodes.List)
		}
	}
	for _, r := range []string{"iframe", "script", "javascript: link", "wp:latest-posts"} {
		if !rep.Removed.Has(r) {
			t.Errorf("%s not reported: %+v", r, rep.Removed.List)
		}
	}

	// Categories: made in the section, nested ones side by side.
	if rep.Section != "/news" || len(rep.Categories.Created) != 11 || rep.Categories.Several != 6 {
		t.Errorf("categories %+v in %s", rep.Categories, rep.Section)
	}
	for _, p := range []string{"/news/news", "/news/research", "/news/physics", "/news/life-sciences", "/news/etudes-echanges", "/news/uncategorized"} {
		if tree.ByPath(p) == nil {
			t.Errorf("no category %s", p)
		}
	}
	if n := tree.ByPath("/news/etudes-echanges"); n == nil || n.Name != "Études & Échanges" || n.Description != "Exchange programmes" {
		t.Errorf("category %+v", n)
	}
	if !strings.Contains(strings.Join(rep.Categories.Flattened, "\n"), "News › Research › Physics → /news/physics") {
		t.Errorf("flattened %v", rep.Categories.Flattened)
	}

	// Tags: Zürich by its slug; 校友 has no address here, and is reported.
	if names := tagNames(s.article(14)); !strings.Contains(names, "Zürich") {
		t.Errorf("post 14 tags %q", names)
	}
	if _, err := s.news.TagBySlug(ctx, "zurich"); err != nil {
		t.Error(err)
	}
	if !rep.DroppedTags.Has("校友") || tagNames(s.article(20)) != "reunion" {
		t.Errorf("dropped %+v; post 20 tags %q", rep.DroppedTags.List, tagNames(s.article(20)))
	}

	// Statuses that are not the obvious ones, and what goes with them.
	if a := s.article(12); !a.Pinned {
		t.Error("the sticky post is not pinned")
	}
	if a := s.article(50); a.Status != news.Scheduled || !a.PublishedAt.Equal(time.Date(2031, 6, 27, 8, 0, 0, 0, time.UTC)) || a.CoverMediaID == nil {
		t.Errorf("post 50 %s at %v, cover %v", a.Status, a.PublishedAt, a.CoverMediaID)
	}
	if a := s.article(53); a.Status != news.Draft || a.PublishedAt == nil {
		t.Errorf("protected post %s at %v", a.Status, a.PublishedAt)
	}
	if a := s.article(49); a.Status != news.Draft {
		t.Errorf("private post %s", a.Status)
	}
	if a := s.article(47); a.Status != news.Draft || a.Author != "Ravi Patel" || a.PublishedAt != nil {
		t.Errorf("pending post %+v", a)
	}
	if a := s.article(46); a.Slug != "open-day-2025" {
		t.Errorf("post without a slug: %q", a.Slug)
	}
	if a := s.article(10); a.Summary == "" || !strings.HasPrefix(a.Summary, "Welcome to all new students!") {
		t.Errorf("summary from the text: %q", a.Summary)
	}
	if n := tree.Node(s.article(1).CategoryID); n == nil || n.Slug != "uncategorized" {
		t.Errorf("Hello world in %+v", n)
	}

	// Old addresses: the permalink and /?p=ID of every post.
	if rep.Redirects != 62 || s.count("SELECT COUNT(*) FROM article_redirects") != 62 {
		t.Errorf("%d old addresses reported, %d kept", rep.Redirects, s.count("SELECT COUNT(*) FROM article_redirects"))
	}
	for _, p := range []string{"/2019/02/physics-laser-lab/", "/?p=4", "/index.php?p=4&replytocom=3", "/2019/02/PHYSICS%2dlaser-lab"} {
		a, err := s.news.Redirect(ctx, p)
		if err != nil || a.ID != laser.ID {
			t.Errorf("%s: %+v %v", p, a, err)
		}
	}

	// Published articles are found by search.
	res, err := s.news.Search(ctx, search.Parse("laser laboratory"), 1, 10)
	if err != nil || res.Total != 1 {
		t.Errorf("search: %+v %v", res, err)
	}

	// One audit entry for the import, by whom it was run.
	var detail string
	if err := s.db.Raw("SELECT detail FROM audit_entries WHERE action = 'import.wordpress'").Scan(&detail).Error; err != nil ||
		!strings.Contains(detail, "35 posts: 34 imported") || !strings.HasSuffix(detail, "(test)") {
		t.Errorf("audit %q %v", detail, err)
	}

	var out bytes.Buffer
	if err := rep.Write(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Posts: 35 in the export; 34 imported (34 new, 0 updated, 0 unchanged), 0 failed, 1 skipped.",
		"2023/05/campus-map.jpg ×2: missing from the uploads directory (in \"Campus map updated\")",
		"[contact-form-7] ×2", "校友: a tag's address needs Latin letters or digits", "Old addresses: 62"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, out.String())
		}
	}
}

func tagNames(a *news.Article) string {
	var names []string
	for _, t := range a.Tags {
		names = append(names, t.Name)
	}
	return strings.Join(names, " ")
}

// Running an import again changes nothing; an export with an edited post updates its
// article, with a revision, and nothing else.
func TestReimportUpdatesWithoutDuplicates(t *testing.T) {
	s := newTestSite(t)
	data := readExport(t)
	s.run(data)
	counts := func() [6]int64 {
		return [6]int64{s.count("SELECT COUNT(*) FROM articles"), s.count("SELECT COUNT(*) FROM media"),
			s.count("SELECT COUNT(*) FROM categories"), s.count("SELECT COUNT(*) FROM tags"),
			s.count("SELECT COUNT(*) FROM article_redirects"), s.count("SELECT COUNT(*) FROM revisions")}
	}
	before := counts()
	files := len(s.mediaFiles())

	rep := s.run(data)
	if rep.Posts.Unchanged != 34 || rep.Posts.Created+rep.Posts.Updated != 0 || rep.Images.Stored != 0 || rep.Images.Reused != 15 ||
		len(rep.Categories.Created) != 0 || len(rep.Categories.Reused) != 10 {
		t.Errorf("again: posts %+v, images %+v, categories %+v", rep.Posts, rep.Images, rep.Categories)
	}
	if after := counts(); after != before || len(s.mediaFiles()) != files {
		t.Errorf("counts %v, then %v; %d files, then %d", before, after, files, len(s.mediaFiles()))
	}

	edited := bytes.Replace(data, []byte("Physics department unveils new laser lab"), []byte("Physics department opens a femtosecond laser lab"), 1)
	edited = bytes.Replace(edited, []byte("took <strong>two years</strong>"), []byte("took <strong>three years</strong>"), 1)
	rep = s.run(edited)
	if rep.Posts.Updated != 1 || rep.Posts.Unchanged != 33 || rep.Posts.Created != 0 {
		t.Errorf("edited: %+v", rep.Posts)
	}
	a := s.article(4)
	if a.Title != "Physics department opens a femtosecond laser lab" || !strings.Contains(a.BodySource, "**three years**") ||
		a.Slug != "physics-laser-lab" || !strings.Contains(a.BodyHTML, "three years") {
		t.Errorf("post 4 after the edit: %s %s\n%s", a.Title, a.Slug, a.BodySource)
	}
	revs, err := s.news.Revisions(context.Background(), a.ID)
	if err != nil || len(revs) != 2 || revs[0].Title != a.Title || revs[1].Title != "Physics department unveils new laser lab" {
		t.Errorf("revisions %+v %v", revs, err)
	}
	res, err := s.news.Search(context.Background(), search.Parse("femtosecond"), 1, 10)
	if err != nil || res.Total != 1 {
		t.Errorf("search for the new title: %+v %v", res, err)
	}
	want := before
	want[5] += 2
	if after := counts(); after != want {
		t.Errorf("counts %v, want %v", after, want)
	}
}

// A post that is no valid article is left out and reported with its title; the rest goes in.
func TestInvalidPostIsSkipped(t *testing.T) {
	s := newTestSite(t)
	long := strings.Repeat("Very long title ", 15)
	data := bytes.Replace(readExport(t), []byte("<![CDATA[Hackathon: call for teams]]>"), []byte("<![CDATA["+long+"]]>"), 1)
	rep := s.run(data)
	if len(rep.Failed) != 1 || rep.Failed[0].ID != 48 || rep.Failed[0].Title != strings.TrimSpace(long) ||
		!strings.Contains(rep.Failed[0].Reason, "Title") {
		t.Fatalf("failed %+v", rep.Failed)
	}
	if rep.Posts.Created != 33 || s.count("SELECT COUNT(*) FROM articles") != 33 {
		t.Errorf("posts %+v", rep.Posts)
	}
	var out bytes.Buffer
	rep.Write(&out)
	if !strings.Contains(out.String(), "(post 48): Title") {
		t.Errorf("report:\n%s", out.String())
	}
}

// A truncated export fails with the line, before anything is stored.
func TestTruncatedExportImportsNothing(t *testing.T) {
	s := newTestSite(t)
	data := readExport(t)
	_, err := s.importer.WordPress(context.Background(), options(data[:len(data)*2/3]))
	var xe *wordpress.Error
	if !errors.As(err, &xe) || xe.Line < 1000 || !strings.Contains(err.Error(), "export.xml: line ") ||
		!strings.Contains(err.Error(), "EOF") && !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("error %v", err)
	}
	s.assertEmpty()
}

// assertEmpty fails unless the site holds nothing an import makes.
func (s *testSite) assertEmpty() {
	s.t.Helper()
	for _, table := range []string{"articles", "categories", "tags", "media", "import_media", "article_sources", "article_redirects"} {
		if n := s.count("SELECT COUNT(*) FROM " + table); n != 0 {
			s.t.Errorf("%d rows in %s", n, table)
		}
	}
	if n := s.count("SELECT COUNT(*) FROM audit_entries WHERE action = 'import.wordpress'"); n != 0 {
		s.t.Errorf("%d import entries in the audit log", n)
	}
	if files := s.mediaFiles(); len(files) != 0 {
		s.t.Errorf("files left in the media directory: %v", files)
	}
}

// When the import fails after images were stored, they are removed again.
func TestFailedImportRemovesItsImages(t *testing.T) {
	data := readExport(t)
	t.Run("export changed between the passes", func(t *testing.T) {
		s := newTestSite(t)
		opts := options(data)
		var opened atomic.Int32
		opts.Open = func() (io.ReadCloser, error) {
			if opened.Add(1) == 1 {
				return io.NopCloser(bytes.NewReader(data)), nil
			}
			return io.NopCloser(bytes.NewReader(data[:len(data)*9/10])), nil
		}
		var stored int
		opts.Progress = func(Progress) { stored = s.mediaCount() }
		var xe *wordpress.Error
		if _, err := s.importer.WordPress(context.Background(), opts); !errors.As(err, &xe) {
			t.Fatalf("error %v", err)
		}
		if stored == 0 {
			t.Fatal("no image was stored before the failure: the test tests nothing")
		}
		s.assertEmpty()
	})
	t.Run("the transaction fails", func(t *testing.T) {
		s := newTestSite(t)
		// Another program's rule, as a database could have: the last post cannot be written.
		trigger := []string{`CREATE TRIGGER refuse BEFORE INSERT ON article_sources WHEN NEW.key = '53'
			BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END`}
		if database.Engine(s.db) == database.Postgres {
			trigger = []string{`CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN RAISE EXCEPTION 'refused by a trigger'; END $$`,
				`CREATE TRIGGER refuse BEFORE INSERT ON article_sources FOR EACH ROW WHEN (NEW.key = '53')
				EXECUTE FUNCTION refuse()`}
		}
		for _, q := range trigger {
			if err := s.db.Exec(q).Error; err != nil {
				t.Fatal(err)
			}
		}
		_, err := s.importer.WordPress(context.Background(), options(data))
		if err == nil || !strings.Contains(err.Error(), "refused by a trigger") {
			t.Fatalf("error %v", err)
		}
		s.assertEmpty()
	})
	t.Run("cancelled", func(t *testing.T) {
		s := newTestSite(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		opts := options(data)
		opts.Progress = func(p Progress) {
			if p.Step == "writing" && p.Done == 10 {
				cancel()
			}
		}
		if _, err := s.importer.WordPress(ctx, opts); !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v", err)
		}
		s.assertEmpty()
	})
}

func (s *testSite) mediaCount() int { return int(s.count("SELECT COUNT(*) FROM media")) }

// Without the uploads, posts go in without their images, which are reported.
func TestImportWithoutUploads(t *testing.T) {
	s := newTestSite(t)
	opts := options(readExport(t))
	opts.Uploads = ""
	rep, err := s.importer.WordPress(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Posts.Created != 34 || rep.Images.Stored != 0 || len(rep.Images.Missing.List) != 16 ||
		rep.Images.Missing.List[0].Why != "no uploads directory given" {
		t.Errorf("posts %+v, images %+v", rep.Posts, rep.Images)
	}
	if n := s.count("SELECT COUNT(*) FROM article_bodies WHERE source LIKE '%<img%' OR source LIKE '%](%.jpg)%'"); n != 0 {
		t.Errorf("%d texts show images", n)
	}
}

// The categories go into the section asked for, where one with the same slug is reused; a
// section that does not exist stops the import before it begins.
func TestImportIntoSection(t *testing.T) {
	s := newTestSite(t)
	ctx := context.Background()
	editor := news.Actor{CanPublish: true, CanEditAny: true}
	sec, err := s.news.CreateCategory(ctx, editor, news.CategoryInput{Name: "News & Events", Slug: "news-events", Visible: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.news.CreateCategory(ctx, editor, news.CategoryInput{Name: "Other", Slug: "other", Visible: true}); err != nil {
		t.Fatal(err)
	}
	events, err := s.news.CreateCategory(ctx, editor, news.CategoryInput{Name: "Our events", Slug: "events", ParentID: &sec.ID, Visible: true})
	if err != nil {
		t.Fatal(err)
	}
	opts := options(readExport(t))
	opts.Section = "nope"
	if _, err := s.importer.WordPress(ctx, opts); err == nil || !strings.Contains(err.Error(), "news-events, other") {
		t.Fatalf("unknown section: %v", err)
	}
	opts.Section = "other"
	rep, err := s.importer.WordPress(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Section != "/other" || len(rep.Categories.Reused) != 0 {
		t.Errorf("into %s: %+v", rep.Section, rep.Categories)
	}

	s = newTestSite(t)
	sec, _ = s.news.CreateCategory(ctx, editor, news.CategoryInput{Name: "News & Events", Slug: "news-events", Visible: true})
	events, _ = s.news.CreateCategory(ctx, editor, news.CategoryInput{Name: "Our events", Slug: "events", ParentID: &sec.ID, Visible: true})
	rep = s.run(readExport(t)) // the first section
	if rep.Section != "/news-events" || strings.Join(rep.Categories.Reused, ",") != "Events" {
		t.Errorf("into %s: %+v", rep.Section, rep.Categories)
	}
	if a := s.article(17); a.CategoryID != events.ID {
		t.Errorf("post 17 in %d, want the existing events %d", a.CategoryID, events.ID)
	}
}

// An image used by several posts, and a post whose slug another article has, across imports
// of two sites.
func TestTwoSites(t *testing.T) {
	s := newTestSite(t)
	data := readExport(t)
	s.run(data)
	other := bytes.ReplaceAll(data, []byte("https://news.example.edu"), []byte("https://alumni.example.edu"))
	rep := s.run(other)
	if rep.Posts.Created != 34 || rep.Images.Stored != 15 {
		t.Errorf("second site: %+v %+v", rep.Posts, rep.Images)
	}
	var slugs []string
	s.db.Raw("SELECT slug FROM articles WHERE slug LIKE 'physics-laser-lab%' ORDER BY id").Scan(&slugs)
	if strings.Join(slugs, " ") != "physics-laser-lab physics-laser-lab-2" {
		t.Errorf("slugs %v", slugs)
	}
	// The same old path on both sites: the last import's article answers it.
	a, err := s.news.Redirect(context.Background(), "/2019/02/physics-laser-lab/")
	if err != nil || a.Slug != "physics-laser-lab-2" {
		t.Errorf("redirect %+v %v", a, err)
	}
}

// A temporary file is all the spool leaves, and it goes.
func TestSpoolIsRemoved(t *testing.T) {
	before, _ := filepath.Glob(filepath.Join(os.TempDir(), "campusnews-import-*"))
	s := newTestSite(t)
	s.run(readExport(t))
	after, _ := filepath.Glob(filepath.Join(os.TempDir(), "campusnews-import-*"))
	if len(after) > len(before) {
		t.Errorf("temporary files left: %v", after)
	}
}

// A post renamed in WordPress answered at its earlier permalinks too (_wp_old_slug): so does
// its article.
func TestOldSlugsRedirect(t *testing.T) {
	s := newTestSite(t)
	meta := `<wp:postmeta><wp:meta_key><![CDATA[_wp_old_slug]]></wp:meta_key><wp:meta_value><![CDATA[new-laser-lab]]></wp:meta_value></wp:postmeta>`
	data := bytes.Replace(readExport(t), []byte("<wp:post_id>4</wp:post_id>"), []byte("<wp:post_id>4</wp:post_id>"+meta), 1)
	s.run(data)
	a, err := s.news.Redirect(context.Background(), "/2019/02/new-laser-lab/")
	if err != nil || a.ID != s.article(4).ID {
		t.Errorf("earlier slug: %+v %v", a, err)
	}
}
