package web

import (
	"context"
	"html/template"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"campusnews/internal/media"
	"campusnews/internal/news"
	"campusnews/internal/validate"
)

// localInput is the value format of <input type="datetime-local">.
const localInput = "2006-01-02T15:04"

// coverChoices is how many recent images the cover select offers.
const coverChoices = 60

// ArticleForm holds the article form's fields as typed, so a refused form comes back as it was.
type ArticleForm struct {
	Title, Slug, Summary, BodySource     string
	Source, Author, Photographer, Editor string
	Tags                                 string // comma-separated
	CategoryID                           int64
	CoverID                              int64 // 0: no cover
	Pinned, Featured                     bool
	PublishAt, ExpiresAt                 string // datetime-local values in the site's time zone
	BaseUpdated                          string // the article's updated_at when the form was opened
	Action                               string // which button was pressed
	Event                                EventForm
}

// ArticleFormPage is the page to write a new article or edit one.
type ArticleFormPage struct {
	Base
	Form       ArticleForm
	Errors     map[string]string
	ErrorList  []FieldError
	Conflict   bool          // someone else saved first; Current is what they saved
	Current    *news.Article // the stored version, shown on a conflict
	Article    *news.Article // nil for a new article
	FormAction string
	Categories []CategoryGroup
	Covers     []CoverOption
	Images     []ImageSnippet // recent images whose Markdown can be inserted in the body
	Preview    template.HTML
	Previewed  bool
	CanPublish bool // editor or admin
	CanEdit    bool // the user may save this article
	CanDelete  bool
	PublicURL  string // the live page of a published article
	TimeZone   string
	EventOpen  bool   // the event's fields are shown: it has one, or they hold a mistake
	Notice     string // a note on why the form is read-only
	// Locked: the article left the user's hands since they opened it; their unsaved text is
	// shown, editable so it can be copied, but cannot be saved.
	Locked bool
	// ConfirmPublish: "Publish now" was pressed without the script's question; the page asks
	// whether to publish, showing the article as it would appear. Nothing is saved yet.
	ConfirmPublish bool
}

// FieldError is one entry of the error summary, linking to its field.
type FieldError struct {
	Field   string // the id of the field's control
	Message string
}

// ErrorSummary is what the error-summary partial draws: the errors of a refused form and a
// note on what the form kept, if any.
type ErrorSummary struct {
	Items []FieldError
	Note  string
}

// CategoryGroup is a section in the category select, with its categories as options.
type CategoryGroup struct {
	Label   string
	Options []SelectOption
}

// SelectOption is one <option>.
type SelectOption struct {
	Value    int64
	Label    string
	Selected bool
}

// CoverOption is an image offered as the cover.
type CoverOption struct {
	ID       int64
	Label    string
	Thumb    string
	Selected bool
}

// ImageSnippet is a library image with the Markdown that shows it in an article.
type ImageSnippet struct {
	ID       int64
	Thumb    string
	Alt      string
	Markdown string
}

// articleFields orders the error summary like the form.
var articleFields = []string{"title", "slug", "category_id", "summary", "body_source", "tags", "cover_media_id",
	"event_start", "event_end", "event_time_zone", "event_venue",
	"event_online_url", "event_registration_url",
	"source", "author", "photographer", "editor", "publish_at", "expires_at"}

// readArticleForm reads the posted fields one by one.
func readArticleForm(c echo.Context) ArticleForm {
	id := func(name string) int64 {
		n, err := strconv.ParseInt(strings.TrimSpace(c.FormValue(name)), 10, 64)
		if err != nil || n < 0 {
			return 0
		}
		return n
	}
	return ArticleForm{
		Title: c.FormValue("title"), Slug: c.FormValue("slug"), Summary: c.FormValue("summary"),
		BodySource: c.FormValue("body_source"), Source: c.FormValue("source"), Author: c.FormValue("author"),
		Photographer: c.FormValue("photographer"), Editor: c.FormValue("editor"), Tags: c.FormValue("tags"),
		CategoryID: id("category_id"), CoverID: id("cover_media_id"),
		Pinned: c.FormValue("pinned") != "", Featured: c.FormValue("featured") != "",
		PublishAt: strings.TrimSpace(c.FormValue("publish_at")), ExpiresAt: strings.TrimSpace(c.FormValue("expires_at")),
		BaseUpdated: c.FormValue("updated_at"), Action: c.FormValue("action"),
		Event: readEventForm(c),
	}
}

// formOf fills the form from a stored article.
func formOf(a *news.Article, loc *time.Location) ArticleForm {
	f := ArticleForm{
		Title: a.Title, Slug: a.Slug, Summary: a.Summary, BodySource: a.BodySource,
		Source: a.Source, Author: a.Author, Photographer: a.Photographer, Editor: a.Editor,
		CategoryID: a.CategoryID, Pinned: a.Pinned, Featured: a.Featured,
		BaseUpdated: a.UpdatedAt.UTC().Format(time.RFC3339Nano),
	}
	if a.CoverMediaID != nil {
		f.CoverID = *a.CoverMediaID
	}
	names := make([]string, len(a.Tags))
	for i, t := range a.Tags {
		names[i] = t.Name
	}
	f.Tags = strings.Join(names, ", ")
	if a.Status == news.Scheduled && a.PublishedAt != nil {
		f.PublishAt = a.PublishedAt.In(loc).Format(localInput)
	}
	if a.ExpiresAt != nil {
		f.ExpiresAt = a.ExpiresAt.In(loc).Format(localInput)
	}
	f.Event = eventFormOf(a.Event, loc)
	return f
}

// input turns the form into the service's input. Errors of the form itself (a date that is not
// one) go into errs. Pinning and featuring are the service's to allow.
func (f *ArticleForm) input(loc *time.Location, errs validate.Errors) news.ArticleInput {
	in := news.ArticleInput{
		Title: f.Title, Slug: f.Slug, Summary: f.Summary, BodySource: f.BodySource,
		Source: f.Source, Author: f.Author, Photographer: f.Photographer, Editor: f.Editor,
		CategoryID: f.CategoryID, Tags: strings.Split(f.Tags, ","),
		Pinned: f.Pinned, Featured: f.Featured,
	}
	if f.CoverID > 0 {
		id := f.CoverID
		in.CoverMediaID = &id
	}
	in.ExpiresAt = parseLocal(f.ExpiresAt, loc, "expires_at", errs)
	in.Event = f.Event.input(errs)
	return in
}

// publishAt is the time the form asks to publish at, or nil.
func (f *ArticleForm) publishAt(loc *time.Location, errs validate.Errors) *time.Time {
	return parseLocal(f.PublishAt, loc, "publish_at", errs)
}

// parseLocal reads a datetime-local value in loc; empty is nil.
func parseLocal(v string, loc *time.Location, field string, errs validate.Errors) *time.Time {
	if v == "" {
		return nil
	}
	for _, layout := range []string{localInput, localInput + ":05"} {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			t = t.UTC()
			return &t
		}
	}
	errs.Add(field, "Enter a date and time such as 2025-09-30 14:00")
	return nil
}

// baseTime is the updated_at the form was opened with; zero when missing or unreadable,
// which skips the conflict check rather than refusing every save.
func (f *ArticleForm) baseTime() time.Time {
	t, err := time.Parse(time.RFC3339Nano, f.BaseUpdated)
	if err != nil {
		return time.Time{}
	}
	return t
}

// errorList orders errs for the summary at the top of a form. A form whose controls' ids
// are its field names with a prefix ("cat-name") passes that prefix as idPrefix.
func errorList(errs map[string]string, idPrefix string, order []string) []FieldError {
	out := make([]FieldError, 0, len(errs))
	seen := map[string]bool{}
	for _, k := range order {
		if m, ok := errs[k]; ok {
			out = append(out, FieldError{Field: idPrefix + k, Message: m})
			seen[k] = true
		}
	}
	var rest []string
	for k := range errs {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		out = append(out, FieldError{Field: idPrefix + k, Message: errs[k]})
	}
	return out
}

// categoryGroups is the category select: sections as groups, their categories as options,
// leaving out except. Sections are no options: an article in one would have no address.
func categoryGroups(tree *news.Tree, selected, except int64) []CategoryGroup {
	out := make([]CategoryGroup, 0, len(tree.Sections))
	for _, sec := range tree.Sections {
		g := CategoryGroup{Label: sec.Name + hiddenMark(sec)}
		for _, n := range sec.Children {
			if n.ID != except {
				g.Options = append(g.Options, SelectOption{Value: n.ID, Label: n.Name + hiddenMark(n), Selected: n.ID == selected})
			}
		}
		if len(g.Options) > 0 {
			out = append(out, g)
		}
	}
	return out
}

func hiddenMark(n *news.Node) string {
	if n.Visible() {
		return ""
	}
	return " (hidden)"
}

// images returns the recent library images for the cover select and the insert list, with
// the chosen cover added when it is older than those.
func (s *Server) images(ctx context.Context, cover int64) ([]CoverOption, []ImageSnippet, error) {
	ms, _, err := s.media.List(ctx, 1, coverChoices)
	if err != nil {
		return nil, nil, err
	}
	found := cover == 0
	for _, m := range ms {
		found = found || m.ID == cover
	}
	if !found {
		if m, err := s.media.Get(ctx, cover); err == nil {
			ms = append(ms, *m)
		}
	}
	covers := make([]CoverOption, 0, len(ms))
	snippets := make([]ImageSnippet, 0, len(ms))
	for i := range ms {
		m := &ms[i]
		label := m.Alt
		if label == "" {
			label = "Decorative image"
		}
		label += " (" + strconv.Itoa(m.Width) + "×" + strconv.Itoa(m.Height) + ")"
		covers = append(covers, CoverOption{ID: m.ID, Label: label, Thumb: m.Best(320), Selected: m.ID == cover})
		snippets = append(snippets, ImageSnippet{ID: m.ID, Thumb: m.Best(320), Alt: m.AltText(), Markdown: markdownOf(m)})
	}
	return covers, snippets, nil
}

// markdownOf is the Markdown that shows m in an article body.
func markdownOf(m *media.Media) string {
	alt := strings.Join(strings.Fields(m.AltText()), " ")
	alt = strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`).Replace(alt)
	return "![" + alt + "](" + m.Best(960) + ")"
}

// formPage builds the article form page around f for art (nil when new).
func (s *Server) formPage(c echo.Context, f ArticleForm, art *news.Article, errs validate.Errors) (*ArticleFormPage, error) {
	ctx := c.Request().Context()
	a := actorOf(c)
	menu, title := menuWrite, "Write an article"
	if art != nil {
		menu, title = menuArticles, "Edit: "+art.Title
	}
	p := &ArticleFormPage{Base: s.staffBase(c, menu, title), Form: f, Errors: errs, Article: art,
		FormAction: "/editor/articles/new", CanPublish: a.CanPublish, CanEdit: true}
	p.ErrorList = errorList(errs, "", articleFields)
	p.TimeZone = p.Site.Location().String()
	p.EventOpen = !f.Event.Empty()
	for k := range errs {
		p.EventOpen = p.EventOpen || strings.HasPrefix(k, "event_")
	}
	tree, err := s.news.Tree(ctx)
	if err != nil {
		return nil, err
	}
	p.Categories = categoryGroups(tree, f.CategoryID, 0)
	if p.Covers, p.Images, err = s.images(ctx, f.CoverID); err != nil {
		return nil, err
	}
	if art == nil {
		return p, nil
	}
	p.FormAction = "/editor/articles/" + strconv.FormatInt(art.ID, 10)
	p.CanEdit, p.CanDelete = a.CanEdit(art), a.CanDelete(art)
	if !p.CanEdit {
		p.Notice = "This article is " + string(art.Status) + ". Only an editor can change it now."
	}
	if art.Status == news.Published {
		p.PublicURL = articleURL(tree, art)
	}
	return p, nil
}
