package news

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"

	"gorm.io/gorm"
)

// Views counts article views in memory and writes them in batches, so a page view never costs
// a database write. A crash loses at most one flush interval of counts.
type Views struct {
	db      *gorm.DB
	mu      sync.Mutex
	pending map[int64]int64
}

// NewViews returns a counter writing to db.
func NewViews(db *gorm.DB) *Views {
	return &Views{db: db, pending: make(map[int64]int64)}
}

// Add counts one view of article id.
func (v *Views) Add(id int64) {
	v.mu.Lock()
	v.pending[id]++
	v.mu.Unlock()
}

// Pending returns the views of id not yet written.
func (v *Views) Pending(id int64) int64 {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.pending[id]
}

// viewChunk is how many counts one transaction of Flush writes. A busy archive flushes the
// views of thousands of articles, each on a page of its own: written in one transaction, every
// page stayed in SQLite's memory until the commit (up to 50 MB at 11,000 articles, which the C
// allocator then kept), and the write lock was held the whole time, ahead of editors.
const viewChunk = 256

// Flush writes every pending count, in id order (neighbouring rows share pages) and in
// transactions of viewChunk. On failure the counts not written are kept for the next try.
func (v *Views) Flush(ctx context.Context) error {
	v.mu.Lock()
	batch := v.pending
	v.pending = make(map[int64]int64, len(batch))
	v.mu.Unlock()
	ids := slices.Sorted(maps.Keys(batch))
	for len(ids) > 0 {
		chunk := ids[:min(viewChunk, len(ids))]
		err := ctx.Err() // between chunks: a flush cut short keeps the rest for the next
		if err == nil {
			err = v.writeChunk(context.WithoutCancel(ctx), chunk, batch)
		}
		if err != nil {
			v.mu.Lock()
			for _, id := range ids {
				v.pending[id] += batch[id]
			}
			v.mu.Unlock()
			return fmt.Errorf("news: flush views: %w", err)
		}
		ids = ids[len(chunk):]
	}
	return nil
}

// writeChunk adds the counts of ids in one transaction, one prepared statement run per
// article through database/sql: through GORM each run cost more in building the statement
// than the update did, a few percent of a server's CPU while a crawler reads the archive.
// (One UPDATE … FROM a list of values instead took SQLite five times as long.) ctx is not
// cancellable, or the driver would run each statement in a goroutine of its own.
func (v *Views) writeChunk(ctx context.Context, ids []int64, batch map[int64]int64) error {
	pool, err := v.db.DB()
	if err != nil {
		return err
	}
	tx, err := pool.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, ErrTxDone
	st, err := tx.PrepareContext(ctx, placeholders(v.db, "UPDATE articles SET views = views + ? WHERE id = ?"))
	if err != nil {
		return err
	}
	defer st.Close()
	for _, id := range ids {
		if _, err := st.ExecContext(ctx, batch[id], id); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Run flushes every interval until ctx ends, then flushes once more.
func (v *Views) Run(ctx context.Context, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			if err := v.Flush(context.Background()); err != nil {
				log.Error("final view flush", "err", err)
			}
			return
		case <-t.C:
			// A flush cut short by shutdown keeps its counts for the final one: no error.
			if err := v.Flush(ctx); err != nil && ctx.Err() == nil {
				log.Error("view flush", "err", err)
			}
		}
	}
}
