package importer

import (
	"context"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"campusnews/internal/markup"
	"campusnews/internal/news"
	"campusnews/internal/wordpress"
)

// post prepares one post: its text cleaned, images stored, credits, dates and old addresses.
func (ld *loader) post(ctx context.Context, it *wordpress.Item, st statusKey) (*prepared, error) {
	title := wordpress.Text(it.Title)
	p := &prepared{ID: it.ID, Title: orUntitled(title), Status: st}
	body := wordpress.Clean(it.Content, wordpress.Options{
		SiteURL:       ld.header.Link,
		Attachment:    ld.galleryImage,
		ReusableBlock: func(id int64) (string, bool) { s, ok := ld.blocks[id]; return s, ok },
	})
	urls := make(map[string]string, len(body.Images))
	for _, img := range body.Images {
		m, err := ld.images.inline(ctx, img, p.Title)
		if err != nil {
			return nil, err
		}
		if m != nil {
			urls[img.URL] = m.Best(960) // as the article form's image snippets link them
		}
	}
	src := body.MarkdownWith(func(img wordpress.Image) string { return urls[img.URL] })
	src = strings.TrimRight(strings.ReplaceAll(src, "\r\n", "\n"), " \t\n")
	ld.rep.count(p.Title, body.Shortcodes, body.Removed)

	var cover *int64
	if id := it.ThumbnailID(); id != 0 {
		m, err := ld.images.featured(ctx, id, p.Title)
		if err != nil {
			return nil, err
		}
		if m != nil {
			cover = &m.ID
		}
	}
	summary := cut(wordpress.Text(it.Excerpt), news.MaxSummaryLen)
	if summary == "" {
		summary = summaryOf(src, body.Shortcodes)
	}
	author := ld.authors[it.Creator]
	if author == "" {
		author = it.Creator
	}
	to := statusMap[st].to
	in := news.Imported{
		ArticleInput: news.ArticleInput{
			Title: title, Slug: slugOf(it), Summary: summary, BodySource: src,
			Author: cut(author, news.MaxCreditLen), Tags: ld.tags(it, p.Title), CoverMediaID: cover,
			Pinned: it.Sticky && to == news.Published,
		},
		Status:    to,
		UpdatedAt: it.ModifiedGMT,
	}
	// Rendered here, outside the transaction that writes it; a text over the limit is refused
	// by the news service anyway.
	if utf8.RuneCountInString(src) <= news.MaxBodyLen {
		in.Rendered = &news.Rendered{HTML: markup.Render(src), Text: markup.PlainText(src)}
	}
	// Drafts and pending posts have no date yet (DateGMT is zero); the others keep theirs, so
	// a private or protected post published later here keeps its original date.
	if to != news.Draft || st == fromPrivate || st == fromPassword {
		in.PublishedAt = dateOf(it)
	}
	// Created: the earlier of its dates, as a scheduled post's date lies ahead.
	in.CreatedAt = it.DateGMT
	if in.CreatedAt.IsZero() || !it.ModifiedGMT.IsZero() && it.ModifiedGMT.Before(in.CreatedAt) {
		in.CreatedAt = it.ModifiedGMT
	}
	p.Category = ld.category(it)
	p.Article = news.Sourced{Imported: in, Source: ld.source, Key: strconv.FormatInt(it.ID, 10), Redirects: oldAddresses(it)}
	return p, nil
}

// summaryOf is a summary made from a text, as WordPress made one when the post had no
// excerpt: its opening words, without shortcodes, and here also without captions, code,
// tables and lists, which read badly out of their place.
func summaryOf(src string, shortcodes map[string]int) string {
	var names []string
	for name := range shortcodes {
		names = append(names, regexp.QuoteMeta(name))
	}
	var sc *regexp.Regexp
	if len(names) > 0 {
		sc = regexp.MustCompile(`\[/?(?:` + strings.Join(names, "|") + `)\b[^\]]*\]`)
	}
	var prose []string
	n := 0
	for _, block := range strings.Split(src, "\n\n") {
		if strings.HasPrefix(block, "    ") || proseStart.MatchString(block) {
			continue
		}
		text := markup.PlainText(block)
		if sc != nil {
			text = strings.Join(strings.Fields(sc.ReplaceAllString(text, " ")), " ")
		}
		if text == "" {
			continue
		}
		prose = append(prose, text)
		if n += len(text); n > summaryLen {
			break
		}
	}
	if len(prose) == 0 {
		return markup.Excerpt(src, summaryLen)
	}
	return cut(strings.Join(prose, " "), summaryLen)
}

// proseStart matches the blocks of Markdown that are not prose: HTML (figures), code,
// tables, headings, quotes, lists, images, and a shortcode on its own.
var proseStart = regexp.MustCompile(`^\s*(?:$|[<` + "`" + `~|#>!]|[-*+] |\d+[.)] |\\\[)`)

// dateOf is when the post was published, in UTC: DateGMT, or the site's local date when
// WordPress left that unset (its zone is unknown; the error is the site's offset at most).
func dateOf(it *wordpress.Item) *time.Time {
	d := it.DateGMT
	if d.IsZero() {
		d = it.Date
	}
	if d.IsZero() {
		return nil
	}
	return &d
}

// galleryImage is an attachment as [gallery ids="…"] shows it.
func (ld *loader) galleryImage(id int64) (wordpress.Image, bool) {
	a := ld.attachments[id]
	if a == nil || a.URL == "" {
		return wordpress.Image{}, false
	}
	return wordpress.Image{URL: a.URL, Alt: a.Alt, Caption: a.Caption, AttachmentID: id}, true
}

// slugOf is the post's slug as campusnews can use it: percent-decoded, without the suffix of
// a trashed post; the news service makes it valid and free.
func slugOf(it *wordpress.Item) string {
	s := strings.TrimSuffix(it.Name, "__trashed")
	if d, err := url.PathUnescape(s); err == nil {
		s = d
	}
	return s
}

// oldAddresses are the addresses the post answered at: its permalink, /?p=ID, and the
// permalinks of its earlier slugs, which WordPress kept answering (_wp_old_slug).
func oldAddresses(it *wordpress.Item) []string {
	out := []string{"/?p=" + strconv.FormatInt(it.ID, 10)}
	p := it.Path()
	if p == "" {
		return out
	}
	out = append(out, p)
	if strings.Contains(p, "?") || it.Name == "" {
		return out
	}
	// The slug is the permalink's last segment (/%year%/%monthnum%/%postname%/ and the like).
	trail := strings.HasSuffix(p, "/")
	dir, last := path.Split(strings.TrimSuffix(p, "/"))
	if !strings.EqualFold(last, url.PathEscape(it.Name)) && !strings.EqualFold(last, it.Name) {
		return out
	}
	for _, m := range it.Meta {
		if m.Key != "_wp_old_slug" || m.Value == "" || m.Value == it.Name {
			continue
		}
		old := dir + url.PathEscape(m.Value)
		if trail {
			old += "/"
		}
		out = append(out, old)
	}
	return out
}

// category picks the post's category: an article has one. Of the post's categories, those
// that are not a parent of another of them (the most specific), the first; none is
// "uncategorized", as WordPress files such posts.
func (ld *loader) category(it *wordpress.Item) string {
	slugs := it.Categories()
	var known []string
	for _, s := range slugs {
		if _, ok := ld.categories[s]; ok {
			known = append(known, s)
		}
	}
	pick := ""
	for _, s := range known {
		if !ld.parentOfAny(s, known) {
			pick = s
			break
		}
	}
	if len(known) > 1 {
		ld.rep.Categories.Several++
	}
	ld.used[pick] = true
	return pick
}

// parentOfAny reports whether category slug is an ancestor of one of slugs.
func (ld *loader) parentOfAny(slug string, slugs []string) bool {
	for _, s := range slugs {
		for p, n := ld.categories[s].Parent, 0; p != "" && n < 100; p, n = ld.categories[p].Parent, n+1 {
			if p == slug {
				return true
			}
		}
	}
	return false
}

// tags are the post's tag names as campusnews takes them: a tag without Latin letters or
// digits has no address here, one too long is refused, and past the tenth there is no room.
func (ld *loader) tags(it *wordpress.Item, title string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range it.Terms {
		if t.Taxonomy != "post_tag" {
			continue
		}
		name := strings.Join(strings.Fields(t.Name), " ")
		slug := news.Slugify(name)
		switch {
		case name == "" || seen[slug]:
			continue
		case slug == "":
			ld.rep.dropTag(name, "a tag's address needs Latin letters or digits", title)
			continue
		case utf8.RuneCountInString(name) > news.MaxTagLen:
			ld.rep.dropTag(name, fmt.Sprintf("longer than %d characters", news.MaxTagLen), title)
			continue
		case len(out) == news.MaxTags:
			ld.rep.dropTag(name, fmt.Sprintf("an article has at most %d tags", news.MaxTags), title)
			continue
		}
		seen[slug] = true
		out = append(out, name)
		ld.rep.tag(slug)
	}
	return out
}

func orUntitled(title string) string {
	if title == "" {
		return "(no title)"
	}
	return title
}

// cut shortens s to at most n characters, at a space when there is one in the last part,
// with "…".
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	if i := strings.LastIndexByte(string(r), ' '); i > len(string(r))*3/4 {
		return strings.TrimRight(string(r)[:i], " ,;:") + "…"
	}
	return string(r) + "…"
}
