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

	"campusnews/internal/audit"
	"campusnews/internal/changes"
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

// Service reads settings once and keeps them in memory until what readers see changes: the
// settings are part of every page, so saving them moves the content version, and the copy in
// memory is the one read at the version the watcher knows, whichever process saved them.
type Service struct {
	db      *gorm.DB
	watch   *changes.Watcher
	mu      sync.Mutex // one load at a time
	current atomic.Pointer[loaded]
}

// loaded is the settings as read at content version gen.
type loaded struct {
	gen uint64
	st  Settings
}

// NewService returns a Service on db that follows the content version through w.
func NewService(db *gorm.DB, w *changes.Watcher) *Service { return &Service{db: db, watch: w} }

type row struct {
	Key   string `gorm:"primaryKey"`
	Value string
}

func (row) TableName() string { return "settings" }

// Get returns the current settings.
func (s *Service) Get(ctx context.Context) (Settings, error) {
	if p := s.current.Load(); p != nil && p.gen == s.watch.Gen() {
		return p.st, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// The version is read before the rows: a change committed in between makes the next Get
	// load again, never keeps older rows under a newer version.
	gen := s.watch.Gen()
	if p := s.current.Load(); p != nil && p.gen == gen {
		return p.st, nil
	}
	st, err := read(s.db.WithContext(ctx))
	if err != nil {
		return Settings{}, err
	}
	s.current.Store(&loaded{gen: gen, st: st})
	return st, nil
}

// read loads the stored settings over the defaults.
func read(db *gorm.DB) (Settings, error) {
	var rows []row
	if err := db.Find(&rows).Error; err != nil {
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

// Save validates and stores st on act's word. In the same transaction it moves the content
// version, since every public page shows the settings, and records settings.update with what
// changed; after the commit this process's watcher knows the new version, so the next page it
// serves shows them. Settings equal to the stored ones change nothing.
func (s *Service) Save(ctx context.Context, act audit.Actor, st Settings) error {
	if errs := st.Validate(); len(errs) > 0 {
		return errs
	}
	b2 := "0"
	if st.Require2FA {
		b2 = "1"
	}
	rows := []row{{"name", st.Name}, {"tagline", st.Tagline}, {"footer", st.Footer},
		{"contact", st.Contact}, {"time_zone", st.TimeZone}, {"require_2fa", b2}}
	saved := false
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := read(tx)
		if err != nil {
			return err
		}
		changed := difference(before, st)
		if changed == "" {
			return nil
		}
		if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&rows).Error; err != nil {
			return fmt.Errorf("site: save settings: %w", err)
		}
		if err := changes.Bump(tx); err != nil {
			return err
		}
		saved = true
		return audit.Record(tx, act.Entry("settings.update", "site settings", changed))
	})
	if err != nil || !saved {
		return err
	}
	return s.watch.Sync(ctx)
}

// difference names what differs from a to b, for the audit log; "" when nothing does.
func difference(a, b Settings) string {
	var out []string
	for _, f := range []struct {
		name       string
		old, value string
	}{
		{"name", a.Name, b.Name}, {"tagline", a.Tagline, b.Tagline}, {"footer", a.Footer, b.Footer},
		{"contact", a.Contact, b.Contact}, {"time zone", a.TimeZone, b.TimeZone},
	} {
		if strings.TrimSpace(f.old) != strings.TrimSpace(f.value) {
			out = append(out, f.name+": "+strings.TrimSpace(f.value))
		}
	}
	if a.Require2FA != b.Require2FA {
		if b.Require2FA {
			out = append(out, "two-factor login required")
		} else {
			out = append(out, "two-factor login no longer required")
		}
	}
	return strings.Join(out, "; ")
}
