package accounts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"campusnews/internal/audit"
	"campusnews/internal/database"
	"campusnews/internal/validate"
)

// Service reads and changes staff accounts and signs people in.
type Service struct {
	db   *gorm.DB
	now  func() time.Time
	cost int

	dummyMu   sync.Mutex
	dummyHash string // compared against for unknown addresses, at the current cost

	lastPrune atomic.Int64 // when expired failed attempts were last deleted, Unix seconds

	observer Observer // told of failed attempts and lockouts; nil: nobody
}

// NewService returns a Service on db hashing at DefaultBcryptCost.
func NewService(db *gorm.DB) *Service {
	return &Service{
		db:   db,
		now:  func() time.Time { return time.Now().UTC().Truncate(time.Second) },
		cost: DefaultBcryptCost,
	}
}

// SetBcryptCost sets the work factor of new password hashes; tests lower it to
// bcrypt.MinCost. Call it before the Service is in use.
func (s *Service) SetBcryptCost(cost int) {
	s.dummyMu.Lock()
	defer s.dummyMu.Unlock()
	s.cost, s.dummyHash = cost, ""
}

// SetClock replaces the clock, for tests of throttling and two-factor codes. Call it before
// the Service is in use.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// NewUser is what creating an account needs.
type NewUser struct {
	Email              string
	Name               string
	Role               Role
	Password           string
	MustChangePassword bool
}

// UserUpdate is what an administrator may change on an account.
type UserUpdate struct {
	Name   string
	Role   Role
	Active bool
}

// Messages shown beside fields.
const (
	msgEmailTaken    = "An account with this e-mail address already exists"
	msgRole          = "Choose a role"
	msgLastAdminOff  = "The last active administrator cannot be deactivated"
	msgLastAdminRole = "The last active administrator must stay an administrator"
	msgCurrentWrong  = "Current password is wrong"
	msgPasswordWrong = "Password is wrong"
	msgSamePassword  = "Choose a password different from your current one"
)

// DefaultAdminEmail is the address of the first administrator when the first start is given
// none.
const DefaultAdminEmail = "admin@campusnews.local"

// bootstrapName is the name of the first administrator.
const bootstrapName = "Administrator"

const (
	maxNameLen  = 100
	maxEmailLen = 254
	// sessionVersionInc bumps the version sessions were issued under.
	sessionVersionInc = "session_version + 1"
)

// normEmail is the form addresses are stored and compared in.
func normEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// Create adds an active account on act's word and records user.create. Field problems come
// back as validate.Errors keyed email, name, role and password.
func (s *Service) Create(ctx context.Context, act audit.Actor, nu NewUser) (*User, error) {
	nu.Email, nu.Name = normEmail(nu.Email), strings.TrimSpace(nu.Name)
	errs := validate.Errors{}
	errs.Required("email", nu.Email, "E-mail address")
	errs.MaxLen("email", nu.Email, maxEmailLen, "E-mail address")
	errs.Email("email", nu.Email)
	validateProfile(errs, nu.Name, nu.Role)
	if msg := PasswordPolicy(nu.Password); msg != "" {
		errs.Add("password", msg)
	}
	if _, ok := errs["email"]; !ok {
		switch _, err := s.ByEmail(ctx, nu.Email); {
		case err == nil:
			errs.Add("email", msgEmailTaken)
		case !errors.Is(err, ErrNotFound):
			return nil, err
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	hash, err := hashPassword(nu.Password, s.cost)
	if err != nil {
		return nil, fmt.Errorf("accounts: hash password: %w", err)
	}
	now := s.now().UTC()
	u := &User{Email: nu.Email, Name: nu.Name, Role: nu.Role, Active: true, PasswordHash: hash,
		MustChangePassword: nu.MustChangePassword, SessionVersion: 1, CreatedAt: now, UpdatedAt: now}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(u).Error; err != nil {
			if database.IsUniqueViolation(err) { // created meanwhile by someone else
				return validate.Errors{"email": msgEmailTaken}
			}
			return fmt.Errorf("accounts: create %s: %w", nu.Email, err)
		}
		return s.record(tx, act, "user.create", u.ID, u.Email+" as "+u.Role.Label())
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// validateProfile checks the fields an administrator edits.
func validateProfile(errs validate.Errors, name string, role Role) {
	errs.Required("name", name, "Name")
	errs.MaxLen("name", name, maxNameLen, "Name")
	if !role.Valid() {
		errs.Add("role", msgRole)
	}
}

// ByID returns the account with id, or ErrNotFound.
func (s *Service) ByID(ctx context.Context, id int64) (*User, error) {
	var u User
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&u).Error; err != nil {
		return nil, notFound(err, fmt.Sprintf("user %d", id))
	}
	return &u, nil
}

// ByEmail returns the account with email, compared without regard to case, or ErrNotFound.
func (s *Service) ByEmail(ctx context.Context, email string) (*User, error) {
	var u User
	if err := s.db.WithContext(ctx).Where("email = ?", normEmail(email)).Take(&u).Error; err != nil {
		return nil, notFound(err, "user by e-mail")
	}
	return &u, nil
}

// List returns every account ordered by name.
func (s *Service) List(ctx context.Context) ([]User, error) {
	var us []User
	if err := s.db.WithContext(ctx).Order("lower(name), id").Find(&us).Error; err != nil {
		return nil, fmt.Errorf("accounts: list: %w", err)
	}
	return us, nil
}

// Count returns how many accounts exist, active or not.
func (s *Service) Count(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&User{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("accounts: count: %w", err)
	}
	return n, nil
}

// Update changes name, role and active state on act's word and records each kind of change
// (user.role, user.deactivate or user.activate, user.update). Deactivating or changing the
// role ends the account's sessions. It refuses to deactivate or demote the last active
// administrator, so the site always keeps someone who can manage accounts.
func (s *Service) Update(ctx context.Context, act audit.Actor, id int64, up UserUpdate) (*User, error) {
	up.Name = strings.TrimSpace(up.Name)
	errs := validate.Errors{}
	validateProfile(errs, up.Name, up.Role)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	var out User
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u User
		// Locked (on PostgreSQL; SQLite's writer holds the whole database): the changes
		// recorded are from what it was to what it is.
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", id).Take(&u).Error; err != nil {
			return notFound(err, fmt.Sprintf("update user %d", id))
		}
		if err := checkLastAdmin(tx, &u, up); err != nil {
			return err
		}
		ends := (u.Active && !up.Active) || u.Role != up.Role
		changes := map[string]any{"name": up.Name, "role": up.Role, "active": up.Active, "updated_at": s.now().UTC()}
		if ends {
			changes["session_version"] = gorm.Expr(sessionVersionInc)
		}
		if err := tx.Model(&User{}).Where("id = ?", id).Updates(changes).Error; err != nil {
			return fmt.Errorf("accounts: update user %d: %w", id, err)
		}
		if ends {
			if err := endSessions(tx, id, ""); err != nil {
				return err
			}
		}
		if err := tx.Where("id = ?", id).Take(&out).Error; err != nil {
			return fmt.Errorf("accounts: read user %d: %w", id, err)
		}
		return s.recordUpdate(tx, act, &u, &out)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// recordUpdate records, with tx, an audit entry for each kind of change from before to after.
func (s *Service) recordUpdate(tx *gorm.DB, act audit.Actor, before, after *User) error {
	type entry struct{ action, detail string }
	var es []entry
	if before.Role != after.Role {
		es = append(es, entry{"user.role", after.Email + ": " + before.Role.Label() + " → " + after.Role.Label()})
	}
	switch {
	case before.Active && !after.Active:
		es = append(es, entry{"user.deactivate", after.Email})
	case !before.Active && after.Active:
		es = append(es, entry{"user.activate", after.Email})
	}
	if before.Name != after.Name {
		es = append(es, entry{"user.update", after.Email + ": name " + before.Name + " → " + after.Name})
	}
	for _, e := range es {
		if err := s.record(tx, act, e.action, after.ID, e.detail); err != nil {
			return err
		}
	}
	return nil
}

// checkLastAdmin refuses an update that would leave no active administrator. It runs inside
// the update's transaction, which holds the write lock on SQLite and locks the active
// administrators' rows on PostgreSQL, so two administrators demoting each other at once
// cannot both succeed: the second counts after the first commits.
func checkLastAdmin(tx *gorm.DB, u *User, up UserUpdate) error {
	if u.Role != Admin || !u.Active || (up.Role == Admin && up.Active) {
		return nil
	}
	var admins []int64
	if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Model(&User{}).Where("role = ? AND active = ?", Admin, true).
		Order("id").Pluck("id", &admins).Error; err != nil {
		return fmt.Errorf("accounts: count administrators: %w", err)
	}
	if len(admins) > 1 {
		return nil
	}
	errs := validate.Errors{}
	if !up.Active {
		errs.Add("active", msgLastAdminOff)
	}
	if up.Role != Admin {
		errs.Add("role", msgLastAdminRole)
	}
	return errs
}

// Bootstrap creates the first administrator with address email (DefaultAdminEmail when
// empty) when there are no accounts at all, with a random password that must be changed at
// first login. It returns created false, and does nothing, when any account exists. An
// unusable address comes back as validate.Errors{"email": …}.
func (s *Service) Bootstrap(ctx context.Context, email string) (string, string, bool, error) {
	n, err := s.Count(ctx)
	if err != nil || n > 0 {
		return "", "", false, err
	}
	if strings.TrimSpace(email) == "" {
		email = DefaultAdminEmail
	}
	password, err := OneTimePassword()
	if err != nil {
		return "", "", false, err
	}
	u, err := s.Create(ctx, audit.Actor{Via: "first start"}, NewUser{Email: email, Name: bootstrapName, Role: Admin,
		Password: password, MustChangePassword: true})
	if err != nil {
		var ve validate.Errors
		if errors.As(err, &ve) {
			return "", "", false, ve
		}
		return "", "", false, fmt.Errorf("accounts: bootstrap: %w", err)
	}
	return u.Email, password, true, nil
}
