package news

import (
	"fmt"

	"gorm.io/gorm"
)

// ShownBeyondDrafts reports whether the image mediaID, whose stored files are named fileStem
// and a suffix, is shown by an article other than a draft of user userID: as its cover, or in
// its text. The media library asks it, with tx of the change it is about to make, before
// letting a writer change an image: a change would otherwise alter pages an editor approved.
// It stops at the first such article.
func (s *Service) ShownBeyondDrafts(tx *gorm.DB, mediaID int64, fileStem string, userID int64) (bool, error) {
	var ids []int64
	err := tx.Model(&Article{}).
		Where("cover_media_id = ? OR instr(body_source, ?) > 0", mediaID, fileStem).
		Where("NOT (status = ? AND created_by = ?)", Draft, userID).
		Limit(1).Pluck("id", &ids).Error
	if err != nil {
		return false, fmt.Errorf("news: use of image %d: %w", mediaID, err)
	}
	return len(ids) > 0, nil
}
