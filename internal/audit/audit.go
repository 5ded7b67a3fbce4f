// Package audit records who did what: logins, publishes, deletes, role changes.
package audit

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"gorm.io/gorm"

	"campusnews/internal/database"
)

// Entry is one recorded action.
type Entry struct {
	ID        int64
	UserID    *int64
	UserEmail string
	Action    string // e.g. "login", "login.failed", "article.publish", "user.role"
	Subject   string // what it acted on, e.g. "article 12"
	Detail    string
	IP        string
	At        time.Time
}

// Actor is who made a change, as the audit log records it. A service that changes something
// takes its Actor and records the entry inside the change's own transaction.
type Actor struct {
	UserID int64  // 0: nobody signed in, such as a login attempt or the scheduler
	Email  string // as typed or stored, for the log
	IP     string // the client's address; empty on the command line
	Via    string // how, when not through the site: "command line"
}

// Entry returns the audit entry of action on subject by a.
func (a Actor) Entry(action, subject, detail string) Entry {
	e := Entry{UserEmail: a.Email, IP: a.IP, Action: action, Subject: subject, Detail: detail}
	if a.UserID != 0 {
		id := a.UserID
		e.UserID = &id
	}
	if a.Via != "" {
		e.Detail = strings.TrimSpace(e.Detail + " (" + a.Via + ")")
	}
	return e
}

// TableName keeps GORM on the migration's table.
func (Entry) TableName() string { return "audit_entries" }

// Record writes e with tx, so an action and its entry commit together. Times are kept to the
// whole second, as every table's are, so that entries of one second list in the order they
// were written.
func Record(tx *gorm.DB, e Entry) error {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	e.At = e.At.UTC().Truncate(time.Second)
	if err := tx.Create(&e).Error; err != nil {
		return fmt.Errorf("audit: record %s: %w", e.Action, err)
	}
	return nil
}

// Log reads and writes the audit log.
type Log struct{ db *gorm.DB }

// New returns a Log on db.
func New(db *gorm.DB) *Log { return &Log{db: db} }

// Record writes e on its own.
func (l *Log) Record(ctx context.Context, e Entry) error { return Record(l.db.WithContext(ctx), e) }

// Filter narrows a listing of the log. Zero fields match everything.
type Filter struct {
	Action string // exact action, or a prefix ending in "." such as "article."
	UserID int64
	Query  string // substring of subject, detail, e-mail or address
}

// List returns page (1-based) of entries matching f, newest first, and how many match.
func (l *Log) List(ctx context.Context, f Filter, page, perPage int) ([]Entry, int64, error) {
	q := l.db.WithContext(ctx).Model(&Entry{})
	if strings.HasSuffix(f.Action, ".") {
		q = q.Where("action LIKE ? ESCAPE '\\'", database.EscapeLike(f.Action)+"%")
	} else if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.UserID != 0 {
		q = q.Where("user_id = ?", f.UserID)
	}
	if s := strings.TrimSpace(f.Query); s != "" {
		var conds []string
		var args []any
		for _, col := range []string{"subject", "detail", "user_email", "ip"} {
			cond, arg := database.ContainsLikeOn(l.db, col, s)
			conds, args = append(conds, cond), append(args, arg)
		}
		q = q.Where("("+strings.Join(conds, " OR ")+")", args...)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("audit: count: %w", err)
	}
	if page < 1 {
		page = 1
	}
	var out []Entry
	if err := q.Order("at DESC, id DESC").Limit(perPage).Offset((page - 1) * perPage).Find(&out).Error; err != nil {
		return nil, 0, fmt.Errorf("audit: list: %w", err)
	}
	return out, total, nil
}

// Actions lists the distinct actions recorded, for a filter menu.
func (l *Log) Actions(ctx context.Context) ([]string, error) {
	var out []string
	if err := l.db.WithContext(ctx).Model(&Entry{}).Distinct("action").Order("action").Pluck("action", &out).Error; err != nil {
		return nil, fmt.Errorf("audit: actions: %w", err)
	}
	return out, nil
}

// How long entries are kept. Staff actions and the scheduler's are the record of who changed
// what, and a year covers an academic year and the reviews that follow it. Failed and refused
// logins are caused by anyone on the internet without an account: a month is enough to look
// into an attack, and keeps what strangers can add to the log bounded in time.
const (
	Retention        = 365 * 24 * time.Hour
	FailureRetention = 30 * 24 * time.Hour
)

// failureActions are the entries kept for FailureRetention only.
var failureActions = []string{"login.failed", "login.throttled"}

// pruneBatch bounds one delete, so pruning a large backlog never holds the write lock long.
const pruneBatch = 5000

// Prune deletes the entries older than their retention at now and returns how many.
func (l *Log) Prune(ctx context.Context, now time.Time) (int64, error) {
	now = now.UTC()
	var total int64
	for _, step := range []struct {
		where string
		args  []any
	}{
		{"at < ? AND action IN ?", []any{now.Add(-FailureRetention), failureActions}},
		{"at < ?", []any{now.Add(-Retention)}},
	} {
		for {
			sub := l.db.Model(&Entry{}).Select("id").Where(step.where, step.args...).Limit(pruneBatch)
			res := l.db.WithContext(ctx).Where("id IN (?)", sub).Delete(&Entry{})
			if res.Error != nil {
				return total, fmt.Errorf("audit: prune: %w", res.Error)
			}
			total += res.RowsAffected
			if res.RowsAffected < pruneBatch {
				break
			}
		}
	}
	return total, nil
}

// RunPruning prunes at once and then every interval until ctx ends, logging what it removed.
func (l *Log) RunPruning(ctx context.Context, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		n, err := l.Prune(ctx, time.Now())
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("prune audit log", "err", err)
		case n > 0:
			log.Info("pruned audit log", "entries", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
