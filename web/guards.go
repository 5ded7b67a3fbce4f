package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"campusnews/internal/accounts"
)

// requireStaff lets only a signed-in staff member through. A GET is sent to the login page
// and comes back afterwards; a POST keeps its text on the login page (see askLogin). A user
// who must change their password, or must set up two-factor login, is sent there first.
func (s *Server) requireStaff(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		u := currentUser(c)
		if u == nil {
			return s.askLogin(c)
		}
		path := c.Request().URL.Path
		if strings.HasPrefix(path, "/account/") {
			return next(c)
		}
		if u.MustChangePassword {
			return c.Redirect(http.StatusSeeOther, stepURL(c, "/account/password"))
		}
		st, err := s.site.Get(c.Request().Context())
		if err != nil {
			return err
		}
		if st.Require2FA && u.Role.AtLeast(accounts.Editor) && !u.TOTPEnabled {
			s.addFlash(c, "info", "Two-factor login is required for your role. Set it up to continue.")
			return c.Redirect(http.StatusSeeOther, stepURL(c, "/account/2fa"))
		}
		return next(c)
	}
}

// stepURL is the page of a step the user must take first (a new password, two-factor setup),
// naming the page they asked for so that they get there afterwards. A form submission has no
// page to return to, and the staff home needs no mention.
func stepURL(c echo.Context, step string) string {
	r := c.Request()
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return step
	}
	next := safeNext(r.URL.RequestURI())
	if next == safeNext("") {
		return step
	}
	return step + "?next=" + url.QueryEscape(next)
}

// requireRole refuses staff below min with 403. It runs after requireStaff.
func (s *Server) requireRole(min accounts.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u := currentUser(c)
			if u == nil {
				return s.askLogin(c)
			}
			if !u.Role.AtLeast(min) {
				if min == accounts.Admin {
					return refuse(reasonAdminOnly)
				}
				return echo.NewHTTPError(http.StatusForbidden)
			}
			return next(c)
		}
	}
}

// askLogin answers a request that needs a login. A page view is redirected to the login
// form, which returns to it; a form submission is answered with the login form holding the
// submitted text, so a session that expired while writing loses nothing.
func (s *Server) askLogin(c echo.Context) error {
	r := c.Request()
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(r.URL.RequestURI()))
	}
	page := LoginPage{Next: safeNext(c.Request().Header.Get("Referer"))}
	if r.URL.Path != "/login" {
		page.Carry = carryForm(c)
		page.Message = "Your session has ended. Log in again and what you were saving will be kept."
	} else {
		page.Message = "The login form had expired. Please try again."
		page.Email = c.FormValue("email")
	}
	return s.renderLogin(c, http.StatusUnauthorized, page)
}

// safeNext keeps only a local path to return to after login, never another site: the
// address is parsed and rebuilt, and anything a browser might read as another host (a
// scheme, "//", a backslash, control characters or spaces it would strip) gives /editor.
func safeNext(next string) string {
	const fallback = "/editor"
	for i := 0; i < len(next); i++ {
		if c := next[i]; c <= ' ' || c == '\\' || c == 0x7f {
			return fallback
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return fallback
	}
	path := u.EscapedPath()
	if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") ||
		strings.HasPrefix(path, "/login") || strings.HasPrefix(path, "/logout") {
		return fallback
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	return path
}
