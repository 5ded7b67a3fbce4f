package news

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"

	"campusnews/internal/changes"
	"campusnews/internal/database"
)

// Service answers every question about news and applies every change to it. What it keeps in
// memory (the category tree, listing counts, popular tags) belongs to one content version and
// is read again when the version moves, whichever process moved it.
type Service struct {
	db      *gorm.DB
	now     func() time.Time
	changes *changes.Watcher

	treeMu       sync.Mutex
	tree         atomic.Pointer[treeAt]
	popular      atomic.Pointer[popularTags]
	allTags      atomic.Pointer[popularTags]
	counts       listingCounts
	publishedEst atomic.Pointer[estimate] // see publishedEstimate

	relatedSets relatedMemo

	viewMu sync.Mutex // prepares view
	view   atomic.Pointer[viewStmts]

	scheduled SchedulerObserver // told of each scheduler run; nil: nobody
}

// treeAt is the category tree as it was at content version gen.
type treeAt struct {
	gen  uint64
	tree *Tree
}

// NewService returns a Service on db; w tells it when content has changed.
func NewService(db *gorm.DB, w *changes.Watcher) *Service {
	return &Service{db: db, changes: w, now: func() time.Time { return time.Now().UTC().Truncate(time.Second) }}
}

// SetClock replaces the clock, for tests of scheduling.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Generation is the content version this process knows of; it changes whenever something
// readers can see has changed.
func (s *Service) Generation() uint64 { return s.changes.Gen() }

// write runs fn in one transaction. When fn reports a change readers can see, the content
// version moves in the same transaction, and this process knows it before write returns, so
// the request that made the change never sees what came before. (Should reading it back fail,
// the watcher's poll catches up within changes.PollInterval.)
func (s *Service) write(ctx context.Context, fn func(tx *gorm.DB) (visible bool, err error)) error {
	var visible bool
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		v, err := fn(tx)
		if err != nil || !v {
			return err
		}
		visible = true
		return changes.Bump(tx)
	})
	if err == nil && visible {
		s.changes.Sync(context.WithoutCancel(ctx)) //nolint:errcheck // see above
	}
	return err
}

// Tree returns the category tree, loading it once per content version.
func (s *Service) Tree(ctx context.Context) (*Tree, error) {
	// The version is read before the tree: a tree loaded across a change is kept under the
	// version before it, and so read again at once.
	gen := s.changes.Gen()
	if t := s.tree.Load(); t != nil && t.gen == gen {
		return t.tree, nil
	}
	s.treeMu.Lock()
	defer s.treeMu.Unlock()
	if t := s.tree.Load(); t != nil && t.gen == gen {
		return t.tree, nil
	}
	t, err := loadTree(s.db.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	t.Gen = gen
	if old := s.tree.Load(); old == nil || old.gen <= gen {
		s.tree.Store(&treeAt{gen: gen, tree: t})
	}
	return t, nil
}

// published scopes a query to what readers may see.
func (s *Service) published(ctx context.Context) *gorm.DB {
	return s.db.WithContext(ctx).Model(&Article{}).Where("status = ?", Published)
}

// Listing is one page of articles.
type Listing struct {
	Articles []Article
	Page     int // 1-based
	PerPage  int
	Total    int64
}

// Pages is the number of pages, at least 1.
func (l Listing) Pages() int { return PageCount(l.Total, l.PerPage) }

// PageCount is how many pages of perPage hold total items; an empty list has one page.
func PageCount(total int64, perPage int) int {
	if perPage <= 0 || total <= 0 {
		return 1
	}
	return int((total + int64(perPage) - 1) / int64(perPage))
}

// ListFilter selects published articles for a listing.
type ListFilter struct {
	CategoryIDs []int64 // empty: every category
	TagID       int64
	From, To    time.Time // published in [From, To) when set
}

// isAll reports whether f matches every published article.
func (f ListFilter) isAll() bool {
	return len(f.CategoryIDs) == 0 && f.TagID == 0 && f.From.IsZero()
}

func (s *Service) filtered(ctx context.Context, f ListFilter) *gorm.DB {
	return s.db.WithContext(ctx).Model(&Article{}).Where(f.where(), f.args()...)
}

// List returns page (1-based) of published articles matching f, newest first. A page past the
// end returns ErrNotFound.
func (s *Service) List(ctx context.Context, f ListFilter, page, perPage int) (*Listing, error) {
	if page < 1 || perPage < 1 {
		return nil, ErrNotFound
	}
	l := &Listing{Page: page, PerPage: perPage}
	total, err := s.count(ctx, f)
	if err != nil {
		return nil, err
	}
	l.Total = total
	if page > l.Pages() {
		return nil, ErrNotFound
	}
	ids, err := s.pickIDs(ctx, f, perPage, (page-1)*perPage, total)
	if err != nil {
		return nil, err
	}
	arts, err := s.byIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	l.Articles = arts
	return l, nil
}

// maxCachedCounts bounds the listing counts kept between changes: one per category, section,
// tag and archive month a site is likely to have, with room to spare.
const maxCachedCounts = 4096

// listingCounts keeps how many articles each listing holds until the next change. Counting
// reads every index entry of the listing (2 ms for 30,000 articles, 20 ms for a tag on 10,000),
// and every page of a listing needs the same number.
type listingCounts struct {
	mu  sync.Mutex
	gen uint64
	m   map[string]int64
}

// count returns how many published articles f matches.
func (s *Service) count(ctx context.Context, f ListFilter) (int64, error) {
	// The generation is read before counting, so a count that may predate a change is kept
	// under the generation before it and never served after it.
	gen := s.Generation()
	key := fmt.Sprint(f.CategoryIDs, f.TagID, f.From.Unix(), f.To.Unix())
	c := &s.counts
	c.mu.Lock()
	n, ok := c.m[key]
	ok = ok && c.gen == gen
	c.mu.Unlock()
	if ok {
		return n, nil
	}
	var err error
	if f.TagID != 0 && f.From.IsZero() {
		n, err = s.countTagged(ctx, f)
	} else {
		err = s.filtered(ctx, f).Count(&n).Error
	}
	if err != nil {
		return 0, fmt.Errorf("news: count listing: %w", err)
	}
	if f.isAll() {
		s.publishedEst.Store(&estimate{n: n, at: s.now()})
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || c.gen != gen || len(c.m) >= maxCachedCounts {
		if gen < c.gen {
			return n, nil // counted before a newer change: not worth keeping
		}
		c.gen, c.m = gen, make(map[string]int64)
	}
	c.m[key] = n
	return n, nil
}

// countTagged is count for a tag's listing. Left to itself the database reads every published
// article of the listing index and keeps the tagged ones (31 ms for a tag on 10,000 of
// 100,000); reading the tag's rows and looking each one's status and category up in the index
// by id reads only those (6 ms). That is the way unless the tag is on more than half of the
// articles, which an index-only count of its rows tells.
func (s *Service) countTagged(ctx context.Context, f ListFilter) (int64, error) {
	all, err := s.publishedEstimate(ctx)
	if err != nil {
		return 0, err
	}
	var tagged, n int64
	if err := s.db.WithContext(ctx).Raw("SELECT count(*) FROM article_tags WHERE tag_id = ?", f.TagID).
		Scan(&tagged).Error; err != nil {
		return 0, err
	}
	if tagged*2 > all {
		err := s.filtered(ctx, f).Count(&n).Error
		return n, err
	}
	q := "SELECT count(*) FROM article_tags t " + s.crossJoin() + " articles a" + s.indexedBy("articles_id_status") +
		" ON a.id = t.article_id WHERE t.tag_id = ? AND a.status = ?"
	args := []any{f.TagID, Published}
	if len(f.CategoryIDs) > 0 {
		// The unary plus checks the category in the index entry found, rather than seeking
		// each category in turn.
		q += " AND +a.category_id IN ?"
		args = append(args, f.CategoryIDs)
	}
	err = s.db.WithContext(ctx).Raw(q, args...).Scan(&n).Error
	return n, err
}

// estimate is a count and when it was made.
type estimate struct {
	n  int64
	at time.Time
}

// publishedEstimate is how many articles are published, counted at most a minute ago. The
// ways of reading a topic are chosen with it (countTagged, pickTagged), for which it is
// exact enough; counting afresh after every change took as long as the rest of a topic page.
func (s *Service) publishedEstimate(ctx context.Context) (int64, error) {
	if e := s.publishedEst.Load(); e != nil && s.now().Sub(e.at) < time.Minute {
		return e.n, nil
	}
	return s.count(ctx, ListFilter{})
}

// pickIDs returns the ids of the articles at [offset, offset+limit) of f's listing, newest
// first, reading index entries only. Several categories are read each from its own part of the
// category index and merged, so the newest of a section never needs a sort of the whole
// section. total is how many articles the listing holds (see count).
func (s *Service) pickIDs(ctx context.Context, f ListFilter, limit, offset int, total int64) ([]int64, error) {
	var ids []int64
	var err error
	switch {
	case f.TagID != 0:
		ids, err = s.pickTagged(ctx, f, limit, offset, total)
	case len(f.CategoryIDs) < 2 || !f.From.IsZero():
		ids, err = s.pluck(ctx, "SELECT id FROM articles WHERE "+f.where()+" ORDER BY published_at DESC, id DESC LIMIT ? OFFSET ?",
			append(f.args(), limit, offset)...)
	default:
		k := strconv.Itoa(limit + offset)
		parts := make([]string, len(f.CategoryIDs))
		args := make([]any, 0, 2*len(f.CategoryIDs)+2)
		for i, id := range f.CategoryIDs {
			parts[i] = "SELECT * FROM (SELECT id, published_at FROM articles WHERE status = ? AND category_id = ? " +
				"ORDER BY published_at DESC, id DESC LIMIT " + k + ") AS c" + strconv.Itoa(i)
			args = append(args, Published, id)
		}
		args = append(args, limit, offset)
		ids, err = s.pluck(ctx, "SELECT id FROM ("+strings.Join(parts, " UNION ALL ")+
			") AS picked ORDER BY published_at DESC, id DESC LIMIT ? OFFSET ?", args...)
	}
	if err != nil {
		return nil, fmt.Errorf("news: list ids: %w", err)
	}
	return ids, nil
}

// pickTagged is pickIDs for a tag's listing, which can be read two ways. Walking the listing
// index newest first and keeping the tagged articles reads (offset+limit) × published / total
// entries: the way for the first pages of a tag many articles carry. Reading the tag's
// articles and sorting them reads total: the way for a rare tag, or deep pages. (Left to
// itself SQLite sorted every tagged article for every page: 4 ms a page for a tag on 12,000.)
func (s *Service) pickTagged(ctx context.Context, f ListFilter, limit, offset int, total int64) ([]int64, error) {
	all, err := s.publishedEstimate(ctx)
	if err != nil {
		return nil, err
	}
	args := []any{f.TagID, Published}
	cats := ""
	if len(f.CategoryIDs) > 0 {
		cats, args = " AND a.category_id IN ?", append(args, f.CategoryIDs)
	}
	args = append(args, limit, offset)
	if total > 0 && int64(offset+limit)*all/total < total {
		return s.pluck(ctx, `SELECT a.id FROM articles a`+s.indexedBy("articles_listing")+`
			WHERE EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = a.id AND t.tag_id = ?)
			AND a.status = ?`+cats+` ORDER BY a.published_at DESC, a.id DESC LIMIT ? OFFSET ?`, args...)
	}
	return s.pluck(ctx, `SELECT a.id FROM article_tags t `+s.crossJoin()+` articles a ON a.id = t.article_id
		WHERE t.tag_id = ? AND a.status = ?`+cats+` ORDER BY a.published_at DESC, a.id DESC LIMIT ? OFFSET ?`, args...)
}

// where is the condition f puts on the articles table, with args its arguments.
func (f ListFilter) where() string {
	w := "status = ?"
	if len(f.CategoryIDs) == 1 {
		w += " AND category_id = ?"
	} else if len(f.CategoryIDs) > 1 {
		w += " AND category_id IN ?"
	}
	if f.TagID != 0 {
		w += " AND id IN (SELECT article_id FROM article_tags WHERE tag_id = ?)"
	}
	if !f.From.IsZero() {
		w += " AND published_at >= ? AND published_at < ?"
	}
	return w
}

// args are the arguments of where.
func (f ListFilter) args() []any {
	args := []any{Published}
	if len(f.CategoryIDs) == 1 {
		args = append(args, f.CategoryIDs[0])
	} else if len(f.CategoryIDs) > 1 {
		args = append(args, f.CategoryIDs)
	}
	if f.TagID != 0 {
		args = append(args, f.TagID)
	}
	if !f.From.IsZero() {
		// Stored times are UTC; bounds in another zone would compare as different text.
		args = append(args, f.From.UTC(), f.To.UTC())
	}
	return args
}

// indexedBy is SQLite's hint to read table through index, where its planner would choose
// worse; other databases plan for themselves.
func (s *Service) indexedBy(index string) string {
	if database.Engine(s.db) == database.SQLite {
		return " INDEXED BY " + index
	}
	return ""
}

// cardColumns are what a list of articles shows: never the bodies. scanCard reads them in
// this order.
const cardColumns = "id, category_id, title, slug, summary, cover_media_id, source, author, status, " +
	"published_at, expires_at, pinned, featured, views, updated_at"

// cardDest is where a row of cardColumns goes in a.
func cardDest(a *Article) []any {
	return []any{&a.ID, &a.CategoryID, &a.Title, &a.Slug, &a.Summary, &a.CoverMediaID, &a.Source, &a.Author,
		&a.Status, &a.PublishedAt, &a.ExpiresAt, &a.Pinned, &a.Featured, &a.Views, &a.UpdatedAt}
}

// scanCard reads one row of cardColumns into a.
func scanCard(rows *sql.Rows, a *Article) error {
	return rows.Scan(cardDest(a)...)
}

// byIDs reads the list columns of ids, keeping their order. (Scanned by hand: every listing
// and article page reads cards, and GORM's reflection cost more than the query.)
func (s *Service) byIDs(ctx context.Context, ids []int64) ([]Article, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := s.db.WithContext(ctx).Raw("SELECT "+cardColumns+" FROM articles WHERE id IN ?", ids).Rows()
	if err != nil {
		return nil, fmt.Errorf("news: read articles: %w", err)
	}
	defer rows.Close()
	pos := make(map[int64]int, len(ids))
	for i, id := range ids {
		pos[id] = i
	}
	out := make([]Article, len(ids))
	for rows.Next() {
		var a Article
		if err := scanCard(rows, &a); err != nil {
			return nil, fmt.Errorf("news: read articles: %w", err)
		}
		if i, ok := pos[a.ID]; ok {
			out[i] = a
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("news: read articles: %w", err)
	}
	return compact(out), nil
}

// compact drops zero articles (ids that vanished between the two reads).
func compact(in []Article) []Article {
	out := in[:0]
	for _, a := range in {
		if a.ID != 0 {
			out = append(out, a)
		}
	}
	return out
}

// Latest returns the n newest published articles matching f.
func (s *Service) Latest(ctx context.Context, f ListFilter, n int) ([]Article, error) {
	ids, err := s.pickIDs(ctx, f, n, 0, 0)
	if err != nil {
		return nil, err
	}
	return s.byIDs(ctx, ids)
}

// TagBySlug returns the tag with slug.
func (s *Service) TagBySlug(ctx context.Context, slug string) (*Tag, error) {
	var t Tag
	err := s.db.WithContext(ctx).Where("slug = ?", slug).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("news: tag %q: %w", slug, err)
	}
	return &t, nil
}

// TagCount is a tag with how many published articles carry it.
type TagCount struct {
	Tag
	Count int64
}

type popularTags struct {
	gen  uint64
	n    int
	tags []TagCount
}

// topicWindow is how many of the newest stories PopularTags reads: the topics of the current
// news, not of the whole archive, and a bounded cost however large the archive grows.
const topicWindow = 1000

// PopularTags returns the n tags on most of the newest published articles (the latest
// topicWindow) in categories ids (the visible ones), with how many of those carry each. It is
// read again after each change, which is also the only thing that changes ids; reading a
// window keeps that cheap when changes come several a second (counting every tag link of
// 100,000 articles took 80 ms).
func (s *Service) PopularTags(ctx context.Context, ids []int64, n int) ([]TagCount, error) {
	return s.tagCounts(ctx, &s.popular, ids, n, `SELECT t.id, t.name, t.slug, COUNT(*) AS count
		FROM (SELECT id FROM articles WHERE status = ? AND category_id IN ?
			ORDER BY published_at DESC, id DESC LIMIT `+strconv.Itoa(topicWindow)+`) AS r
		JOIN article_tags at ON at.article_id = r.id JOIN tags t ON t.id = at.tag_id
		GROUP BY t.id, t.name, t.slug ORDER BY count DESC, t.name LIMIT ?`)
}

// TagCounts returns the n tags on most published articles in categories ids, with how many
// carry each: every topic, for the topics page. Counting reads every tag link, so the answer
// is kept until the next change.
func (s *Service) TagCounts(ctx context.Context, ids []int64, n int) ([]TagCount, error) {
	return s.tagCounts(ctx, &s.allTags, ids, n, `SELECT t.id, t.name, t.slug, COUNT(*) AS count
		FROM tags t JOIN article_tags at ON at.tag_id = t.id
		JOIN articles a ON a.id = at.article_id AND a.status = ? AND a.category_id IN ?
		GROUP BY t.id, t.name, t.slug ORDER BY count DESC, t.name LIMIT ?`)
}

// tagCounts runs query (taking the status, ids and n) unless memo holds its answer for this
// content version and n.
func (s *Service) tagCounts(ctx context.Context, memo *atomic.Pointer[popularTags], ids []int64, n int, query string) ([]TagCount, error) {
	gen := s.Generation()
	if p := memo.Load(); p != nil && p.gen == gen && p.n == n {
		return p.tags, nil
	}
	if len(ids) == 0 {
		return nil, nil
	}
	var out []TagCount
	if err := s.db.WithContext(ctx).Raw(query, Published, ids, n).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("news: popular tags: %w", err)
	}
	memo.Store(&popularTags{gen: gen, n: n, tags: out})
	return out, nil
}

// MonthCount is how many articles were published in a month.
type MonthCount struct {
	Year  int
	Month time.Month
	Count int64
}

// Archive returns the months that have published articles in categories ids, newest first.
func (s *Service) Archive(ctx context.Context, ids []int64) ([]MonthCount, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []struct {
		YM    string
		Count int64
	}
	err := s.filtered(ctx, ListFilter{CategoryIDs: ids}).Select(yearMonth(s.db) + " AS ym, COUNT(*) AS count").
		Group("ym").Order("ym DESC").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("news: archive: %w", err)
	}
	out := make([]MonthCount, 0, len(rows))
	for _, r := range rows {
		t, err := time.Parse("2006-01", r.YM)
		if err != nil {
			continue
		}
		out = append(out, MonthCount{Year: t.Year(), Month: t.Month(), Count: r.Count})
	}
	return out, nil
}

// yearMonth is published_at as YYYY-MM text in db's engine's SQL.
func yearMonth(db *gorm.DB) string {
	if database.Engine(db) == database.Postgres {
		return "to_char(published_at, 'YYYY-MM')" // the session's time zone is UTC
	}
	return "strftime('%Y-%m', published_at)"
}

// FeedArticles returns the n newest published articles matching f with their bodies.
func (s *Service) FeedArticles(ctx context.Context, f ListFilter, n int) ([]Article, error) {
	var out []Article
	q := s.filtered(ctx, f).Select("articles.*, " + bodyColumns).Joins("JOIN article_bodies b ON b.article_id = articles.id")
	if err := q.Order("published_at DESC, id DESC").Limit(n).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("news: feed: %w", err)
	}
	return out, nil
}

// SitemapEntry is what a sitemap lists of an article.
type SitemapEntry struct {
	ID         int64
	CategoryID int64
	Slug       string
	UpdatedAt  time.Time
}

// CountPublished is how many articles readers can see.
func (s *Service) CountPublished(ctx context.Context) (int64, error) {
	var n int64
	if err := s.published(ctx).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("news: count published: %w", err)
	}
	return n, nil
}

// SitemapEntries returns published articles [offset, offset+limit) by id.
func (s *Service) SitemapEntries(ctx context.Context, offset, limit int) ([]SitemapEntry, error) {
	var out []SitemapEntry
	err := s.published(ctx).Select("id, category_id, slug, updated_at").Order("id").
		Offset(offset).Limit(limit).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("news: sitemap: %w", err)
	}
	return out, nil
}

// PublishedByIDs returns the published articles among ids, in the order of ids.
func (s *Service) PublishedByIDs(ctx context.Context, ids []int64) ([]Article, error) {
	arts, err := s.byIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := arts[:0]
	for _, a := range arts {
		if a.Status == Published {
			out = append(out, a)
		}
	}
	return out, nil
}
