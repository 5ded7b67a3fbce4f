package web

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"campusnews/internal/news"
)

type parsedFeed struct {
	ID    string `xml:"id"`
	Links []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Author  string `xml:"author>name"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Content string `xml:"content"`
	} `xml:"entry"`
}

func (f *parsedFeed) link(rel string) string {
	for _, l := range f.Links {
		if l.Rel == rel {
			return l.Href
		}
	}
	return ""
}

func getFeed(t *testing.T, cl *client, path string) *parsedFeed {
	t.Helper()
	resp, body := cl.get(path)
	mustStatus(t, resp, body, http.StatusOK)
	var f parsedFeed
	if err := xml.Unmarshal([]byte(body), &f); err != nil {
		t.Fatalf("%s does not parse: %v\n%s", path, err, body)
	}
	return &f
}

// Every feed links itself by its absolute address; ids do not change when an article or its
// category is renamed or moved; links inside the content are absolute.
func TestFeedsSelfLinkStableIDsAbsoluteLinks(t *testing.T) {
	ae := newAuthzEnv(t)
	ctx := context.Background()
	cl := ae.client()
	base := ae.srv.cfg.BaseURL
	art, err := ae.news.Create(ctx, ae.setup, news.ArticleInput{Title: "Feed links study", CategoryID: ae.cat.ID,
		BodySource: "See [the topic](/tags/alumni), [the notes](notes) and [elsewhere](https://example.org/x).\n\n" +
			"![A picture](/media/pic.jpg)"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ae.news.Publish(ctx, ae.setup, art.ID); err != nil {
		t.Fatal(err)
	}
	entry := func(f *parsedFeed) (id, content string) {
		t.Helper()
		for _, e := range f.Entries {
			if strings.HasPrefix(e.Title, "Feed links") {
				return e.ID, e.Content
			}
		}
		t.Fatalf("the article is not in the feed %q", f.link("self"))
		return "", ""
	}

	ids := map[string]string{}
	for _, path := range []string{"/feed.atom", "/campus/feed.atom", "/campus/research/feed.atom"} {
		f := getFeed(t, cl, path)
		if got := f.link("self"); got != base+path {
			t.Errorf("%s: self link %q, want %q", path, got, base+path)
		}
		if f.link("alternate") == "" || f.Author == "" {
			t.Errorf("%s: alternate link %q, author %q", path, f.link("alternate"), f.Author)
		}
		id, content := entry(f)
		if !strings.HasPrefix(id, "tag:127.0.0.1,") || !strings.HasSuffix(id, ":article/"+strconv.FormatInt(art.ID, 10)) {
			t.Errorf("%s: entry id %q, want a tag URI of the article's number", path, id)
		}
		for _, want := range []string{`href="` + base + `/tags/alumni"`, `src="` + base + `/media/pic.jpg"`,
			`href="` + base + `/campus/research/` + strconv.FormatInt(art.ID, 10) + `/notes"`, `href="https://example.org/x"`} {
			if !strings.Contains(content, want) {
				t.Errorf("%s: content lacks %s:\n%s", path, want, content)
			}
		}
		if strings.Contains(content, `="/`) || strings.Contains(content, `="notes"`) {
			t.Errorf("%s: content keeps a relative link:\n%s", path, content)
		}
		ids[path] = f.ID
		ids[path+" entry"] = id
	}
	if ids["/campus/research/feed.atom"] == ids["/campus/feed.atom"] {
		t.Errorf("two feeds share the id %q", ids["/campus/feed.atom"])
	}

	// Rename the category and the article, then move the article to another category.
	in := news.CategoryInput{Name: "Studies", Slug: "studies", ParentID: ae.cat.ParentID, Visible: true}
	if _, err := ae.news.UpdateCategory(ctx, ae.setup, ae.cat.ID, in); err != nil {
		t.Fatal(err)
	}
	f := getFeed(t, cl, "/campus/studies/feed.atom")
	if f.ID != ids["/campus/research/feed.atom"] {
		t.Errorf("renamed category: feed id %q, was %q", f.ID, ids["/campus/research/feed.atom"])
	}
	if got := f.link("self"); got != base+"/campus/studies/feed.atom" {
		t.Errorf("renamed category: self link %q", got)
	}
	if id, _ := entry(f); id != ids["/campus/research/feed.atom entry"] {
		t.Errorf("renamed category: entry id %q, was %q", id, ids["/campus/research/feed.atom entry"])
	}
	other, err := ae.news.CreateCategory(ctx, ae.setup, news.CategoryInput{Name: "Events", Slug: "events",
		ParentID: ae.cat.ParentID, Visible: true})
	if err != nil {
		t.Fatal(err)
	}
	cur, err := ae.news.Article(ctx, art.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ae.news.Update(ctx, ae.setup, art.ID, news.ArticleInput{Title: "Feed links study, renamed",
		Slug: "renamed", BodySource: cur.BodySource, CategoryID: other.ID}, cur.UpdatedAt); err != nil {
		t.Fatal(err)
	}
	f = getFeed(t, cl, "/feed.atom")
	if id, _ := entry(f); id != ids["/feed.atom entry"] {
		t.Errorf("renamed and moved article: entry id %q, was %q", id, ids["/feed.atom entry"])
	}
	if f.ID != ids["/feed.atom"] {
		t.Errorf("site feed id %q, was %q", f.ID, ids["/feed.atom"])
	}
}

// A category made after another was deleted may get its id; its feed still has its own id.
func TestCategoryFeedIDNotReused(t *testing.T) {
	ae := newAuthzEnv(t)
	ctx := context.Background()
	clock := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	ae.news.SetClock(func() time.Time { return clock })
	feedID := func(slug string) string {
		in := news.CategoryInput{Name: "Temp " + slug, Slug: slug, ParentID: ae.cat.ParentID, Visible: true}
		c, err := ae.news.CreateCategory(ctx, ae.setup, in)
		if err != nil {
			t.Fatal(err)
		}
		id := getFeed(t, ae.client(), "/campus/"+slug+"/feed.atom").ID
		if err := ae.news.DeleteCategory(ctx, ae.setup, c.ID, nil); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(c.ID) + " " + id
	}
	first := feedID("first")
	clock = clock.Add(5 * time.Second)
	second := feedID("second")
	if a, b, _ := strings.Cut(first, " "); strings.HasPrefix(second, a+" ") && strings.HasSuffix(second, " "+b) {
		t.Errorf("two categories with the id %s share the feed id %s", a, b)
	}
}
