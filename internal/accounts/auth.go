package accounts

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"campusnews/internal/audit"
	"campusnews/internal/validate"
)

// maxLoggedEmail bounds what a stranger's login attempt puts in the audit log: real addresses
// are far shorter, and what is cut off is still recognisable.
const maxLoggedEmail = 100

// Authenticate checks an e-mail address and password from a login form sent by act (whose IP
// is the client's address). A wrong address, a wrong password and a deactivated account all
// give ErrInvalidCredentials, and an unknown address costs a bcrypt comparison too, so neither
// the answer nor its timing tells whether an account exists. When a limit of the flood
// control stands in the way it returns *ThrottledError without looking at the password. Each
// failure is recorded in the audit log as login.failed, and the start of a lockout once as
// login.throttled; a refused attempt writes nothing. For an account with two-factor sign-in
// the login is complete, and recorded, only after VerifySecondFactor.
func (s *Service) Authenticate(ctx context.Context, act audit.Actor, email, password string) (*User, error) {
	email = normEmail(email)
	at, err := s.begin(ctx, kindPassword, accountKey(email), addrKey(act.IP), passwordLimits)
	if err != nil {
		return nil, err
	}
	u, err := s.ByEmail(ctx, email)
	if err != nil && !errors.Is(err, ErrNotFound) {
		s.release(at)
		return nil, err
	}
	var ok bool
	if u == nil {
		passwordMatches(s.dummy(), password)
	} else {
		ok = passwordMatches(u.PasswordHash, password) && u.Active
	}
	if !ok {
		act.UserID, act.Email = 0, clip(email, maxLoggedEmail)
		err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := s.record(tx, act, "login.failed", 0, ""); err != nil {
				return err
			}
			return s.failed(tx, at, act, 0)
		})
		if err != nil {
			return nil, err
		}
		s.observeFailure(at)
		return nil, ErrInvalidCredentials
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := at.clear(tx); err != nil {
			return err
		}
		if u.TOTPEnabled {
			return nil
		}
		return s.recordLogin(tx, act, u, "")
	})
	if err != nil {
		return nil, err
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

// recordLogin notes, with tx, in u and in the database that u has just signed in, and records
// it in the audit log with detail.
func (s *Service) recordLogin(tx *gorm.DB, act audit.Actor, u *User, detail string) error {
	now := s.now().UTC().Truncate(time.Second)
	if err := tx.Model(&User{}).Where("id = ?", u.ID).Update("last_login_at", now).Error; err != nil {
		return fmt.Errorf("accounts: record login of %d: %w", u.ID, err)
	}
	u.LastLoginAt = &now
	act.UserID, act.Email = u.ID, u.Email
	return s.record(tx, act, "login", u.ID, detail)
}

// checkPassword reports whether pw is the current password of u, asked again on the account
// pages. It counts like a login from act's address, so a stolen session cannot be used to
// guess the password without limit: a wrong one is a failure (recorded as login.failed with
// detail) and the limits may answer *ThrottledError.
func (s *Service) checkPassword(ctx context.Context, act audit.Actor, u *User, pw, detail string) (bool, error) {
	at, err := s.begin(ctx, kindPassword, accountKey(u.Email), addrKey(act.IP), passwordLimits)
	if err != nil {
		return false, err
	}
	ok := passwordMatches(u.PasswordHash, pw)
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if ok {
			return at.clear(tx)
		}
		if err := s.record(tx, act, "login.failed", u.ID, detail); err != nil {
			return err
		}
		return s.failed(tx, at, act, u.ID)
	})
	if err == nil && !ok {
		s.observeFailure(at)
	}
	return ok, err
}

// SetPassword replaces the password of account id, as an administrator or the command line
// (act) does, ends the account's sessions and records user.password_reset. mustChange makes the
// owner choose a new one at the next login. A password the policy refuses comes back as
// validate.Errors{"password": …}.
func (s *Service) SetPassword(ctx context.Context, act audit.Actor, id int64, pw string, mustChange bool) error {
	if msg := PasswordPolicy(pw); msg != "" {
		return validate.Errors{"password": msg}
	}
	return s.storePassword(ctx, id, pw, mustChange, func(tx *gorm.DB, u *User) error {
		return s.record(tx, act, "user.password_reset", u.ID, u.Email)
	})
}

// ChangePassword lets the owner of account id (act) replace current with next. It clears the
// must-change flag, ends every session of the account, the caller's too: start a new one
// afterwards, and records password.change. Problems come back as validate.Errors keyed
// current and password; next must differ from current, or a one-time password would stay in
// use after the forced change. Wrong current passwords count as failed logins.
func (s *Service) ChangePassword(ctx context.Context, act audit.Actor, id int64, current, next string) error {
	u, err := s.ByID(ctx, id)
	if err != nil {
		return err
	}
	currentOK, err := s.checkPassword(ctx, act, u, current, "current password, to change it")
	if err != nil {
		return err
	}
	errs := validate.Errors{}
	if !currentOK {
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
	return s.storePassword(ctx, id, next, false, func(tx *gorm.DB, u *User) error {
		return s.record(tx, act, "password.change", u.ID, "")
	})
}

// storePassword hashes pw, stores it with mustChange, ends the account's sessions and calls
// record, in one transaction.
func (s *Service) storePassword(ctx context.Context, id int64, pw string, mustChange bool, record func(*gorm.DB, *User) error) error {
	hash, err := hashPassword(pw, s.cost)
	if err != nil {
		return fmt.Errorf("accounts: hash password: %w", err)
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u User
		if err := tx.Where("id = ?", id).Take(&u).Error; err != nil {
			return notFound(err, fmt.Sprintf("set password of %d", id))
		}
		err := tx.Model(&User{}).Where("id = ?", id).Updates(map[string]any{
			"password_hash":        hash,
			"must_change_password": mustChange,
			"session_version":      gorm.Expr(sessionVersionInc),
			"updated_at":           s.now().UTC(),
		}).Error
		if err != nil {
			return fmt.Errorf("accounts: set password of %d: %w", id, err)
		}
		if err := endSessions(tx, id, ""); err != nil {
			return err
		}
		return record(tx, &u)
	})
}

// record writes, with tx, the audit entry of action by act on account subject (0: none).
func (s *Service) record(tx *gorm.DB, act audit.Actor, action string, subject int64, detail string) error {
	subj := ""
	if subject != 0 {
		subj = "user " + strconv.FormatInt(subject, 10)
	}
	e := act.Entry(action, subj, detail)
	e.At = s.now()
	return audit.Record(tx, e)
}
