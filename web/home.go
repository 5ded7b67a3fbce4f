package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"campusnews/internal/news"
)

// Home page sizes.
const (
	homeHeadlines  = 5 // the lead and four more
	homePerSection = 4
	homeNotices    = 5
	homeTags       = 15
)

// homeView is the front page: the lead story with its photo, the other headlines, the current
// notices, the latest of each section, the popular topics. No story is shown twice: notices
// are only in their own block, and each section block leaves out the headlines and stays
// full (news.Front).
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
	notices := map[int64]bool{}
	var noticeIDs []int64
	for _, sec := range tree.VisibleSections() {
		for _, cat := range sec.VisibleChildren() {
			if cat.Slug == news.NoticesSlug {
				notices[cat.ID] = true
				noticeIDs = append(noticeIDs, cat.ID)
				if page.NoticesURL == "" {
					page.NoticesURL = cat.Path
				}
			}
		}
	}

	spec := news.FrontSpec{Stories: without(visible, notices), Headlines: homeHeadlines}
	var blockOf []*news.Node // the section of each block; nil for the notices
	for _, sec := range tree.VisibleSections() {
		if ids := without(sec.VisibleIDs(), notices); len(ids) > 0 {
			spec.Blocks = append(spec.Blocks, news.FrontBlock{Categories: ids, Size: homePerSection})
			blockOf = append(blockOf, sec)
		}
	}
	if len(noticeIDs) > 0 {
		spec.Blocks = append(spec.Blocks, news.FrontBlock{Categories: noticeIDs, Size: homeNotices})
		blockOf = append(blockOf, nil)
	}
	front, err := s.news.Front(ctx, spec)
	if err != nil {
		return err
	}
	if hs := cards(tree, front.Headlines, loc); len(hs) > 0 {
		page.Lead, page.Headlines = &hs[0], hs[1:]
	}
	for i, arts := range front.Blocks {
		block := cards(tree, arts, loc)
		switch sec := blockOf[i]; {
		case sec == nil:
			page.Notices = block
		case len(block) > 0:
			page.Sections = append(page.Sections, SectionBlock{Name: sec.Name, URL: sec.Path, Articles: block})
		}
	}
	if err := s.homePhotos(c, &page); err != nil {
		return err
	}
	if page.Tags, err = s.news.PopularTags(ctx, visible, homeTags); err != nil {
		return err
	}
	return c.Render(http.StatusOK, "pages/home", page)
}

// homePhotos gives the stories of the home page their photos, read in one query: the lead's
// large and loaded first, the other headlines' beside them on the first screen, the section
// blocks' loaded as they are neared. The lead's photo is also the page's share image.
// Notices show none.
func (s *Server) homePhotos(c echo.Context, page *HomePage) error {
	lists := [][]ArticleCard{page.Headlines}
	if page.Lead != nil {
		lists = append(lists, []ArticleCard{*page.Lead})
	}
	for _, sec := range page.Sections {
		lists = append(lists, sec.Articles)
	}
	cv, err := s.coversOf(c.Request().Context(), nil, lists...)
	if err != nil {
		return err
	}
	if l := page.Lead; l != nil && l.CoverMediaID != nil {
		if m := cv[*l.CoverMediaID]; m != nil {
			l.Cover = cardImage(m, sizesLead, 960)
			l.Cover.Priority = true
			s.shareImage(&page.Base, m)
		}
	}
	cv.set(page.Headlines, sizesTop, len(page.Headlines))
	for _, sec := range page.Sections {
		cv.set(sec.Articles, sizesGrid, 0)
		if first := sec.Articles[0].Cover; first != nil {
			first.Sizes = sizesGridFirst
		}
	}
	return nil
}

// without is ids less those in drop.
func without(ids []int64, drop map[int64]bool) []int64 {
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if !drop[id] {
			out = append(out, id)
		}
	}
	return out
}
