package importer

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"campusnews/internal/news"
	"campusnews/internal/validate"
	"campusnews/internal/wordpress"
)

// defaultSection is made when the site has no section yet.
var defaultSection = news.CategoryInput{Name: "News", Slug: "news", Visible: true}

// checkSection fails when opts names a section the site does not have, before anything is
// stored.
func (ld *loader) checkSection(ctx context.Context) error {
	if ld.opts.Section == "" {
		return nil
	}
	tree, err := ld.im.news.Tree(ctx)
	if err != nil {
		return err
	}
	var slugs []string
	for _, s := range tree.Sections {
		if s.Slug == ld.opts.Section {
			return nil
		}
		slugs = append(slugs, s.Slug)
	}
	if len(slugs) == 0 {
		return fmt.Errorf("importer: the site has no section %q, nor any other: leave out --section to make one named News", ld.opts.Section)
	}
	return fmt.Errorf("importer: the site has no section %q; its sections are %s", ld.opts.Section, strings.Join(slugs, ", "))
}

// write is the last step: the categories and every prepared post, in one transaction of the
// news service, with one audit entry for the whole import.
func (ld *loader) write(ctx context.Context, sp *spool) error {
	return ld.im.news.Batch(ctx, ld.news, func(b *news.Batch) error {
		sec, err := ld.section(b)
		if err != nil {
			return err
		}
		ld.rep.Section = sec.Path
		cats, err := ld.makeCategories(b, sec)
		if err != nil {
			return err
		}
		var done int64
		err = sp.each(func(p *prepared) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			p.Article.CategoryID = cats[p.Category]
			_, outcome, err := b.ImportSourced(p.Article)
			var verrs validate.Errors
			switch {
			case errors.As(err, &verrs):
				ld.rep.fail(p, verrs)
			case err != nil:
				return fmt.Errorf("importer: post %d (%s): %w", p.ID, p.Title, err)
			default:
				ld.rep.imported(p, outcome)
			}
			done++
			ld.progress("writing", done, sp.n, "posts")
			return nil
		})
		if err != nil {
			return err
		}
		return b.Record("import.wordpress", "wordpress "+ld.opts.Name, ld.rep.Summary())
	})
}

// section is the section the categories go into: the one asked for, else the first, else a
// new one.
func (ld *loader) section(b *news.Batch) (*news.Node, error) {
	for _, s := range b.Tree().Sections {
		if ld.opts.Section == "" || s.Slug == ld.opts.Section {
			return s, nil
		}
	}
	if ld.opts.Section != "" { // checked before; deleted since
		return nil, fmt.Errorf("importer: the site has no section %q", ld.opts.Section)
	}
	c, err := b.CreateCategory(defaultSection)
	if err != nil {
		return nil, fmt.Errorf("importer: make the section %s: %w", defaultSection.Name, err)
	}
	ld.rep.Categories.Created = append(ld.rep.Categories.Created, defaultSection.Name+" (a section)")
	return b.Tree().Node(c.ID), nil
}

// makeCategories finds or makes in sec a category for each WordPress category an imported
// post is in, and returns their ids by WordPress slug. The tree has sections and categories
// only, so nested categories are made side by side in sec, and reported.
func (ld *loader) makeCategories(b *news.Batch, sec *news.Node) (map[string]int64, error) {
	out := map[string]int64{}
	get := func(name, slug, desc string) (int64, bool, error) {
		if n := b.Tree().ByPath(sec.Path + "/" + slug); n != nil {
			return n.ID, false, nil
		}
		parent := sec.ID
		c, err := b.CreateCategory(news.CategoryInput{Name: cut(name, news.MaxCategoryNameLen), Slug: slug,
			Description: cut(desc, news.MaxCategoryDescriptionLen), ParentID: &parent, Visible: true})
		if err != nil {
			return 0, false, fmt.Errorf("importer: category %q: %w", name, err)
		}
		return c.ID, true, nil
	}
	for _, c := range ld.header.Categories {
		if !ld.used[c.Slug] {
			ld.rep.Categories.Unused = append(ld.rep.Categories.Unused, c.Name)
			continue
		}
		slug := categorySlug(c)
		id, made, err := get(c.Name, slug, wordpress.Text(c.Description))
		if err != nil {
			return nil, err
		}
		out[c.Slug] = id
		if made {
			ld.rep.Categories.Created = append(ld.rep.Categories.Created, c.Name)
		} else {
			ld.rep.Categories.Reused = append(ld.rep.Categories.Reused, c.Name)
		}
		if c.Parent != "" {
			ld.rep.Categories.Flattened = append(ld.rep.Categories.Flattened, ld.trail(c)+" → "+sec.Path+"/"+slug)
		}
	}
	if ld.used[""] { // posts without a category, as WordPress files them
		id, made, err := get("Uncategorized", "uncategorized", "")
		if err != nil {
			return nil, err
		}
		out[""] = id
		if made {
			ld.rep.Categories.Created = append(ld.rep.Categories.Created, "Uncategorized")
		}
	}
	return out, nil
}

// categorySlug is a WordPress category's slug as campusnews takes it: WordPress keeps
// non-Latin slugs percent-encoded, which are no slug here; then one made of the name, or of
// the category's number.
func categorySlug(c wordpress.Category) string {
	s := c.Slug
	if d, err := url.PathUnescape(s); err == nil {
		s = d
	}
	if news.ValidSlug(s) {
		return s
	}
	for _, t := range []string{s, c.Name} {
		if slug := news.Slugify(t); slug != "" {
			return slug
		}
	}
	return "category-" + strconv.FormatInt(c.ID, 10)
}

// trail is a category with its parents, "News › Research › Physics".
func (ld *loader) trail(c wordpress.Category) string {
	names := []string{c.Name}
	for p, n := c.Parent, 0; p != "" && n < 100; n++ {
		pc, ok := ld.categories[p]
		if !ok {
			break
		}
		names = append([]string{pc.Name}, names...)
		p = pc.Parent
	}
	return strings.Join(names, " › ")
}
