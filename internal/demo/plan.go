package demo

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"campusnews/internal/news"
)

// genPlan is where generated articles go: categories, tags and the id they follow.
type genPlan struct {
	news   int64   // the demo's News category, 0 if absent
	others []int64 // every other leaf category
	tags   []int64
	maxID  int64
}

// genCategories are created, in a "Generated" section, when the database has none.
var genCategories = []string{
	"Faculty News", "Science", "Engineering", "Medicine", "Humanities", "Business", "Law",
	"Education", "Arts & Culture", "Library", "Sport", "Student Union", "Careers",
	"Alumni Stories", "Community", "Sustainability", "International", "Innovation", "Health",
}

// planGeneration reads categories, tags and the largest article id, first creating the
// "Generated" section and a few tags if the database has no categories or no tags.
func planGeneration(ctx context.Context, conn *sql.Conn) (*genPlan, error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("demo: generate: begin: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	p := &genPlan{}
	if err := p.readCategories(ctx, tx); err != nil {
		return nil, err
	}
	if p.news == 0 && len(p.others) == 0 {
		if err := createGeneratedSection(ctx, tx); err != nil {
			return nil, err
		}
		if err := p.readCategories(ctx, tx); err != nil {
			return nil, err
		}
	}
	if p.tags, err = tagIDs(ctx, tx); err != nil {
		return nil, err
	}
	if len(p.tags) == 0 {
		for _, name := range tagNames[:8] {
			if _, err := tx.ExecContext(ctx, "INSERT INTO tags (name, slug) VALUES (?, ?)", name, news.Slugify(name)); err != nil {
				return nil, fmt.Errorf("demo: generate: tag %s: %w", name, err)
			}
		}
		if p.tags, err = tagIDs(ctx, tx); err != nil {
			return nil, err
		}
	}
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM articles").Scan(&p.maxID); err != nil {
		return nil, fmt.Errorf("demo: generate: last id: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("demo: generate: commit: %w", err)
	}
	return p, nil
}

// readCategories sorts the leaf categories (those without children) into News and the rest.
func (p *genPlan) readCategories(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT c.id, c.slug, IFNULL(s.slug, ''),
		EXISTS (SELECT 1 FROM categories k WHERE k.parent_id = c.id)
		FROM categories c LEFT JOIN categories s ON s.id = c.parent_id ORDER BY c.id`)
	if err != nil {
		return fmt.Errorf("demo: generate: categories: %w", err)
	}
	defer rows.Close()
	p.news, p.others = 0, nil
	for rows.Next() {
		var id int64
		var slug, parent string
		var hasChildren bool
		if err := rows.Scan(&id, &slug, &parent, &hasChildren); err != nil {
			return fmt.Errorf("demo: generate: categories: %w", err)
		}
		switch {
		case hasChildren:
		case parent == "news-events" && slug == "news":
			p.news = id
		default:
			p.others = append(p.others, id)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("demo: generate: categories: %w", err)
	}
	return nil
}

func createGeneratedSection(ctx context.Context, tx *sql.Tx) error {
	now := time.Now().UTC().Truncate(time.Second)
	const insert = `INSERT INTO categories (parent_id, name, slug, description, position, visible, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, 1, ?, ?)`
	res, err := tx.ExecContext(ctx, insert, nil, "Generated", "generated",
		"Articles generated for load tests.", 1, now, now)
	if err != nil {
		return fmt.Errorf("demo: generate: section: %w", err)
	}
	section, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("demo: generate: section: %w", err)
	}
	for i, name := range genCategories {
		if _, err := tx.ExecContext(ctx, insert, section, name, news.Slugify(name),
			"Generated articles about "+name+".", i+1, now, now); err != nil {
			return fmt.Errorf("demo: generate: category %s: %w", name, err)
		}
	}
	return nil
}

func tagIDs(ctx context.Context, tx *sql.Tx) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, "SELECT id FROM tags ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("demo: generate: tags: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("demo: generate: tags: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
