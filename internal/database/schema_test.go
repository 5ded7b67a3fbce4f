package database

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"
)

// boolColumns are the SQLite INTEGER columns that hold a 0/1 flag, BOOLEAN on PostgreSQL.
var boolColumns = map[string]bool{
	"categories.visible": true, "articles.pinned": true, "articles.featured": true,
	"users.active": true, "users.must_change_password": true, "users.totp_enabled": true,
	"media.decorative": true, "content_version.exact": true, "article_events.all_day": true,
}

// searchTables are each engine's full-text index, which differ by nature: FTS5's virtual table
// (and the tables behind it) on SQLite, search_docs on PostgreSQL.
func isSearchTable(name string) bool {
	return name == "search_docs" || strings.HasPrefix(name, "articles_fts")
}

// schema is what the two engines must agree on, in words both can be read into.
type schema struct {
	Tables   map[string]table
	Triggers []string
}

type table struct {
	Columns     map[string]column
	PrimaryKey  []string
	Indexes     []string // "UNIQUE (a, b DESC) WHERE …", sorted; the primary key's left out
	ForeignKeys []string // "col → parent(col) ON DELETE action", sorted
}

type column struct {
	Kind    string // integer, text, time, boolean
	NotNull bool
	Default string // "" for none
}

// TestMigrationListsMatch: the two engines' lists have the same steps in the same order.
func TestMigrationListsMatch(t *testing.T) {
	if len(PostgresMigrations) != len(Migrations) {
		t.Fatalf("%d PostgreSQL migrations for %d SQLite ones: every migration needs both", len(PostgresMigrations), len(Migrations))
	}
	for i, m := range Migrations {
		p := PostgresMigrations[i]
		if p.Version != m.Version || p.Name != m.Name || p.SQL == "" || p.ForeignKeysOff {
			t.Errorf("PostgreSQL migration at %d is %d %q, want %d %q", i, p.Version, p.Name, m.Version, m.Name)
		}
	}
}

// TestSchemasMatch migrates a SQLite and a PostgreSQL database one step at a time and, after
// every step, compares what each holds: the same tables with the same columns (name, kind, NOT
// NULL, default), primary keys, indexes (by columns, order, uniqueness, partial or not),
// foreign keys with the same ON DELETE action, and triggers. Only the full-text index differs.
func TestSchemasMatch(t *testing.T) {
	ctx := context.Background()
	lite, pg := openEmpty(t, SQLite), openEmpty(t, Postgres)
	for _, m := range Migrations {
		if _, err := MigrateTo(ctx, lite, m.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := MigrateTo(ctx, pg, m.Version); err != nil {
			t.Fatal(err)
		}
		want, got := describeSQLite(t, lite), describePostgres(t, pg)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("after migration %d (%s) the schemas differ (-sqlite +postgres):\n%s", m.Version, m.Name, diff)
		}
		if m.Version >= 3 {
			var n int64
			pg.Raw("SELECT count(*) FROM information_schema.tables WHERE table_name = 'search_docs'").Scan(&n)
			if n != 1 {
				t.Fatalf("after migration %d PostgreSQL has no search_docs", m.Version)
			}
		}
	}
	if got := len(describeSQLite(t, lite).Tables); got < 12 {
		t.Fatalf("compared %d tables; the description reads nothing", got)
	}
}

func rowsOf(t *testing.T, db *gorm.DB, q string, args []any, each func(scan func(...any))) {
	t.Helper()
	rows, err := db.Raw(q, args...).Rows()
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	for rows.Next() {
		each(func(dest ...any) {
			if err := rows.Scan(dest...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		})
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

func describeSQLite(t *testing.T, db *gorm.DB) schema {
	t.Helper()
	s := schema{Tables: map[string]table{}}
	var names []string
	rowsOf(t, db, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name", nil,
		func(scan func(...any)) {
			var n string
			scan(&n)
			if !isSearchTable(n) {
				names = append(names, n)
			}
		})
	for _, name := range names {
		tb := table{Columns: map[string]column{}}
		type pk struct {
			pos  int
			name string
		}
		var pks []pk
		rowsOf(t, db, "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?)", []any{name},
			func(scan func(...any)) {
				var col, typ string
				var notNull bool
				var def *string
				var pos int
				scan(&col, &typ, &notNull, &def, &pos)
				c := column{Kind: sqliteKind(name+"."+col, typ), NotNull: notNull || pos > 0}
				if def != nil {
					c.Default = *def
				}
				tb.Columns[col] = c
				if pos > 0 {
					pks = append(pks, pk{pos, col})
				}
			})
		sort.Slice(pks, func(i, j int) bool { return pks[i].pos < pks[j].pos })
		for _, p := range pks {
			tb.PrimaryKey = append(tb.PrimaryKey, p.name)
		}
		type index struct {
			name, origin  string
			unique, where bool
		}
		var idxs []index
		rowsOf(t, db, "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?)", []any{name},
			func(scan func(...any)) {
				var ix index
				scan(&ix.name, &ix.unique, &ix.origin, &ix.where)
				idxs = append(idxs, ix)
			})
		for _, ix := range idxs {
			if ix.origin == "pk" {
				continue
			}
			var cols []string
			rowsOf(t, db, "SELECT name, \"desc\" FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno", []any{ix.name},
				func(scan func(...any)) {
					var col *string
					var desc bool
					scan(&col, &desc)
					cols = append(cols, indexColumn(col, desc))
				})
			tb.Indexes = append(tb.Indexes, indexWords(ix.unique, cols, ix.where))
		}
		sort.Strings(tb.Indexes)
		rowsOf(t, db, "SELECT \"from\", \"table\", \"to\", on_delete FROM pragma_foreign_key_list(?)", []any{name},
			func(scan func(...any)) {
				var from, parent, to, onDelete string
				scan(&from, &parent, &to, &onDelete)
				tb.ForeignKeys = append(tb.ForeignKeys, fmt.Sprintf("%s → %s(%s) ON DELETE %s", from, parent, to, onDelete))
			})
		sort.Strings(tb.ForeignKeys)
		s.Tables[name] = tb
	}
	rowsOf(t, db, "SELECT tbl_name || '.' || name FROM sqlite_schema WHERE type = 'trigger' ORDER BY 1", nil,
		func(scan func(...any)) {
			var n string
			scan(&n)
			s.Triggers = append(s.Triggers, n)
		})
	return s
}

func sqliteKind(col, typ string) string {
	switch strings.ToUpper(typ) {
	case "INTEGER", "BIGINT":
		if boolColumns[col] {
			return "boolean"
		}
		return "integer"
	case "TEXT":
		return "text"
	case "DATETIME":
		return "time"
	}
	return "unknown " + typ
}

func describePostgres(t *testing.T, db *gorm.DB) schema {
	t.Helper()
	s := schema{Tables: map[string]table{}}
	rowsOf(t, db, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`, nil,
		func(scan func(...any)) {
			var n string
			scan(&n)
			if !isSearchTable(n) {
				s.Tables[n] = table{Columns: map[string]column{}}
			}
		})
	rowsOf(t, db, `SELECT table_name, column_name, data_type, udt_name, is_nullable = 'NO', COALESCE(column_default, '')
		FROM information_schema.columns WHERE table_schema = current_schema()`, nil,
		func(scan func(...any)) {
			var tbl, col, typ, udt, def string
			var notNull bool
			scan(&tbl, &col, &typ, &udt, &notNull, &def)
			if tb, ok := s.Tables[tbl]; ok {
				tb.Columns[col] = column{Kind: postgresKind(typ, udt), NotNull: notNull, Default: postgresDefault(def)}
			}
		})
	type pgIndex struct {
		table                  string
		unique, primary, where bool
		cols                   []string
	}
	idxs := map[string]*pgIndex{}
	rowsOf(t, db, `SELECT t.relname, i.relname, ix.indisunique, ix.indisprimary, ix.indpred IS NOT NULL,
			COALESCE(a.attname, ''), (ix.indoption[k.n] & 1) = 1
		FROM pg_index ix
		JOIN pg_class i ON i.oid = ix.indexrelid
		JOIN pg_class t ON t.oid = ix.indrelid
		JOIN pg_namespace ns ON ns.oid = t.relnamespace AND ns.nspname = current_schema()
		CROSS JOIN LATERAL generate_subscripts(ix.indkey, 1) AS k(n)
		LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ix.indkey[k.n]
		ORDER BY t.relname, i.relname, k.n`, nil,
		func(scan func(...any)) {
			var tbl, name, col string
			var unique, primary, where, desc bool
			scan(&tbl, &name, &unique, &primary, &where, &col, &desc)
			ix := idxs[name]
			if ix == nil {
				ix = &pgIndex{table: tbl, unique: unique, primary: primary, where: where}
				idxs[name] = ix
			}
			var c *string
			if col != "" {
				c = &col
			}
			ix.cols = append(ix.cols, indexColumn(c, desc))
		})
	for _, ix := range idxs {
		tb, ok := s.Tables[ix.table]
		if !ok {
			continue
		}
		if ix.primary {
			tb.PrimaryKey = ix.cols
		} else {
			tb.Indexes = append(tb.Indexes, indexWords(ix.unique, ix.cols, ix.where))
			sort.Strings(tb.Indexes)
		}
		s.Tables[ix.table] = tb
	}
	rowsOf(t, db, `SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, af.attname, c.confdeltype
		FROM pg_constraint c
		JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
		JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1]
		WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace`, nil,
		func(scan func(...any)) {
			var tbl, col, parent, pcol, action string
			scan(&tbl, &col, &parent, &pcol, &action)
			tb, ok := s.Tables[tbl]
			if !ok {
				return
			}
			actions := map[string]string{"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
			tb.ForeignKeys = append(tb.ForeignKeys, fmt.Sprintf("%s → %s(%s) ON DELETE %s", col, parent, pcol, actions[action]))
			sort.Strings(tb.ForeignKeys)
			s.Tables[tbl] = tb
		})
	rowsOf(t, db, `SELECT c.relname || '.' || tg.tgname FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
		JOIN pg_namespace ns ON ns.oid = c.relnamespace AND ns.nspname = current_schema()
		WHERE NOT tg.tgisinternal ORDER BY 1`, nil,
		func(scan func(...any)) {
			var n string
			scan(&n)
			s.Triggers = append(s.Triggers, n)
		})
	return s
}

func postgresKind(typ, udt string) string {
	switch {
	case typ == "bigint" || typ == "integer":
		return "integer"
	case typ == "text" || udt == "citext":
		return "text"
	case typ == "timestamp with time zone":
		return "time"
	case typ == "boolean":
		return "boolean"
	}
	return "unknown " + typ
}

// pgCast is the type PostgreSQL adds to a default it shows: 'draft'::text.
var pgCast = regexp.MustCompile(`::[a-z ]+$`)

// postgresDefault writes a default as SQLite shows it: 'draft', 0, 1.
func postgresDefault(def string) string {
	def = pgCast.ReplaceAllString(def, "")
	switch def {
	case "true":
		return "1"
	case "false":
		return "0"
	}
	return def
}

// indexColumn names a column of an index; an expression has no name.
func indexColumn(name *string, desc bool) string {
	c := "(expression)"
	if name != nil {
		c = *name
	}
	if desc {
		c += " DESC"
	}
	return c
}

func indexWords(unique bool, cols []string, partial bool) string {
	s := "(" + strings.Join(cols, ", ") + ")"
	if unique {
		s = "UNIQUE " + s
	}
	if partial {
		s += " WHERE …"
	}
	return s
}

// TestPartialIndexesCompareNoValue: a partial index may only ask whether a column is null. One
// whose condition compares a column with a value (status = 'published') makes SQLite plan
// again, on every execution, each statement that binds that column, since the bound value
// decides whether the index applies: every reader's query binds the status.
func TestPartialIndexesCompareNoValue(t *testing.T) {
	db := openEmpty(t, SQLite)
	if _, err := Migrate(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	nullTest := regexp.MustCompile(`(?i)\bWHERE\s+\w+\s+IS\s+(NOT\s+)?NULL\s*$`)
	partial := 0
	rowsOf(t, db, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'", nil,
		func(scan func(...any)) {
			var name, sql string
			scan(&name, &sql)
			partial++
			if !nullTest.MatchString(sql) {
				t.Errorf("index %s compares a column with a value: %s", name, sql)
			}
		})
	if partial == 0 {
		t.Fatal("read no partial index; the schema has articles_cover")
	}
}
