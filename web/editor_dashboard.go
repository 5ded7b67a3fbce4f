package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"campusnews/internal/accounts"
	"campusnews/internal/news"
)

// editorPerPage is how many articles a page of the editor's list shows.
const editorPerPage = 25

// ArticleRow is an article in a staff table.
type ArticleRow struct {
	ID       int64
	Title    string
	Status   news.Status
	Category string
	Author   string    // the staff member who created it
	Time     time.Time // in the site's time zone: updated, or when it goes out
	// EditURL is set when the user may open the article; else PublicURL when it is live.
	EditURL   string
	PublicURL string
}

// DashboardPanel is one short table of the dashboard.
type DashboardPanel struct {
	ID      string
	Heading string
	TimeCol string // heading of the time column
	Empty   string
	Rows    []ArticleRow
	MoreURL string
}

// StatusCount is how many articles have a status, linking to the list of them.
type StatusCount struct {
	Status news.Status
	Count  int64
	URL    string
}

// DashboardPage is the start page of the staff area.
type DashboardPage struct {
	Base
	Panels []DashboardPanel
	Counts []StatusCount
}

// ArticleListPage is the filtered list of the articles the user may see in staff lists: every
// article for editors, their own and the published ones for writers.
type ArticleListPage struct {
	Base
	Every      bool // the user sees every article, not only their own and the published
	Rows       []ArticleRow
	Pager      Pager
	Total      int64
	Filter     ArticleFilterForm
	Filtered   bool
	Statuses   []news.Status
	Categories []CategoryGroup
	Authors    []SelectOption
}

// ArticleFilterForm is the filter form of the article list as typed.
type ArticleFilterForm struct {
	Status     string
	CategoryID int64
	AuthorID   int64
	Query      string
}

// rowMaker turns articles into rows, naming categories and authors.
type rowMaker struct {
	tree  *news.Tree
	users []accounts.User // every account, for lists that offer them
	names map[int64]string
	loc   *time.Location
	actor news.Actor // whose links are made: only articles they may open link to the form
}

func (m rowMaker) row(a *news.Article, t time.Time) ArticleRow {
	r := ArticleRow{ID: a.ID, Title: a.Title, Status: a.Status, Time: t.In(m.loc)}
	if m.actor.CanOpen(a) {
		r.EditURL = editURL(a.ID)
	} else if a.Status == news.Published {
		r.PublicURL = articleURL(m.tree, a)
	}
	if n := m.tree.Node(a.CategoryID); n != nil {
		r.Category = n.Name
	}
	if a.CreatedBy != nil {
		r.Author = m.names[*a.CreatedBy]
	}
	return r
}

func (m rowMaker) rows(arts []news.Article, when func(*news.Article) time.Time) []ArticleRow {
	out := make([]ArticleRow, len(arts))
	for i := range arts {
		out[i] = m.row(&arts[i], when(&arts[i]))
	}
	return out
}

func updated(a *news.Article) time.Time { return a.UpdatedAt }

func published(a *news.Article) time.Time {
	if a.PublishedAt == nil {
		return a.UpdatedAt
	}
	return *a.PublishedAt
}

// rowMaker reads what rows need besides the articles: the tree, staff names, the time zone.
func (s *Server) rowMaker(c echo.Context) (rowMaker, error) {
	ctx := c.Request().Context()
	users, err := s.users.List(ctx)
	if err != nil {
		return rowMaker{}, err
	}
	tree, err := s.news.Tree(ctx)
	if err != nil {
		return rowMaker{}, err
	}
	st, err := s.site.Get(ctx)
	if err != nil {
		return rowMaker{}, err
	}
	names := make(map[int64]string, len(users))
	for _, u := range users {
		names[u.ID] = u.Name
	}
	return rowMaker{tree: tree, users: users, names: names, loc: st.Location(), actor: actorOf(c)}, nil
}

func (s *Server) editorDashboard(c echo.Context) error {
	ctx := c.Request().Context()
	a := actorOf(c)
	d, err := s.news.Dashboard(ctx, a)
	if err != nil {
		return err
	}
	m, err := s.rowMaker(c)
	if err != nil {
		return err
	}
	// A writer's panels hold only their own articles, besides what is published.
	review, scheduled := "Waiting for review", "Scheduled"
	if !a.CanEditAny {
		review, scheduled = "My articles waiting for review", "My scheduled articles"
	}
	uid := strconv.FormatInt(a.UserID, 10)
	p := DashboardPage{Base: s.staffBase(c, menuDashboard, "Dashboard"), Panels: []DashboardPanel{
		{ID: "drafts", Heading: "My drafts", TimeCol: "Updated", Rows: m.rows(d.MyDrafts, updated),
			Empty: "You have no drafts. Start one with “Write an article”.", MoreURL: "/editor/articles?status=draft&author=" + uid},
		{ID: "review", Heading: review, TimeCol: "Updated", Rows: m.rows(d.InReview, updated),
			Empty: "Nothing is waiting for review.", MoreURL: "/editor/articles?status=review"},
		{ID: "scheduled", Heading: scheduled, TimeCol: "Goes out", Rows: m.rows(d.Scheduled, published),
			Empty: "Nothing is scheduled.", MoreURL: "/editor/articles?status=scheduled"},
		{ID: "published", Heading: "Recently published", TimeCol: "Published", Rows: m.rows(d.RecentlyPublished, published),
			Empty: "Nothing has been published yet.", MoreURL: "/editor/articles?status=published"},
	}}
	for _, st := range news.Statuses {
		p.Counts = append(p.Counts, StatusCount{Status: st, Count: d.Counts[st], URL: "/editor/articles?status=" + string(st)})
	}
	return c.Render(http.StatusOK, "editor/dashboard", p)
}

// readArticleFilter reads the list's filter from the query string.
func readArticleFilter(c echo.Context) (ArticleFilterForm, news.EditorFilter) {
	num := func(name string) int64 {
		n, err := strconv.ParseInt(c.QueryParam(name), 10, 64)
		if err != nil || n < 0 {
			return 0
		}
		return n
	}
	f := ArticleFilterForm{Status: c.QueryParam("status"), CategoryID: num("category"), AuthorID: num("author"),
		Query: strings.TrimSpace(c.QueryParam("q"))}
	if !news.Status(f.Status).Valid() {
		f.Status = ""
	}
	return f, news.EditorFilter{Status: news.Status(f.Status), CategoryID: f.CategoryID, AuthorID: f.AuthorID, Query: f.Query}
}

// query is the filter as URL parameters, for the pager.
func (f ArticleFilterForm) query() url.Values {
	q := url.Values{}
	if f.Status != "" {
		q.Set("status", f.Status)
	}
	if f.CategoryID != 0 {
		q.Set("category", strconv.FormatInt(f.CategoryID, 10))
	}
	if f.AuthorID != 0 {
		q.Set("author", strconv.FormatInt(f.AuthorID, 10))
	}
	if f.Query != "" {
		q.Set("q", f.Query)
	}
	return q
}

func (s *Server) articleList(c echo.Context) error {
	ctx := c.Request().Context()
	page := pageParam(c)
	form, filter := readArticleFilter(c)
	l, err := s.news.EditorList(ctx, actorOf(c), filter, page, editorPerPage)
	if err != nil {
		return err
	}
	m, err := s.rowMaker(c)
	if err != nil {
		return err
	}
	q := form.query()
	p := ArticleListPage{Base: s.staffBase(c, menuArticles, "Articles"), Every: m.actor.CanEditAny,
		Rows: m.rows(l.Articles, updated), Total: l.Total,
		Filter: form, Filtered: len(q) > 0, Statuses: news.Statuses, Categories: categoryGroups(m.tree, form.CategoryID, 0),
		Pager: Pager{Page: l.Page, Pages: l.Pages(), Total: l.Total, BaseURL: "/editor/articles"}}
	if len(q) > 0 {
		p.Pager.Query = q.Encode() + "&"
	}
	for _, u := range m.users {
		if u.Role.Valid() {
			p.Authors = append(p.Authors, SelectOption{Value: u.ID, Label: u.Name, Selected: u.ID == form.AuthorID})
		}
	}
	return c.Render(http.StatusOK, "editor/articles", p)
}
