package news

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// addRevision keeps in as a revision of article id. The whole input goes into Snapshot so a
// restore can bring back every field, not only the text.
func addRevision(tx *gorm.DB, a Actor, articleID int64, in *ArticleInput, note string, now time.Time) error {
	snap, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("news: snapshot of %d: %w", articleID, err)
	}
	r := Revision{
		ArticleID: articleID, Title: in.Title, Summary: in.Summary, BodySource: in.BodySource,
		Snapshot: string(snap), UserID: &a.UserID, Note: note, CreatedAt: now,
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

// RestoreRevision saves the text, credits, slug, category and tags of revision revisionID
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
	var n int64
	err = s.db.WithContext(ctx).Model(&Revision{}).Where("article_id = ? AND id <= ?", articleID, revisionID).Count(&n).Error
	if err != nil {
		return nil, fmt.Errorf("news: number revision %d: %w", revisionID, err)
	}
	// cur.UpdatedAt as the base: a save between the read above and this one is a conflict, not
	// something to overwrite.
	return s.save(ctx, a, articleID, in, cur.UpdatedAt, "article.restore", fmt.Sprintf("Restored revision %d", n))
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
