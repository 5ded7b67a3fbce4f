package media

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gorm.io/gorm"

	"campusnews/internal/validate"
)

// DefaultMaxBytes is the upload limit when NewStore is given none.
const DefaultMaxBytes = 10 << 20

// Store keeps image files in one directory and their descriptions in the media table.
type Store struct {
	db       *gorm.DB
	dir      string
	maxBytes int64
	now      func() time.Time
}

// NewStore returns a Store writing files into dir, which it creates (0750) if missing, and
// refusing uploads over maxBytes (DefaultMaxBytes when maxBytes <= 0). A directory that cannot
// be created makes Save fail with the reason.
func NewStore(db *gorm.DB, dir string, maxBytes int64) *Store {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	_ = os.MkdirAll(dir, 0o750) // retried, with its error reported, by Save
	return &Store{db: db, dir: dir, maxBytes: maxBytes,
		now: func() time.Time { return time.Now().UTC().Truncate(time.Second) }}
}

// MaxBytes is the largest upload accepted, for forms to state and handlers to cap bodies at.
func (s *Store) MaxBytes() int64 { return s.maxBytes }

// UploadInput describes an image as the uploader sees it.
type UploadInput struct {
	Alt        string
	Caption    string
	Credit     string
	Decorative bool // purely ornamental: no alt text needed, and none is announced
	UploadedBy *int64
}

// Save checks and stores the image read from r, makes its variants and records it. filename is
// the client's name for the file; it says nothing trusted about the content and is not kept.
// A refused image or description returns validate.Errors keyed "file", "alt", "caption" or
// "credit".
func (s *Store) Save(ctx context.Context, r io.Reader, filename string, in UploadInput) (*Media, error) {
	errs := validate.Errors{}
	normalizeMeta(&in, errs)
	data, err := io.ReadAll(io.LimitReader(r, s.maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("media: read upload %q: %w", filename, err)
	}
	var u *upload
	if int64(len(data)) > s.maxBytes {
		errs.Add("file", "The image is larger than "+formatSize(s.maxBytes))
	} else if up, msg := inspect(data); msg != "" {
		errs.Add("file", msg)
	} else {
		u = up
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("media: save: %w", err)
	}
	m, written, err := s.store(ctx, u, in)
	if err != nil {
		if rmErr := s.removeFiles(written); rmErr != nil {
			err = errors.Join(err, fmt.Errorf("media: clean up: %w", rmErr))
		}
		return nil, err
	}
	return m, nil
}

// store writes the original and its variants and inserts the row. It returns the files it
// wrote so the caller can remove them when anything fails.
func (s *Store) store(ctx context.Context, u *upload, in UploadInput) (*Media, []string, error) {
	if err := os.MkdirAll(s.dir, 0o750); err != nil {
		return nil, nil, fmt.Errorf("media: create directory: %w", err)
	}
	base, err := randomName()
	if err != nil {
		return nil, nil, err
	}
	name := base + u.format.ext
	if err := s.writeFile(name, func(w io.Writer) error { _, err := w.Write(u.data); return err }); err != nil {
		return nil, nil, err
	}
	written := []string{name}
	vs, more, err := s.writeVariants(u, base)
	written = append(written, more...)
	if err != nil {
		return nil, written, err
	}
	m := &Media{
		Path: name, Mime: u.mime, Size: int64(len(u.data)),
		Width: u.width, Height: u.height,
		Alt: in.Alt, Decorative: in.Decorative, Caption: in.Caption, Credit: in.Credit,
		UploadedBy: in.UploadedBy, CreatedAt: s.now(),
	}
	if len(vs) > 0 {
		js, err := json.Marshal(vs)
		if err != nil {
			return nil, written, fmt.Errorf("media: variants: %w", err)
		}
		m.Variants = string(js)
	}
	if err := s.db.WithContext(ctx).Create(m).Error; err != nil {
		return nil, written, fmt.Errorf("media: insert %s: %w", name, err)
	}
	return m, written, nil
}

// randomName is 16 random bytes in hex: unguessable, so the library cannot be walked by URL,
// and free of anything the uploader chose.
func randomName() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("media: random name: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// removeFiles deletes stored files by name; ones already gone are not an error.
func (s *Store) removeFiles(names []string) error {
	var errs []error
	for _, n := range names {
		if err := os.Remove(filepath.Join(s.dir, n)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Get returns the image with id.
func (s *Store) Get(ctx context.Context, id int64) (*Media, error) {
	return get(s.db.WithContext(ctx), id)
}

func get(db *gorm.DB, id int64) (*Media, error) {
	var m Media
	err := db.Where("id = ?", id).Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("media: get %d: %w", id, err)
	}
	return &m, nil
}

// maxPerPage bounds a library page.
const maxPerPage = 200

// List returns page (1-based) of the library, newest first, and how many images there are.
func (s *Store) List(ctx context.Context, page, perPage int) ([]Media, int64, error) {
	page = max(page, 1)
	if perPage <= 0 {
		perPage = 24
	}
	perPage = min(perPage, maxPerPage)
	db := s.db.WithContext(ctx)
	var total int64
	if err := db.Model(&Media{}).Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("media: count: %w", err)
	}
	var ms []Media
	err := db.Order("created_at DESC, id DESC").Offset((page - 1) * perPage).Limit(perPage).Find(&ms).Error
	if err != nil {
		return nil, 0, fmt.Errorf("media: list: %w", err)
	}
	return ms, total, nil
}

// UpdateMeta changes the description of the image with id; the file and uploader stay.
func (s *Store) UpdateMeta(ctx context.Context, id int64, in UploadInput) (*Media, error) {
	errs := validate.Errors{}
	normalizeMeta(&in, errs)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	var m *Media
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := get(tx, id); err != nil {
			return err
		}
		err := tx.Model(&Media{}).Where("id = ?", id).Updates(map[string]any{
			"alt": in.Alt, "decorative": in.Decorative, "caption": in.Caption, "credit": in.Credit,
		}).Error
		if err != nil {
			return fmt.Errorf("media: update %d: %w", id, err)
		}
		m, err = get(tx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Delete removes the image with id and its files. Articles using it as their cover lose the
// cover in the same transaction (the database's foreign key clears it), so no article points
// at a missing image. Files go only after
// the commit, so a failed delete leaves a working image.
func (s *Store) Delete(ctx context.Context, id int64) error {
	var m *Media
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if m, err = get(tx, id); err != nil {
			return err
		}
		if err := tx.Where("id = ?", id).Delete(&Media{}).Error; err != nil {
			return fmt.Errorf("media: delete %d: %w", id, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	names := []string{m.Path}
	for _, v := range m.VariantList() {
		names = append(names, v.Name)
	}
	if err := s.removeFiles(validNames(names)); err != nil {
		return fmt.Errorf("media: delete %d: remove files: %w", id, err)
	}
	return nil
}

// validNames keeps only names a stored file could have, so a tampered row can never make
// Delete remove anything else.
func validNames(names []string) []string {
	out := names[:0]
	for _, n := range names {
		if validName(n) {
			out = append(out, n)
		}
	}
	return out
}

// FilePath is the path on disk of the stored file name, for serving /media/:name. Only names
// Save could have produced are accepted, so no request can reach outside the directory or a
// temporary file; anything else, or a file that does not exist, is ErrNotFound.
func (s *Store) FilePath(name string) (string, error) {
	if !validName(name) {
		return "", ErrNotFound
	}
	p := filepath.Join(s.dir, name)
	fi, err := os.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("media: stat %s: %w", name, err)
	}
	if !fi.Mode().IsRegular() {
		return "", ErrNotFound
	}
	return p, nil
}

// InUseBeyondDrafts reports whether m is shown by an article other than a draft of user
// userID: as a cover, or in the text. A writer's change to such an image would change pages
// an editor has approved.
func (s *Store) InUseBeyondDrafts(ctx context.Context, m *Media, userID int64) (bool, error) {
	stem, _, _ := strings.Cut(m.Path, ".")
	var n int64
	err := s.db.WithContext(ctx).Table("articles").Joins("JOIN article_bodies b ON b.article_id = articles.id").
		Where("(cover_media_id = ? OR instr(b.source, ?) > 0)", m.ID, stem).
		Where("NOT (status = 'draft' AND created_by = ?)", userID).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("media: use of %d: %w", m.ID, err)
	}
	return n > 0, nil
}
