package demo

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"gorm.io/gorm"

	"campusnews/internal/changes"
	"campusnews/internal/media"
	"campusnews/internal/news"
)

// photoStore is a media library on db in the test's temporary directory, with its directory.
func photoStore(t *testing.T, db *gorm.DB, svc *news.Service) (*media.Store, string) {
	t.Helper()
	w, err := changes.NewWatcher(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "media")
	return media.NewStore(db, dir, 0, w, svc), dir
}

func TestLoadWithPhotos(t *testing.T) {
	db := openDB(t)
	svc := service(t, db)
	store, dir := photoStore(t, db, svc)
	ctx := context.Background()
	st, err := LoadWithPhotos(ctx, svc, store)
	if err != nil {
		t.Fatal(err)
	}
	if st.Photos != len(demoPhotos) || st.Articles != loaded {
		t.Errorf("Stats = %+v, want %d photos and %d articles", st, len(demoPhotos), loaded)
	}
	for _, p := range demoPhotos {
		var row struct {
			CoverMediaID *int64
			Photographer string
		}
		if err := db.Raw("SELECT cover_media_id, photographer FROM articles WHERE title = ?", p.ArticleTitle).Scan(&row).Error; err != nil {
			t.Fatal(err)
		}
		if row.CoverMediaID == nil {
			t.Errorf("%q has no cover", p.ArticleTitle)
			continue
		}
		if row.Photographer != "" {
			t.Errorf("%q keeps the photographer %q beside its photo's credit", p.ArticleTitle, row.Photographer)
		}
		m, err := store.Get(ctx, *row.CoverMediaID)
		if err != nil {
			t.Fatalf("cover of %q: %v", p.ArticleTitle, err)
		}
		if m.Alt != p.Alt || m.Caption != p.Caption || m.Credit != p.Credit || m.Decorative {
			t.Errorf("cover of %q is described %q / %q / %q, want %q / %q / %q", p.ArticleTitle,
				m.Alt, m.Caption, m.Credit, p.Alt, p.Caption, p.Credit)
		}
		if m.Width != 1600 || m.Height != 1067 || len(m.VariantList()) != 2 {
			t.Errorf("cover of %q: %d×%d with %d variants, want 1600×1067 with 480 and 960", p.ArticleTitle,
				m.Width, m.Height, len(m.VariantList()))
		}
		for _, name := range append([]string{m.Path}, variantNames(m)...) {
			if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
				t.Errorf("cover of %q: %v", p.ArticleTitle, err)
			}
		}
	}
	// Articles without a photo keep their credits.
	if n := count(t, db, "SELECT COUNT(*) FROM articles WHERE cover_media_id IS NULL AND photographer <> ''"); n == 0 {
		t.Error("no article without a photo kept its photographer")
	}
	if n := count(t, db, "SELECT COUNT(*) FROM media"); n != int64(len(demoPhotos)) {
		t.Errorf("%d images in the library, want %d", n, len(demoPhotos))
	}

	// The reference article keeps its text, word for word.
	_, body := refDocument(t)
	var ref struct {
		BodySource   string
		CoverMediaID *int64
	}
	if err := db.Raw(`SELECT b.source AS body_source, a.cover_media_id FROM articles a JOIN article_bodies b ON b.article_id = a.id
		WHERE a.title = ?`, refTitle).Scan(&ref).Error; err != nil {
		t.Fatal(err)
	}
	if ref.BodySource != body || ref.CoverMediaID == nil {
		t.Errorf("reference article: body kept %v, cover %v", ref.BodySource == body, ref.CoverMediaID)
	}

	// Loaded once only, and a second try stores no photo (seed --if-empty).
	if _, err := LoadWithPhotos(ctx, svc, store); !errors.Is(err, ErrNotEmpty) {
		t.Errorf("second LoadWithPhotos: %v, want ErrNotEmpty", err)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM media"); n != int64(len(demoPhotos)) {
		t.Errorf("%d images after the second load, want %d", n, len(demoPhotos))
	}
}

// A load that fails after its photos are stored takes them out of the library again.
func TestRemovePhotos(t *testing.T) {
	db := openDB(t)
	svc := service(t, db)
	store, dir := photoStore(t, db, svc)
	ctx := context.Background()
	covers, err := storePhotos(ctx, store)
	if err != nil {
		t.Fatal(err)
	}
	if len(covers) != len(demoPhotos) {
		t.Fatalf("stored %d photos, want %d", len(covers), len(demoPhotos))
	}
	if err := removePhotos(ctx, store, covers); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM media"); n != 0 {
		t.Errorf("%d images left in the library", n)
	}
	left, err := filepath.Glob(filepath.Join(dir, "*.jpg"))
	if err != nil || len(left) != 0 {
		t.Errorf("files left: %v %v", left, err)
	}
}

func variantNames(m *media.Media) []string {
	var out []string
	for _, v := range m.VariantList() {
		out = append(out, v.Name)
	}
	return out
}
