package web

import (
	"context"
	"encoding/xml"
	"fmt"
	"image"
	_ "image/jpeg" // the demo photos' format, for image.DecodeConfig
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	nethtml "golang.org/x/net/html"
	"gorm.io/gorm"

	"campusnews/internal/demo"
	"campusnews/internal/news"
)

// newPhotoEnv is a test server holding the demo site with its photographs, the page cache
// kept for ttl.
func newPhotoEnv(t *testing.T, ttl time.Duration) *testEnv {
	t.Helper()
	env := newTestEnvTTL(t, ttl)
	if _, err := demo.LoadWithPhotos(context.Background(), env.news, env.media); err != nil {
		t.Fatal(err)
	}
	return env
}

// shownStory is a story as a page shows it: where it leads, the class of its box, and its
// photo's attributes (nil: shown without a photo).
type shownStory struct {
	Href  string
	Class string
	Photo map[string]string
}

// ID is the article id of the story's address.
func (s shownStory) ID(t *testing.T) int64 {
	t.Helper()
	m := articlePath.FindStringSubmatch(s.Href)
	if m == nil {
		t.Fatalf("%s is not an article's address", s.Href)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

var articlePath = regexp.MustCompile(`^/[a-z0-9-]+/[a-z0-9-]+/(\d+)/[a-z0-9-]+$`)

// storiesOf returns the stories of the page in order: every card, search result and lead
// story, with the link of its title and its photo.
func storiesOf(t *testing.T, body string) []shownStory {
	t.Helper()
	doc, err := nethtml.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var out []shownStory
	var walk func(n *nethtml.Node)
	walk = func(n *nethtml.Node) {
		class, _ := htmlAttr(n, "class")
		if n.Type == nethtml.ElementNode && hasClass(class, "card", "result", "lead-story") {
			st := shownStory{Class: class}
			var inner func(*nethtml.Node)
			inner = func(c *nethtml.Node) {
				cl, _ := htmlAttr(c, "class")
				if c.Type == nethtml.ElementNode && c.Data == "a" && st.Href == "" && hasClass(parentClass(c), "card-title", "lead-title") {
					st.Href, _ = htmlAttr(c, "href")
				}
				if c.Type == nethtml.ElementNode && c.Data == "img" && hasClass(cl, "photo") {
					st.Photo = map[string]string{}
					for _, a := range c.Attr {
						st.Photo[a.Key] = a.Val
					}
				}
				for k := c.FirstChild; k != nil; k = k.NextSibling {
					inner(k)
				}
			}
			inner(n)
			out = append(out, st)
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func parentClass(n *nethtml.Node) string {
	if n.Parent == nil {
		return ""
	}
	c, _ := htmlAttr(n.Parent, "class")
	return c
}

func hasClass(class string, names ...string) bool {
	for _, c := range strings.Fields(class) {
		for _, n := range names {
			if c == n {
				return true
			}
		}
	}
	return false
}

// withCover is the set of published articles that have a cover image.
func withCover(t *testing.T, env *testEnv) map[int64]bool {
	t.Helper()
	var ids []int64
	if err := env.db.Raw("SELECT id FROM articles WHERE cover_media_id IS NOT NULL").Scan(&ids).Error; err != nil {
		t.Fatal(err)
	}
	out := map[int64]bool{}
	for _, id := range ids {
		out[id] = true
	}
	return out
}

// checkPhoto fails the test unless the img attributes are those of a responsive, described
// photo that keeps its place while it loads.
func checkPhoto(t *testing.T, where string, p map[string]string) {
	t.Helper()
	if !strings.HasPrefix(p["src"], "/media/") || !strings.Contains(p["srcset"], " 480w, ") ||
		!strings.Contains(p["srcset"], " 960w, ") || !strings.HasSuffix(p["srcset"], " 1600w") || p["sizes"] == "" {
		t.Errorf("%s: photo without responsive sources: %v", where, p)
	}
	if w, _ := strconv.Atoi(p["width"]); w != 1600 {
		t.Errorf("%s: photo width %q, want the picture's 1600", where, p["width"])
	}
	if h, _ := strconv.Atoi(p["height"]); h != 1067 {
		t.Errorf("%s: photo height %q, want the picture's 1067", where, p["height"])
	}
	if p["alt"] == "" || p["decoding"] != "async" || (p["loading"] != "lazy" && p["loading"] != "eager") {
		t.Errorf("%s: photo alt %q, decoding %q, loading %q", where, p["alt"], p["decoding"], p["loading"])
	}
}

// Every kind of list shows the cover of each story that has one, as a responsive photo with
// its size and alt text, and the others as text-only cards; photos past the first screen
// load lazily.
func TestStoryListsShowPhotos(t *testing.T) {
	env := newPhotoEnv(t, 10*time.Second)
	covered := withCover(t, env)
	cl := env.client()
	var coastal string
	if err := env.db.Raw("SELECT '/news-events/news/' || id || '/' || slug FROM articles WHERE title = ?",
		"Northbridge Opens New Centre for Coastal Engineering").Scan(&coastal).Error; err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path string
		eager      int // how many photos at the top load at once; -1: the home page's rule
	}{
		{"home", "/", -1},
		{"section", "/news-events", eagerCards},
		{"category", "/news-events/news", eagerCards},
		{"tag", "/tags/research", eagerCards},
		{"archive year", "/archive/2025", eagerCards},
		{"archive month", "/archive/2024/11", eagerCards},
		{"search", "/search?q=coastal", eagerCards},
		{"related news", coastal, 0},
	}
	for _, c := range cases {
		resp, body := cl.get(c.path)
		mustStatus(t, resp, body, http.StatusOK)
		stories := storiesOf(t, body)
		firstScreen := 0 // on the home page, the stories before the section blocks
		switch c.name {
		case "related news":
			stories = storiesOf(t, body[strings.Index(body, `<section class="related"`):])
		case "home":
			firstScreen = len(storiesOf(t, body[:strings.Index(body, `class="home-sections"`)]))
		}
		photos := 0
		for i, s := range stories {
			where := fmt.Sprintf("%s, story %d (%s)", c.name, i+1, s.Href)
			if covered[s.ID(t)] != (s.Photo != nil) {
				t.Errorf("%s: has a cover: %v, shown with a photo: %v", where, covered[s.ID(t)], s.Photo != nil)
			}
			if hasClass(s.Class, "has-photo") != (s.Photo != nil) || hasClass(s.Class, "no-photo") == (s.Photo != nil) {
				t.Errorf("%s: class %q does not say whether it has a photo", where, s.Class)
			}
			if s.Photo == nil {
				continue
			}
			photos++
			checkPhoto(t, where, s.Photo)
			// Stories without a photo are a few lines: it is the photos that fill the first
			// screen, so the first few photos load at once wherever their stories stand.
			switch {
			case c.eager < 0: // home: the lead and the headlines beside it at once, sections lazily
				if (i >= firstScreen) != (s.Photo["loading"] == "lazy") {
					t.Errorf("%s: loading=%q", where, s.Photo["loading"])
				}
				if hasClass(s.Class, "lead-story") != (s.Photo["fetchpriority"] == "high") {
					t.Errorf("%s: fetchpriority=%q", where, s.Photo["fetchpriority"])
				}
			case (photos > c.eager) != (s.Photo["loading"] == "lazy"):
				t.Errorf("%s: loading=%q, want the first %d photos eager and the rest lazy", where, s.Photo["loading"], c.eager)
			}
		}
		if photos == 0 {
			t.Errorf("%s (%s): no story shows a photo", c.name, c.path)
		}
	}
}

// No story is on the home page twice: not the lead among the headlines or the sections, not
// a pinned notice among the stories. Today's demo site pins the notice about visitor parking
// and features the newest story of its section.
func TestHomeNeverRepeatsAStory(t *testing.T) {
	env := newDemoEnv(t)
	_, body := env.client().get("/")
	main := body[strings.Index(body, "<main"):strings.Index(body, "</main>")]
	seen := map[string]int{}
	for _, m := range regexp.MustCompile(`href="(/[a-z0-9-]+/[a-z0-9-]+/\d+/[a-z0-9-]+)"`).FindAllStringSubmatch(main, -1) {
		seen[m[1]]++
	}
	if len(seen) < 15 {
		t.Fatalf("the home page links %d stories, want a full front page", len(seen))
	}
	for href, n := range seen {
		if n > 1 {
			t.Errorf("the home page links %s %d times", href, n)
		}
	}
	if n := strings.Count(main, ">New Visitor Parking Arrangements on North Campus<"); n != 1 {
		t.Errorf("the pinned notice is on the home page %d times, want once (in the notices)", n)
	}
	// The section blocks stay full although the headlines came from them.
	stories := storiesOf(t, main[strings.Index(main, `class="home-sections"`):])
	if len(stories) != 5*homePerSection {
		t.Errorf("the section blocks hold %d stories, want %d in each of the 5 sections", len(stories), homePerSection)
	}
}

// Notices are a compact block of their own, before the other headlines and the sections (near
// the top on a phone), with titles, dates and a link to all of them, but no expiry dates.
func TestHomeNotices(t *testing.T) {
	env := newDemoEnv(t)
	_, body := env.client().get("/")
	start := strings.Index(body, `<section class="notices"`)
	if start < 0 {
		t.Fatal("the home page has no notices block")
	}
	block := body[start : start+strings.Index(body[start:], "</section>")]
	if strings.Index(body, `class="top-stories"`) < start || strings.Index(body, `class="home-sections"`) < start ||
		strings.Index(body, `class="lead-story`) > start {
		t.Error("the notices are not between the lead story and the other headlines")
	}
	items := regexp.MustCompile(`<li><a href="/news-events/notices/\d+/[a-z0-9-]+">[^<]+</a> <time datetime="[^"]+">[^<]+</time></li>`).FindAllString(block, -1)
	if len(items) != 3 {
		t.Errorf("the notices block lists %d notices as title and date, want the 3 current ones:\n%s", len(items), block)
	}
	if strings.Contains(block, "Until") || strings.Contains(block, "2030") {
		t.Errorf("the notices block shows when notices expire:\n%s", block)
	}
	if !strings.Contains(block, `<a href="/news-events/notices">All notices ›</a>`) {
		t.Errorf("the notices block has no link to all notices:\n%s", block)
	}
}

// Atom entries carry their cover as an enclosure: the absolute address of the image, its type
// and its size in bytes, which is what the server sends.
func TestFeedEnclosures(t *testing.T) {
	env := newPhotoEnv(t, 10*time.Second)
	cl := env.client()
	_, body := cl.get("/feed.atom")
	var feed struct {
		Entries []struct {
			Title string `xml:"title"`
			Links []struct {
				Rel    string `xml:"rel,attr"`
				Type   string `xml:"type,attr"`
				Href   string `xml:"href,attr"`
				Length string `xml:"length,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(body), &feed); err != nil {
		t.Fatal(err)
	}
	var with, without int
	for _, e := range feed.Entries {
		var enc int
		for _, l := range e.Links {
			if l.Rel != "enclosure" {
				continue
			}
			enc++
			if l.Type != "image/jpeg" || !strings.HasPrefix(l.Href, "http://") {
				t.Errorf("%q: enclosure %+v", e.Title, l)
				continue
			}
			resp, img := cl.get(strings.TrimPrefix(l.Href, env.srv.cfg.BaseURL))
			if resp.StatusCode != 200 || strconv.Itoa(len(img)) != l.Length || resp.Header.Get("Content-Type") != l.Type {
				t.Errorf("%q: enclosure of %s bytes, %s; the server sends %d bytes of %s (status %d)", e.Title,
					l.Length, l.Type, len(img), resp.Header.Get("Content-Type"), resp.StatusCode)
			}
		}
		switch enc {
		case 0:
			without++
		case 1:
			with++
		default:
			t.Errorf("%q has %d enclosures", e.Title, enc)
		}
	}
	if with == 0 || without == 0 {
		t.Errorf("%d entries with an enclosure, %d without; want both kinds (notices have no photo)", with, without)
	}
}

var metaTag = regexp.MustCompile(`<meta (?:property|name)="([^"]+)" content="([^"]*)">`)

// metas are the page's meta tags by property or name.
func metas(body string) map[string]string {
	out := map[string]string{}
	for _, m := range metaTag.FindAllStringSubmatch(body, -1) {
		out[m[1]] = m[2]
	}
	return out
}

// Link previews: an article with a cover, and the home page with its lead's photo, name the
// image with its real size and its alt text; an article without one names none.
func TestShareImages(t *testing.T) {
	env := newPhotoEnv(t, 10*time.Second)
	cl := env.client()
	url := func(title string) string {
		var path string
		if err := env.db.Raw(`SELECT '/' || s.slug || '/' || c.slug || '/' || a.id || '/' || a.slug FROM articles a
			JOIN categories c ON c.id = a.category_id JOIN categories s ON s.id = c.parent_id WHERE a.title = ?`, title).Scan(&path).Error; err != nil {
			t.Fatal(err)
		}
		return path
	}
	for _, c := range []struct{ path, alt string }{
		{url("Northbridge Opens New Centre for Coastal Engineering"), "Black-and-white view up a modern building"},
		// The home page's lead: the pinned Open Day is over, so the featured centre leads.
		{"/", "Black-and-white view up a modern building"},
	} {
		_, body := cl.get(c.path)
		m := metas(body)
		img := m["og:image"]
		if !strings.HasPrefix(img, env.srv.cfg.BaseURL+"/media/") || m["twitter:card"] != "summary_large_image" {
			t.Errorf("%s: og:image %q, twitter:card %q", c.path, img, m["twitter:card"])
			continue
		}
		resp, data := cl.get(strings.TrimPrefix(img, env.srv.cfg.BaseURL))
		cfg, _, err := image.DecodeConfig(strings.NewReader(data))
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: share image %s: %d %v", c.path, img, resp.StatusCode, err)
		}
		if m["og:image:width"] != strconv.Itoa(cfg.Width) || m["og:image:height"] != strconv.Itoa(cfg.Height) || cfg.Width < 1200 {
			t.Errorf("%s: og:image %s×%s, the image is %d×%d (want at least 1200 wide)", c.path,
				m["og:image:width"], m["og:image:height"], cfg.Width, cfg.Height)
		}
		if !strings.HasPrefix(m["og:image:alt"], c.alt) || m["twitter:image:alt"] != m["og:image:alt"] {
			t.Errorf("%s: og:image:alt %q, twitter:image:alt %q, want the photo's alt text", c.path, m["og:image:alt"], m["twitter:image:alt"])
		}
	}
	_, body := cl.get(url("Five Things to Know Before You Apply for a Foundation Year"))
	if m := metas(body); m["og:image"] != "" || m["twitter:card"] != "summary" {
		t.Errorf("an article without a cover names og:image %q, twitter:card %q", m["og:image"], m["twitter:card"])
	}

	// A decorative photo is shown with an empty alt, in lists and previews alike.
	coastal := url("Northbridge Opens New Centre for Coastal Engineering")
	env.exec(`UPDATE media SET decorative = ? WHERE id = (SELECT cover_media_id FROM articles WHERE title = ?)`,
		true, "Northbridge Opens New Centre for Coastal Engineering")
	_, body = cl.get(coastal)
	if m := metas(body); m["og:image"] == "" || m["og:image:alt"] != "" || m["twitter:image:alt"] != "" {
		t.Errorf("a decorative cover: og:image %q with alt %q / %q, want the image without an alt", m["og:image"],
			m["og:image:alt"], m["twitter:image:alt"])
	}
	_, body = cl.get("/news-events/news")
	for _, s := range storiesOf(t, body) {
		if s.Href == coastal && (s.Photo == nil || s.Photo["alt"] != "") {
			t.Errorf("the decorative cover's card: photo %v, want an empty alt", s.Photo)
		}
	}
}

// queryLog records the SQL of every read through db.
type queryLog struct {
	mu  sync.Mutex
	sql []string
}

func logQueries(t *testing.T, db *gorm.DB) *queryLog {
	t.Helper()
	l := &queryLog{}
	rec := func(tx *gorm.DB) {
		l.mu.Lock()
		l.sql = append(l.sql, tx.Statement.SQL.String())
		l.mu.Unlock()
	}
	if err := db.Callback().Query().After("gorm:query").Register("test:log", rec); err != nil {
		t.Fatal(err)
	}
	if err := db.Callback().Row().After("gorm:row").Register("test:log", rec); err != nil {
		t.Fatal(err)
	}
	return l
}

// during returns the reads made while fn ran.
func (l *queryLog) during(fn func()) []string {
	l.mu.Lock()
	l.sql = nil
	l.mu.Unlock()
	fn()
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.sql
}

// A page's photos cost one read of the media library, however many stories it shows.
func TestPhotosCostOneQuery(t *testing.T) {
	env := newPhotoEnv(t, 0) // no page cache: every request renders
	log := logQueries(t, env.db)
	cl := env.client()
	for _, path := range []string{"/", "/news-events", "/news-events/news", "/tags/research", "/archive/2025",
		"/search?q=coastal", "/feed.atom"} {
		cl.get(path) // the tree, settings and listing counts are read once per content version
		var body string
		reads := log.during(func() { _, body = cl.get(path) })
		media := 0
		for _, q := range reads {
			if strings.Contains(q, "FROM media") || strings.Contains(q, "FROM `media`") {
				media++
			}
		}
		if media != 1 {
			t.Errorf("%s: %d reads of the media library, want 1:\n%s", path, media, strings.Join(reads, "\n"))
		}
		t.Logf("%s: %d queries, %d stories", path, len(reads), len(storiesOf(t, body)))
	}
}

// The home page costs a few queries however many sections the site has: its stories are read
// together, not a query or two per section block.
func TestHomeQueriesDoNotGrowWithSections(t *testing.T) {
	env := newPhotoEnv(t, 0) // no page cache: every request renders
	log := logQueries(t, env.db)
	cl := env.client()
	count := func() []string {
		cl.get("/") // the tree, settings and popular topics are read once per content version
		return log.during(func() {
			resp, body := cl.get("/")
			mustStatus(t, resp, body, http.StatusOK)
		})
	}
	before := count()
	ctx := context.Background()
	editor := news.Actor{CanPublish: true, CanEditAny: true, Via: "test"}
	for i := 1; i <= 4; i++ {
		sec, err := env.news.CreateCategory(ctx, editor, news.CategoryInput{Name: fmt.Sprintf("Faculty %d", i),
			Slug: fmt.Sprintf("faculty-%d", i), Visible: true})
		if err != nil {
			t.Fatal(err)
		}
		cat, err := env.news.CreateCategory(ctx, editor, news.CategoryInput{Name: "Stories", Slug: "stories",
			ParentID: &sec.ID, Visible: true})
		if err != nil {
			t.Fatal(err)
		}
		art, err := env.news.Create(ctx, editor, news.ArticleInput{Title: fmt.Sprintf("Faculty %d opens its doors", i),
			BodySource: "Come and see.", CategoryID: cat.ID})
		if err != nil {
			t.Fatal(err)
		}
		if err := env.news.Publish(ctx, editor, art.ID); err != nil {
			t.Fatal(err)
		}
	}
	after := count()
	if len(after) != len(before) || len(after) > 6 {
		t.Errorf("the home page took %d queries, and %d with four more sections; want the same few:\n%s",
			len(before), len(after), strings.Join(after, "\n"))
	}
}

// The related stories' cards are rendered once per content version and kept: two articles
// with the same related stories show the same cards, and a change to one of those stories
// shows on the next view.
func TestRelatedCardsFollowChanges(t *testing.T) {
	env := newPhotoEnv(t, 0) // no page cache: every view renders
	cl := env.client()
	var coastal string
	if err := env.db.Raw("SELECT '/news-events/news/' || id || '/' || slug FROM articles WHERE title = ?",
		"Northbridge Opens New Centre for Coastal Engineering").Scan(&coastal).Error; err != nil {
		t.Fatal(err)
	}
	related := func() (string, []shownStory) {
		t.Helper()
		resp, body := cl.get(coastal)
		mustStatus(t, resp, body, http.StatusOK)
		i := strings.Index(body, `<section class="related"`)
		if i < 0 {
			t.Fatal("no related stories on the article page")
		}
		section := body[i:]
		section = section[:strings.Index(section, "</section>")]
		return section, storiesOf(t, section)
	}
	first, stories := related()
	again, _ := related()
	if first != again || len(stories) == 0 {
		t.Fatalf("related stories differ between two views, or there are none (%d)", len(stories))
	}
	if len(env.srv.relatedCards.m) == 0 {
		t.Error("the related cards were not kept")
	}
	gone := stories[0]
	ctx := context.Background()
	editor := news.Actor{CanPublish: true, CanEditAny: true, Via: "test"}
	if err := env.news.Unpublish(ctx, editor, gone.ID(t)); err != nil {
		t.Fatal(err)
	}
	if _, after := related(); slices.ContainsFunc(after, func(s shownStory) bool { return s.Href == gone.Href }) {
		t.Errorf("%s still among the related stories after it was unpublished", gone.Href)
	}
}

// A related story in a hidden category is left out, and the others keep their places.
func TestRelatedCardsSkipHiddenCategories(t *testing.T) {
	env := newTestEnv(t)
	ctx := context.Background()
	editor := news.Actor{CanPublish: true, CanEditAny: true, Via: "test"}
	sec, err := env.news.CreateCategory(ctx, editor, news.CategoryInput{Name: "Campus", Slug: "campus", Visible: true})
	if err != nil {
		t.Fatal(err)
	}
	shown, err := env.news.CreateCategory(ctx, editor, news.CategoryInput{Name: "News", Slug: "news", ParentID: &sec.ID, Visible: true})
	if err != nil {
		t.Fatal(err)
	}
	hidden, err := env.news.CreateCategory(ctx, editor, news.CategoryInput{Name: "Internal", Slug: "internal", ParentID: &sec.ID})
	if err != nil {
		t.Fatal(err)
	}
	publish := func(cat int64, title string) *news.Article {
		t.Helper()
		a, err := env.news.Create(ctx, editor, news.ArticleInput{Title: title, BodySource: "Text.", CategoryID: cat,
			Tags: []string{"Rowing"}})
		if err != nil {
			t.Fatal(err)
		}
		if err := env.news.Publish(ctx, editor, a.ID); err != nil {
			t.Fatal(err)
		}
		return a
	}
	subject := publish(shown.ID, "Regatta results")
	publish(shown.ID, "Boathouse reopens")
	publish(hidden.ID, "Internal rowing memo")
	publish(shown.ID, "New coach")
	cl := env.client()
	for range 2 { // rendered, then from the kept cards
		resp, body := cl.get(fmt.Sprintf("/campus/news/%d/%s", subject.ID, subject.Slug))
		mustStatus(t, resp, body, http.StatusOK)
		i := strings.Index(body, `<section class="related"`)
		if i < 0 {
			t.Fatal("no related stories")
		}
		section := body[i : i+strings.Index(body[i:], "</section>")]
		if strings.Contains(section, "Internal rowing memo") || !strings.Contains(section, "Boathouse reopens") ||
			!strings.Contains(section, "New coach") {
			t.Errorf("related stories:\n%s", section)
		}
	}
}
