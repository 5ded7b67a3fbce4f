package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/mattn/go-sqlite3"
	"gorm.io/gorm"
)

// copyOrder is every table Copy moves, parents before the tables whose foreign keys point at
// them.
var copyOrder = []string{
	"categories", "media", "articles", "article_bodies", "article_events", "tags", "article_tags", "revisions",
	"article_sources", "article_redirects", "import_media",
	"users", "audit_entries", "settings", "id_sequences",
}

// notCopied are the tables Copy leaves, and why.
var notCopied = map[string]string{
	"schema_migrations": "the target's own migrations wrote it",
	"content_version":   "moved on past both sites' versions, so that running instances reload",
	"search_docs":       "rebuilt from the published articles",
	"user_sessions":     "staff sign in again on the new site",
	"login_failures":    "failed sign-ins count for a few minutes only",
}

// copyBatch is how many rows Copy moves between two progress reports.
const copyBatch = 1000

// CopyProgress hears how far a copy has come: done of total rows of table.
type CopyProgress func(table string, done, total int64)

// CopyStats is what a copy moved.
type CopyStats struct {
	Tables   []TableRows // in the order copied
	Searched int64       // published articles put in the search index
	Repaired int64       // text values PostgreSQL cannot store as they were (bad UTF-8, NUL)
}

// TableRows is the number of rows of one table.
type TableRows struct {
	Table string
	Rows  int64
}

// Copy moves a site from SQLite (src) into an empty PostgreSQL database (dst), both migrated
// to this binary's version: every table in copyOrder with its ids, the identity sequences moved
// past them, the search index rebuilt, the content version moved on. It reads one snapshot of
// src and writes in one transaction, streaming each table through COPY, and compares every
// table's row count before it commits: a copy that fails leaves dst as it was.
func Copy(ctx context.Context, src, dst *gorm.DB, progress CopyProgress) (CopyStats, error) {
	var stats CopyStats
	if Engine(src) != SQLite || Engine(dst) != Postgres {
		return stats, errors.New("database: copy goes from SQLite to PostgreSQL")
	}
	if progress == nil {
		progress = func(string, int64, int64) {}
	}
	want := PostgresMigrations[len(PostgresMigrations)-1].Version
	for _, db := range []*gorm.DB{src, dst} {
		if v, err := Version(ctx, db); err != nil || v != want {
			return stats, fmt.Errorf("database: copy: %s database at schema version %d (%v), want %d: migrate it first", Engine(db), v, err, want)
		}
	}

	// The source: one read transaction on one connection, so every table comes from the same
	// moment, while the site could go on writing.
	srcDB, err := src.DB()
	if err != nil {
		return stats, err
	}
	sconn, err := srcDB.Conn(ctx)
	if err != nil {
		return stats, err
	}
	defer sconn.Close()
	if _, err := sconn.ExecContext(ctx, "BEGIN DEFERRED"); err != nil {
		return stats, fmt.Errorf("database: copy: read the source: %w", err)
	}
	defer sconn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK") //nolint:errcheck // read only

	dstDB, err := dst.DB()
	if err != nil {
		return stats, err
	}
	dconn, err := dstDB.Conn(ctx)
	if err != nil {
		return stats, err
	}
	defer dconn.Close()
	err = dconn.Raw(func(dc any) error {
		conn := dc.(*stdlib.Conn).Conn()
		tx, err := conn.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // a no-op after Commit
		c := &copier{ctx: ctx, src: sconn, tx: tx, progress: progress}
		if err := c.run(&stats); err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
	if err != nil {
		return CopyStats{}, fmt.Errorf("database: copy: %w", err)
	}
	return stats, nil
}

// copier is one copy under way.
type copier struct {
	ctx      context.Context
	src      *sql.Conn
	tx       pgx.Tx
	progress CopyProgress
	repaired int64
}

// pgColumn is a column of the target and how to turn a SQLite value into its type.
type pgColumn struct {
	name, dataType string
	identity       bool
}

func (c *copier) run(stats *CopyStats) error {
	ctx := c.ctx
	// citext has no codec in pgx, which COPY's binary format needs; its binary form is text's.
	var citext uint32
	if err := c.tx.QueryRow(ctx, "SELECT 'citext'::regtype::oid").Scan(&citext); err != nil {
		return err
	}
	c.tx.Conn().TypeMap().RegisterType(&pgtype.Type{Name: "citext", OID: citext, Codec: pgtype.TextCodec{}})

	columns, err := c.columns()
	if err != nil {
		return err
	}
	for table := range columns {
		if _, ok := notCopied[table]; !ok && !slices.Contains(copyOrder, table) {
			return fmt.Errorf("the target has a table %s that this version does not know how to copy", table)
		}
	}
	for _, table := range copyOrder {
		if len(columns[table]) == 0 {
			return fmt.Errorf("the target has no table %s", table)
		}
		if table == "id_sequences" {
			continue // the migrations filled it; the source's rows replace them
		}
		var n int64
		if err := c.tx.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("the target is not empty: %s has %d rows; copy only into a new, empty database", table, n)
		}
	}
	if _, err := c.tx.Exec(ctx, "DELETE FROM id_sequences"); err != nil {
		return err
	}

	for _, table := range copyOrder {
		n, err := c.table(table, columns[table])
		if err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
		stats.Tables = append(stats.Tables, TableRows{table, n})
	}

	// New rows must not take the ids the copied ones have.
	for _, table := range copyOrder {
		for _, col := range columns[table] {
			if col.identity {
				q := fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%s', '%s'), COALESCE(MAX(%s), 0) + 1, false) FROM %s",
					table, col.name, col.name, table)
				if _, err := c.tx.Exec(ctx, q); err != nil {
					return fmt.Errorf("%s: sequence: %w", table, err)
				}
			}
		}
	}

	// The search index, as the search package fills it on publishing: published articles, their
	// plain text without the private-use characters it marks matches with, and with U+E002 for
	// every "<" (which PostgreSQL's parser would take for an HTML tag).
	tag, err := c.tx.Exec(ctx, `INSERT INTO search_docs (article_id, category_id, title, summary, body)
		SELECT a.id, a.category_id, translate(a.title, U&'<\E002\E000\E001', U&'\E002'),
			translate(a.summary, U&'<\E002\E000\E001', U&'\E002'), translate(b.text, U&'<\E002\E000\E001', U&'\E002')
		FROM articles a JOIN article_bodies b ON b.article_id = a.id
		WHERE a.status = 'published'`)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	stats.Searched = tag.RowsAffected()

	// Instances already running on the target (with nothing to show) must see the new content.
	var gen uint64
	if err := c.src.QueryRowContext(ctx, "SELECT gen FROM content_version WHERE id = 1").Scan(&gen); err != nil {
		return fmt.Errorf("content version: %w", err)
	}
	if _, err := c.tx.Exec(ctx, `UPDATE content_version SET gen = GREATEST(gen, $1) + 1, changed_unix = $2, exact = TRUE
		WHERE id = 1`, int64(gen), time.Now().Unix()); err != nil {
		return fmt.Errorf("content version: %w", err)
	}

	// Both sides count again: what the source's snapshot holds is what the target now holds.
	for _, tr := range stats.Tables {
		var s, d int64
		if err := c.src.QueryRowContext(ctx, "SELECT count(*) FROM "+tr.Table).Scan(&s); err != nil {
			return err
		}
		if err := c.tx.QueryRow(ctx, "SELECT count(*) FROM "+tr.Table).Scan(&d); err != nil {
			return err
		}
		if s != d || d != tr.Rows {
			return fmt.Errorf("count check: %s has %d rows in the source, %d in the target", tr.Table, s, d)
		}
	}
	stats.Repaired = c.repaired
	return nil
}

// columns reads the target's tables and their columns, in order.
func (c *copier) columns() (map[string][]pgColumn, error) {
	rows, err := c.tx.Query(c.ctx, `SELECT c.table_name, c.column_name, c.data_type, c.is_identity = 'YES'
		FROM information_schema.columns c
		JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
		ORDER BY c.table_name, c.ordinal_position`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]pgColumn{}
	for rows.Next() {
		var table string
		var col pgColumn
		if err := rows.Scan(&table, &col.name, &col.dataType, &col.identity); err != nil {
			return nil, err
		}
		out[table] = append(out[table], col)
	}
	return out, rows.Err()
}

// table streams one table from the source into the target and returns how many rows it moved.
func (c *copier) table(table string, cols []pgColumn) (int64, error) {
	var total int64
	if err := c.src.QueryRowContext(c.ctx, "SELECT count(*) FROM "+table).Scan(&total); err != nil {
		return 0, err
	}
	names := make([]string, len(cols))
	for i, col := range cols {
		names[i] = col.name
	}
	list := strings.Join(names, ", ")
	// Rows in key order; categories parents first, as each refers to its parent.
	q := fmt.Sprintf("SELECT %s FROM %s ORDER BY %s", list, table, orderOf(table))
	if table == "categories" {
		q = fmt.Sprintf(`WITH RECURSIVE tree(tid, depth) AS (
				SELECT id, 0 FROM categories WHERE parent_id IS NULL
				UNION ALL SELECT c.id, t.depth + 1 FROM categories c JOIN tree t ON c.parent_id = t.tid)
			SELECT %s FROM categories JOIN tree ON tree.tid = categories.id ORDER BY tree.depth, categories.id`, list)
	}
	rows, err := c.src.QueryContext(c.ctx, q)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	c.progress(table, 0, total)
	rs := &rowSource{c: c, rows: rows, cols: cols, table: table, total: total,
		vals: make([]any, len(cols)), ptrs: make([]any, len(cols))}
	for i := range rs.vals {
		rs.ptrs[i] = &rs.vals[i]
	}
	n, err := c.tx.CopyFrom(c.ctx, pgx.Identifier{table}, names, rs)
	if err != nil {
		return n, err
	}
	c.progress(table, n, total)
	return n, nil
}

// orderOf is the ORDER BY of a table's rows: its key.
func orderOf(table string) string {
	switch table {
	case "article_bodies", "article_events":
		return "article_id"
	case "article_sources", "import_media":
		return "source, key"
	case "article_redirects":
		return "path"
	case "article_tags":
		return "article_id, tag_id"
	case "settings":
		return "key"
	case "id_sequences":
		return "name"
	}
	return "id"
}

// rowSource feeds COPY the source's rows, converted to the target's types.
type rowSource struct {
	c            *copier
	rows         *sql.Rows
	cols         []pgColumn
	table        string
	total, done  int64
	vals, ptrs   []any
	err          error
	out          []any
	lastReported int64
}

func (r *rowSource) Next() bool {
	if !r.rows.Next() {
		r.err = r.rows.Err()
		return false
	}
	if err := r.rows.Scan(r.ptrs...); err != nil {
		r.err = err
		return false
	}
	r.done++
	if r.done-r.lastReported >= copyBatch {
		r.lastReported = r.done
		r.c.progress(r.table, r.done, r.total)
	}
	return true
}

func (r *rowSource) Values() ([]any, error) {
	if r.out == nil {
		r.out = make([]any, len(r.cols))
	}
	for i, col := range r.cols {
		v, err := r.c.convert(col.dataType, r.vals[i])
		if err != nil {
			return nil, fmt.Errorf("row %d, column %s: %w", r.done, col.name, err)
		}
		r.out[i] = v
	}
	return r.out, nil
}

func (r *rowSource) Err() error { return r.err }

// convert turns a value as SQLite gives it into one of the PostgreSQL type.
func (c *copier) convert(dataType string, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch dataType {
	case "boolean":
		switch x := v.(type) {
		case int64:
			return x != 0, nil
		case bool:
			return x, nil
		}
	case "bigint", "integer", "smallint":
		switch x := v.(type) {
		case int64:
			return x, nil
		case float64:
			if x == float64(int64(x)) {
				return int64(x), nil
			}
		case string:
			return strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		case []byte:
			return strconv.ParseInt(strings.TrimSpace(string(x)), 10, 64)
		}
	case "timestamp with time zone":
		switch x := v.(type) {
		case time.Time:
			return x.UTC(), nil
		case string:
			return parseSQLiteTime(x)
		case []byte:
			return parseSQLiteTime(string(x))
		case int64:
			return time.Unix(x, 0).UTC(), nil
		}
	default: // text, citext
		switch x := v.(type) {
		case string:
			return c.text(x), nil
		case []byte:
			return c.text(string(x)), nil
		case int64:
			return strconv.FormatInt(x, 10), nil
		case float64:
			return strconv.FormatFloat(x, 'g', -1, 64), nil
		}
	}
	return nil, fmt.Errorf("cannot store %T %v as %s", v, v, dataType)
}

// text is s as PostgreSQL can store it: valid UTF-8 without NUL characters (SQLite takes
// both), counting the values it had to change.
func (c *copier) text(s string) string {
	if utf8.ValidString(s) && !strings.ContainsRune(s, 0) {
		return s
	}
	c.repaired++
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

func parseSQLiteTime(s string) (time.Time, error) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "Z")
	for _, layout := range sqlite3.SQLiteTimestampFormats {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time", s)
}
