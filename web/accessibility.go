package web

import (
	"net/http"
	"net/mail"
	"strings"

	"github.com/labstack/echo/v4"
)

// accessibilityView shows the accessibility statement: the standard the site aims at, how it
// is tested, what is known not to work, and how to report a barrier to the site's contact.
func (s *Server) accessibilityView(c echo.Context) error {
	tree, err := s.news.Tree(c.Request().Context())
	if err != nil {
		return err
	}
	b, err := s.base(c, tree, "Accessibility", "How this site is made to work for everyone, how it is tested, and how to report a barrier.")
	if err != nil {
		return err
	}
	b.Breadcrumb = []Crumb{{Name: "Home", URL: "/"}, {Name: "Accessibility"}}
	return c.Render(http.StatusOK, "pages/accessibility", AccessibilityPage{Base: b, ContactMail: mailAddress(b.Site.Contact)})
}

// mailAddress returns contact when it is a bare e-mail address, for a mailto link; "" for
// anything else, such as a phone line.
func mailAddress(contact string) string {
	a, err := mail.ParseAddress(contact)
	if err != nil || a.Address != contact || strings.ContainsAny(contact, " ?&") {
		return ""
	}
	return contact
}
