package news

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"campusnews/internal/audit"
	"campusnews/internal/validate"
)

// Actor is who performs a change. Roles are decided by the caller; news only reads the flags.
type Actor struct {
	UserID     int64  // 0: nobody signed in, such as the demo loader or an import
	Email      string // for the audit log
	IP         string
	Via        string // how, when not through the site: "command line"
	CanPublish bool   // editor or admin: publish, schedule, unpublish, archive, delete, categories
	CanEditAny bool   // editor or admin: edit every article in every status
}

// Entry is the audit entry of action on subject made by a.
func (a Actor) Entry(action, subject, detail string) audit.Entry {
	return audit.Actor{UserID: a.UserID, Email: a.Email, IP: a.IP, Via: a.Via}.Entry(action, subject, detail)
}

// ErrForbidden means the actor may not make this change.
var ErrForbidden = errors.New("news: not allowed")

// ErrConflict means the article was saved by someone else after the form was opened.
var ErrConflict = errors.New("news: changed by someone else")

// ErrWrongStatus means the change does not apply to the article's current status, such as
// submitting an article that is already published.
var ErrWrongStatus = errors.New("news: not possible in the article's current status")

// Limits of the article form.
const (
	MaxTitleLen   = 200
	MaxSummaryLen = 500
	MaxBodyLen    = 200_000
	MaxCreditLen  = 200
	MaxTags       = 10
	MaxTagLen     = 40
)

// ArticleInput is what the article form edits. It is also stored, as JSON, in every revision's
// Snapshot, so the JSON names are part of the stored format.
type ArticleInput struct {
	Title        string     `json:"title"`
	Slug         string     `json:"slug"`
	Summary      string     `json:"summary"`
	BodySource   string     `json:"body_source"`
	Source       string     `json:"source"`
	Author       string     `json:"author"`
	Photographer string     `json:"photographer"`
	Editor       string     `json:"editor"`
	CategoryID   int64      `json:"category_id"`
	Tags         []string   `json:"tags"` // names; the tag is found or made by Slugify(name)
	CoverMediaID *int64     `json:"cover_media_id,omitempty"`
	Pinned       bool       `json:"pinned"`
	Featured     bool       `json:"featured"`
	ExpiresAt    *time.Time `json:"expires_at,omitempty"`
	// Event, when set, makes the article the announcement of an event.
	Event *EventInput `json:"event,omitempty"`
}

// Validate tidies in (trims fields, turns CRLF into LF, drops empty and repeated tags, stores
// ExpiresAt in UTC to the second) and checks it against the category tree. The keys of the
// result are the form's field names: title, slug, summary, body_source, source, author,
// photographer, editor, category_id, tags, and those of EventInput.check. An empty Slug is allowed: the service makes one from
// the title. That ExpiresAt lies in the future, that the slug is free and that the cover image
// exists are checked by the service, which knows the clock and the database.
func (in *ArticleInput) Validate(tree *Tree) validate.Errors {
	in.normalize()
	errs := validate.Errors{}
	errs.Required("title", in.Title, "Title")
	errs.MaxLen("title", in.Title, MaxTitleLen, "Title")
	if in.Slug != "" && !ValidSlug(in.Slug) {
		errs.Add("slug", "Use lower-case letters, digits and hyphens")
	}
	// A section is no place for an article: its address needs a category.
	if tree == nil || tree.Node(in.CategoryID) == nil || !tree.Node(in.CategoryID).IsCategory() {
		errs.Add("category_id", "Choose a category")
	}
	errs.MaxLen("summary", in.Summary, MaxSummaryLen, "Summary")
	errs.MaxLen("body_source", in.BodySource, MaxBodyLen, "Text")
	for _, c := range []struct{ field, value, label string }{
		{"source", in.Source, "Source"},
		{"author", in.Author, "Author"},
		{"photographer", in.Photographer, "Photographer"},
		{"editor", in.Editor, "Editor"},
	} {
		errs.MaxLen(c.field, c.value, MaxCreditLen, c.label)
	}
	if len(in.Tags) > MaxTags {
		errs.Add("tags", fmt.Sprintf("Use at most %d tags", MaxTags))
	}
	for _, t := range in.Tags {
		switch {
		case utf8.RuneCountInString(t) > MaxTagLen:
			errs.Add("tags", fmt.Sprintf("A tag must be at most %d characters", MaxTagLen))
		case Slugify(t) == "":
			errs.Add("tags", fmt.Sprintf("The tag %q needs letters or digits", t))
		}
	}
	if in.Event != nil {
		in.Event.check(errs)
	}
	return errs
}

// normalize trims what a browser sends around the values. The body keeps its leading spaces,
// which are Markdown (an indented code block).
func (in *ArticleInput) normalize() {
	for _, p := range []*string{&in.Title, &in.Slug, &in.Summary, &in.Source, &in.Author, &in.Photographer, &in.Editor} {
		*p = strings.TrimSpace(*p)
	}
	in.Summary = strings.ReplaceAll(in.Summary, "\r\n", "\n")
	in.BodySource = strings.TrimRight(strings.ReplaceAll(in.BodySource, "\r\n", "\n"), " \t\n")
	in.Tags = cleanTags(in.Tags)
	if in.ExpiresAt != nil {
		t := in.ExpiresAt.UTC().Truncate(time.Second)
		in.ExpiresAt = &t
	}
	if in.Event != nil {
		in.Event.normalize()
	}
}

// cleanTags trims names, collapses inner spaces and keeps the first of names with the same slug.
func cleanTags(names []string) []string {
	out := make([]string, 0, len(names))
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		n = strings.Join(strings.Fields(n), " ")
		if n == "" {
			continue
		}
		key := Slugify(n)
		if key != "" && seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, n)
	}
	return out
}

// inputOf returns the form values of a stored article.
func inputOf(a *Article) ArticleInput {
	in := ArticleInput{
		Title: a.Title, Slug: a.Slug, Summary: a.Summary, BodySource: a.BodySource,
		Source: a.Source, Author: a.Author, Photographer: a.Photographer, Editor: a.Editor,
		CategoryID: a.CategoryID, CoverMediaID: a.CoverMediaID, Pinned: a.Pinned, Featured: a.Featured,
		ExpiresAt: a.ExpiresAt,
	}
	for _, t := range a.Tags {
		in.Tags = append(in.Tags, t.Name)
	}
	if a.Event != nil {
		in.Event = a.Event.Input()
	}
	return in
}

// checkExpiry records an error when in sets an expiry that is not in the future. An expiry
// equal to the stored one (before) is kept as it is, so an expired notice can still be edited.
func checkExpiry(errs validate.Errors, in *ArticleInput, before *time.Time, now time.Time) {
	if in.ExpiresAt == nil || in.ExpiresAt.After(now) {
		return
	}
	if before != nil && before.Equal(*in.ExpiresAt) {
		return
	}
	errs.Add("expires_at", "The expiry must be in the future")
}
