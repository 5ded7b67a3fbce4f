package news

import (
	"fmt"
	"slices"

	"gorm.io/gorm"
)

// siblings scopes a query to the categories under parent (nil: the sections).
func siblings(tx *gorm.DB, parent *int64) *gorm.DB {
	q := tx.Model(&Category{})
	if parent == nil {
		return q.Where("parent_id IS NULL")
	}
	return q.Where("parent_id = ?", *parent)
}

// nextPosition is the position after the last of parent's children.
func nextPosition(tx *gorm.DB, parent *int64) (int, error) {
	var pos int
	if err := siblings(tx, parent).Select("COALESCE(MAX(position) + 1, 0)").Scan(&pos).Error; err != nil {
		return 0, fmt.Errorf("news: next category position: %w", err)
	}
	return pos, nil
}

// renumber gives parent's children the positions 0…n-1 in their present order (the tree's:
// position, name, id), after moving category id delta places when id is not 0. When id is
// already at the end it moves towards, nothing is written and renumber reports false.
func renumber(tx *gorm.DB, parent *int64, id int64, delta int) (bool, error) {
	var ids []int64
	if err := siblings(tx, parent).Order("position, name, id").Pluck("id", &ids).Error; err != nil {
		return false, fmt.Errorf("news: read category order: %w", err)
	}
	if id != 0 {
		moved := shift(ids, id, delta)
		if slices.Equal(moved, ids) {
			return false, nil
		}
		ids = moved
	}
	for pos, cid := range ids {
		if err := tx.Exec("UPDATE categories SET position = ? WHERE id = ? AND position <> ?", pos, cid, pos).Error; err != nil {
			return false, fmt.Errorf("news: number category %d: %w", cid, err)
		}
	}
	return true, nil
}

// shift moves id delta places within ids, stopping at either end.
func shift(ids []int64, id int64, delta int) []int64 {
	from := -1
	for i, v := range ids {
		if v == id {
			from = i
		}
	}
	if from < 0 {
		return ids
	}
	to := min(max(from+delta, 0), len(ids)-1)
	out := make([]int64, 0, len(ids))
	for i, v := range ids {
		if i != from {
			out = append(out, v)
		}
	}
	return slices.Insert(out, to, id)
}
