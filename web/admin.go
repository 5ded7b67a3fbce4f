package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"campusnews/internal/accounts"
	"campusnews/internal/audit"
	"campusnews/internal/news"
	"campusnews/internal/validate"
)

// adminRecent is how many audit entries the admin overview shows.
const adminRecent = 8

func (s *Server) adminHome(c echo.Context) error {
	ctx := c.Request().Context()
	page := AdminHomePage{Base: s.staffBase(c, "", "Administration")}
	tree, err := s.news.Tree(ctx)
	if err != nil {
		return err
	}
	for _, n := range tree.All() {
		if n.IsSection() {
			page.Sections++
		} else {
			page.Categories++
		}
		if !n.Category.Visible {
			page.Hidden++
		}
	}
	dash, err := s.news.Dashboard(ctx, actorOf(c))
	if err != nil {
		return err
	}
	for _, st := range news.Statuses {
		page.Articles += dash.Counts[st]
		page.ByStatus = append(page.ByStatus, StatusCount{Status: st, Count: dash.Counts[st], URL: "/editor/articles?status=" + string(st)})
	}
	users, err := s.users.List(ctx)
	if err != nil {
		return err
	}
	page.Users = len(users)
	for _, u := range users {
		if u.Active {
			page.ActiveUsers++
			if u.Role == accounts.Admin {
				page.Admins++
			}
		}
	}
	entries, _, err := s.audit.List(ctx, audit.Filter{}, 1, adminRecent)
	if err != nil {
		return err
	}
	if page.Recent, err = s.auditRows(ctx, entries, users, page.Site.Location()); err != nil {
		return err
	}
	return c.Render(http.StatusOK, "admin/home", page)
}

// auditActor is who makes a request, as the services record it in the audit log: the
// signed-in staff member, or nobody, from the client's address.
func auditActor(c echo.Context) audit.Actor {
	a := audit.Actor{IP: c.RealIP()}
	if u := currentUser(c); u != nil {
		a.UserID, a.Email = u.ID, u.Email
	}
	return a
}

// adminFieldErrors reports whether err holds field messages for a form.
func adminFieldErrors(err error) (validate.Errors, bool) {
	var verrs validate.Errors
	if errors.As(err, &verrs) {
		return verrs, true
	}
	return nil, false
}

// adminFormID reads a positive id from form field name; 0 when empty or not a number.
func adminFormID(c echo.Context, name string) int64 {
	id, err := strconv.ParseInt(strings.TrimSpace(c.FormValue(name)), 10, 64)
	if err != nil || id < 1 {
		return 0
	}
	return id
}

// adminChecked reports whether a checkbox was ticked.
func adminChecked(c echo.Context, name string) bool {
	v := c.FormValue(name)
	return v == "1" || v == "on" || v == "true"
}
