package web

import (
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"campusnews/internal/news"
)

// base fills what every public page shares. title is the page's own title.
func (s *Server) base(c echo.Context, tree *news.Tree, title, desc string) (Base, error) {
	st, err := s.site.Get(c.Request().Context())
	if err != nil {
		return Base{}, err
	}
	if desc == "" {
		desc = st.Tagline
	}
	b := Base{
		Site:        st,
		Title:       title,
		Description: desc,
		Canonical:   s.cfg.BaseURL + c.Request().URL.Path,
		OGType:      "website",
		Feeds:       []FeedLink{{Title: st.Name, URL: "/feed.atom"}},
		RequestID:   requestIDOf(c),
		Year:        time.Now().In(st.Location()).Year(),
	}
	if tree != nil {
		b.Nav, b.gen = s.navFor(tree), tree.Gen
	}
	return b, nil
}

// navMemo is the navigation made from one tree. Pages only read it.
type navMemo struct {
	tree *news.Tree
	nav  []NavItem
}

// navFor returns the navigation of tree, made once per tree rather than on every page: trees
// are shared and never change, so the pointer names the version.
func (s *Server) navFor(tree *news.Tree) []NavItem {
	if m := s.nav.Load(); m != nil && m.tree == tree {
		return m.nav
	}
	nav := navOf(tree)
	s.nav.Store(&navMemo{tree: tree, nav: nav})
	return nav
}

// navOf builds the main navigation from the visible part of the tree.
func navOf(tree *news.Tree) []NavItem {
	secs := tree.VisibleSections()
	nav := make([]NavItem, 0, len(secs))
	for _, sec := range secs {
		item := NavItem{Name: sec.Name, Slug: sec.Slug, URL: sec.Path}
		for _, c := range sec.VisibleChildren() {
			item.Children = append(item.Children, NavItem{Name: c.Name, Slug: c.Slug, URL: c.Path})
		}
		nav = append(nav, item)
	}
	return nav
}

// crumbsOf is Home › section › category for node n.
func crumbsOf(n *news.Node) []Crumb {
	var chain []*news.Node
	for c := n; c != nil; c = c.Parent {
		chain = append([]*news.Node{c}, chain...)
	}
	crumbs := []Crumb{{Name: "Home", URL: "/"}}
	for _, c := range chain {
		crumbs = append(crumbs, Crumb{Name: c.Name, URL: c.Path})
	}
	return crumbs
}

// articleURL is the canonical path of a in tree.
func articleURL(tree *news.Tree, a *news.Article) string {
	n := tree.Node(a.CategoryID)
	if n == nil {
		return "/"
	}
	return n.Path + "/" + strconv.FormatInt(a.ID, 10) + "/" + a.Slug
}

// cards turns articles into list cards with URLs and local dates.
// Articles in hidden categories are left out.
func cards(tree *news.Tree, arts []news.Article, loc *time.Location) []ArticleCard {
	out := make([]ArticleCard, 0, len(arts))
	for i := range arts {
		if n := tree.Node(arts[i].CategoryID); n == nil || !n.Visible() {
			continue
		}
		out = append(out, card(tree, &arts[i], loc))
	}
	return out
}

func card(tree *news.Tree, a *news.Article, loc *time.Location) ArticleCard {
	c := ArticleCard{Article: *a, Title: a.Title, Summary: a.Summary, URL: articleURL(tree, a)}
	if n := tree.Node(a.CategoryID); n != nil {
		c.CategoryName, c.CategoryURL = n.Name, n.Path
	}
	if a.PublishedAt != nil {
		c.Published = a.PublishedAt.In(loc)
	}
	if a.ExpiresAt != nil {
		c.Expires = a.ExpiresAt.In(loc)
	}
	return c
}

// pageParam reads ?page=; a missing page is 1, anything else not a positive number is 0,
// which the listings answer with 404.
func pageParam(c echo.Context) int {
	v := c.QueryParam("page")
	if v == "" {
		return 1
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 1_000_000 {
		return 0
	}
	return n
}

// withPage is the canonical URL of page n of a listing at path.
func withPage(path string, n int, extra url.Values) string {
	q := url.Values{}
	for k, v := range extra {
		q[k] = v
	}
	if n > 1 {
		q.Set("page", strconv.Itoa(n))
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// Links returns the page links to draw: first, last, and a window around the current page,
// with gaps (Number 0) between.
func (p Pager) Links() []PagerLink {
	if p.Pages <= 1 {
		return nil
	}
	var out []PagerLink
	last := 0
	add := func(n int) {
		if n < 1 || n > p.Pages || n <= last {
			return
		}
		if last != 0 && n > last+1 {
			out = append(out, PagerLink{})
		}
		out = append(out, PagerLink{Number: n, URL: p.URL(n), Current: n == p.Page})
		last = n
	}
	add(1)
	for n := p.Page - 2; n <= p.Page+2; n++ {
		add(n)
	}
	add(p.Pages)
	return out
}

// URL is the link to page n.
func (p Pager) URL(n int) string {
	u := p.BaseURL + "?" + p.Query
	if n > 1 {
		return u + "page=" + strconv.Itoa(n)
	}
	if p.Query == "" {
		return p.BaseURL
	}
	return u[:len(u)-1]
}

// Prev is the link to the page before, or "".
func (p Pager) Prev() string {
	if p.Page <= 1 {
		return ""
	}
	return p.URL(p.Page - 1)
}

// Next is the link to the page after, or "".
func (p Pager) Next() string {
	if p.Page >= p.Pages {
		return ""
	}
	return p.URL(p.Page + 1)
}
