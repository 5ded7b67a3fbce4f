package news

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"campusnews/internal/search"
	"campusnews/internal/validate"
)

// A workflowStep moves one article along the workflow.
type workflowStep struct {
	action string // audit action
	// check returns ErrForbidden, ErrWrongStatus or a validation error when the step does not
	// apply; now is the service's clock.
	check func(a Actor, art *Article, now time.Time) error
	// apply sets the new status and whatever goes with it.
	apply func(a Actor, art *Article, now time.Time)
	// detail is the audit entry's detail; nil means the title.
	detail func(art *Article) string
}

// move runs st on article id in one transaction: check, then takeStep. What readers see moves
// when the article enters or leaves the published state.
func (s *Service) move(ctx context.Context, a Actor, id int64, st *workflowStep) error {
	return s.write(ctx, func(tx *gorm.DB) (bool, error) {
		art, err := lockArticle(tx, id)
		if err != nil {
			return false, err
		}
		now := s.now()
		if err := st.check(a, art, now); err != nil {
			return false, err
		}
		before := art.Status
		if err := s.takeStep(tx, a, art, st, now, nextStamp(now, art.UpdatedAt)); err != nil {
			return false, err
		}
		return before == Published || art.Status == Published, nil
	})
}

// takeStep applies st, already checked, to art with tx: the new status, the search index in
// step with it (only published articles are in it) and the audit entry. stamp is the
// article's new UpdatedAt.
func (s *Service) takeStep(tx *gorm.DB, a Actor, art *Article, st *workflowStep, now, stamp time.Time) error {
	st.apply(a, art, now)
	art.UpdatedBy, art.UpdatedAt = &a.UserID, stamp
	if err := tx.Model(&Article{}).Where("id = ?", art.ID).Updates(statusColumns(art)).Error; err != nil {
		return fmt.Errorf("news: %s %d: %w", st.action, art.ID, err)
	}
	if err := syncIndex(tx, art); err != nil {
		return err
	}
	detail := art.Title
	if st.detail != nil {
		detail = st.detail(art)
	}
	return s.record(tx, a, st.action, art, detail, now)
}

// statusColumns are the columns a workflow step may change.
func statusColumns(art *Article) map[string]any {
	return map[string]any{
		"status": art.Status, "published_at": art.PublishedAt, "expires_at": art.ExpiresAt,
		"approved_by": art.ApprovedBy, "updated_by": art.UpdatedBy, "updated_at": art.UpdatedAt,
	}
}

// syncIndex puts a published article in the search index and takes any other out.
func syncIndex(tx *gorm.DB, art *Article) error {
	if art.Status == Published {
		return indexArticle(tx, art)
	}
	return search.Remove(tx, art.ID)
}

// needPublish is the check of the steps only editors and admins take, from the given statuses.
func needPublish(from ...Status) func(Actor, *Article, time.Time) error {
	return func(a Actor, art *Article, _ time.Time) error {
		if !a.CanPublish {
			return ErrForbidden
		}
		return statusIn(art, from)
	}
}

func statusIn(art *Article, from []Status) error {
	for _, st := range from {
		if art.Status == st {
			return nil
		}
	}
	return fmt.Errorf("%w: article %d is %s", ErrWrongStatus, art.ID, art.Status)
}

// Submit sends a draft to review. The author and editors may.
func (s *Service) Submit(ctx context.Context, a Actor, id int64) error {
	return s.move(ctx, a, id, submitStep())
}

func submitStep() *workflowStep {
	return &workflowStep{
		action: "article.submit",
		check: func(a Actor, art *Article, _ time.Time) error {
			if !a.CanOpen(art) {
				return ErrForbidden
			}
			return statusIn(art, []Status{Draft})
		},
		apply: func(_ Actor, art *Article, _ time.Time) { art.Status = Review },
	}
}

// Publish makes the article visible now and puts it in the search index. PublishedAt keeps an
// earlier date (re-publishing does not make old news new) but a scheduled date still in the
// future becomes now. An expiry already past is cleared: an editor who publishes an expired
// notice wants it seen. Editors and admins only.
func (s *Service) Publish(ctx context.Context, a Actor, id int64) error {
	return s.move(ctx, a, id, publishStep())
}

func publishStep() *workflowStep {
	return &workflowStep{
		action: "article.publish",
		check:  needPublish(Draft, Review, Scheduled, Expired, Archived),
		apply: func(a Actor, art *Article, now time.Time) {
			art.Status, art.ApprovedBy = Published, &a.UserID
			if art.PublishedAt == nil || art.PublishedAt.After(now) {
				art.PublishedAt = &now
			}
			if art.ExpiresAt != nil && !art.ExpiresAt.After(now) {
				art.ExpiresAt = nil
			}
		},
	}
}

// Schedule approves the article for publication at at, which must be in the future and before
// its expiry; PublishDue publishes it then. Editors and admins only; a published article must
// be unpublished first.
func (s *Service) Schedule(ctx context.Context, a Actor, id int64, at time.Time) error {
	return s.move(ctx, a, id, scheduleStep(at))
}

func scheduleStep(at time.Time) *workflowStep {
	at = at.UTC().Truncate(time.Second)
	return &workflowStep{
		action: "article.schedule",
		check: func(a Actor, art *Article, now time.Time) error {
			if err := needPublish(Draft, Review, Scheduled, Expired, Archived)(a, art, now); err != nil {
				return err
			}
			if !at.After(now) {
				return validate.Errors{"publish_at": "Choose a time in the future"}
			}
			if art.ExpiresAt != nil && !at.Before(*art.ExpiresAt) {
				return validate.Errors{"publish_at": "Choose a time before the article expires"}
			}
			return nil
		},
		apply: func(a Actor, art *Article, _ time.Time) {
			art.Status, art.PublishedAt, art.ApprovedBy = Scheduled, &at, &a.UserID
		},
		detail: func(art *Article) string { return art.Title + " (for " + at.Format(time.RFC3339) + ")" },
	}
}

// Unpublish takes a published, scheduled or expired article back to draft and out of the
// search index. A scheduled article was never out, so it loses its publication date. Editors
// and admins only.
func (s *Service) Unpublish(ctx context.Context, a Actor, id int64) error {
	return s.move(ctx, a, id, &workflowStep{
		action: "article.unpublish",
		check:  needPublish(Published, Scheduled, Expired),
		apply: func(_ Actor, art *Article, _ time.Time) {
			if art.Status == Scheduled {
				art.PublishedAt = nil
			}
			art.Status = Draft
		},
	})
}

// ArchiveArticle retires the article from the site and the search index whatever its status.
// Editors and admins only. (Archive is the reader's list of months.)
func (s *Service) ArchiveArticle(ctx context.Context, a Actor, id int64) error {
	return s.move(ctx, a, id, &workflowStep{
		action: "article.archive",
		check:  needPublish(Draft, Review, Scheduled, Published, Expired),
		apply:  func(_ Actor, art *Article, _ time.Time) { art.Status = Archived },
	})
}

// Delete removes the article with its revisions and tag links, and its search entry. Editors
// and admins may delete any article; writers only their own drafts that were never published.
func (s *Service) Delete(ctx context.Context, a Actor, id int64) error {
	return s.write(ctx, func(tx *gorm.DB) (bool, error) {
		art, err := lockArticle(tx, id)
		if err != nil {
			return false, err
		}
		if !a.CanDelete(art) {
			return false, ErrForbidden
		}
		if err := search.Remove(tx, id); err != nil {
			return false, err
		}
		if err := tx.Exec("DELETE FROM articles WHERE id = ?", id).Error; err != nil {
			return false, fmt.Errorf("news: delete article %d: %w", id, err)
		}
		return art.Status == Published, s.record(tx, a, "article.delete", art, art.Title, s.now())
	})
}
