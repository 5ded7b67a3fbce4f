package importer

import (
	"context"

	"campusnews/internal/news"
	"campusnews/internal/wordpress"
)

// prepared is a post ready to be written: everything but its category's id, which the
// write step knows once the categories are made.
type prepared struct {
	ID       int64
	Title    string // as the report names the post
	Status   statusKey
	Category string // the WordPress category's slug; "" for none
	Article  news.Sourced
}

// Summaries made from the text are cut at this many characters.
const summaryLen = 300

// prepare is the second pass: each post is cleaned, its images stored in the media library,
// and what the news service will be given is put in the spool. Nothing of the news is written
// yet.
func (ld *loader) prepare(ctx context.Context, sp *spool) error {
	cr, err := ld.open("preparing")
	if err != nil {
		return err
	}
	defer cr.Close()
	ld.images = imageStore{ld: ld, done: map[string]*stored{}, attUsed: map[int64]bool{}}
	ld.used = map[string]bool{}
	r := wordpress.NewReader(cr)
	for it, err := range r.All() {
		if err != nil {
			return ld.readError(err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := ld.item(ctx, it, sp); err != nil {
			return err
		}
		ld.progress("preparing", cr.n, ld.opts.Size, "bytes")
	}
	ld.progress("preparing", cr.n, cr.n, "bytes")
	ld.rep.Attachments.InExport = len(ld.attachments)
	ld.rep.Attachments.Unused = len(ld.attachments) - ld.images.attachmentsUsed()
	return sp.flush()
}

// item sorts one item: a post to prepare, or something skipped for a reason.
func (ld *loader) item(ctx context.Context, it *wordpress.Item, sp *spool) error {
	switch it.Type {
	case wordpress.TypePost:
		ld.rep.Posts.InExport++
		st, ok := statusOf(it)
		if !ok {
			what, why := skipped(it.Status)
			ld.rep.skip(what, why)
			return nil
		}
		p, err := ld.post(ctx, it, st)
		if err != nil {
			return err
		}
		ld.rep.Posts.Prepared++
		return sp.put(p)
	case wordpress.TypePage:
		ld.rep.Pages = append(ld.rep.Pages, orUntitled(wordpress.Text(it.Title)))
	case wordpress.TypeAttachment: // stored when a post uses it
	case "nav_menu_item":
		ld.rep.skip("menu items", "menus are made in campusnews from its sections and categories")
	case "wp_block":
		ld.rep.skip("reusable blocks", "their content is in the posts that use them")
	case "revision":
		ld.rep.skip("revisions", "only the current version of a post is imported")
	default:
		ld.rep.skip("items of type "+it.Type, "not posts")
	}
	return nil
}

// statusKey is how a post's status in WordPress maps to campusnews.
type statusKey string

// The mappings, as the report lists them.
const (
	fromPublish  statusKey = "publish"
	fromPassword statusKey = "publish, password-protected"
	fromFuture   statusKey = "future"
	fromDraft    statusKey = "draft"
	fromPending  statusKey = "pending"
	fromPrivate  statusKey = "private"
)

// statusMap is each mapping: the article's status and why, when it is not the obvious one.
var statusMap = map[statusKey]struct {
	to  news.Status
	why string
}{
	fromPublish:  {news.Published, ""},
	fromPassword: {news.Draft, "campusnews has no passwords for articles; publish it when it may be public"},
	fromFuture:   {news.Scheduled, "at its date in WordPress"},
	fromDraft:    {news.Draft, ""},
	fromPending:  {news.Draft, "it waited for review in WordPress"},
	fromPrivate:  {news.Draft, "only signed-in staff saw it in WordPress, as only staff see drafts"},
}

// statusOrder is the order of the mappings in the report.
var statusOrder = []statusKey{fromPublish, fromPassword, fromFuture, fromDraft, fromPending, fromPrivate}

func statusOf(it *wordpress.Item) (statusKey, bool) {
	switch it.Status {
	case wordpress.StatusPublish:
		if it.Password != "" {
			return fromPassword, true
		}
		return fromPublish, true
	case wordpress.StatusFuture:
		return fromFuture, true
	case wordpress.StatusDraft:
		return fromDraft, true
	case wordpress.StatusPending:
		return fromPending, true
	case wordpress.StatusPrivate:
		return fromPrivate, true
	}
	return "", false
}

// skipped says which posts of status are skipped, and why.
func skipped(status string) (what, why string) {
	switch status {
	case wordpress.StatusTrash:
		return "trashed posts", "deleted in WordPress"
	case "auto-draft":
		return "automatic drafts", "never saved by their author"
	}
	return "posts in status " + status, "not a status campusnews knows"
}
