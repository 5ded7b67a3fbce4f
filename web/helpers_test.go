package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"campusnews/internal/accounts"
	"campusnews/internal/audit"
	"campusnews/internal/changes"
	"campusnews/internal/config"
	"campusnews/internal/database"
	"campusnews/internal/database/dbtest"
	"campusnews/internal/database/pgtest"
	"campusnews/internal/media"
	"campusnews/internal/news"
	"campusnews/internal/site"
)

// The tests run on the engine dbtest.Engine names; PostgreSQL's cluster stops when they end.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// testEnv is a real server on a real database (a SQLite file in a temp dir, or PostgreSQL when
// dbtest.Engine says so), reached over HTTP.
type testEnv struct {
	t       testing.TB
	db      *gorm.DB
	changes *changes.Watcher
	news    *news.Service
	users   *accounts.Service
	media   *media.Store
	srv     *Server
	http    *httptest.Server
}

// testPassword is the password of every user the tests create.
const testPassword = "correct horse battery staple"

func newTestEnv(t testing.TB) *testEnv {
	return newTestEnvTTL(t, 10*time.Second)
}

// newTestEnvTTL is newTestEnv with the page cache kept for ttl (0: off). Tests run with the
// cache on, as the site does, so every change must show through it.
func newTestEnvTTL(t testing.TB, ttl time.Duration) *testEnv {
	t.Helper()
	return newTestEnvData(t, t.TempDir(), ttl)
}

// newTestEnvData is newTestEnvTTL on the data directory dir, which may hold a site already.
func newTestEnvData(t testing.TB, dir string, ttl time.Duration) *testEnv {
	t.Helper()
	var db *gorm.DB
	if dbtest.Engine() == database.SQLite {
		// The site's own database file in dir, which may hold a site already.
		var err error
		if db, err = database.Open(filepath.Join(dir, "campusnews.db")); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { database.Close(db) })
		if _, err := database.Migrate(context.Background(), db); err != nil {
			t.Fatal(err)
		}
	} else {
		db = dbtest.Open(t, database.Postgres)
	}
	cfg := config.Config{Addr: "127.0.0.1:0", Data: dir, MaxUpload: 2 << 20, SessionKey: strings.Repeat("k", 40), CacheTTL: ttl}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	w, err := changes.NewWatcher(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	newsSvc := news.NewService(db, w)
	env := &testEnv{t: t, db: db, changes: w, news: newsSvc, users: accounts.NewService(db),
		media: media.NewStore(db, cfg.MediaDir(), cfg.MaxUpload, w, newsSvc)}
	env.users.SetBcryptCost(bcrypt.MinCost)
	env.srv, err = New(Deps{
		Config: cfg, Changes: w, News: env.news, Views: news.NewViews(db), Site: site.NewService(db, w), Users: env.users,
		Audit: audit.New(db), Media: env.media, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Ping: func(ctx context.Context) error { return database.Ping(ctx, db) },
	})
	if err != nil {
		t.Fatal(err)
	}
	env.http = httptest.NewServer(env.srv)
	t.Cleanup(env.http.Close)
	return env
}

// exec changes the database behind the services' backs, as another program writing to it
// would, and moves the content version in the same transaction, as every such write must.
func (e *testEnv) exec(query string, args ...any) {
	e.t.Helper()
	err := e.db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(query, args...).Error; err != nil {
			return err
		}
		return changes.Bump(tx)
	})
	if err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
	if err := e.changes.Sync(context.Background()); err != nil {
		e.t.Fatal(err)
	}
}

// bump moves the content version without changing anything else.
func (e *testEnv) bump() {
	e.t.Helper()
	if err := e.db.Transaction(changes.Bump); err != nil {
		e.t.Fatal(err)
	}
	if err := e.changes.Sync(context.Background()); err != nil {
		e.t.Fatal(err)
	}
}

// mustUser creates an active user with testPassword.
func (e *testEnv) mustUser(email string, role accounts.Role) *accounts.User {
	e.t.Helper()
	u, err := e.users.Create(context.Background(), audit.Actor{}, accounts.NewUser{Email: email, Name: strings.Split(email, "@")[0],
		Role: role, Password: testPassword})
	if err != nil {
		e.t.Fatalf("create user %s: %v", email, err)
	}
	return u
}

// client is a browser: it keeps cookies and does not follow redirects.
type client struct {
	e *testEnv
	c *http.Client
}

func (e *testEnv) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// get fetches path and returns the response with its body read.
func (cl *client) get(path string) (*http.Response, string) {
	cl.e.t.Helper()
	resp, err := cl.c.Get(cl.e.http.URL + path)
	if err != nil {
		cl.e.t.Fatal(err)
	}
	return resp, readBody(cl.e.t, resp)
}

// post submits form to path as it is, token and all.
func (cl *client) post(path string, form url.Values) (*http.Response, string) {
	cl.e.t.Helper()
	resp, err := cl.c.PostForm(cl.e.http.URL+path, form)
	if err != nil {
		cl.e.t.Fatal(err)
	}
	return resp, readBody(cl.e.t, resp)
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// submit GETs formPath, takes the CSRF token of its form, and POSTs form to postPath.
func (cl *client) submit(formPath, postPath string, form url.Values) (*http.Response, string) {
	cl.e.t.Helper()
	_, body := cl.get(formPath)
	m := csrfInput.FindStringSubmatch(body)
	if m == nil {
		cl.e.t.Fatalf("no CSRF token in %s", formPath)
	}
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", m[1])
	return cl.post(postPath, form)
}

// login signs in through the login form and fails the test unless it worked.
func (cl *client) login(email string) {
	cl.e.t.Helper()
	resp, body := cl.submit("/login", "/login", url.Values{"email": {email}, "password": {testPassword}})
	if resp.StatusCode != http.StatusSeeOther {
		cl.e.t.Fatalf("login %s: status %d\n%s", email, resp.StatusCode, body)
	}
}

func readBody(t testing.TB, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
