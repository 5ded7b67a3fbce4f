package wordpress

import (
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"iter"
	"net/url"
	"strconv"
	"strings"
	"time"

	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// Header is what an export says before its items: the site, its authors and its terms.
type Header struct {
	Title       string // the site's name
	Link        string // the site's address, e.g. https://news.example.edu
	Description string // the site's tagline
	Language    string // e.g. en-US
	WXRVersion  string // 1.0, 1.1 or 1.2
	BaseSiteURL string
	BaseBlogURL string
	Authors     []Author
	// Categories in the order of the export; WordPress writes parents before their children.
	Categories []Category
	Tags       []Tag
	// Terms of other taxonomies (nav_menu, custom ones). WordPress 6 also repeats categories
	// and tags as terms; those are merged into Categories and Tags, not listed here.
	Terms []Term
}

// Author is a WordPress user who wrote something in the export.
type Author struct {
	ID          int64
	Login       string // what an item's Creator names
	Email       string
	DisplayName string
	FirstName   string
	LastName    string
}

// Category is a WordPress category; Parent is the parent's Slug, "" at the top.
type Category struct {
	ID          int64
	Slug        string // the nicename; non-ASCII slugs are percent-encoded UTF-8 as WordPress stores them
	Parent      string
	Name        string // HTML entities decoded: WordPress stores "&" as "&amp;"
	Description string
}

// Tag is a WordPress tag.
type Tag struct {
	ID          int64
	Slug        string
	Name        string
	Description string
}

// Term is a term of another taxonomy.
type Term struct {
	ID       int64
	Taxonomy string
	Slug     string
	Parent   string
	Name     string
}

// Item kinds (wp:post_type) and statuses (wp:status) as WordPress writes them.
const (
	TypePost       = "post"
	TypePage       = "page"
	TypeAttachment = "attachment"

	StatusPublish = "publish"
	StatusFuture  = "future" // scheduled: Date is in the future
	StatusDraft   = "draft"
	StatusPending = "pending" // submitted for review
	StatusPrivate = "private"
	StatusTrash   = "trash"
	StatusInherit = "inherit" // attachments
)

// Item is one post, page, attachment, menu item, reusable block... of the export.
type Item struct {
	ID      int64
	Type    string // post, page, attachment, nav_menu_item, wp_block, custom types
	Status  string
	Title   string
	Link    string // the permalink on the old site (see Path)
	GUID    string // stable across edits; for attachments, the file's original URL
	Name    string // post_name, the slug; empty for drafts never given one
	Creator string // the author's login (Header.Authors)
	Content string // post_content as stored: HTML, block comments, shortcodes (see Clean)
	Excerpt string

	// Date and Modified are in the site's time zone, which the export does not name; they carry
	// time.UTC only as a placeholder. DateGMT and ModifiedGMT are UTC and zero when WordPress
	// left them unset ("0000-00-00 00:00:00"), as it does for drafts and pending posts.
	Date        time.Time
	DateGMT     time.Time
	Modified    time.Time
	ModifiedGMT time.Time

	Parent        int64 // the post an attachment belongs to, or a page's parent page
	MenuOrder     int
	Password      string // set on password-protected posts
	Sticky        bool
	CommentStatus string
	AttachmentURL string // attachments only: the file's URL on the old site

	Terms    []ItemTerm // categories, tags and other terms of the item
	Meta     []Meta     // postmeta in export order
	Comments int        // comments counted, not kept
}

// ItemTerm is a term attached to an item: <category domain="post_tag" nicename="x">Name</category>.
type ItemTerm struct {
	Taxonomy string // "category", "post_tag", ...
	Slug     string
	Name     string
}

// Meta is one postmeta entry.
type Meta struct {
	Key, Value string
}

// Categories returns the slugs of the item's categories.
func (it *Item) Categories() []string { return it.termSlugs("category") }

// Tags returns the slugs of the item's tags.
func (it *Item) Tags() []string { return it.termSlugs("post_tag") }

func (it *Item) termSlugs(taxonomy string) []string {
	var out []string
	for _, t := range it.Terms {
		if t.Taxonomy == taxonomy {
			out = append(out, t.Slug)
		}
	}
	return out
}

// MetaValue returns the first value of the postmeta key.
func (it *Item) MetaValue(key string) (string, bool) {
	for _, m := range it.Meta {
		if m.Key == key {
			return m.Value, true
		}
	}
	return "", false
}

// ThumbnailID is the attachment ID of the featured image, 0 when there is none.
func (it *Item) ThumbnailID() int64 {
	v, _ := it.MetaValue("_thumbnail_id")
	id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || id < 0 {
		return 0
	}
	return id
}

// AttachedFile is an attachment's file relative to the uploads directory, e.g. 2019/02/lab.jpg.
func (it *Item) AttachedFile() string {
	v, _ := it.MetaValue("_wp_attached_file")
	return v
}

// ImageAlt is an image attachment's alternative text.
func (it *Item) ImageAlt() string {
	v, _ := it.MetaValue("_wp_attachment_image_alt")
	return v
}

// Path is the path of the item's old permalink, e.g. /2019/02/physics-laser-lab/, with its query
// when the permalink has one (/?p=45 for drafts and scheduled posts, /?page_id=3).
func (it *Item) Path() string {
	u, err := url.Parse(it.Link)
	if err != nil || it.Link == "" {
		return ""
	}
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}

// Error is a malformed or truncated export; Line and Column are where reading stopped.
type Error struct {
	Line, Column int
	Err          error
}

func (e *Error) Error() string {
	return fmt.Sprintf("line %d, column %d: %v", e.Line, e.Column, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Reader reads a WXR export item by item.
type Reader struct {
	d       *xml.Decoder
	header  Header
	cats    map[string]int // slug → index in header.Categories
	tags    map[string]int
	state   int
	pending bool // an <item> start was read while completing the header
	err     error
}

const (
	stateStart   = iota // before <rss>
	stateChannel        // inside <channel>
	stateDone           // </channel> seen
)

// NewReader returns a Reader of the export r. Files in another encoding than UTF-8 (older
// WordPress sites could be ISO-8859-1) are converted as their XML declaration says.
func NewReader(r io.Reader) *Reader {
	d := xml.NewDecoder(r)
	// HTML entities such as &nbsp; appear outside CDATA in exports from some versions and plugins.
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charset.NewReaderLabel
	return &Reader{d: d, cats: map[string]int{}, tags: map[string]int{}}
}

// Header reads up to the first item and returns the site, authors and terms. Next calls it.
func (r *Reader) Header() (*Header, error) {
	if r.err != nil {
		return nil, r.err
	}
	for r.state != stateDone && !r.pending {
		if err := r.step(); err != nil {
			r.err = err
			return nil, err
		}
	}
	return &r.header, nil
}

// Next returns the next item, or io.EOF after the last one. Any other error is an *Error naming
// the line and column; the Reader stops there.
func (r *Reader) Next() (*Item, error) {
	if _, err := r.Header(); err != nil {
		return nil, err
	}
	for {
		if r.pending {
			r.pending = false
			it, err := r.readItem()
			if err != nil {
				r.err = err
				return nil, err
			}
			return it, nil
		}
		if r.state == stateDone {
			return nil, io.EOF
		}
		if err := r.step(); err != nil {
			r.err = err
			return nil, err
		}
	}
}

// All iterates over the items; it stops after the first error, which it yields.
func (r *Reader) All() iter.Seq2[*Item, error] {
	return func(yield func(*Item, error) bool) {
		for {
			it, err := r.Next()
			if err == io.EOF {
				return
			}
			if !yield(it, err) || err != nil {
				return
			}
		}
	}
}

// fail wraps err with the decoder's position.
func (r *Reader) fail(err error) error {
	var xe *xml.SyntaxError
	if errors.As(err, &xe) {
		msg := xe.Msg
		if msg == "unexpected EOF" {
			msg = "unexpected end of file: the export is truncated"
		}
		err = errors.New(msg)
	}
	line, col := r.d.InputPos()
	return &Error{Line: line, Column: col, Err: err}
}

// token returns the next token; the end of input is an error, since step only asks while the
// document is still open.
func (r *Reader) token() (xml.Token, error) {
	t, err := r.d.Token()
	if err == io.EOF {
		return nil, r.fail(errors.New("unexpected end of file: the export is truncated"))
	}
	if err != nil {
		return nil, r.fail(err)
	}
	return t, nil
}

// step reads one element of the channel level (or the document's start and end).
func (r *Reader) step() error {
	for {
		t, err := r.d.Token()
		if err == io.EOF {
			if r.state == stateStart {
				return r.fail(errors.New("not a WordPress export: no <rss> element"))
			}
			return r.fail(errors.New("unexpected end of file: the export is truncated"))
		}
		if err != nil {
			return r.fail(err)
		}
		switch t := t.(type) {
		case xml.StartElement:
			switch r.state {
			case stateStart:
				if t.Name.Local != "rss" {
					return r.fail(fmt.Errorf("not a WordPress export: the document is <%s>, not <rss>", t.Name.Local))
				}
				if err := r.enterChannel(); err != nil {
					return err
				}
				r.state = stateChannel
				continue
			case stateChannel:
				if t.Name.Local == "item" && t.Name.Space == "" {
					r.pending = true
					return nil
				}
				return r.channelElement(t)
			}
		case xml.EndElement:
			if r.state == stateChannel { // </channel>
				if err := r.finish(); err != nil {
					return err
				}
				r.state = stateDone
				return nil
			}
		}
	}
}

// enterChannel reads from inside <rss> to the start of <channel>.
func (r *Reader) enterChannel() error {
	for {
		t, err := r.token()
		if err != nil {
			return err
		}
		switch t := t.(type) {
		case xml.StartElement:
			if t.Name.Local == "channel" {
				return nil
			}
			if err := r.d.Skip(); err != nil {
				return r.fail(err)
			}
		case xml.EndElement:
			return r.fail(errors.New("not a WordPress export: <rss> has no <channel>"))
		}
	}
}

// finish reads from after </channel> to the end of the document.
func (r *Reader) finish() error {
	for {
		t, err := r.token()
		if err != nil {
			return err
		}
		switch t.(type) {
		case xml.StartElement:
			if err := r.d.Skip(); err != nil {
				return r.fail(err)
			}
		case xml.EndElement: // </rss>
			// Anything after the root element is not part of the export, but a second document
			// glued on would be a broken file: check that only whitespace and comments follow.
			for {
				t, err := r.d.Token()
				if err == io.EOF {
					return nil
				}
				if err != nil {
					return r.fail(err)
				}
				switch t := t.(type) {
				case xml.CharData:
					if strings.TrimSpace(string(t)) != "" {
						return r.fail(errors.New("text after the end of the export"))
					}
				case xml.StartElement:
					return r.fail(errors.New("an element after the end of the export"))
				}
			}
		}
	}
}

// ns names an element's namespace by the prefix WXR uses for it, whatever the WXR version.
func ns(n xml.Name) string {
	switch {
	case n.Space == "":
		return ""
	case strings.HasPrefix(n.Space, "http://wordpress.org/export/") && strings.HasSuffix(n.Space, "/excerpt/"):
		return "excerpt"
	case strings.HasPrefix(n.Space, "http://wordpress.org/export/"):
		return "wp"
	case n.Space == "http://purl.org/rss/1.0/modules/content/":
		return "content"
	case n.Space == "http://purl.org/dc/elements/1.1/":
		return "dc"
	}
	return n.Space
}

func key(n xml.Name) string {
	if p := ns(n); p != "" {
		return p + ":" + n.Local
	}
	return n.Local
}

// text reads the character data of the element just started, up to its end. Nested elements
// (not expected in the fields it is used for) are skipped.
func (r *Reader) text() (string, error) {
	var b strings.Builder
	for {
		t, err := r.token()
		if err != nil {
			return "", err
		}
		switch t := t.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.StartElement:
			if err := r.d.Skip(); err != nil {
				return "", r.fail(err)
			}
		case xml.EndElement:
			return b.String(), nil
		}
	}
}

// fields reads the children of the element just started as name → text.
func (r *Reader) fields() (map[string]string, error) {
	f := map[string]string{}
	for {
		t, err := r.token()
		if err != nil {
			return nil, err
		}
		switch t := t.(type) {
		case xml.StartElement:
			s, err := r.text()
			if err != nil {
				return nil, err
			}
			f[key(t.Name)] = s
		case xml.EndElement:
			return f, nil
		}
	}
}

func (r *Reader) number(field, s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, r.fail(fmt.Errorf("%s: %q is not a number", field, s))
	}
	return n, nil
}

// channelElement reads one child of <channel> other than an item.
func (r *Reader) channelElement(t xml.StartElement) error {
	h := &r.header
	switch key(t.Name) {
	case "title", "link", "description", "language", "wp:wxr_version", "wp:base_site_url", "wp:base_blog_url":
		s, err := r.text()
		if err != nil {
			return err
		}
		s = strings.TrimSpace(s)
		switch key(t.Name) {
		case "title":
			h.Title = s
		case "link":
			h.Link = s
		case "description":
			h.Description = s
		case "language":
			h.Language = s
		case "wp:wxr_version":
			h.WXRVersion = s
		case "wp:base_site_url":
			h.BaseSiteURL = s
		case "wp:base_blog_url":
			h.BaseBlogURL = s
		}
		return nil
	case "wp:author":
		f, err := r.fields()
		if err != nil {
			return err
		}
		id, err := r.number("wp:author_id", f["wp:author_id"])
		if err != nil {
			return err
		}
		h.Authors = append(h.Authors, Author{
			ID: id, Login: f["wp:author_login"], Email: f["wp:author_email"],
			DisplayName: f["wp:author_display_name"], FirstName: f["wp:author_first_name"], LastName: f["wp:author_last_name"],
		})
		return nil
	case "wp:category":
		f, err := r.fields()
		if err != nil {
			return err
		}
		id, err := r.number("wp:term_id", f["wp:term_id"])
		if err != nil {
			return err
		}
		r.addCategory(Category{ID: id, Slug: f["wp:category_nicename"], Parent: f["wp:category_parent"],
			Name: html.UnescapeString(f["wp:cat_name"]), Description: f["wp:category_description"]})
		return nil
	case "wp:tag":
		f, err := r.fields()
		if err != nil {
			return err
		}
		id, err := r.number("wp:term_id", f["wp:term_id"])
		if err != nil {
			return err
		}
		r.addTag(Tag{ID: id, Slug: f["wp:tag_slug"], Name: html.UnescapeString(f["wp:tag_name"]), Description: f["wp:tag_description"]})
		return nil
	case "wp:term":
		f, err := r.fields()
		if err != nil {
			return err
		}
		id, err := r.number("wp:term_id", f["wp:term_id"])
		if err != nil {
			return err
		}
		name := html.UnescapeString(f["wp:term_name"])
		switch tax := f["wp:term_taxonomy"]; tax {
		case "category":
			r.addCategory(Category{ID: id, Slug: f["wp:term_slug"], Parent: f["wp:term_parent"], Name: name, Description: f["wp:term_description"]})
		case "post_tag":
			r.addTag(Tag{ID: id, Slug: f["wp:term_slug"], Name: name, Description: f["wp:term_description"]})
		default:
			// WordPress 6 writes a menu both among the terms and as a menu.
			for _, t := range h.Terms {
				if t.Taxonomy == tax && t.Slug == f["wp:term_slug"] {
					return nil
				}
			}
			h.Terms = append(h.Terms, Term{ID: id, Taxonomy: tax, Slug: f["wp:term_slug"], Parent: f["wp:term_parent"], Name: name})
		}
		return nil
	}
	if err := r.d.Skip(); err != nil {
		return r.fail(err)
	}
	return nil
}

// addCategory records a category once per slug: WordPress 6 lists each twice.
func (r *Reader) addCategory(c Category) {
	if _, ok := r.cats[c.Slug]; ok {
		return
	}
	r.cats[c.Slug] = len(r.header.Categories)
	r.header.Categories = append(r.header.Categories, c)
}

func (r *Reader) addTag(t Tag) {
	if _, ok := r.tags[t.Slug]; ok {
		return
	}
	r.tags[t.Slug] = len(r.header.Tags)
	r.header.Tags = append(r.header.Tags, t)
}

// readItem reads an <item> whose start tag was just read.
func (r *Reader) readItem() (*Item, error) {
	it := &Item{}
	for {
		t, err := r.token()
		if err != nil {
			return nil, err
		}
		switch t := t.(type) {
		case xml.EndElement:
			return it, nil
		case xml.StartElement:
			if err := r.itemElement(it, t); err != nil {
				return nil, err
			}
		}
	}
}

// gmtLayout is how WordPress writes dates: MySQL DATETIME.
const gmtLayout = "2006-01-02 15:04:05"

// date parses a WordPress date; the zero date and a date that does not parse are zero.
func date(s string) time.Time {
	t, err := time.ParseInLocation(gmtLayout, strings.TrimSpace(s), time.UTC)
	if err != nil {
		return time.Time{}
	}
	return t
}

func (r *Reader) itemElement(it *Item, t xml.StartElement) error {
	k := key(t.Name)
	switch k {
	case "wp:comment":
		it.Comments++
		if err := r.d.Skip(); err != nil {
			return r.fail(err)
		}
		return nil
	case "wp:postmeta":
		f, err := r.fields()
		if err != nil {
			return err
		}
		it.Meta = append(it.Meta, Meta{Key: f["wp:meta_key"], Value: f["wp:meta_value"]})
		return nil
	case "category":
		var term ItemTerm
		for _, a := range t.Attr {
			switch a.Name.Local {
			case "domain":
				term.Taxonomy = a.Value
			case "nicename":
				term.Slug = a.Value
			}
		}
		s, err := r.text()
		if err != nil {
			return err
		}
		term.Name = html.UnescapeString(s)
		if term.Taxonomy == "" { // WXR 1.0 wrote categories without a domain
			term.Taxonomy = "category"
		}
		it.Terms = append(it.Terms, term)
		return nil
	}
	s, err := r.text()
	if err != nil {
		return err
	}
	switch k {
	case "title":
		it.Title = s
	case "link":
		it.Link = strings.TrimSpace(s)
	case "guid":
		it.GUID = strings.TrimSpace(s)
	case "dc:creator":
		it.Creator = s
	case "content:encoded":
		it.Content = s
	case "excerpt:encoded":
		it.Excerpt = s
	case "wp:post_id":
		it.ID, err = r.number(k, s)
	case "wp:post_date":
		it.Date = date(s)
	case "wp:post_date_gmt":
		it.DateGMT = date(s)
	case "wp:post_modified":
		it.Modified = date(s)
	case "wp:post_modified_gmt":
		it.ModifiedGMT = date(s)
	case "wp:comment_status":
		it.CommentStatus = s
	case "wp:post_name":
		it.Name = s
	case "wp:status":
		it.Status = s
	case "wp:post_parent":
		it.Parent, err = r.number(k, s)
	case "wp:menu_order":
		var n int64
		n, err = r.number(k, s)
		it.MenuOrder = int(n)
	case "wp:post_type":
		it.Type = s
	case "wp:post_password":
		it.Password = s
	case "wp:is_sticky":
		it.Sticky = strings.TrimSpace(s) == "1"
	case "wp:attachment_url":
		it.AttachmentURL = strings.TrimSpace(s)
	}
	return err
}

// Text is the plain text of a bit of WordPress HTML, such as a title or an excerpt: tags
// removed, entities decoded, white space collapsed. WordPress stores titles as HTML ("&amp;"
// where a writer without the unfiltered_html capability typed "&").
func Text(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return strings.Join(strings.Fields(s), " ")
	}
	z := nethtml.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	for {
		switch z.Next() {
		case nethtml.ErrorToken:
			return strings.Join(strings.Fields(b.String()), " ")
		case nethtml.TextToken:
			b.Write(z.Text())
		case nethtml.StartTagToken, nethtml.EndTagToken, nethtml.SelfClosingTagToken:
			if name, _ := z.TagName(); !inlineTags[string(name)] {
				b.WriteByte(' ') // words on both sides of a <br> or </p> stay apart
			}
		}
	}
}

var inlineTags = map[string]bool{"a": true, "abbr": true, "b": true, "cite": true, "code": true, "del": true,
	"em": true, "i": true, "ins": true, "kbd": true, "mark": true, "q": true, "s": true, "small": true,
	"span": true, "strong": true, "sub": true, "sup": true, "u": true, "font": true}
