package media_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"gorm.io/gorm"

	"campusnews/internal/audit"
	"campusnews/internal/changes"
	"campusnews/internal/database/dbtest"
	"campusnews/internal/media"
	"campusnews/internal/news"
)

// These tests run the store with the news service answering where images are shown, as the
// server does.

type fixture struct {
	db      *gorm.DB
	dir     string
	watcher *changes.Watcher
	news    *news.Service
	usage   *recordingUsage
	store   *media.Store
}

// recordingUsage is the news service, noting whether each question came inside a transaction.
type recordingUsage struct {
	*news.Service
	asked, outsideTx int
}

func (r *recordingUsage) ShownBeyondDrafts(tx *gorm.DB, id int64, stem string, user int64) (bool, error) {
	r.asked++
	if _, ok := tx.Statement.ConnPool.(gorm.TxCommitter); !ok {
		r.outsideTx++
	}
	return r.Service.ShownBeyondDrafts(tx, id, stem, user)
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	db := dbtest.Open(t, dbtest.Engine())
	w, err := changes.NewWatcher(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, dir: filepath.Join(dir, "media"), watcher: w, news: news.NewService(db, w)}
	f.usage = &recordingUsage{Service: f.news}
	f.store = media.NewStore(db, f.dir, 0, w, f.usage)
	now := time.Now().UTC()
	f.exec(t, "INSERT INTO categories (id, name, slug, created_at, updated_at) VALUES (1, 'News', 'news', ?, ?)", now, now)
	return f
}

func (f *fixture) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	if err := f.db.Exec(sql, args...).Error; err != nil {
		t.Fatal(err)
	}
}

// article inserts an article with status by user, showing cover and body.
func (f *fixture) article(t *testing.T, id int64, status string, by int64, cover *int64, body string) {
	t.Helper()
	now := time.Now().UTC()
	f.exec(t, `INSERT INTO articles (id, category_id, title, slug, status, created_by, cover_media_id, created_at, updated_at)
		VALUES (?, 1, 'A', ?, ?, ?, ?, ?, ?)`, id, "a"+string(rune('0'+id)), status, by, cover, now, now)
	f.exec(t, `INSERT INTO article_bodies (article_id, source) VALUES (?, ?)`, id, body)
}

func (f *fixture) auditRows(t *testing.T, action string) []audit.Entry {
	t.Helper()
	var es []audit.Entry
	if err := f.db.Where("action = ?", action).Find(&es).Error; err != nil {
		t.Fatal(err)
	}
	return es
}

const writerID, otherID, editorID = 7, 8, 9

var (
	writer = media.Actor{Actor: audit.Actor{UserID: writerID, Email: "writer@example.edu", IP: "192.0.2.7"}}
	editor = media.Actor{Actor: audit.Actor{UserID: editorID, Email: "editor@example.edu", IP: "192.0.2.9"}, CanChangeAny: true}
)

func pngData(t *testing.T, w, h int) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range m.Pix {
		m.Pix[i] = uint8(i * 7)
	}
	for i := 3; i < len(m.Pix); i += 4 {
		m.Pix[i] = 255
	}
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func (f *fixture) upload(t *testing.T, a media.Actor) *media.Media {
	t.Helper()
	m, err := f.store.Save(context.Background(), a, bytes.NewReader(pngData(t, 600, 40)), "a.png",
		media.UploadInput{Alt: "Before"})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestShownBeyondDrafts(t *testing.T) {
	f := newFixture(t)
	m := f.upload(t, writer)
	check := func(name string, want bool) {
		t.Helper()
		got, err := f.news.ShownBeyondDrafts(f.db, m.ID, m.Path[:32], writerID)
		if err != nil || got != want {
			t.Errorf("%s: shown = %v (%v), want %v", name, got, err, want)
		}
	}
	check("unused", false)
	f.article(t, 1, "draft", writerID, &m.ID, "")
	check("cover of the writer's own draft", false)
	f.exec(t, "UPDATE articles SET status = 'published' WHERE id = 1")
	check("cover of a published article", true)
	f.exec(t, "UPDATE articles SET status = 'draft', cover_media_id = NULL WHERE id = 1")
	check("no longer the cover", false)
	f.article(t, 2, "draft", otherID, nil, "![x](/media/"+m.Path+")")
	check("in the text of someone else's draft", true)
}

// A writer may not delete or describe an image an editor has put on a published article: the
// rule is asked inside the transaction that would act, and nothing changes.
func TestWriterMayNotChangeWhatAnEditorPublished(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	m := f.upload(t, writer)
	if ok, err := f.store.MayChange(ctx, writer, m); err != nil || !ok {
		t.Fatalf("the uploader may not change an unused image: %v %v", ok, err)
	}
	f.article(t, 1, "published", editorID, &m.ID, "")
	gen := f.watcher.Gen()

	f.usage.asked, f.usage.outsideTx = 0, 0
	if err := f.store.Delete(ctx, writer, m.ID); !errors.Is(err, media.ErrForbidden) {
		t.Fatalf("writer's delete: err = %v, want ErrForbidden", err)
	}
	if _, err := f.store.UpdateMeta(ctx, writer, m.ID, media.UploadInput{Alt: "After"}); !errors.Is(err, media.ErrForbidden) {
		t.Fatalf("writer's edit: err = %v, want ErrForbidden", err)
	}
	if _, err := f.store.UpdateMeta(ctx, media.Actor{Actor: audit.Actor{UserID: otherID}}, m.ID, media.UploadInput{}); !errors.Is(err, media.ErrForbidden) {
		t.Fatalf("another writer's invalid edit: err = %v, want ErrForbidden before the form is checked", err)
	}
	if f.usage.asked != 2 || f.usage.outsideTx != 0 {
		t.Errorf("usage asked %d times, %d outside a transaction; want twice, inside", f.usage.asked, f.usage.outsideTx)
	}
	if ok, err := f.store.MayChange(ctx, writer, m); err != nil || ok {
		t.Errorf("MayChange = %v %v, want the page to hide the buttons", ok, err)
	}
	got, err := f.store.Get(ctx, m.ID)
	if err != nil || got.Alt != "Before" {
		t.Fatalf("image after refusals: %+v %v", got, err)
	}
	if _, err := f.store.FilePath(m.Path); err != nil {
		t.Errorf("file after refusals: %v", err)
	}
	if n := len(f.auditRows(t, "media.delete")) + len(f.auditRows(t, "media.update")); n != 0 {
		t.Errorf("%d audit rows for refused changes", n)
	}
	if f.watcher.Gen() != gen {
		t.Error("a refused change moved the content version")
	}

	// An editor may, and the cover goes with the image.
	if err := f.store.Delete(ctx, editor, m.ID); err != nil {
		t.Fatal(err)
	}
	var cover *int64
	if err := f.db.Raw("SELECT cover_media_id FROM articles WHERE id = 1").Scan(&cover).Error; err != nil || cover != nil {
		t.Errorf("cover after delete = %v (%v)", cover, err)
	}
	es := f.auditRows(t, "media.delete")
	if len(es) != 1 || es[0].UserID == nil || *es[0].UserID != editorID || es[0].UserEmail != editor.Email ||
		es[0].IP != editor.IP || es[0].Subject != "media "+itoa(m.ID) || es[0].Detail != m.Path {
		t.Errorf("audit = %+v, want one media.delete by the editor", es)
	}
	if f.watcher.Gen() != gen+1 {
		t.Errorf("content version %d after the delete, want %d", f.watcher.Gen(), gen+1)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// The audit entry is written in the transaction of the change: when it cannot be written,
// nothing changes.
func TestMediaChangesAndTheirAuditCommitTogether(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	m := f.upload(t, writer)
	if es := f.auditRows(t, "media.upload"); len(es) != 1 || es[0].UserID == nil || *es[0].UserID != writerID ||
		es[0].Subject != "media "+itoa(m.ID) {
		t.Errorf("upload audit = %+v", es)
	}
	gen := f.watcher.Gen()
	f.exec(t, "ALTER TABLE audit_entries RENAME TO audit_entries_away")
	if err := f.store.Delete(ctx, editor, m.ID); err == nil {
		t.Fatal("delete succeeded without its audit entry")
	}
	if _, err := f.store.UpdateMeta(ctx, editor, m.ID, media.UploadInput{Alt: "After"}); err == nil {
		t.Fatal("edit succeeded without its audit entry")
	}
	if _, err := f.store.Save(ctx, editor, bytes.NewReader(pngData(t, 50, 20)), "b.png", media.UploadInput{Alt: "x"}); err == nil {
		t.Fatal("upload succeeded without its audit entry")
	}
	got, err := f.store.Get(ctx, m.ID)
	if err != nil || got.Alt != "Before" {
		t.Errorf("image after failed changes: %+v %v", got, err)
	}
	var n int64
	if err := f.db.Model(&media.Media{}).Count(&n).Error; err != nil || n != 1 {
		t.Errorf("%d images (%v), want the first only", n, err)
	}
	es, err := os.ReadDir(f.dir)
	if err != nil || len(es) != 1+len(m.VariantList()) {
		t.Errorf("files after failed changes: %d (%v)", len(es), err)
	}
	if f.watcher.Gen() != gen {
		t.Error("a failed change moved the content version")
	}
	f.exec(t, "ALTER TABLE audit_entries_away RENAME TO audit_entries")
	if err := f.store.Delete(ctx, editor, m.ID); err != nil {
		t.Fatal(err)
	}
	if len(f.auditRows(t, "media.delete")) != 1 {
		t.Error("no media.delete entry")
	}
}

// A description readers see on covers changes the content version in its transaction, and
// this process knows at once; an upload, which no page shows yet, does not.
func TestDescriptionEditMovesTheContentVersion(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	before, err := changes.Read(ctx, f.db)
	if err != nil {
		t.Fatal(err)
	}
	m := f.upload(t, editor)
	if f.watcher.Gen() != before.Gen {
		t.Error("an upload moved the content version")
	}
	if _, err := f.store.UpdateMeta(ctx, editor, m.ID, media.UploadInput{Alt: ""}); err == nil {
		t.Fatal("an empty description was accepted")
	}
	if _, err := f.store.UpdateMeta(ctx, editor, m.ID, media.UploadInput{Alt: "After", Caption: "Seen on covers"}); err != nil {
		t.Fatal(err)
	}
	after, err := changes.Read(ctx, f.db)
	if err != nil {
		t.Fatal(err)
	}
	if after.Gen != before.Gen+1 || f.watcher.Gen() != after.Gen {
		t.Errorf("version %d → %d (watcher %d), want one step, known at once", before.Gen, after.Gen, f.watcher.Gen())
	}
	if es := f.auditRows(t, "media.update"); len(es) != 1 || es[0].Detail != m.Path {
		t.Errorf("update audit = %+v", es)
	}
}
