package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"

	"gorm.io/gorm"

	"campusnews/internal/audit"
)

// SessionLifetime is how long a login lasts at most, however active; the session cookie
// should not outlive it.
const SessionLifetime = 12 * time.Hour

// SessionIdle ends a login nobody has used for this long, such as one left open on a shared
// computer.
const SessionIdle = 2 * time.Hour

// seenEvery limits how often a busy session writes its last-seen time.
const seenEvery = time.Minute

// maxUserAgent bounds what a client can make us store.
const maxUserAgent = 512

// session is one staff login, stored under the SHA-256 of its id so that a copy of the
// database does not hand out live logins.
type session struct {
	ID         string
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	IP         string
	UserAgent  string
}

// TableName keeps GORM on the migration's table.
func (session) TableName() string { return "user_sessions" }

// sessionKey is how a session id is stored.
func sessionKey(sid string) string {
	sum := sha256.Sum256([]byte(sid))
	return hex.EncodeToString(sum[:])
}

// StartSession records a new login of account id from ip and returns its secret id, for the
// session cookie. It also clears out sessions past their lifetime or left idle.
func (s *Service) StartSession(ctx context.Context, id int64, ip, userAgent string) (string, error) {
	u, err := s.ByID(ctx, id)
	if err != nil {
		return "", err
	}
	if !u.Active {
		return "", ErrInactive
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("accounts: session id: %w", err)
	}
	sid := base64.RawURLEncoding.EncodeToString(b)
	if len(userAgent) > maxUserAgent {
		userAgent = userAgent[:maxUserAgent]
	}
	now := s.now().UTC().Truncate(time.Second)
	db := s.db.WithContext(ctx)
	if err := db.Where("created_at < ? OR last_seen_at < ?", now.Add(-SessionLifetime), now.Add(-SessionIdle)).
		Delete(&session{}).Error; err != nil {
		return "", fmt.Errorf("accounts: prune sessions: %w", err)
	}
	row := session{ID: sessionKey(sid), UserID: id, CreatedAt: now, LastSeenAt: now, IP: ip, UserAgent: userAgent}
	if err := db.Create(&row).Error; err != nil {
		return "", fmt.Errorf("accounts: start session for %d: %w", id, err)
	}
	return sid, nil
}

// SessionUser returns the active account signed in with sid. It returns ErrNotFound when the
// session has ended, run past SessionLifetime, sat unused for SessionIdle or belongs to a
// deactivated account.
func (s *Service) SessionUser(ctx context.Context, sid string) (*User, error) {
	if sid == "" {
		return nil, ErrNotFound
	}
	db := s.db.WithContext(ctx)
	var row session
	if err := db.Where("id = ?", sessionKey(sid)).Take(&row).Error; err != nil {
		return nil, notFound(err, "session")
	}
	now := s.now().UTC().Truncate(time.Second)
	if now.Sub(row.CreatedAt) >= SessionLifetime || now.Sub(row.LastSeenAt) >= SessionIdle {
		if err := db.Delete(&session{}, "id = ?", row.ID).Error; err != nil {
			return nil, fmt.Errorf("accounts: end expired session: %w", err)
		}
		return nil, ErrNotFound
	}
	u, err := s.ByID(ctx, row.UserID)
	if err != nil {
		return nil, err
	}
	if !u.Active {
		return nil, ErrNotFound
	}
	if now.Sub(row.LastSeenAt) >= seenEvery {
		if err := db.Model(&session{}).Where("id = ?", row.ID).Update("last_seen_at", now).Error; err != nil {
			return nil, fmt.Errorf("accounts: touch session: %w", err)
		}
	}
	return u, nil
}

// EndSession ends the login with sid, as logging out does, and records logout by act.
// Ending an unknown session is not an error: the result is the same.
func (s *Service) EndSession(ctx context.Context, act audit.Actor, sid string) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var rows []session
		if err := tx.Where("id = ?", sessionKey(sid)).Limit(1).Find(&rows).Error; err != nil {
			return fmt.Errorf("accounts: end session: %w", err)
		}
		if len(rows) == 0 {
			return nil
		}
		if err := tx.Delete(&session{}, "id = ?", rows[0].ID).Error; err != nil {
			return fmt.Errorf("accounts: end session: %w", err)
		}
		if act.UserID == 0 { // a session whose account the caller did not load: deactivated
			var u User
			if err := tx.Where("id = ?", rows[0].UserID).Take(&u).Error; err == nil {
				act.UserID, act.Email = u.ID, u.Email
			}
		}
		return s.record(tx, act, "logout", rows[0].UserID, "")
	})
}

// EndSessions ends every login of account id, the one act is using too, as "log out
// everywhere" does, and records it.
func (s *Service) EndSessions(ctx context.Context, act audit.Actor, id int64) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&User{}).Where("id = ?", id).Update("session_version", gorm.Expr(sessionVersionInc))
		if res.Error != nil {
			return fmt.Errorf("accounts: end sessions of %d: %w", id, res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		res = tx.Where("user_id = ?", id).Delete(&session{})
		if res.Error != nil {
			return fmt.Errorf("accounts: end sessions of %d: %w", id, res.Error)
		}
		return s.record(tx, act, "logout.everywhere", id, fmt.Sprintf("%d sessions ended", res.RowsAffected))
	})
}

// endSessions deletes, with tx, the sessions of account id but the one with secret id keep
// (none when empty), so it can join a larger change.
func endSessions(tx *gorm.DB, id int64, keep string) error {
	q := tx.Where("user_id = ?", id)
	if keep != "" {
		q = q.Where("id <> ?", sessionKey(keep))
	}
	if err := q.Delete(&session{}).Error; err != nil {
		return fmt.Errorf("accounts: end sessions of %d: %w", id, err)
	}
	return nil
}
