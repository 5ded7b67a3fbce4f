package news

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"campusnews/internal/audit"
	"campusnews/internal/markup"
	"campusnews/internal/search"
	"campusnews/internal/validate"
)

// Article returns the article with id in any status, with its tags, for the editor.
func (s *Service) Article(ctx context.Context, id int64) (*Article, error) {
	a, err := loadArticle(s.db.WithContext(ctx), id)
	if err != nil {
		return nil, err
	}
	if err := s.loadTags(ctx, []*Article{a}); err != nil {
		return nil, err
	}
	return a, nil
}

// ArticleTitles returns the titles of the articles among ids that exist, in any status, by id:
// one query for a whole page of references.
func (s *Service) ArticleTitles(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID    int64
		Title string
	}
	if err := s.db.WithContext(ctx).Model(&Article{}).Select("id, title").Where("id IN ?", ids).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("news: article titles: %w", err)
	}
	for _, r := range rows {
		out[r.ID] = r.Title
	}
	return out, nil
}

// loadArticle reads every column of article id with db (a transaction or not).
func loadArticle(db *gorm.DB, id int64) (*Article, error) {
	var a Article
	err := db.Where("id = ?", id).Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("news: article %d: %w", id, err)
	}
	return &a, nil
}

// Create stores in as a new draft by a, with its tags, a first revision and an audit entry, in
// one transaction. A slug made from the title gets -2, -3 … appended when taken; a slug the
// user typed that is taken is a validation error.
func (s *Service) Create(ctx context.Context, a Actor, in ArticleInput) (*Article, error) {
	tree, err := s.Tree(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	errs := in.Validate(tree)
	checkExpiry(errs, &in, nil, now)
	var id int64
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := checkStored(tx, errs, &in, 0, ""); err != nil {
			return err
		}
		art := Article{Status: Draft, CreatedBy: &a.UserID, CreatedAt: now}
		applyInput(&art, &in, a, now)
		if art.ID, err = nextArticleID(tx); err != nil {
			return err
		}
		if err := tx.Omit(clause.Associations).Create(&art).Error; err != nil {
			return fmt.Errorf("news: create article: %w", err)
		}
		id = art.ID
		return s.afterSave(tx, a, &art, &in, "Created", "article.create", now)
	})
	if err != nil {
		return nil, err
	}
	return s.Article(ctx, id)
}

// nextArticleID takes the next article id: above every id ever given, including those of
// deleted articles, and above any row inserted without it (the demo loader's).
func nextArticleID(tx *gorm.DB) (int64, error) {
	var id int64
	err := tx.Raw(`UPDATE id_sequences SET last = MAX(last, (SELECT COALESCE(MAX(id), 0) FROM articles)) + 1
		WHERE name = 'articles' RETURNING last`).Scan(&id).Error
	if err != nil {
		return 0, fmt.Errorf("news: next article id: %w", err)
	}
	if id == 0 {
		return 0, fmt.Errorf("news: next article id: no sequence row")
	}
	return id, nil
}

// Update saves in over article id. Writers may change their own drafts and articles in review,
// editors any article; the status stays as it is. When baseUpdatedAt is not zero it must equal
// (to the second) the article's UpdatedAt when the form was opened, or ErrConflict is returned
// and nothing is saved. Every save keeps a revision (the first save of an article without one
// keeps its state before the save as well); a published article's search entry is replaced in
// the same transaction.
func (s *Service) Update(ctx context.Context, a Actor, id int64, in ArticleInput, baseUpdatedAt time.Time) (*Article, error) {
	return s.save(ctx, a, id, in, baseUpdatedAt, "article.update", "")
}

// save is Update with the audit action and the revision note.
func (s *Service) save(ctx context.Context, a Actor, id int64, in ArticleInput, base time.Time, action, note string) (*Article, error) {
	tree, err := s.Tree(ctx)
	if err != nil {
		return nil, err
	}
	errs := in.Validate(tree)
	var visible bool
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		art, err := loadArticle(tx, id)
		if err != nil {
			return err
		}
		if !a.CanEdit(art) {
			return ErrForbidden
		}
		if !base.IsZero() && !art.UpdatedAt.Truncate(time.Second).Equal(base.Truncate(time.Second)) {
			return ErrConflict
		}
		now := s.now()
		checkExpiry(errs, &in, art.ExpiresAt, now)
		if err := checkStored(tx, errs, &in, id, art.Slug); err != nil {
			return err
		}
		if err := keepOriginal(tx, art); err != nil {
			return err
		}
		stamp := nextStamp(now, art.UpdatedAt)
		applyInput(art, &in, a, stamp)
		if err := tx.Model(&Article{}).Where("id = ?", id).Updates(contentColumns(art)).Error; err != nil {
			return fmt.Errorf("news: update article %d: %w", id, err)
		}
		visible = art.Status == Published
		return s.afterSave(tx, a, art, &in, note, action, stamp)
	})
	if err != nil {
		return nil, err
	}
	if visible {
		s.changed()
	}
	return s.Article(ctx, id)
}

// applyInput copies the form values onto art and renders the body.
func applyInput(art *Article, in *ArticleInput, a Actor, now time.Time) {
	art.Title, art.Slug, art.Summary, art.BodySource = in.Title, in.Slug, in.Summary, in.BodySource
	art.BodyHTML = markup.Render(in.BodySource)
	art.Source, art.Author, art.Photographer, art.Editor = in.Source, in.Author, in.Photographer, in.Editor
	art.CategoryID, art.CoverMediaID = in.CategoryID, in.CoverMediaID
	art.ExpiresAt = in.ExpiresAt
	// Placement on the home page is an editor's call: a writer's save keeps what is stored.
	if a.CanPublish {
		art.Pinned, art.Featured = in.Pinned, in.Featured
	}
	art.UpdatedBy, art.UpdatedAt = &a.UserID, now
}

// contentColumns are the columns a save writes, named so zero values are written too.
func contentColumns(art *Article) map[string]any {
	return map[string]any{
		"title": art.Title, "slug": art.Slug, "summary": art.Summary, "body_source": art.BodySource,
		"body_html": art.BodyHTML, "source": art.Source, "author": art.Author,
		"photographer": art.Photographer, "editor": art.Editor, "category_id": art.CategoryID,
		"cover_media_id": art.CoverMediaID, "pinned": art.Pinned, "featured": art.Featured,
		"expires_at": art.ExpiresAt, "updated_by": art.UpdatedBy, "updated_at": art.UpdatedAt,
	}
}

// afterSave does what every save shares: tags, revision, search entry, audit entry.
func (s *Service) afterSave(tx *gorm.DB, a Actor, art *Article, in *ArticleInput, note, action string, now time.Time) error {
	if err := setTags(tx, art.ID, in.Tags); err != nil {
		return err
	}
	if err := addRevision(tx, &a.UserID, art.ID, in, note, now); err != nil {
		return err
	}
	if art.Status == Published {
		if err := indexArticle(tx, art); err != nil {
			return err
		}
	}
	return s.record(tx, a, action, art, art.Title, now)
}

// record writes the audit entry of a change made by a to art.
func (s *Service) record(tx *gorm.DB, a Actor, action string, art *Article, detail string, now time.Time) error {
	return audit.Record(tx, audit.Entry{
		UserID: &a.UserID, UserEmail: a.Email, IP: a.IP, Action: action,
		Subject: fmt.Sprintf("article %d", art.ID), Detail: detail, At: now,
	})
}

// indexArticle puts art's text in the search index.
func indexArticle(tx *gorm.DB, art *Article) error {
	return search.Index(tx, search.Doc{ID: art.ID, Title: art.Title, Summary: art.Summary, Body: markup.PlainText(art.BodySource)})
}

// nextStamp is the UpdatedAt of a save: now, but always later than the previous one, because
// UpdatedAt is what the edit form sends back to detect a conflicting save and two saves within
// one second must still differ.
func nextStamp(now, prev time.Time) time.Time {
	now, prev = now.UTC().Truncate(time.Second), prev.UTC().Truncate(time.Second)
	if !now.After(prev) {
		return prev.Add(time.Second)
	}
	return now
}

// checkStored adds to errs what only the database can tell, and returns errs when it holds
// anything: the slug must be free and the cover image must exist. It settles in.Slug for
// article id (0 when new): a typed slug must be free; an empty one keeps current (on update)
// or is made from the title, numbered until free.
func checkStored(tx *gorm.DB, errs validate.Errors, in *ArticleInput, id int64, current string) error {
	if err := resolveArticleSlug(tx, errs, in, id, current); err != nil {
		return err
	}
	if err := checkCover(tx, errs, in); err != nil {
		return err
	}
	return errs.Err()
}

func resolveArticleSlug(tx *gorm.DB, errs validate.Errors, in *ArticleInput, id int64, current string) error {
	if _, bad := errs["slug"]; bad {
		return nil
	}
	if in.Slug != "" {
		taken, err := articleSlugTaken(tx, in.Slug, id)
		if taken {
			errs.Add("slug", "This slug is already used by another article")
		}
		return err
	}
	if current != "" {
		in.Slug = current
		return nil
	}
	base := Slugify(in.Title)
	if base == "" {
		base = "article"
	}
	for n := 1; ; n++ {
		slug := numbered(base, n)
		taken, err := articleSlugTaken(tx, slug, id)
		if err != nil {
			return err
		}
		if !taken {
			in.Slug = slug
			return nil
		}
	}
}

// numbered returns base for n == 1, else base-n, cut so the result stays a valid slug.
func numbered(base string, n int) string {
	if n == 1 {
		return base
	}
	suffix := "-" + strconv.Itoa(n)
	if len(base)+len(suffix) > maxSlugLen {
		base = trimHyphens(base[:maxSlugLen-len(suffix)])
	}
	return base + suffix
}

func trimHyphens(s string) string {
	for len(s) > 0 && s[len(s)-1] == '-' {
		s = s[:len(s)-1]
	}
	return s
}

func articleSlugTaken(tx *gorm.DB, slug string, exceptID int64) (bool, error) {
	var n int64
	if err := tx.Model(&Article{}).Where("slug = ? AND id <> ?", slug, exceptID).Limit(1).Count(&n).Error; err != nil {
		return false, fmt.Errorf("news: check slug %q: %w", slug, err)
	}
	return n > 0, nil
}

// checkCover refuses a cover image that is not in the media library.
func checkCover(tx *gorm.DB, errs validate.Errors, in *ArticleInput) error {
	if in.CoverMediaID == nil {
		return nil
	}
	var n int64
	if err := tx.Table("media").Where("id = ?", *in.CoverMediaID).Count(&n).Error; err != nil {
		return fmt.Errorf("news: check cover %d: %w", *in.CoverMediaID, err)
	}
	if n == 0 {
		errs.Add("cover_media_id", "Choose an image from the media library")
	}
	return nil
}
