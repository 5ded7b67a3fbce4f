package web

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"campusnews/internal/importer"
	"campusnews/internal/news"
)

// importWordPress loads the WordPress test export into env, as the import command does, with
// its text changed by the old, new pairs of replace.
func importWordPress(t *testing.T, env *testEnv, replace ...string) {
	t.Helper()
	data, err := os.ReadFile("../internal/wordpress/testdata/export.xml")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(replace); i += 2 {
		data = bytes.ReplaceAll(data, []byte(replace[i]), []byte(replace[i+1]))
	}
	_, err = importer.New(env.db, env.news, env.media).WordPress(context.Background(), importer.WordPressOptions{
		Open:    func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil },
		Name:    "export.xml",
		Uploads: "../internal/wordpress/testdata/uploads",
		Who:     "test",
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The addresses of the old WordPress site lead to the imported articles.
func TestOldAddressesRedirect(t *testing.T) {
	env := newTestEnv(t)
	importWordPress(t, env)
	cl := env.client()
	var id int64
	if err := env.db.Raw("SELECT article_id FROM article_sources WHERE key = '4'").Scan(&id).Error; err != nil || id == 0 {
		t.Fatalf("post 4: %d %v", id, err)
	}
	want := "/news/physics/" + itoa(id) + "/physics-laser-lab"

	// The home page is in the page cache before /?p=4 is asked for.
	if resp, _ := cl.get("/"); resp.StatusCode != http.StatusOK {
		t.Fatalf("home: %d", resp.StatusCode)
	}
	for _, p := range []string{"/2019/02/physics-laser-lab/", "/2019/02/physics-laser-lab", "/2019/02/Physics-Laser-Lab/",
		"/2019/02/physics%2dlaser%2Dlab/", "/2019/02/physics-laser-lab/?utm_source=x", "/?p=4", "/?p=4&replytocom=7",
		"/index.php?p=4"} {
		resp, _ := cl.get(p)
		if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != want {
			t.Errorf("%s: %d → %q, want 301 → %s", p, resp.StatusCode, resp.Header.Get("Location"), want)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != oldAddressCache {
			t.Errorf("%s: Cache-Control %q", p, cc)
		}
	}
	req, _ := http.NewRequest(http.MethodHead, env.http.URL+"/?p=4", nil)
	if resp, err := cl.c.Do(req); err != nil || resp.StatusCode != http.StatusMovedPermanently {
		t.Errorf("HEAD /?p=4: %v %v", resp, err)
	}
	if resp, body := cl.get(want); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Physics department unveils new laser lab") {
		t.Errorf("the article: %d", resp.StatusCode)
	}

	// Articles readers may not see: drafts (a draft, a password-protected post), and what is
	// unpublished or hidden later.
	for _, p := range []string{"/?p=45", "/2025/05/press-embargo-nature-paper/", "/?p=53", "/2024/01/private-staff-meeting-notes/"} {
		if resp, body := cl.get(p); resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "Page not found") {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
	}
	// A number the import never saw is the home page, as it was.
	if resp, body := cl.get("/?p=99999"); resp.StatusCode != http.StatusOK || !strings.Contains(body, `<main id="main"`) {
		t.Errorf("/?p=99999: %d", resp.StatusCode)
	}
	if err := env.news.Unpublish(context.Background(), news.Actor{CanPublish: true, CanEditAny: true}, id); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/2019/02/physics-laser-lab/", "/?p=4"} {
		if resp, _ := cl.get(p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s of an unpublished article: %d", p, resp.StatusCode)
		}
	}
	env.exec("UPDATE categories SET visible = ? WHERE slug = 'campus'", false)
	if resp, _ := cl.get("/2019/11/library-extends-opening-hours/"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an article of a hidden category: %d", resp.StatusCode)
	}
	// Other 404s stay 404s, through both ways the router has to a missing page.
	for _, p := range []string{"/2019/02/nothing-here/", "/a/b/c/d/e/f", "/news/physics/999999/x"} {
		if resp, _ := cl.get(p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
	}
}

// With WordPress's day-and-name links an old address has the shape of an article's address
// here, /2019/02/01/physics-laser-lab, whose "01" is the id of another article: the old
// address wins.
func TestOldAddressLikeAnArticleAddress(t *testing.T) {
	env := newTestEnv(t)
	importWordPress(t, env, "https://news.example.edu/2019/02/physics-laser-lab/", "https://news.example.edu/2019/02/01/physics-laser-lab/",
		"https://news.example.edu/2018/09/hello-world/", "https://news.example.edu/2018/09/03/hello-world/")
	var laser, hello int64
	env.db.Raw("SELECT article_id FROM article_sources WHERE key = '4'").Scan(&laser)
	env.db.Raw("SELECT article_id FROM article_sources WHERE key = '1'").Scan(&hello)
	if hello != 1 {
		t.Fatalf("Hello world is article %d: the test needs it to be 1", hello)
	}
	cl := env.client()
	for p, want := range map[string]string{
		"/2019/02/01/physics-laser-lab/": "/news/physics/" + itoa(laser) + "/physics-laser-lab",
		"/2018/09/03/hello-world":        "/news/uncategorized/1/hello-world",
		"/news/news/1/old-slug":          "/news/uncategorized/1/hello-world", // ours: by id, as before
	} {
		if resp, _ := cl.get(p); resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != want {
			t.Errorf("%s: %d → %q, want %s", p, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
	// The old address of an article readers may not see is not taken for article 1's.
	if err := env.news.Unpublish(context.Background(), news.Actor{CanPublish: true, CanEditAny: true}, laser); err != nil {
		t.Fatal(err)
	}
	if resp, _ := cl.get("/2019/02/01/physics-laser-lab/"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unpublished: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}
