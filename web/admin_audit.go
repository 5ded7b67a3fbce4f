package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"campusnews/internal/accounts"
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
	{Value: "media.", Label: "Images (media.…)"},
	{Value: "user.", Label: "Users (user.…)"},
	{Value: "settings.", Label: "Settings (settings.…)"},
}

// auditActions names the recorded actions in plain words, as "Who" did them. Every action the
// code records must be here (TestEveryAuditActionHasALabel checks the sources); an action not
// here, from another version, shows its code.
var auditActions = map[string]string{
	"login":                     "Logged in",
	"logout":                    "Logged out",
	"logout.everywhere":         "Logged out everywhere",
	"login.failed":              "Failed to log in",
	"login.throttled":           "Login blocked after too many attempts",
	"password.change":           "Changed their own password",
	"2fa.enable":                "Turned on their two-factor login",
	"2fa.disable":               "Turned off their two-factor login",
	"article.create":            "Created an article",
	"article.update":            "Edited an article",
	"article.restore":           "Restored an earlier revision",
	"article.submit":            "Submitted an article for review",
	"article.publish":           "Published an article",
	"article.publish.scheduled": "Published at its scheduled time",
	"article.schedule":          "Scheduled an article",
	"article.unpublish":         "Unpublished an article",
	"article.archive":           "Archived an article",
	"article.expire":            "Expired (its end date passed)",
	"article.delete":            "Deleted an article",
	"category.create":           "Created a category",
	"category.update":           "Edited a category",
	"category.move":             "Moved a category",
	"category.delete":           "Deleted a category",
	"media.upload":              "Uploaded an image",
	"media.update":              "Changed an image's description",
	"media.delete":              "Deleted an image",
	"settings.update":           "Changed the site settings",
	"user.create":               "Added a user",
	"user.update":               "Changed a user's details",
	"user.role":                 "Changed a user's role",
	"user.activate":             "Reactivated a user",
	"user.deactivate":           "Deactivated a user",
	"user.password_reset":       "Reset a user's password",
	"user.2fa_disable":          "Turned off a user's two-factor login",
}

// auditActionLabel is the plain name of action code.
func auditActionLabel(code string) string {
	if l, ok := auditActions[code]; ok {
		return l
	}
	return code
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
	page := AuditPage{Base: s.staffBase(c, menuAudit, "Audit log"), Total: total, Query: f.Query,
		Any: f.Action != "" || f.UserID != 0 || f.Query != ""}
	users, err := s.users.List(ctx)
	if err != nil {
		return err
	}
	if page.Entries, err = s.auditRows(ctx, entries, users, page.Site.Location()); err != nil {
		return err
	}
	page.Pager = Pager{Page: n, Pages: pages, Total: total, BaseURL: "/admin/audit", Query: auditQuery(f)}
	if err := s.auditFilters(c, &page, f, users); err != nil {
		return err
	}
	return c.Render(http.StatusOK, "admin/audit", page)
}

// auditFilters fills the menus of the filter form, marking what f selects. The values are the
// action codes, so a filtered address stays the same whatever the labels say.
func (s *Server) auditFilters(c echo.Context, page *AuditPage, f audit.Filter, users []accounts.User) error {
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
		page.Actions = append(page.Actions, FilterOption{Value: a, Label: auditActionLabel(a), Selected: a == f.Action})
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

// auditRows turns entries into rows with times in loc, plain action names, and subjects named
// and linked while they exist: users from users, articles with one query for the page.
func (s *Server) auditRows(ctx context.Context, entries []audit.Entry, users []accounts.User, loc *time.Location) ([]AuditRow, error) {
	var articleIDs []int64
	for _, e := range entries {
		if kind, id := auditSubject(e.Subject); kind == "article" {
			articleIDs = append(articleIDs, id)
		}
	}
	titles, err := s.news.ArticleTitles(ctx, articleIDs)
	if err != nil {
		return nil, err
	}
	names := make(map[int64]string, len(users))
	for _, u := range users {
		names[u.ID] = u.Name
	}
	out := make([]AuditRow, len(entries))
	for i, e := range entries {
		r := AuditRow{At: e.At.In(loc), UserEmail: e.UserEmail, Action: e.Action, ActionLabel: auditActionLabel(e.Action),
			Subject: e.Subject, SubjectText: e.Subject, Detail: e.Detail, IP: e.IP}
		kind, id := auditSubject(e.Subject)
		num := strconv.FormatInt(id, 10)
		switch kind {
		case "user":
			r.SubjectText = "User " + num
			if name, ok := names[id]; ok {
				r.SubjectText, r.SubjectURL = name, "/admin/users/"+num
			}
		case "article":
			r.SubjectText = "Article " + num + " (deleted)"
			if title, ok := titles[id]; ok {
				r.SubjectText, r.SubjectURL = title, editURL(id)
			}
		case "category":
			// Not linked: SQLite may give a deleted category's id to a new one.
			r.SubjectText = "Category " + num
		case "media":
			r.SubjectText = "Image " + num // only deletions are recorded, and ids may be reused
		case "site settings":
			r.SubjectText, r.SubjectURL = "Site settings", "/admin/settings"
		}
		out[i] = r
	}
	return out, nil
}

// auditSubject reads a subject as recorded, "article 12", into its kind and id; a subject
// without an id is its own kind with id 0.
func auditSubject(subject string) (string, int64) {
	kind, num, ok := strings.Cut(subject, " ")
	if !ok {
		return subject, 0
	}
	id, err := strconv.ParseInt(num, 10, 64)
	if err != nil || id < 1 {
		return subject, 0
	}
	return kind, id
}
