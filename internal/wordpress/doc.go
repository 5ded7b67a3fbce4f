// Package wordpress reads a WordPress export (WXR 1.0–1.2, the file Tools → Export writes) and
// turns WordPress post content into Markdown article bodies for campusnews.
//
// Reading streams: an export can be hundreds of megabytes, so NewReader decodes it token by
// token and holds one item at a time. Header returns what comes before the items (site,
// authors, categories, tags); Next or All return the items one by one. A malformed or truncated
// file ends with an *Error naming the line and column.
//
// Clean turns an item's Content into a Body: Markdown that renders through campusnews's
// Markdown and sanitizer as WordPress showed it, the images it holds (to be stored in the media
// library and put back with MarkdownWith), and counts of what could not be carried over
// (shortcodes of plugins, scripts, frames, dynamic blocks) for an import report.
//
// What an export holds, and what a loader has to decide (the testdata export shows each case):
//
//   - Items of every type come in no particular order: attachments may come before or after
//     the posts that use them. A loader that needs attachments or reusable blocks (type
//     wp_block) while cleaning posts reads the file twice, or keeps those small items aside.
//   - Types: post, page, attachment; also nav_menu_item, wp_block and custom types to skip.
//   - Statuses: publish; future (scheduled, DateGMT in the future); draft and pending (submitted
//     for review), whose DateGMT is zero and Name may be empty; private; trash (with the slug
//     suffix __trashed); attachments are inherit. A published post with a Password is
//     password-protected, not public.
//   - Dates: DateGMT and ModifiedGMT are UTC; Date and Modified are the site's local time, whose
//     zone the export does not name.
//   - Authors: an item's Creator is a login; Header.Authors gives the display name.
//   - Categories nest by Parent slug; names are HTML-decoded; slugs of non-Latin names are
//     percent-encoded UTF-8 ("%e6%a0%a1%e5%8f%8b" for 校友). Items name categories and tags by
//     slug (Item.Categories, Item.Tags).
//   - Old addresses: Item.Path is the permalink path, /2019/02/physics-laser-lab/ with the
//     site's permalink structure, /contact/press/ for a child page, /?p=45 for drafts and
//     scheduled posts and /?page_id=3 for draft pages. Every post also answered /?p=ID (pages
//     /?page_id=ID, attachments /?attachment_id=ID). GUID is an identifier, not an address to
//     redirect: it may be the first permalink or /?p=ID.
//   - Featured image: Item.ThumbnailID names an attachment; its file is AttachedFile under the
//     uploads directory, its alt text ImageAlt, its caption the attachment's Excerpt. The file
//     may be missing from the uploads copy.
//   - Images in content usually point at the old site's uploads, often at a resized copy
//     (lab-300x200.jpg of lab.jpg); Image.AttachmentID, when known, names the attachment whose
//     original file is better to import. Some point at other sites.
//   - Titles and excerpts are HTML: Text gives their plain text.
package wordpress
