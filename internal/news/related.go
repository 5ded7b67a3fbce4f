package news

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// An article's related stories are drawn from few places: each of its tags' newest articles
// and its category's newest. Those lists are read once per content version and kept, with the
// cards of the stories chosen from them, so an archive page finds its related stories in
// memory. What is kept grows with the number of tags and categories, never with the number of
// combinations of them that articles carry.

// relatedCandidates bounds how many of each tag's newest articles related weighs, so an
// article page costs the same whether a tag holds fifty articles or fifty thousand.
const relatedCandidates = 25

// maxRelatedKept bounds each list of relatedMemo: past it, that list starts again, so an
// archive with tens of thousands of tags costs a query per page, never unbounded memory.
const maxRelatedKept = 4096

// tagStory is an article among a tag's newest.
type tagStory struct {
	id        int64
	at        time.Time
	published bool
}

// relatedMemo holds, for one content version, what related reads.
type relatedMemo struct {
	mu    sync.Mutex
	gen   uint64
	tags  map[int64][]tagStory // a tag's newest articles
	cats  map[int64][]int64    // a category's newest published articles
	cards map[int64]Article    // the cards of stories shown as related
}

// at readies the memo, its lock held, to keep what was read at gen: emptied when gen is newer
// than what it holds, and false when gen is older (what a reader that began before a change
// read is not kept).
func (r *relatedMemo) at(gen uint64) bool {
	if gen < r.gen {
		return false
	}
	if gen > r.gen || r.tags == nil {
		r.gen = gen
		r.tags, r.cats, r.cards = map[int64][]tagStory{}, map[int64][]int64{}, map[int64]Article{}
	}
	return true
}

// keep stores v under k in m, starting m again when it is full.
func keep[K comparable, V any](m *map[K]V, k K, v V) {
	if len(*m) >= maxRelatedKept {
		*m = map[K]V{}
	}
	(*m)[k] = v
}

// related returns up to n published articles sharing tags with a — most shared tags first,
// then newest — among each tag's newest articles; when too few share a tag the rest come from
// a's category.
func (s *Service) related(ctx context.Context, a *Article, n int) ([]Article, error) {
	if n <= 0 {
		return nil, nil
	}
	gen := s.Generation() // before reading: what is kept is at least this new
	type ranked struct {
		id     int64
		shared int
		at     time.Time
	}
	// Every tag's candidates in one slice, sized once; sorted by id, a story shared by k tags
	// is k entries in a row, counted without a map.
	found := make([]ranked, 0, len(a.Tags)*relatedCandidates)
	for _, t := range a.Tags {
		cands, err := s.tagCandidates(ctx, gen, t.ID)
		if err != nil {
			return nil, err
		}
		weighed := 0
		for _, c := range cands {
			if c.id == a.ID || weighed == relatedCandidates {
				continue
			}
			weighed++
			if c.published {
				found = append(found, ranked{id: c.id, shared: 1, at: c.at})
			}
		}
	}
	slices.SortFunc(found, func(x, y ranked) int { return cmp.Compare(x.id, y.id) })
	merged := found[:0]
	for _, r := range found {
		if last := len(merged) - 1; last >= 0 && merged[last].id == r.id {
			merged[last].shared++
		} else {
			merged = append(merged, r)
		}
	}
	found = merged
	slices.SortFunc(found, func(x, y ranked) int {
		return cmp.Or(cmp.Compare(y.shared, x.shared), y.at.Compare(x.at), cmp.Compare(y.id, x.id))
	})
	ids := make([]int64, 0, n)
	for _, r := range found[:min(n, len(found))] {
		ids = append(ids, r.id)
	}
	if len(ids) < n {
		// The category's newest, past a itself and those already chosen.
		newest, err := s.categoryNewest(ctx, gen, a.CategoryID, 2*n+1)
		if err != nil {
			return nil, err
		}
		for _, id := range newest {
			if len(ids) < n && id != a.ID && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	return s.relatedCards(ctx, gen, ids)
}

// tagCandidates returns tag's newest relatedCandidates+1 articles, newest first: one more than
// related weighs, for the article whose page it is may be among them.
func (s *Service) tagCandidates(ctx context.Context, gen uint64, tag int64) ([]tagStory, error) {
	s.relatedSets.mu.Lock()
	cands, ok := s.relatedSets.tags[tag]
	ok = ok && s.relatedSets.gen == gen
	s.relatedSets.mu.Unlock()
	if ok {
		return cands, nil
	}
	rows, err := s.db.WithContext(ctx).Raw(`SELECT a.id, a.published_at, a.status FROM (SELECT article_id
		FROM article_tags WHERE tag_id = ? ORDER BY article_id DESC LIMIT ?) c `+s.crossJoin()+` articles a
		ON a.id = c.article_id ORDER BY a.id DESC`, tag, relatedCandidates+1).Rows()
	if err != nil {
		return nil, fmt.Errorf("news: articles of tag %d: %w", tag, err)
	}
	defer rows.Close()
	cands = []tagStory{}
	for rows.Next() {
		var c tagStory
		var at *time.Time
		var status Status
		if err := rows.Scan(&c.id, &at, &status); err != nil {
			return nil, fmt.Errorf("news: articles of tag %d: %w", tag, err)
		}
		c.at, c.published = deref(at), status == Published
		cands = append(cands, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("news: articles of tag %d: %w", tag, err)
	}
	s.relatedSets.mu.Lock()
	if s.relatedSets.at(gen) {
		keep(&s.relatedSets.tags, tag, cands)
	}
	s.relatedSets.mu.Unlock()
	return cands, nil
}

// categoryNewest returns the ids of the n newest published articles of category cat.
func (s *Service) categoryNewest(ctx context.Context, gen uint64, cat int64, n int) ([]int64, error) {
	s.relatedSets.mu.Lock()
	ids, ok := s.relatedSets.cats[cat]
	ok = ok && s.relatedSets.gen == gen && len(ids) >= n
	s.relatedSets.mu.Unlock()
	if ok {
		return ids, nil
	}
	ids, err := s.pluck(ctx, `SELECT id FROM articles WHERE status = ? AND category_id = ?
		ORDER BY published_at DESC, id DESC LIMIT ?`, Published, cat, n)
	if err != nil {
		return nil, fmt.Errorf("news: newest in category %d: %w", cat, err)
	}
	s.relatedSets.mu.Lock()
	if s.relatedSets.at(gen) {
		keep(&s.relatedSets.cats, cat, ids)
	}
	s.relatedSets.mu.Unlock()
	return ids, nil
}

// relatedCards returns the cards of ids, in their order, reading only those not kept yet.
func (s *Service) relatedCards(ctx context.Context, gen uint64, ids []int64) ([]Article, error) {
	out := make([]Article, len(ids))
	var missing []int64
	s.relatedSets.mu.Lock()
	for i, id := range ids {
		if c, ok := s.relatedSets.cards[id]; ok && s.relatedSets.gen == gen {
			out[i] = c
		} else {
			missing = append(missing, id)
		}
	}
	s.relatedSets.mu.Unlock()
	if len(missing) > 0 {
		read, err := s.byIDs(ctx, missing)
		if err != nil {
			return nil, err
		}
		byID := make(map[int64]Article, len(read))
		for _, c := range read {
			byID[c.ID] = c
		}
		s.relatedSets.mu.Lock()
		kept := s.relatedSets.at(gen)
		for i, id := range ids {
			if c, ok := byID[id]; ok {
				out[i] = c
				if kept {
					keep(&s.relatedSets.cards, id, c)
				}
			}
		}
		s.relatedSets.mu.Unlock()
	}
	return compact(out), nil
}
