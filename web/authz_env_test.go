package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"campusnews/internal/accounts"
	"campusnews/internal/audit"
	"campusnews/internal/media"
	"campusnews/internal/news"
)

// identity is a kind of visitor with a browser, and the fixtures its requests name.
type identity struct {
	name  string
	role  accounts.Role // "" for anonymous
	user  *accounts.User
	cl    *client
	token string // a valid CSRF token of cl's session
	fx    fixtures
}

// fixtures are the records a route's path parameters point at.
type fixtures struct {
	article, revision, media, category, user int64
}

// publicFixtures are the values that make every public address answer.
type publicFixtures struct {
	section, category, slug, tag, mediaName, sitemap, asset string
	id                                                      int64
	year, month                                             string
}

// authzEnv is a server with a published article, a tag, an image, and one identity per role,
// each with its own article, revision, image, empty category and target user.
type authzEnv struct {
	*testEnv
	pub   publicFixtures
	cat   *news.Node
	setup news.Actor
	ids   []*identity
}

func actorFor(u *accounts.User) news.Actor {
	ed := u.Role.AtLeast(accounts.Editor)
	return news.Actor{UserID: u.ID, Email: u.Email, IP: "127.0.0.1", CanPublish: ed, CanEditAny: ed}
}

func newAuthzEnv(t *testing.T) *authzEnv {
	t.Helper()
	env := newTestEnv(t)
	ae := &authzEnv{testEnv: env}
	setupU := env.mustUser("setup@example.edu", accounts.Admin)
	ae.setup = actorFor(setupU)
	ae.mustCategories()
	art := ae.mustArticle(ae.setup, "Public fixture article", true)
	ae.mustEvent(art) // so that its /events/<id>.ics answers
	m := ae.mustMedia(setupU)
	ae.pub = publicFixtures{section: "campus", category: "research", id: art.ID, slug: art.Slug, tag: "alumni",
		mediaName: m.Path, sitemap: "articles-1.xml",
		year: strconv.Itoa(art.PublishedAt.Year()), month: strconv.Itoa(int(art.PublishedAt.Month()))}

	anon := &identity{name: "anonymous", cl: env.client()}
	anon.token = ae.tokenFrom(anon.cl, "/login")
	ae.ids = append(ae.ids, anon)
	for _, role := range []accounts.Role{accounts.Writer, accounts.Editor, accounts.Admin} {
		id := &identity{name: string(role), role: role, cl: env.client()}
		id.user = env.mustUser(string(role)+"@example.edu", role)
		id.cl.login(id.user.Email)
		id.token = ae.tokenFrom(id.cl, "/account")
		id.fx = ae.fixturesFor(id.user)
		ae.ids = append(ae.ids, id)
	}
	anon.fx = ae.ids[len(ae.ids)-1].fx // an anonymous visitor aims at the admin's records
	ae.pub.asset = ae.assetPath()
	return ae
}

// mustCategories creates the section /campus and its category /campus/research, which
// becomes ae.cat.
func (ae *authzEnv) mustCategories() {
	ae.t.Helper()
	ctx := context.Background()
	sec, err := ae.news.CreateCategory(ctx, ae.setup, news.CategoryInput{Name: "Campus", Slug: "campus", Visible: true})
	if err != nil {
		ae.t.Fatal(err)
	}
	in := news.CategoryInput{Name: "Research", Slug: "research", ParentID: &sec.ID, Visible: true}
	if _, err := ae.news.CreateCategory(ctx, ae.setup, in); err != nil {
		ae.t.Fatal(err)
	}
	ae.cat = treeNode(ae.t, ae.testEnv, "/campus/research")
}

// mustArticle creates an article by a in the research category, published when publish.
func (ae *authzEnv) mustArticle(a news.Actor, title string, publish bool) *news.Article {
	ae.t.Helper()
	ctx := context.Background()
	art, err := ae.news.Create(ctx, a, news.ArticleInput{Title: title, Summary: "About " + title,
		BodySource: "Text of " + title + ".", CategoryID: ae.cat.ID, Tags: []string{"Alumni"}})
	if err != nil {
		ae.t.Fatalf("create %q: %v", title, err)
	}
	if publish {
		if err := ae.news.Publish(ctx, ae.setup, art.ID); err != nil {
			ae.t.Fatal(err)
		}
	}
	if art, err = ae.news.Article(ctx, art.ID); err != nil {
		ae.t.Fatal(err)
	}
	return art
}

// mustEvent makes art announce an event a week from now.
func (ae *authzEnv) mustEvent(art *news.Article) {
	ae.t.Helper()
	ctx := context.Background()
	cur, err := ae.news.Article(ctx, art.ID)
	if err != nil {
		ae.t.Fatal(err)
	}
	in := news.ArticleInput{Title: cur.Title, Slug: cur.Slug, Summary: cur.Summary, BodySource: cur.BodySource,
		CategoryID: cur.CategoryID, Tags: []string{"Alumni"}}
	start := time.Now().Add(7 * 24 * time.Hour).Truncate(time.Hour)
	in.Event = &news.EventInput{Start: start, End: start.Add(2 * time.Hour), TimeZone: "UTC", Venue: "Great Hall"}
	if _, err := ae.news.Update(ctx, ae.setup, art.ID, in, time.Time{}); err != nil {
		ae.t.Fatal(err)
	}
}

func (ae *authzEnv) mustMedia(u *accounts.User) *media.Media {
	ae.t.Helper()
	m, err := ae.media.Save(context.Background(), media.Actor{Actor: audit.Actor{UserID: u.ID, Email: u.Email}},
		bytes.NewReader(testPNG(ae.t, 64, 48)), "photo.png", media.UploadInput{Alt: "A test image"})
	if err != nil {
		ae.t.Fatal(err)
	}
	return m
}

// fixturesFor creates the records u's requests name: a draft of u's own, its revision, an
// image u uploaded, an empty category and a user to administer.
func (ae *authzEnv) fixturesFor(u *accounts.User) fixtures {
	ae.t.Helper()
	ctx := context.Background()
	art := ae.mustArticle(actorFor(u), "Draft by "+u.Email, false)
	revs, err := ae.news.Revisions(ctx, art.ID)
	if err != nil || len(revs) == 0 {
		ae.t.Fatalf("revisions of %d: %v (%d)", art.ID, err, len(revs))
	}
	cat, err := ae.news.CreateCategory(ctx, ae.setup, news.CategoryInput{Name: "Empty " + string(u.Role),
		Slug: "empty-" + string(u.Role), ParentID: ae.cat.ParentID, Visible: true})
	if err != nil {
		ae.t.Fatal(err)
	}
	target := ae.mustUser("target-"+string(u.Role)+"@example.edu", accounts.Writer)
	return fixtures{article: art.ID, revision: revs[0].ID, media: ae.mustMedia(u).ID, category: cat.ID, user: target.ID}
}

var csrfTokenRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// tokenFrom reads the CSRF token of the form on page.
func (ae *authzEnv) tokenFrom(cl *client, page string) string {
	ae.t.Helper()
	resp, body := cl.get(page)
	m := csrfTokenRe.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		ae.t.Fatalf("GET %s: status %d, no CSRF token", page, resp.StatusCode)
	}
	return m[1]
}

var assetHref = regexp.MustCompile(`href="/assets/([^"]+\.css)"`)

// assetPath is the path of the stylesheet the home page links, below /assets/.
func (ae *authzEnv) assetPath() string {
	ae.t.Helper()
	_, body := ae.client().get("/")
	m := assetHref.FindStringSubmatch(body)
	if m == nil {
		ae.t.Fatal("the home page links no stylesheet under /assets/")
	}
	return m[1]
}

// fill puts a plausible value into every parameter of path: the identity's own records in
// the staff areas, the published fixtures on public pages. A parameter nobody has a value
// for fails the test, so a new kind of route gets a fixture.
func (ae *authzEnv) fill(t *testing.T, path string, fx fixtures) string {
	t.Helper()
	itoa := func(n int64) string { return strconv.FormatInt(n, 10) }
	values := map[string]string{
		"articles/:id":       itoa(fx.article),
		"revisions/:rev":     itoa(fx.revision),
		"media/:id":          itoa(fx.media),
		"categories/:id":     itoa(fx.category),
		"users/:id":          itoa(fx.user),
		"media/:name":        ae.pub.mediaName,
		"sitemaps/:file":     ae.pub.sitemap,
		"tags/:slug":         ae.pub.tag,
		"archive/:year":      ae.pub.year,
		":year/:month":       ae.pub.month,
		"/:section":          ae.pub.section,
		":section/:category": ae.pub.category,
		":category/:id":      itoa(ae.pub.id),
		":id/:slug":          ae.pub.slug,
		"assets/*":           ae.pub.asset,
		"events/:file":       itoa(ae.pub.id) + ".ics",
	}
	segs := strings.Split(path, "/")
	out := make([]string, len(segs))
	for i, seg := range segs {
		out[i] = seg
		if !strings.HasPrefix(seg, ":") && seg != "*" {
			continue
		}
		prev := ""
		if i > 0 {
			prev = segs[i-1]
		}
		v, ok := values[prev+"/"+seg]
		if !ok {
			t.Errorf("route %s: no fixture value for %s after %q; add one to fill", path, seg, prev)
			v = "1"
		}
		out[i] = v
	}
	return strings.Join(out, "/")
}

// do sends method to path as id, a POST with form plus id's valid CSRF token.
func (id *identity) do(t *testing.T, method, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	if method == http.MethodGet || method == http.MethodHead {
		req, err := http.NewRequest(method, id.cl.e.http.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := id.cl.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp, readBody(t, resp)
	}
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	f.Set("_csrf", id.token)
	resp, err := id.cl.c.PostForm(id.cl.e.http.URL+path, f)
	if err != nil {
		t.Fatal(err)
	}
	return resp, readBody(t, resp)
}

// dbSnapshot is the content of every table a form can change, as text; two snapshots are equal
// when nothing was written. Staff sessions are left out: viewing a page may touch them.
func (e *testEnv) dbSnapshot(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, table := range []string{"articles", "categories", "tags", "article_tags", "revisions", "users",
		"audit_entries", "media", "settings", "article_events"} {
		rows, err := e.db.Raw("SELECT * FROM " + table + " ORDER BY 1, 2").Rows()
		if err != nil {
			t.Fatalf("snapshot %s: %v", table, err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%s %v\n", table, vals)
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}
