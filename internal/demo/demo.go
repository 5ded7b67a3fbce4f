// Package demo loads the demonstration content of a university news site and generates bulk
// articles for load tests.
package demo

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"campusnews/internal/markup"
	"campusnews/internal/news"
	"campusnews/internal/search"
)

// ErrNotEmpty is returned by Load when the database already has categories.
var ErrNotEmpty = errors.New("demo: database already has content")

// Stats counts what Load stored.
type Stats struct {
	Sections   int // top-level categories
	Categories int // categories inside sections
	Articles   int // every status
	Tags       int
}

// siteCreated is when the demo site's sections and categories were set up.
var siteCreated = time.Date(2018, time.January, 8, 9, 0, 0, 0, time.UTC)

// Load fills an empty database with the demonstration site, in one transaction: sections and
// categories, tags, the made-up articles and the reference articles embedded in content/.
// Published articles are indexed for search; drafts, articles in review and expired notices
// are not. It returns ErrNotEmpty if any category exists.
func Load(ctx context.Context, db *gorm.DB) (Stats, error) {
	var st Stats
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&news.Category{}).Count(&n).Error; err != nil {
			return fmt.Errorf("demo: count categories: %w", err)
		}
		if n > 0 {
			return ErrNotEmpty
		}
		l := loader{tx: tx, cats: map[string]int64{}, tags: map[string]int64{}, slugs: map[string]bool{}}
		if err := l.categories(&st); err != nil {
			return err
		}
		if err := l.tagSet(&st); err != nil {
			return err
		}
		for _, a := range demoArticles {
			if err := l.article(a); err != nil {
				return err
			}
			st.Articles++
		}
		refs, err := referenceArticles()
		if err != nil {
			return err
		}
		for _, a := range refs {
			if err := l.article(a); err != nil {
				return err
			}
			st.Articles++
		}
		return nil
	})
	if err != nil {
		return Stats{}, err
	}
	return st, nil
}

// loader carries what Load has created so far inside its transaction.
type loader struct {
	tx    *gorm.DB
	cats  map[string]int64 // by slug path ("section", "section/category") and "Section › Category"
	tags  map[string]int64 // by slug
	slugs map[string]bool  // article slugs taken
}

func (l *loader) categories(st *Stats) error {
	for i, s := range siteSections {
		sec := news.Category{Name: s.Name, Slug: s.Slug, Description: s.Description, Position: i + 1,
			Visible: true, CreatedAt: siteCreated, UpdatedAt: siteCreated}
		if err := l.tx.Create(&sec).Error; err != nil {
			return fmt.Errorf("demo: section %s: %w", s.Slug, err)
		}
		st.Sections++
		l.cats[s.Slug] = sec.ID
		for j, c := range s.Categories {
			cat := news.Category{ParentID: &sec.ID, Name: c.Name, Slug: c.Slug, Description: c.Description,
				Position: j + 1, Visible: true, CreatedAt: siteCreated, UpdatedAt: siteCreated}
			if err := l.tx.Create(&cat).Error; err != nil {
				return fmt.Errorf("demo: category %s/%s: %w", s.Slug, c.Slug, err)
			}
			st.Categories++
			l.cats[s.Slug+"/"+c.Slug] = cat.ID
			l.cats[s.Name+" › "+c.Name] = cat.ID
		}
	}
	return nil
}

func (l *loader) tagSet(st *Stats) error {
	for _, name := range tagNames {
		t := news.Tag{Name: name, Slug: news.Slugify(name)}
		if err := l.tx.Create(&t).Error; err != nil {
			return fmt.Errorf("demo: tag %s: %w", name, err)
		}
		l.tags[t.Slug] = t.ID
		st.Tags++
	}
	return nil
}

// uniqueSlug returns Slugify(title), with "-2", "-3"… appended while it is taken.
func (l *loader) uniqueSlug(title string) string {
	base := news.Slugify(title)
	slug := base
	for i := 2; l.slugs[slug]; i++ {
		slug = base + "-" + strconv.Itoa(i)
	}
	l.slugs[slug] = true
	return slug
}

// article stores d with its tags, and indexes it if it is published.
func (l *loader) article(d demoArticle) error {
	catID, ok := l.cats[d.Category]
	if !ok {
		return fmt.Errorf("demo: article %q: unknown category %q", d.Title, d.Category)
	}
	status := d.Status
	if status == "" {
		status = news.Published
	}
	a := news.Article{
		CategoryID:   catID,
		Title:        d.Title,
		Slug:         l.uniqueSlug(d.Title),
		Summary:      d.Summary,
		BodySource:   d.Body,
		BodyHTML:     markup.Render(d.Body),
		Source:       d.Source,
		Author:       d.Author,
		Photographer: d.Photographer,
		Editor:       d.Editor,
		Status:       status,
		Pinned:       d.Pinned,
		Featured:     d.Featured,
	}
	if a.Summary == "" {
		a.Summary = markup.Excerpt(d.Body, 200)
	}
	if err := setTimes(&a, d); err != nil {
		return fmt.Errorf("demo: article %q: %w", d.Title, err)
	}
	if a.PublishedAt != nil {
		a.Views = demoViews(a.Slug, *a.PublishedAt)
	}
	if err := l.tx.Omit(clause.Associations).Create(&a).Error; err != nil {
		return fmt.Errorf("demo: article %q: %w", d.Title, err)
	}
	for _, t := range d.Tags {
		id, ok := l.tags[t]
		if !ok {
			return fmt.Errorf("demo: article %q: unknown tag %q", d.Title, t)
		}
		if err := l.tx.Exec("INSERT INTO article_tags (article_id, tag_id) VALUES (?, ?)", a.ID, id).Error; err != nil {
			return fmt.Errorf("demo: article %q: tag %s: %w", d.Title, t, err)
		}
	}
	if status != news.Published {
		return nil
	}
	return search.Index(l.tx, search.Doc{ID: a.ID, Title: a.Title, Summary: a.Summary, Body: markup.PlainText(a.BodySource)})
}

// setTimes fills a's timestamps from d. A published article was written the afternoon before
// it went out and last changed when it was published.
func setTimes(a *news.Article, d demoArticle) error {
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
