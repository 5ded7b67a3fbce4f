// Package search keeps the full-text index of published articles (SQLite FTS5) and answers
// reader queries with ranked, highlighted results.
package search

import (
	"fmt"
	"strings"

	"gorm.io/gorm"
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
	if err := tx.Exec("DELETE FROM articles_fts WHERE rowid = ?", id).Error; err != nil {
		return fmt.Errorf("search: remove %d: %w", id, err)
	}
	return nil
}

// MoveCategory records that the articles of category from now belong to category to, as when
// a category is deleted and its articles move.
func MoveCategory(tx *gorm.DB, from, to int64) error {
	if err := tx.Exec("UPDATE articles_fts SET category_id = ? WHERE category_id = ?", to, from).Error; err != nil {
		return fmt.Errorf("search: move category %d to %d: %w", from, to, err)
	}
	return nil
}

// markerStripper removes the private-use characters Search uses as highlight markers.
var markerStripper = strings.NewReplacer(markOpen, "", markClose, "")

// clean makes s valid UTF-8 without highlight markers.
func clean(s string) string {
	return markerStripper.Replace(strings.ToValidUTF8(s, "\uFFFD"))
}
