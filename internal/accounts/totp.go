package accounts

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"campusnews/internal/audit"
	"campusnews/internal/validate"
)

// totpIssuer names the site in authenticator apps. It is the same for every installation so
// that changing the site's name does not orphan enrolled devices.
const totpIssuer = "campusnews"

// Recovery codes: recoveryCount codes of three groups of four lower-case letters, about 54
// bits each, so a fast hash stores them safely.
const (
	recoveryCount   = 10
	recoveryGroups  = 3
	recoveryGroup   = 4
	recoveryLetters = "abcdefghijkmnpqrstuvwxyz"
)

// Messages beside the code fields.
const (
	msgSetupCodeWrong = "That code is not right. Enter the six digits your app shows now."
	msgCodeWrong      = "Enter a current code from your authenticator app, or a recovery code"
)

// totpOpts are the settings authenticator apps assume, with one step of clock skew either way.
var totpOpts = totp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// NewTOTPKey makes a new two-factor secret for the account with email, for an authenticator
// app to read from a QR code of its otpauth:// URL. Nothing is stored: the secret takes effect
// only through EnableTOTP, so showing a setup page changes no account.
func NewTOTPKey(email string) (*otp.Key, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: email})
	if err != nil {
		return nil, fmt.Errorf("accounts: totp secret: %w", err)
	}
	return key, nil
}

// TOTPEnable is what turning two-factor sign-in on takes.
type TOTPEnable struct {
	Password string // the account's password, asked again: a stolen session is not enough
	Secret   string // from NewTOTPKey, as shown during the setup
	Code     string // the app's current code, proving it holds Secret
	Keep     string // the caller's session id: that session stays, every other one ends
}

// EnableTOTP turns two-factor sign-in on for account id (act) with in.Secret once in.Code
// proves the authenticator app holds it and in.Password is the account's. The code is spent:
// it cannot log in again. Every session of the account but in.Keep ends, and 2fa.enable is
// recorded. It returns ten recovery codes in clear, the only time they can be seen; only
// their hashes are kept. A wrong password or code (or an empty secret) comes back as
// validate.Errors keyed password and code; wrong passwords count as failed logins. An
// account that has it on already gives ErrTOTPEnabled.
func (s *Service) EnableTOTP(ctx context.Context, act audit.Actor, id int64, in TOTPEnable) ([]string, error) {
	u, err := s.ByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if u.TOTPEnabled {
		return nil, ErrTOTPEnabled
	}
	step, codeOK := s.matchTOTP(in.Secret, in.Code)
	pwOK, err := s.checkPassword(ctx, act, u, in.Password, "password, to turn on two-factor login")
	if err != nil {
		return nil, err
	}
	errs := validate.Errors{}
	if !pwOK {
		errs.Add("password", msgPasswordWrong)
	}
	if !codeOK || in.Secret == "" {
		errs.Add("code", msgSetupCodeWrong)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	codes := make([]string, recoveryCount)
	hashes := make([]string, recoveryCount)
	for i := range codes {
		if codes[i], err = newRecoveryCode(); err != nil {
			return nil, fmt.Errorf("accounts: recovery code: %w", err)
		}
		hashes[i] = recoveryHash(codes[i])
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// The condition catches an enable from another tab since we read the account.
		res := tx.Model(&User{}).Where("id = ? AND totp_enabled = ?", id, false).
			Updates(map[string]any{"totp_enabled": true, "totp_secret": in.Secret, "totp_last_step": step,
				"recovery_codes": strings.Join(hashes, "\n"), "updated_at": s.now().UTC()})
		if res.Error != nil {
			return fmt.Errorf("accounts: enable totp of %d: %w", id, res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrTOTPEnabled
		}
		if err := endSessions(tx, id, in.Keep); err != nil {
			return err
		}
		return s.record(tx, act, "2fa.enable", id, "")
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// TOTPDisable is what turning two-factor sign-in off takes.
type TOTPDisable struct {
	Password string // the account's password
	Code     string // a current code from the app, or a recovery code
	Keep     string // the caller's session id: that session stays, every other one ends
}

// DisableTOTP turns two-factor sign-in off for account id (act) once in.Password and in.Code
// prove both factors, forgets its secret and recovery codes, ends every session of the
// account but in.Keep, and records 2fa.disable. A wrong password or code comes back as
// validate.Errors keyed password or code, and counts as a failure of its kind; the limits may
// answer *ThrottledError. An account without it is left alone.
func (s *Service) DisableTOTP(ctx context.Context, act audit.Actor, id int64, in TOTPDisable) error {
	u, err := s.ByID(ctx, id)
	if err != nil {
		return err
	}
	if !u.TOTPEnabled {
		return nil
	}
	ok, err := s.checkPassword(ctx, act, u, in.Password, "password, to turn off two-factor login")
	if err != nil {
		return err
	}
	if !ok { // the code is not tried: a recovery code would be spent for nothing
		return validate.Errors{"password": msgPasswordWrong}
	}
	return s.checkCode(ctx, act, u, in.Code, "two-factor, to turn it off", func(tx *gorm.DB) error {
		res := tx.Model(&User{}).Where("id = ?", id).Updates(map[string]any{
			"totp_enabled": false, "totp_secret": "", "recovery_codes": "", "updated_at": s.now().UTC()})
		if res.Error != nil {
			return fmt.Errorf("accounts: disable totp of %d: %w", id, res.Error)
		}
		if err := endSessions(tx, id, in.Keep); err != nil {
			return err
		}
		return s.record(tx, act, "2fa.disable", id, "")
	})
}

// ResetTOTP turns two-factor sign-in off for account id on an administrator's word (act), for
// an owner who has lost both the app and the recovery codes, ends the account's sessions and
// records user.2fa_disable, in one transaction, as a password reset does: a session opened
// with the lost factor does not outlive it. Unlike DisableTOTP it needs no code, so only
// administrators and the command line may call it.
func (s *Service) ResetTOTP(ctx context.Context, act audit.Actor, id int64) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u User
		if err := tx.Where("id = ?", id).Take(&u).Error; err != nil {
			return notFound(err, fmt.Sprintf("reset totp of %d", id))
		}
		err := tx.Model(&User{}).Where("id = ?", id).Updates(map[string]any{
			"totp_enabled": false, "totp_secret": "", "recovery_codes": "",
			"session_version": gorm.Expr(sessionVersionInc), "updated_at": s.now().UTC()}).Error
		if err != nil {
			return fmt.Errorf("accounts: reset totp of %d: %w", id, err)
		}
		if err := endSessions(tx, id, ""); err != nil {
			return err
		}
		return s.record(tx, act, "user.2fa_disable", id, u.Email)
	})
}

// VerifySecondFactor completes the login of account id with a code from its authenticator app
// or an unused recovery code, which it consumes, and records the login. act is the client.
// It returns ErrTOTPInvalid for a wrong code or an account without two-factor sign-in (a
// wrong code is recorded as login.failed), ErrInactive for a deactivated account, and
// *ThrottledError after five wrong codes within fifteen minutes.
func (s *Service) VerifySecondFactor(ctx context.Context, act audit.Actor, id int64, code string) error {
	u, err := s.ByID(ctx, id)
	if err != nil {
		return err
	}
	err = s.checkCode(ctx, act, u, code, "two-factor", func(tx *gorm.DB) error {
		return s.recordLogin(tx, act, u, "two-factor")
	})
	var ve validate.Errors
	if errors.As(err, &ve) {
		return ErrTOTPInvalid
	}
	return err
}

// checkCode checks a second-factor code of u under the code limits and, in one transaction,
// records a wrong one (login.failed with detail) or calls success. A wrong code comes back as
// validate.Errors{"code": …}.
func (s *Service) checkCode(ctx context.Context, act audit.Actor, u *User, code, detail string, success func(*gorm.DB) error) error {
	at, err := s.begin(ctx, kindCode, codeKey(u.ID), addrKey(act.IP), codeLimits)
	if err != nil {
		return err
	}
	ok, err := s.checkSecondFactor(ctx, u.ID, code)
	if err != nil {
		s.release(at)
		return err
	}
	act.UserID, act.Email = u.ID, u.Email
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if ok {
			if err := at.clear(tx); err != nil {
				return err
			}
			return success(tx)
		}
		if err := s.record(tx, act, "login.failed", u.ID, detail); err != nil {
			return err
		}
		return s.failed(tx, at, act, u.ID)
	})
	if err != nil {
		return err
	}
	if !ok {
		s.observeFailure(at)
		return validate.Errors{"code": msgCodeWrong}
	}
	return nil
}

// checkSecondFactor reports whether code is a current TOTP code or an unused recovery code of
// account id, consuming the latter.
func (s *Service) checkSecondFactor(ctx context.Context, id int64, code string) (bool, error) {
	u, err := s.ByID(ctx, id)
	if err != nil {
		return false, err
	}
	if !u.Active {
		return false, ErrInactive
	}
	if !u.TOTPEnabled {
		return false, ErrTOTPInvalid
	}
	code = normalizeCode(code)
	if isDigits(code) {
		return s.useTOTP(ctx, u, code)
	}
	return s.useRecoveryCode(ctx, id, code)
}

// useTOTP accepts code when it belongs to a time step (now, give or take one) later than the
// last one accepted for u, and records that step: each code logs in once.
func (s *Service) useTOTP(ctx context.Context, u *User, code string) (bool, error) {
	step, ok := s.matchTOTP(u.TOTPSecret, code)
	if !ok {
		return false, nil
	}
	res := s.db.WithContext(ctx).Model(&User{}).Where("id = ? AND totp_last_step < ?", u.ID, step).
		Update("totp_last_step", step)
	if res.Error != nil {
		return false, fmt.Errorf("accounts: record totp step of %d: %w", u.ID, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// matchTOTP returns the time step (now, give or take one) whose code of secret is code.
func (s *Service) matchTOTP(secret, code string) (int64, bool) {
	code = normalizeCode(code)
	if secret == "" || len(code) != 6 || !isDigits(code) {
		return 0, false
	}
	step := s.now().Unix() / int64(totpOpts.Period)
	for skew := -int64(totpOpts.Skew); skew <= int64(totpOpts.Skew); skew++ {
		at := time.Unix((step+skew)*int64(totpOpts.Period), 0)
		want, err := totp.GenerateCodeCustom(secret, at, totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step + skew, true
		}
	}
	return 0, false
}

// useRecoveryCode removes code from the unused recovery codes of account id, reporting
// whether it was there. The read and the write share a transaction, and the read locks the
// row (on PostgreSQL; SQLite's one writer takes turns anyway), so a code works once even when
// sent twice at the same moment to two instances.
func (s *Service) useRecoveryCode(ctx context.Context, id int64, code string) (bool, error) {
	want, found := recoveryHash(code), false
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var stored string
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Model(&User{}).Where("id = ?", id).
			Select("recovery_codes").Scan(&stored).Error; err != nil {
			return fmt.Errorf("accounts: read recovery codes of %d: %w", id, err)
		}
		var left []string
		for _, h := range strings.Split(stored, "\n") {
			if h == want && !found {
				found = true
				continue
			}
			if h != "" {
				left = append(left, h)
			}
		}
		if !found {
			return nil
		}
		return tx.Model(&User{}).Where("id = ?", id).Updates(map[string]any{
			"recovery_codes": strings.Join(left, "\n"), "updated_at": s.now().UTC()}).Error
	})
	if err != nil {
		return false, fmt.Errorf("accounts: use recovery code of %d: %w", id, err)
	}
	return found, nil
}

// newRecoveryCode returns a code such as "abcd-efgh-ijkm".
func newRecoveryCode() (string, error) {
	groups := make([]string, recoveryGroups)
	for i := range groups {
		g, err := randomString(recoveryLetters, recoveryGroup)
		if err != nil {
			return "", err
		}
		groups[i] = g
	}
	return strings.Join(groups, "-"), nil
}

// recoveryHash is how a recovery code is stored: the SHA-256 of its letters, so that case,
// dashes and spaces in what people type do not matter.
func recoveryHash(code string) string {
	sum := sha256.Sum256([]byte(normalizeCode(code)))
	return hex.EncodeToString(sum[:])
}

// normalizeCode drops spaces and dashes and lower-cases, as people type codes loosely.
func normalizeCode(code string) string {
	return strings.ToLower(strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' {
			return -1
		}
		return r
	}, code))
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
