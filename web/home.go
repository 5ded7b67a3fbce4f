package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"campusnews/internal/news"
)

// Home page sizes.
const (
	homeHeadlines  = 5
	homePerSection = 4
	homeNotices    = 5
	homeTags       = 15
)

func (s *Server) homeView(c echo.Context) error {
	ctx := c.Request().Context()
	tree, err := s.news.Tree(ctx)
	if err != nil {
		return err
	}
	b, err := s.base(c, tree, "", "")
	if err != nil {
		return err
	}
	loc := b.Site.Location()
	page := HomePage{Base: b}
	visible := tree.VisibleIDs()
	if len(visible) == 0 {
		return c.Render(http.StatusOK, "pages/home", page)
	}
	heads, err := s.news.Headlines(ctx, visible, homeHeadlines)
	if err != nil {
		return err
	}
	page.Headlines = cards(tree, heads, loc)
	var noticeIDs []int64
	for _, sec := range tree.VisibleSections() {
		ids := sec.VisibleIDs()
		latest, err := s.news.Latest(ctx, news.ListFilter{CategoryIDs: ids}, homePerSection)
		if err != nil {
			return err
		}
		if len(latest) > 0 {
			page.Sections = append(page.Sections, SectionBlock{Name: sec.Name, URL: sec.Path, Articles: cards(tree, latest, loc)})
		}
		for _, cat := range sec.VisibleChildren() {
			if cat.Slug == news.NoticesSlug {
				noticeIDs = append(noticeIDs, cat.ID)
			}
		}
	}
	if len(noticeIDs) > 0 {
		notices, err := s.news.Latest(ctx, news.ListFilter{CategoryIDs: noticeIDs}, homeNotices)
		if err != nil {
			return err
		}
		page.Notices = cards(tree, notices, loc)
	}
	if page.Tags, err = s.news.PopularTags(ctx, visible, homeTags); err != nil {
		return err
	}
	return c.Render(http.StatusOK, "pages/home", page)
}
