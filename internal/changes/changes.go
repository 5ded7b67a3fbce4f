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
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
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

// Channel is the PostgreSQL notification channel Bump notifies, at commit, of a change.
const Channel = "campusnews_content"

// Bump records, with tx, a change readers can see. Call it in the transaction of the change.
// On PostgreSQL it also notifies Channel, which the server delivers to the listening
// watchers of every instance when tx commits, and never when it rolls back.
func Bump(tx *gorm.DB) error {
	now := time.Now().Unix()
	res := tx.Exec(bumpSQL, now, now, now)
	if res.Error != nil {
		return fmt.Errorf("changes: bump: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return errors.New("changes: bump: no content_version row")
	}
	if tx.Dialector.Name() == "postgres" {
		if err := tx.Exec("SELECT pg_notify(?, '')", Channel).Error; err != nil {
			return fmt.Errorf("changes: notify: %w", err)
		}
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
	db        *gorm.DB
	cur       atomic.Pointer[Version]
	mu        sync.Mutex // one read of the row at a time, so an older read never replaces a newer
	listening atomic.Bool
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

// ListenPoll is how often Run still reads the version row while notifications arrive: should
// the listening connection die without a word (a network partition), changes show within it.
const ListenPoll = 500 * time.Millisecond

// listenRetry is how long Run waits before listening again after its connection failed.
const listenRetry = 5 * time.Second

// Run notices changes committed by other processes until ctx ends, checking every interval
// (PollInterval when not positive). On SQLite it asks PRAGMA data_version on a connection of
// its own, which changes whenever another connection commits, and reads the version row only
// then. On PostgreSQL a connection of its own LISTENs on Channel and reads the row as soon as a
// change is committed anywhere; the row is then read only every ListenPoll or interval,
// whichever is longer, and every interval while the connection is being restored.
func (w *Watcher) Run(ctx context.Context, interval time.Duration, log *slog.Logger) {
	if interval <= 0 {
		interval = PollInterval
	}
	if w.db.Dialector.Name() == "postgres" {
		done := make(chan struct{})
		go func() {
			defer close(done)
			w.listen(ctx, log)
		}()
		defer func() { <-done }()
	}
	probe := w.probe(ctx)
	defer probe.close()
	// A change committed between NewWatcher and the probe's first look would go unnoticed.
	if err := w.Sync(ctx); err != nil && ctx.Err() == nil {
		log.Error("content version", "err", err)
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	last := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if w.listening.Load() && time.Since(last) < ListenPoll {
			continue
		}
		last = time.Now()
		changed, err := probe.changed(ctx)
		if err == nil && changed {
			err = w.Sync(ctx)
		}
		if err != nil && ctx.Err() == nil {
			log.Error("content version", "err", err)
		}
	}
}

// Listening reports whether changes from other processes arrive as PostgreSQL notifications
// (while Run runs on PostgreSQL and its listening connection is up) rather than by polling.
func (w *Watcher) Listening() bool { return w.listening.Load() }

// listen keeps a connection LISTENing on Channel until ctx ends, reading the version row on
// each notification, and opens it again listenRetry after it fails.
func (w *Watcher) listen(ctx context.Context, log *slog.Logger) {
	for {
		err := w.listenOnce(ctx)
		w.listening.Store(false)
		if ctx.Err() != nil {
			return
		}
		log.Warn("content version: listening for changes failed; polling until it is back", "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(listenRetry):
		}
	}
}

// listenOnce listens on one connection of the pool, taken out of it for good: it is closed
// afterwards rather than handed back still listening.
func (w *Watcher) listenOnce(ctx context.Context) error {
	sqlDB, err := w.db.DB()
	if err != nil {
		return err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("changes: listen: a %T is no pgx connection", dc)
		}
		pc := sc.Conn()
		// When ctx ends, the socket is closed at once: a cancel request would find no
		// statement running, and pgx would wait seconds for an answer before giving up.
		stop := context.AfterFunc(ctx, func() { pc.PgConn().Conn().Close() })
		defer stop()
		if _, err := pc.Exec(ctx, "LISTEN "+Channel); err != nil {
			return err
		}
		w.listening.Store(true)
		// What was committed before LISTEN took effect sent no notification this one hears.
		if err := w.Sync(ctx); err != nil {
			return err
		}
		for {
			if _, err := pc.WaitForNotification(ctx); err != nil {
				return err
			}
			if err := w.Sync(ctx); err != nil {
				return err
			}
		}
	})
	// Never back into the pool: the session still listens.
	conn.Raw(func(any) error { return driver.ErrBadConn }) //nolint:errcheck // marks it bad
	return err
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
