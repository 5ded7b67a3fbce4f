package news

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Sourced is an article as another system holds it (a WordPress post), with where it comes
// from, so that loading it again updates the article made the first time.
type Sourced struct {
	Imported
	Source string // the system, e.g. "wordpress news.example.edu"
	Key    string // the item there, e.g. the post's id
	// Redirects are the article's addresses on the old site: paths such as
	// /2019/02/physics-laser-lab/, or "/?p=12". Each answers 301 to the article (Redirect).
	Redirects []string
}

// Outcome is what ImportSourced did with an item.
type Outcome int

// The outcomes of ImportSourced.
const (
	Created   Outcome = iota + 1 // a new article
	Updated                      // the article of an earlier import, changed
	Unchanged                    // the article of an earlier import, already as the item says
)

// ImportSourced stores s as a new article, like Import, or, when an article was made from the
// same Source and Key before, saves s over it. s.Slug is the slug wished for: an empty one is
// made from the title, and one another article has is numbered (-2, -3 …) instead of refused.
// An update goes the way of every save: the article as it was is kept as a revision before its
// first change, the new state as another, the search index follows; an article already as s
// says is left alone (Unchanged). Status and publication date come from s on update too, so
// the old site stays the reference until it is switched off. The old addresses are recorded
// either way; addresses recorded before are kept. Problems with s come back as
// validate.Errors, with nothing written.
func (b *Batch) ImportSourced(s Sourced) (*Article, Outcome, error) {
	if s.Source == "" || s.Key == "" {
		return nil, 0, fmt.Errorf("news: import: an item needs its source and key")
	}
	id, err := sourcedArticle(b.tx, s.Source, s.Key)
	if err != nil {
		return nil, 0, err
	}
	var art *Article
	outcome := Created
	if id == 0 {
		im := s.Imported
		im.SlugWithID = false
		if im.Slug, err = freeSlug(b.tx, slugBase(im.Slug, im.Title), 0); err != nil {
			return nil, 0, err
		}
		if art, err = b.Import(im); err != nil {
			return nil, 0, err
		}
		err = b.tx.Exec("INSERT INTO article_sources (source, key, article_id) VALUES (?, ?, ?)", s.Source, s.Key, art.ID).Error
		if err != nil {
			return nil, 0, fmt.Errorf("news: source of %d: %w", art.ID, err)
		}
	} else if art, outcome, err = b.updateSourced(id, s.Imported); err != nil {
		return nil, 0, err
	}
	if err := setRedirects(b.tx, art.ID, s.Redirects); err != nil {
		return nil, 0, err
	}
	return art, outcome, nil
}

// sourcedArticle is the id of the article made from key of source, 0 when there is none.
func sourcedArticle(tx *gorm.DB, source, key string) (int64, error) {
	var id int64
	err := scanValues(tx.Raw("SELECT article_id FROM article_sources WHERE source = ? AND key = ?", source, key), &id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("news: source %s %s: %w", source, key, err)
	}
	return id, nil
}

// updateSourced saves im over article id, unless the article is already as im says.
func (b *Batch) updateSourced(id int64, im Imported) (*Article, Outcome, error) {
	cur, err := loadArticle(b.tx, id)
	if err != nil {
		return nil, 0, err
	}
	if err := loadTagsTx(b.tx, []*Article{cur}); err != nil {
		return nil, 0, err
	}
	in := im.ArticleInput
	if in.Slug, err = freeSlug(b.tx, slugBase(in.Slug, in.Title), id); err != nil {
		return nil, 0, err
	}
	errs := in.Validate(b.tree)
	status := importedStatus(&im, errs)
	if err := checkCover(b.tx, errs, &in); err != nil {
		return nil, 0, err
	}
	if err := errs.Err(); err != nil {
		return nil, 0, err
	}
	published := utcPtr(im.PublishedAt)
	if sameImported(cur, &in) && cur.Status == status && sameTime(cur.PublishedAt, published) {
		return cur, Unchanged, nil
	}
	if err := keepOriginal(b.tx, cur); err != nil {
		return nil, 0, err
	}
	before := cur.Status
	// The old site's date of the change, unless the change is this import's own (the article
	// was edited here since): then now, and always later than the last save, which the edit
	// form's conflict check needs.
	stamp := b.s.now()
	if !im.UpdatedAt.IsZero() {
		stamp = im.UpdatedAt
	}
	stamp = nextStamp(stamp, cur.UpdatedAt)
	if im.Rendered != nil && in.BodySource != cur.BodySource {
		cur.BodySource, cur.BodyHTML, cur.BodyText = in.BodySource, im.Rendered.HTML, im.Rendered.Text
	}
	applyInput(cur, &in, b.a, stamp)
	var by *int64
	if b.a.UserID != 0 {
		by = &b.a.UserID
	}
	cur.UpdatedBy = by
	cur.Status, cur.PublishedAt = status, published
	cols := contentColumns(cur)
	cols["status"], cols["published_at"] = cur.Status, cur.PublishedAt
	if err := b.tx.Model(&Article{}).Where("id = ?", id).Updates(cols).Error; err != nil {
		return nil, 0, fmt.Errorf("news: update imported article %d: %w", id, err)
	}
	if err := writeBody(b.tx, cur); err != nil {
		return nil, 0, err
	}
	if err := setTags(b.tx, id, in.Tags); err != nil {
		return nil, 0, err
	}
	if err := addRevision(b.tx, by, id, &in, "Imported again", stamp); err != nil {
		return nil, 0, err
	}
	if err := syncIndex(b.tx, cur); err != nil {
		return nil, 0, err
	}
	if before == Published || cur.Status == Published {
		b.visible = true
	}
	return cur, Updated, nil
}

// sameImported reports whether the stored article a (with its tags) already holds in.
func sameImported(a *Article, in *ArticleInput) bool {
	return sameRestorable(inputOf(a), *in) && samePtr(a.CoverMediaID, in.CoverMediaID) &&
		a.Pinned == in.Pinned && a.Featured == in.Featured && sameTime(a.ExpiresAt, in.ExpiresAt)
}

func samePtr(a, b *int64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

func sameTime(a, b *time.Time) bool {
	return a == nil && b == nil || a != nil && b != nil && a.Equal(*b)
}

// slugBase is the slug to number from: the one wished for when it is one, else one made of it
// or of the title, else "article".
func slugBase(wished, title string) string {
	if ValidSlug(wished) {
		return wished
	}
	if s := Slugify(wished); s != "" {
		return s
	}
	if s := Slugify(title); s != "" {
		return s
	}
	return "article"
}

// freeSlug is base, or base numbered -2, -3 … when another article than id has it.
func freeSlug(tx *gorm.DB, base string, id int64) (string, error) {
	for n := 1; ; n++ {
		slug := numbered(base, n)
		taken, err := articleSlugTaken(tx, slug, id)
		if err != nil {
			return "", err
		}
		if !taken {
			return slug, nil
		}
	}
}
