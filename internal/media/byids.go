package media

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// maxByIDs bounds one ByIDs read; pages show a few dozen images at most.
const maxByIDs = 500

// ByIDs returns the images with ids, by id, in one query; ids without an image are left out,
// so a cover deleted a moment ago is simply missing. It is the read behind every list of
// stories: the covers of a whole page at once, never one query per card. (Scanned by hand, as
// news scans its cards: on a page render GORM's reflection costs more than the query.)
func (s *Store) ByIDs(ctx context.Context, ids []int64) (map[int64]*Media, error) {
	uniq := make([]int64, 0, len(ids))
	seen := make(map[int64]bool, len(ids))
	for _, id := range ids {
		if id > 0 && !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	out := make(map[int64]*Media, len(uniq))
	if len(uniq) == 0 {
		return out, nil
	}
	if len(uniq) > maxByIDs {
		return nil, fmt.Errorf("media: by ids: %d ids, at most %d", len(uniq), maxByIDs)
	}
	rows, err := s.db.WithContext(ctx).Raw(`SELECT id, path, mime, size, width, height, variants, alt, decorative,
		caption, credit FROM media WHERE id IN ?`, uniq).Rows()
	if err != nil {
		return nil, fmt.Errorf("media: by ids: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		m := &Media{}
		if err := rows.Scan(&m.ID, &m.Path, &m.Mime, &m.Size, &m.Width, &m.Height, &m.Variants, &m.Alt,
			&m.Decorative, &m.Caption, &m.Credit); err != nil {
			return nil, fmt.Errorf("media: by ids: %w", err)
		}
		out[m.ID] = m
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("media: by ids: %w", err)
	}
	return out, nil
}

// Sources is Best(maxWidth) and SrcSet() together, reading the variants once: what a page
// showing many images asks of each.
func (m *Media) Sources(maxWidth int) (src, srcset string) {
	vs := m.VariantList()
	var b strings.Builder
	for _, v := range vs {
		b.WriteString(URLPrefix + v.Name + " " + strconv.Itoa(v.Width) + "w, ")
		if src == "" && v.Width >= maxWidth {
			src = URLPrefix + v.Name
		}
	}
	b.WriteString(m.URL() + " " + strconv.Itoa(m.Width) + "w")
	if src == "" {
		src = m.URL()
	}
	return src, b.String()
}

// Sized is the URL and the size of the narrowest variant at least maxWidth wide, or of the
// original when none is: what a share card (og:image) names with its width and height.
func (m *Media) Sized(maxWidth int) (url string, width, height int) {
	for _, v := range m.VariantList() {
		if v.Width >= maxWidth && m.Width > 0 {
			// The height as writeVariants rounds it.
			return URLPrefix + v.Name, v.Width, max(1, (m.Height*v.Width+m.Width/2)/m.Width)
		}
	}
	return m.URL(), m.Width, m.Height
}
