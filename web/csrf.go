package web

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"
)

// csrfField is the hidden input every POST form carries.
const csrfField = "_csrf"

// csrf refuses any state-changing request that comes from another site (the browser's
// Sec-Fetch-Site or Origin header says so) or whose token, in the X-CSRF-Token header or the
// form body's _csrf field, does not match the session's. A stale token from this site does
// not lose what was typed: a signed-in user gets the submission back to send again, anyone
// else the login form holding it. A request from another site gets neither, so no other site
// can put words in a staff member's mouth.
func (s *Server) csrf(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		if err := s.sameOrigin.Check(c.Request()); err != nil {
			return refuse("This form was sent from another site, so nothing was done.")
		}
		// Read the token without making one: a failing request must not start a session
		// whose cookie would replace the visitor's.
		want, _ := s.session(c).Values[keyCSRF].(string)
		got := c.Request().Header.Get("X-CSRF-Token")
		if got == "" {
			// A body cut off at the size limit (sent without a length, so BodyLimit could not
			// refuse it up front) is too large, not a stale form.
			if _, err := c.FormParams(); errors.Is(err, echo.ErrStatusRequestEntityTooLarge) {
				return err
			}
			// From the body only: a token in the URL would be written to access logs and
			// browser history, and sent on to other sites in Referer.
			got = c.Request().PostFormValue(csrfField)
		}
		if got != "" && want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1 {
			return next(c)
		}
		if currentUser(c) == nil {
			return s.askLogin(c)
		}
		b := s.staffBase(c, "", "Send again")
		page := ResubmitPage{Base: b, Carry: carryForm(c),
			Message: "This form had expired, so nothing was saved yet. Your text is kept below: press the button to save it now."}
		return c.Render(http.StatusForbidden, "pages/resubmit", page)
	}
}

// carryForm keeps the text fields of the current submission (never passwords, codes or
// tokens), to be sent again once the user can.
func carryForm(c echo.Context) *Carried {
	params, err := c.FormParams()
	if err != nil || len(params) == 0 {
		return nil
	}
	cr := &Carried{Action: c.Request().URL.Path}
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if k == csrfField || strings.Contains(k, "password") || k == "code" {
			continue
		}
		for _, v := range params[k] {
			cr.Fields = append(cr.Fields, CarriedField{Name: k, Value: v})
		}
	}
	return cr
}

// staffBase fills the layout of a staff page: the user, the CSRF token and flash messages.
// menu is the staff menu entry the page belongs to, "" for pages outside the menu.
func (s *Server) staffBase(c echo.Context, menu, title string) Base {
	b := s.errorBase(c, title)
	b.Menu = menu
	b.CSRF = s.csrfToken(c)
	b.Flash = s.takeFlashes(c)
	if u := currentUser(c); u != nil {
		b.User = &UserView{ID: u.ID, Name: u.Name, Email: u.Email, Role: string(u.Role),
			MustChange: u.MustChangePassword || totpRequired(b, u) && !u.TOTPEnabled}
	}
	b.NoIndex = true
	b.Canonical = ""
	return b
}
