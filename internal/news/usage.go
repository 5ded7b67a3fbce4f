package news

import (
	"fmt"

	"gorm.io/gorm"
)

// ShownBeyondDrafts reports whether the image mediaID, whose stored files are named fileStem
// and a suffix, is shown by an article other than a draft of user userID: as its cover, or in
// its text. The media library asks it, with tx of the change it is about to make, before
// letting a writer change an image: a change would otherwise alter pages an editor approved.
// The cover is looked up in its index; the text is searched (fileStem is hex, so it holds no
// LIKE wildcard).
func (s *Service) ShownBeyondDrafts(tx *gorm.DB, mediaID int64, fileStem string, userID int64) (bool, error) {
	var shown bool
	err := scanValues(tx.Raw(`SELECT EXISTS (SELECT 1 FROM articles a WHERE a.cover_media_id = ?
			AND NOT (a.status = ? AND a.created_by = ?))
		OR EXISTS (SELECT 1 FROM article_bodies b JOIN articles a ON a.id = b.article_id WHERE b.source LIKE ?
			AND NOT (a.status = ? AND a.created_by = ?))`,
		mediaID, Draft, userID, "%"+fileStem+"%", Draft, userID), &shown)
	if err != nil {
		return false, fmt.Errorf("news: use of image %d: %w", mediaID, err)
	}
	return shown, nil
}
