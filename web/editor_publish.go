package web

import (
	"html/template"
	"net/http"

	"github.com/labstack/echo/v4"

	"campusnews/internal/markup"
	"campusnews/internal/news"
)

// renderPublishConfirm answers "Publish now" sent without the browser's question (no
// script): the form comes back as typed, with the article previewed and a button that
// publishes it. A form the service would refuse shows its errors instead, so the question is
// asked only when publishing can succeed. Nothing is saved.
func (s *Server) renderPublishConfirm(c echo.Context, f ArticleForm, art *news.Article, in news.ArticleInput) error {
	tree, err := s.news.Tree(c.Request().Context())
	if err != nil {
		return err
	}
	if errs := in.Validate(tree); len(errs) > 0 {
		return s.renderForm(c, http.StatusUnprocessableEntity, f, art, errs)
	}
	p, err := s.formPage(c, f, art, nil)
	if err != nil {
		return err
	}
	p.Preview = template.HTML(markup.Render(f.BodySource)) // sanitized by markup, as on the public page
	p.Previewed, p.ConfirmPublish = true, true
	p.Title = "Publish now? " + f.Title
	return c.Render(http.StatusOK, "editor/article_form", p)
}
