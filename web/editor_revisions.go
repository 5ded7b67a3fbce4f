package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/labstack/echo/v4"

	"campusnews/internal/news"
	"campusnews/internal/validate"
)

// RevisionRow is one saved state in the list of revisions.
type RevisionRow struct {
	ID     int64
	Number int
	At     time.Time // in the site's time zone
	User   string
	Note   string
	Title  string
	URL    string
	// Current marks the newest revision when it is the article as it is now.
	Current bool
}

// RevisionsPage lists an article's revisions.
type RevisionsPage struct {
	Base
	Article   news.Article
	Revisions []RevisionRow
}

// RevisionPage compares a revision with the current version.
type RevisionPage struct {
	Base
	Article  news.Article
	Revision RevisionRow
	Fields   []FieldDiff
	CanEdit  bool
	Current  bool // restoring the revision would change nothing
}

// FieldDiff is one field of a revision and the current version, marked word by word.
type FieldDiff struct {
	Label   string
	Old     []DiffPart // the revision: unchanged and removed words
	New     []DiffPart // the current version: unchanged and added words
	Changed bool
}

// DiffPart is a run of text that is the same in both versions ("same"), only in the revision
// ("del") or only in the current version ("ins"). The template adds the tags, so the text is
// escaped like any other.
type DiffPart struct {
	Kind string
	Text string
}

// revisionRows numbers the revisions (newest first, the oldest is 1) and names their users.
func (s *Server) revisionRows(c echo.Context, art *news.Article) ([]RevisionRow, error) {
	revs, err := s.news.Revisions(c.Request().Context(), art.ID)
	if err != nil {
		return nil, err
	}
	m, err := s.rowMaker(c)
	if err != nil {
		return nil, err
	}
	out := make([]RevisionRow, len(revs))
	for i, r := range revs {
		out[i] = RevisionRow{ID: r.ID, Number: len(revs) - i, At: r.CreatedAt.In(m.loc), Note: r.Note, Title: r.Title,
			URL: editURL(art.ID) + "/revisions/" + strconv.FormatInt(r.ID, 10)}
		if r.UserID != nil {
			out[i].User = m.names[*r.UserID]
		}
	}
	return out, nil
}

func (s *Server) articleRevisions(c echo.Context) error {
	art, err := s.openArticle(c)
	if err != nil {
		return err
	}
	rows, err := s.revisionRows(c, art)
	if err != nil {
		return err
	}
	if len(rows) > 0 {
		newest, err := s.news.Revision(c.Request().Context(), rows[0].ID)
		if err != nil {
			return err
		}
		if rows[0].Current, err = s.news.RevisionIsCurrent(c.Request().Context(), art, newest); err != nil {
			return err
		}
	}
	p := RevisionsPage{Base: s.staffBase(c, menuArticles, "Revisions: "+art.Title), Article: *art, Revisions: rows}
	return c.Render(http.StatusOK, "editor/revisions", p)
}

// openRevision loads the article of the :id parameter, as openArticle does, and its revision
// named by :rev; a revision of another article is a page that does not exist.
func (s *Server) openRevision(c echo.Context) (*news.Article, *news.Revision, error) {
	art, err := s.openArticle(c)
	if err != nil {
		return nil, nil, err
	}
	revID, err := idParam(c, "rev")
	if err != nil {
		return nil, nil, err
	}
	rev, err := s.news.Revision(c.Request().Context(), revID)
	if err != nil {
		return nil, nil, err
	}
	if rev.ArticleID != art.ID {
		return nil, nil, news.ErrNotFound
	}
	return art, rev, nil
}

func (s *Server) articleRevision(c echo.Context) error {
	art, rev, err := s.openRevision(c)
	if err != nil {
		return err
	}
	rows, err := s.revisionRows(c, art)
	if err != nil {
		return err
	}
	p := RevisionPage{Article: *art, CanEdit: actorOf(c).CanEdit(art)}
	if p.Current, err = s.news.RevisionIsCurrent(c.Request().Context(), art, rev); err != nil {
		return err
	}
	for _, r := range rows {
		if r.ID == rev.ID {
			p.Revision = r
		}
	}
	p.Base = s.staffBase(c, menuArticles, "Revision "+strconv.Itoa(p.Revision.Number)+": "+art.Title)
	for _, f := range []struct{ label, old, cur string }{
		{"Title", rev.Title, art.Title},
		{"Summary", rev.Summary, art.Summary},
		{"Text", rev.BodySource, art.BodySource},
	} {
		old, cur := wordDiff(f.old, f.cur)
		p.Fields = append(p.Fields, FieldDiff{Label: f.label, Old: old, New: cur, Changed: f.old != f.cur})
	}
	return c.Render(http.StatusOK, "editor/revision", p)
}

func (s *Server) articleRevisionRestorePost(c echo.Context) error {
	art, rev, err := s.openRevision(c)
	if err != nil {
		return err
	}
	_, err = s.news.RestoreRevision(c.Request().Context(), actorOf(c), art.ID, rev.ID)
	var verrs validate.Errors
	switch {
	case errors.Is(err, news.ErrRevisionIsCurrent):
		s.addFlash(c, "info", "This revision is the same as the current version, so there was nothing to restore.")
		return c.Redirect(http.StatusSeeOther, editURL(art.ID)+"/revisions")
	case errors.Is(err, news.ErrForbidden):
		return refuse("Writers can change their own articles only while they are drafts or in review; ask an editor to restore this revision.")
	case errors.Is(err, news.ErrConflict):
		s.addFlash(c, "error", "Someone saved the article while you were restoring it. Nothing was changed; look at the revisions again.")
		return c.Redirect(http.StatusSeeOther, editURL(art.ID)+"/revisions")
	case errors.As(err, &verrs):
		msgs := make([]string, 0, len(verrs))
		for _, fe := range errorList(verrs, "", articleFields) {
			msgs = append(msgs, fe.Message)
		}
		s.addFlash(c, "error", "This revision cannot be restored as it is: "+strings.Join(msgs, "; ")+".")
		return c.Redirect(http.StatusSeeOther, editURL(art.ID)+"/revisions")
	case err != nil:
		return err
	}
	s.addFlash(c, "success", "The revision was restored. The version it replaced is kept in the revisions.")
	return c.Redirect(http.StatusSeeOther, editURL(art.ID))
}

// maxDiffCells bounds the work of one comparison (words of one side × words of the other
// after the common start and end are set aside); beyond it the middle is shown as replaced.
const maxDiffCells = 4_000_000

// wordDiff compares a and b word by word (the longest common subsequence of words and the
// spaces between them) and returns a's parts, marking removed words, and b's, marking added
// ones.
func wordDiff(a, b string) (old, cur []DiffPart) {
	x, y := tokens(a), tokens(b)
	pre := 0
	for pre < len(x) && pre < len(y) && x[pre] == y[pre] {
		pre++
	}
	suf := 0
	for suf < len(x)-pre && suf < len(y)-pre && x[len(x)-1-suf] == y[len(y)-1-suf] {
		suf++
	}
	add := func(parts []DiffPart, kind, text string) []DiffPart {
		if text == "" {
			return parts
		}
		if n := len(parts); n > 0 && parts[n-1].Kind == kind {
			parts[n-1].Text += text
			return parts
		}
		return append(parts, DiffPart{Kind: kind, Text: text})
	}
	for _, t := range x[:pre] {
		old, cur = add(old, "same", t), add(cur, "same", t)
	}
	mx, my := x[pre:len(x)-suf], y[pre:len(y)-suf]
	for _, op := range lcsOps(mx, my) {
		switch op.kind {
		case "same":
			old, cur = add(old, "same", op.text), add(cur, "same", op.text)
		case "del":
			old = add(old, "del", op.text)
		case "ins":
			cur = add(cur, "ins", op.text)
		}
	}
	for _, t := range x[len(x)-suf:] {
		old, cur = add(old, "same", t), add(cur, "same", t)
	}
	return old, cur
}

type diffOp struct{ kind, text string }

// lcsOps is the edit script from x to y by dynamic programming over the longest common
// subsequence; inputs too large for that are one removal and one insertion.
func lcsOps(x, y []string) []diffOp {
	n, m := len(x), len(y)
	if n*m > maxDiffCells {
		ops := make([]diffOp, 0, n+m)
		for _, t := range x {
			ops = append(ops, diffOp{"del", t})
		}
		for _, t := range y {
			ops = append(ops, diffOp{"ins", t})
		}
		return ops
	}
	// l[i][j] is the LCS length of x[i:] and y[j:].
	l := make([][]int32, n+1)
	for i := range l {
		l[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				l[i][j] = l[i+1][j+1] + 1
			} else {
				l[i][j] = max(l[i+1][j], l[i][j+1])
			}
		}
	}
	ops := make([]diffOp, 0, n+m)
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case x[i] == y[j]:
			ops = append(ops, diffOp{"same", x[i]})
			i, j = i+1, j+1
		case l[i+1][j] >= l[i][j+1]:
			ops = append(ops, diffOp{"del", x[i]})
			i++
		default:
			ops = append(ops, diffOp{"ins", y[j]})
			j++
		}
	}
	for ; i < n; i++ {
		ops = append(ops, diffOp{"del", x[i]})
	}
	for ; j < m; j++ {
		ops = append(ops, diffOp{"ins", y[j]})
	}
	return ops
}

// tokens splits s into runs of white space and runs of anything else, so joining them gives
// s back and line breaks survive in the comparison.
func tokens(s string) []string {
	var out []string
	start, space := 0, false
	for i, r := range s {
		sp := unicode.IsSpace(r)
		if i > start && sp != space {
			out = append(out, s[start:i])
			start = i
		}
		space = sp
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
