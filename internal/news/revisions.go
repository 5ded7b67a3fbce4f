package news

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
)

// ErrRevisionIsCurrent means a restore would change nothing: the revision is the same as the
// article now.
var ErrRevisionIsCurrent = errors.New("news: the revision is the current version")

// noteBeforeFirstEdit marks the revision kept of an article that had none when it was first
// saved (loaded by the demo, or older than revisions), so its original can be restored.
const noteBeforeFirstEdit = "As it was before the first edit"

// addRevision keeps in as a revision of article id, saved by userID (nil: unknown). The whole
// input goes into Snapshot so a restore can bring back every field, not only the text.
func addRevision(tx *gorm.DB, userID *int64, articleID int64, in *ArticleInput, note string, now time.Time) error {
	snap, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("news: snapshot of %d: %w", articleID, err)
	}
	r := Revision{
		ArticleID: articleID, Title: in.Title, Summary: in.Summary, BodySource: in.BodySource,
		Snapshot: string(snap), UserID: userID, Note: note, CreatedAt: now,
	}
	if err := tx.Create(&r).Error; err != nil {
		return fmt.Errorf("news: revision of %d: %w", articleID, err)
	}
	return nil
}

// Revisions returns the revisions of article articleID, newest first, without their bodies
// and snapshots (Revision has them). The oldest is number 1, so the i-th of the list is
// number len(list)-i.
func (s *Service) Revisions(ctx context.Context, articleID int64) ([]Revision, error) {
	var out []Revision
	err := s.db.WithContext(ctx).Select("id, article_id, title, summary, user_id, note, created_at").
		Where("article_id = ?", articleID).Order("id DESC").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("news: revisions of %d: %w", articleID, err)
	}
	return out, nil
}

// Revision returns the revision with id, whole.
func (s *Service) Revision(ctx context.Context, id int64) (*Revision, error) {
	var r Revision
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("news: revision %d: %w", id, err)
	}
	return &r, nil
}

// RestoreRevision saves the text, credits, slug, category, tags and event of revision revisionID
// over article articleID, as a new revision noted "Restored revision N" (N counts the
// article's revisions from 1). It needs the permission of Update. Pinning, featuring, the
// expiry and the cover stay as they are now; so does the slug when another article has taken
// it since, and the category when it has been deleted or become a section.
func (s *Service) RestoreRevision(ctx context.Context, a Actor, articleID, revisionID int64) (*Article, error) {
	rev, err := s.Revision(ctx, revisionID)
	if err != nil {
		return nil, err
	}
	if rev.ArticleID != articleID {
		return nil, ErrNotFound
	}
	cur, err := s.Article(ctx, articleID)
	if err != nil {
		return nil, err
	}
	if !a.CanEdit(cur) {
		return nil, ErrForbidden
	}
	in, err := s.restoredInput(ctx, cur, rev)
	if err != nil {
		return nil, err
	}
	if sameRestorable(inputOf(cur), in) {
		// A new revision and audit entry for a save that changes nothing would only bury the
		// real history.
		return nil, ErrRevisionIsCurrent
	}
	var n int64
	err = s.db.WithContext(ctx).Model(&Revision{}).Where("article_id = ? AND id <= ?", articleID, revisionID).Count(&n).Error
	if err != nil {
		return nil, fmt.Errorf("news: number revision %d: %w", revisionID, err)
	}
	// cur.UpdatedAt as the base: a save between the read above and this one is a conflict, not
	// something to overwrite.
	return s.saveAndStep(ctx, a, articleID, in, cur.UpdatedAt, StepNone, nil, "article.restore", fmt.Sprintf("Restored revision %d", n))
}

// RevisionIsCurrent reports whether restoring rev over cur would change nothing, that is,
// whether rev is the current version as far as a restore brings anything back.
func (s *Service) RevisionIsCurrent(ctx context.Context, cur *Article, rev *Revision) (bool, error) {
	if rev.ArticleID != cur.ID {
		return false, nil
	}
	in, err := s.restoredInput(ctx, cur, rev)
	if err != nil {
		return false, err
	}
	return sameRestorable(inputOf(cur), in), nil
}

// sameRestorable reports whether a and b agree on every field a restore sets. Tags are
// compared as the set of their slugs, as they are stored.
func sameRestorable(a, b ArticleInput) bool {
	if a.Title != b.Title || a.Summary != b.Summary || a.BodySource != b.BodySource || a.Slug != b.Slug ||
		a.Source != b.Source || a.Author != b.Author || a.Photographer != b.Photographer || a.Editor != b.Editor ||
		a.CategoryID != b.CategoryID || !sameEvent(a.Event, b.Event) {
		return false
	}
	return slices.Equal(tagSlugs(a.Tags), tagSlugs(b.Tags))
}

// tagSlugs is the sorted set of the slugs of names.
func tagSlugs(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if s := Slugify(n); s != "" {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// keepOriginal records article art as it is stored, before a first save, when it has no
// revision yet: without it the first save would leave no way back to the original text.
func keepOriginal(tx *gorm.DB, art *Article) error {
	var n int64
	if err := tx.Model(&Revision{}).Where("article_id = ?", art.ID).Limit(1).Count(&n).Error; err != nil {
		return fmt.Errorf("news: revisions of %d: %w", art.ID, err)
	}
	if n > 0 {
		return nil
	}
	var names []string
	err := tx.Raw(`SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id
		WHERE at.article_id = ? ORDER BY t.name`, art.ID).Scan(&names).Error
	if err != nil {
		return fmt.Errorf("news: tags of %d: %w", art.ID, err)
	}
	in := inputOf(art)
	in.Tags = names
	return addRevision(tx, art.UpdatedBy, art.ID, &in, noteBeforeFirstEdit, art.UpdatedAt)
}

// restoredInput is cur's input with the revision's fields laid over it. A revision without a
// readable snapshot still gives back its title, summary and text.
func (s *Service) restoredInput(ctx context.Context, cur *Article, rev *Revision) (ArticleInput, error) {
	in := inputOf(cur)
	in.Title, in.Summary, in.BodySource = rev.Title, rev.Summary, rev.BodySource
	var snap ArticleInput
	if json.Unmarshal([]byte(rev.Snapshot), &snap) != nil || snap.Title == "" {
		return in, nil
	}
	in.Source, in.Author, in.Photographer, in.Editor = snap.Source, snap.Author, snap.Photographer, snap.Editor
	in.Tags = snap.Tags
	// A revision saved without an event restores an article without one.
	in.Event = snap.Event
	tree, err := s.Tree(ctx)
	if err != nil {
		return in, err
	}
	if n := tree.Node(snap.CategoryID); n != nil && n.IsCategory() {
		in.CategoryID = snap.CategoryID
	}
	if ValidSlug(snap.Slug) {
		taken, err := articleSlugTaken(s.db.WithContext(ctx), snap.Slug, cur.ID)
		if err != nil {
			return in, err
		}
		if !taken {
			in.Slug = snap.Slug
		}
	}
	return in, nil
}
