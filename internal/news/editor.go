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
	"campusnews/internal/database"
	"campusnews/internal/markup"
	"campusnews/internal/media"
	"campusnews/internal/search"
	"campusnews/internal/validate"
)

// Article returns the article with id in any status, with its tags and event, for the editor.
func (s *Service) Article(ctx context.Context, id int64) (*Article, error) {
	a, err := loadArticle(s.db.WithContext(ctx), id)
	if err != nil {
		return nil, err
	}
	if a.Event, err = loadEvent(s.db.WithContext(ctx), id); err != nil {
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

// bodyColumns are the columns of article_bodies as Article names them.
const bodyColumns = "b.source AS body_source, b.html AS body_html, b.text AS body_text"

// withBody scopes a query of articles to their rows joined with their bodies.
func withBody(db *gorm.DB) *gorm.DB {
	return db.Model(&Article{}).Select("articles.*, " + bodyColumns).
		Joins("JOIN article_bodies b ON b.article_id = articles.id")
}

// loadArticle reads every column of article id and its body with db (a transaction or not).
func loadArticle(db *gorm.DB, id int64) (*Article, error) {
	var a Article
	err := withBody(db).Where("articles.id = ?", id).Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("news: article %d: %w", id, err)
	}
	return &a, nil
}

// lockArticle is loadArticle for a change inside tx: on PostgreSQL the row stays locked until
// tx ends (SQLite's one writer holds the whole database anyway), so that two instances
// changing one article take turns and the second reads what the first wrote.
func lockArticle(tx *gorm.DB, id int64) (*Article, error) {
	return loadArticle(tx.Clauses(clause.Locking{Strength: "UPDATE"}), id)
}

// Step is a workflow step the article form takes together with a save.
type Step string

// The steps of the article form's buttons.
const (
	StepNone     Step = ""         // save only
	StepSubmit   Step = "submit"   // then send it to review
	StepPublish  Step = "publish"  // then publish it now
	StepSchedule Step = "schedule" // then schedule it
)

// Create stores in as a new draft by a, with its tags, a first revision and an audit entry, in
// one transaction. A slug made from the title gets -2, -3 … appended when taken; a slug the
// user typed that is taken is a validation error.
func (s *Service) Create(ctx context.Context, a Actor, in ArticleInput) (*Article, error) {
	return s.SaveAndStep(ctx, a, 0, in, time.Time{}, StepNone, nil)
}

// Update saves in over article id. Writers may change their own drafts and articles in review,
// editors any article; the status stays as it is. When baseUpdatedAt is not zero it must equal
// (to the second) the article's UpdatedAt when the form was opened, or ErrConflict is returned
// and nothing is saved. Every save keeps a revision (the first save of an article without one
// keeps its state before the save as well); a published article's search entry is replaced in
// the same transaction.
func (s *Service) Update(ctx context.Context, a Actor, id int64, in ArticleInput, baseUpdatedAt time.Time) (*Article, error) {
	return s.SaveAndStep(ctx, a, id, in, baseUpdatedAt, StepNone, nil)
}

// SaveAndStep saves in as article id (0: a new draft by a) as Create and Update do, then takes
// step, all in one transaction: when anything is refused, nothing is saved. Every problem with
// the input and the step comes back at once as validate.Errors (a schedule without at, or at
// not in the future, is keyed "publish_at"); a step the article's status does not allow is
// ErrWrongStatus; publishing and scheduling need an editor (ErrForbidden). at is when to
// publish a scheduled article. The article is returned as saved, with its tags.
func (s *Service) SaveAndStep(ctx context.Context, a Actor, id int64, in ArticleInput, base time.Time, step Step, at *time.Time) (*Article, error) {
	return s.saveAndStep(ctx, a, id, in, base, step, at, "", "")
}

// errDryRun rolls back the transaction of CheckSaveAndStep.
var errDryRun = errors.New("news: dry run")

// CheckSaveAndStep reports what SaveAndStep would return with the same arguments, nil when it
// would succeed, and saves nothing: the whole save runs and is rolled back. A page asks it
// before a question ("Publish now?") it should ask only when the answer yes can succeed.
func (s *Service) CheckSaveAndStep(ctx context.Context, a Actor, id int64, in ArticleInput, base time.Time, step Step, at *time.Time) error {
	st, errs, err := s.checkInput(ctx, a, &in, step, at)
	if err != nil {
		return err
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, _, err := s.saveTx(tx, a, id, &in, base, errs, st, "", ""); err != nil {
			return err
		}
		return errDryRun
	})
	if errors.Is(err, errDryRun) {
		return nil
	}
	return err
}

// saveAndStep is SaveAndStep with the audit action and revision note of a save other than the
// form's (a restore); empty means the form's.
func (s *Service) saveAndStep(ctx context.Context, a Actor, id int64, in ArticleInput, base time.Time, step Step,
	at *time.Time, action, note string) (*Article, error) {
	st, errs, err := s.checkInput(ctx, a, &in, step, at)
	if err != nil {
		return nil, err
	}
	var out *Article
	err = s.write(ctx, func(tx *gorm.DB) (bool, error) {
		art, before, err := s.saveTx(tx, a, id, &in, base, errs, st, action, note)
		if err != nil {
			return false, err
		}
		if err := loadTagsTx(tx, []*Article{art}); err != nil {
			return false, err
		}
		out = art
		return before == Published || art.Status == Published, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// checkInput does what a save checks before its transaction: the step, who may take it, and
// the input against the tree. It returns the step's workflow step and the input's problems.
func (s *Service) checkInput(ctx context.Context, a Actor, in *ArticleInput, step Step, at *time.Time) (*workflowStep, validate.Errors, error) {
	st, err := stepOf(step, at)
	if err != nil {
		return nil, nil, err
	}
	if (step == StepPublish || step == StepSchedule) && !a.CanPublish {
		return nil, nil, ErrForbidden
	}
	tree, err := s.Tree(ctx)
	if err != nil {
		return nil, nil, err
	}
	errs := in.Validate(tree)
	if step == StepSchedule && at == nil {
		errs.Add("publish_at", "Choose when to publish")
	}
	return st, errs, nil
}

// stepOf is the workflow step of the form's step, nil for a plain save.
func stepOf(step Step, at *time.Time) (*workflowStep, error) {
	switch step {
	case StepNone:
		return nil, nil
	case StepSubmit:
		return submitStep(), nil
	case StepPublish:
		return publishStep(), nil
	case StepSchedule:
		if at == nil {
			return nil, nil // reported as a field error
		}
		return scheduleStep(*at), nil
	}
	return nil, fmt.Errorf("news: unknown step %q", step)
}

// saveTx is SaveAndStep inside tx. errs holds the input's own problems; everything else that
// is wrong is added to it, and nothing is written unless it ends empty. It returns the article
// as saved and its status before.
func (s *Service) saveTx(tx *gorm.DB, a Actor, id int64, in *ArticleInput, base time.Time, errs validate.Errors,
	st *workflowStep, action, note string) (*Article, Status, error) {
	now := s.now()
	art := &Article{Status: Draft, CreatedBy: &a.UserID, CreatedAt: now}
	if id != 0 {
		var err error
		if art, err = lockArticle(tx, id); err != nil {
			return nil, "", err
		}
		if !a.CanEdit(art) {
			return nil, "", ErrForbidden
		}
		if !base.IsZero() && !art.UpdatedAt.Truncate(time.Second).Equal(base.Truncate(time.Second)) {
			return nil, "", ErrConflict
		}
		if art.Event, err = loadEvent(tx, id); err != nil {
			return nil, "", err
		}
		if err := keepOriginal(tx, art); err != nil {
			return nil, "", err
		}
	}
	before := art.Status
	var stored *time.Time
	if id != 0 {
		stored = art.ExpiresAt
	}
	checkExpiry(errs, in, stored, now)
	if err := checkStored(tx, errs, in, id, art.Slug); err != nil {
		return nil, "", err
	}
	stamp := nextStamp(now, art.UpdatedAt)
	if id == 0 {
		stamp = now
	}
	applyInput(art, in, a, stamp)
	if st != nil {
		if err := st.check(a, art, now); err != nil {
			var verrs validate.Errors
			if !errors.As(err, &verrs) {
				return nil, "", err
			}
			for k, v := range verrs {
				errs.Add(k, v)
			}
		}
	}
	if err := errs.Err(); err != nil {
		return nil, "", err
	}
	if id == 0 {
		if action == "" {
			action, note = "article.create", "Created"
		}
		if err := insertArticle(tx, art); err != nil {
			return nil, "", err
		}
	} else {
		if action == "" {
			action = "article.update"
		}
		if err := tx.Model(&Article{}).Where("id = ?", id).Updates(contentColumns(art)).Error; database.IsUniqueViolation(err) {
			return nil, "", validate.Errors{"slug": msgSlugTaken}
		} else if err != nil {
			return nil, "", fmt.Errorf("news: update article %d: %w", id, err)
		}
		if err := writeBody(tx, art); err != nil {
			return nil, "", err
		}
	}
	if err := s.afterSave(tx, a, art, in, note, action, stamp); err != nil {
		return nil, "", err
	}
	if st != nil {
		if err := s.takeStep(tx, a, art, st, now, stamp); err != nil {
			return nil, "", err
		}
	}
	return art, before, nil
}

// insertArticle stores a new article and its body, under the next id of the sequence unless
// art has one from it already.
func insertArticle(tx *gorm.DB, art *Article) error {
	if art.ID == 0 {
		var err error
		if art.ID, err = nextArticleID(tx); err != nil {
			return err
		}
	}
	// Written out rather than through GORM's Create, which costs ten times as much when an
	// import writes thousands.
	err := tx.Exec(`INSERT INTO articles (id, category_id, status, published_at, expires_at, pinned, featured,
		title, slug, summary, cover_media_id, source, author, photographer, editor, views,
		created_by, approved_by, updated_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		art.ID, art.CategoryID, art.Status, art.PublishedAt, art.ExpiresAt, art.Pinned, art.Featured,
		art.Title, art.Slug, art.Summary, art.CoverMediaID, art.Source, art.Author, art.Photographer, art.Editor, art.Views,
		art.CreatedBy, art.ApprovedBy, art.UpdatedBy, art.CreatedAt, art.UpdatedAt).Error
	if database.IsUniqueViolation(err) { // the slug, taken meanwhile by another instance
		return validate.Errors{"slug": msgSlugTaken}
	}
	if err != nil {
		return fmt.Errorf("news: create article: %w", err)
	}
	return writeBody(tx, art)
}

// writeBody stores art's body, its HTML and its plain text.
func writeBody(tx *gorm.DB, art *Article) error {
	err := tx.Exec(`INSERT INTO article_bodies (article_id, source, html, text) VALUES (?, ?, ?, ?)
		ON CONFLICT (article_id) DO UPDATE SET source = excluded.source, html = excluded.html, text = excluded.text`,
		art.ID, art.BodySource, art.BodyHTML, art.BodyText).Error
	if err != nil {
		return fmt.Errorf("news: body of %d: %w", art.ID, err)
	}
	return nil
}

// nextArticleID takes the next article id: above every id ever given, including those of
// deleted articles.
func nextArticleID(tx *gorm.DB) (int64, error) {
	var id int64
	// Scanned by hand: a tenth of the cost of GORM's Scan, which counts in a bulk import.
	err := scanValues(tx.Raw(`UPDATE id_sequences SET last = last + 1 WHERE name = 'articles' RETURNING last`), &id)
	if err != nil {
		return 0, fmt.Errorf("news: next article id: %w", err)
	}
	return id, nil
}

// applyInput copies the form values onto art and renders the body.
func applyInput(art *Article, in *ArticleInput, a Actor, now time.Time) {
	art.Title, art.Slug, art.Summary = in.Title, in.Slug, in.Summary
	if art.BodySource != in.BodySource || art.BodyHTML == "" && in.BodySource != "" {
		art.BodySource = in.BodySource
		art.BodyHTML, art.BodyText = markup.Render(in.BodySource), markup.PlainText(in.BodySource)
	}
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
		"title": art.Title, "slug": art.Slug, "summary": art.Summary, "source": art.Source, "author": art.Author,
		"photographer": art.Photographer, "editor": art.Editor, "category_id": art.CategoryID,
		"cover_media_id": art.CoverMediaID, "pinned": art.Pinned, "featured": art.Featured,
		"expires_at": art.ExpiresAt, "updated_by": art.UpdatedBy, "updated_at": art.UpdatedAt,
	}
}

// afterSave does what every save shares: tags, event, revision, search entry, audit entry.
func (s *Service) afterSave(tx *gorm.DB, a Actor, art *Article, in *ArticleInput, note, action string, now time.Time) error {
	if err := setTags(tx, art.ID, in.Tags); err != nil {
		return err
	}
	var err error
	if art.Event, err = saveEvent(tx, art.ID, in.Event); err != nil {
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
	e := a.Entry(action, fmt.Sprintf("article %d", art.ID), detail)
	e.At = now
	return audit.Record(tx, e)
}

// indexArticle puts art's text in the search index. A body stored before its plain text was
// kept gets it now.
func indexArticle(tx *gorm.DB, art *Article) error {
	if art.BodyText == "" && art.BodySource != "" {
		art.BodyText = markup.PlainText(art.BodySource)
		if err := writeBody(tx, art); err != nil {
			return err
		}
	}
	return search.Index(tx, search.Doc{ID: art.ID, CategoryID: art.CategoryID, Title: art.Title, Summary: art.Summary, Body: art.BodyText})
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

// checkStored adds to errs what only the database can tell: the slug must be free and the
// cover image must exist. It settles in.Slug for article id (0 when new): a typed slug must be
// free; an empty one keeps current (on update) or is made from the title, numbered until free.
// The error it returns is the database's, if any.
func checkStored(tx *gorm.DB, errs validate.Errors, in *ArticleInput, id int64, current string) error {
	if err := resolveArticleSlug(tx, errs, in, id, current); err != nil {
		return err
	}
	return checkCover(tx, errs, in)
}

// msgSlugTaken is the form's error for a slug another article has.
const msgSlugTaken = "This slug is already used by another article"

func resolveArticleSlug(tx *gorm.DB, errs validate.Errors, in *ArticleInput, id int64, current string) error {
	if _, bad := errs["slug"]; bad {
		return nil
	}
	if in.Slug != "" {
		taken, err := articleSlugTaken(tx, in.Slug, id)
		if taken {
			errs.Add("slug", msgSlugTaken)
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
	var taken bool
	if err := scanValues(tx.Raw("SELECT EXISTS (SELECT 1 FROM articles WHERE slug = ? AND id <> ?)", slug, exceptID), &taken); err != nil {
		return false, fmt.Errorf("news: check slug %q: %w", slug, err)
	}
	return taken, nil
}

// checkCover refuses a cover image that is not in the media library.
func checkCover(tx *gorm.DB, errs validate.Errors, in *ArticleInput) error {
	if in.CoverMediaID == nil {
		return nil
	}
	ok, err := media.Exists(tx, *in.CoverMediaID)
	if err != nil {
		return fmt.Errorf("news: check cover %d: %w", *in.CoverMediaID, err)
	}
	if !ok {
		errs.Add("cover_media_id", "Choose an image from the media library")
	}
	return nil
}
