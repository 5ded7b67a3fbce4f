package news

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// FrontSpec describes a front page: a few headlines, then blocks of the latest stories, each
// block from its own categories.
type FrontSpec struct {
	// Stories are the categories whose pinned and featured stories may be headlines.
	Stories []int64
	// Headlines is how many headlines, the lead among them.
	Headlines int
	// Blocks are the blocks under the headlines, in order.
	Blocks []FrontBlock
}

// FrontBlock is one block of a front page: up to Size of the newest stories in Categories.
type FrontBlock struct {
	Categories []int64
	Size       int
}

// Front is a front page's stories. No story is in it twice.
type Front struct {
	// Headlines are the pinned stories, then the featured ones, newest first; an event that
	// is over is none. With none pinned or featured, the newest story of the blocks leads
	// alone.
	Headlines []Article
	// Blocks hold each block's newest stories that are not headlines, as many as its size
	// allows: a block reads as many more as it leaves out, so it stays full.
	Blocks [][]Article
}

// Front reads the stories of a front page in three queries however many blocks it has: the
// headlines' ids, the blocks' ids (newest of each category, one index range each), and the
// cards of all of them.
func (s *Service) Front(ctx context.Context, spec FrontSpec) (*Front, error) {
	heads, err := s.headlineIDs(ctx, spec.Stories, spec.Headlines)
	if err != nil {
		return nil, err
	}
	// A block leaves out at most every headline; with none, one of them may become the lead.
	extra := len(heads)
	if extra == 0 && spec.Headlines > 0 {
		extra = 1
	}
	latest, err := s.newestEach(ctx, spec.Blocks, extra)
	if err != nil {
		return nil, err
	}
	if len(heads) == 0 && spec.Headlines > 0 {
		if id, ok := newestOf(latest, spec.Stories); ok {
			heads = []int64{id}
		}
	}
	shown := make(map[int64]bool, len(heads))
	ids := append([]int64(nil), heads...)
	for _, id := range heads {
		shown[id] = true
	}
	blocks := make([][]int64, len(spec.Blocks))
	for i, b := range spec.Blocks {
		for _, c := range latest[i] {
			if len(blocks[i]) < b.Size && !shown[c.id] {
				shown[c.id] = true
				blocks[i] = append(blocks[i], c.id)
				ids = append(ids, c.id)
			}
		}
	}
	arts, err := s.byIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]Article, len(arts))
	for _, a := range arts {
		byID[a.ID] = a
	}
	pick := func(ids []int64) []Article {
		out := make([]Article, 0, len(ids))
		for _, id := range ids {
			if a, ok := byID[id]; ok {
				out = append(out, a)
			}
		}
		return out
	}
	f := &Front{Headlines: pick(heads), Blocks: make([][]Article, len(blocks))}
	for i, b := range blocks {
		f.Blocks[i] = pick(b)
	}
	return f, nil
}

// headlineIDs picks up to n pinned or featured published articles in categories ids, pinned
// first, then newest, in one query: each kind read newest first from its own index. An event
// that is over leads no more: it is left out from the instant it ends (one primary-key look-up
// per row read).
func (s *Service) headlineIDs(ctx context.Context, ids []int64, n int) ([]int64, error) {
	if len(ids) == 0 || n < 1 {
		return nil, nil
	}
	now := s.now()
	in := make(map[int64]bool, len(ids))
	for _, id := range ids {
		in[id] = true
	}
	var parts []string
	var args []any
	for kind, col := range []string{"pinned", "featured"} {
		parts = append(parts, "SELECT * FROM (SELECT id, category_id, published_at, "+strconv.Itoa(kind)+" AS kind FROM articles "+
			"WHERE status = ? AND "+col+" = ? AND NOT EXISTS (SELECT 1 FROM article_events e WHERE e.article_id = articles.id AND e.ends_at <= ?) "+
			"ORDER BY published_at DESC, id DESC LIMIT ?) AS h"+strconv.Itoa(kind))
		args = append(args, Published, true, now, 4*n)
	}
	rows, err := s.db.WithContext(ctx).Raw("SELECT id, category_id FROM ("+strings.Join(parts, " UNION ALL ")+
		") AS heads ORDER BY kind, published_at DESC, id DESC", args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("news: headlines: %w", err)
	}
	defer rows.Close()
	var out []int64
	seen := map[int64]bool{}
	for rows.Next() {
		var id, cat int64
		if err := rows.Scan(&id, &cat); err != nil {
			return nil, fmt.Errorf("news: headlines: %w", err)
		}
		if len(out) < n && in[cat] && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("news: headlines: %w", err)
	}
	return out, nil
}

// candidate is a story read for a front-page block, with its place in the newest-first order
// of all of them.
type candidate struct {
	id, category int64
	rank         int
}

// newestEach reads, for each block, its Size+extra newest published stories, newest first, in
// one query: a short index range per category, merged by the database.
func (s *Service) newestEach(ctx context.Context, blocks []FrontBlock, extra int) ([][]candidate, error) {
	out := make([][]candidate, len(blocks))
	var parts []string
	var args []any
	for i, b := range blocks {
		if b.Size < 1 {
			continue
		}
		k := strconv.Itoa(b.Size + extra)
		for _, id := range b.Categories {
			parts = append(parts, "SELECT * FROM (SELECT id, category_id, published_at, "+strconv.Itoa(i)+" AS blk FROM articles "+
				"WHERE status = ? AND category_id = ? ORDER BY published_at DESC, id DESC LIMIT "+k+") AS c"+strconv.Itoa(len(parts)))
			args = append(args, Published, id)
		}
	}
	if len(parts) == 0 {
		return out, nil
	}
	// Ordered newest first across blocks, so the first row is the newest story of all.
	rows, err := s.db.WithContext(ctx).Raw("SELECT id, category_id, blk FROM ("+strings.Join(parts, " UNION ALL ")+
		") AS picked ORDER BY published_at DESC, id DESC", args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("news: front page blocks: %w", err)
	}
	defer rows.Close()
	rank := 0
	for rows.Next() {
		var id, cat int64
		var blk int
		if err := rows.Scan(&id, &cat, &blk); err != nil {
			return nil, fmt.Errorf("news: front page blocks: %w", err)
		}
		if blk >= 0 && blk < len(out) {
			out[blk] = append(out[blk], candidate{id: id, category: cat, rank: rank})
		}
		rank++
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("news: front page blocks: %w", err)
	}
	return out, nil
}

// newestOf is the newest of the blocks' candidates in categories ids.
func newestOf(blocks [][]candidate, ids []int64) (int64, bool) {
	in := make(map[int64]bool, len(ids))
	for _, id := range ids {
		in[id] = true
	}
	best := candidate{rank: -1}
	for _, b := range blocks {
		for _, c := range b {
			if in[c.category] {
				if best.rank < 0 || c.rank < best.rank {
					best = c
				}
				break
			}
		}
	}
	return best.id, best.rank >= 0
}
