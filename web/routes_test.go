package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"campusnews/internal/news"
)

// TestFixedPathsAreReserved reads the router's own route table: a fixed first path segment wins
// over /:section, so a section with that slug, or every category in it, would be unreachable.
// Each such segment must be a reserved slug; below a section, a fixed segment must be something
// no category slug can be.
func TestFixedPathsAreReserved(t *testing.T) {
	env := newTestEnv(t)
	checked := map[string]bool{}
	for _, r := range env.srv.Echo().Routes() {
		segs := strings.Split(strings.TrimPrefix(r.Path, "/"), "/")
		first := segs[0]
		checked[first] = true
		if first != "" && first != "*" && !strings.HasPrefix(first, ":") && !news.ReservedSlugs[first] {
			t.Errorf("%s %s: %q is not in news.ReservedSlugs, so a section could take it", r.Method, r.Path, first)
		}
		if first != ":section" {
			continue
		}
		for _, seg := range segs[1:] {
			if seg != "" && seg != "*" && !strings.HasPrefix(seg, ":") && news.ValidSlug(seg) {
				t.Errorf("%s %s: a category could have the slug %q", r.Method, r.Path, seg)
			}
		}
	}
	// The table must really have been read.
	for _, want := range []string{"admin", "editor", "sitemaps", "assets"} {
		if !checked[want] {
			t.Errorf("route table has no /%s", want)
		}
	}
}

func TestReservedSectionSlugIsRefused(t *testing.T) {
	env, cl, _ := adminEnv(t)
	resp, body := cl.submit("/admin/categories/new", "/admin/categories/new",
		url.Values{"name": {"Sitemaps"}, "parent_id": {"0"}, "visible": {"1"}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, `id="cat-slug-error"`) || !strings.Contains(body, "This address is used by the site itself") {
		t.Fatalf("reserved slug not refused beside the field:\n%s", body)
	}
	if tree, _ := env.news.Tree(t.Context()); tree.ByPath("/sitemaps") != nil {
		t.Fatal("section /sitemaps was created")
	}
}
