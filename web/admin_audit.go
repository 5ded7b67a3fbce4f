package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"campusnews/internal/audit"
	"campusnews/internal/news"
)

// auditPerPage is how many entries a page of the audit log shows.
const auditPerPage = 50

// auditGroups are the kinds of action the filter offers as a whole; a value ending in "."
// matches every action it begins.
var auditGroups = []FilterOption{
	{Value: "login.", Label: "Failed and throttled logins (login.…)"},
	{Value: "article.", Label: "Articles (article.…)"},
	{Value: "category.", Label: "Categories (category.…)"},
	{Value: "user.", Label: "Users (user.…)"},
	{Value: "settings.", Label: "Settings (settings.…)"},
}

// auditList shows the audit log, newest first, filtered by action, user and free text.
func (s *Server) auditList(c echo.Context) error {
	ctx := c.Request().Context()
	n := pageParam(c)
	if n == 0 {
		return news.ErrNotFound
	}
	f := audit.Filter{Action: strings.TrimSpace(c.QueryParam("action")), Query: strings.TrimSpace(c.QueryParam("q"))}
	f.UserID, _ = strconv.ParseInt(c.QueryParam("user"), 10, 64)
	entries, total, err := s.audit.List(ctx, f, n, auditPerPage)
	if err != nil {
		return err
	}
	pages := news.PageCount(total, auditPerPage)
	if n > pages {
		return news.ErrNotFound
	}
	page := AuditPage{Base: s.staffBase(c, "Audit log"), Total: total, Query: f.Query,
		Any: f.Action != "" || f.UserID != 0 || f.Query != ""}
	page.Entries = auditRows(entries, page.Site.Location())
	page.Pager = Pager{Page: n, Pages: pages, Total: total, BaseURL: "/admin/audit", Query: auditQuery(f)}
	if err := s.auditFilters(c, &page, f); err != nil {
		return err
	}
	return c.Render(http.StatusOK, "admin/audit", page)
}

// auditFilters fills the menus of the filter form, marking what f selects.
func (s *Server) auditFilters(c echo.Context, page *AuditPage, f audit.Filter) error {
	ctx := c.Request().Context()
	for _, g := range auditGroups {
		g.Selected = g.Value == f.Action
		page.Groups = append(page.Groups, g)
	}
	actions, err := s.audit.Actions(ctx)
	if err != nil {
		return err
	}
	for _, a := range actions {
		page.Actions = append(page.Actions, FilterOption{Value: a, Label: a, Selected: a == f.Action})
	}
	users, err := s.users.List(ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		page.Users = append(page.Users, FilterOption{Value: strconv.FormatInt(u.ID, 10),
			Label: u.Name + " (" + u.Email + ")", Selected: u.ID == f.UserID})
	}
	return nil
}

// auditQuery is the filter as query parameters for the page links, ending in "&" when not
// empty, as Pager expects.
func auditQuery(f audit.Filter) string {
	q := url.Values{}
	if f.Action != "" {
		q.Set("action", f.Action)
	}
	if f.UserID != 0 {
		q.Set("user", strconv.FormatInt(f.UserID, 10))
	}
	if f.Query != "" {
		q.Set("q", f.Query)
	}
	if len(q) == 0 {
		return ""
	}
	return q.Encode() + "&"
}

// auditRows turns entries into rows with times in loc.
func auditRows(entries []audit.Entry, loc *time.Location) []AuditRow {
	out := make([]AuditRow, len(entries))
	for i, e := range entries {
		out[i] = AuditRow{At: e.At.In(loc), UserEmail: e.UserEmail, Action: e.Action, Subject: e.Subject,
			Detail: e.Detail, IP: e.IP}
	}
	return out
}
