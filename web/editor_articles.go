package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"campusnews/internal/accounts"
	"campusnews/internal/markup"
	"campusnews/internal/news"
	"campusnews/internal/validate"
)

// conflictMessage is shown when someone else saved the article after the form was opened.
const conflictMessage = "Someone else saved this article since you opened it. Your text is kept below; compare and save again."

// actorOf is the signed-in user as the news service sees them; with nobody signed in, an
// actor who may do nothing.
func actorOf(c echo.Context) news.Actor {
	u := currentUser(c)
	if u == nil {
		return news.Actor{IP: c.RealIP()}
	}
	editor := u.Role.AtLeast(accounts.Editor)
	return news.Actor{UserID: u.ID, Email: u.Email, IP: c.RealIP(), CanPublish: editor, CanEditAny: editor}
}

// idParam reads a positive id from the path; anything else is a page that does not exist.
func idParam(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id < 1 {
		return 0, news.ErrNotFound
	}
	return id, nil
}

func editURL(id int64) string { return "/editor/articles/" + strconv.FormatInt(id, 10) }

// openArticle loads the article of the :id parameter for the signed-in user. Writers open
// only their own articles; editors any.
func (s *Server) openArticle(c echo.Context) (*news.Article, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	art, err := s.news.Article(c.Request().Context(), id)
	if err != nil {
		return nil, err
	}
	if !actorOf(c).CanOpen(art) {
		return nil, refuse("Writers can open only their own articles; ask an editor.")
	}
	return art, nil
}

func (s *Server) articleNew(c echo.Context) error {
	f := ArticleForm{}
	if id, err := strconv.ParseInt(c.QueryParam("category"), 10, 64); err == nil {
		f.CategoryID = id
	}
	return s.renderForm(c, http.StatusOK, f, nil, nil)
}

func (s *Server) articleNewPost(c echo.Context) error { return s.saveArticle(c, nil) }

func (s *Server) articleEdit(c echo.Context) error {
	art, err := s.openArticle(c)
	if err != nil {
		return err
	}
	st, err := s.site.Get(c.Request().Context())
	if err != nil {
		return err
	}
	return s.renderForm(c, http.StatusOK, formOf(art, st.Location()), art, nil)
}

func (s *Server) articleEditPost(c echo.Context) error {
	art, err := s.openArticle(c)
	if err != nil {
		return err
	}
	return s.saveArticle(c, art)
}

// renderForm shows the article form with f and errs.
func (s *Server) renderForm(c echo.Context, status int, f ArticleForm, art *news.Article, errs validate.Errors) error {
	p, err := s.formPage(c, f, art, errs)
	if err != nil {
		return err
	}
	return c.Render(status, "editor/article_form", p)
}

// saveArticle handles every button of the article form: preview, save, and save followed by
// a workflow step. art is the stored article, nil for a new one.
func (s *Server) saveArticle(c echo.Context, art *news.Article) error {
	ctx := c.Request().Context()
	a := actorOf(c)
	st, err := s.site.Get(ctx)
	if err != nil {
		return err
	}
	loc := st.Location()
	f := readArticleForm(c)
	errs := validate.Errors{}
	in := f.input(loc, errs)
	at := f.publishAt(loc, errs)
	switch f.Action {
	case "preview":
		return s.renderPreview(c, f, art)
	case "publish", "schedule":
		if !a.CanPublish {
			return refuse("Only editors and administrators can publish or schedule articles. Submit it for review instead.")
		}
	case "", "save", "submit":
	default:
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	if f.Action == "schedule" && at == nil {
		errs.Add("publish_at", "Choose when to publish")
	}
	if len(errs) > 0 {
		// Show the service's checks too, so every mistake is reported at once.
		if tree, err := s.news.Tree(ctx); err == nil {
			for k, v := range in.Validate(tree) {
				errs.Add(k, v)
			}
		}
		return s.renderForm(c, http.StatusUnprocessableEntity, f, art, errs)
	}
	var saved *news.Article
	if art == nil {
		saved, err = s.news.Create(ctx, a, in)
	} else {
		saved, err = s.news.Update(ctx, a, art.ID, in, f.baseTime())
	}
	var verrs validate.Errors
	switch {
	case errors.Is(err, news.ErrConflict):
		return s.renderConflict(c, f, art)
	case errors.Is(err, news.ErrForbidden) && art != nil:
		return s.renderLocked(c, f, art)
	case errors.As(err, &verrs):
		return s.renderForm(c, http.StatusUnprocessableEntity, f, art, verrs)
	case err != nil:
		return err
	}
	return s.afterArticleSave(c, a, f, saved, at, loc)
}

// afterArticleSave takes the workflow step the pressed button asks for, then sends the user
// back to the form.
func (s *Server) afterArticleSave(c echo.Context, a news.Actor, f ArticleForm, saved *news.Article, at *time.Time, loc *time.Location) error {
	msg, err := s.articleStep(c.Request().Context(), a, saved, f.Action, at, loc)
	var verrs validate.Errors
	switch {
	case errors.As(err, &verrs):
		// The text is saved; only the step was refused. Show why beside its field.
		f.BaseUpdated = saved.UpdatedAt.UTC().Format(time.RFC3339Nano)
		p, perr := s.formPage(c, f, saved, verrs)
		if perr != nil {
			return perr
		}
		p.Flash = append(p.Flash, Flash{Kind: "info", Message: "Your text was saved as it is, but not " + stepDone(f.Action) + "."})
		return c.Render(http.StatusUnprocessableEntity, "editor/article_form", p)
	case errors.Is(err, news.ErrWrongStatus):
		s.addFlash(c, "error", "Your text was saved, but the article could not be "+stepDone(f.Action)+
			" while it is "+string(saved.Status)+".")
	case err != nil:
		return err
	default:
		s.addFlash(c, "success", msg)
	}
	return c.Redirect(http.StatusSeeOther, editURL(saved.ID))
}

// articleStep runs the workflow step of action on art and returns the message to show.
func (s *Server) articleStep(ctx context.Context, a news.Actor, art *news.Article, action string, at *time.Time, loc *time.Location) (string, error) {
	switch action {
	case "submit":
		return "Submitted for review. An editor will check it and publish it.", s.news.Submit(ctx, a, art.ID)
	case "publish":
		return "Published. It is on the site now.", s.news.Publish(ctx, a, art.ID)
	case "schedule":
		return "Scheduled to appear on " + at.In(loc).Format("2 January 2006 at 15:04 MST") + ".",
			s.news.Schedule(ctx, a, art.ID, *at)
	}
	if art.Status == news.Published {
		return "Saved. The changes are live on the site.", nil
	}
	return "Saved.", nil
}

// stepDone names what a step does, for messages.
func stepDone(action string) string {
	switch action {
	case "submit":
		return "submitted for review"
	case "publish":
		return "published"
	case "schedule":
		return "scheduled"
	}
	return "saved"
}

// renderPreview shows the form with its body rendered above it; nothing is saved.
func (s *Server) renderPreview(c echo.Context, f ArticleForm, art *news.Article) error {
	p, err := s.formPage(c, f, art, nil)
	if err != nil {
		return err
	}
	p.Preview = template.HTML(markup.Render(f.BodySource)) // sanitized by markup, as on the public page
	p.Previewed = true
	return c.Render(http.StatusOK, "editor/article_form", p)
}

// renderConflict answers a save over someone else's newer one: the user's text stays in the
// form, the stored version is shown beside it, and saving again replaces it.
func (s *Server) renderConflict(c echo.Context, f ArticleForm, art *news.Article) error {
	cur, err := s.news.Article(c.Request().Context(), art.ID)
	if err != nil {
		return err
	}
	f.BaseUpdated = cur.UpdatedAt.UTC().Format(time.RFC3339Nano)
	p, err := s.formPage(c, f, cur, nil)
	if err != nil {
		return err
	}
	p.Conflict, p.Current = true, cur
	return c.Render(http.StatusConflict, "editor/article_form", p)
}

// renderLocked answers a save the user may no longer make, typically a writer's whose article
// an editor published while they were editing: nothing is saved, and their text stays on the
// page to copy.
func (s *Server) renderLocked(c echo.Context, f ArticleForm, art *news.Article) error {
	cur, err := s.news.Article(c.Request().Context(), art.ID)
	if err != nil {
		return err
	}
	p, err := s.formPage(c, f, cur, nil)
	if err != nil {
		return err
	}
	p.Locked = true
	p.Notice = ""
	return c.Render(http.StatusConflict, "editor/article_form", p)
}

// articlePreviewPost renders posted Markdown for the live preview of the article form, with
// the same code as the public page. A text longer than an article may be is not rendered: the
// preview area says so instead (with 200, which the form's script shows like any preview).
func (s *Server) articlePreviewPost(c echo.Context) error {
	body := c.FormValue("body")
	if n := utf8.RuneCountInString(body); n > news.MaxBodyLen {
		thousands := func(n int) string { // 200000 as 200,000
			s := strconv.Itoa(n)
			for i := len(s) - 3; i > 0; i -= 3 {
				s = s[:i] + "," + s[i:]
			}
			return s
		}
		return c.HTML(http.StatusOK, fmt.Sprintf(`<p class="field-error" role="alert">The text is %s characters long; `+
			`an article may hold %s. Shorten it to see the preview.</p>`, thousands(n), thousands(news.MaxBodyLen)))
	}
	return c.HTML(http.StatusOK, markup.Render(body))
}

func (s *Server) articleUnpublishPost(c echo.Context) error {
	return s.articleMove(c, "unpublished", "Unpublished. It is a draft again and no longer on the site.", s.news.Unpublish)
}

func (s *Server) articleArchivePost(c echo.Context) error {
	return s.articleMove(c, "archived", "Archived. It is no longer on the site.", s.news.ArchiveArticle)
}

// articleMove runs a workflow step from one of the small forms below the article form.
func (s *Server) articleMove(c echo.Context, done, msg string, step func(context.Context, news.Actor, int64) error) error {
	art, err := s.openArticle(c)
	if err != nil {
		return err
	}
	err = step(c.Request().Context(), actorOf(c), art.ID)
	switch {
	case errors.Is(err, news.ErrWrongStatus):
		s.addFlash(c, "error", "The article could not be "+done+" while it is "+string(art.Status)+".")
	case errors.Is(err, news.ErrForbidden):
		return refuse("Only editors and administrators can unpublish or archive articles.")
	case err != nil:
		return err
	default:
		s.addFlash(c, "success", msg)
	}
	return c.Redirect(http.StatusSeeOther, editURL(art.ID))
}

// ArticleDeletePage asks to confirm deleting an article.
type ArticleDeletePage struct {
	Base
	Article news.Article
}

func (s *Server) articleDelete(c echo.Context) error {
	art, err := s.openArticle(c)
	if err != nil {
		return err
	}
	if !actorOf(c).CanDelete(art) {
		return refuse(reasonDelete)
	}
	p := ArticleDeletePage{Base: s.staffBase(c, menuArticles, "Delete: "+art.Title), Article: *art}
	return c.Render(http.StatusOK, "editor/article_delete", p)
}

func (s *Server) articleDeletePost(c echo.Context) error {
	art, err := s.openArticle(c)
	if err != nil {
		return err
	}
	err = s.news.Delete(c.Request().Context(), actorOf(c), art.ID)
	if errors.Is(err, news.ErrForbidden) {
		return refuse(reasonDelete)
	}
	if err != nil {
		return err
	}
	s.addFlash(c, "success", "Deleted “"+art.Title+"” and its revisions.")
	return c.Redirect(http.StatusSeeOther, "/editor/articles")
}
