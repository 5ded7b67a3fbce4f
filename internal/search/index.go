// Package search keeps the full-text index of published articles (SQLite's FTS5 table
// articles_fts, or PostgreSQL's search_docs with a tsvector and a GIN index) and answers
// reader queries with ranked, highlighted results. Each engine's SQL stays in this package.
package search

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"campusnews/internal/database"
)

// Doc is what the index holds of one published article: plain text, no markup.
type Doc struct {
	ID         int64
	CategoryID int64 // so that a search can leave out hidden categories
	Title      string
	Summary    string
	Body       string
}

// Index adds or replaces doc. Call it inside the transaction that publishes or changes the
// article so the index never disagrees with the pages. The highlight markers Search relies on
// are removed from the text first, so an article cannot forge a <mark>.
func Index(tx *gorm.DB, doc Doc) error {
	doc.Title, doc.Summary, doc.Body = clean(doc.Title), clean(doc.Summary), clean(doc.Body)
	if database.Engine(tx) == database.Postgres {
		// PostgreSQL computes tsv from the three texts.
		if err := tx.Exec(`INSERT INTO search_docs (article_id, category_id, title, summary, body) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (article_id) DO UPDATE SET category_id = excluded.category_id, title = excluded.title,
				summary = excluded.summary, body = excluded.body`,
			doc.ID, doc.CategoryID, lessOut(doc.Title), lessOut(doc.Summary), lessOut(doc.Body)).Error; err != nil {
			return fmt.Errorf("search: index %d: %w", doc.ID, err)
		}
		return nil
	}
	if err := tx.Exec("DELETE FROM articles_fts WHERE rowid = ?", doc.ID).Error; err != nil {
		return fmt.Errorf("search: index %d: %w", doc.ID, err)
	}
	if err := tx.Exec("INSERT INTO articles_fts (rowid, title, summary, body, category_id) VALUES (?, ?, ?, ?, ?)",
		doc.ID, doc.Title, doc.Summary, doc.Body, doc.CategoryID).Error; err != nil {
		return fmt.Errorf("search: index %d: %w", doc.ID, err)
	}
	return nil
}

// Remove drops article id from the index (unpublished, expired, archived or deleted).
func Remove(tx *gorm.DB, id int64) error {
	if err := tx.Exec("DELETE FROM "+table(tx)+" WHERE "+key(tx)+" = ?", id).Error; err != nil {
		return fmt.Errorf("search: remove %d: %w", id, err)
	}
	return nil
}

// MoveCategory records that the articles of category from now belong to category to, as when
// a category is deleted and its articles move.
func MoveCategory(tx *gorm.DB, from, to int64) error {
	if err := tx.Exec("UPDATE "+table(tx)+" SET category_id = ? WHERE category_id = ?", to, from).Error; err != nil {
		return fmt.Errorf("search: move category %d to %d: %w", from, to, err)
	}
	return nil
}

// Optimize merges the index into one segment after a bulk load. Each transaction of a load
// adds a segment and FTS5 merges them only a few at a time, and a query reads every segment:
// "research students" over 100,000 generated articles ranked in 8.9–9.6 ms from 24 segments
// and in 7.7–8.2 ms from one. PostgreSQL's GIN index needs nothing.
func Optimize(ctx context.Context, db *gorm.DB) error {
	if database.Engine(db) == database.Postgres {
		return nil
	}
	if err := db.WithContext(ctx).Exec("INSERT INTO articles_fts (articles_fts) VALUES ('optimize')").Error; err != nil {
		return fmt.Errorf("search: optimize: %w", err)
	}
	return nil
}

// table is the index's table in tx's engine, key its article id column.
func table(tx *gorm.DB) string {
	if database.Engine(tx) == database.Postgres {
		return "search_docs"
	}
	return "articles_fts"
}

func key(tx *gorm.DB) string {
	if database.Engine(tx) == database.Postgres {
		return "article_id"
	}
	return "rowid"
}

// markerStripper removes the private-use characters Search uses as highlight markers.
var markerStripper = strings.NewReplacer(markOpen, "", markClose, "")

// textCleaner is markerStripper that also drops NUL, which PostgreSQL's text cannot hold, and
// the character that stands for "<" in PostgreSQL's index.
var textCleaner = strings.NewReplacer(markOpen, "", markClose, "", pgLess, "", "\x00", "")

// clean makes s valid UTF-8 without highlight markers, pgLess or NUL.
func clean(s string) string {
	return textCleaner.Replace(strings.ToValidUTF8(s, "\uFFFD"))
}
