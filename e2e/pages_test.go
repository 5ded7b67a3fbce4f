//go:build e2e

package e2e

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/pquerna/otp/totp"

	"campusnews/internal/config"
	"campusnews/web"
)

// sitePage is one page the accessibility sweep checks.
type sitePage struct {
	Name   string // for messages and file names
	Path   string
	Staff  bool // needs an administrator's login
	Status int  // the answer expected: 200, or 404 for the not-found page
	// A page that is the answer to a form: Path shows the form, Prep (JavaScript) fills it
	// in, and the button Submit (CSS) sends it.
	Prep, Submit string
}

// publicExamples are the addresses that show each public page route, for routes whose
// addresses are not known before the demo site runs; fixed routes are their own example.
// A GET route that is neither a staff page, nor here, nor in notPages fails the sweep, so a
// page added later cannot be forgotten.
func publicExamples(t *testing.T, s *site, fx *fixtures) map[string][]sitePage {
	t.Helper()
	p := func(name, path string) sitePage { return sitePage{Name: name, Path: path, Status: http.StatusOK} }
	category := "/news-events/news"
	return map[string][]sitePage{
		"/":                     {p("home", "/")},
		"/search":               {p("search", "/search"), p("search-results", "/search?q=Xinjiang+alumni"), p("search-none", "/search?q=zqxwvnothing")},
		"/tags":                 {p("tags", "/tags")},
		"/tags/:slug":           {p("tag", firstLink(t, s, "/tags", `/tags/[a-z0-9-]+`))},
		"/archive":              {p("archive", "/archive")},
		"/archive/:year":        {p("archive-year", firstLink(t, s, "/archive", `/archive/\d{4}`))},
		"/archive/:year/:month": {p("archive-month", firstLink(t, s, "/archive", `/archive/\d{4}/\d{2}`))},
		"/accessibility":        {p("accessibility", "/accessibility")},
		"/:section":             {p("section", "/news-events")},
		"/:section/:category": {p("category", category),
			p("category-page-2", firstLink(t, s, category, regexp.QuoteMeta(category)+`\?page=2`))},
		"/:section/:category/:id/:slug": {p("article-reference", fx.ReferenceURL), p("article-cover", fx.CoverURL)},
		"/login":                        {p("login", "/login")},
	}
}

// notPages are the GET routes that answer with something other than an HTML page of their
// own, or only in a state the sweep does not reach, and why.
var notPages = map[string]string{
	"/feed.atom":                    "Atom feed",
	"/:section/feed.atom":           "Atom feed",
	"/:section/:category/feed.atom": "Atom feed",
	"/sitemap.xml":                  "XML sitemap",
	"/sitemaps/:file":               "XML sitemap",
	"/robots.txt":                   "plain text",
	"/healthz":                      "plain text",
	"/assets/*":                     "static files",
	"/media/:name":                  "images",
	"/:section/:category/:id":       "redirects to the address with the slug",
	"/login/2fa":                    "shown only during a two-factor login: checked as the login-2fa form state",
}

// staffIDs gives the id a staff route's parameter takes, by the path up to the parameter.
func (fx *fixtures) staffIDs() map[string]string {
	return map[string]string{
		"/editor/articles/:id":                fx.ArticleID,
		"/editor/articles/:id/revisions/:rev": fx.RevisionID,
		"/editor/media/:id":                   fx.MediaID,
		"/admin/categories/:id":               fx.CategoryID,
		"/admin/users/:id":                    fx.UserID,
	}
}

// staffPrefixes are the first path segments of the pages behind the login.
var staffPrefixes = []string{"/editor", "/admin", "/account", "/logout"}

// pagesToCheck lists every page of the site: one or more addresses for each public page
// route, every staff GET route with its parameters filled in from the fixtures, and the
// not-found page. The routes come from the router itself.
func pagesToCheck(t *testing.T, s *site, fx *fixtures) []sitePage {
	t.Helper()
	examples := publicExamples(t, s, fx)
	ids := fx.staffIDs()
	var public, staff []sitePage
	seen := map[string]bool{}
	for _, r := range siteRoutes(t) {
		if r.Method != http.MethodGet || seen[r.Path] {
			continue
		}
		seen[r.Path] = true
		if isStaffPath(r.Path) {
			path, err := fillStaffPath(r.Path, ids)
			if err != nil {
				t.Errorf("staff page %s: %v", r.Path, err)
				continue
			}
			staff = append(staff, sitePage{Name: pageName(path), Path: path, Staff: true, Status: http.StatusOK})
			continue
		}
		if _, ok := notPages[r.Path]; ok {
			continue
		}
		ex, ok := examples[r.Path]
		if !ok {
			t.Errorf("GET %s is not checked by the accessibility sweep: add an address for it to publicExamples, or say in notPages why it is no page", r.Path)
			continue
		}
		public = append(public, ex...)
	}
	sort.SliceStable(staff, func(i, j int) bool { return staff[i].Path < staff[j].Path })
	pages := append(public, sitePage{Name: "not-found", Path: "/no-such-section/no-such-page", Status: http.StatusNotFound})
	pages = append(pages, formStates(fx, false)...)
	pages = append(pages, staff...)
	return append(pages, formStates(fx, true)...)
}

// formStates are the pages that answer a form: a refused login, the two-factor step, and the
// article form refused, previewed and at the publish confirmation.
func formStates(fx *fixtures, staff bool) []sitePage {
	fill := func(fields map[string]string) string {
		var b strings.Builder
		for id, v := range fields {
			fmt.Fprintf(&b, "document.getElementById(%s).value = %s;", jsString(id), jsString(v))
		}
		return b.String()
	}
	loginButton := `form[action="/login"] button[type=submit]`
	if !staff {
		return []sitePage{
			{Name: "login-refused", Path: "/login", Status: http.StatusUnprocessableEntity, Submit: loginButton,
				Prep: fill(map[string]string{"email": "nobody@example.edu", "password": "not the password"})},
			{Name: "login-2fa", Path: "/login", Status: http.StatusOK, Submit: loginButton,
				Prep: fill(map[string]string{"email": fx.TOTPEmail, "password": staffPassword})},
		}
	}
	edit := "/editor/articles/" + fx.ArticleID
	return []sitePage{
		{Name: "article-form-refused", Path: "/editor/articles/new", Staff: true, Status: http.StatusUnprocessableEntity,
			Submit: `#article-form button[value=save]`},
		{Name: "article-preview", Path: edit, Staff: true, Status: http.StatusOK, Submit: `#article-form button[value=preview]`},
		{Name: "article-publish-confirm", Path: "/editor/articles/new", Staff: true, Status: http.StatusOK,
			Submit: `#article-form button[value=confirm-publish]`,
			Prep: fill(map[string]string{"title": "Choir Tour Dates Announced", "body_source": "The choir tours in spring."}) +
				`const c = document.getElementById("category_id"); c.value = c.querySelector("option[value]:not([value=''])").value;`},
	}
}

func isStaffPath(path string) bool {
	for _, p := range staffPrefixes {
		if path == p || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return false
}

var routeParam = regexp.MustCompile(`:[a-z]+`)

// fillStaffPath replaces each parameter of a staff route with the fixture id of its resource.
func fillStaffPath(route string, ids map[string]string) (string, error) {
	var err error
	path := route
	for _, loc := range routeParam.FindAllStringIndex(route, -1) {
		key := route[:loc[1]]
		id, ok := ids[key]
		if !ok || id == "" {
			err = fmt.Errorf("no id for %s: add one to the fixtures' staffIDs", key)
			break
		}
		path = strings.Replace(path, route[loc[0]:loc[1]], id, 1)
	}
	return path, err
}

// pageName makes a file-name-safe name from an address.
func pageName(path string) string {
	n := strings.Trim(regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(strings.ToLower(path), "-"), "-")
	if n == "" {
		return "root"
	}
	return n
}

// siteRoutes returns the router's routes. The server is built without a database: building
// it registers every route and opens nothing.
func siteRoutes(t *testing.T) []*echo.Route {
	t.Helper()
	cfg := config.Config{Addr: "127.0.0.1:0", Data: t.TempDir(), MaxUpload: 1 << 20, SessionKey: strings.Repeat("r", 40)}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Deps{Config: cfg})
	if err != nil {
		t.Fatalf("build the router: %v", err)
	}
	return srv.Echo().Routes()
}

// firstLink returns the first address in the page at path matching the pattern (anchored
// inside href="…"), failing the test when there is none.
func firstLink(t *testing.T, s *site, path, pattern string) string {
	t.Helper()
	status, body := s.get(t, path)
	if status != http.StatusOK {
		t.Fatalf("GET %s: status %d", path, status)
	}
	m := regexp.MustCompile(`href="(` + pattern + `)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("GET %s: no link matching %s", path, pattern)
	}
	return strings.ReplaceAll(m[1], "&amp;", "&")
}

// fixtures are the records the staff pages need ids of, made through the site's own forms:
// an image in the media library, a published article with it as the cover and a second
// revision, and the ids of a category and a user.
type fixtures struct {
	AdminEmail, TOTPEmail            string
	ArticleID, RevisionID, MediaID   string
	CategoryID, UserID               string
	ReferenceURL, CoverURL, CoverAlt string
	ArticleTitle                     string
}

const sweepAdmin = "ada.admin@example.edu"

func newFixtures(t *testing.T, s *site) *fixtures {
	t.Helper()
	s.addUser(t, sweepAdmin, "Ada Admin", "admin", staffPassword)
	cl := newStaffClient(t, s)
	cl.login(sweepAdmin, staffPassword)
	fx := &fixtures{AdminEmail: sweepAdmin, ArticleTitle: "Telescope Dome Reopens After Repairs",
		CoverAlt: "A yellow disc over a blue and green gradient"}

	img, err := os.ReadFile(writeImage(t))
	if err != nil {
		t.Fatal(err)
	}
	loc := cl.upload("/editor/media", map[string]string{"alt": fx.CoverAlt}, "file", "dome.png", img)
	fx.MediaID = lastNumber(t, loc)

	form := cl.form("/editor/articles/new")
	cat := regexp.MustCompile(`<option value="(\d+)"[^>]*>News</option>`).FindStringSubmatch(form)
	if cat == nil {
		t.Fatal("the article form offers no News category")
	}
	fields := url.Values{"title": {fx.ArticleTitle}, "category_id": {cat[1]}, "cover_media_id": {fx.MediaID},
		"summary":     {"The observatory's dome turns again after a summer of repairs."},
		"body_source": {"The dome of the observatory turns again.\n\n## Open nights\n\nThe first open night is on Friday."},
		"tags":        {"research, campus"}, "action": {"publish"}}
	loc = cl.post("/editor/articles/new", form, fields)
	fx.ArticleID = lastNumber(t, loc)
	edit := "/editor/articles/" + fx.ArticleID
	page := cl.form(edit)
	fields.Set("action", "save")
	fields.Set("body_source", fields.Get("body_source")+"\n\nBook a place at the front desk of the library.")
	fields.Set("updated_at", attr(t, page, `name="updated_at" value="([^"]+)"`))
	cl.post(edit, page, fields)
	page = cl.form(edit)
	fx.CoverURL = strings.TrimPrefix(attr(t, page, `<a href="([^"]+)">View on site</a>`), s.URL)
	fx.RevisionID = attr(t, cl.form(edit+"/revisions"), `href="/editor/articles/`+fx.ArticleID+`/revisions/(\d+)"`)
	fx.CategoryID = attr(t, cl.form("/admin/categories"), `href="/admin/categories/(\d+)"`)
	fx.UserID = attr(t, cl.form("/admin/users"), `href="/admin/users/(\d+)"`)
	fx.ReferenceURL = firstLink(t, s, "/search?q=Xinjiang+alumni", `/[a-z0-9-]+/[a-z0-9-]+/\d+/[a-z0-9-]+`)

	// A staff member with two-factor login, so the code step of the login can be shown.
	fx.TOTPEmail = "tove.totp@example.edu"
	s.addUser(t, fx.TOTPEmail, "Tove Totp", "editor", staffPassword)
	tc := newStaffClient(t, s)
	tc.login(fx.TOTPEmail, staffPassword)
	setup := tc.form("/account/2fa")
	secret := strings.ReplaceAll(attr(t, setup, `<code class="totp-secret">([^<]+)</code>`), " ", "")
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if status := tc.postStatus("/account/2fa/enable", setup, url.Values{"code": {code}, "password": {staffPassword}}); status != http.StatusOK {
		t.Fatalf("turning on two-factor login for %s: status %d", fx.TOTPEmail, status)
	}
	return fx
}

// staffClient is a signed-in staff member's HTTP client, for making fixtures quickly.
type staffClient struct {
	t    *testing.T
	site *site
	c    *http.Client
}

func newStaffClient(t *testing.T, s *site) *staffClient {
	jar, _ := cookiejar.New(nil)
	return &staffClient{t: t, site: s, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// form GETs a staff page and returns its HTML.
func (cl *staffClient) form(path string) string {
	cl.t.Helper()
	resp, err := cl.c.Get(cl.site.URL + path)
	if err != nil {
		cl.t.Fatalf("GET %s: %v", path, err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		cl.t.Fatalf("GET %s: status %d", path, resp.StatusCode)
	}
	return string(b)
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// post sends fields with the CSRF token of page to path, requires a 303 and returns where it
// leads.
func (cl *staffClient) post(path, page string, fields url.Values) string {
	cl.t.Helper()
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		cl.t.Fatalf("POST %s: no CSRF token in the form", path)
	}
	fields.Set("_csrf", m[1])
	resp, err := cl.c.PostForm(cl.site.URL+path, fields)
	if err != nil {
		cl.t.Fatalf("POST %s: %v", path, err)
	}
	return cl.redirected(path, resp)
}

// upload sends a multipart form with one file.
func (cl *staffClient) upload(path string, fields map[string]string, field, name string, data []byte) string {
	cl.t.Helper()
	m := csrfField.FindStringSubmatch(cl.form(path))
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("_csrf", m[1]) //nolint:errcheck // writes to memory
	for k, v := range fields {
		w.WriteField(k, v) //nolint:errcheck
	}
	fw, _ := w.CreateFormFile(field, name)
	fw.Write(data) //nolint:errcheck
	w.Close()
	resp, err := cl.c.Post(cl.site.URL+path, w.FormDataContentType(), &buf)
	if err != nil {
		cl.t.Fatalf("POST %s: %v", path, err)
	}
	return cl.redirected(path, resp)
}

// postStatus sends fields with the CSRF token of page to path and returns the status.
func (cl *staffClient) postStatus(path, page string, fields url.Values) int {
	cl.t.Helper()
	fields.Set("_csrf", attr(cl.t, page, csrfField.String()))
	resp, err := cl.c.PostForm(cl.site.URL+path, fields)
	if err != nil {
		cl.t.Fatalf("POST %s: %v", path, err)
	}
	io.Copy(io.Discard, resp.Body) //nolint:errcheck
	resp.Body.Close()
	return resp.StatusCode
}

func (cl *staffClient) redirected(path string, resp *http.Response) string {
	cl.t.Helper()
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		cl.t.Fatalf("POST %s: status %d, want 303\n%.2000s", path, resp.StatusCode, b)
	}
	return resp.Header.Get("Location")
}

func (cl *staffClient) login(email, password string) {
	cl.t.Helper()
	if loc := cl.post("/login", cl.form("/login"), url.Values{"email": {email}, "password": {password}}); strings.HasPrefix(loc, "/login") {
		cl.t.Fatalf("login as %s: sent to %s", email, loc)
	}
}

// attr returns the first submatch of pattern in page.
func attr(t *testing.T, page, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no match for %s in the page", pattern)
	}
	return m[1]
}

// lastNumber is the number at the end of an address such as /editor/media/12.
func lastNumber(t *testing.T, loc string) string {
	t.Helper()
	m := regexp.MustCompile(`/(\d+)$`).FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("expected an address ending in an id, got %q", loc)
	}
	return m[1]
}
