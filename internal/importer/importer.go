// Package importer loads content from other systems (a WordPress export) into campusnews
// through the news and media services, and reports what it did.
package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"gorm.io/gorm"

	"campusnews/internal/audit"
	"campusnews/internal/media"
	"campusnews/internal/news"
)

// Importer loads exports. It owns one table, import_media: which image of the library was
// made from which file of which source, so an image is stored once however often it is used
// or imported.
type Importer struct {
	db    *gorm.DB
	news  *news.Service
	media *media.Store
}

// New returns an Importer writing articles through n and images through m; db holds its own
// table.
func New(db *gorm.DB, n *news.Service, m *media.Store) *Importer {
	return &Importer{db: db, news: n, media: m}
}

// Progress is how far an import has come in one of its steps.
type Progress struct {
	Step  string // "reading", "preparing", "writing"
	Done  int64
	Total int64  // 0 when not known
	Unit  string // "bytes" or "posts"
}

// WordPressOptions say what to import and where.
type WordPressOptions struct {
	// Open opens the export. It is called once for each pass over the file (two), and must
	// give the same content each time.
	Open func() (io.ReadCloser, error)
	Size int64  // of the export in bytes, for the progress; 0 when not known
	Name string // the export's name in the report and the audit log, e.g. "export.xml"
	// Uploads is a copy of the old site's wp-content/uploads; "" stores no images.
	Uploads string
	// Section is the slug of the section the categories go into; "" is the first section.
	// A section that does not exist is made.
	Section string
	// Who is who runs the import, for the audit log: "command line".
	Who string
	// Progress, when set, is told how far the import has come, often (every item).
	Progress func(Progress)
}

// ErrNoOpen means the options name no export.
var ErrNoOpen = errors.New("importer: no export to read")

// WordPress imports the export of opts: the categories, tags, posts and their images; it
// skips pages and what is not content. Every article is written in one transaction of the
// news service at the end, after the images (which the media library stores each in its own);
// when anything fails, the images stored by this run are removed again, so a failed import
// leaves nothing behind. A malformed or truncated export fails before anything is stored, with
// an error naming the line (a *wordpress.Error). A post that is not a valid article is left
// out and reported; the rest goes in. Running the same export again updates what changed and
// adds nothing twice.
func (im *Importer) WordPress(ctx context.Context, opts WordPressOptions) (rep *Report, err error) {
	if opts.Open == nil {
		return nil, ErrNoOpen
	}
	start := time.Now()
	who := opts.Who
	if who == "" {
		who = "import"
	}
	ld := &loader{
		im:   im,
		opts: opts,
		rep:  newReport(opts.Name),
		news: news.Actor{Via: who, CanPublish: true, CanEditAny: true},
		lib:  media.Actor{Actor: audit.Actor{Via: who}, CanChangeAny: true},
	}
	defer func() {
		if ld.images.root != nil {
			ld.images.root.Close()
		}
		if err != nil {
			if rmErr := ld.removeStored(context.WithoutCancel(ctx)); rmErr != nil {
				err = errors.Join(err, rmErr)
			}
		}
	}()
	if err := ld.checkSection(ctx); err != nil {
		return nil, err
	}
	if err := ld.scan(ctx); err != nil {
		return nil, err
	}
	spool, err := newSpool()
	if err != nil {
		return nil, err
	}
	defer spool.remove()
	if err := ld.prepare(ctx, spool); err != nil {
		return nil, err
	}
	if err := ld.write(ctx, spool); err != nil {
		return nil, err
	}
	if err := im.news.OptimizeSearch(ctx); err != nil {
		return nil, err
	}
	ld.rep.Elapsed = time.Since(start)
	return ld.rep, nil
}

// progress tells opts.Progress, if any.
func (ld *loader) progress(step string, done, total int64, unit string) {
	if ld.opts.Progress != nil {
		ld.opts.Progress(Progress{Step: step, Done: done, Total: total, Unit: unit})
	}
}

// open opens the export for one pass (step), counting what is read for the progress.
func (ld *loader) open(step string) (*countingReader, error) {
	rc, err := ld.opts.Open()
	if err != nil {
		return nil, fmt.Errorf("importer: open %s: %w", ld.opts.Name, err)
	}
	ld.progress(step, 0, ld.opts.Size, "bytes")
	return &countingReader{rc: rc}, nil
}

// countingReader counts the bytes read through it.
type countingReader struct {
	rc io.ReadCloser
	n  int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.rc.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *countingReader) Close() error { return c.rc.Close() }
