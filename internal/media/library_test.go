package media

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"campusnews/internal/validate"
)

func mustSave(t *testing.T, s *Store, w, h int) *Media {
	t.Helper()
	m, err := s.Save(context.Background(), editor, bytes.NewReader(encodeJPEG(t, gradient(w, h))), "a.jpg",
		UploadInput{Alt: "photo"})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMediaURLs(t *testing.T) {
	m := &Media{Path: "abc.webp", Width: 1700,
		Variants: `[{"w":480,"name":"abc-480.jpg"},{"w":960,"name":"abc-960.jpg"},{"w":1600,"name":"abc-1600.jpg"}]`}
	if got, want := m.URL(), "/media/abc.webp"; got != want {
		t.Errorf("URL = %q, want %q", got, want)
	}
	want := "/media/abc-480.jpg 480w, /media/abc-960.jpg 960w, /media/abc-1600.jpg 1600w, /media/abc.webp 1700w"
	if got := m.SrcSet(); got != want {
		t.Errorf("SrcSet = %q, want %q", got, want)
	}
	best := map[int]string{0: "/media/abc-480.jpg", 480: "/media/abc-480.jpg", 481: "/media/abc-960.jpg",
		1600: "/media/abc-1600.jpg", 1601: "/media/abc.webp"}
	for w, want := range best {
		if got := m.Best(w); got != want {
			t.Errorf("Best(%d) = %q, want %q", w, got, want)
		}
	}
	for _, variants := range []string{"", "not json", "{}"} {
		plain := &Media{Path: "x.gif", Width: 300, Variants: variants}
		if got := plain.SrcSet(); got != "/media/x.gif 300w" {
			t.Errorf("SrcSet with variants %q = %q", variants, got)
		}
		if got := plain.Best(100); got != "/media/x.gif" {
			t.Errorf("Best with variants %q = %q", variants, got)
		}
	}
}

func TestFilePath(t *testing.T) {
	s, _ := newTestStore(t, 0)
	m := mustSave(t, s, 500, 20)
	variant := m.VariantList()[0].Name
	hex := strings.TrimSuffix(m.Path, ".jpg")
	if err := os.WriteFile(filepath.Join(s.dir, ".hidden"), []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(s.dir), "x"), []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(s.dir, strings.Repeat("d", 32)+".jpg"), 0o750); err != nil {
		t.Fatal(err)
	}
	ok := []string{m.Path, variant}
	for _, name := range ok {
		p, err := s.FilePath(name)
		if err != nil || p != filepath.Join(s.dir, name) {
			t.Errorf("FilePath(%q) = %q, %v", name, p, err)
		}
	}
	refused := []string{
		"", ".", "..", "../x", "..%2fx", "..%2Fx", "%2e%2e/x", "a/b.jpg", hex + "/../" + m.Path,
		".hidden", "." + m.Path, strings.ToUpper(hex) + ".jpg", hex + ".JPG", hex + ".exe", "x.exe",
		hex + ".jpg\x00.png", hex + ".jpg/", "/" + m.Path, hex + ".jpeg", hex + ".svg", hex,
		hex + "-1.jpg", hex + "-12345.jpg", hex[:31] + ".jpg", hex + "0.jpg", hex + ".jpg\n",
		strings.Repeat("0", 32) + ".jpg", // valid shape, no such file
		strings.Repeat("d", 32) + ".jpg", // a directory
	}
	for _, name := range refused {
		if p, err := s.FilePath(name); !errors.Is(err, ErrNotFound) {
			t.Errorf("FilePath(%q) = %q, %v; want ErrNotFound", name, p, err)
		}
	}
}

func TestContentType(t *testing.T) {
	h := strings.Repeat("a", 32)
	tests := map[string]string{
		h + ".jpg": "image/jpeg", h + "-480.jpg": "image/jpeg", h + ".png": "image/png",
		h + ".gif": "image/gif", h + ".webp": "image/webp",
		"x.html": "application/octet-stream", h + ".svg": "application/octet-stream", "": "application/octet-stream",
	}
	for name, want := range tests {
		if got := ContentType(name); got != want {
			t.Errorf("ContentType(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestList(t *testing.T) {
	s, db := newTestStore(t, 0)
	ctx := context.Background()
	var ids []int64
	for i := range 5 {
		m := mustSave(t, s, 40, 20)
		// Distinct times, oldest first; two share a second to check the id tie-break.
		at := time.Date(2024, 1, 1, 0, 0, min(i, 3), 0, time.UTC)
		if err := db.Exec("UPDATE media SET created_at = ? WHERE id = ?", at, m.ID).Error; err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	page1, total, err := s.List(ctx, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	page3, _, err := s.List(ctx, 3, 2)
	if err != nil {
		t.Fatal(err)
	}
	if total != 5 || len(page1) != 2 || len(page3) != 1 {
		t.Fatalf("total %d, page sizes %d and %d", total, len(page1), len(page3))
	}
	if page1[0].ID != ids[4] || page1[1].ID != ids[3] || page3[0].ID != ids[0] {
		t.Errorf("order = %d %d … %d, want %d %d … %d", page1[0].ID, page1[1].ID, page3[0].ID, ids[4], ids[3], ids[0])
	}
	if all, _, err := s.List(ctx, 0, 0); err != nil || len(all) != 5 {
		t.Errorf("List(0, 0) = %d items, %v", len(all), err)
	}
}

func TestUpdateMeta(t *testing.T) {
	s, _ := newTestStore(t, 0)
	ctx := context.Background()
	m := mustSave(t, s, 40, 20)
	got, err := s.UpdateMeta(ctx, editor, m.ID, UploadInput{Alt: " New ", Caption: "c", Credit: "cr"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Alt != "New" || got.Caption != "c" || got.Credit != "cr" || got.UploadedBy == nil || *got.UploadedBy != *m.UploadedBy || got.Path != m.Path {
		t.Errorf("after update: %+v", got)
	}
	var verr validate.Errors
	if _, err := s.UpdateMeta(ctx, editor, m.ID, UploadInput{Alt: ""}); !errors.As(err, &verr) || verr["alt"] != msgAlt {
		t.Errorf("missing alt: err = %v", err)
	}
	if _, err := s.UpdateMeta(ctx, editor, m.ID, UploadInput{Decorative: true}); err != nil {
		t.Errorf("decorative without alt: %v", err)
	}
	if _, err := s.UpdateMeta(ctx, editor, 12345, UploadInput{Alt: "x"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown id: err = %v", err)
	}
	if _, err := s.Get(ctx, 12345); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get unknown id: err = %v", err)
	}
}

func TestDelete(t *testing.T) {
	s, db := newTestStore(t, 0)
	ctx := context.Background()
	m := mustSave(t, s, 1700, 50) // wide enough for every variant
	other := mustSave(t, s, 40, 20)
	now := time.Now().UTC()
	mustExec(t, db, "INSERT INTO categories (id, name, slug, created_at, updated_at) VALUES (1, 'News', 'news', ?, ?)", now, now)
	mustExec(t, db, `INSERT INTO articles (id, category_id, title, slug, cover_media_id, created_at, updated_at)
		VALUES (1, 1, 'A', 'a', ?, ?, ?), (2, 1, 'B', 'b', ?, ?, ?)`, m.ID, now, now, other.ID, now, now)

	files := []string{m.Path}
	for _, v := range m.VariantList() {
		files = append(files, v.Name)
	}
	if len(files) != 4 {
		t.Fatalf("files = %v, want original and three variants", files)
	}
	if err := s.Delete(ctx, editor, m.ID); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if _, err := os.Stat(filepath.Join(s.dir, f)); !os.IsNotExist(err) {
			t.Errorf("%s still exists (%v)", f, err)
		}
	}
	if _, err := s.Get(ctx, m.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get after Delete: %v", err)
	}
	var covers []struct{ CoverMediaID *int64 }
	if err := db.Raw("SELECT cover_media_id FROM articles ORDER BY id").Scan(&covers).Error; err != nil {
		t.Fatal(err)
	}
	if len(covers) != 2 || covers[0].CoverMediaID != nil || covers[1].CoverMediaID == nil ||
		*covers[1].CoverMediaID != other.ID {
		t.Errorf("covers = %+v, want [nil %d]", covers, other.ID)
	}
	if _, err := s.FilePath(other.Path); err != nil {
		t.Errorf("other image's file: %v", err)
	}
	if err := s.Delete(ctx, editor, m.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Delete: %v", err)
	}
}

func TestDeleteNeverRemovesOutsideTheDirectory(t *testing.T) {
	s, db := newTestStore(t, 0)
	m := mustSave(t, s, 40, 20)
	outside := filepath.Join(filepath.Dir(s.dir), "precious")
	if err := os.WriteFile(outside, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, "UPDATE media SET variants = ? WHERE id = ?", `[{"w":480,"name":"../precious"}]`, m.ID)
	if err := s.Delete(context.Background(), editor, m.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(outside); err != nil {
		t.Errorf("file outside the media directory: %v", err)
	}
}

func mustExec(t *testing.T, db *gorm.DB, sql string, args ...any) {
	t.Helper()
	if err := db.Exec(sql, args...).Error; err != nil {
		t.Fatal(err)
	}
}
