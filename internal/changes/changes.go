// Package changes keeps the one record of when content readers can see last changed, so that
// every process serving the site notices a change committed by any other and knows what it
// keeps in memory (pages, the category tree, listing counts, settings) is stale.
//
// A service that changes what readers see calls Bump inside the transaction of the change;
// after the commit it calls Sync on its Watcher, so that its own process sees the change
// before the request that made it is answered. Other processes notice it within one poll.
package changes

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
)

// Version is one state of what readers see. Gen changes with every change; Since is the whole
// second the state began, as HTTP dates carry it; Exact is false when the state before began
// within the same second, so that Since alone cannot tell the two apart.
type Version struct {
	Gen   uint64
	Since time.Time
	Exact bool
}

// bumpSQL moves the version on. Since never goes back, even when the clock does; every
// right-hand side reads the row as it was.
const bumpSQL = `UPDATE content_version SET gen = gen + 1,
	exact = CASE WHEN changed_unix < ? THEN TRUE ELSE FALSE END,
	changed_unix = CASE WHEN changed_unix < ? THEN ? ELSE changed_unix END
WHERE id = 1`

// Bump records, with tx, a change readers can see. Call it in the transaction of the change.
func Bump(tx *gorm.DB) error {
	now := time.Now().Unix()
	res := tx.Exec(bumpSQL, now, now, now)
	if res.Error != nil {
		return fmt.Errorf("changes: bump: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return errors.New("changes: bump: no content_version row")
	}
	return nil
}

// Read returns the version stored in the database.
func Read(ctx context.Context, db *gorm.DB) (Version, error) {
	var row struct {
		Gen         uint64
		ChangedUnix int64
		Exact       bool
	}
	err := db.WithContext(ctx).Raw("SELECT gen, changed_unix, exact FROM content_version WHERE id = 1").Scan(&row).Error
	if err != nil {
		return Version{}, fmt.Errorf("changes: read: %w", err)
	}
	if row.Gen == 0 {
		return Version{}, errors.New("changes: read: no content_version row")
	}
	return Version{Gen: row.Gen, Since: time.Unix(row.ChangedUnix, 0).UTC(), Exact: row.Exact}, nil
}

// Watcher holds the current version in memory, so that a request compares against it without
// a query. Run keeps it up to date with changes from other processes; Sync with the
// process's own.
type Watcher struct {
	db  *gorm.DB
	cur atomic.Pointer[Version]
	mu  sync.Mutex // one read of the row at a time, so an older read never replaces a newer
}

// NewWatcher reads the current version of db.
func NewWatcher(ctx context.Context, db *gorm.DB) (*Watcher, error) {
	w := &Watcher{db: db}
	if err := w.Sync(ctx); err != nil {
		return nil, err
	}
	return w, nil
}

// Version is the newest version this process knows of.
func (w *Watcher) Version() Version { return *w.cur.Load() }

// Gen is Version().Gen.
func (w *Watcher) Gen() uint64 { return w.cur.Load().Gen }

// Sync reads the version from the database now. A service calls it after committing a change,
// so the process that made the change never serves what came before it.
func (w *Watcher) Sync(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	v, err := Read(ctx, w.db)
	if err != nil {
		return err
	}
	if old := w.cur.Load(); old == nil || v.Gen > old.Gen {
		w.cur.Store(&v)
	}
	return nil
}

// PollInterval is how often Run looks for changes from other processes.
const PollInterval = 200 * time.Millisecond

// Run notices changes committed by other processes until ctx ends, checking every interval
// (PollInterval when not positive). On SQLite it asks PRAGMA data_version on a connection of
// its own, which changes whenever another connection commits, and reads the version row only
// then; elsewhere it reads the row each time.
func (w *Watcher) Run(ctx context.Context, interval time.Duration, log *slog.Logger) {
	if interval <= 0 {
		interval = PollInterval
	}
	probe := w.probe(ctx)
	defer probe.close()
	// A change committed between NewWatcher and the probe's first look would go unnoticed.
	if err := w.Sync(ctx); err != nil && ctx.Err() == nil {
		log.Error("content version", "err", err)
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		changed, err := probe.changed(ctx)
		if err == nil && changed {
			err = w.Sync(ctx)
		}
		if err != nil && ctx.Err() == nil {
			log.Error("content version", "err", err)
		}
	}
}

// probe tells cheaply whether anything may have been committed since it last looked.
type probe struct {
	conn *sql.Conn // nil: no cheap probe, always read the row
	last int64
}

func (w *Watcher) probe(ctx context.Context) *probe {
	if w.db.Dialector.Name() != "sqlite" {
		return &probe{}
	}
	sqlDB, err := w.db.DB()
	if err != nil {
		return &probe{}
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return &probe{}
	}
	p := &probe{conn: conn}
	if _, err := p.changed(ctx); err != nil {
		conn.Close() //nolint:errcheck // falls back to reading the row
		return &probe{}
	}
	return p
}

// changed reports whether data_version moved since the last call; without a probe connection,
// always.
func (p *probe) changed(ctx context.Context) (bool, error) {
	if p.conn == nil {
		return true, nil
	}
	var v int64
	if err := p.conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
		return false, fmt.Errorf("changes: data_version: %w", err)
	}
	moved := v != p.last
	p.last = v
	return moved, nil
}

func (p *probe) close() {
	if p.conn != nil {
		p.conn.Close() //nolint:errcheck // nothing was written on it
	}
}
