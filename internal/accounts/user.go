// Package accounts holds the staff accounts of the portal: roles, password hashing,
// authentication with login throttling, two-factor sign-in and server-side sessions.
package accounts

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// User is one staff account.
type User struct {
	ID                 int64
	Email              string // stored lower-case; unique regardless of case
	Name               string
	Role               Role
	Active             bool
	PasswordHash       string `json:"-"`
	MustChangePassword bool
	SessionVersion     int64  // bumped whenever the account's sessions must end
	TOTPSecret         string `gorm:"column:totp_secret" json:"-"`
	TOTPEnabled        bool   `gorm:"column:totp_enabled"`
	RecoveryCodes      string `json:"-"` // SHA-256 hashes of unused recovery codes, one a line
	LastLoginAt        *time.Time
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// TableName keeps GORM on the migration's table.
func (User) TableName() string { return "users" }

// RecoveryCodesLeft is how many unused recovery codes the account has.
func (u *User) RecoveryCodesLeft() int {
	if u.RecoveryCodes == "" {
		return 0
	}
	return len(strings.Split(u.RecoveryCodes, "\n"))
}

// Errors of the service. Callers compare with errors.Is.
var (
	// ErrNotFound means no account (or no live session) matches.
	ErrNotFound = errors.New("accounts: not found")
	// ErrInvalidCredentials means the e-mail address or password is wrong, or the account is
	// deactivated: the login page must not tell these apart.
	ErrInvalidCredentials = errors.New("accounts: invalid e-mail address or password")
	// ErrInactive means the account has been deactivated.
	ErrInactive = errors.New("accounts: account is deactivated")
	// ErrTOTPInvalid means a two-factor or recovery code is wrong, used, or not expected.
	ErrTOTPInvalid = errors.New("accounts: invalid two-factor code")
	// ErrTOTPEnabled means two-factor sign-in is already on; turn it off before setting it up
	// again.
	ErrTOTPEnabled = errors.New("accounts: two-factor sign-in is already enabled")
)

// ThrottledError means too many attempts failed recently; the next may be made after
// RetryAfter.
type ThrottledError struct {
	RetryAfter time.Duration
	Code       bool // the second-factor code was refused, not the password
}

// Error describes the refusal without saying which limit was hit.
func (e *ThrottledError) Error() string { return "accounts: too many failed logins" }

// notFound maps GORM's missing-row error to ErrNotFound and wraps anything else with where.
func notFound(err error, where string) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return fmt.Errorf("accounts: %s: %w", where, err)
}
