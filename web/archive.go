package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"campusnews/internal/news"
)

func (s *Server) archiveIndex(c echo.Context) error {
	ctx := c.Request().Context()
	tree, err := s.news.Tree(ctx)
	if err != nil {
		return err
	}
	months, err := s.news.Archive(ctx, tree.VisibleIDs())
	if err != nil {
		return err
	}
	b, err := s.base(c, tree, "Archive", "Every article by year and month.")
	if err != nil {
		return err
	}
	b.Breadcrumb = []Crumb{{Name: "Home", URL: "/"}, {Name: "Archive"}}
	page := ArchivePage{Base: b}
	for _, m := range months {
		if len(page.Years) == 0 || page.Years[len(page.Years)-1].Year != m.Year {
			page.Years = append(page.Years, ArchiveYear{Year: m.Year, URL: fmt.Sprintf("/archive/%d", m.Year)})
		}
		y := &page.Years[len(page.Years)-1]
		y.Count += m.Count
		y.Months = append(y.Months, ArchiveMonth{
			Name: m.Month.String(), URL: fmt.Sprintf("/archive/%d/%02d", m.Year, int(m.Month)), Count: m.Count})
	}
	return c.Render(http.StatusOK, "pages/archive", page)
}

// archiveYear lists a year's articles; archiveMonth a month's.
func (s *Server) archiveYear(c echo.Context) error  { return s.archiveListing(c, false) }
func (s *Server) archiveMonth(c echo.Context) error { return s.archiveListing(c, true) }

func (s *Server) archiveListing(c echo.Context, byMonth bool) error {
	ctx := c.Request().Context()
	year, err := strconv.Atoi(c.Param("year"))
	if err != nil || year < 1900 || year > 9999 {
		return news.ErrNotFound
	}
	month := 1
	if byMonth {
		if month, err = strconv.Atoi(c.Param("month")); err != nil || month < 1 || month > 12 {
			return news.ErrNotFound
		}
	}
	tree, err := s.news.Tree(ctx)
	if err != nil {
		return err
	}
	st, err := s.site.Get(ctx)
	if err != nil {
		return err
	}
	// Bounds in the site's time zone, so an article dated 1 October there is in October.
	loc := st.Location()
	from := time.Date(year, time.Month(month), 1, 0, 0, 0, 0, loc)
	to := from.AddDate(1, 0, 0)
	heading, path := strconv.Itoa(year), fmt.Sprintf("/archive/%d", year)
	if byMonth {
		to = from.AddDate(0, 1, 0)
		heading, path = from.Format("January 2006"), fmt.Sprintf("/archive/%d/%02d", year, month)
	}
	l, err := s.news.List(ctx, news.ListFilter{CategoryIDs: tree.VisibleIDs(), From: from, To: to}, pageParam(c), perPage)
	if err != nil {
		return err
	}
	if l.Total == 0 {
		// Every year and month would otherwise be a page, empty and crawlable without end;
		// the index lists the ones that exist.
		return news.ErrNotFound
	}
	b, err := s.base(c, tree, "Archive: "+heading, "News published in "+heading+".")
	if err != nil {
		return err
	}
	arts, err := s.listCards(ctx, tree, l.Articles, loc)
	if err != nil {
		return err
	}
	b.Canonical = s.cfg.BaseURL + withPage(path, l.Page, nil)
	b.Breadcrumb = []Crumb{{Name: "Home", URL: "/"}, {Name: "Archive", URL: "/archive"}}
	if byMonth {
		b.Breadcrumb = append(b.Breadcrumb, Crumb{Name: strconv.Itoa(year), URL: fmt.Sprintf("/archive/%d", year)})
	}
	b.Breadcrumb = append(b.Breadcrumb, Crumb{Name: heading})
	return c.Render(http.StatusOK, "pages/listing", ListingPage{
		Base:     b,
		Heading:  heading,
		Intro:    "News published in " + heading + ".",
		Articles: arts,
		Pager:    Pager{Page: l.Page, Pages: l.Pages(), Total: l.Total, BaseURL: path},
	})
}
