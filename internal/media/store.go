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
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"campusnews/internal/audit"
	"campusnews/internal/changes"
	"campusnews/internal/validate"
)

// DefaultMaxBytes is the upload limit when NewStore is given none.
const DefaultMaxBytes = 10 << 20

// Store keeps image files in one directory and their descriptions in the media table. It owns
// what follows from a change to the library: the permission check, the audit entry and, when
// readers can see the change, the content version, all in the change's own transaction.
type Store struct {
	db       *gorm.DB
	dir      string
	maxBytes int64
	changes  Versions
	usage    Usage
	gate     *Gate
	now      func() time.Time
}

// Versions is told, after the commit, of a change readers can see that was recorded with
// changes.Bump: the content version's *changes.Watcher, so this process knows at once.
type Versions interface {
	Sync(ctx context.Context) error
}

// Usage tells where images are shown; the news service answers it. It runs with tx, the
// transaction of the change that asks.
type Usage interface {
	// ShownBeyondDrafts reports whether the image mediaID, whose stored files are named
	// fileStem and a suffix, is shown by an article other than a draft of user userID.
	ShownBeyondDrafts(tx *gorm.DB, mediaID int64, fileStem string, userID int64) (bool, error)
}

// NewStore returns a Store writing files into dir, which it creates (0750) if missing, and
// refusing uploads over maxBytes (DefaultMaxBytes when maxBytes <= 0). It tells w of changes
// readers can see and asks usage where an image is shown. A directory that cannot be created
// makes Save fail with the reason.
func NewStore(db *gorm.DB, dir string, maxBytes int64, w Versions, usage Usage) *Store {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	_ = os.MkdirAll(dir, 0o750) // retried, with its error reported, by Save
	return &Store{db: db, dir: dir, maxBytes: maxBytes, changes: w, usage: usage, gate: NewGate(0, 0, 0),
		now: func() time.Time { return time.Now().UTC().Truncate(time.Second) }}
}

// SetGate replaces the gate that bounds the memory of decoding, for a server that shares one
// or a test that holds it.
func (s *Store) SetGate(g *Gate) { s.gate = g }

// MaxBytes is the largest upload accepted, for forms to state and handlers to cap bodies at.
func (s *Store) MaxBytes() int64 { return s.maxBytes }

// DecodeBudget is the most memory one image may need to be processed, in bytes.
func (s *Store) DecodeBudget() int64 { return s.gate.Budget() }

// UploadInput describes an image as the uploader sees it.
type UploadInput struct {
	Alt        string
	Caption    string
	Credit     string
	Decorative bool // purely ornamental: no alt text needed, and none is announced
}

// Save checks and stores the image read from r, makes its variants and records it, uploaded
// by a. filename is the client's name for the file; it says nothing trusted about the content
// and is not kept. A refused image or description returns validate.Errors keyed "file",
// "alt", "caption" or "credit"; ErrBusy means the image must wait for others being processed
// longer than an upload waits.
func (s *Store) Save(ctx context.Context, a Actor, r io.Reader, filename string, in UploadInput) (*Media, error) {
	errs := validate.Errors{}
	normalizeMeta(&in, errs)
	data, err := io.ReadAll(io.LimitReader(r, s.maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("media: read upload %q: %w", filename, err)
	}
	var h *header
	if int64(len(data)) > s.maxBytes {
		errs.Add("file", "The image is larger than "+formatSize(s.maxBytes))
	} else if hd, msg := readHeader(data); msg != "" {
		errs.Add("file", msg)
	} else if hd.cost > s.gate.Budget() {
		errs.Add("file", msgTooCostly(hd.config, hd.cost, s.gate.Budget(), hd.detail))
	} else {
		h = hd
	}
	// With the description refused, the file must be chosen again anyway: its pixels are
	// not decoded for nothing.
	if err := errs.Err(); err != nil {
		return nil, err
	}
	vs, written, u, err := s.process(ctx, h)
	if err == nil {
		var m *Media
		if m, err = s.insert(ctx, a, u, written[0], vs, in); err == nil {
			return m, nil
		}
	}
	if rmErr := s.removeFiles(written); rmErr != nil {
		err = errors.Join(err, fmt.Errorf("media: clean up: %w", rmErr))
	}
	return nil, err
}

// process decodes h, once, in its turn at the gate, and writes the cleaned original and its
// variants. It returns the variants, the files it wrote (for the caller to remove should
// anything fail) and the upload without its pixels, which are let go before the gate opens
// for the next image.
func (s *Store) process(ctx context.Context, h *header) ([]Variant, []string, *upload, error) {
	release, err := s.gate.Acquire(ctx, h.cost)
	if err != nil {
		return nil, nil, nil, err
	}
	defer release()
	u, msg := decode(h)
	h.data = nil
	if msg != "" {
		return nil, nil, nil, validate.Errors{"file": msg}
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, nil, fmt.Errorf("media: save: %w", err)
	}
	vs, written, err := s.writeImage(u)
	u.img = nil
	return vs, written, u, err
}

// writeImage writes the original and its variants under a new random name. It returns the
// variants and the files it wrote, so the caller can remove them when anything fails; the
// name of the original is the first.
func (s *Store) writeImage(u *upload) ([]Variant, []string, error) {
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
	return vs, append(written, more...), err
}

// insert records the image stored as path, uploaded by a, with its audit entry.
func (s *Store) insert(ctx context.Context, a Actor, u *upload, path string, vs []Variant, in UploadInput) (*Media, error) {
	m := &Media{
		Path: path, Mime: u.mime, Size: int64(len(u.data)),
		Width: u.width, Height: u.height,
		Alt: in.Alt, Decorative: in.Decorative, Caption: in.Caption, Credit: in.Credit,
		CreatedAt: s.now(),
	}
	if a.UserID != 0 {
		id := a.UserID
		m.UploadedBy = &id
	}
	if len(vs) > 0 {
		js, err := json.Marshal(vs)
		if err != nil {
			return nil, fmt.Errorf("media: variants: %w", err)
		}
		m.Variants = string(js)
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(m).Error; err != nil {
			return fmt.Errorf("media: insert %s: %w", path, err)
		}
		return audit.Record(tx, a.Entry("media.upload", subject(m.ID), path))
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// subject names an image in the audit log.
func subject(id int64) string { return "media " + strconv.FormatInt(id, 10) }

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

// UpdateMeta changes the description of the image with id, as a; the file and uploader stay.
// Covers on public pages show the description, so readers see the change at once. It returns
// ErrNotFound, ErrForbidden or validate.Errors, in that order.
func (s *Store) UpdateMeta(ctx context.Context, a Actor, id int64, in UploadInput) (*Media, error) {
	var m *Media
	err := s.change(ctx, a, id, func(tx *gorm.DB, old *Media) error {
		// Checked after the rule, so that whoever may not change the image learns only that.
		errs := validate.Errors{}
		normalizeMeta(&in, errs)
		if err := errs.Err(); err != nil {
			return err
		}
		err := tx.Model(&Media{}).Where("id = ?", id).Updates(map[string]any{
			"alt": in.Alt, "decorative": in.Decorative, "caption": in.Caption, "credit": in.Credit,
		}).Error
		if err != nil {
			return fmt.Errorf("media: update %d: %w", id, err)
		}
		if m, err = get(tx, id); err != nil {
			return err
		}
		return audit.Record(tx, a.Entry("media.update", subject(id), old.Path))
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Delete removes the image with id and its files, as a. Articles using it as their cover lose
// the cover in the same transaction (the database's foreign key clears it), so no article
// points at a missing image. Files go only after the commit, so a failed delete leaves a
// working image.
func (s *Store) Delete(ctx context.Context, a Actor, id int64) error {
	var m *Media
	err := s.change(ctx, a, id, func(tx *gorm.DB, old *Media) error {
		m = old
		if err := tx.Where("id = ?", id).Delete(&Media{}).Error; err != nil {
			return fmt.Errorf("media: delete %d: %w", id, err)
		}
		return audit.Record(tx, a.Entry("media.delete", subject(id), old.Path))
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

// change runs fn on the image with id in one transaction, once a may change it, and records
// there that readers may see the change; after the commit this process knows it at once.
func (s *Store) change(ctx context.Context, a Actor, id int64, fn func(tx *gorm.DB, m *Media) error) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		m, err := get(tx, id)
		if err != nil {
			return err
		}
		ok, err := s.mayChange(tx, a, m)
		if err != nil {
			return err
		}
		if !ok {
			return ErrForbidden
		}
		if err := fn(tx, m); err != nil {
			return err
		}
		return changes.Bump(tx)
	})
	if err != nil {
		return err
	}
	// Should reading the version back fail, the watcher's poll catches up.
	_ = s.changes.Sync(context.WithoutCancel(ctx))
	return nil
}

// MayChange reports whether a may describe or delete m, for pages to offer those actions
// only to whom they will be allowed: the same rule UpdateMeta and Delete apply.
func (s *Store) MayChange(ctx context.Context, a Actor, m *Media) (bool, error) {
	return s.mayChange(s.db.WithContext(ctx), a, m)
}

// mayChange is the rule: editors and administrators may change any image; writers only those
// they uploaded, and only while no article but their own drafts shows them, since a change
// would otherwise alter pages an editor approved.
func (s *Store) mayChange(tx *gorm.DB, a Actor, m *Media) (bool, error) {
	if a.CanChangeAny {
		return true, nil
	}
	if a.UserID == 0 || m.UploadedBy == nil || *m.UploadedBy != a.UserID {
		return false, nil
	}
	stem, _, _ := strings.Cut(m.Path, ".")
	shown, err := s.usage.ShownBeyondDrafts(tx, m.ID, stem, a.UserID)
	if err != nil {
		return false, fmt.Errorf("media: use of %d: %w", m.ID, err)
	}
	return !shown, nil
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
