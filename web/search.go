package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"campusnews/internal/news"
	"campusnews/internal/search"
)

// maxQueryLen bounds what is echoed back into the page; the parser cuts further.
const maxQueryLen = 300

// searchInput is the query as the search page reads it, trimmed and cut to maxQueryLen.
func searchInput(c echo.Context) string {
	raw := strings.TrimSpace(c.QueryParam("q"))
	if len([]rune(raw)) > maxQueryLen {
		raw = string([]rune(raw)[:maxQueryLen])
	}
	return raw
}

func (s *Server) searchView(c echo.Context) error {
	ctx := c.Request().Context()
	raw := searchInput(c)
	page := pageParam(c)
	if page == 0 {
		return news.ErrNotFound
	}
	tree, err := s.news.Tree(ctx)
	if err != nil {
		return err
	}
	title := "Search"
	if raw != "" {
		title = "Search: " + raw
	}
	b, err := s.base(c, tree, title, "Search the news.")
	if err != nil {
		return err
	}
	b.NoIndex = true
	b.Breadcrumb = []Crumb{{Name: "Home", URL: "/"}, {Name: "Search"}}
	p := SearchPage{Base: b, Query: raw}
	q := search.Parse(raw)
	if q.Shortened() {
		// Never present a shortened query as the one typed: say what was left out and show
		// what was searched instead.
		p.Searched, p.Notes, p.TooLong = q.Text, limitNotes(q), q.Match == ""
	}
	if q.Match == "" {
		return c.Render(http.StatusOK, "pages/search", p)
	}
	p.Tried = true
	res, err := s.news.Search(ctx, q, page, perPage)
	if errors.Is(err, search.ErrTooSlow) {
		// Stopped at its time budget: the page says so, with the form to try other words.
		// 503 keeps it out of the page cache, so a later, quieter try can succeed.
		p.Tried, p.TimedOut = false, true
		return c.Render(http.StatusServiceUnavailable, "pages/search", p)
	}
	if err != nil {
		return err
	}
	p.Total, p.More = res.Total, res.More
	if res.Total == 0 {
		p.Suggest = s.suggestions(ctx, tree, b.Site.Location())
	}
	p.Pager = Pager{Page: page, Pages: news.PageCount(res.Total, perPage), Total: res.Total,
		BaseURL: "/search", Query: "q=" + url.QueryEscape(raw) + "&", Ranked: true}
	if page > 1 && page > p.Pager.Pages {
		return news.ErrNotFound
	}
	loc := b.Site.Location()
	found := make([]ArticleCard, 0, len(res.Hits))
	for _, h := range res.Hits { // the service leaves out hidden categories
		found = append(found, card(tree, &h.Article, loc))
	}
	cv, err := s.coversOf(ctx, nil, found)
	if err != nil {
		return err
	}
	cv.set(found, sizesRow, eagerCards)
	for i, h := range res.Hits {
		p.Results = append(p.Results, SearchResult{
			ArticleCard: found[i],
			TitleHTML:   template.HTML(h.TitleHTML),   // escaped by search, <mark> added
			SnippetHTML: template.HTML(h.SnippetHTML), // escaped by search, <mark> added
		})
	}
	return c.Render(http.StatusOK, "pages/search", p)
}

// limitNotes says in the reader's words what the search limits left out of q.
func limitNotes(q search.Query) []string {
	var notes []string
	if q.Cut {
		notes = append(notes, fmt.Sprintf("Only the first %d characters were read.", search.MaxInputRunes))
	}
	if q.LongWords > 0 {
		notes = append(notes, fmt.Sprintf("Words longer than %d letters were left out.", search.MaxWordRunes))
	}
	if q.ExtraTerms > 0 {
		notes = append(notes, fmt.Sprintf("Only the first %d words were searched.", search.MaxTerms))
	}
	if q.ExtraOrTerms > 0 {
		notes = append(notes, fmt.Sprintf("Only the first %d words joined by OR were searched.", search.MaxOrTerms))
	}
	if q.WholeWords > 0 {
		notes = append(notes, fmt.Sprintf("Some words ending in * were searched as whole words: at most %d are "+
			"searched by their beginning, and a second one, or one joined by OR, needs %d letters.",
			search.MaxPrefixes, search.MinOtherPrefixRunes))
	}
	return notes
}
