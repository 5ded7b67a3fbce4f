package accounts

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"gorm.io/gorm"
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

// EnableTOTP turns two-factor sign-in on for account id with secret (from NewTOTPKey) once
// code proves the authenticator app holds it. It returns ten recovery codes in clear, the only
// time they can be seen; only their hashes are kept. A wrong code or an empty secret gives
// ErrTOTPInvalid; an account that has it on already, ErrTOTPEnabled.
func (s *Service) EnableTOTP(ctx context.Context, id int64, secret, code string) ([]string, error) {
	u, err := s.ByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if u.TOTPEnabled {
		return nil, ErrTOTPEnabled
	}
	if secret == "" || !s.validTOTP(secret, code) {
		return nil, ErrTOTPInvalid
	}
	codes := make([]string, recoveryCount)
	hashes := make([]string, recoveryCount)
	for i := range codes {
		if codes[i], err = newRecoveryCode(); err != nil {
			return nil, fmt.Errorf("accounts: recovery code: %w", err)
		}
		hashes[i] = recoveryHash(codes[i])
	}
	// The condition catches an enable from another tab since we read the account.
	res := s.db.WithContext(ctx).Model(&User{}).Where("id = ? AND totp_enabled = ?", id, false).
		Updates(map[string]any{"totp_enabled": true, "totp_secret": secret,
			"recovery_codes": strings.Join(hashes, "\n"), "updated_at": s.now().UTC()})
	if res.Error != nil {
		return nil, fmt.Errorf("accounts: enable totp of %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, ErrTOTPEnabled
	}
	return codes, nil
}

// DisableTOTP turns two-factor sign-in off for account id and forgets its secret and
// recovery codes.
func (s *Service) DisableTOTP(ctx context.Context, id int64) error {
	res := s.db.WithContext(ctx).Model(&User{}).Where("id = ?", id).Updates(map[string]any{
		"totp_enabled": false, "totp_secret": "", "recovery_codes": "", "updated_at": s.now().UTC()})
	if res.Error != nil {
		return fmt.Errorf("accounts: disable totp of %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// ResetTOTP turns two-factor sign-in off for account id on an administrator's word, for an
// owner who has lost both the app and the recovery codes, and ends the account's sessions
// in the same transaction, as a password reset does: a session opened with the lost factor
// does not outlive it. Unlike DisableTOTP it needs no code, so only administrators and the
// command line may call it.
func (s *Service) ResetTOTP(ctx context.Context, id int64) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&User{}).Where("id = ?", id).Updates(map[string]any{
			"totp_enabled": false, "totp_secret": "", "recovery_codes": "",
			"session_version": gorm.Expr(sessionVersionInc), "updated_at": s.now().UTC()})
		if res.Error != nil {
			return fmt.Errorf("accounts: reset totp of %d: %w", id, res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return endSessions(tx, id)
	})
}

// VerifySecondFactor completes the login of account id with a code from its authenticator app
// or an unused recovery code, which it consumes. It returns ErrTOTPInvalid for a wrong code or
// an account without two-factor sign-in, ErrInactive for a deactivated account, and
// *ThrottledError after five wrong codes within fifteen minutes. Success records the login.
func (s *Service) VerifySecondFactor(ctx context.Context, id int64, code string) error {
	key := strconv.FormatInt(id, 10)
	if wait := s.codes.begin(key, s.now()); wait > 0 {
		return &ThrottledError{RetryAfter: wait}
	}
	ok, err := s.checkSecondFactor(ctx, id, code)
	if err != nil {
		s.codes.release(key)
		return err
	}
	if !ok {
		s.codes.fail(key, s.now())
		return ErrTOTPInvalid
	}
	s.codes.reset(key)
	s.codes.release(key)
	u := &User{ID: id}
	return s.RecordLogin(ctx, u)
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
	if len(code) != 6 {
		return false, nil
	}
	now := s.now()
	step := now.Unix() / int64(totpOpts.Period)
	for skew := -int64(totpOpts.Skew); skew <= int64(totpOpts.Skew); skew++ {
		at := time.Unix((step+skew)*int64(totpOpts.Period), 0)
		want, err := totp.GenerateCodeCustom(u.TOTPSecret, at, totpOpts)
		if err != nil || subtle.ConstantTimeCompare([]byte(want), []byte(code)) != 1 {
			continue
		}
		res := s.db.WithContext(ctx).Model(&User{}).Where("id = ? AND totp_last_step < ?", u.ID, step+skew).
			Update("totp_last_step", step+skew)
		if res.Error != nil {
			return false, fmt.Errorf("accounts: record totp step of %d: %w", u.ID, res.Error)
		}
		return res.RowsAffected == 1, nil
	}
	return false, nil
}

// validTOTP reports whether code is the current code of secret, give or take one step.
func (s *Service) validTOTP(secret, code string) bool {
	code = normalizeCode(code)
	if len(code) != 6 || !isDigits(code) {
		return false
	}
	ok, err := totp.ValidateCustom(code, secret, s.now(), totpOpts)
	return err == nil && ok
}

// useRecoveryCode removes code from the unused recovery codes of account id, reporting
// whether it was there. The read and the write share a transaction, so a code works once
// even when sent twice at the same moment.
func (s *Service) useRecoveryCode(ctx context.Context, id int64, code string) (bool, error) {
	want, found := recoveryHash(code), false
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var stored string
		if err := tx.Model(&User{}).Where("id = ?", id).Select("recovery_codes").Scan(&stored).Error; err != nil {
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
