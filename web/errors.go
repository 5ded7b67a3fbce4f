package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"campusnews/internal/accounts"
	"campusnews/internal/media"
	"campusnews/internal/news"
)

// statusClientClosed is logged for a request whose client went away before the answer.
const statusClientClosed = 499

// handleError is the one place errors become pages: known errors get their status and a
// plain message, anything else is a logged 500. The error text never reaches the reader.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	if errors.Is(err, context.Canceled) && c.Request().Context().Err() != nil {
		// The reader left before the answer was ready: not a failure of the site, and nobody
		// is there to read a page. 499 is the status proxies log for this.
		_ = c.NoContent(statusClientClosed)
		return
	}
	status, heading, msg := http.StatusInternalServerError, "Something went wrong",
		"The page could not be shown. Please try again in a moment."
	var he *echo.HTTPError
	var ex explained
	switch {
	case errors.As(err, &ex):
		status = ex.status
	case errors.Is(err, news.ErrNotFound), errors.Is(err, media.ErrNotFound), errors.Is(err, accounts.ErrNotFound):
		status = http.StatusNotFound
	case errors.Is(err, news.ErrForbidden):
		status = http.StatusForbidden
	case errors.As(err, &he):
		status = he.Code
	}
	if status == http.StatusNotFound {
		if to, _ := s.oldAddress(c); to != "" { // an address of the site the content came from
			_ = redirectOld(c, to)
			return
		}
	}
	switch {
	case ex.status != 0:
		heading, msg = ex.heading, ex.message
	case status == http.StatusNotFound:
		heading, msg = "Page not found", "There is no page at this address. It may have moved, or the link may be mistyped."
	case status == http.StatusMethodNotAllowed:
		heading, msg = "Not allowed", "This address does not accept that kind of request."
	case status == http.StatusRequestEntityTooLarge:
		heading, msg = "Too large", "What you sent is larger than this site accepts."
	case status == http.StatusForbidden:
		heading, msg = "Not allowed", "You do not have permission to do that."
	case status == http.StatusTooManyRequests:
		heading, msg = "Too many requests", "Please wait a moment and try again."
	case status >= 400 && status < 500:
		heading, msg = "Bad request", "The request could not be understood."
	default:
		s.log.ErrorContext(c.Request().Context(), "request failed", "method", c.Request().Method,
			"path", c.Request().URL.Path, "err", err)
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	page := ErrorPage{Status: status, Heading: heading, Message: msg, BackURL: "/editor", BackLabel: "Back to the dashboard"}
	if ex.backURL != "" {
		page.BackURL, page.BackLabel = ex.backURL, ex.backLabel
	}
	if currentUser(c) != nil && staffPath(c.Request().URL.Path) {
		// Inside the staff area a signed-in user stays in it: its header, and a way back to
		// the dashboard rather than to the reader's search.
		page.Base, page.Staff = s.staffBase(c, "", heading), true
	} else {
		page.Base = s.errorBase(c, heading)
		if status == http.StatusNotFound {
			page.Suggest = s.suggestions(c.Request().Context(), nil, page.Site.Location())
		}
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	if rerr := c.Render(status, "errors/error", page); rerr != nil {
		s.log.ErrorContext(c.Request().Context(), "render error page", "err", rerr)
		_ = c.String(status, heading)
	}
}

// explained is an error whose page the handler can word better than its status alone: why a
// user may not do something, so that they know whom to ask, or what to do next and where.
type explained struct {
	status             int
	heading, message   string
	backURL, backLabel string // the staff page's way back; the dashboard when empty
}

func (e explained) Error() string { return fmt.Sprintf("%d %s: %s", e.status, e.heading, e.message) }

// Unwrap makes a refusal news.ErrForbidden too.
func (e explained) Unwrap() error {
	if e.status == http.StatusForbidden {
		return news.ErrForbidden
	}
	return nil
}

// refuse is a 403 page saying reason.
func refuse(reason string) error {
	return explained{status: http.StatusForbidden, heading: "Not allowed", message: reason}
}

// Reasons for refusals that more than one handler gives.
const (
	reasonAdminOnly = "Only administrators can manage categories, users and settings, or read the audit log."
	reasonDelete    = "Writers can delete only their own drafts that were never published; ask an editor."
)

// staffPath reports whether path is in the staff area.
func staffPath(path string) bool {
	for _, p := range []string{"/editor", "/admin", "/account"} {
		if path == p || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return false
}

// Suggestion sizes, and how long loading them may take. suggestTags is the home page's count,
// so both share the news service's memo of the popular topics.
const (
	suggestLatest  = 5
	suggestTags    = homeTags
	suggestTimeout = 300 * time.Millisecond
)

// suggestionMemo holds the suggestions of one version of the content in one time zone.
type suggestionMemo struct {
	gen  uint64
	zone string
	s    *Suggestions
}

// suggestions loads the latest stories and the popular topics of the visible categories of
// tree (the current tree when nil). They are a courtesy: on any failure or when the database
// is slow, the page goes without them (nil), so a not-found page never fails for their sake.
// They are kept until the content changes: the not-found page is not cached, and without the
// memo they would make each one cost four times as much.
func (s *Server) suggestions(ctx context.Context, tree *news.Tree, loc *time.Location) *Suggestions {
	gen := s.news.Generation()
	if m := s.suggested.Load(); m != nil && m.gen == gen && m.zone == loc.String() {
		return m.s
	}
	out := s.loadSuggestions(ctx, tree, loc)
	if out != nil {
		s.suggested.Store(&suggestionMemo{gen: gen, zone: loc.String(), s: out})
	}
	return out
}

func (s *Server) loadSuggestions(ctx context.Context, tree *news.Tree, loc *time.Location) *Suggestions {
	ctx, cancel := context.WithTimeout(ctx, suggestTimeout)
	defer cancel()
	if tree == nil {
		var err error
		if tree, err = s.news.Tree(ctx); err != nil {
			return nil
		}
	}
	visible := tree.VisibleIDs()
	if len(visible) == 0 {
		return nil
	}
	latest, err := s.news.Latest(ctx, news.ListFilter{CategoryIDs: visible}, suggestLatest)
	if err != nil {
		return nil
	}
	tags, err := s.news.PopularTags(ctx, visible, suggestTags)
	if err != nil {
		return nil
	}
	if len(latest) == 0 && len(tags) == 0 {
		return nil
	}
	return &Suggestions{Latest: cards(tree, latest, loc), Tags: tags}
}

// errorBase fills the layout as well as it can: an error page must render even when the
// database does not answer.
func (s *Server) errorBase(c echo.Context, title string) Base {
	tree, err := s.news.Tree(c.Request().Context())
	if err != nil {
		tree = nil
	}
	b, err := s.base(c, tree, title, "")
	if err != nil {
		b = Base{Title: title, RequestID: requestIDOf(c)}
		b.Site.Name = "News"
	}
	b.NoIndex = true
	return b
}
