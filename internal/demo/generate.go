package demo

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"

	"campusnews/internal/news"
)

const (
	// genBatch is how many articles one transaction writes: big enough that commits cost
	// little, small enough that readers are not held up for long.
	genBatch = 5000
	// genSeed with the largest article id seeds the generator: the same database gives the
	// same articles, and a second run gives different ones.
	genSeed = 0x6e6f72746862 // "northb"
	// genNewsShare of every 20 generated articles go to News when the demo categories exist.
	genNewsShare = 7
	// genSpan is how far back publication dates go.
	genSpan = 8 * 365 * 24 * time.Hour
	// genCacheKiB is the page cache the generating connection uses while it writes.
	genCacheKiB = 64 * 1024
)

// Generate adds n published articles for load tests, with their search index entries and one
// or two existing tags each (a few tags are created if there are none). If the demo's News
// category exists it gets 35% of them and the other leaf categories share the rest; in a
// database without categories a "Generated" section with 19 categories is created first.
// Text comes from a generator seeded with the largest article id, so a given database always
// gets the same titles and bodies (dates count back from now).
// Progress lines go to progress (nil for none).
//
// It writes through the plain driver with prepared statements, genBatch rows a transaction,
// while another goroutine makes the text of the next batch.
func Generate(ctx context.Context, db *gorm.DB, n int, progress io.Writer) error {
	if n <= 0 {
		return nil
	}
	if progress == nil {
		progress = io.Discard
	}
	sqlDB, err := db.DB()
	if err != nil {
		return fmt.Errorf("demo: generate: %w", err)
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("demo: generate: %w", err)
	}
	defer conn.Close()
	plan, err := planGeneration(ctx, conn)
	if err != nil {
		return err
	}
	restore, err := enlargeCache(ctx, conn)
	if err != nil {
		return err
	}
	defer restore()

	start := time.Now()
	step := 10000
	if n < 100000 {
		step = (n + 9) / 10
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []genRow, 2)
	go plan.produce(ctx, n, min(genBatch, step), batches)

	done, next := 0, step
	for rows := range batches {
		if err := writeBatch(ctx, conn, rows); err != nil {
			return err
		}
		done += len(rows)
		if done >= next || done == n {
			fmt.Fprintf(progress, "seeded %d/%d articles (%.1f s)\n", done, n, time.Since(start).Seconds())
			for next <= done {
				next += step
			}
		}
	}
	if done < n {
		return fmt.Errorf("demo: generate: stopped after %d of %d articles: %w", done, n, context.Cause(ctx))
	}
	secs := time.Since(start).Seconds()
	fmt.Fprintf(progress, "seeded %d articles in %.1f s (%.0f articles/s)\n", n, secs, float64(n)/secs)
	return nil
}

// enlargeCache gives conn a bigger page cache for the bulk insert (index pages stay in memory
// between transactions) and returns a function that puts the old size back.
func enlargeCache(ctx context.Context, conn *sql.Conn) (func(), error) {
	var old int64
	if err := conn.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&old); err != nil {
		return nil, fmt.Errorf("demo: generate: read cache size: %w", err)
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", genCacheKiB)); err != nil {
		return nil, fmt.Errorf("demo: generate: cache size: %w", err)
	}
	return func() {
		// The connection goes back to the pool: leave it as it was, even if ctx has ended.
		conn.ExecContext(context.Background(), fmt.Sprintf("PRAGMA cache_size = %d", old)) //nolint:errcheck // best effort
	}, nil
}

const insertArticle = `INSERT INTO articles (id, category_id, title, slug, summary, body_source, body_html,
	source, author, photographer, editor, status, published_at, views, created_at, updated_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

const indexBatch = `INSERT INTO articles_fts (rowid, title, summary, body)
	SELECT id, title, summary, replace(body_source, char(10) || char(10), ' ')
	FROM articles WHERE id > ? AND id <= ? ORDER BY id`

// writeBatch inserts rows in one transaction. Ids follow the largest id read inside the
// transaction, which holds the write lock from BEGIN (the DSN asks for immediate
// transactions), so a concurrent writer cannot take them.
func writeBatch(ctx context.Context, conn *sql.Conn, rows []genRow) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("demo: generate: begin: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	var maxID int64
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM articles").Scan(&maxID); err != nil {
		return fmt.Errorf("demo: generate: last id: %w", err)
	}
	insA, err := tx.PrepareContext(ctx, insertArticle)
	if err != nil {
		return fmt.Errorf("demo: generate: prepare: %w", err)
	}
	insT, err := tx.PrepareContext(ctx, "INSERT INTO article_tags (article_id, tag_id) VALUES (?, ?)")
	if err != nil {
		return fmt.Errorf("demo: generate: prepare: %w", err)
	}
	published := string(news.Published)
	for i := range rows {
		r := &rows[i]
		id := maxID + 1 + int64(i)
		if _, err := insA.ExecContext(ctx, id, r.categoryID, r.title, suffixSlug(r.slugBase, id), r.summary,
			r.bodySource, r.bodyHTML, r.source, r.author, r.photographer, r.editor, published,
			r.publishedAt, r.views, r.createdAt, r.publishedAt); err != nil {
			return fmt.Errorf("demo: generate: article %d: %w", id, err)
		}
		for _, t := range r.tags {
			if t == 0 {
				continue
			}
			if _, err := insT.ExecContext(ctx, id, t); err != nil {
				return fmt.Errorf("demo: generate: tag %d: %w", id, err)
			}
		}
	}
	// The index gets the batch in one statement, read back from the pages just written: the
	// text does not cross from Go to C a second time. A generated body is plain paragraphs,
	// so its plain text (what search.Index is given) is the source with "\n\n" as a space.
	if _, err := tx.ExecContext(ctx, indexBatch, maxID, maxID+int64(len(rows))); err != nil {
		return fmt.Errorf("demo: generate: index: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("demo: generate: commit: %w", err)
	}
	return nil
}

// suffixSlug appends "-id" to base, shortening base at a hyphen so the whole stays a valid
// slug (at most 80 bytes). The id makes it unique.
func suffixSlug(base string, id int64) string {
	suffix := fmt.Sprintf("-%d", id)
	const maxLen = 80
	if len(base)+len(suffix) > maxLen {
		base = base[:maxLen-len(suffix)]
		for len(base) > 0 && base[len(base)-1] != '-' {
			base = base[:len(base)-1]
		}
		for len(base) > 0 && base[len(base)-1] == '-' {
			base = base[:len(base)-1]
		}
	}
	if base == "" {
		return "article" + suffix
	}
	return base + suffix
}

// genRow is one generated article, everything but its id.
type genRow struct {
	categoryID                           int64
	title, slugBase, summary             string
	bodySource, bodyHTML                 string
	source, author, photographer, editor string
	publishedAt, createdAt               time.Time
	views                                int64
	tags                                 [2]int64 // the second is 0 for one tag
}

// produce makes n rows in batches of size and sends them to out, which it closes at the end
// or when ctx ends.
func (p *genPlan) produce(ctx context.Context, n, size int, out chan<- []genRow) {
	defer close(out)
	r := rand.New(rand.NewPCG(genSeed, uint64(p.maxID)))
	g := newTextGen(r)
	now := time.Now().UTC().Truncate(time.Second)
	for i := 0; i < n; i += size {
		rows := make([]genRow, min(size, n-i))
		for j := range rows {
			p.fill(&rows[j], g, i+j, n, now)
		}
		select {
		case out <- rows:
		case <-ctx.Done():
			return
		}
	}
}

// fill makes row the k-th of n generated articles.
func (p *genPlan) fill(row *genRow, g *textGen, k, n int, now time.Time) {
	r := g.r
	switch {
	case p.news != 0 && k%20 < genNewsShare:
		row.categoryID = p.news
	case len(p.others) > 0:
		row.categoryID = p.others[r.IntN(len(p.others))]
	default:
		row.categoryID = p.news
	}
	row.title = g.title()
	row.slugBase = news.Slugify(row.title)
	row.summary = g.summary()
	row.bodySource, row.bodyHTML = g.body()
	row.source = genSources[r.IntN(len(genSources))]
	row.author = genFirst[r.IntN(len(genFirst))] + " " + genLast[r.IntN(len(genLast))]
	row.photographer = ""
	if r.IntN(10) < 7 {
		row.photographer = genFirst[r.IntN(len(genFirst))] + " " + genLast[r.IntN(len(genLast))]
	}
	row.editor = genEditors[r.IntN(len(genEditors))]
	// Dates climb with the ids, as a real archive's do: article k of n falls in the k-th of n
	// equal slices of the span, at a random second inside it. Inserting in date order also
	// puts the listing indexes' new entries at their ends rather than all over them, which
	// measured about a tenth less CPU than random dates.
	span := int64(genSpan / time.Second)
	ago := span - int64(k)*span/int64(n) - r.Int64N(max(span/int64(n), 1))
	row.publishedAt = now.Add(-time.Duration(max(ago, 1)) * time.Second)
	row.createdAt = row.publishedAt.Add(-time.Duration(600+r.Int64N(3*24*3600)) * time.Second)
	row.views = 5 + int64(r.ExpFloat64()*400)
	row.tags = [2]int64{p.tags[r.IntN(len(p.tags))], 0}
	if len(p.tags) > 1 && r.IntN(2) == 0 {
		for row.tags[1] == 0 || row.tags[1] == row.tags[0] {
			row.tags[1] = p.tags[r.IntN(len(p.tags))]
		}
	}
}

var (
	genSources = []string{"Office of Communications", "School of Chemical Engineering", "Faculty of Arts",
		"School of Medicine", "Department of Physics", "University Library", "Students' Union",
		"Northbridge Athletics", "Graduate School", "International Office", "Alumni Relations",
		"Research Office", "School of Business", "School of Law", "Department of Computer Science"}
	genFirst = []string{"Alice", "Ben", "Chloe", "Daniel", "Emma", "Farid", "Grace", "Hannah", "Isaac",
		"Jun", "Katie", "Liam", "Maria", "Nikhil", "Olivia", "Priya", "Rosa", "Samuel", "Tom", "Yara"}
	genLast = []string{"Adams", "Brennan", "Chen", "Dlamini", "Evans", "Fischer", "Garcia", "Hughes",
		"Iqbal", "Jones", "Kowalski", "Li", "Murphy", "Novak", "Okafor", "Patel", "Quinn", "Rossi",
		"Smith", "Walsh"}
	genEditors = []string{"Helen Marsh", "David Okoye", "Sarah Lindqvist", "Mark Feeney"}
)
