package demo

import (
	"context"

	"campusnews/internal/news"
)

// genPlan is where generated articles go: categories, tags, and what seeds the text.
type genPlan struct {
	news   int64    // the demo's News category, 0 if absent
	others []int64  // every other leaf category
	tags   []string // names
	seed   int64
}

// genCategories are created, in a "Generated" section, when the site has none.
var genCategories = []string{
	"Faculty News", "Science", "Engineering", "Medicine", "Humanities", "Business", "Law",
	"Education", "Arts & Culture", "Library", "Sport", "Student Union", "Careers",
	"Alumni Stories", "Community", "Sustainability", "International", "Innovation", "Health",
}

// planGeneration reads the categories and tags, first creating the "Generated" section when the
// site has no categories. A site without tags gets the first eight of the demo's, created as
// the articles use them.
func planGeneration(ctx context.Context, svc *news.Service) (*genPlan, error) {
	tree, err := svc.Tree(ctx)
	if err != nil {
		return nil, err
	}
	if len(tree.Sections) == 0 {
		if err := createGeneratedSection(ctx, svc); err != nil {
			return nil, err
		}
		if tree, err = svc.Tree(ctx); err != nil {
			return nil, err
		}
	}
	p := &genPlan{}
	for _, n := range tree.All() {
		switch {
		case len(n.Children) > 0 || !n.IsCategory():
		case n.Parent.Slug == "news-events" && n.Slug == "news":
			p.news = n.ID
		default:
			p.others = append(p.others, n.ID)
		}
	}
	tags, err := svc.Tags(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range tags {
		p.tags = append(p.tags, t.Name)
	}
	if len(p.tags) == 0 {
		p.tags = tagNames[:8]
	}
	if p.seed, err = svc.CountPublished(ctx); err != nil {
		return nil, err
	}
	return p, nil
}

func createGeneratedSection(ctx context.Context, svc *news.Service) error {
	return svc.Batch(ctx, Loader, func(b *news.Batch) error {
		sec, err := b.CreateCategory(news.CategoryInput{Name: "Generated", Slug: "generated",
			Description: "Articles generated for load tests.", Visible: true})
		if err != nil {
			return err
		}
		for _, name := range genCategories {
			if _, err := b.CreateCategory(news.CategoryInput{ParentID: &sec.ID, Name: name,
				Description: "Generated articles about " + name + ".", Visible: true}); err != nil {
				return err
			}
		}
		return nil
	})
}
