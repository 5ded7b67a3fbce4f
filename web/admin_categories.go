package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"campusnews/internal/news"
	"campusnews/internal/validate"
)

func (s *Server) categoryList(c echo.Context) error {
	ctx := c.Request().Context()
	tree, err := s.news.Tree(ctx)
	if err != nil {
		return err
	}
	counts, err := s.news.CategoryArticleCounts(ctx)
	if err != nil {
		return err
	}
	page := CategoryListPage{Base: s.staffBase(c, menuCategories, "Categories")}
	for i, sec := range tree.Sections {
		// A section's articles are those of its categories: the sum of the one grouped count.
		row := categoryRow(sec, counts, i, len(tree.Sections))
		for _, ch := range sec.Children {
			row.Articles += counts[ch.ID]
		}
		page.Rows = append(page.Rows, row)
		for j, ch := range sec.Children {
			page.Rows = append(page.Rows, categoryRow(ch, counts, j, len(sec.Children)))
		}
	}
	return c.Render(http.StatusOK, "admin/categories", page)
}

// categoryRow is node n, the i-th of n siblings, as a table row.
func categoryRow(n *news.Node, counts map[int64]int64, i, siblings int) CategoryRow {
	return CategoryRow{ID: n.ID, Name: n.Name, Slug: n.Slug, Path: n.Path, IsSection: n.IsSection(),
		Visible: n.Category.Visible, Shown: n.Visible(), Articles: counts[n.ID],
		First: i == 0, Last: i == siblings-1}
}

// categoryNew shows an empty form: a section with ?kind=section, else a category in the
// section given by ?parent= or the first one.
func (s *Server) categoryNew(c echo.Context) error {
	tree, err := s.news.Tree(c.Request().Context())
	if err != nil {
		return err
	}
	form := CategoryForm{Visible: true}
	if c.QueryParam("kind") != "section" {
		if p, _ := strconv.ParseInt(c.QueryParam("parent"), 10, 64); p > 0 && tree.Node(p) != nil && tree.Node(p).IsSection() {
			form.ParentID = p
		} else if len(tree.Sections) > 0 {
			form.ParentID = tree.Sections[0].ID
		}
	}
	return s.renderCategoryForm(c, http.StatusOK, tree, 0, form, nil)
}

func (s *Server) categoryNewPost(c echo.Context) error {
	ctx := c.Request().Context()
	form := readCategoryForm(c)
	_, err := s.news.CreateCategory(ctx, actorOf(c), categoryInput(form))
	if verrs, ok := adminFieldErrors(err); ok {
		tree, terr := s.news.Tree(ctx)
		if terr != nil {
			return terr
		}
		return s.renderCategoryForm(c, http.StatusUnprocessableEntity, tree, 0, form, verrs)
	}
	if err != nil {
		return err
	}
	kind := "category"
	if form.ParentID == 0 {
		kind = "section"
	}
	s.addFlash(c, "success", fmt.Sprintf("The %s “%s” was created.", kind, form.Name))
	return c.Redirect(http.StatusSeeOther, "/admin/categories")
}

func (s *Server) categoryEdit(c echo.Context) error {
	tree, n, err := s.adminCategory(c)
	if err != nil {
		return err
	}
	form := CategoryForm{Name: n.Name, Slug: n.Slug, Description: n.Description, Visible: n.Category.Visible}
	if n.ParentID != nil {
		form.ParentID = *n.ParentID
	}
	return s.renderCategoryForm(c, http.StatusOK, tree, n.ID, form, nil)
}

func (s *Server) categoryEditPost(c echo.Context) error {
	ctx := c.Request().Context()
	_, n, err := s.adminCategory(c)
	if err != nil {
		return err
	}
	form := readCategoryForm(c)
	_, err = s.news.UpdateCategory(ctx, actorOf(c), n.ID, categoryInput(form))
	if verrs, ok := adminFieldErrors(err); ok {
		tree, terr := s.news.Tree(ctx)
		if terr != nil {
			return terr
		}
		return s.renderCategoryForm(c, http.StatusUnprocessableEntity, tree, n.ID, form, verrs)
	}
	if err != nil {
		return err
	}
	s.addFlash(c, "success", fmt.Sprintf("“%s” was saved.", form.Name))
	return c.Redirect(http.StatusSeeOther, "/admin/categories")
}

// categoryMovePost moves a category one place up or down among its siblings. The buttons send
// only up or down; anything else is a bad request, not a guess.
func (s *Server) categoryMovePost(c echo.Context) error {
	_, n, err := s.adminCategory(c)
	if err != nil {
		return err
	}
	var delta int
	word, end := c.FormValue("direction"), "first"
	switch word {
	case "up":
		delta = -1
	case "down":
		delta, end = 1, "last"
	default:
		return echo.NewHTTPError(http.StatusBadRequest, "direction must be up or down")
	}
	moved, err := s.news.MoveCategory(c.Request().Context(), actorOf(c), n.ID, delta)
	if err != nil {
		return err
	}
	if moved {
		s.addFlash(c, "success", fmt.Sprintf("“%s” moved %s.", n.Name, word))
	} else {
		s.addFlash(c, "info", fmt.Sprintf("“%s” is already %s.", n.Name, end))
	}
	return c.Redirect(http.StatusSeeOther, "/admin/categories#cat-"+strconv.FormatInt(n.ID, 10))
}

func (s *Server) categoryDelete(c echo.Context) error {
	tree, n, err := s.adminCategory(c)
	if err != nil {
		return err
	}
	page, err := s.categoryDeletePage(c, tree, n, 0)
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "admin/category_delete", page)
}

func (s *Server) categoryDeletePost(c echo.Context) error {
	ctx := c.Request().Context()
	tree, n, err := s.adminCategory(c)
	if err != nil {
		return err
	}
	// Any id goes to the service, which alone decides what may receive the articles.
	var moveTo *int64
	if id := adminFormID(c, "move_to"); id > 0 {
		moveTo = &id
	}
	err = s.news.DeleteCategory(ctx, actorOf(c), n.ID, moveTo)
	verrs, invalid := adminFieldErrors(err)
	var left *news.CategoryNotEmptyError
	if errors.As(err, &left) || invalid {
		page, perr := s.categoryDeletePage(c, tree, n, adminFormID(c, "move_to"))
		if perr != nil {
			return perr
		}
		switch {
		case left != nil && left.Children > 0:
			page.Error = fmt.Sprintf("“%s” still contains categories. Move or delete them first.", n.Name)
		case left != nil:
			page.MoveToError = "Choose the category its articles move to"
		case verrs["move_to"] != "":
			page.MoveToError = verrs["move_to"]
		default:
			page.Error = strings.Join(verrs.Messages(), " ")
		}
		return c.Render(http.StatusUnprocessableEntity, "admin/category_delete", page)
	}
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("“%s” was deleted.", n.Name)
	if target := tree.Node(adminFormID(c, "move_to")); target != nil {
		msg = fmt.Sprintf("Its articles were moved to “%s” and “%s” was deleted.", target.Name, n.Name)
	}
	s.addFlash(c, "success", msg)
	return c.Redirect(http.StatusSeeOther, "/admin/categories")
}

// adminCategory returns the tree and the category named by :id, or a 404.
func (s *Server) adminCategory(c echo.Context) (*news.Tree, *news.Node, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, nil, err
	}
	tree, err := s.news.Tree(c.Request().Context())
	if err != nil {
		return nil, nil, err
	}
	n := tree.Node(id)
	if n == nil {
		return nil, nil, news.ErrNotFound
	}
	return tree, n, nil
}

// categoryDeletePage describes what deleting n involves: the articles it holds, the
// categories inside it, and the categories its articles could go to, moveTo chosen.
func (s *Server) categoryDeletePage(c echo.Context, tree *news.Tree, n *news.Node, moveTo int64) (CategoryDeletePage, error) {
	counts, err := s.news.CategoryArticleCounts(c.Request().Context())
	if err != nil {
		return CategoryDeletePage{}, err
	}
	page := CategoryDeletePage{Base: s.staffBase(c, menuCategories, "Delete “"+n.Name+"”"), ID: n.ID, Name: n.Name,
		Path: n.Path, Articles: counts[n.ID], MoveTo: moveTo}
	if page.Articles > 0 {
		page.Holds = fmt.Sprintf("“%s” still holds %s. Move them to another category first.",
			n.Name, adminPlural(page.Articles, "article", "articles"))
	}
	for _, ch := range n.Children {
		page.Children = append(page.Children, ch.Name)
	}
	// Only categories: articles in a section would have no address.
	page.Targets = categoryGroups(tree, moveTo, n.ID)
	return page, nil
}

// categoryFields orders the error summary of the category form.
var categoryFields = []string{"name", "slug", "parent_id", "description", "visible"}

// renderCategoryForm shows the category form for id (0 when new) with form and errs.
func (s *Server) renderCategoryForm(c echo.Context, status int, tree *news.Tree, id int64, form CategoryForm, errs validate.Errors) error {
	title := "New category"
	if form.ParentID == 0 {
		title = "New section"
	}
	page := CategoryFormPage{ID: id, Action: "/admin/categories/new", Form: form, Errors: errs,
		ErrorList: errorList(errs, "cat-", categoryFields)}
	if n := tree.Node(id); n != nil {
		title = "Edit “" + n.Name + "”"
		page.Action = "/admin/categories/" + strconv.FormatInt(id, 10)
		page.Path, page.Hidden = n.Path, !n.Visible()
	}
	page.Base = s.staffBase(c, menuCategories, title)
	for _, sec := range tree.Sections {
		if sec.ID != id {
			page.Parents = append(page.Parents, ParentOption{ID: sec.ID, Name: sec.Name, Hidden: !sec.Category.Visible})
		}
	}
	return c.Render(status, "admin/category_form", page)
}

// readCategoryForm reads the category form's fields.
func readCategoryForm(c echo.Context) CategoryForm {
	return CategoryForm{
		Name:        strings.TrimSpace(c.FormValue("name")),
		Slug:        strings.TrimSpace(c.FormValue("slug")),
		Description: strings.TrimSpace(c.FormValue("description")),
		ParentID:    adminFormID(c, "parent_id"),
		Visible:     adminChecked(c, "visible"),
	}
}

// categoryInput is what the news service takes from the form.
func categoryInput(f CategoryForm) news.CategoryInput {
	in := news.CategoryInput{Name: f.Name, Slug: f.Slug, Description: f.Description, Visible: f.Visible}
	if f.ParentID != 0 {
		p := f.ParentID
		in.ParentID = &p
	}
	return in
}

// adminPlural is "1 article" or "3 articles".
func adminPlural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.FormatInt(n, 10) + " " + many
}
