package accounts

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"campusnews/internal/audit"
	"campusnews/internal/database"
)

// Flood control, as Drupal does it: every attempt is a row in login_failures, written before
// the password or code is checked and deleted again when it was right, so attempts still
// running count as failures and parallel guesses cannot slip past a limit while bcrypt works.
// The rows live in the database, so every instance of the site counts the same attempts.
//
// Wrong passwords are counted per account and address together, so that a stranger's guesses
// lock out the stranger and not the account's owner; per address, so one client cannot try
// many accounts; and per account, where the limit only slows: past it, an address may try the
// account only when it has no failure for it within the hour. The right password from an
// address that has not failed is never refused.
type limit struct {
	account bool // counted per account,
	addr    bool // per address, or per both
	max     int
	window  time.Duration
	// slowOnly: past max, only an address without a failure for the account within window
	// may try.
	slowOnly bool
	detail   string // the audit entry recorded when an attempt reaches max
}

// Attempt kinds.
const (
	kindPassword = "password"
	kindCode     = "code"
)

// The limits. Five wrong passwords per account and address in fifteen minutes lets an owner
// mistype a few times; fifty from one address in an hour covers a shared campus address; fifty
// for one account in an hour is an attack, and from then on each attacking address gets one
// guess an hour. Second-factor codes are counted per account: only someone who has the
// password gets to guess one.
var (
	passwordLimits = []limit{
		{account: true, addr: true, max: 5, window: 15 * time.Minute,
			detail: "5 wrong passwords from this address: it may not try this account for 15 minutes"},
		{addr: true, max: 50, window: time.Hour,
			detail: "50 wrong passwords from this address within an hour: it may not log in for an hour"},
		{account: true, max: 50, window: time.Hour, slowOnly: true,
			detail: "50 wrong passwords for this account within an hour: only addresses without a failed attempt may try"},
	}
	codeLimits = []limit{
		{account: true, max: 5, window: 15 * time.Minute,
			detail: "two-factor: 5 wrong codes: no code is accepted for 15 minutes"},
	}
)

const (
	// floodKeep is the longest window: older rows count for nothing and are deleted.
	floodKeep = time.Hour
	// floodPruneEvery spaces out those deletes.
	floodPruneEvery = time.Minute
	// throttleBusyWait is the wait asked for when only attempts still running stand in the way.
	throttleBusyWait = time.Second
	// maxAddrKey bounds what a client address can put in a row.
	maxAddrKey = 64
)

// attempt is one try at a password or code, counted from begin until it is cleared (it was
// right), released (it was never checked) or left in place as a failure.
type attempt struct {
	id      int64
	kind    string
	account string
	addr    string
	at      int64 // Unix seconds
	limits  []limit

	lockouts int // lockouts its failure started, for the Observer
}

// where selects the rows l counts for a.
func (l limit) where(a *attempt) (string, []any) {
	q, args := "kind = ?", []any{a.kind}
	if l.account {
		q += " AND account = ?"
		args = append(args, a.account)
	}
	if l.addr {
		q += " AND addr = ?"
		args = append(args, a.addr)
	}
	return q, args
}

// cut is the oldest moment, exclusive, whose rows l still counts for an attempt at at.
func (l limit) cut(at int64) int64 { return at - int64(l.window/time.Second) }

// allows is the condition, in SQL, under which l lets a start. Counts stop at max, so a
// flood of rows for one key costs no more to count than max of them.
func (l limit) allows(a *attempt) (string, []any) {
	w, args := l.where(a)
	cond := "(SELECT COUNT(*) FROM (SELECT 1 FROM login_failures WHERE " + w + " AND at > ? LIMIT ?) AS n) < ?"
	args = append(args, l.cut(a.at), l.max, l.max)
	if l.slowOnly {
		cond = "(" + cond + " OR NOT EXISTS (SELECT 1 FROM login_failures WHERE kind = ? AND account = ? AND addr = ? AND at > ?))"
		args = append(args, a.kind, a.account, a.addr, l.cut(a.at))
	}
	return cond, args
}

// allowed is the condition under which every limit of a lets it start.
func (a *attempt) allowed() (string, []any) {
	conds := make([]string, len(a.limits))
	var args []any
	for i, l := range a.limits {
		c, ca := l.allows(a)
		conds[i] = c
		args = append(args, ca...)
	}
	return strings.Join(conds, " AND "), args
}

// begin starts an attempt of kind on account from addr, or returns *ThrottledError when a
// limit stands in the way; a refused attempt writes nothing. The check and the row are one
// statement (on PostgreSQL under the limits' locks), so two attempts cannot both take the
// last place under a limit.
func (s *Service) begin(ctx context.Context, kind, account, addr string, limits []limit) (*attempt, error) {
	a := &attempt{kind: kind, account: account, addr: addr, at: s.now().Unix(), limits: limits}
	cond, args := a.allowed()
	db := s.db.WithContext(ctx)
	// A read first: refusing a flood of throttled attempts then takes no write lock.
	var free []int
	if err := db.Raw("SELECT 1 WHERE "+cond, args...).Scan(&free).Error; err != nil {
		return nil, fmt.Errorf("accounts: count failed attempts: %w", err)
	}
	if len(free) == 1 {
		var ids []int64
		insert := func(tx *gorm.DB) error {
			return tx.Raw("INSERT INTO login_failures (kind, account, addr, at) SELECT ?, ?, ?, ? WHERE "+cond+" RETURNING id",
				append([]any{kind, account, addr, a.at}, args...)...).Scan(&ids).Error
		}
		var err error
		if database.Engine(db) == database.Postgres {
			err = db.Transaction(func(tx *gorm.DB) error {
				if err := a.lock(tx); err != nil {
					return err
				}
				return insert(tx)
			})
		} else {
			err = insert(db)
		}
		if err != nil {
			return nil, fmt.Errorf("accounts: start attempt: %w", err)
		}
		if len(ids) == 1 {
			a.id = ids[0]
			return a, nil
		}
	}
	wait, err := s.waitFor(ctx, a)
	if err != nil {
		return nil, err
	}
	if s.observer != nil {
		s.observer.LoginThrottled(kind)
	}
	return nil, &ThrottledError{RetryAfter: wait, Code: kind == kindCode}
}

// lock takes, with tx, PostgreSQL's transaction-level advisory lock on each key a's limits
// count, in one order so that two attempts never wait on each other. Under READ COMMITTED
// two attempts would each count without the other's row and both take the last place (on
// SQLite one writer at a time does that); with the locks the second counts after the first
// has committed.
func (a *attempt) lock(tx *gorm.DB) error {
	keys := make([]string, 0, len(a.limits))
	for _, l := range a.limits {
		k := "login_failures|" + a.kind + "|"
		if l.account {
			k += a.account
		}
		k += "|"
		if l.addr {
			k += a.addr
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range slices.Compact(keys) {
		if err := tx.Exec("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", k).Error; err != nil {
			return fmt.Errorf("accounts: lock failed attempts: %w", err)
		}
	}
	return nil
}

// waitFor is how long a must wait until every limit lets it start.
func (s *Service) waitFor(ctx context.Context, a *attempt) (time.Duration, error) {
	db := s.db.WithContext(ctx)
	var longest int64
	for _, l := range a.limits {
		// The limit opens when the max-th newest row in its window leaves it.
		w, args := l.where(a)
		var nth []int64
		if err := db.Raw("SELECT at FROM login_failures WHERE "+w+" AND at > ? ORDER BY at DESC LIMIT 1 OFFSET ?",
			append(args, l.cut(a.at), l.max-1)...).Scan(&nth).Error; err != nil {
			return 0, fmt.Errorf("accounts: read failed attempts: %w", err)
		}
		if len(nth) == 0 {
			continue
		}
		until := nth[0] + int64(l.window/time.Second)
		if l.slowOnly { // or when this address's last failure for the account leaves it
			var last []int64
			if err := db.Raw("SELECT at FROM login_failures WHERE kind = ? AND account = ? AND addr = ? AND at > ? ORDER BY at DESC LIMIT 1",
				a.kind, a.account, a.addr, l.cut(a.at)).Scan(&last).Error; err != nil {
				return 0, fmt.Errorf("accounts: read failed attempts: %w", err)
			}
			if len(last) == 0 {
				continue
			}
			until = min(until, last[0]+int64(l.window/time.Second))
		}
		longest = max(longest, until-a.at)
	}
	if longest <= 0 {
		return throttleBusyWait, nil // a row went away meanwhile: try again at once
	}
	return time.Duration(longest) * time.Second, nil
}

// failed leaves a's row as a failure and, with tx, records the start of each lockout that a
// reaches: once per lockout, whatever the number of attempts refused during it. act is who
// tried; subject the account, when known.
func (s *Service) failed(tx *gorm.DB, a *attempt, act audit.Actor, subject int64) error {
	for _, l := range a.limits {
		// The rows up to and including a's: of two attempts failing together, only the one
		// whose row is the max-th starts the lockout.
		w, args := l.where(a)
		var n int64
		if err := tx.Raw("SELECT COUNT(*) FROM (SELECT 1 FROM login_failures WHERE "+w+" AND at > ? AND id <= ? LIMIT ?) AS n",
			append(args, l.cut(a.at), a.id, l.max+1)...).Scan(&n).Error; err != nil {
			return fmt.Errorf("accounts: count failed attempts: %w", err)
		}
		if n == int64(l.max) {
			if err := s.record(tx, act, "login.throttled", subject, l.detail); err != nil {
				return err
			}
			a.lockouts++
		}
	}
	return s.pruneFailures(tx)
}

// clear deletes, with tx, what a's success makes moot: the failures of its account from its
// address (for a code, from anywhere), and a's own row. Other counts stay.
func (a *attempt) clear(tx *gorm.DB) error {
	q, args := "kind = ? AND account = ?", []any{a.kind, a.account}
	if a.kind == kindPassword {
		q += " AND addr = ?"
		args = append(args, a.addr)
	}
	if err := tx.Exec("DELETE FROM login_failures WHERE ("+q+") OR id = ?", append(args, a.id)...).Error; err != nil {
		return fmt.Errorf("accounts: clear failed attempts: %w", err)
	}
	return nil
}

// release deletes a's row: it never reached the check, so it counts for nothing.
func (s *Service) release(a *attempt) {
	// A fresh context: the request's may be what ended the attempt.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s.db.WithContext(ctx).Exec("DELETE FROM login_failures WHERE id = ?", a.id) //nolint:errcheck // it then counts as a failure until it expires
}

// pruneFailures deletes, at most once every floodPruneEvery, rows no limit counts any more.
func (s *Service) pruneFailures(tx *gorm.DB) error {
	now := s.now().Unix()
	last := s.lastPrune.Load()
	if now-last < int64(floodPruneEvery/time.Second) || !s.lastPrune.CompareAndSwap(last, now) {
		return nil
	}
	if err := tx.Exec("DELETE FROM login_failures WHERE at <= ?", now-int64(floodKeep/time.Second)).Error; err != nil {
		return fmt.Errorf("accounts: prune failed attempts: %w", err)
	}
	return nil
}

// accountKey is how an address typed at login is counted: a digest, so that the table holds
// no typed text (people type passwords into the e-mail field) and every row is the same size.
func accountKey(email string) string {
	sum := sha256.Sum256([]byte(normEmail(email)))
	return hex.EncodeToString(sum[:16])
}

// codeKey is how the second-factor codes of account id are counted.
func codeKey(id int64) string { return strconv.FormatInt(id, 10) }

// addrKey is the client address failures are counted against: an IPv6 address by its /64,
// which one client usually holds whole, so rotating through it does not reset the count.
func addrKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return clip(ip, maxAddrKey)
	}
	if !a.Is6() || a.Is4In6() {
		return a.Unmap().String()
	}
	p, err := a.Prefix(64)
	if err != nil {
		return clip(ip, maxAddrKey)
	}
	return p.String()
}

// clip cuts s to at most n bytes, on a character boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
