package web

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"net/http"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"campusnews/internal/accounts"
	"campusnews/internal/audit"
	"campusnews/internal/news"
)

// actionCode is what an audit action looks like: words joined by dots.
var actionCode = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)*$`)

// recordingFuncs are the functions that take an audit action among their arguments.
var recordingFuncs = map[string]bool{"record": true, "recordID": true, "adminRecord": true, "recordCategory": true, "save": true}

// recordedActions reads the Go sources of the module (tests left out) and returns the audit
// actions they record: the literal given as an entry's Action (or a step's action), passed
// to a function that records one, or any dotted literal of a kind the log knows, such as
// the scheduler's "article.publish.scheduled".
func recordedActions(t *testing.T) map[string]string {
	t.Helper()
	kinds := map[string]bool{}
	for code := range auditActions {
		k, _, _ := strings.Cut(code, ".")
		kinds[k] = true
	}
	found := map[string]string{} // action → where
	fset := token.NewFileSet()
	for _, dir := range []string{"../internal", "../cmd", "."} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			add := func(e ast.Expr) {
				lit, ok := e.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return
				}
				s, err := strconv.Unquote(lit.Value)
				if err == nil && actionCode.MatchString(s) {
					found[s] = fset.Position(lit.Pos()).String()
				}
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.KeyValueExpr:
					if k, ok := n.Key.(*ast.Ident); ok && (k.Name == "Action" || k.Name == "action") {
						add(n.Value)
					}
				case *ast.CallExpr:
					name := ""
					switch fn := n.Fun.(type) {
					case *ast.Ident:
						name = fn.Name
					case *ast.SelectorExpr:
						name = fn.Sel.Name
					}
					if recordingFuncs[name] {
						for _, a := range n.Args {
							add(a)
						}
					}
				case *ast.BasicLit:
					if s, err := strconv.Unquote(n.Value); n.Kind == token.STRING && err == nil && strings.Contains(s, ".") &&
						actionCode.MatchString(s) && kinds[s[:strings.Index(s, ".")]] {
						found[s] = fset.Position(n.Pos()).String()
					}
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return found
}

// Every action the code records has a plain name in the audit log.
func TestEveryAuditActionHasALabel(t *testing.T) {
	found := recordedActions(t)
	// The scan must see the actions of every package that records, or it proves nothing.
	for _, known := range []string{"login", "logout", "login.failed", "password.change", "2fa.enable", "article.update",
		"article.publish.scheduled", "article.expire", "category.move", "media.delete", "settings.update", "user.password_reset"} {
		if _, ok := found[known]; !ok {
			t.Errorf("the scan of the sources missed %q; it no longer sees how actions are recorded", known)
		}
	}
	codes := make([]string, 0, len(found))
	for code := range found {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		if l, ok := auditActions[code]; !ok || l == "" || l == code {
			t.Errorf("audit action %q (recorded at %s) has no plain name in auditActions", code, found[code])
		}
	}
	t.Logf("%d recorded actions: %s", len(codes), strings.Join(codes, " "))
}

// The audit log names actions in plain words (codes stay in the filter's values and the
// titles) and names and links subjects that still exist, with the same number of queries
// however many subjects a page shows.
func TestAuditLogNamesAndLinks(t *testing.T) {
	ee := newEditorEnv(t)
	ctx := context.Background()
	adminU := ee.mustUser("admin@example.edu", accounts.Admin)
	admin := ee.client()
	admin.login(adminU.Email)
	wendy, err := ee.users.Create(ctx, audit.Actor{}, accounts.NewUser{Email: "wendy@example.edu", Name: "Wendy Writer",
		Role: accounts.Writer, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	user := "/admin/users/" + strconv.FormatInt(wendy.ID, 10)
	resp, body := admin.sendForm(user, user+"/password", nil)
	mustStatus(t, resp, body, http.StatusOK)
	kept := ee.newArticle(ee.writer, "Kept article", "Text.", "save")
	gone := ee.newArticle(ee.writer, "Gone article", "Text.", "save")
	resp, body = ee.ed.sendForm(editURL(gone)+"/delete", editURL(gone)+"/delete", nil)
	mustStatus(t, resp, body, http.StatusSeeOther)

	_, body = admin.get("/admin/audit")
	for _, want := range []string{
		`<span title="user.password_reset">Reset a user&#39;s password</span>`,
		`<a href="` + user + `" title="user ` + strconv.FormatInt(wendy.ID, 10) + `">Wendy Writer</a>`,
		`<span title="article.create">Created an article</span>`,
		`<a href="` + editURL(kept) + `" title="article ` + strconv.FormatInt(kept, 10) + `">Kept article</a>`,
		`<span title="article.delete">Deleted an article</span>`,
		"Article " + strconv.FormatInt(gone, 10) + " (deleted)",
		`<option value="user.password_reset">Reset a user&#39;s password</option>`,
		`<option value="article.delete">Deleted an article</option>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the audit log lacks %s", want)
		}
	}
	for _, omit := range []string{`href="` + editURL(gone) + `"`, "<code>user.password_reset</code>", ">user.password_reset<"} {
		if strings.Contains(body, omit) {
			t.Errorf("the audit log shows %s", omit)
		}
	}
	// The filter still takes the code.
	_, body = admin.get("/admin/audit?action=user.password_reset")
	if !strings.Contains(body, `<option value="user.password_reset" selected>`) || strings.Contains(body, `title="article.create"`) {
		t.Error("filtering by an action code does not select it or lets other actions through")
	}
	// The overview's recent activity speaks the same way.
	_, body = admin.get("/admin")
	if !strings.Contains(body, `<span title="article.delete">Deleted an article</span>`) {
		t.Errorf("the administration overview shows no plain action names\n%s", body)
	}

	// Queries per page view: the same with a few subjects as with many.
	var queries atomic.Int64
	count := func(*gorm.DB) { queries.Add(1) }
	if err := ee.db.Callback().Query().Register("test:count", count); err != nil {
		t.Fatal(err)
	}
	if err := ee.db.Callback().Row().Register("test:count", count); err != nil {
		t.Fatal(err)
	}
	view := func() int64 {
		t.Helper()
		queries.Store(0)
		resp, body := admin.get("/admin/audit")
		mustStatus(t, resp, body, http.StatusOK)
		return queries.Load()
	}
	few := view()
	for i := range 12 {
		if _, err := ee.news.Create(ctx, actorFor(ee.e), news.ArticleInput{Title: "More " + strconv.Itoa(i), CategoryID: ee.cat.ID}); err != nil {
			t.Fatal(err)
		}
		// A login is recorded with its user as the subject.
		ee.client().login(ee.mustUser("more"+strconv.Itoa(i)+"@example.edu", accounts.Writer).Email)
	}
	if many := view(); many != few {
		t.Errorf("the audit log took %d queries with a few subjects and %d with many", few, many)
	}
}
