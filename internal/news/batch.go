package news

import (
	"context"
	"strconv"
	"time"

	"gorm.io/gorm"

	"campusnews/internal/audit"
	"campusnews/internal/search"
	"campusnews/internal/validate"
)

// Imported is an article as it stood somewhere else (the demo site, another system): its
// status, dates and view count come with it.
type Imported struct {
	ArticleInput
	Status      Status     // Draft when empty
	PublishedAt *time.Time // needed when published, expired or scheduled
	CreatedAt   time.Time  // zero: PublishedAt, or now
	UpdatedAt   time.Time  // zero: the later of CreatedAt and PublishedAt
	Views       int64
	// SlugWithID makes the slug from the title with the article's id appended: unique without
	// trying one number after another, for bulk loads whose titles repeat.
	SlugWithID bool
	// Rendered, when set, is the body already rendered: what markup.Render and
	// markup.PlainText make of BodySource, and nothing else. A bulk load whose bodies are
	// plain paragraphs writes them without parsing each one twice.
	Rendered *Rendered
}

// Rendered is a body as HTML and as plain text.
type Rendered struct{ HTML, Text string }

// Batch makes many changes in one transaction: all of them or none, under one content version.
type Batch struct {
	s       *Service
	tx      *gorm.DB
	a       Actor
	tree    *Tree
	visible bool
}

// OptimizeSearch compacts the search index after a bulk load (Batch) of many articles: an
// import, generated articles. It changes nothing readers see.
func (s *Service) OptimizeSearch(ctx context.Context) error { return search.Optimize(ctx, s.db) }

// Batch runs fn with a Batch acting as a, in one transaction that fn's error rolls back.
func (s *Service) Batch(ctx context.Context, a Actor, fn func(*Batch) error) error {
	return s.write(ctx, func(tx *gorm.DB) (bool, error) {
		tx = unprepared(tx)
		tree, err := loadTree(tx)
		if err != nil {
			return false, err
		}
		b := &Batch{s: s, tx: tx, a: a, tree: tree}
		if err := fn(b); err != nil {
			return false, err
		}
		return b.visible, nil
	})
}

// unprepared is tx without GORM's prepared statements. Inside a transaction GORM binds its
// statement to the transaction for every use, and database/sql keeps each of those until the
// end: a batch of a few hundred thousand statements would hold gigabytes. Without them each
// statement is prepared, run and released, which SQLite does in microseconds.
func unprepared(tx *gorm.DB) *gorm.DB {
	ptx, ok := tx.Statement.ConnPool.(*gorm.PreparedStmtTX)
	if !ok {
		return tx
	}
	tx = tx.Session(&gorm.Session{Context: tx.Statement.Context}) // a Statement of its own
	tx.Statement.ConnPool = ptx.Tx
	return tx
}

// Tree is the category tree as it stands in the batch.
func (b *Batch) Tree() *Tree { return b.tree }

// CreateCategory is Service.CreateCategory inside the batch.
func (b *Batch) CreateCategory(in CategoryInput) (*Category, error) {
	if !b.a.CanPublish {
		return nil, ErrForbidden
	}
	c, err := b.s.createCategory(b.tx, b.tree, b.a, in)
	if err != nil {
		return nil, err
	}
	b.visible = true
	if b.tree, err = loadTree(b.tx); err != nil {
		return nil, err
	}
	return c, nil
}

// Import stores im as a new article through the same checks, id sequence, slugs, tags and
// search index as any other. It keeps no revision (an article's first edit keeps its original)
// and records no audit entry: the caller records what the batch loaded as a whole (Record).
// Problems come back as validate.Errors, as from the article form, plus "status" and
// "published_at".
func (b *Batch) Import(im Imported) (*Article, error) {
	in := im.ArticleInput
	errs := in.Validate(b.tree)
	status := importedStatus(&im, errs)
	if im.SlugWithID {
		in.Slug = ""
		if err := checkCover(b.tx, errs, &in); err != nil {
			return nil, err
		}
		if err := errs.Err(); err != nil {
			return nil, err
		}
	} else if err := checkStored(b.tx, errs, &in, 0, ""); err != nil {
		return nil, err
	} else if err := errs.Err(); err != nil {
		return nil, err
	}
	now := b.s.now()
	art := &Article{Status: status, PublishedAt: utcPtr(im.PublishedAt), Views: im.Views, CreatedAt: im.CreatedAt.UTC()}
	if art.CreatedAt.IsZero() {
		art.CreatedAt = now
		if art.PublishedAt != nil {
			art.CreatedAt = *art.PublishedAt
		}
	}
	updated := im.UpdatedAt.UTC()
	if updated.IsZero() {
		updated = art.CreatedAt
		if art.PublishedAt != nil && art.PublishedAt.After(updated) {
			updated = *art.PublishedAt
		}
	}
	if im.Rendered != nil {
		art.BodySource, art.BodyHTML, art.BodyText = in.BodySource, im.Rendered.HTML, im.Rendered.Text
	}
	applyInput(art, &in, b.a, updated.Truncate(time.Second))
	if b.a.UserID != 0 {
		art.CreatedBy = &b.a.UserID
	} else {
		art.UpdatedBy = nil
	}
	if im.SlugWithID {
		var err error
		if art.ID, err = nextArticleID(b.tx); err != nil {
			return nil, err
		}
		art.Slug = slugWithID(Slugify(in.Title), art.ID)
		in.Slug = art.Slug
		if taken, err := articleSlugTaken(b.tx, art.Slug, 0); err != nil || taken {
			if err == nil {
				err = validate.Errors{"slug": "This slug is already used by another article"}
			}
			return nil, err
		}
	}
	if err := insertArticle(b.tx, art); err != nil {
		return nil, err
	}
	if err := setTags(b.tx, art.ID, in.Tags); err != nil {
		return nil, err
	}
	var err error
	if art.Event, err = saveEvent(b.tx, art.ID, in.Event); err != nil {
		return nil, err
	}
	if art.Status == Published {
		if err := indexArticle(b.tx, art); err != nil {
			return nil, err
		}
		b.visible = true
	}
	return art, nil
}

// importedStatus is im's status, Draft when empty, with what is wrong with it added to errs.
func importedStatus(im *Imported, errs validate.Errors) Status {
	status := im.Status
	if status == "" {
		status = Draft
	}
	if !status.Valid() {
		errs.Add("status", "Unknown status "+strconv.Quote(string(status)))
	}
	if im.PublishedAt == nil && (status == Published || status == Expired || status == Scheduled) {
		errs.Add("published_at", "A "+string(status)+" article needs its publication date")
	}
	return status
}

// Record writes one audit entry for the batch, as its actor.
func (b *Batch) Record(action, subject, detail string) error {
	e := b.a.Entry(action, subject, detail)
	e.At = b.s.now()
	return audit.Record(b.tx, e)
}

// slugWithID is base with "-id" appended, base cut at a hyphen so the whole stays a valid slug.
func slugWithID(base string, id int64) string {
	suffix := "-" + strconv.FormatInt(id, 10)
	if base == "" {
		return "article" + suffix
	}
	if len(base)+len(suffix) > maxSlugLen {
		base = trimHyphens(base[:maxSlugLen-len(suffix)])
	}
	return base + suffix
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC().Truncate(time.Second)
	return &u
}
