package news

import (
	"context"
	"errors"
	"testing"
	"time"

	"campusnews/internal/validate"
)

func TestRedirectKey(t *testing.T) {
	for in, want := range map[string]string{
		"/2019/02/physics-laser-lab/":         "/2019/02/physics-laser-lab",
		"/2019/02/physics-laser-lab":          "/2019/02/physics-laser-lab",
		"/2019/02/Physics-Laser-Lab//":        "/2019/02/physics-laser-lab",
		"/2019/02/physics%2Dlaser-lab/?x=1#c": "/2019/02/physics-laser-lab",
		"/2024/05/%e6%a0%a1%e5%8f%8b/":        "/2024/05/校友",
		"/2024/05/%E6%A0%A1%E5%8F%8B":         "/2024/05/校友",
		"/2024/05/%zz":                        "/2024/05/%zz",
		"/?p=45":                              "/?p=45",
		"/?p=045&replytocom=2":                "/?p=45",
		"/index.php?p=45":                     "/?p=45",
		"/?page_id=3":                         "/?page_id=3",
		"/?p=0":                               "",
		"/?p=x":                               "",
		"/?s=laser":                           "",
		"/":                                   "",
		"":                                    "",
		"relative/path":                       "",
	} {
		if got := redirectKey(in); got != want {
			t.Errorf("redirectKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// importSourced runs one ImportSourced in its own batch.
func importSourced(t *testing.T, svc *Service, s Sourced) (*Article, Outcome, error) {
	t.Helper()
	var art *Article
	var out Outcome
	err := svc.Batch(context.Background(), editor, func(b *Batch) error {
		var err error
		art, out, err = b.ImportSourced(s)
		return err
	})
	return art, out, err
}

func TestImportSourced(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	taken := mustCreateArticle(t, f.svc, editor, f.cat.ID, "Laser lab", "Text")
	if taken.Slug != "laser-lab" {
		t.Fatalf("slug %q", taken.Slug)
	}
	published := time.Date(2019, 2, 14, 9, 30, 0, 0, time.UTC)
	s := Sourced{
		Imported: Imported{ArticleInput: ArticleInput{Title: "The new laser lab", Slug: "laser-lab", BodySource: "Opened **today**.",
			CategoryID: f.cat.ID, Tags: []string{"Physics"}}, Status: Published, PublishedAt: &published},
		Source: "wordpress news.example.edu", Key: "4",
		Redirects: []string{"/2019/02/laser-lab/", "/?p=4", "/?p=4"},
	}
	art, out, err := importSourced(t, f.svc, s)
	if err != nil || out != Created {
		t.Fatalf("first: %v %v", out, err)
	}
	// The slug wished for is taken: numbered, not refused.
	if art.Slug != "laser-lab-2" || art.Status != Published || !art.PublishedAt.Equal(published) {
		t.Errorf("imported %+v", art)
	}
	if got := searchIDs(t, f.svc, "today"); len(got) != 1 || got[0] != art.ID {
		t.Errorf("search %v", got)
	}
	for _, p := range []string{"/2019/02/laser-lab", "/?p=4"} {
		if r, err := f.svc.Redirect(ctx, p); err != nil || r.ID != art.ID || r.Status != Published || r.Slug != "laser-lab-2" {
			t.Errorf("redirect %s: %+v %v", p, r, err)
		}
	}
	if _, err := f.svc.Redirect(ctx, "/2019/02/other/"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown address: %v", err)
	}

	// The same again: nothing to do.
	again, out, err := importSourced(t, f.svc, s)
	if err != nil || out != Unchanged || again.ID != art.ID {
		t.Fatalf("again: %v %v", out, err)
	}
	if revs, _ := f.svc.Revisions(ctx, art.ID); len(revs) != 0 {
		t.Errorf("%d revisions after an import that changed nothing", len(revs))
	}

	// Changed on the old site, and taken out of publication there: saved over the article,
	// with the state before kept, and out of the search index.
	s.Title, s.BodySource, s.Status, s.PublishedAt = "The new laser lab opens", "Opened **yesterday**.", Draft, nil
	s.UpdatedAt = published.Add(24 * time.Hour)
	s.Redirects = []string{"/2019/02/laser-lab-opens/"}
	upd, out, err := importSourced(t, f.svc, s)
	if err != nil || out != Updated || upd.ID != art.ID {
		t.Fatalf("update: %v %v", out, err)
	}
	got, err := f.svc.Article(ctx, art.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "The new laser lab opens" || got.Status != Draft || got.Slug != "laser-lab-2" ||
		!got.UpdatedAt.Equal(s.UpdatedAt) || got.BodyHTML != "<p>Opened <strong>yesterday</strong>.</p>\n" {
		t.Errorf("updated %+v", got)
	}
	revs, _ := f.svc.Revisions(ctx, art.ID)
	if len(revs) != 2 || revs[1].Note != noteBeforeFirstEdit || revs[1].Title != "The new laser lab" {
		t.Errorf("revisions %+v", revs)
	}
	if ids := searchIDs(t, f.svc, "yesterday"); len(ids) != 0 {
		t.Errorf("an unpublished article is found: %v", ids)
	}
	// Old addresses stay, new ones join them; the article, a draft now, is for the caller not
	// to send readers to.
	for _, p := range []string{"/2019/02/laser-lab/", "/2019/02/laser-lab-opens"} {
		if r, err := f.svc.Redirect(ctx, p); err != nil || r.ID != art.ID || r.Status != Draft {
			t.Errorf("redirect %s: %+v %v", p, r, err)
		}
	}

	// An invalid item writes nothing.
	bad := s
	bad.Key, bad.Title = "5", ""
	bad.Redirects = []string{"/bad/"}
	if _, _, err := importSourced(t, f.svc, bad); !errors.As(err, new(validate.Errors)) {
		t.Errorf("invalid: %v", err)
	}
	if _, err := f.svc.Redirect(ctx, "/bad/"); !errors.Is(err, ErrNotFound) {
		t.Errorf("the invalid item's address was kept: %v", err)
	}

	// Deleting the article forgets where it came from: the next import makes it again.
	if err := f.svc.Delete(ctx, editor, art.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Redirect(ctx, "/?p=4"); !errors.Is(err, ErrNotFound) {
		t.Errorf("the deleted article's address: %v", err)
	}
	if _, out, err := importSourced(t, f.svc, s); err != nil || out != Created {
		t.Errorf("after the delete: %v %v", out, err)
	}
}
