package news

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// setTags makes names the tags of article id, finding each tag by Slugify(name) and creating
// the missing ones under the name as typed. A tag that already exists keeps its name, so
// "Research" and "research" are one tag.
func setTags(tx *gorm.DB, articleID int64, names []string) error {
	if err := tx.Exec("DELETE FROM article_tags WHERE article_id = ?", articleID).Error; err != nil {
		return fmt.Errorf("news: clear tags of %d: %w", articleID, err)
	}
	if len(names) == 0 {
		return nil
	}
	slugs := make([]string, 0, len(names))
	for _, n := range names {
		slug := Slugify(n)
		if slug == "" {
			continue
		}
		slugs = append(slugs, slug)
		err := tx.Exec("INSERT INTO tags (name, slug) VALUES (?, ?) ON CONFLICT (slug) DO NOTHING", n, slug).Error
		if err != nil {
			return fmt.Errorf("news: tag %q: %w", n, err)
		}
	}
	if len(slugs) == 0 {
		return nil
	}
	err := tx.Exec(`INSERT INTO article_tags (article_id, tag_id)
		SELECT ?, id FROM tags WHERE slug IN ? ON CONFLICT DO NOTHING`, articleID, slugs).Error
	if err != nil {
		return fmt.Errorf("news: tag article %d: %w", articleID, err)
	}
	return nil
}

// Tags returns every tag, oldest first.
func (s *Service) Tags(ctx context.Context) ([]Tag, error) {
	var out []Tag
	if err := s.db.WithContext(ctx).Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("news: tags: %w", err)
	}
	return out, nil
}
