package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"campusnews/internal/news"
)

// perPage is how many articles a listing page shows.
const perPage = 20

func (s *Server) sectionView(c echo.Context) error {
	return s.categoryListing(c, "/"+c.Param("section"))
}

func (s *Server) categoryView(c echo.Context) error {
	return s.categoryListing(c, "/"+c.Param("section")+"/"+c.Param("category"))
}

// categoryListing shows the newest articles of the section or category at path.
func (s *Server) categoryListing(c echo.Context, path string) error {
	ctx := c.Request().Context()
	tree, err := s.news.Tree(ctx)
	if err != nil {
		return err
	}
	n := tree.ByPath(path)
	if n == nil || !n.Visible() {
		return news.ErrNotFound
	}
	l, err := s.news.List(ctx, news.ListFilter{CategoryIDs: n.VisibleIDs()}, pageParam(c), perPage)
	if err != nil {
		return err
	}
	b, err := s.base(c, tree, n.Name, n.Description)
	if err != nil {
		return err
	}
	arts, err := s.listCards(ctx, tree, l.Articles, b.Site.Location())
	if err != nil {
		return err
	}
	b.Section = n.Section().Slug
	b.Breadcrumb = crumbsOf(n)
	b.Canonical = s.cfg.BaseURL + withPage(n.Path, l.Page, nil)
	b.Feeds = append(b.Feeds, FeedLink{Title: b.Site.Name + " – " + n.Name, URL: n.Path + "/feed.atom"})
	sec := n.Section() // a category's events are in its section's calendar
	b.Calendars = append(b.Calendars, FeedLink{Title: b.Site.Name + " – " + sec.Name + " – events", URL: sec.Path + "/events.ics"})
	page := ListingPage{
		Base:     b,
		Heading:  n.Name,
		Intro:    n.Description,
		Articles: arts,
		Pager:    Pager{Page: l.Page, Pages: l.Pages(), Total: l.Total, BaseURL: n.Path},
		FeedURL:  n.Path + "/feed.atom",
	}
	if n.IsSection() {
		for _, ch := range n.VisibleChildren() {
			page.Subsections = append(page.Subsections, NavItem{Name: ch.Name, Slug: ch.Slug, URL: ch.Path})
		}
	}
	return c.Render(http.StatusOK, "pages/listing", page)
}
