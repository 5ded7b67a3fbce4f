package importer

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"gorm.io/gorm"

	"campusnews/internal/changes"
	"campusnews/internal/database/dbtest"
	"campusnews/internal/database/pgtest"
	"campusnews/internal/media"
	"campusnews/internal/news"
)

// The export of a real WordPress 6.1 site and a copy of its uploads (one file missing on
// purpose): ../wordpress/testdata/README.md says what it holds.
const (
	exportPath = "../wordpress/testdata/export.xml"
	uploadsDir = "../wordpress/testdata/uploads"
)

// The tests run on the engine dbtest.Engine names; PostgreSQL's cluster stops when they end.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// testSite is a campusnews data directory with the services an import uses.
type testSite struct {
	t        testing.TB
	dir      string
	db       *gorm.DB
	news     *news.Service
	media    *media.Store
	importer *Importer
}

func newTestSite(t testing.TB) *testSite {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db := dbtest.Open(t, dbtest.Engine())
	w, err := changes.NewWatcher(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	n := news.NewService(db, w)
	m := media.NewStore(db, filepath.Join(dir, "media"), 10<<20, w, n)
	return &testSite{t: t, dir: dir, db: db, news: n, media: m, importer: New(db, n, m)}
}

func readExport(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile(exportPath)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// options imports data with the test uploads.
func options(data []byte) WordPressOptions {
	return WordPressOptions{
		Open:    func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil },
		Size:    int64(len(data)),
		Name:    "export.xml",
		Uploads: uploadsDir,
		Who:     "test",
	}
}

// run imports data and fails the test when the import fails.
func (s *testSite) run(data []byte) *Report {
	s.t.Helper()
	rep, err := s.importer.WordPress(context.Background(), options(data))
	if err != nil {
		s.t.Fatalf("import: %v", err)
	}
	return rep
}

// count runs a COUNT query.
func (s *testSite) count(query string, args ...any) int64 {
	s.t.Helper()
	var n int64
	if err := s.db.Raw(query, args...).Scan(&n).Error; err != nil {
		s.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// mediaFiles lists the files in the media directory.
func (s *testSite) mediaFiles() []string {
	s.t.Helper()
	entries, err := os.ReadDir(filepath.Join(s.dir, "media"))
	if err != nil && !os.IsNotExist(err) {
		s.t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// article is an imported article with its body, by the WordPress post id.
func (s *testSite) article(postID int64) *news.Article {
	s.t.Helper()
	var id int64
	if err := s.db.Raw("SELECT article_id FROM article_sources WHERE key = ?", strconv.FormatInt(postID, 10)).Scan(&id).Error; err != nil || id == 0 {
		s.t.Fatalf("post %d was not imported (%v)", postID, err)
	}
	a, err := s.news.Article(context.Background(), id)
	if err != nil {
		s.t.Fatal(err)
	}
	return a
}
