package accounts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"campusnews/internal/validate"
)

// Authenticate checks an e-mail address and password from a login form sent from ip. A wrong
// address, a wrong password and a deactivated account all give ErrInvalidCredentials, and an
// unknown address costs a bcrypt comparison too, so neither the answer nor its timing tells
// whether an account exists. After too many failures for the address or from ip it returns
// *ThrottledError without looking at the password. For an account with two-factor sign-in
// the login is complete, and recorded, only after VerifySecondFactor.
func (s *Service) Authenticate(ctx context.Context, email, password, ip string) (*User, error) {
	key, start := normEmail(email), s.now()
	ip = addrKey(ip)
	if wait := s.logins.begin(key, start); wait > 0 {
		return nil, &ThrottledError{RetryAfter: wait}
	}
	if wait := s.ips.begin(ip, start); wait > 0 {
		s.logins.release(key)
		return nil, &ThrottledError{RetryAfter: wait}
	}
	u, err := s.ByEmail(ctx, key)
	if err != nil && !errors.Is(err, ErrNotFound) {
		s.logins.release(key)
		s.ips.release(ip)
		return nil, err
	}
	var ok bool
	if u == nil {
		passwordMatches(s.dummy(), password)
	} else {
		ok = passwordMatches(u.PasswordHash, password) && u.Active
	}
	if !ok {
		now := s.now()
		s.logins.fail(key, now)
		s.ips.fail(ip, now)
		return nil, ErrInvalidCredentials
	}
	s.logins.reset(key)
	s.logins.release(key)
	s.ips.release(ip)
	if !u.TOTPEnabled {
		if err := s.RecordLogin(ctx, u); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// dummy is a hash at the current cost of a password nobody knows, compared against for an
// unknown address so that it takes as long as a known one.
func (s *Service) dummy() string {
	s.dummyMu.Lock()
	defer s.dummyMu.Unlock()
	if s.dummyHash == "" {
		pw, err := randomString(unambiguous, 32)
		if err == nil {
			s.dummyHash, err = hashPassword(pw, s.cost)
		}
		if err != nil {
			panic(fmt.Sprintf("accounts: dummy hash: %v", err)) // crypto/rand failing is not recoverable
		}
	}
	return s.dummyHash
}

// RecordLogin notes in u and in the database that u has just signed in.
func (s *Service) RecordLogin(ctx context.Context, u *User) error {
	now := s.now().UTC().Truncate(time.Second)
	if err := s.db.WithContext(ctx).Model(&User{}).Where("id = ?", u.ID).
		Update("last_login_at", now).Error; err != nil {
		return fmt.Errorf("accounts: record login of %d: %w", u.ID, err)
	}
	u.LastLoginAt = &now
	return nil
}

// SetPassword replaces the password of account id, as an administrator or the command line
// does, and ends the account's sessions. mustChange makes the owner choose a new one at the
// next login. A password the policy refuses comes back as validate.Errors{"password": …}.
func (s *Service) SetPassword(ctx context.Context, id int64, pw string, mustChange bool) error {
	if msg := PasswordPolicy(pw); msg != "" {
		return validate.Errors{"password": msg}
	}
	return s.storePassword(ctx, id, pw, mustChange)
}

// ChangePassword lets the owner of account id replace current with next. It clears the
// must-change flag and ends every session of the account, the caller's too: start a new one
// afterwards. Problems come back as validate.Errors keyed current and password; next must
// differ from current, or a one-time password would stay in use after the forced change.
func (s *Service) ChangePassword(ctx context.Context, id int64, current, next string) error {
	u, err := s.ByID(ctx, id)
	if err != nil {
		return err
	}
	// Wrong current passwords count as failed logins, so a stolen session cannot be used to
	// guess the password without limit.
	key := normEmail(u.Email)
	if wait := s.logins.begin(key, s.now()); wait > 0 {
		return &ThrottledError{RetryAfter: wait}
	}
	defer s.logins.release(key)
	errs := validate.Errors{}
	currentOK := passwordMatches(u.PasswordHash, current)
	if !currentOK {
		s.logins.fail(key, s.now())
		errs.Add("current", msgCurrentWrong)
	}
	// Only when current is right: otherwise the message would be about a password that is
	// not the account's.
	if msg := PasswordPolicy(next); msg != "" {
		errs.Add("password", msg)
	} else if currentOK && next == current {
		errs.Add("password", msgSamePassword)
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return s.storePassword(ctx, id, next, false)
}

// storePassword hashes pw, stores it with mustChange and ends the account's sessions, in one
// transaction.
func (s *Service) storePassword(ctx context.Context, id int64, pw string, mustChange bool) error {
	hash, err := hashPassword(pw, s.cost)
	if err != nil {
		return fmt.Errorf("accounts: hash password: %w", err)
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&User{}).Where("id = ?", id).Updates(map[string]any{
			"password_hash":        hash,
			"must_change_password": mustChange,
			"session_version":      gorm.Expr(sessionVersionInc),
			"updated_at":           s.now().UTC(),
		})
		if res.Error != nil {
			return fmt.Errorf("accounts: set password of %d: %w", id, res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return endSessions(tx, id)
	})
}
