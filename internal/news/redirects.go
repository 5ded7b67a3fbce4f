package news

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// maxRedirectPath bounds an old address: longer ones are neither kept nor looked up.
const maxRedirectPath = 1000

// redirectKey is the form an old address is kept and looked up in, so that the ways one
// address is written all find it: percent-encoding decoded (WordPress writes %e6, browsers
// %E6), lower case (WordPress found its posts whatever the case), without the trailing slash
// (WordPress answered both), the query left out, except at the root, where "?p=12" (a post)
// and "?page_id=3" (a page) name what was asked for. path is as it came in a URL, escaped;
// "" means it can name no article.
func redirectKey(path string) string {
	path, _, _ = strings.Cut(path, "#")
	path, query, _ := strings.Cut(path, "?")
	if p, err := url.PathUnescape(path); err == nil {
		path = p
	}
	path = strings.TrimRight(strings.ToLower(path), "/")
	if path == "" || path == "/index.php" {
		// Only the root's query names something.
		q, _ := url.ParseQuery(query)
		for _, k := range []string{"p", "page_id"} {
			if n, err := strconv.ParseInt(q.Get(k), 10, 64); err == nil && n > 0 {
				return "/?" + k + "=" + strconv.FormatInt(n, 10)
			}
		}
		return ""
	}
	if !strings.HasPrefix(path, "/") || len(path) > maxRedirectPath {
		return ""
	}
	return path
}

// setRedirects makes paths old addresses of article id; an address that named another
// article names this one now.
func setRedirects(tx *gorm.DB, id int64, paths []string) error {
	seen := make(map[string]bool, len(paths))
	for _, p := range paths {
		key := redirectKey(p)
		if key == "" || seen[key] {
			continue
		}
		seen[key] = true
		err := tx.Exec(`INSERT INTO article_redirects (path, article_id) VALUES (?, ?)
			ON CONFLICT (path) DO UPDATE SET article_id = excluded.article_id`, key, id).Error
		if err != nil {
			return fmt.Errorf("news: old address %q of %d: %w", key, id, err)
		}
	}
	return nil
}

// Redirect returns the article an old address (a path, escaped as in the request, with its
// query) leads to, in whatever status: its id, category, slug and status, enough for its
// address and for the caller to send readers only to a published one. ErrNotFound when the
// address names none. One lookup in the primary key.
func (s *Service) Redirect(ctx context.Context, path string) (*Article, error) {
	key := redirectKey(path)
	if key == "" {
		return nil, ErrNotFound
	}
	var a Article
	err := scanValues(s.db.WithContext(ctx).Raw(`SELECT a.id, a.category_id, a.slug, a.status
		FROM article_redirects r JOIN articles a ON a.id = r.article_id WHERE r.path = ?`, key),
		&a.ID, &a.CategoryID, &a.Slug, &a.Status)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("news: old address %q: %w", key, err)
	}
	return &a, nil
}
