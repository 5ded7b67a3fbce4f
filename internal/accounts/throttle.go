package accounts

import (
	"net/netip"
	"sync"
	"time"
)

// Throttling limits: after limit failures within window, a key is locked until window after
// the failure that reached the limit.
const (
	accountFailLimit = 5
	ipFailLimit      = 20
	codeFailLimit    = 5
	throttleWindow   = 15 * time.Minute
	throttleMaxKeys  = 10000 // bounds memory when someone tries many addresses or IPs
	throttleBusyWait = time.Second
)

// throttle counts recent failures per key in memory. Attempts still running count against the
// limit too, so parallel guesses cannot slip past it while bcrypt works.
type throttle struct {
	mu      sync.Mutex
	limit   int
	window  time.Duration
	maxKeys int
	entries map[string]*attempts
}

type attempts struct {
	fails       []time.Time // failures within the window, oldest first
	running     int         // attempts begun and not yet failed or released
	lockedUntil time.Time
}

func newThrottle(limit int, window time.Duration) *throttle {
	return &throttle{limit: limit, window: window, maxKeys: throttleMaxKeys, entries: map[string]*attempts{}}
}

// begin starts an attempt for key at now. It returns a positive wait, and starts nothing, when
// key is locked or its failures and running attempts already reach the limit.
func (t *throttle) begin(key string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	a := t.entries[key]
	if a == nil {
		if len(t.entries) >= t.maxKeys {
			t.prune(now)
		}
		a = &attempts{}
		t.entries[key] = a
	}
	a.expire(now, t.window)
	if now.Before(a.lockedUntil) {
		return a.lockedUntil.Sub(now)
	}
	if len(a.fails)+a.running >= t.limit {
		return throttleBusyWait // the running attempts decide: a lock or a fresh start
	}
	a.running++
	return 0
}

// fail ends an attempt for key as failed at now; reaching the limit locks key until window
// after now.
func (t *throttle) fail(key string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	a := t.entries[key]
	if a == nil { // pruned or reset meanwhile
		a = &attempts{}
		t.entries[key] = a
	}
	if a.running > 0 {
		a.running--
	}
	a.expire(now, t.window)
	a.fails = append(a.fails, now)
	if len(a.fails) >= t.limit {
		a.lockedUntil = now.Add(t.window)
		a.fails = nil
	}
}

// release ends an attempt for key without counting it: it succeeded, or never reached the
// password check.
func (t *throttle) release(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	a := t.entries[key]
	if a == nil {
		return
	}
	if a.running > 0 {
		a.running--
	}
	if a.idle() {
		delete(t.entries, key)
	}
}

// reset forgets the failures and any lock of key, as after a successful login.
func (t *throttle) reset(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	a := t.entries[key]
	if a == nil {
		return
	}
	a.fails, a.lockedUntil = nil, time.Time{}
	if a.idle() {
		delete(t.entries, key)
	}
}

// size is how many keys are remembered.
func (t *throttle) size() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.entries)
}

// prune drops keys with nothing left to remember; if the map is still full it drops the key
// whose last activity is oldest. Called with t.mu held.
func (t *throttle) prune(now time.Time) {
	var oldestKey string
	var oldest time.Time
	for k, a := range t.entries {
		a.expire(now, t.window)
		if a.idle() {
			delete(t.entries, k)
			continue
		}
		if last := a.last(); oldestKey == "" || last.Before(oldest) {
			oldestKey, oldest = k, last
		}
	}
	if len(t.entries) >= t.maxKeys {
		delete(t.entries, oldestKey)
	}
}

// expire forgets failures older than window and a lock that has run out.
func (a *attempts) expire(now time.Time, window time.Duration) {
	cut := 0
	for cut < len(a.fails) && !a.fails[cut].After(now.Add(-window)) {
		cut++
	}
	a.fails = a.fails[cut:]
	if !now.Before(a.lockedUntil) {
		a.lockedUntil = time.Time{}
	}
}

// idle reports whether a holds nothing worth keeping.
func (a *attempts) idle() bool {
	return len(a.fails) == 0 && a.running == 0 && a.lockedUntil.IsZero()
}

// last is the latest moment a is about.
func (a *attempts) last() time.Time {
	l := a.lockedUntil
	if n := len(a.fails); n > 0 && a.fails[n-1].After(l) {
		l = a.fails[n-1]
	}
	return l
}

// addrKey is the client address failures are counted against: an IPv6 address by its /64,
// which one client usually holds whole, so rotating through it does not reset the count.
func addrKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil || !a.Is6() || a.Is4In6() {
		return ip
	}
	p, err := a.Prefix(64)
	if err != nil {
		return ip
	}
	return p.String()
}
