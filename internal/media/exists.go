package media

import (
	"fmt"

	"gorm.io/gorm"
)

// Exists reports whether the library holds the image with id, read with db, which may be the
// transaction of a change that is about to point at it.
func Exists(db *gorm.DB, id int64) (bool, error) {
	var n int64
	if err := db.Model(&Media{}).Where("id = ?", id).Limit(1).Count(&n).Error; err != nil {
		return false, fmt.Errorf("media: exists %d: %w", id, err)
	}
	return n > 0, nil
}
