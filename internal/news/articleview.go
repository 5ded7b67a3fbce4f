package news

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"campusnews/internal/database"
)

// The article page is the page most readers arrive on, mostly without the page cache (links
// and search engines spread over the whole archive). Its reads are written out and scanned by
// hand, where GORM's reflection cost more than the queries did, and made in one indexed
// query: on SQLite each statement run costs about as much again as its reads (a read
// transaction begun and ended, the driver's per-column calls).

// ArticleView is what an article's page shows of the news.
type ArticleView struct {
	Article *Article // with its body and tags
	// In its category, just older and just newer, as far as a link to each needs
	// (its id, title, slug and date); nil at either end.
	Prev, Next *Article
	Related    []Article
}

// ArticleView returns the published article id as its page shows it, with up to related
// related articles, or ErrNotFound. It costs one query (the article with its event, its tags
// and the links to its neighbours); the related stories are usually known already.
func (s *Service) ArticleView(ctx context.Context, id int64, related int) (*ArticleView, error) {
	v, err := s.articleView(ctx, id)
	if err != nil {
		return nil, err
	}
	if v.Related, err = s.related(ctx, v.Article, related); err != nil {
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
// (BodySource stays empty), its tags and its event, in one query.
func (s *Service) PublishedArticle(ctx context.Context, id int64) (*Article, error) {
	v, err := s.articleView(ctx, id)
	if err != nil {
		return nil, err
	}
	return v.Article, nil
}

// articleView reads the published article id with its tags, its event and the links to its
// neighbours in its category, in one query; Related is left empty.
func (s *Service) articleView(ctx context.Context, id int64) (*ArticleView, error) {
	var a Article
	// The event comes in the same query: the page of every article, event or not, costs no
	// query more for it.
	var ev struct {
		id                                *int64
		start, end                        *time.Time
		allDay                            *bool
		zone, venue, online, registration *string
	}
	var tags []byte
	var near [2]neighbourLink // older, newer
	st, err := s.viewStatements()
	if err == nil {
		dest := append(publicDest(&a), &ev.id, &ev.start, &ev.end, &ev.allDay, &ev.zone, &ev.venue, &ev.online,
			&ev.registration, &tags)
		dest = append(dest, near[0].dest()...)
		err = scanStmt(ctx, st.article, []any{id, Published}, append(dest, near[1].dest()...)...)
	}
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
	if len(tags) > 0 { // PostgreSQL's json_agg of no rows is null
		if err := json.Unmarshal(tags, &a.Tags); err != nil {
			return nil, fmt.Errorf("news: tags of article %d: %w", id, err)
		}
	}
	return &ArticleView{Article: &a, Prev: near[0].article(&a), Next: near[1].article(&a)}, nil
}

// neighbourLink is a neighbour's columns in the article's query, all null when there is none.
type neighbourLink struct {
	id          *int64
	title, slug *string
	at          *time.Time
}

func (n *neighbourLink) dest() []any { return []any{&n.id, &n.title, &n.slug, &n.at} }

// article is the link to the neighbour of a, which shares a's category and status; nil when
// there is none.
func (n *neighbourLink) article(a *Article) *Article {
	if n.id == nil {
		return nil
	}
	return &Article{ID: *n.id, CategoryID: a.CategoryID, Status: a.Status, Title: deref(n.title), Slug: deref(n.slug),
		PublishedAt: n.at}
}

// tagsJSON is a column of the article a's tags by name, as a JSON array of objects that
// decode into Tag: the tags come in the article's own query, not one of their own.
func (s *Service) tagsJSON() string {
	if database.Engine(s.db) == database.Postgres {
		return `(SELECT json_agg(json_build_object('id', t.id, 'name', t.name, 'slug', t.slug) ORDER BY t.name)
			FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id)`
	}
	return `(SELECT json_group_array(json_object('id', t.id, 'name', t.name, 'slug', t.slug) ORDER BY t.name)
		FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id)`
}

// neighbourJoin joins, as alias, the published article of a's category just older (cmp "<",
// order "DESC") or just newer (">", "ASC") than a, from the listing index. Row values let the
// database seek the index to the article instead of walking to it.
func neighbourJoin(alias, cmp, order string) string {
	return " LEFT JOIN articles " + alias + " ON " + alias + ".id = (SELECT o.id FROM articles o" +
		" WHERE o.status = a.status AND o.category_id = a.category_id AND (o.published_at, o.id) " + cmp +
		" (a.published_at, a.id) ORDER BY o.published_at " + order + ", o.id " + order + " LIMIT 1)"
}

// viewStmts are the article page's query, prepared once. Through GORM each run cost a
// statement built anew (cloned, its SQL scanned for placeholders): about 5% of a miss's CPU.
type viewStmts struct {
	article *sql.Stmt
}

// viewStatements prepares the article page's query on first use. A failure (the database
// away) is not kept: the next page tries again.
func (s *Service) viewStatements() (*viewStmts, error) {
	if st := s.view.Load(); st != nil {
		return st, nil
	}
	s.viewMu.Lock()
	defer s.viewMu.Unlock()
	if st := s.view.Load(); st != nil {
		return st, nil
	}
	pool, err := s.db.DB()
	if err != nil {
		return nil, fmt.Errorf("news: article query: %w", err)
	}
	articleSQL := "SELECT " + publicColumns + ", " + eventColumns + ", " + s.tagsJSON() +
		", older.id, older.title, older.slug, older.published_at, newer.id, newer.title, newer.slug, newer.published_at" +
		" FROM articles a JOIN article_bodies b ON b.article_id = a.id LEFT JOIN article_events e ON e.article_id = a.id" +
		neighbourJoin("older", "<", "DESC") + neighbourJoin("newer", ">", "ASC") +
		" WHERE a.id = ? AND a.status = ?"
	st := &viewStmts{}
	if st.article, err = pool.Prepare(placeholders(s.db, articleSQL)); err != nil {
		return nil, fmt.Errorf("news: prepare article query: %w", err)
	}
	s.view.Store(st)
	return st, nil
}

// placeholders numbers q's ? as $1, $2… when db is PostgreSQL, as GORM does for the queries
// it runs, for a statement prepared through database/sql. (q has no ? inside a string.)
func placeholders(db *gorm.DB, q string) string {
	if database.Engine(db) != database.Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// scanStmt runs st with args and scans its first row into dest; sql.ErrNoRows when there is
// none.
func scanStmt(ctx context.Context, st *sql.Stmt, args []any, dest ...any) error {
	rows, err := st.QueryContext(ctx, args...)
	return firstRow(rows, err, func(rows *sql.Rows) error { return rows.Scan(dest...) })
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
	return firstRow(rows, err, scan)
}

// firstRow hands the first of rows to scan and closes them; sql.ErrNoRows when there is none,
// err when the query failed.
func firstRow(rows *sql.Rows, err error, scan func(*sql.Rows) error) error {
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
