package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"campusnews/internal/news"
)

func (s *Server) tagsIndex(c echo.Context) error {
	ctx := c.Request().Context()
	tree, err := s.news.Tree(ctx)
	if err != nil {
		return err
	}
	b, err := s.base(c, tree, "Topics", "Every topic of the news, with how many articles carry it.")
	if err != nil {
		return err
	}
	b.Breadcrumb = []Crumb{{Name: "Home", URL: "/"}, {Name: "Topics"}}
	tags, err := s.news.TagCounts(ctx, tree.VisibleIDs(), 500)
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "pages/tags", TagsPage{Base: b, Tags: tags})
}

func (s *Server) tagView(c echo.Context) error {
	ctx := c.Request().Context()
	tag, err := s.news.TagBySlug(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	tree, err := s.news.Tree(ctx)
	if err != nil {
		return err
	}
	l, err := s.news.List(ctx, news.ListFilter{TagID: tag.ID, CategoryIDs: tree.VisibleIDs()}, pageParam(c), perPage)
	if err != nil {
		return err
	}
	if l.Total == 0 {
		// A tag that only drafts, hidden categories or unpublished articles carry is not a
		// topic readers can see: the page would tell them that it exists.
		return news.ErrNotFound
	}
	b, err := s.base(c, tree, "Topic: "+tag.Name, "News about "+tag.Name+".")
	if err != nil {
		return err
	}
	arts, err := s.listCards(ctx, tree, l.Articles, b.Site.Location())
	if err != nil {
		return err
	}
	path := "/tags/" + tag.Slug
	b.Canonical = s.cfg.BaseURL + withPage(path, l.Page, nil)
	b.Breadcrumb = []Crumb{{Name: "Home", URL: "/"}, {Name: "Topics", URL: "/tags"}, {Name: tag.Name}}
	return c.Render(http.StatusOK, "pages/listing", ListingPage{
		Base:     b,
		Heading:  tag.Name,
		Intro:    "Articles on the topic “" + tag.Name + "”.",
		Articles: arts,
		Pager:    Pager{Page: l.Page, Pages: l.Pages(), Total: l.Total, BaseURL: path},
	})
}
