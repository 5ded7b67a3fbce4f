// Package demo loads the demonstration content of a university news site and generates bulk
// articles for load tests.
package demo

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"time"

	"campusnews/internal/markup"
	"campusnews/internal/news"
)

// ErrNotEmpty is returned by Load when the database already has categories.
var ErrNotEmpty = errors.New("demo: database already has content")

// Stats counts what Load stored.
type Stats struct {
	Sections   int // top-level categories
	Categories int // categories inside sections
	Articles   int // every status
	Tags       int
	Photos     int // covers stored in the media library (LoadWithPhotos)
}

// siteCreated is when the demo site's sections and categories were set up.
var siteCreated = time.Date(2018, time.January, 8, 9, 0, 0, 0, time.UTC)

// Loader is who loads the demo site: nobody signed in, allowed to place and publish.
var Loader = news.Actor{Via: "demo site", CanPublish: true, CanEditAny: true}

// Load fills an empty site with the demonstration content through the news service, in one
// transaction: sections and categories, the made-up articles with their tags, and the
// reference articles embedded in content/. It returns ErrNotEmpty if any category exists.
// The articles have no photos; LoadWithPhotos adds them.
func Load(ctx context.Context, svc *news.Service) (Stats, error) {
	return load(ctx, svc, nil)
}

// load is Load with covers: the media id of the cover of each article, by its title.
func load(ctx context.Context, svc *news.Service, covers map[string]int64) (Stats, error) {
	var st Stats
	err := svc.Batch(ctx, Loader, func(b *news.Batch) error {
		if len(b.Tree().Sections) > 0 {
			return ErrNotEmpty
		}
		st = Stats{}
		l := loader{b: b, cats: map[string]int64{}, now: time.Now(), covers: covers}
		if err := l.categories(&st); err != nil {
			return err
		}
		refs, err := referenceArticles()
		if err != nil {
			return err
		}
		tags := map[string]bool{}
		for _, a := range append(append(append([]demoArticle{}, demoArticles...), refs...), eventArticles(l.now)...) {
			if err := l.article(a); err != nil {
				return err
			}
			st.Articles++
			for _, t := range a.Tags {
				tags[t] = true
			}
		}
		st.Tags = len(tags)
		return b.Record("demo.load", "site", fmt.Sprintf("%d sections, %d categories, %d articles, %d tags",
			st.Sections, st.Categories, st.Articles, st.Tags))
	})
	if err != nil {
		return Stats{}, err
	}
	return st, nil
}

// loader carries what Load has created so far inside its batch.
type loader struct {
	b      *news.Batch
	cats   map[string]int64 // by slug path ("section", "section/category") and "Section › Category"
	now    time.Time        // the day events are dated from
	covers map[string]int64 // cover images by article title
}

func (l *loader) categories(st *Stats) error {
	for _, s := range siteSections {
		sec, err := l.b.CreateCategory(news.CategoryInput{Name: s.Name, Slug: s.Slug, Description: s.Description, Visible: true})
		if err != nil {
			return fmt.Errorf("demo: section %s: %w", s.Slug, err)
		}
		st.Sections++
		l.cats[s.Slug] = sec.ID
		for _, c := range s.Categories {
			cat, err := l.b.CreateCategory(news.CategoryInput{ParentID: &sec.ID, Name: c.Name, Slug: c.Slug,
				Description: c.Description, Visible: true})
			if err != nil {
				return fmt.Errorf("demo: category %s/%s: %w", s.Slug, c.Slug, err)
			}
			st.Categories++
			l.cats[s.Slug+"/"+c.Slug] = cat.ID
			l.cats[s.Name+" › "+c.Name] = cat.ID
		}
	}
	return nil
}

// tagName is the name of the demo tag with slug.
func tagName(slug string) (string, bool) {
	for _, n := range tagNames {
		if news.Slugify(n) == slug {
			return n, true
		}
	}
	return "", false
}

// article imports d with its tags.
func (l *loader) article(d demoArticle) error {
	catID, ok := l.cats[d.Category]
	if !ok {
		return fmt.Errorf("demo: article %q: unknown category %q", d.Title, d.Category)
	}
	im := news.Imported{
		ArticleInput: news.ArticleInput{
			CategoryID: catID, Title: d.Title, Summary: d.Summary, BodySource: d.Body,
			Source: d.Source, Author: d.Author, Photographer: d.Photographer, Editor: d.Editor,
			Pinned: d.Pinned, Featured: d.Featured,
		},
		Status: d.Status,
	}
	if im.Status == "" {
		im.Status = news.Published
	}
	if id, ok := l.covers[d.Title]; ok {
		// The photo carries its own credit; the made-up photographer would contradict it.
		im.CoverMediaID, im.Photographer = &id, ""
	}
	if im.Summary == "" {
		im.Summary = markup.Excerpt(d.Body, 200)
	}
	for _, t := range d.Tags {
		name, ok := tagName(t)
		if !ok {
			return fmt.Errorf("demo: article %q: unknown tag %q", d.Title, t)
		}
		im.Tags = append(im.Tags, name)
	}
	if err := setTimes(&im, d); err != nil {
		return fmt.Errorf("demo: article %q: %w", d.Title, err)
	}
	if e, ok := eventFor(d.Title); ok {
		var err error
		if im.Event, err = e.input(l.now); err != nil {
			return err
		}
	}
	if im.PublishedAt != nil {
		im.Views = demoViews(news.Slugify(d.Title), *im.PublishedAt)
	}
	if _, err := l.b.Import(im); err != nil {
		return fmt.Errorf("demo: article %q: %w", d.Title, err)
	}
	return nil
}

// setTimes fills a's timestamps from d. A published article was written the afternoon before
// it went out and last changed when it was published.
func setTimes(a *news.Imported, d demoArticle) error {
	var err error
	if a.CreatedAt, err = demoTime(d.Created); err != nil {
		return err
	}
	a.UpdatedAt = a.CreatedAt
	if d.Published != "" {
		p, err := demoTime(d.Published)
		if err != nil {
			return err
		}
		a.PublishedAt = &p
		if d.Created == "" {
			a.CreatedAt = p.Add(-19 * time.Hour)
		}
		a.UpdatedAt = p
	}
	if d.Expires != "" {
		e, err := demoTime(d.Expires)
		if err != nil {
			return err
		}
		a.ExpiresAt = &e
	}
	return nil
}

// demoTime parses "2006-01-02 15:04" or "2006-01-02" (08:00) in UTC; "" is the site's start.
func demoTime(s string) (time.Time, error) {
	switch len(s) {
	case 0:
		return siteCreated, nil
	case len("2006-01-02"):
		t, err := time.Parse("2006-01-02", s)
		return t.Add(8 * time.Hour), err
	default:
		return time.Parse("2006-01-02 15:04", s)
	}
}

// demoViews gives an article a plausible, repeatable view count: a hash of its slug, grown
// with its age.
func demoViews(slug string, published time.Time) int64 {
	h := fnv.New32a()
	h.Write([]byte(slug)) //nolint:errcheck // a hash never fails
	days := int64(siteNow.Sub(published).Hours() / 24)
	if days < 1 {
		days = 1
	}
	if days > 720 {
		days = 720
	}
	return 40 + int64(h.Sum32()%900) + days*int64(2+h.Sum32()%5)
}

// siteNow anchors view counts, so they do not change from one load to the next.
var siteNow = time.Date(2026, time.November, 1, 0, 0, 0, 0, time.UTC)
