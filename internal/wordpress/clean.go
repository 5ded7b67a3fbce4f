package wordpress

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"

	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Options tune Clean.
type Options struct {
	// SiteURL is the old site's address (Header.Link). Links to it become root-relative paths,
	// so that on the new site they reach the redirects from old addresses; links to uploads
	// are left alone (their images are in Body.Images).
	SiteURL string
	// Attachment looks up an attachment by ID for [gallery ids="…"]. Without it, or when it
	// finds none of the IDs, a gallery is left out and counted in Body.Shortcodes.
	Attachment func(id int64) (Image, bool)
	// ReusableBlock returns the content of a reusable block (an item of type wp_block) for
	// <!-- wp:block {"ref":ID} /-->. Without it such blocks are left out and counted in
	// Body.Removed.
	ReusableBlock func(id int64) (string, bool)
	// DropUnknownShortcodes removes the tags of shortcodes Clean cannot convert and keeps the
	// text they enclose. By default they stay in the text as written, as WordPress shows a
	// shortcode whose plugin is gone; either way Body.Shortcodes counts them.
	DropUnknownShortcodes bool
}

// Image is an image of a body.
type Image struct {
	URL          string // as in the content, usually absolute on the old site, maybe a resized copy (-300x200)
	Alt          string
	Caption      string // plain text
	AttachmentID int64  // from the wp-image-N class or the block's id, 0 when unknown
}

// Body is WordPress content cleaned into a Markdown article body.
type Body struct {
	// Images in the order they first appear, one entry per URL.
	Images []Image
	// Shortcodes counts, by name, the shortcodes that could not be converted: those of plugins,
	// and galleries whose attachments were not found.
	Shortcodes map[string]int
	// Removed counts what WordPress showed and the body cannot: scripts, styles, forms,
	// dynamic blocks ("wp:latest-posts"), links with a script ("javascript: link").
	// Embedded frames, video and audio become a link to their source and count here too.
	Removed map[string]int

	parts []string // Markdown, split where images go: parts[i] comes before slots[i]
	slots []slot
}

// slot is one occurrence of an image in the Markdown.
type slot struct {
	image   int    // index in Images
	alt     string // this occurrence's alt text
	caption string // inline HTML for a figure; "" for an inline image
	figure  bool
}

// Markdown returns the body with the images' original URLs.
func (b *Body) Markdown() string {
	return b.MarkdownWith(func(img Image) string { return img.URL })
}

// MarkdownWith returns the body with each image's URL replaced by what newURL returns for it,
// e.g. its address in the media library; "" leaves the image out (a figure keeps its caption).
// newURL is called once per image, in the order of Images.
func (b *Body) MarkdownWith(newURL func(Image) string) string {
	urls := make([]string, len(b.Images))
	for i, img := range b.Images {
		urls[i] = newURL(img)
	}
	var out strings.Builder
	for i, p := range b.parts {
		out.WriteString(p)
		if i < len(b.slots) {
			out.WriteString(b.slots[i].markdown(urls[b.slots[i].image]))
		}
	}
	return out.String()
}

// markdown writes one image: ![alt](url) inline, or a <figure> HTML block (Markdown has no
// caption) that the sanitizer allows.
func (s slot) markdown(u string) string {
	if !s.figure {
		if u == "" {
			return ""
		}
		return "![" + escapeMarkdownText(s.alt) + "](" + markdownDestination(u) + ")"
	}
	var b strings.Builder
	if u == "" {
		if s.caption == "" {
			return ""
		}
		return "<p>" + s.caption + "</p>"
	}
	b.WriteString(`<figure><img src="`)
	b.WriteString(html.EscapeString(markdownDestination(u)))
	b.WriteString(`" alt="`)
	b.WriteString(html.EscapeString(s.alt))
	b.WriteString(`">`)
	if s.caption != "" {
		b.WriteString("<figcaption>")
		b.WriteString(s.caption)
		b.WriteString("</figcaption>")
	}
	b.WriteString("</figure>")
	return b.String()
}

// escapeMarkdownText backslash-escapes every ASCII punctuation character, which CommonMark
// allows anywhere, so that alt text stays text.
func escapeMarkdownText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r':
			b.WriteByte(' ')
		case r < 128 && strings.ContainsRune("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// markdownDestination percent-encodes what would end or break a link destination (and what
// the sanitizer refuses in a URL).
func markdownDestination(u string) string {
	var b strings.Builder
	for i := 0; i < len(u); i++ {
		c := u[i]
		if c <= ' ' || c == '(' || c == ')' || c == '<' || c == '>' || c == '\\' || c == 0x7f {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// Clean turns the content of a WordPress post into a Markdown body that renders, through
// campusnews's Markdown and sanitizer, as WordPress showed it:
//
//   - block-editor content loses its <!-- wp:… --> comments; classic-editor content (no block
//     comments) gets its paragraphs and line breaks from a port of WordPress's wpautop;
//   - [caption] becomes a figure with its caption, [gallery] figures (with Options.Attachment),
//     [embed], [video] and [audio] a link; other shortcodes are counted in Shortcodes;
//   - scripts, styles, forms and event handlers go; frames become links to their source;
//   - images are listed in Images and can be given new URLs with MarkdownWith.
func Clean(content string, opts Options) *Body {
	c := &cleaner{opts: opts, body: &Body{Shortcodes: map[string]int{}, Removed: map[string]int{}}, imageIndex: map[string]int{}}
	return c.clean(content)
}

type cleaner struct {
	opts       Options
	body       *Body
	imageIndex map[string]int
	depth      int // of reusable blocks inlined
	site       *url.URL
}

// tokenKey carries the slot token to the converter's renderers.
type tokenKey struct{}

func (c *cleaner) clean(content string) *Body {
	if !utf8.ValidString(content) {
		content = strings.ToValidUTF8(content, "\uFFFD")
	}
	if c.opts.SiteURL != "" {
		if u, err := url.Parse(c.opts.SiteURL); err == nil && u.Host != "" {
			c.site = u
		}
	}
	s := c.preprocess(content)
	s = c.shortcodes(s)

	root := &nethtml.Node{Type: nethtml.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := nethtml.ParseFragment(strings.NewReader(s), root)
	if err != nil { // only reader errors, impossible with strings.Reader
		nodes = []*nethtml.Node{{Type: nethtml.TextNode, Data: s}}
	}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	c.walk(root)

	// Images are written as tokens and put in by MarkdownWith: the token is a word absent from
	// the input, and the split checks that the Markdown holds each slot's token exactly once
	// (text of neighbouring elements could join into one); if not, another word is tried.
	avoid := s
	for attempt := 0; ; attempt++ {
		token := slotToken(avoid, attempt)
		md, err := mdConverter.ConvertNode(root, converter.WithContext(context.WithValue(context.Background(), tokenKey{}, token)))
		if err != nil { // the converter fails only on a cancelled context, which it is not given
			md = []byte(html.EscapeString(textContent(root)))
		}
		if c.split(string(md), token) {
			return c.body
		}
		if attempt == 8 { // not seen: keep the text, without images
			c.body.parts, c.body.slots = []string{string(md)}, nil
			return c.body
		}
		avoid += "\n" + string(md)
	}
}

// slotToken returns a word that does not occur in s.
func slotToken(s string, attempt int) string {
	for i := attempt; ; i++ {
		t := "wpimg" + strings.Repeat("q", i%4) + string(rune('a'+i/4%26))
		if !strings.Contains(s, t) {
			return t
		}
	}
}

// preprocess does what WordPress does before shortcodes: block comments out of block content,
// wpautop on classic content.
func (c *cleaner) preprocess(content string) string {
	if strings.Contains(content, "<!-- wp:") { // has_blocks(): WordPress skips wpautop then
		return c.blocks(content)
	}
	return shortcodeUnautop(wpautop(content, true))
}

// blocks removes block delimiters; a self-closing block is dynamic, rendered by PHP from data
// the export does not have, except reusable blocks, whose content Options.ReusableBlock gives.
// A delimiter becomes an empty comment rather than nothing: where it stood between tags that
// is the same, and where a malformed post has it inside a tag, the tag still ends where it
// ended, so the text around it stays text and the markup markup.
func (c *cleaner) blocks(s string) string {
	const removed = "<!---->"
	return scanBlocks(s, func(bc blockComment) string {
		if !bc.void {
			return removed
		}
		if bc.name == "block" || bc.name == "core/block" {
			if c.opts.ReusableBlock != nil && c.depth < 3 {
				if inner, ok := c.opts.ReusableBlock(bc.ref()); ok {
					c.depth++
					defer func() { c.depth-- }()
					if strings.Contains(inner, "<!-- wp:") {
						return "\n" + c.blocks(inner) + "\n"
					}
					return "\n" + shortcodeUnautop(wpautop(inner, true)) + "\n"
				}
			}
		}
		c.body.Removed["wp:"+strings.TrimPrefix(bc.name, "core/")]++
		return removed
	})
}

// captionParts is img_caption_shortcode()'s split of a [caption] without a caption attribute:
// the image (maybe linked), then the caption. WordPress drops what comes before the image.
var captionParts = regexp.MustCompile(`(?is)((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)`)

func (c *cleaner) shortcodes(s string) string {
	return scanShortcodes(s, func(sc *shortcode) (string, bool) {
		switch sc.name {
		case "caption", "wp_caption":
			return c.caption(sc), true
		case "gallery":
			if out, ok := c.gallery(sc); ok {
				return out, true
			}
		case "embed":
			u := strings.TrimSpace(sc.content)
			if isWebURL(u) {
				return linkHTML(u), true
			}
		case "audio", "video":
			for _, k := range []string{"src", "mp3", "m4a", "ogg", "wav", "wma", "mp4", "m4v", "webm", "ogv", "wmv", "flv"} {
				if u := strings.TrimSpace(sc.attrs[k]); isWebURL(u) {
					c.body.Removed[sc.name]++
					return linkHTML(u), true
				}
			}
		}
		c.body.Shortcodes[sc.name]++
		if c.opts.DropUnknownShortcodes || sc.name == "gallery" || sc.name == "playlist" {
			return c.shortcodes(sc.content), true
		}
		if sc.enclosing { // the tags stay, shortcodes inside are still converted
			inner := c.shortcodes(sc.content)
			if inner != sc.content {
				return sc.open + inner + "[/" + sc.name + "]", true
			}
		}
		return "", false
	})
}

// caption is img_caption_shortcode(): a figure when there is a caption and a width.
func (c *cleaner) caption(sc *shortcode) string {
	content := sc.content
	caption, ok := sc.attrs["caption"]
	if !ok {
		if m := captionParts.FindStringSubmatch(content); m != nil {
			content, caption = m[1], strings.TrimSpace(m[2])
		}
	}
	// WordPress takes the width as PHP's (int): leading digits.
	width, _ := strconv.Atoi(leadingDigits(strings.TrimSpace(sc.attrs["width"])))
	if width < 1 || caption == "" {
		return c.shortcodes(content)
	}
	return `<figure class="wp-caption">` + c.shortcodes(content) + "<figcaption>" + caption + "</figcaption></figure>"
}

// gallery expands [gallery ids="…"] (or include="…") into figures.
func (c *cleaner) gallery(sc *shortcode) (string, bool) {
	ids := sc.attrs["ids"]
	if ids == "" {
		ids = sc.attrs["include"]
	}
	if c.opts.Attachment == nil || ids == "" {
		return "", false
	}
	var b strings.Builder
	for _, f := range strings.Split(ids, ",") {
		id, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
		if err != nil {
			continue
		}
		img, ok := c.opts.Attachment(id)
		if !ok || img.URL == "" {
			continue
		}
		if img.AttachmentID == 0 {
			img.AttachmentID = id
		}
		fmt.Fprintf(&b, `<figure class="wp-caption"><img src="%s" alt="%s" data-id="%d">`,
			html.EscapeString(img.URL), html.EscapeString(img.Alt), img.AttachmentID)
		if img.Caption != "" {
			b.WriteString("<figcaption>" + html.EscapeString(img.Caption) + "</figcaption>")
		}
		b.WriteString("</figure>")
	}
	if b.Len() == 0 {
		return "", false
	}
	return `<div class="gallery">` + b.String() + "</div>", true
}

// linkHTML is a link to u showing u, for what is replaced by a link to its source.
func linkHTML(u string) string {
	u = html.EscapeString(safeURL(u))
	return `<a href="` + u + `">` + u + `</a>`
}

// safeURL percent-encodes what a URL shown as text or put in an attribute should not hold.
func safeURL(u string) string {
	var b strings.Builder
	for i := 0; i < len(u); i++ {
		c := u[i]
		if c <= ' ' || c == '<' || c == '>' || c == '"' || c == '\'' || c == '`' || c == 0x7f {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// Elements removed with their content. Frames and media are handled before (links).
var removedElements = map[string]bool{
	"script": true, "style": true, "noscript": true, "template": true, "object": true, "embed": true,
	"applet": true, "param": true, "form": true, "input": true, "button": true, "select": true,
	"textarea": true, "svg": true, "math": true, "canvas": true, "link": true, "meta": true,
	"base": true, "frameset": true, "frame": true, "dialog": true, "map": true, "head": true, "title": true,
}

// Attributes kept, by element; the converter reads only these, the sanitizer decides again.
var keptAttrs = map[string]map[string]bool{
	"a":          {"href": true, "title": true},
	"img":        {"src": true, "alt": true, "title": true},
	"ol":         {"start": true},
	"td":         {"colspan": true, "rowspan": true, "align": true},
	"th":         {"colspan": true, "rowspan": true, "align": true},
	"blockquote": {"cite": true},
	"q":          {"cite": true},
	"code":       {"class": true},
	"pre":        {"class": true},
}

const (
	slotElement   = "wp-image-slot"
	figureElement = "wp-figure-slot"
)

// walk cleans the tree under n in place: what goes, what becomes a link, images into slots.
func (c *cleaner) walk(n *nethtml.Node) {
	for ch := n.FirstChild; ch != nil; {
		next := ch.NextSibling
		if ch.Type == nethtml.CommentNode {
			n.RemoveChild(ch)
		} else if ch.Type == nethtml.ElementNode {
			c.element(ch)
		}
		ch = next
	}
}

func (c *cleaner) element(n *nethtml.Node) {
	name := n.Data
	if n.Namespace != "" { // svg or math content
		name = n.Namespace
	}
	switch {
	case removedElements[name]:
		c.body.Removed[name]++
		n.Parent.RemoveChild(n)
		return
	case name == "iframe" || name == "video" || name == "audio":
		c.body.Removed[name]++
		src := attr(n, "src")
		if src == "" {
			for s := n.FirstChild; s != nil && src == ""; s = s.NextSibling {
				if s.Type == nethtml.ElementNode && s.Data == "source" {
					src = attr(s, "src")
				}
			}
		}
		src = strings.TrimSpace(src)
		if isWebURL(src) {
			src = safeURL(src)
			a := element("a", "href", src)
			a.AppendChild(&nethtml.Node{Type: nethtml.TextNode, Data: src})
			p := element("p")
			p.AppendChild(a)
			n.Parent.InsertBefore(p, n)
		}
		n.Parent.RemoveChild(n)
		return
	case name == "img":
		c.image(n)
		return
	case name == slotElement || name == figureElement: // not ours: written in the content
		c.walk(n)
		unwrap(n)
		return
	}

	keep := keptAttrs[name]
	attrs := n.Attr[:0]
	for _, a := range n.Attr {
		if a.Namespace == "" && keep[a.Key] {
			attrs = append(attrs, a)
		}
	}
	n.Attr = attrs
	c.walk(n)

	switch name {
	case "a":
		c.link(n)
	case "figure":
		c.figure(n)
	case "p":
		if strings.TrimSpace(strings.ReplaceAll(textContent(n), "\u00a0", " ")) == "" && !hasElement(n) {
			n.Parent.RemoveChild(n)
		}
	}
}

// link rewrites or unwraps a link.
func (c *cleaner) link(n *nethtml.Node) {
	href := strings.TrimSpace(attr(n, "href"))
	u, err := url.Parse(href)
	switch {
	case href == "" || href == "#": // script hooks, not links
		unwrap(n)
		return
	case err != nil:
		unwrap(n)
		return
	case u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "mailto": // what the sanitizer allows
		c.body.Removed[strings.ToLower(u.Scheme)+": link"]++
		unwrap(n)
		return
	}
	if onlySlot(n) != nil && c.isImageLink(u) {
		unwrap(n) // a link to the image itself or its attachment page: the image is enough
		return
	}
	if c.site != nil && strings.EqualFold(u.Host, c.site.Host) && !strings.Contains(u.Path, "/wp-content/") {
		rel := u.EscapedPath()
		if rel == "" {
			rel = "/"
		}
		if u.RawQuery != "" {
			rel += "?" + u.RawQuery
		}
		if u.Fragment != "" {
			rel += "#" + u.EscapedFragment()
		}
		setAttr(n, "href", rel)
	}
}

var imageExt = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".webp": true, ".avif": true, ".bmp": true, ".tif": true, ".tiff": true, ".svg": true}

// isImageLink tells a link to an image file or an attachment page.
func (c *cleaner) isImageLink(u *url.URL) bool {
	if imageExt[strings.ToLower(path.Ext(u.Path))] || u.Query().Has("attachment_id") {
		return true
	}
	// An attachment page: /2024/11/some-post/olympiad/ for the image olympiad.jpg.
	last := path.Base(strings.TrimSuffix(u.Path, "/"))
	for _, img := range c.body.Images {
		base := path.Base(img.URL)
		base = strings.TrimSuffix(base, path.Ext(base))
		base = sizeSuffix.ReplaceAllString(base, "")
		if strings.EqualFold(last, base) {
			return true
		}
	}
	return false
}

// sizeSuffix is WordPress's suffix of a resized copy: lab-300x200.jpg.
var sizeSuffix = regexp.MustCompile(`-\d+x\d+$`)

var wpImageClass = regexp.MustCompile(`(?:^|\s)wp-image-(\d+)(?:\s|$)`)

// image puts an image into a slot.
func (c *cleaner) image(n *nethtml.Node) {
	src := strings.TrimSpace(attr(n, "src"))
	u, err := url.Parse(src)
	if src == "" || err != nil || u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" {
		c.body.Removed["img"]++
		n.Parent.RemoveChild(n)
		return
	}
	alt := attr(n, "alt")
	var id int64
	if m := wpImageClass.FindStringSubmatch(attr(n, "class")); m != nil {
		id, _ = strconv.ParseInt(m[1], 10, 64)
	} else if d := attr(n, "data-id"); d != "" {
		id, _ = strconv.ParseInt(d, 10, 64)
	}
	i, ok := c.imageIndex[src]
	if !ok {
		i = len(c.body.Images)
		c.imageIndex[src] = i
		c.body.Images = append(c.body.Images, Image{URL: src, Alt: alt, AttachmentID: id})
	} else if c.body.Images[i].AttachmentID == 0 {
		c.body.Images[i].AttachmentID = id
	}
	c.body.slots = append(c.body.slots, slot{image: i, alt: alt})
	repl := element(slotElement, "data-slot", strconv.Itoa(len(c.body.slots)-1))
	n.Parent.InsertBefore(repl, n)
	n.Parent.RemoveChild(n)
}

// figure makes a figure of one image and a caption into a figure slot.
func (c *cleaner) figure(n *nethtml.Node) {
	var img, caption *nethtml.Node
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		switch {
		case ch.Type == nethtml.TextNode && strings.TrimSpace(ch.Data) == "":
		case ch.Type == nethtml.ElementNode && ch.Data == slotElement && img == nil:
			img = ch
		case ch.Type == nethtml.ElementNode && ch.Data == "a" && onlySlot(ch) != nil && img == nil:
			img = ch
		case ch.Type == nethtml.ElementNode && ch.Data == "figcaption" && caption == nil:
			caption = ch
		default:
			return // a figure of something else (a table, a quote, an embed): its content stays
		}
	}
	if img == nil || caption == nil || inside(n, "td", "th") {
		return
	}
	slotNode := img
	if img.Data == "a" { // a linked figure: the link is dropped, a figure cannot be linked in Markdown
		slotNode = onlySlot(img)
	}
	i, _ := strconv.Atoi(attr(slotNode, "data-slot"))
	s := &c.body.slots[i]
	s.figure = true
	s.caption = inlineHTML(caption)
	if c.body.Images[s.image].Caption == "" {
		c.body.Images[s.image].Caption = strings.Join(strings.Fields(textContent(caption)), " ")
	}
	repl := element(figureElement, "data-slot", strconv.Itoa(i))
	n.Parent.InsertBefore(repl, n)
	n.Parent.RemoveChild(n)
}

var spaces = regexp.MustCompile(`\s+`)

// inlineHTML serializes a caption's content as inline HTML on one line: text escaped, inline
// formatting and links kept without other attributes, everything else reduced to its text.
func inlineHTML(n *nethtml.Node) string {
	var b strings.Builder
	var walk func(n *nethtml.Node)
	walk = func(n *nethtml.Node) {
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			switch ch.Type {
			case nethtml.TextNode:
				b.WriteString(html.EscapeString(spaces.ReplaceAllString(ch.Data, " ")))
			case nethtml.ElementNode:
				switch ch.Data {
				case "em", "strong", "b", "i", "code", "sup", "sub", "small", "mark", "s", "del", "ins", "u", "abbr", "cite", "q":
					b.WriteString("<" + ch.Data + ">")
					walk(ch)
					b.WriteString("</" + ch.Data + ">")
				case "a":
					if h := attr(ch, "href"); h != "" {
						b.WriteString(`<a href="` + html.EscapeString(h) + `">`)
						walk(ch)
						b.WriteString("</a>")
					} else {
						walk(ch)
					}
				case "br":
					b.WriteString("<br>")
				default:
					walk(ch)
				}
			}
		}
	}
	walk(n)
	return strings.TrimSpace(spaces.ReplaceAllString(b.String(), " "))
}

// split cuts the converter's Markdown where the slot tokens are, into Body.parts and (in the
// order of the Markdown) Body.slots. It reports false when the tokens are not exactly one per
// slot.
func (c *cleaner) split(md, token string) bool {
	md = tightenNestedLists(md)
	var parts []string
	var slots []slot
	seen := make([]bool, len(c.body.slots))
	for {
		k := strings.Index(md, token)
		if k < 0 {
			break
		}
		j := k + len(token)
		e := j
		for e < len(md) && md[e] >= '0' && md[e] <= '9' {
			e++
		}
		if e == j || e >= len(md) || md[e] != 'x' {
			return false
		}
		i, err := strconv.Atoi(md[j:e])
		if err != nil || i >= len(seen) || seen[i] {
			return false
		}
		seen[i] = true
		parts = append(parts, md[:k])
		slots = append(slots, c.body.slots[i])
		md = md[e+1:]
	}
	c.body.parts = append(parts, md)
	c.body.slots = slots
	return true
}

// nestedListStart is a list marker that may interrupt a paragraph, so that a nested list can
// follow its item's text without a blank line: a bullet, or an ordered list starting at 1.
var nestedListStart = regexp.MustCompile(`^ +(?:[-*+]|1[.)])(?: |$)`)

// tightenNestedLists removes the blank line the converter writes between a list item's text
// and a list nested in it: with it, Markdown makes the outer list loose, its items paragraphs,
// which the WordPress list was not. Fenced code is left alone.
func tightenNestedLists(md string) string {
	if !strings.Contains(md, "\n  ") {
		return md
	}
	lines := strings.Split(md, "\n")
	out := lines[:0]
	fence := ""
	for i, line := range lines {
		trimmed := strings.TrimLeft(line, " ")
		if fence == "" && (strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~")) {
			fence = trimmed[:3]
		} else if fence != "" && strings.HasPrefix(trimmed, fence) {
			fence = ""
		}
		if fence == "" && line != "" && trimmed == "" && i > 0 && strings.TrimSpace(lines[i-1]) != "" && i+1 < len(lines) &&
			strings.HasPrefix(lines[i+1], line) && nestedListStart.MatchString(lines[i+1]) {
			continue
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

func leadingDigits(s string) string {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i]
}
