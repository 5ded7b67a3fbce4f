package news

import (
	"context"

	"campusnews/internal/search"
)

// SearchHit is a published article found by a search, with its highlighted title and snippet
// (HTML, escaped, with <mark> around matches).
type SearchHit struct {
	Article     Article
	TitleHTML   string
	SnippetHTML string
}

// SearchResults is one page of hits.
type SearchResults struct {
	Hits  []SearchHit
	Total int64
	More  bool // more matched than search.RankWindow; Hits are the best of the newest
}

// Search runs q over the full-text index of published articles in categories readers see.
func (s *Service) Search(ctx context.Context, q search.Query, page, perPage int) (*SearchResults, error) {
	tree, err := s.Tree(ctx)
	if err != nil {
		return nil, err
	}
	res, err := search.Search(ctx, s.db, q, tree.HiddenIDs(), page, perPage)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	arts, err := s.PublishedByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*Article, len(arts))
	for i := range arts {
		byID[arts[i].ID] = &arts[i]
	}
	out := &SearchResults{Total: res.Total, More: res.More}
	for _, h := range res.Hits {
		if a := byID[h.ID]; a != nil {
			out.Hits = append(out.Hits, SearchHit{Article: *a, TitleHTML: h.Title, SnippetHTML: h.Snippet})
		}
	}
	return out, nil
}
