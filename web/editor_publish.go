package web

import (
	"html/template"
	"net/http"

	"github.com/labstack/echo/v4"

	"campusnews/internal/markup"
)

// renderPublishConfirm answers "Publish now" sent without the browser's question (no
// script), once the news service has said publishing would succeed: the form comes back as
// typed, with the article previewed and a button that publishes it. Nothing is saved.
func (s *Server) renderPublishConfirm(c echo.Context, f ArticleForm, id int64) error {
	art, err := s.formArticle(c, id)
	if err != nil {
		return err
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
