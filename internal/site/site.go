// Package site holds the site-wide settings admins edit: name, tagline, footer, contact and
// time zone.
package site

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"campusnews/internal/validate"
)

// Settings is what admins can change about the whole site.
type Settings struct {
	Name       string
	Tagline    string
	Footer     string
	Contact    string // an e-mail address or phone line shown in the footer
	TimeZone   string // IANA name, e.g. "Europe/Berlin"
	Require2FA bool   // admins and editors must use two-factor login
	location   *time.Location
}

// Defaults are the settings of a new site.
var Defaults = Settings{
	Name:     "Northbridge University News",
	Tagline:  "News, events and stories from campus",
	Footer:   "Northbridge University · Office of Communications",
	Contact:  "news@northbridge.example.edu",
	TimeZone: "UTC",
}

// Location is the site's time zone; UTC when unknown.
func (s Settings) Location() *time.Location {
	if s.location != nil {
		return s.location
	}
	return time.UTC
}

// Service reads settings once and keeps them in memory until they change.
type Service struct {
	db      *gorm.DB
	mu      sync.Mutex // orders loading against saving, so a stale load is never kept
	current atomic.Pointer[Settings]
}

// NewService returns a Service on db.
func NewService(db *gorm.DB) *Service { return &Service{db: db} }

type row struct {
	Key   string `gorm:"primaryKey"`
	Value string
}

func (row) TableName() string { return "settings" }

// Get returns the current settings.
func (s *Service) Get(ctx context.Context) (Settings, error) {
	if p := s.current.Load(); p != nil {
		return *p, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.current.Load(); p != nil {
		return *p, nil
	}
	var rows []row
	if err := s.db.WithContext(ctx).Find(&rows).Error; err != nil {
		return Settings{}, fmt.Errorf("site: load settings: %w", err)
	}
	st := Defaults
	for _, r := range rows {
		switch r.Key {
		case "name":
			st.Name = r.Value
		case "tagline":
			st.Tagline = r.Value
		case "footer":
			st.Footer = r.Value
		case "contact":
			st.Contact = r.Value
		case "time_zone":
			st.TimeZone = r.Value
		case "require_2fa":
			st.Require2FA = r.Value == "1"
		}
	}
	if loc, err := time.LoadLocation(st.TimeZone); err == nil {
		st.location = loc
	}
	s.current.Store(&st)
	return st, nil
}

// Validate checks settings an admin submitted.
func (st *Settings) Validate() validate.Errors {
	errs := validate.Errors{}
	st.Name = strings.TrimSpace(st.Name)
	st.Tagline = strings.TrimSpace(st.Tagline)
	st.Footer = strings.TrimSpace(st.Footer)
	st.Contact = strings.TrimSpace(st.Contact)
	st.TimeZone = strings.TrimSpace(st.TimeZone)
	errs.Required("name", st.Name, "Site name")
	errs.MaxLen("name", st.Name, 120, "Site name")
	errs.MaxLen("tagline", st.Tagline, 200, "Tagline")
	errs.MaxLen("footer", st.Footer, 500, "Footer")
	errs.MaxLen("contact", st.Contact, 200, "Contact")
	if _, err := time.LoadLocation(st.TimeZone); err != nil || st.TimeZone == "" || st.TimeZone == "Local" {
		errs.Add("time_zone", "Choose a time zone such as Europe/Berlin or America/New_York")
	}
	return errs
}

// Save validates and stores st.
func (s *Service) Save(ctx context.Context, st Settings) error {
	if errs := st.Validate(); len(errs) > 0 {
		return errs
	}
	b2 := "0"
	if st.Require2FA {
		b2 = "1"
	}
	rows := []row{{"name", st.Name}, {"tagline", st.Tagline}, {"footer", st.Footer},
		{"contact", st.Contact}, {"time_zone", st.TimeZone}, {"require_2fa", b2}}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&rows).Error
	if err != nil {
		return fmt.Errorf("site: save settings: %w", err)
	}
	s.mu.Lock()
	s.current.Store(nil)
	s.mu.Unlock()
	return nil
}
