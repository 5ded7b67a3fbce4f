package importer

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"campusnews/internal/media"
	"campusnews/internal/validate"
	"campusnews/internal/wordpress"
)

// The media library's limits on descriptions; longer ones are cut rather than refused.
const (
	maxAlt     = 300
	maxCaption = 500
)

// busyWait bounds how long an image waits for the media library's decoding budget.
const busyWait = time.Minute

// imageStore puts the images posts use into the media library, each once: by attachment, or
// by file for images that are no attachment. What an earlier import stored is found in
// import_media and used again.
type imageStore struct {
	ld      *loader
	done    map[string]*stored // by key
	created []int64            // stored by this run: removed again if it fails
	root    *os.Root
	noRoot  bool
	attUsed map[int64]bool
}

// stored is what became of an image: m is nil when it could not be stored, refused says why
// when the file was there but is not an image the library takes.
type stored struct {
	m       *media.Media
	refused string
}

// sizeSuffix is the suffix of WordPress's resized copies: lab-300x200.jpg of lab.jpg.
var sizeSuffix = regexp.MustCompile(`-\d+x\d+(\.[A-Za-z0-9]+)$`)

// inline stores an image of a post's text, and returns it, or nil when it is left out: from
// another site, or its file missing or refused (each reported).
func (s *imageStore) inline(ctx context.Context, img wordpress.Image, post string) (*media.Media, error) {
	u, err := url.Parse(strings.TrimSpace(img.URL))
	if err != nil {
		s.ld.rep.Images.problem(&s.ld.rep.Images.Foreign, img.URL, "", post)
		return nil, nil
	}
	if u.Host != "" && !s.ld.hosts[strings.ToLower(u.Hostname())] {
		s.ld.rep.Images.problem(&s.ld.rep.Images.Foreign, img.URL, "", post)
		return nil, nil
	}
	rel := uploadsPath(u.Path)
	a := s.ld.attachments[img.AttachmentID]
	if a == nil && rel != "" {
		if id, ok := s.ld.byFile[rel]; ok {
			a = s.ld.attachments[id]
		} else if id, ok := s.ld.byFile[sizeSuffix.ReplaceAllString(rel, "$1")]; ok {
			a = s.ld.attachments[id]
		}
	}
	if a == nil && rel == "" {
		s.ld.rep.Images.problem(&s.ld.rep.Images.Missing, u.Path, "not in the uploads directory", post)
		return nil, nil
	}
	var c []candidate
	if a != nil && a.File != "" {
		c = append(c, candidate{"attachment:" + strconv.FormatInt(a.ID, 10), a.File})
	}
	// The original is better (the library makes its own sizes), but the copy in the text will
	// do when only it is left.
	if rel != "" && (a == nil || rel != a.File) {
		c = append(c, candidate{"file:" + rel, rel})
	}
	return s.store(ctx, c, describe(a, img, rel), a, post)
}

// featured stores a post's featured image, the attachment id.
func (s *imageStore) featured(ctx context.Context, id int64, post string) (*media.Media, error) {
	a := s.ld.attachments[id]
	if a == nil || a.File == "" {
		s.ld.rep.Images.problem(&s.ld.rep.Images.Missing, "attachment "+strconv.FormatInt(id, 10),
			"not in the export", post)
		return nil, nil
	}
	return s.store(ctx, []candidate{{"attachment:" + strconv.FormatInt(id, 10), a.File}}, describe(a, wordpress.Image{}, ""), a, post)
}

// candidate is a file that may hold an image, and the key it is kept under.
type candidate struct{ key, file string }

// description is what the library is told of an image; guessed when no alt text was written
// for it, and the caption, title or file name stands in.
type description struct {
	media.UploadInput
	guessed bool
}

// describe is the library's description of an image: attachment a's alt text (when the image
// is one), else that of the image in the text, else its caption, title or file name.
func describe(a *attachment, img wordpress.Image, rel string) description {
	var d description
	if a != nil {
		d.Alt, d.Caption = a.Alt, a.Caption
	}
	d.Alt, d.Caption = cmp.Or(d.Alt, img.Alt), cmp.Or(d.Caption, img.Caption)
	if d.Alt == "" {
		d.guessed = true
		d.Alt = d.Caption
		if d.Alt == "" && a != nil {
			d.Alt = a.Title
		}
		if d.Alt == "" && rel != "" {
			d.Alt = altFromFile(rel)
		}
	}
	return d
}

// altFromFile is a last resort alt text: the file's name in words.
func altFromFile(rel string) string {
	base := sizeSuffix.ReplaceAllString(path.Base(rel), "$1")
	base = strings.TrimSuffix(base, path.Ext(base))
	return strings.Join(strings.FieldsFunc(base, func(r rune) bool { return r == '-' || r == '_' }), " ")
}

// store returns the image of the first candidate whose file exists: from this run, from an
// earlier import, or stored now. A missing or refused file is reported with the post.
func (s *imageStore) store(ctx context.Context, cands []candidate, d description, a *attachment, post string) (*media.Media, error) {
	if a != nil {
		s.attUsed[a.ID] = true
	}
	if len(cands) == 0 {
		s.ld.rep.Images.problem(&s.ld.rep.Images.Missing, "attachment "+strconv.FormatInt(a.ID, 10), "no file", post)
		return nil, nil
	}
	desc := d.UploadInput
	desc.Alt, desc.Caption = cut(strings.TrimSpace(desc.Alt), maxAlt), cut(strings.TrimSpace(desc.Caption), maxCaption)
	if desc.Alt == "" {
		desc.Decorative = true // nothing describes it: reported, for someone to describe it
	}
	refused := ""
	for _, c := range cands {
		if st, ok := s.done[c.key]; ok {
			if st.m != nil {
				return st.m, nil
			}
			refused = cmp.Or(refused, st.refused)
			continue
		}
		m, why, err := s.storeFile(ctx, c, desc)
		if err != nil {
			return nil, err
		}
		s.done[c.key] = &stored{m: m, refused: why}
		if m != nil {
			if desc.Decorative {
				s.ld.rep.Images.problem(&s.ld.rep.Images.NoAlt, c.file, "", post)
			} else if d.guessed {
				s.ld.rep.Images.problem(&s.ld.rep.Images.Guessed, c.file, desc.Alt, post)
			}
			return m, nil
		}
		refused = cmp.Or(refused, why)
	}
	if refused != "" {
		s.ld.rep.Images.problem(&s.ld.rep.Images.Refused, cands[0].file, refused, post)
		return nil, nil
	}
	why := "missing from the uploads directory"
	if s.ld.opts.Uploads == "" {
		why = "no uploads directory given"
	}
	s.ld.rep.Images.problem(&s.ld.rep.Images.Missing, cands[0].file, why, post)
	return nil, nil
}

// storeFile returns the image of c: stored by an earlier import, or stored now. Without one,
// why says what was wrong with the file, or is "" when there is no file.
func (s *imageStore) storeFile(ctx context.Context, c candidate, desc media.UploadInput) (m *media.Media, why string, err error) {
	if m, err := s.earlier(ctx, c.key); m != nil || err != nil {
		if m != nil {
			s.ld.rep.Images.Reused++
		}
		return m, "", err
	}
	f, err := s.open(c.file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, "", nil
	}
	if err != nil {
		return nil, err.Error(), nil
	}
	defer f.Close()
	m, err = s.save(ctx, f, c.file, desc)
	var verrs validate.Errors
	if errors.As(err, &verrs) {
		return nil, strings.Join(verrs.Messages(), " "), nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("importer: store %s: %w", c.file, err)
	}
	s.created = append(s.created, m.ID)
	if err := s.remember(ctx, c.key, m.ID); err != nil {
		return nil, "", err
	}
	s.ld.rep.Images.Stored++
	return m, "", nil
}

// open opens a file of the uploads directory; none can be reached outside it.
func (s *imageStore) open(file string) (*os.File, error) {
	if s.ld.opts.Uploads == "" || s.noRoot {
		return nil, fs.ErrNotExist
	}
	if s.root == nil {
		r, err := os.OpenRoot(s.ld.opts.Uploads)
		if err != nil {
			s.noRoot = true
			return nil, fmt.Errorf("uploads directory: %w", err)
		}
		s.root = r
	}
	name := filepath.FromSlash(file)
	if !filepath.IsLocal(name) {
		return nil, fs.ErrNotExist // a name that leads out of the directory names nothing in it
	}
	return s.root.Open(name)
}

// save stores one image, waiting while the library is busy with others.
func (s *imageStore) save(ctx context.Context, f *os.File, file string, desc media.UploadInput) (*media.Media, error) {
	deadline := time.Now().Add(busyWait)
	for {
		m, err := s.ld.im.media.Save(ctx, s.ld.lib, f, path.Base(file), desc)
		if !errors.Is(err, media.ErrBusy) || time.Now().After(deadline) {
			return m, err
		}
		if _, err := f.Seek(0, 0); err != nil {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// earlier returns the image an earlier import stored under key, nil when there is none (or it
// has been deleted from the library since).
func (s *imageStore) earlier(ctx context.Context, key string) (*media.Media, error) {
	var id int64
	err := s.ld.im.db.WithContext(ctx).Raw("SELECT media_id FROM import_media WHERE source = ? AND key = ?",
		s.ld.source, key).Row().Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("importer: image %s: %w", key, err)
	}
	m, err := s.ld.im.media.Get(ctx, id)
	if errors.Is(err, media.ErrNotFound) {
		return nil, nil
	}
	return m, err
}

// remember records that key of the source is image id.
func (s *imageStore) remember(ctx context.Context, key string, id int64) error {
	err := s.ld.im.db.WithContext(ctx).Exec(`INSERT INTO import_media (source, key, media_id) VALUES (?, ?, ?)
		ON CONFLICT (source, key) DO UPDATE SET media_id = excluded.media_id`, s.ld.source, key, id).Error
	if err != nil {
		return fmt.Errorf("importer: remember image %s: %w", key, err)
	}
	return nil
}

// attachmentsUsed is how many attachments imported posts use.
func (s *imageStore) attachmentsUsed() int { return len(s.attUsed) }

// removeStored deletes the images this run stored, when it fails: the articles that would
// have shown them were never written.
func (ld *loader) removeStored(ctx context.Context) error {
	var errs []error
	for _, id := range ld.images.created {
		if err := ld.im.media.Delete(ctx, ld.lib, id); err != nil && !errors.Is(err, media.ErrNotFound) {
			errs = append(errs, fmt.Errorf("importer: remove image %d stored before the failure: %w", id, err))
		}
	}
	ld.images.created = nil
	return errors.Join(errs...)
}

// uploadsPath is the part of a URL's path under wp-content/uploads (of one site of a
// network, too), "" when it is not there.
func uploadsPath(p string) string {
	const dir = "/wp-content/uploads/"
	i := strings.Index(p, dir)
	if i < 0 {
		return ""
	}
	rel := p[i+len(dir):]
	if rest, ok := strings.CutPrefix(rel, "sites/"); ok {
		if j := strings.IndexByte(rest, '/'); j > 0 {
			if _, err := strconv.Atoi(rest[:j]); err == nil {
				rel = rest[j+1:]
			}
		}
	}
	return rel
}
