package web

import (
	"html/template"
	"sync"
	"sync/atomic"
)

// The header and footer of the public pages are the same on every page that shares the site's
// settings, the category tree, the active section and whether it is the home page, so they are
// rendered once per content version and reused: executing them, the navigation twice over, was
// about a third of rendering an article.

// chrome is the rendered header and footer of a public page.
type chrome struct{ header, footer template.HTML }

// chromeKey is what, besides the content version, the header and footer depend on.
type chromeKey struct {
	section    string
	home, user bool
	year       int
}

// chromeMemo holds the header and footer rendered at one content version.
type chromeMemo struct {
	gen   uint64
	mu    sync.Mutex
	parts map[chromeKey]chrome
}

// chromeCache is the memo of the newest content version seen.
type chromeCache struct{ cur atomic.Pointer[chromeMemo] }

// chromeOf returns the header and footer of b, from the memo when it has them. b.gen is the
// version b's tree was loaded at: what is rendered from b is at least that new, so it may be
// kept under b.gen, never under a newer version. A b without one (an error page made without
// the tree) is rendered and not kept.
func (s *Server) chromeOf(b *Base) (chrome, error) {
	key := chromeKey{section: b.Section, home: b.Section == "" && b.Canonical == s.cfg.BaseURL+"/",
		user: b.User != nil, year: b.Year}
	m := s.chrome.cur.Load()
	if b.gen != 0 && (m == nil || m.gen < b.gen) {
		fresh := &chromeMemo{gen: b.gen, parts: map[chromeKey]chrome{}}
		if s.chrome.cur.CompareAndSwap(m, fresh) {
			m = fresh
		} else {
			m = s.chrome.cur.Load()
		}
	}
	keep := b.gen != 0 && m != nil && m.gen == b.gen
	if keep {
		m.mu.Lock()
		c, ok := m.parts[key]
		m.mu.Unlock()
		if ok {
			return c, nil
		}
	}
	var c chrome
	var err error
	if c.header, err = s.render.Partial("site-header", b); err != nil {
		return chrome{}, err
	}
	if c.footer, err = s.render.Partial("site-footer", b); err != nil {
		return chrome{}, err
	}
	if keep {
		m.mu.Lock()
		m.parts[key] = c
		m.mu.Unlock()
	}
	return c, nil
}
