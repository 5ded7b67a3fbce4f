package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
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
	st, err := s.site.Get(c.Request().Context())
	if err != nil {
		return err
	}
	f.Event.TimeZone = st.Location().String() // an event's times are the site's unless said otherwise
	return s.renderForm(c, http.StatusOK, f, nil, nil)
}

func (s *Server) articleNewPost(c echo.Context) error { return s.saveArticle(c, 0) }

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
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return s.saveArticle(c, id)
}

// renderForm shows the article form with f and errs.
func (s *Server) renderForm(c echo.Context, status int, f ArticleForm, art *news.Article, errs validate.Errors) error {
	p, err := s.formPage(c, f, art, errs)
	if err != nil {
		return err
	}
	return c.Render(status, "editor/article_form", p)
}

// saveArticle handles every button of the article form: preview, save, and save with a
// workflow step, which the news service takes in one go. id is the article's, 0 for a new one.
func (s *Server) saveArticle(c echo.Context, id int64) error {
	ctx := c.Request().Context()
	a := actorOf(c)
	st, err := s.site.Get(ctx)
	if err != nil {
		return err
	}
	loc := st.Location()
	f := readArticleForm(c)
	step, confirm := news.Step(f.Action), false
	switch step {
	case news.StepNone, news.StepSubmit, news.StepPublish, news.StepSchedule:
	case "save":
		step = news.StepNone
	case "confirm-publish":
		// "Publish now" sent without the browser's question (no script): ask first.
		step, confirm = news.StepPublish, true
	case "preview":
		art, err := s.formArticle(c, id)
		if err != nil {
			return err
		}
		return s.renderPreview(c, f, art)
	default:
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	errs := validate.Errors{}
	in := f.input(loc, errs)
	at := f.publishAt(loc, errs)
	if len(errs) > 0 {
		// The form itself is wrong (a date that is not one): show the service's checks too,
		// so every mistake is reported at once.
		if tree, err := s.news.Tree(ctx); err == nil {
			for k, v := range in.Validate(tree) {
				errs.Add(k, v)
			}
		}
		return s.renderFormOf(c, http.StatusUnprocessableEntity, f, id, errs)
	}
	var saved *news.Article
	if confirm {
		// The question is asked only when publishing would succeed: every refusal is shown
		// as it would be after it.
		err = s.news.CheckSaveAndStep(ctx, a, id, in, f.baseTime(), step, at)
	} else {
		saved, err = s.news.SaveAndStep(ctx, a, id, in, f.baseTime(), step, at)
	}
	var verrs validate.Errors
	switch {
	case errors.Is(err, news.ErrConflict):
		return s.renderConflict(c, f, id)
	case errors.Is(err, news.ErrForbidden):
		return s.refusedSave(c, f, id, step)
	case errors.Is(err, news.ErrWrongStatus):
		return s.renderWrongStatus(c, f, id, step)
	case errors.As(err, &verrs):
		return s.renderFormOf(c, http.StatusUnprocessableEntity, f, id, verrs)
	case err != nil:
		return err
	case confirm:
		return s.renderPublishConfirm(c, f, id)
	}
	s.addFlash(c, "success", savedMessage(saved, step, loc))
	return c.Redirect(http.StatusSeeOther, editURL(saved.ID))
}

// formArticle is the stored article of the form, nil for a new one; a writer may open only
// their own.
func (s *Server) formArticle(c echo.Context, id int64) (*news.Article, error) {
	if id == 0 {
		return nil, nil
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

// renderFormOf shows the form of article id (0: new) with f and errs.
func (s *Server) renderFormOf(c echo.Context, status int, f ArticleForm, id int64, errs validate.Errors) error {
	art, err := s.formArticle(c, id)
	if err != nil {
		return err
	}
	return s.renderForm(c, status, f, art, errs)
}

// refusedSave answers a save the user may not make: a writer publishing, or saving an
// article that left their hands (typically one an editor published while they were editing
// it), whose text stays on the page to copy.
func (s *Server) refusedSave(c echo.Context, f ArticleForm, id int64, step news.Step) error {
	if step == news.StepPublish || step == news.StepSchedule {
		return refuse("Only editors and administrators can publish or schedule articles. Submit it for review instead.")
	}
	art, err := s.formArticle(c, id)
	if err != nil || art == nil {
		return cmp.Or(err, refuse("You may not save this article."))
	}
	return s.renderLocked(c, f, art)
}

// renderWrongStatus answers a step the article's status does not allow: nothing was saved,
// and the text stays in the form.
func (s *Server) renderWrongStatus(c echo.Context, f ArticleForm, id int64, step news.Step) error {
	art, err := s.formArticle(c, id)
	if err != nil {
		return err
	}
	p, err := s.formPage(c, f, art, nil)
	if err != nil {
		return err
	}
	status := "its current status"
	if art != nil {
		status = strings.ToLower(art.Status.Label())
	}
	p.Flash = append(p.Flash, Flash{Kind: "error", Message: "Nothing was saved: the article cannot be " +
		stepDone(string(step)) + " while it is " + status + ". Your text is kept below."})
	return c.Render(http.StatusConflict, "editor/article_form", p)
}

// stepDone names what a step does, for messages.
func stepDone(action string) string {
	switch news.Step(action) {
	case news.StepSubmit:
		return "submitted for review"
	case news.StepPublish:
		return "published"
	case news.StepSchedule:
		return "scheduled"
	}
	return "saved"
}

// savedMessage says what a successful save did.
func savedMessage(art *news.Article, step news.Step, loc *time.Location) string {
	switch step {
	case news.StepSubmit:
		return "Submitted for review. An editor will check it and publish it."
	case news.StepPublish:
		return "Published. It is on the site now."
	case news.StepSchedule:
		return "Scheduled to appear on " + art.PublishedAt.In(loc).Format("2 January 2006 at 15:04 MST") + "."
	}
	if art.Status == news.Published {
		return "Saved. The changes are live on the site."
	}
	return "Saved."
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
func (s *Server) renderConflict(c echo.Context, f ArticleForm, id int64) error {
	cur, err := s.formArticle(c, id)
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
