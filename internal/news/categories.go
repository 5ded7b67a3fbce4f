package news

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"campusnews/internal/audit"
	"campusnews/internal/database"
	"campusnews/internal/search"
	"campusnews/internal/validate"
)

// ErrCategoryNotEmpty means a category still holds articles or, for a section, categories.
// The error returned is a *CategoryNotEmptyError, which tells how many.
var ErrCategoryNotEmpty = errors.New("news: category not empty")

// CategoryNotEmptyError tells what keeps a category from being deleted. errors.Is matches it
// with ErrCategoryNotEmpty.
type CategoryNotEmptyError struct {
	Articles int64 // in any status
	Children int64 // categories of a section
}

// Error describes what is left.
func (e *CategoryNotEmptyError) Error() string {
	return fmt.Sprintf("news: category not empty: %d articles, %d categories", e.Articles, e.Children)
}

// Is makes errors.Is(err, ErrCategoryNotEmpty) true.
func (e *CategoryNotEmptyError) Is(target error) bool { return target == ErrCategoryNotEmpty }

// Limits of the category form.
const (
	MaxCategoryNameLen        = 80
	MaxCategoryDescriptionLen = 500
)

// CategoryInput is what the category form edits. ParentID nil makes a section.
type CategoryInput struct {
	Name, Slug, Description string
	ParentID                *int64
	Visible                 bool
}

// validate checks in, apart from what needs the database (sibling slugs), with the keys name,
// slug, description and parent_id. id is the category being changed, 0 for a new one.
func (in *CategoryInput) validate(tree *Tree, id int64) validate.Errors {
	in.Name, in.Slug, in.Description = strings.TrimSpace(in.Name), strings.TrimSpace(in.Slug), strings.TrimSpace(in.Description)
	errs := validate.Errors{}
	errs.Required("name", in.Name, "Name")
	errs.MaxLen("name", in.Name, MaxCategoryNameLen, "Name")
	errs.MaxLen("description", in.Description, MaxCategoryDescriptionLen, "Description")
	if in.Slug == "" {
		in.Slug = Slugify(in.Name)
		if in.Slug == "" && in.Name != "" {
			errs.Add("slug", "Choose an address: the name has no letters or digits")
		}
	} else if !ValidSlug(in.Slug) {
		errs.Add("slug", "Use lower-case letters, digits and hyphens")
	}
	if in.ParentID == nil {
		if ReservedSlugs[in.Slug] {
			errs.Add("slug", "This address is used by the site itself")
		}
		return errs
	}
	parent := tree.Node(*in.ParentID)
	switch {
	case parent == nil || !parent.IsSection() || parent.ID == id:
		errs.Add("parent_id", "Choose a section")
	case id != 0 && tree.Node(id) != nil && len(tree.Node(id).Children) > 0:
		errs.Add("parent_id", "A section that has categories cannot move into another section")
	}
	return errs
}

// msgCategorySlugTaken is the form's error for a slug a sibling has.
const msgCategorySlugTaken = "A category with this slug already exists here"

// siblingSlugTaken reports whether another category under parent (nil: the sections) has slug.
func siblingSlugTaken(tx *gorm.DB, parent *int64, slug string, exceptID int64) (bool, error) {
	var n int64
	err := tx.Model(&Category{}).Where(siblingKey(tx)+" = ? AND slug = ? AND id <> ?", parentKey(parent), slug, exceptID).
		Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("news: check category slug %q: %w", slug, err)
	}
	return n > 0, nil
}

// siblingKey is the expression of the index categories_sibling_slug as each engine's
// migration wrote it, so that the check reads the index.
func siblingKey(tx *gorm.DB) string {
	if database.Engine(tx) == database.Postgres {
		return "COALESCE(parent_id, 0)"
	}
	return "IFNULL(parent_id, 0)"
}

// lockCategories makes, on PostgreSQL, the category writes of every instance take turns until
// tx ends: each reads the siblings' slugs and positions and then writes them, which under
// READ COMMITTED could otherwise interleave (SQLite's one writer already takes turns). They
// are rare, so one lock for all does.
func lockCategories(tx *gorm.DB) error {
	if database.Engine(tx) != database.Postgres {
		return nil
	}
	if err := tx.Exec("SELECT pg_advisory_xact_lock(hashtextextended('campusnews.categories', 0))").Error; err != nil {
		return fmt.Errorf("news: lock categories: %w", err)
	}
	return nil
}

func parentKey(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// checkCategory validates in and its slug among its future siblings, returning the errors.
// A category that holds articles may not become a section: articles in a section have no
// address.
func checkCategory(tx *gorm.DB, tree *Tree, in *CategoryInput, id int64) error {
	if err := lockCategories(tx); err != nil {
		return err
	}
	errs := in.validate(tree, id)
	if _, bad := errs["slug"]; !bad {
		taken, err := siblingSlugTaken(tx, in.ParentID, in.Slug, id)
		if err != nil {
			return err
		}
		if taken {
			errs.Add("slug", msgCategorySlugTaken)
		}
	}
	if n := tree.Node(id); n != nil && !n.IsSection() && in.ParentID == nil {
		var held int64
		if err := tx.Model(&Article{}).Where("category_id = ?", id).Count(&held).Error; err != nil {
			return fmt.Errorf("news: count articles of %d: %w", id, err)
		}
		if held > 0 {
			errs.Add("parent_id", fmt.Sprintf("A section cannot hold articles, and this category holds %d. "+
				"Move them to another category first, or choose a section to place it in.", held))
		}
	}
	return errs.Err()
}

// CreateCategory adds a section (ParentID nil) or a category inside a section, placed last.
// Editors and admins only; which of them may is the caller's rule.
func (s *Service) CreateCategory(ctx context.Context, a Actor, in CategoryInput) (*Category, error) {
	if !a.CanPublish {
		return nil, ErrForbidden
	}
	tree, err := s.Tree(ctx)
	if err != nil {
		return nil, err
	}
	var c *Category
	err = s.write(ctx, func(tx *gorm.DB) (bool, error) {
		c, err = s.createCategory(tx, tree, a, in)
		return true, err
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// createCategory is CreateCategory inside tx, against tree as it stands in tx.
func (s *Service) createCategory(tx *gorm.DB, tree *Tree, a Actor, in CategoryInput) (*Category, error) {
	if err := checkCategory(tx, tree, &in, 0); err != nil {
		return nil, err
	}
	pos, err := nextPosition(tx, in.ParentID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	c := Category{ParentID: in.ParentID, Name: in.Name, Slug: in.Slug, Description: in.Description,
		Position: pos, Visible: in.Visible, CreatedAt: now, UpdatedAt: now}
	if err := tx.Create(&c).Error; database.IsUniqueViolation(err) {
		return nil, validate.Errors{"slug": msgCategorySlugTaken}
	} else if err != nil {
		return nil, fmt.Errorf("news: create category: %w", err)
	}
	return &c, recordCategory(tx, a, "category.create", c.ID, c.Name, now)
}

// UpdateCategory renames, re-addresses, hides or shows a category, or moves it to another
// section (placed last there). A section that has categories cannot become a category.
func (s *Service) UpdateCategory(ctx context.Context, a Actor, id int64, in CategoryInput) (*Category, error) {
	if !a.CanPublish {
		return nil, ErrForbidden
	}
	tree, err := s.Tree(ctx)
	if err != nil {
		return nil, err
	}
	var c Category
	err = s.write(ctx, func(tx *gorm.DB) (bool, error) {
		if err := lockCategories(tx); err != nil {
			return false, err
		}
		if err := tx.Where("id = ?", id).Take(&c).Error; err != nil {
			return false, notFound(err, "category", id)
		}
		if err := checkCategory(tx, tree, &in, id); err != nil {
			return false, err
		}
		now := s.now()
		oldParent := c.ParentID
		moved := parentKey(oldParent) != parentKey(in.ParentID)
		if moved {
			pos, err := nextPosition(tx, in.ParentID)
			if err != nil {
				return false, err
			}
			c.Position = pos
		}
		c.ParentID, c.Name, c.Slug, c.Description, c.Visible, c.UpdatedAt = in.ParentID, in.Name, in.Slug, in.Description, in.Visible, now
		err := tx.Model(&Category{}).Where("id = ?", id).Updates(map[string]any{
			"parent_id": c.ParentID, "name": c.Name, "slug": c.Slug, "description": c.Description,
			"visible": c.Visible, "position": c.Position, "updated_at": now,
		}).Error
		if database.IsUniqueViolation(err) {
			return false, validate.Errors{"slug": msgCategorySlugTaken}
		}
		if err != nil {
			return false, fmt.Errorf("news: update category %d: %w", id, err)
		}
		if moved {
			if _, err := renumber(tx, oldParent, 0, 0); err != nil {
				return false, err
			}
		}
		return true, recordCategory(tx, a, "category.update", id, c.Name, now)
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// MoveCategory moves a category delta places among its siblings (-1 up, +1 down), stopping at
// either end, and numbers the siblings' positions 0…n-1. It reports false, changing nothing,
// when the category is already at the end it would move towards.
func (s *Service) MoveCategory(ctx context.Context, a Actor, id int64, delta int) (bool, error) {
	if !a.CanPublish {
		return false, ErrForbidden
	}
	var moved bool
	err := s.write(ctx, func(tx *gorm.DB) (bool, error) {
		if err := lockCategories(tx); err != nil {
			return false, err
		}
		var c Category
		if err := tx.Where("id = ?", id).Take(&c).Error; err != nil {
			return false, notFound(err, "category", id)
		}
		var err error
		if moved, err = renumber(tx, c.ParentID, id, delta); err != nil || !moved {
			return false, err
		}
		return true, recordCategory(tx, a, "category.move", id, fmt.Sprintf("%s (%+d)", c.Name, delta), s.now())
	})
	return moved, err
}

// DeleteCategory deletes a category. One that holds articles is refused with a
// *CategoryNotEmptyError unless moveTo names another category (not a section), which then
// receives them in the same transaction. A section that still has categories is always refused.
func (s *Service) DeleteCategory(ctx context.Context, a Actor, id int64, moveTo *int64) error {
	if !a.CanPublish {
		return ErrForbidden
	}
	return s.write(ctx, func(tx *gorm.DB) (bool, error) {
		if err := lockCategories(tx); err != nil {
			return false, err
		}
		var c Category
		if err := tx.Where("id = ?", id).Take(&c).Error; err != nil {
			return false, notFound(err, "category", id)
		}
		var left CategoryNotEmptyError
		if err := tx.Model(&Category{}).Where("parent_id = ?", id).Count(&left.Children).Error; err != nil {
			return false, fmt.Errorf("news: count children of %d: %w", id, err)
		}
		if err := tx.Model(&Article{}).Where("category_id = ?", id).Count(&left.Articles).Error; err != nil {
			return false, fmt.Errorf("news: count articles of %d: %w", id, err)
		}
		if left.Children > 0 || (left.Articles > 0 && moveTo == nil) {
			return false, &left
		}
		now := s.now()
		detail := c.Name
		if left.Articles > 0 {
			if err := moveArticles(tx, id, *moveTo, now); err != nil {
				return false, err
			}
			detail = fmt.Sprintf("%s (%d articles moved to category %d)", c.Name, left.Articles, *moveTo)
		}
		if err := tx.Exec("DELETE FROM categories WHERE id = ?", id).Error; err != nil {
			return false, fmt.Errorf("news: delete category %d: %w", id, err)
		}
		if _, err := renumber(tx, c.ParentID, 0, 0); err != nil {
			return false, err
		}
		return true, recordCategory(tx, a, "category.delete", id, detail, now)
	})
}

// moveArticles gives every article of category from to category to, which must be another
// category, not a section: in a section the articles would have no address.
func moveArticles(tx *gorm.DB, from, to int64, now time.Time) error {
	var target Category
	err := tx.Where("id = ? AND id <> ?", to, from).Take(&target).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return validate.Errors{"move_to": "Choose another category for the articles"}
	case err != nil:
		return fmt.Errorf("news: check category %d: %w", to, err)
	case target.IsSection():
		return validate.Errors{"move_to": "Choose a category, not a section: articles cannot be placed directly in a section"}
	}
	if err := tx.Exec("UPDATE articles SET category_id = ?, updated_at = ? WHERE category_id = ?", to, now, from).Error; err != nil {
		return fmt.Errorf("news: move articles of %d: %w", from, err)
	}
	return search.MoveCategory(tx, from, to)
}

// CategoryArticleCounts returns how many articles, in any status, each category holds.
// Categories without articles are absent.
func (s *Service) CategoryArticleCounts(ctx context.Context) (map[int64]int64, error) {
	var rows []struct {
		CategoryID int64
		N          int64
	}
	if err := s.db.WithContext(ctx).Raw("SELECT category_id, COUNT(*) AS n FROM articles GROUP BY category_id").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("news: count articles per category: %w", err)
	}
	out := make(map[int64]int64, len(rows))
	for _, r := range rows {
		out[r.CategoryID] = r.N
	}
	return out, nil
}

func recordCategory(tx *gorm.DB, a Actor, action string, id int64, detail string, now time.Time) error {
	e := a.Entry(action, fmt.Sprintf("category %d", id), detail)
	e.At = now
	return audit.Record(tx, e)
}

func notFound(err error, what string, id int64) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return fmt.Errorf("news: %s %d: %w", what, id, err)
}
