package search

import (
	"context"
	"errors"
	"fmt"
	"html"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"gorm.io/gorm"

	"campusnews/internal/database"
)

// Highlight markers: private-use characters that never reach the index (Index strips them),
// so after HTML-escaping the text they can only stand for FTS5's match boundaries.
const (
	markOpen  = string(markOpenRune)
	markClose = string(markCloseRune)

	markOpenRune  = '\uE000'
	markCloseRune = '\uE001'
)

// Page sizes Search accepts.
const (
	DefaultPerPage = 10
	MaxPerPage     = 50
)

// snippetTokens is how many tokens of context snippet() returns (FTS5 allows 1 to 64).
const snippetTokens = 30

// Ranking: bm25 with the title worth ten times the body and the summary five times.
//
// FTS5 sorts by rank itself when the query asks for ORDER BY rank, so highlight() and
// snippet() run only for the rows of the page. ORDER BY bm25(...) instead makes SQLite
// compute them for every match before sorting. The "rank MATCH" constraint sets the ranking
// function for this query only, so no table configuration is needed.
const (
	rankFunction = "bm25(10.0, 5.0, 1.0)"

	hitsSQL = `SELECT rowid AS id,
	highlight(articles_fts, 0, ?, ?) AS title,
	snippet(articles_fts, 2, ?, ?, '…', ?) AS body,
	snippet(articles_fts, 1, ?, ?, '…', ?) AS summary
FROM articles_fts
WHERE articles_fts MATCH ? AND rank MATCH ?%s
ORDER BY rank
LIMIT ? OFFSET ?`

	// windowSQL counts the matches, newest first, up to one past the ranking window, and gives
	// the oldest of them: one row, where listing the thousand cost a step (and, the context
	// being cancellable, a goroutine of the driver's) each.
	windowSQL = `SELECT count(*) AS total, coalesce(min(rowid), 0) AS oldest FROM (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?%s ORDER BY rowid DESC LIMIT ?)`

	// floorSQL keeps the ranking to the window, newer than the first match past it: rowid is
	// the article id, and FTS5 reads a range of it from the index rather than filtering every
	// match.
	floorSQL = ` AND rowid > ?`

	// excludeSQL leaves out the articles of hidden categories, by the category each entry of
	// the index keeps (not indexed: a filter on the matches).
	excludeSQL = ` AND category_id NOT IN ?`
)

// DefaultBudget is how long one search may take, waiting for its turn included. Counting and
// ranking read every match, so a query matching most of a large index costs far more than one
// a reader means; past the budget the statement is interrupted (mattn's driver calls
// sqlite3_interrupt when the context ends; on PostgreSQL pgx sends the server a cancel
// request) and Search returns ErrTooSlow.
const DefaultBudget = 250 * time.Millisecond

// ErrTooSlow means a search was stopped when it ran past its budget.
var ErrTooSlow = errors.New("search: took too long")

var budget atomic.Int64 // nanoseconds

func init() { budget.Store(int64(DefaultBudget)) }

// SetBudget sets how long a search may take and returns the budget it replaces.
func SetBudget(d time.Duration) time.Duration { return time.Duration(budget.Swap(int64(d))) }

// turns bounds the searches running at once, so that slow ones cannot take every database
// connection and processor from the pages readers are reading; the others wait, within their
// budget.
var turns = make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))

// Hit is one ranked result.
type Hit struct {
	ID int64
	// Title is HTML: the escaped title with <mark> around the matches.
	Title string
	// Snippet is HTML: about 30 escaped tokens around the best match in the body (or the
	// summary when only it matches) with <mark> around the matches and "…" where text is cut.
	Snippet string
}

// RankWindow bounds the matches a search counts and ranks: the RankWindow most recently added.
// Ranking reads every match it ranks, and a query of two common words matched 38,000 of
// 100,000 articles (80 ms for one page); a reader looking further adds a word.
const RankWindow = 1000

// Results is one page of hits.
type Results struct {
	Query   Query
	Hits    []Hit
	Total   int64 // the matches ranked, at most RankWindow
	More    bool  // more articles matched than RankWindow: Hits are the best of the newest
	Page    int
	PerPage int
}

// Pages returns the number of pages Total fills.
func (r *Results) Pages() int {
	if r.PerPage < 1 {
		return 0
	}
	return int((r.Total + int64(r.PerPage) - 1) / int64(r.PerPage))
}

// Search returns page (from 1) of the published articles matching q, best first, leaving
// out those in the categories hidden (hidden from readers). A page below 1 is page 1; perPage
// below 1 is DefaultPerPage and is capped at MaxPerPage. A query with an empty Match finds
// nothing without asking the database.
func Search(ctx context.Context, db *gorm.DB, q Query, hidden []int64, page, perPage int) (*Results, error) {
	page = max(page, 1)
	if perPage < 1 {
		perPage = DefaultPerPage
	}
	perPage = min(perPage, MaxPerPage)
	res := &Results{Query: q, Page: page, PerPage: perPage}
	if q.Match == "" {
		return res, nil
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, time.Duration(budget.Load()))
	defer cancel()
	select {
	case turns <- struct{}{}:
		defer func() { <-turns }()
	case <-ctx.Done():
		return nil, stopped(parent, ctx)
	}
	db = db.WithContext(ctx)
	if q.Typing != "" {
		whole, err := indexedWhole(db, q.Typing, hidden)
		if err != nil {
			if ctx.Err() != nil {
				return nil, stopped(parent, ctx)
			}
			return nil, fmt.Errorf("search: query: %w", err)
		}
		if whole {
			q.Match, q.TSQuery = q.WholeMatch, q.WholeTSQuery
		}
	}
	if database.Engine(db) == database.Postgres {
		if err := searchPostgres(db, q, hidden, int64(page-1)*int64(perPage), res); err != nil {
			if ctx.Err() != nil {
				return nil, stopped(parent, ctx)
			}
			return nil, err
		}
		return res, nil
	}
	exclude := ""
	windowArgs := []any{q.Match}
	hitArgs := []any{markOpen, markClose,
		markOpen, markClose, snippetTokens,
		markOpen, markClose, snippetTokens,
		q.Match, rankFunction}
	if len(hidden) > 0 {
		exclude = excludeSQL
		windowArgs = append(windowArgs, hidden)
		hitArgs = append(hitArgs, hidden)
	}
	var window struct{ Total, Oldest int64 }
	err := db.Raw(fmt.Sprintf(windowSQL, exclude), append(windowArgs, RankWindow+1)...).Scan(&window).Error
	if err != nil {
		if ctx.Err() != nil {
			return nil, stopped(parent, ctx)
		}
		return nil, fmt.Errorf("search: query: %w", err)
	}
	res.Total = window.Total
	if res.Total > RankWindow {
		res.Total, res.More = RankWindow, true
		exclude += floorSQL
		hitArgs = append(hitArgs, window.Oldest)
	}
	hits := fmt.Sprintf(hitsSQL, exclude)
	offset := int64(page-1) * int64(perPage)
	if offset >= res.Total {
		return res, nil
	}
	var rows []struct {
		ID      int64
		Title   string
		Body    string
		Summary string
	}
	err = db.Raw(hits, append(hitArgs, perPage, offset)...).Scan(&rows).Error
	if err != nil {
		if ctx.Err() != nil {
			return nil, stopped(parent, ctx)
		}
		return nil, fmt.Errorf("search: query: %w", err)
	}
	res.Hits = make([]Hit, len(rows))
	for i, r := range rows {
		res.Hits[i] = newHit(r.ID, r.Title, r.Body, r.Summary)
	}
	return res, nil
}

// indexedWhole reports whether some article outside the categories hidden has word as a whole
// word: the word being typed is then searched whole (see Query.Typing).
func indexedWhole(db *gorm.DB, word string, hidden []int64) (bool, error) {
	check, args := "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", []any{quote([]string{word}, false)}
	if database.Engine(db) == database.Postgres {
		check, args = "SELECT article_id FROM search_docs WHERE tsv @@ to_tsquery('campusnews', ?)", []any{tsQuote([]string{word}, false)}
	}
	if len(hidden) > 0 {
		check, args = check+excludeSQL, append(args, hidden)
	}
	ids, err := pluck(db, check+" LIMIT 1", args...)
	return len(ids) > 0, err
}

// pluck runs a query of one integer column and returns its values.
func pluck(db *gorm.DB, query string, args ...any) ([]int64, error) {
	rows, err := db.Raw(query, args...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// newHit is the hit of article id from its highlighted title and the snippets of its body
// and summary: the body's, unless only the summary has a match or the body is empty.
func newHit(id int64, title, body, summary string) Hit {
	snippet := body
	if !strings.Contains(body, markOpen) && (strings.Contains(summary, markOpen) || body == "") {
		snippet = summary
	}
	return Hit{ID: id, Title: markHTML(title), Snippet: markHTML(snippet)}
}

// stopped is the error of a search whose context ctx, made from parent, ended: the reader's
// own (the request went away), or ErrTooSlow when only the budget ran out.
func stopped(parent, ctx context.Context) error {
	if err := parent.Err(); err != nil {
		return err
	}
	return ErrTooSlow
}

// markHTML escapes s and turns the highlight markers into <mark> elements, keeping them
// balanced whatever order the markers come in.
func markHTML(s string) string {
	s = html.EscapeString(s)
	if !strings.Contains(s, markOpen) && !strings.Contains(s, markClose) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 32)
	open := false
	for _, r := range s {
		switch r {
		case markOpenRune:
			if !open {
				b.WriteString("<mark>")
				open = true
			}
		case markCloseRune:
			if open {
				b.WriteString("</mark>")
				open = false
			}
		default:
			b.WriteRune(r)
		}
	}
	if open {
		b.WriteString("</mark>")
	}
	return b.String()
}
