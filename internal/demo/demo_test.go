package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"campusnews/internal/changes"
	"campusnews/internal/database"
	"campusnews/internal/database/dbtest"
	"campusnews/internal/database/pgtest"
	"campusnews/internal/markup"
	"campusnews/internal/news"
	"campusnews/internal/search"
)

// The tests run on the engine dbtest.Engine names; PostgreSQL's cluster stops when they end.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// loaded is how many articles Load stores: the demo's own, the reference article and the
// events dated from the day of loading.
const loaded = 46

const (
	refFile   = "dut-xinjiang-alumni-visit.md"
	refTitle  = "Wang Hansong,secretary of the Party Committee of DUT Visited Alumni and Aid Cadres in Xinjiang."
	refSource = "Dalian University of Technology (DUT)"
)

// openDB returns a fresh migrated SQLite database in the test's temporary directory.
func openDB(t testing.TB) *gorm.DB {
	t.Helper()
	db := dbtest.Open(t, dbtest.Engine())
	return db
}

// service returns a news service on db.
func service(t testing.TB, db *gorm.DB) *news.Service {
	t.Helper()
	w, err := changes.NewWatcher(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return news.NewService(db, w)
}

func mustLoad(t testing.TB, db *gorm.DB) Stats {
	t.Helper()
	st, err := Load(context.Background(), service(t, db))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return st
}

func count(t testing.TB, db *gorm.DB, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.Raw(query, args...).Scan(&n).Error; err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestLoadSectionsAndCategories(t *testing.T) {
	db := openDB(t)
	st := mustLoad(t, db)
	if want := (Stats{Sections: 5, Categories: 13, Articles: loaded, Tags: 15}); st != want {
		t.Errorf("Stats = %+v, want %+v", st, want)
	}
	want := map[string][]string{
		"news-events": {"news", "events", "notices"},
		"research":    {"research-news", "awards-grants"},
		"campus-life": {"students", "alumni", "sports"},
		"admissions":  {"undergraduate", "graduate", "international"},
		"about":       {"leadership", "media-relations"},
	}
	var cats []news.Category
	if err := db.Order("position").Find(&cats).Error; err != nil {
		t.Fatal(err)
	}
	byID := map[int64]news.Category{}
	for _, c := range cats {
		byID[c.ID] = c
	}
	got := map[string][]string{}
	for _, c := range cats {
		if c.Description == "" || c.Position < 0 || !c.Visible {
			t.Errorf("category %s: description %q, position %d, visible %v", c.Slug, c.Description, c.Position, c.Visible)
		}
		if c.ParentID == nil {
			if _, ok := got[c.Slug]; !ok {
				got[c.Slug] = []string{}
			}
			continue
		}
		parent := byID[*c.ParentID]
		got[parent.Slug] = append(got[parent.Slug], c.Slug)
	}
	if len(got) != len(want) {
		t.Errorf("sections = %v, want %v", got, want)
	}
	for sec, children := range want {
		if strings.Join(got[sec], ",") != strings.Join(children, ",") {
			t.Errorf("section %s: categories %v, want %v (by position)", sec, got[sec], children)
		}
	}
	var newsEvents news.Category
	if err := db.Where("slug = ? AND parent_id IS NULL", "news-events").Take(&newsEvents).Error; err != nil {
		t.Fatal(err)
	}
	if newsEvents.Name != "News & Events" {
		t.Errorf("section name %q, want News & Events", newsEvents.Name)
	}
}

// searchTable is the search index's table on db's engine, searchKey its article id.
func searchTable(db *gorm.DB) string {
	if database.Engine(db) == database.Postgres {
		return "search_docs"
	}
	return "articles_fts"
}

func searchKey(db *gorm.DB) string {
	if database.Engine(db) == database.Postgres {
		return "article_id"
	}
	return "rowid"
}

// mentionsDate is the condition that the text col holds a date such as "3 May 2026".
func mentionsDate(db *gorm.DB, col string) string {
	if database.Engine(db) == database.Postgres {
		return col + " ~ '[0-9] [JFMASOND][a-z].* 20[0-9][0-9]'"
	}
	return col + " GLOB '*[0-9] [JFMASOND][a-z]* 20[0-9][0-9]*'"
}

func TestLoadArticles(t *testing.T) {
	db := openDB(t)
	mustLoad(t, db)
	checks := []struct {
		what  string
		query string
		want  int64
	}{
		{"articles", "SELECT COUNT(*) FROM articles", loaded},
		{"pinned", "SELECT COUNT(*) FROM articles WHERE pinned", 2},
		{"featured", "SELECT COUNT(*) FROM articles WHERE featured", 3},
		{"drafts", "SELECT COUNT(*) FROM articles WHERE status = 'draft' AND published_at IS NULL", 2},
		{"in review", "SELECT COUNT(*) FROM articles WHERE status = 'review' AND published_at IS NULL", 1},
		{"expired notices", `SELECT COUNT(*) FROM articles a JOIN categories c ON c.id = a.category_id
			WHERE c.slug = 'notices' AND a.status = 'expired' AND a.expires_at < '2026-01-01'`, 1},
		{"current notices", `SELECT COUNT(*) FROM articles a JOIN categories c ON c.id = a.category_id
			WHERE c.slug = 'notices' AND a.status = 'published' AND a.expires_at >= '2030-01-01' AND a.expires_at < '2031-01-01'`, 3},
		{"published before 2018", `SELECT COUNT(*) FROM articles WHERE published_at < '2018-01-01'`, 0},
		{"published without views", "SELECT COUNT(*) FROM articles WHERE status = 'published' AND views <= 0", 0},
		{"indexed", "SELECT COUNT(*) FROM " + searchTable(db), loaded - 4},
		{"indexed but not published", `SELECT COUNT(*) FROM ` + searchTable(db) + ` f JOIN articles a ON a.id = f.` + searchKey(db) + `
			WHERE a.status != 'published'`, 0},
		{"events mentioning a date", `SELECT COUNT(*) FROM articles a JOIN categories c ON c.id = a.category_id
			JOIN article_bodies b ON b.article_id = a.id
			WHERE c.slug = 'events' AND ` + mentionsDate(db, "b.source"), 4},
	}
	for _, c := range checks {
		if got := count(t, db, c.query); got != c.want {
			t.Errorf("%s: %d, want %d", c.what, got, c.want)
		}
	}
	if got := count(t, db, "SELECT COUNT(*) FROM articles WHERE published_at > ?", time.Now().UTC()); got != 0 {
		t.Errorf("published in the future: %d", got)
	}
	if got := count(t, db, "SELECT COUNT(DISTINCT source) FROM articles"); got < 10 {
		t.Errorf("only %d distinct sources", got)
	}
	if got := count(t, db, "SELECT COUNT(*) FROM articles WHERE photographer = ''"); got < 5 || got > 20 {
		t.Errorf("%d articles without photographer, want some but not most", got)
	}

	svc := service(t, db)
	var ids []int64
	if err := db.Raw("SELECT id FROM articles ORDER BY id").Scan(&ids).Error; err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		a, err := svc.Article(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if !news.ValidSlug(a.Slug) {
			t.Errorf("%q: slug %q not valid", a.Title, a.Slug)
		}
		if n := len(a.Tags); n < 1 || n > 3 {
			t.Errorf("%q: %d tags", a.Title, n)
		}
		if a.BodyHTML != markup.Render(a.BodySource) {
			t.Errorf("%q: body_html is not markup.Render(body_source)", a.Title)
		}
		if a.Summary == "" || a.Source == "" || a.CreatedAt.IsZero() || a.UpdatedAt.IsZero() {
			t.Errorf("%q: summary %q, source %q, created %v, updated %v", a.Title, a.Summary, a.Source, a.CreatedAt, a.UpdatedAt)
		}
		if a.Source != refSource && (a.Author == "" || a.Editor == "") {
			t.Errorf("%q: author %q, editor %q", a.Title, a.Author, a.Editor)
		}
		if paras := strings.Count(a.BodySource, "\n\n") + 1; paras < 2 {
			t.Errorf("%q: %d paragraphs", a.Title, paras)
		}
	}
	for _, want := range []string{"<h2>", "<ul>", "<ol>", "<a href=\"/admissions/"} {
		if got := count(t, db, "SELECT COUNT(*) FROM article_bodies WHERE html LIKE ? ESCAPE '\\'", "%"+database.EscapeLike(want)+"%"); got == 0 {
			t.Errorf("no article body has %s", want)
		}
	}
}

// refDocument reads the embedded reference article.
func refDocument(t *testing.T) (map[string]string, string) {
	t.Helper()
	raw, err := content.ReadFile("content/" + refFile)
	if err != nil {
		t.Fatal(err)
	}
	meta, body, err := parseDocument(string(raw))
	if err != nil {
		t.Fatal(err)
	}
	return meta, body
}

var tags = regexp.MustCompile(`<[^>]*>`)

func TestLoadReferenceArticle(t *testing.T) {
	db := openDB(t)
	mustLoad(t, db)
	meta, body := refDocument(t)
	if meta["title"] != refTitle {
		t.Fatalf("front matter title %q, want %q", meta["title"], refTitle)
	}

	var id int64
	if err := db.Raw("SELECT id FROM articles WHERE title = ?", refTitle).Scan(&id).Error; err != nil || id == 0 {
		t.Fatalf("reference article by exact title: %v", err)
	}
	a, err := service(t, db).Article(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if a.Source != refSource {
		t.Errorf("source %q, want %q", a.Source, refSource)
	}
	if a.Status != news.Published || a.PublishedAt == nil {
		t.Fatalf("status %s, published_at %v", a.Status, a.PublishedAt)
	}
	if got := a.PublishedAt.UTC().Format(time.DateOnly); got != "2018-09-28" {
		t.Errorf("published %s, want 2018-09-28", got)
	}
	var cat, sec news.Category
	if err := db.Take(&cat, a.CategoryID).Error; err != nil {
		t.Fatal(err)
	}
	if cat.ParentID == nil {
		t.Fatalf("category %s is a section", cat.Slug)
	}
	if err := db.Take(&sec, *cat.ParentID).Error; err != nil {
		t.Fatal(err)
	}
	if cat.Name != "News" || cat.Slug != "news" || sec.Name != "News & Events" || sec.Slug != "news-events" {
		t.Errorf("placed in %s › %s (%s/%s), want News & Events › News", sec.Name, cat.Name, sec.Slug, cat.Slug)
	}
	if a.BodySource != body {
		t.Errorf("body_source differs from the file's body")
	}
	if a.Summary != markup.Excerpt(body, 200) {
		t.Errorf("summary %q, want markup.Excerpt(body, 200)", a.Summary)
	}
	text := html.UnescapeString(tags.ReplaceAllString(a.BodyHTML, ""))
	paras := strings.Split(body, "\n\n")
	if len(paras) != 4 {
		t.Errorf("file body has %d paragraphs, want 4", len(paras))
	}
	for i, p := range paras {
		if !strings.Contains(a.BodySource, p) {
			t.Errorf("paragraph %d missing from body_source", i+1)
		}
		if !strings.Contains(text, p) {
			t.Errorf("paragraph %d missing from the text of body_html", i+1)
		}
	}
	for _, quirk := range []string{"alma mater’s", "gave advices", "Xinjiang It was also", `"Talent Support to Xinjiang"`} {
		if !strings.Contains(a.BodySource, quirk) || !strings.Contains(text, quirk) {
			t.Errorf("quirk %q not kept", quirk)
		}
	}
	var slugs []string
	for _, tg := range a.Tags {
		slugs = append(slugs, tg.Slug)
	}
	if strings.Join(slugs, ",") != "alumni,community" {
		t.Errorf("tags %v, want alumni, community", slugs)
	}
	if res, err := search.Search(context.Background(), db, search.Parse("Hansong Xinjiang "), nil, 1, 10); err != nil ||
		!slices.ContainsFunc(res.Hits, func(h search.Hit) bool { return h.ID == a.ID }) {
		t.Errorf("reference article not found by search (%v)", err)
	}
}

func TestEmbeddedReferenceMatchesShared(t *testing.T) {
	shared, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "content", refFile))
	if errors.Is(err, os.ErrNotExist) {
		t.Skip("shared content not present")
	}
	if err != nil {
		t.Fatal(err)
	}
	embedded, err := content.ReadFile("content/" + refFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(embedded, shared) {
		t.Errorf("content/%s differs from /work/shared/content/%s", refFile, refFile)
	}
}

func TestLoadTwice(t *testing.T) {
	db := openDB(t)
	mustLoad(t, db)
	_, err := Load(context.Background(), service(t, db))
	if !errors.Is(err, ErrNotEmpty) || err.Error() != "demo: database already has content" {
		t.Fatalf("second Load: %v, want %v", err, ErrNotEmpty)
	}
	if got := count(t, db, "SELECT COUNT(*) FROM articles"); got != loaded {
		t.Errorf("%d articles after the second Load, want %d", got, loaded)
	}
}

func TestParseDocument(t *testing.T) {
	meta, body, err := parseDocument("---\r\ntitle: \"A, b.\"\r\nplain: x: y\r\n\r\n---\r\n\r\nOne.\r\n\r\nTwo.\r\n")
	if err != nil {
		t.Fatal(err)
	}
	if meta["title"] != "A, b." || meta["plain"] != "x: y" {
		t.Errorf("meta = %q", meta)
	}
	if body != "One.\r\n\r\nTwo." {
		t.Errorf("body = %q", body)
	}
	for _, bad := range []string{"", "no front matter\n", "---\ntitle: x\n", "---\nno colon\n---\n"} {
		if _, _, err := parseDocument(bad); err == nil {
			t.Errorf("parseDocument(%q): no error", bad)
		}
	}
}

func TestGenerate(t *testing.T) {
	db := openDB(t)
	mustLoad(t, db)
	const n = 3000
	start := time.Now()
	if err := Generate(context.Background(), service(t, db), n, io.Discard); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	t.Logf("generated %d articles in %v (%v per 10,000)", n, took.Round(time.Millisecond),
		(took * 10000 / n).Round(time.Millisecond))

	gen := fmt.Sprintf("id > %d", loaded)
	if got := count(t, db, "SELECT COUNT(*) FROM articles WHERE "+gen+" AND status = 'published' AND published_at IS NOT NULL"); got != n {
		t.Errorf("%d generated published articles, want %d", got, n)
	}
	if got := count(t, db, "SELECT COUNT(*) FROM "+searchTable(db)+" WHERE "+searchKey(db)+" > ?", loaded); got != n {
		t.Errorf("%d generated articles indexed, want %d", got, n)
	}
	if res, err := search.Search(context.Background(), db, search.Parse("research students "), nil, 1, 10); err != nil || res.Total < 50 {
		t.Errorf("'research students' matches %v documents (%v)", res, err)
	}
	inNews := count(t, db, `SELECT COUNT(*) FROM articles a JOIN categories c ON c.id = a.category_id
		JOIN categories s ON s.id = c.parent_id WHERE a.`+gen+` AND c.slug = 'news' AND s.slug = 'news-events'`)
	if inNews*10 < n*3 {
		t.Errorf("News holds %d of %d generated articles, want at least 30%%", inNews, n)
	}
	if got := count(t, db, "SELECT COUNT(DISTINCT category_id) FROM articles WHERE "+gen); got != 13 {
		t.Errorf("generated articles in %d categories, want all 13", got)
	}
	if got := count(t, db, `SELECT COUNT(*) FROM (SELECT a.id FROM articles a LEFT JOIN article_tags t ON t.article_id = a.id
		WHERE a.`+gen+` GROUP BY a.id HAVING COUNT(t.tag_id) NOT BETWEEN 1 AND 2) AS x`); got != 0 {
		t.Errorf("%d generated articles without 1 or 2 tags", got)
	}
	if got := count(t, db, "SELECT COUNT(*) FROM tags"); got != 15 {
		t.Errorf("%d tags, want the demo's 15", got)
	}
	if got := count(t, db, "SELECT COUNT(*) FROM articles WHERE "+gen+" AND published_at < ?", time.Now().AddDate(-8, 0, -1)); got != 0 {
		t.Errorf("%d generated articles older than 8 years", got)
	}

	var sample []news.Article
	err := db.Raw(`SELECT a.id, a.slug, b.source AS body_source, b.html AS body_html, b.text AS body_text
		FROM articles a JOIN article_bodies b ON b.article_id = a.id WHERE a.` + gen + ` ORDER BY a.id LIMIT 50`).Scan(&sample).Error
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range sample {
		if a.BodyHTML != markup.Render(a.BodySource) {
			t.Errorf("article %d: body_html differs from markup.Render(body_source)", a.ID)
		}
		var body string
		db.Raw("SELECT body FROM "+searchTable(db)+" WHERE "+searchKey(db)+" = ?", a.ID).Scan(&body)
		if body != markup.PlainText(a.BodySource) {
			t.Errorf("article %d: indexed body differs from markup.PlainText(body_source)", a.ID)
		}
		if words := len(strings.Fields(a.BodySource)); words < 150 || words > 400 {
			t.Errorf("article %d: %d words", a.ID, words)
		}
		if paras := strings.Count(a.BodySource, "\n\n") + 1; paras < 3 || paras > 5 {
			t.Errorf("article %d: %d paragraphs", a.ID, paras)
		}
		if !news.ValidSlug(a.Slug) {
			t.Errorf("article %d: slug %q not valid", a.ID, a.Slug)
		}
	}
}

func TestGenerateBareDatabase(t *testing.T) {
	db := openDB(t)
	var out strings.Builder
	for range 2 {
		if err := Generate(context.Background(), service(t, db), 500, &out); err != nil {
			t.Fatal(err)
		}
	}
	if got := count(t, db, "SELECT COUNT(*) FROM categories"); got != 20 {
		t.Errorf("%d categories, want the Generated section and 19 categories", got)
	}
	if got := count(t, db, "SELECT COUNT(*) FROM articles"); got != 1000 {
		t.Errorf("%d articles, want 1000", got)
	}
	if got := count(t, db, "SELECT COUNT(*) FROM "+searchTable(db)); got != 1000 {
		t.Errorf("%d indexed, want 1000", got)
	}
	if got := count(t, db, "SELECT COUNT(DISTINCT title) FROM articles"); got < 990 {
		t.Errorf("only %d distinct titles: the second run repeated the first", got)
	}
	if got := count(t, db, "SELECT COUNT(*) FROM tags"); got == 0 {
		t.Error("no tags created")
	}
	if !strings.Contains(out.String(), "seeded 250/500 articles (") || !strings.Contains(out.String(), "seeded 500 articles in ") {
		t.Errorf("progress:\n%s", out.String())
	}
}

// TestGenerateBig loads the demo and 100,000 generated articles, as the load test does. Run
// it with DEMO_BIG=1 go test -tags sqlite_fts5 -run GenerateBig -v ./internal/demo/.
func TestGenerateBig(t *testing.T) {
	if os.Getenv("DEMO_BIG") == "" {
		t.Skip("set DEMO_BIG=1 to generate 100,000 articles")
	}
	db := openDB(t)
	mustLoad(t, db)
	start := time.Now()
	if err := Generate(context.Background(), service(t, db), 100000, testWriter{t}); err != nil {
		t.Fatal(err)
	}
	t.Logf("100,000 articles in %.1f s", time.Since(start).Seconds())
	inNews := count(t, db, "SELECT COUNT(*) FROM articles a JOIN categories c ON c.id = a.category_id WHERE c.slug = 'news' AND a.id > 41")
	if inNews < 30000 {
		t.Errorf("News holds %d generated articles, want at least 30,000", inNews)
	}
	for _, q := range []string{"research students", "library", "chemistry laboratory"} {
		t.Logf("%q matches %d", q, count(t, db, "SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH ?", q))
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// BenchmarkGenerate reports the time to add 10,000 articles to a loaded demo database.
func BenchmarkGenerate(b *testing.B) {
	db := openDB(b)
	mustLoad(b, db)
	b.ResetTimer()
	for b.Loop() {
		if err := Generate(context.Background(), service(b, db), 10000, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
