package news

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"campusnews/internal/database"
)

// The article page is the page most readers arrive on, mostly without the page cache (links
// and search engines spread over the whole archive). Its reads are written out and scanned by
// hand: three small indexed queries, where GORM's reflection cost more than the queries did.

// ArticleView is what an article's page shows of the news.
type ArticleView struct {
	Article    *Article // with its body and tags
	Prev, Next *Article // in its category, just older and just newer; nil at either end
	Related    []Article
}

// ArticleView returns the published article id as its page shows it, with up to related
// related articles, or ErrNotFound. It costs three queries (the article with its event, its
// tags, its neighbours with their cards); the related stories are usually known already.
func (s *Service) ArticleView(ctx context.Context, id int64, related int) (*ArticleView, error) {
	a, err := s.PublishedArticle(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &ArticleView{Article: a}
	if v.Prev, v.Next, err = s.neighbours(ctx, a); err != nil {
		return nil, err
	}
	if v.Related, err = s.related(ctx, a, related); err != nil {
		return nil, err
	}
	return v, nil
}

// publicColumns are an article's columns with what its page shows of the body: the HTML and
// the text, never the Markdown source, which only the editor reads. publicDest scans them in
// this order.
const publicColumns = "a.id, a.category_id, a.title, a.slug, a.summary, a.cover_media_id, a.source, a.author, " +
	"a.photographer, a.editor, a.status, a.published_at, a.expires_at, a.pinned, a.featured, a.views, " +
	"a.created_by, a.approved_by, a.updated_by, a.created_at, a.updated_at, b.html, b.text"

func publicDest(a *Article) []any {
	return []any{&a.ID, &a.CategoryID, &a.Title, &a.Slug, &a.Summary, &a.CoverMediaID, &a.Source, &a.Author,
		&a.Photographer, &a.Editor, &a.Status, &a.PublishedAt, &a.ExpiresAt, &a.Pinned, &a.Featured, &a.Views,
		&a.CreatedBy, &a.ApprovedBy, &a.UpdatedBy, &a.CreatedAt, &a.UpdatedAt, &a.BodyHTML, &a.BodyText}
}

// deref is *p, or the zero value when p is nil.
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// PublishedArticle returns the published article with id, with its body as readers see it
// (BodySource stays empty), its tags and its event.
func (s *Service) PublishedArticle(ctx context.Context, id int64) (*Article, error) {
	var a Article
	// The event comes in the same query: the page of every article, event or not, costs no
	// query more for it.
	var ev struct {
		id                                *int64
		start, end                        *time.Time
		allDay                            *bool
		zone, venue, online, registration *string
	}
	err := scanOne(s.db.WithContext(ctx).Raw("SELECT "+publicColumns+", "+eventColumns+
		" FROM articles a JOIN article_bodies b ON b.article_id = a.id LEFT JOIN article_events e ON e.article_id = a.id"+
		" WHERE a.id = ? AND a.status = ?", id, Published),
		func(rows *sql.Rows) error {
			return rows.Scan(append(publicDest(&a), &ev.id, &ev.start, &ev.end, &ev.allDay, &ev.zone, &ev.venue,
				&ev.online, &ev.registration)...)
		})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("news: article %d: %w", id, err)
	}
	if ev.id != nil && ev.start != nil && ev.end != nil {
		a.Event = &Event{ArticleID: *ev.id, StartsAt: ev.start.UTC(), EndsAt: ev.end.UTC(), AllDay: deref(ev.allDay),
			TimeZone: deref(ev.zone), Venue: deref(ev.venue), OnlineURL: deref(ev.online), RegistrationURL: deref(ev.registration)}
	}
	if err := s.loadTags(ctx, []*Article{&a}); err != nil {
		return nil, err
	}
	return &a, nil
}

// neighbourSQL reads, from the listing index, the cards of the published articles of a
// category just older and just newer than one. Row values let the database seek the index to
// the article instead of walking to it.
const neighbourSQL = `SELECT 0, older.* FROM (SELECT ` + cardColumns + ` FROM articles WHERE status = ?
	AND category_id = ? AND (published_at, id) < (?, ?) ORDER BY published_at DESC, id DESC LIMIT 1) AS older
UNION ALL
SELECT 1, newer.* FROM (SELECT ` + cardColumns + ` FROM articles WHERE status = ?
	AND category_id = ? AND (published_at, id) > (?, ?) ORDER BY published_at ASC, id ASC LIMIT 1) AS newer`

// neighbours returns the published articles just older (prev) and just newer (next) than a in
// its category; either may be nil.
func (s *Service) neighbours(ctx context.Context, a *Article) (prev, next *Article, err error) {
	if a.PublishedAt == nil {
		return nil, nil, nil
	}
	rows, err := s.db.WithContext(ctx).Raw(neighbourSQL, Published, a.CategoryID, *a.PublishedAt, a.ID,
		Published, a.CategoryID, *a.PublishedAt, a.ID).Rows()
	if err != nil {
		return nil, nil, fmt.Errorf("news: neighbours of %d: %w", a.ID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var newer int
		var c Article
		if err := rows.Scan(append([]any{&newer}, cardDest(&c)...)...); err != nil {
			return nil, nil, fmt.Errorf("news: neighbours of %d: %w", a.ID, err)
		}
		if newer == 1 {
			next = &c
		} else {
			prev = &c
		}
	}
	return prev, next, rows.Err()
}

// relatedCandidates bounds how many of each tag's newest articles Related weighs, so an
// article page costs the same whether a tag holds fifty articles or fifty thousand.
const relatedCandidates = 25

// related returns up to n published articles sharing tags with a — most shared tags first,
// then newest — among each tag's newest articles; when too few share a tag the rest come from
// a's category. The answer depends only on a's tags and category, which most articles share
// with many others, so it is kept for the content version (see relatedMemo).
func (s *Service) related(ctx context.Context, a *Article, n int) ([]Article, error) {
	if n <= 0 {
		return nil, nil
	}
	gen := s.Generation()
	key := relatedKey(a, n)
	cards, ok := s.relatedSets.get(gen, key)
	if !ok {
		// One more than asked for, so that n remain once a itself is left out.
		ids, err := s.rankRelated(ctx, a, n+1)
		if err != nil {
			return nil, err
		}
		if cards, err = s.byIDs(ctx, ids); err != nil {
			return nil, err
		}
		s.relatedSets.put(gen, key, cards)
	}
	out := make([]Article, 0, n)
	for _, c := range cards {
		if c.ID != a.ID && len(out) < n {
			out = append(out, c)
		}
	}
	return out, nil
}

// relatedKey names what related depends on: a's category, its tags and how many are asked for.
func relatedKey(a *Article, n int) string {
	ids := make([]int64, len(a.Tags))
	for i, t := range a.Tags {
		ids[i] = t.ID
	}
	slices.Sort(ids)
	b := make([]byte, 0, 8+8*len(ids))
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, '/')
	b = strconv.AppendInt(b, a.CategoryID, 10)
	for _, id := range ids {
		b = append(b, ',')
		b = strconv.AppendInt(b, id, 10)
	}
	return string(b)
}

// rankRelated returns the ids of the n articles related to a's tags and category, a itself
// among the candidates.
func (s *Service) rankRelated(ctx context.Context, a *Article, n int) ([]int64, error) {
	var ids []int64
	if len(a.Tags) > 0 {
		parts := make([]string, len(a.Tags))
		args := make([]any, 0, len(a.Tags)+2)
		for i, t := range a.Tags {
			parts[i] = "SELECT * FROM (SELECT article_id FROM article_tags WHERE tag_id = ? " +
				"ORDER BY article_id DESC LIMIT " + strconv.Itoa(relatedCandidates) + ") AS t" + strconv.Itoa(i)
			args = append(args, t.ID)
		}
		args = append(args, Published, n)
		// CROSS JOIN keeps SQLite to this order: the few candidates, each looked up by id.
		// Left free, it scanned an index over every published article to meet them
		// (6 ms at 100,000 articles instead of 0.05 ms).
		var err error
		ids, err = s.pluck(ctx, `SELECT c.article_id FROM (`+strings.Join(parts, " UNION ALL ")+`) c
			`+s.crossJoin()+` articles a ON a.id = c.article_id AND a.status = ?
			GROUP BY c.article_id ORDER BY COUNT(*) DESC, MAX(a.published_at) DESC LIMIT ?`, args...)
		if err != nil {
			return nil, fmt.Errorf("news: related to %d: %w", a.ID, err)
		}
	}
	if len(ids) < n {
		q := `SELECT id FROM articles WHERE status = ? AND category_id = ?`
		args := []any{Published, a.CategoryID}
		if len(ids) > 0 {
			q += ` AND id NOT IN ?`
			args = append(args, ids)
		}
		more, err := s.pluck(ctx, q+` ORDER BY published_at DESC, id DESC LIMIT ?`, append(args, n-len(ids))...)
		if err != nil {
			return nil, fmt.Errorf("news: related in category %d: %w", a.CategoryID, err)
		}
		ids = append(ids, more...)
	}
	return ids, nil
}

// maxRelatedSets bounds relatedMemo: past it the memo starts again, so an archive with every
// article on a combination of its own costs a query per page, never unbounded memory.
const maxRelatedSets = 4096

// relatedMemo keeps the related stories of each key for one content version.
type relatedMemo struct {
	mu  sync.Mutex
	gen uint64
	m   map[string][]Article
}

func (r *relatedMemo) get(gen uint64, key string) ([]Article, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.gen != gen {
		return nil, false
	}
	cards, ok := r.m[key]
	return cards, ok
}

// put keeps cards read at gen (read before the query, so they hold at least what gen stands
// for and are never kept under a later version).
func (r *relatedMemo) put(gen uint64, key string, cards []Article) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if gen < r.gen {
		return
	}
	if gen != r.gen || r.m == nil || len(r.m) >= maxRelatedSets {
		r.gen, r.m = gen, make(map[string][]Article)
	}
	r.m[key] = cards
}

// crossJoin is CROSS JOIN, SQLite's way of keeping the join order as written; PostgreSQL
// takes no ON after CROSS JOIN and plans the order itself.
func (s *Service) crossJoin() string {
	if database.Engine(s.db) == database.Postgres {
		return "JOIN"
	}
	return "CROSS JOIN"
}

// scanOne runs q and hands its first row to scan; sql.ErrNoRows when there is none. (GORM's
// Row() gives nil when the query fails, a cancelled request for one.)
func scanOne(q *gorm.DB, scan func(*sql.Rows) error) error {
	rows, err := q.Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	if err := scan(rows); err != nil {
		return err
	}
	return rows.Close()
}

// scanValues is scanOne into dest.
func scanValues(q *gorm.DB, dest ...any) error {
	return scanOne(q, func(rows *sql.Rows) error { return rows.Scan(dest...) })
}

// pluck runs a query of one integer column and returns its values.
func (s *Service) pluck(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := s.db.WithContext(ctx).Raw(query, args...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// loadTags fills Tags of every article with one query.
func (s *Service) loadTags(ctx context.Context, arts []*Article) error {
	return loadTagsTx(s.db.WithContext(ctx), arts)
}

// loadTagsTx is loadTags with db, which may be a transaction.
func loadTagsTx(db *gorm.DB, arts []*Article) error {
	if len(arts) == 0 {
		return nil
	}
	ids := make([]int64, len(arts))
	byID := make(map[int64]*Article, len(arts))
	for i, a := range arts {
		ids[i] = a.ID
		byID[a.ID] = a
		a.Tags = nil
	}
	rows, err := db.Raw(`SELECT at.article_id, t.id, t.name, t.slug FROM article_tags at
		JOIN tags t ON t.id = at.tag_id WHERE at.article_id IN ? ORDER BY t.name`, ids).Rows()
	if err != nil {
		return fmt.Errorf("news: tags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var articleID int64
		var t Tag
		if err := rows.Scan(&articleID, &t.ID, &t.Name, &t.Slug); err != nil {
			return fmt.Errorf("news: tags: %w", err)
		}
		a := byID[articleID]
		a.Tags = append(a.Tags, t)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("news: tags: %w", err)
	}
	return nil
}
