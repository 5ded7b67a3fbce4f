package search

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Search on PostgreSQL: search_docs.tsv holds the words of title (weight A), summary (B) and
// body (C) as the text search configuration campusnews makes them (lower-cased, accents off,
// no stemming, no stop words, as FTS5's unicode61 tokenizer on SQLite); the GIN index on it
// finds the matches of Query.TSQuery.
//
// Ranking: ts_rank with the title worth ten times the body and the summary five times, as
// bm25(10, 5, 1) on SQLite, divided by 1 + the logarithm of the entry's length, as bm25 also
// weighs long texts down. Its weights run D, C, B, A and may not exceed 1. The newest
// RankWindow matches are ranked, as on SQLite; ts_headline, which parses a whole text again, runs only
// for the rows of the page, joined back by id.
const (
	pgRankWeights = `'{0.1, 0.1, 0.5, 1.0}'`

	// pgWindowSQL lists the matches newest first, up to one past the ranking window, as
	// windowSQL does on SQLite.
	pgWindowSQL = `SELECT article_id FROM search_docs WHERE tsv @@ to_tsquery('campusnews', ?)%s
	ORDER BY article_id DESC LIMIT ?`

	pgFloorSQL = ` AND article_id >= ?`

	pgHitsSQL = `WITH page AS (
	SELECT article_id, ts_rank(` + pgRankWeights + `, tsv, to_tsquery('campusnews', ?), 1) AS rank
	FROM search_docs WHERE tsv @@ to_tsquery('campusnews', ?)%s
	ORDER BY rank DESC, article_id DESC LIMIT ? OFFSET ?)
SELECT d.article_id AS id, h.title, h.body, h.summary,
	strpos(d.body, replace(replace(h.body, ?, ''), ?, '')) AS body_at, length(d.body) AS body_len,
	strpos(d.summary, replace(replace(h.summary, ?, ''), ?, '')) AS summary_at, length(d.summary) AS summary_len
FROM page p JOIN search_docs d ON d.article_id = p.article_id,
LATERAL (SELECT ts_headline('campusnews', d.title, q, ?) AS title,
	ts_headline('campusnews', d.body, q, ?) AS body,
	ts_headline('campusnews', d.summary, q, ?) AS summary
	FROM to_tsquery('campusnews', ?) AS q) h
ORDER BY p.rank DESC, p.article_id DESC`
)

// PostgreSQL's text search parser takes "<" for the start of an HTML tag: it leaves out of
// the index what looks like a tag (and all of <script>…</script>) and ts_headline drops it
// from snippets. The text is plain text, where "<x>" is what the author wrote, so the index
// holds pgLess, a private-use character (a separator to the parser, and never in the text:
// Index strips it), in place of every "<", and hits turn it back.
const pgLess = "\uE002"

var (
	lessOut = strings.NewReplacer("<", pgLess).Replace
	lessIn  = strings.NewReplacer(pgLess, "<").Replace
)

// The options of ts_headline: the markers FTS5's highlight() and snippet() get on SQLite, the
// whole title, and about snippetTokens words of the body or summary around the best match.
var (
	pgTitleOptions   = fmt.Sprintf(`HighlightAll=true, StartSel="%s", StopSel="%s"`, markOpen, markClose)
	pgSnippetOptions = fmt.Sprintf(`MaxWords=%d, MinWords=%d, ShortWord=0, StartSel="%s", StopSel="%s"`,
		snippetTokens, snippetTokens/2, markOpen, markClose)
)

// searchPostgres fills res with the total and the hits of q at offset, leaving out the
// categories hidden. db carries the search's context: its end cancels the statement on the
// server (database.OpenURL has pgx send a cancel request), and the connection stays usable.
func searchPostgres(db *gorm.DB, q Query, hidden []int64, offset int64, res *Results) error {
	exclude := ""
	windowArgs := []any{q.TSQuery}
	hitArgs := []any{q.TSQuery, q.TSQuery}
	if len(hidden) > 0 {
		exclude = excludeSQL
		windowArgs = append(windowArgs, hidden)
		hitArgs = append(hitArgs, hidden)
	}
	window, err := pluck(db, fmt.Sprintf(pgWindowSQL, exclude), append(windowArgs, RankWindow+1)...)
	if err != nil {
		return fmt.Errorf("search: query: %w", err)
	}
	res.Total = int64(len(window))
	if len(window) > RankWindow {
		res.Total, res.More = RankWindow, true
		exclude += pgFloorSQL
		hitArgs = append(hitArgs, window[RankWindow-1])
	}
	hits := fmt.Sprintf(pgHitsSQL, exclude)
	if offset >= res.Total {
		return nil
	}
	hitArgs = append(hitArgs, res.PerPage, offset, markOpen, markClose, markOpen, markClose,
		pgTitleOptions, pgSnippetOptions, pgSnippetOptions, q.TSQuery)
	var rows []struct {
		ID                    int64
		Title, Body, Summary  string
		BodyAt, BodyLen       int
		SummaryAt, SummaryLen int
	}
	if err := db.Raw(hits, hitArgs...).Scan(&rows).Error; err != nil {
		return fmt.Errorf("search: query: %w", err)
	}
	res.Hits = make([]Hit, len(rows))
	for i, r := range rows {
		res.Hits[i] = newHit(r.ID, lessIn(r.Title), lessIn(elide(r.Body, r.BodyAt, r.BodyLen)),
			lessIn(elide(r.Summary, r.SummaryAt, r.SummaryLen)))
	}
	return nil
}

// elide puts "…" where the snippet h, found at character at (from 1) of a text of n
// characters, cuts the text, as FTS5's snippet() does.
func elide(h string, at, n int) string {
	if at < 1 || h == "" {
		return h
	}
	if at+utf8.RuneCountInString(markerStripper.Replace(h))-1 < n {
		h += "…"
	}
	if at > 1 {
		h = "…" + h
	}
	return h
}
