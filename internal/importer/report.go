package importer

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"campusnews/internal/news"
	"campusnews/internal/validate"
)

// Report is what an import did, for the person who ran it: counts per kind, and every item
// left out or changed on the way, with why.
type Report struct {
	File    string // the export's name
	Site    string // the old site, as the import names it: "wordpress news.example.edu"
	WXR     string // the export format's version
	Section string // where the categories went, "/news"
	Elapsed time.Duration

	Posts PostCounts
	// Pages are the titles of the pages, skipped: campusnews has articles, not pages.
	Pages []string
	// Skipped counts the other items left out, by what they are, with why.
	Skipped []Skip
	// Failed are the posts that are no valid article (a title too long, a text too large),
	// left out while the rest went in.
	Failed []Failure

	Attachments struct {
		InExport int
		Unused   int // used by no imported post: not stored
	}
	Images     ImageCounts
	Categories CategoryCounts
	// Tags is how many tags the imported posts carry; DroppedTags those that campusnews
	// cannot take, with why.
	Tags        int
	DroppedTags Problems
	// Redirects is how many old addresses of the imported posts lead to their articles.
	Redirects int
	// Shortcodes are those the text could not be converted from, left in as written; Removed
	// what the text showed and campusnews cannot (scripts, frames, forms), each with its posts.
	Shortcodes Problems
	Removed    Problems

	tags map[string]bool
}

// PostCounts count the posts.
type PostCounts struct {
	InExport                    int
	Prepared                    int // read and cleaned; the others were skipped
	Created, Updated, Unchanged int
	// From counts the imported posts by their WordPress status ("publish, password-protected"
	// apart), To by the status of their articles.
	From map[string]int
	To   map[news.Status]int
}

// Skip is a kind of item left out.
type Skip struct {
	What  string
	Why   string
	Count int
}

// Failure is a post left out because it is no valid article.
type Failure struct {
	ID     int64
	Title  string
	Reason string
}

// ImageCounts count the images of imported posts.
type ImageCounts struct {
	Stored int // put in the media library now
	Reused int // stored by an earlier import
	// Missing are files not in the uploads directory; Foreign images on other sites, left
	// out; Refused files the library does not take (not an image, too large); NoAlt images
	// stored without any description, marked decorative; Guessed images without alt text,
	// described by their caption, title or file name. Someone should check them.
	Missing, Foreign, Refused, NoAlt, Guessed Problems
}

// CategoryCounts say what became of the categories.
type CategoryCounts struct {
	Created, Reused []string
	// Flattened are nested categories made side by side in the section: "News › Research →
	// /news/research".
	Flattened []string
	Unused    []string // no imported post is in them: not made
	Several   int      // posts in several categories, of which their article keeps one
}

// Problems lists things, each once, with the posts they concern.
type Problems struct {
	List []Problem
	idx  map[string]int
}

// Problem is one thing of a list, and the posts it concerns.
type Problem struct {
	What  string
	Why   string
	Count int      // times met
	Posts []string // titles, the first few
}

// maxPostsNamed bounds the titles a line of the report names.
const maxPostsNamed = 3

func (ps *Problems) add(what, why, post string, n int) {
	if ps.idx == nil {
		ps.idx = map[string]int{}
	}
	i, ok := ps.idx[what]
	if !ok {
		i = len(ps.List)
		ps.idx[what] = i
		ps.List = append(ps.List, Problem{What: what, Why: why})
	}
	p := &ps.List[i]
	p.Count += n
	if post != "" && !slices.Contains(p.Posts, post) && len(p.Posts) < maxPostsNamed+1 {
		p.Posts = append(p.Posts, post)
	}
}

// Has reports whether what is listed.
func (ps *Problems) Has(what string) bool {
	_, ok := ps.idx[what]
	return ok
}

func (ic *ImageCounts) problem(ps *Problems, what, why, post string) { ps.add(what, why, post, 1) }

func newReport(file string) *Report {
	return &Report{File: file, Posts: PostCounts{From: map[string]int{}, To: map[news.Status]int{}}, tags: map[string]bool{}}
}

func (r *Report) skip(what, why string) {
	for i := range r.Skipped {
		if r.Skipped[i].What == what {
			r.Skipped[i].Count++
			return
		}
	}
	r.Skipped = append(r.Skipped, Skip{What: what, Why: why, Count: 1})
}

func (r *Report) count(post string, shortcodes, removed map[string]int) {
	for _, name := range sortedKeys(shortcodes) {
		r.Shortcodes.add("["+name+"]", "", post, shortcodes[name])
	}
	for _, name := range sortedKeys(removed) {
		r.Removed.add(name, "", post, removed[name])
	}
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (r *Report) tag(slug string) {
	if !r.tags[slug] {
		r.tags[slug] = true
		r.Tags++
	}
}

func (r *Report) dropTag(name, why, post string) { r.DroppedTags.add(name, why, post, 1) }

func (r *Report) fail(p *prepared, errs validate.Errors) {
	r.Failed = append(r.Failed, Failure{ID: p.ID, Title: p.Title, Reason: strings.Join(errs.Messages(), " ")})
}

func (r *Report) imported(p *prepared, o news.Outcome) {
	switch o {
	case news.Created:
		r.Posts.Created++
	case news.Updated:
		r.Posts.Updated++
	default:
		r.Posts.Unchanged++
	}
	r.Posts.From[string(p.Status)]++
	r.Posts.To[p.Article.Status]++
	seen := map[string]bool{}
	for _, a := range p.Article.Redirects {
		if !seen[a] {
			seen[a] = true
			r.Redirects++
		}
	}
}

// Imported is how many posts are articles now, new or not.
func (r *Report) Imported() int { return r.Posts.Created + r.Posts.Updated + r.Posts.Unchanged }

// Summary is the report in one line, for the audit log.
func (r *Report) Summary() string {
	var to []string
	for _, st := range news.Statuses {
		if n := r.Posts.To[st]; n > 0 {
			to = append(to, fmt.Sprintf("%d %s", n, st))
		}
	}
	return fmt.Sprintf("%d posts: %d imported (%s; %d new, %d updated, %d unchanged), %d failed, %d skipped; "+
		"%d pages skipped; images: %d stored, %d already stored, %d missing; categories: %d made, %d reused; "+
		"%d tags; %d old addresses",
		r.Posts.InExport, r.Imported(), strings.Join(to, ", "), r.Posts.Created, r.Posts.Updated, r.Posts.Unchanged,
		len(r.Failed), r.Posts.InExport-r.Posts.Prepared, len(r.Pages), r.Images.Stored, r.Images.Reused,
		len(r.Images.Missing.List), len(r.Categories.Created), len(r.Categories.Reused), r.Tags, r.Redirects)
}

// Write writes the report for a person to read.
func (r *Report) Write(w io.Writer) error {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	p("Imported %s (%s, WXR %s) into %s in %s.", r.Site, r.File, r.WXR, r.Section, r.Elapsed.Round(time.Millisecond))
	p("")
	p("Posts: %d in the export; %d imported (%d new, %d updated, %d unchanged), %d failed, %d skipped.",
		r.Posts.InExport, r.Imported(), r.Posts.Created, r.Posts.Updated, r.Posts.Unchanged, len(r.Failed),
		r.Posts.InExport-r.Posts.Prepared)
	for _, k := range statusOrder {
		n := r.Posts.From[string(k)]
		if n == 0 {
			continue
		}
		m := statusMap[k]
		line := fmt.Sprintf("  %3d %-28s → %s", n, string(k), m.to)
		if m.why != "" {
			line += ": " + m.why
		}
		p("%s", line)
	}
	for _, s := range r.Skipped {
		p("  %3d %-28s skipped: %s", s.Count, s.What, s.Why)
	}
	if len(r.Pages) > 0 {
		p("Pages: %d skipped, campusnews has articles only: %s.", len(r.Pages), strings.Join(r.Pages, ", "))
	}
	p("Images: %d attachments in the export, %d not used by an imported post; %d images stored, %d already stored by an "+
		"earlier import, %d missing, %d from other sites left out, %d refused.", r.Attachments.InExport,
		r.Attachments.Unused, r.Images.Stored, r.Images.Reused, len(r.Images.Missing.List), len(r.Images.Foreign.List),
		len(r.Images.Refused.List))
	p("Categories: %d made, %d reused in %s%s.", len(r.Categories.Created), len(r.Categories.Reused), r.Section,
		listed(r.Categories.Created))
	if len(r.Categories.Flattened) > 0 {
		p("  nested in WordPress, side by side here (a section holds categories, a category no more):")
		for _, f := range r.Categories.Flattened {
			p("    %s", f)
		}
	}
	if len(r.Categories.Unused) > 0 {
		p("  not made, no imported post is in them: %s", strings.Join(r.Categories.Unused, ", "))
	}
	if r.Categories.Several > 0 {
		p("  %d posts were in several categories; an article is in one: the most specific, the first of equals.", r.Categories.Several)
	}
	p("Tags: %d.", r.Tags)
	p("Old addresses: %d, each answering with a redirect (301) to its article once it is published.", r.Redirects)

	section := func(title string, ps Problems, why bool) {
		if len(ps.List) == 0 {
			return
		}
		p("")
		p("%s", title)
		for _, x := range ps.List {
			line := "  " + x.What
			if x.Count > 1 {
				line += fmt.Sprintf(" ×%d", x.Count)
			}
			if why && x.Why != "" {
				line += ": " + x.Why
			}
			p("%s%s", line, postsOf(x.Posts))
		}
	}
	if len(r.Failed) > 0 {
		p("")
		p("Posts left out, not valid as articles:")
		for _, f := range r.Failed {
			p("  %q (post %d): %s", f.Title, f.ID, f.Reason)
		}
	}
	section("Images missing (left out of the text; the article has no cover if it was the featured image):", r.Images.Missing, true)
	section("Images from other sites (left out: the site shows only its own images):", r.Images.Foreign, false)
	section("Images the media library refused:", r.Images.Refused, true)
	section("Images stored without a description (marked decorative; describe them in the media library):", r.Images.NoAlt, false)
	section("Images without alt text, described by their caption, title or file name (check them in the media library):", r.Images.Guessed, true)
	section("Tags not carried over:", r.DroppedTags, true)
	section("Shortcodes not converted, left in the text as written (edit them out or replace them):", r.Shortcodes, false)
	section("Removed from the text (scripts, frames become links, forms, dynamic blocks):", r.Removed, false)
	_, err := io.WriteString(w, b.String())
	return err
}

func listed(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return ": " + strings.Join(names, ", ")
}

// postsOf names the posts of a report line, the first few.
func postsOf(posts []string) string {
	if len(posts) == 0 {
		return ""
	}
	q := make([]string, 0, maxPostsNamed)
	for i, t := range posts {
		if i == maxPostsNamed {
			return " (in " + strings.Join(q, ", ") + " and more)"
		}
		q = append(q, fmt.Sprintf("%q", t))
	}
	return " (in " + strings.Join(q, ", ") + ")"
}
