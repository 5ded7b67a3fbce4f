package news

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"campusnews/internal/audit"
)

// dueSQL asks whether anything is due, on indexes only: articles_listing (status, published_at)
// for the scheduled branch, articles_expiry (status, expires_at) for the expiring one.
const dueSQL = `SELECT 1 FROM articles
WHERE (status = ? AND published_at <= ?) OR (status = ? AND expires_at IS NOT NULL AND expires_at <= ?)
LIMIT 1`

// due reports whether PublishDue has anything to do at now.
func (s *Service) due(ctx context.Context, now time.Time) (bool, error) {
	var one []int
	if err := s.db.WithContext(ctx).Raw(dueSQL, Scheduled, now, Published, now).Scan(&one).Error; err != nil {
		return false, fmt.Errorf("news: due: %w", err)
	}
	return len(one) > 0, nil
}

// PublishDue publishes the scheduled articles whose time has come and expires the published
// ones whose expiry has passed, each in its own transaction with an audit entry, and returns
// how many it moved. When nothing is due it costs one indexed query.
func (s *Service) PublishDue(ctx context.Context) (int, error) {
	published, expired, err := s.publishDue(ctx)
	return published + expired, err
}

// publishDue is PublishDue, telling how many articles it published and how many it expired.
func (s *Service) publishDue(ctx context.Context) (published, expired int, err error) {
	now := s.now()
	if ok, err := s.due(ctx, now); err != nil || !ok {
		return 0, 0, err
	}
	moved := [2]int{} // by job
	// Publishing first lets an article whose time and expiry both passed (the server was down)
	// be published and then expired, leaving both entries in the audit log.
	for j, job := range []struct {
		from, to Status
		column   string
		action   string
	}{
		{Scheduled, Published, "published_at", "article.publish.scheduled"},
		{Published, Expired, "expires_at", "article.expire"},
	} {
		var ids []int64
		err := s.db.WithContext(ctx).Model(&Article{}).
			Where("status = ? AND "+job.column+" IS NOT NULL AND "+job.column+" <= ?", job.from, now).
			Order(job.column+", id").Pluck("id", &ids).Error
		if err != nil {
			return moved[0], moved[1], fmt.Errorf("news: due %s: %w", job.from, err)
		}
		for _, id := range ids {
			ok, err := s.moveDue(ctx, id, job.from, job.to, job.column, job.action, now)
			if err != nil {
				return moved[0], moved[1], err
			}
			if ok {
				moved[j]++
			}
		}
	}
	return moved[0], moved[1], nil
}

// moveDue moves article id from one status to the next if it is still due; an editor, or the
// scheduler of another instance, may have changed it since the list was read, and then it is
// left alone. The row is locked while it is read and changed, so of two instances running
// the scheduler one moves it and the other finds it moved.
func (s *Service) moveDue(ctx context.Context, id int64, from, to Status, column, action string, now time.Time) (bool, error) {
	moved := false
	err := s.write(ctx, func(tx *gorm.DB) (bool, error) {
		art, err := lockArticle(tx, id)
		if errors.Is(err, ErrNotFound) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		at := art.PublishedAt
		if column == "expires_at" {
			at = art.ExpiresAt
		}
		if art.Status != from || at == nil || at.After(now) {
			return false, nil
		}
		art.Status = to
		res := tx.Model(&Article{}).Where("id = ? AND status = ?", id, from).
			Updates(map[string]any{"status": to, "updated_at": nextStamp(now, art.UpdatedAt)})
		if res.Error != nil {
			return false, fmt.Errorf("news: %s %d: %w", action, id, res.Error)
		}
		if res.RowsAffected != 1 { // moved meanwhile by another instance's scheduler
			return false, nil
		}
		if err := syncIndex(tx, art); err != nil {
			return false, err
		}
		moved = true
		return true, audit.Record(tx, audit.Entry{Action: action, Subject: fmt.Sprintf("article %d", id), Detail: art.Title, At: now})
	})
	return moved, err
}

// SchedulerObserver learns what each run of RunScheduler did: how many articles it published
// and expired, and the error that ended it early, if any. Metrics implement it, so that this
// package knows nothing of them.
type SchedulerObserver interface {
	SchedulerRun(published, expired int, err error)
}

// SetSchedulerObserver makes RunScheduler report every run to o. Call it before RunScheduler.
func (s *Service) SetSchedulerObserver(o SchedulerObserver) { s.scheduled = o }

// RunScheduler calls PublishDue every interval (one second when interval is not positive)
// until ctx ends, logging what moved and any failure, and telling the SchedulerObserver.
func (s *Service) RunScheduler(ctx context.Context, interval time.Duration, log *slog.Logger) {
	if interval <= 0 {
		interval = time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		published, expired, err := s.publishDue(ctx)
		n := published + expired
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("scheduled publishing", "err", err, "moved", n)
		case n > 0:
			log.Info("scheduled publishing", "moved", n)
		}
		if s.scheduled != nil && (err == nil || ctx.Err() == nil) { // a run cut short by shutdown is no failure
			s.scheduled.SchedulerRun(published, expired, err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
