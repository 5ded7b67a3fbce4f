package media

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"

	"golang.org/x/sync/semaphore"
)

// ErrBusy means an image could not be processed because others were using the memory set
// aside for decoding for longer than an upload waits.
var ErrBusy = errors.New("media: busy processing other images")

// Defaults of the decoding gate: how much memory the decodes running at once may use in all
// (which is also the most one image may need), how many run at once (the server's cores
// serve pages too), and how long an upload waits for its turn.
const (
	DefaultDecodeBudget = 192 << 20
	DefaultDecodes      = 2
	DefaultDecodeWait   = 20 * time.Second
)

// collectAbove is the size of a decode after which the garbage it leaves is collected before
// the next decode starts: otherwise the collector, which waits until the heap doubles, lets
// that garbage and the next image's pixels be resident together, twice the budget.
const collectAbove = 32 << 20

// Gate bounds the memory that image decoding takes: each decode holds its estimated bytes,
// at least the budget's share of one of its slots, until it is done, so at most Decodes run
// at once and together they never hold more than the budget. Uploads wait their turn for a
// bounded time, first come first served.
type Gate struct {
	sem    *semaphore.Weighted
	budget int64
	share  int64
	wait   time.Duration
}

// NewGate returns a gate of budget bytes for at most decodes at once, where an upload waits
// at most wait for its turn. Values that are not positive take the defaults.
func NewGate(budget int64, decodes int, wait time.Duration) *Gate {
	if budget <= 0 {
		budget = DefaultDecodeBudget
	}
	if decodes <= 0 {
		decodes = DefaultDecodes
	}
	if wait <= 0 {
		wait = DefaultDecodeWait
	}
	return &Gate{sem: semaphore.NewWeighted(budget), budget: budget, share: budget / int64(decodes), wait: wait}
}

// Budget is the most memory one image may need to be processed, in bytes.
func (g *Gate) Budget() int64 { return g.budget }

// Acquire waits until a decode needing cost bytes may start and returns the function that
// ends it. It returns ErrBusy when the turn does not come within the gate's wait, and the
// context's error when ctx ends first. A cost over the budget is never admitted; callers
// refuse such an image before asking.
func (g *Gate) Acquire(ctx context.Context, cost int64) (release func(), err error) {
	if cost > g.budget {
		return nil, fmt.Errorf("media: decode of %d bytes exceeds the budget of %d", cost, g.budget)
	}
	w := max(cost, g.share)
	wctx, cancel := context.WithTimeout(ctx, g.wait)
	defer cancel()
	if err := g.sem.Acquire(wctx, w); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("media: wait to decode: %w", ctx.Err())
		}
		return nil, ErrBusy
	}
	return func() {
		if cost >= collectAbove {
			runtime.GC()
		}
		g.sem.Release(w)
	}, nil
}
