package database

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// owners names the package under internal/ that owns each table: the only one that may read
// or write it. A package that needs another's data asks its service.
var owners = map[string]string{
	"categories": "news", "articles": "news", "article_bodies": "news", "tags": "news",
	"article_tags": "news", "revisions": "news", "id_sequences": "news", "article_events": "news",
	"article_sources": "news", "article_redirects": "news", "import_media": "importer",
	"articles_fts": "search", "search_docs": "search",
	"users": "accounts", "user_sessions": "accounts", "login_failures": "accounts",
	"audit_entries":   "audit",
	"media":           "media",
	"settings":        "site",
	"content_version": "changes",
}

// models maps the GORM model types of each package to their tables, so that a package
// handing another's model to GORM is caught too. (audit.Entry is left out: it is what the
// audit package's own Record takes.)
var models = map[string]string{
	"news.Article": "articles", "news.Category": "categories", "news.Tag": "tags", "news.Revision": "revisions",
	"media.Media": "media", "accounts.User": "users",
}

// sqlTable finds the table after the SQL words that name one.
var sqlTable = regexp.MustCompile(`(?i)\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+([a-z_]+)\b`)

// TestPackagesKeepToTheirTables reads the source of every package under internal/ and fails
// when one names, in SQL or through a GORM model, a table another package owns. (The
// migrations here create them all; that is this package's job and not checked.)
func TestPackagesKeepToTheirTables(t *testing.T) {
	if len(owners) == 0 {
		t.Fatal("no owners")
	}
	for table := range tablesOfMigrations(t) {
		if _, ok := owners[table]; !ok && table != "schema_migrations" {
			t.Errorf("table %s has no owner in this test's list", table)
		}
	}
	dirs, err := filepath.Glob(filepath.Join("..", "*"))
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, dir := range dirs {
		pkg := filepath.Base(dir)
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() || pkg == "database" {
			continue
		}
		for _, v := range violations(t, dir, pkg) {
			t.Error(v)
		}
		checked++
	}
	if checked < 8 {
		t.Fatalf("checked %d packages; the layout has changed", checked)
	}
}

// tablesOfMigrations is every table the migrations of either engine create.
func tablesOfMigrations(t *testing.T) map[string]bool {
	create := regexp.MustCompile(`(?i)CREATE (?:VIRTUAL )?TABLE (?:IF NOT EXISTS )?([a-z_]+)`)
	out := map[string]bool{}
	for _, m := range append(append([]Migration(nil), Migrations...), PostgresMigrations...) {
		for _, g := range create.FindAllStringSubmatch(m.SQL, -1) {
			if !strings.HasSuffix(g[1], "_new") {
				out[g[1]] = true
			}
		}
	}
	return out
}

// violations lists the places in package pkg (in dir) that name a table pkg does not own.
func violations(t *testing.T, dir, pkg string) []string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	flag := func(pos token.Pos, table, how string) {
		if owner, ok := owners[table]; ok && owner != pkg {
			out = append(out, fset.Position(pos).String()+": package "+pkg+" "+how+" "+table+", which belongs to "+owner)
		}
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if n.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(n.Value)
				if err != nil {
					return true
				}
				for _, g := range sqlTable.FindAllStringSubmatch(s, -1) {
					flag(n.Pos(), strings.ToLower(g[1]), "uses in SQL")
				}
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Table" && len(n.Args) > 0 {
					if lit, ok := n.Args[0].(*ast.BasicLit); ok {
						if s, err := strconv.Unquote(lit.Value); err == nil {
							flag(n.Pos(), strings.Fields(s + " x")[0], "names with Table")
						}
					}
				}
			case *ast.CompositeLit:
				if sel, ok := n.Type.(*ast.SelectorExpr); ok {
					if x, ok := sel.X.(*ast.Ident); ok {
						if table, ok := models[x.Name+"."+sel.Sel.Name]; ok {
							flag(n.Pos(), table, "builds a row of")
						}
					}
				}
			}
			return true
		})
	}
	sort.Strings(out)
	return out
}
