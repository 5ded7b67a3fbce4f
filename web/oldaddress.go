package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"campusnews/internal/news"
)

// Imported articles keep the addresses they had on the old site (a WordPress permalink such
// as /2019/02/physics-laser-lab/, or /?p=12): such an address answers 301 with the article's
// own. It is looked up only where the site would otherwise answer 404 (handleError), and at
// the root, whose page would hide /?p=12 (oldPostQuery), so no page pays for it.

// oldAddressCache lets browsers and proxies keep a redirect for an hour: the article may move
// later, and its old address must then follow.
const oldAddressCache = "public, max-age=3600"

// oldAddress returns the address of the article the request's path (with its query at the
// root) was on the old site, "" when it names none; known reports whether it names one at
// all, published or not. One indexed query.
func (s *Server) oldAddress(c echo.Context) (to string, known bool) {
	r := c.Request()
	if r.Method != http.MethodGet && r.Method != http.MethodHead || staffPath(r.URL.Path) {
		return "", false
	}
	p := r.URL.EscapedPath()
	if r.URL.RawQuery != "" && (p == "/" || p == "/index.php") {
		p += "?" + r.URL.RawQuery
	}
	ctx := r.Context()
	a, err := s.news.Redirect(ctx, p)
	if err != nil {
		return "", false
	}
	if a.Status != news.Published {
		return "", true
	}
	tree, err := s.news.Tree(ctx)
	if err != nil {
		return "", true
	}
	if n := tree.Node(a.CategoryID); n == nil || !n.Visible() {
		return "", true
	}
	return articleURL(tree, a), true
}

// redirectOld answers with a redirect to the article's address.
func redirectOld(c echo.Context, to string) error {
	c.Response().Header().Set("Cache-Control", oldAddressCache)
	return c.Redirect(http.StatusMovedPermanently, to)
}

// oldPostQuery answers the old site's /?p=12 and /?page_id=3 before the page cache, whose key
// for the home page leaves the query out. An address of an article readers may not see is a
// 404, as any other; a number the import never saw is the home page, as before.
func (s *Server) oldPostQuery(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Request().URL.RawQuery == "" || c.QueryParam("p") == "" && c.QueryParam("page_id") == "" {
			return next(c)
		}
		to, known := s.oldAddress(c)
		switch {
		case to != "":
			return redirectOld(c, to)
		case known:
			return news.ErrNotFound
		}
		return next(c)
	}
}
