package web

import (
	"encoding/xml"
	"fmt"
	"html"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/feeds"
	"github.com/labstack/echo/v4"

	"campusnews/internal/news"
)

// Feed and sitemap sizes.
const (
	feedItems      = 30
	sitemapPerFile = 10000
)

func (s *Server) siteFeed(c echo.Context) error { return s.feed(c, "") }

func (s *Server) sectionFeed(c echo.Context) error { return s.feed(c, "/"+c.Param("section")) }

func (s *Server) categoryFeed(c echo.Context) error {
	return s.feed(c, "/"+c.Param("section")+"/"+c.Param("category"))
}

// feed writes the Atom feed of the whole site (path "") or of the category at path.
func (s *Server) feed(c echo.Context, path string) error {
	ctx := c.Request().Context()
	tree, err := s.news.Tree(ctx)
	if err != nil {
		return err
	}
	st, err := s.site.Get(ctx)
	if err != nil {
		return err
	}
	f := news.ListFilter{CategoryIDs: tree.VisibleIDs()}
	title, link := st.Name, s.cfg.BaseURL+"/"
	if path != "" {
		n := tree.ByPath(path)
		if n == nil || !n.Visible() {
			return news.ErrNotFound
		}
		f.CategoryIDs = n.VisibleIDs()
		title, link = st.Name+" – "+n.Name, s.cfg.BaseURL+n.Path
	}
	arts, err := s.news.FeedArticles(ctx, f, feedItems)
	if err != nil {
		return err
	}
	feed := &feeds.Feed{
		Title:       title,
		Link:        &feeds.Link{Href: link},
		Description: st.Tagline,
		Id:          link,
		Copyright:   st.Footer,
	}
	for i := range arts {
		a := &arts[i]
		u := s.cfg.BaseURL + articleURL(tree, a)
		// The summary is plain text, but gorilla/feeds always declares it type="html": escaped
		// here, a feed reader shows the text instead of running it as markup.
		item := &feeds.Item{
			Title:       a.Title,
			Link:        &feeds.Link{Href: u},
			Id:          u,
			Description: html.EscapeString(a.Summary),
			Content:     a.BodyHTML,
			Updated:     a.UpdatedAt,
		}
		if a.PublishedAt != nil {
			item.Created = *a.PublishedAt
		}
		if a.Author != "" {
			item.Author = &feeds.Author{Name: a.Author}
		} else if a.Source != "" {
			item.Author = &feeds.Author{Name: a.Source}
		}
		if i == 0 || a.UpdatedAt.After(feed.Updated) {
			feed.Updated = a.UpdatedAt
		}
		feed.Items = append(feed.Items, item)
	}
	if feed.Updated.IsZero() {
		feed.Updated = time.Unix(0, 0).UTC()
	}
	out, err := feed.ToAtom()
	if err != nil {
		return fmt.Errorf("web: atom feed: %w", err)
	}
	return c.Blob(http.StatusOK, "application/atom+xml; charset=utf-8", []byte(out))
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// sitemapIndex lists the sitemap of the site's pages and one per sitemapPerFile articles.
func (s *Server) sitemapIndex(c echo.Context) error {
	n, err := s.news.CountPublished(c.Request().Context())
	if err != nil {
		return err
	}
	type index struct {
		XMLName  xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
		Sitemaps []sitemapURL `xml:"sitemap"`
	}
	idx := index{Sitemaps: []sitemapURL{{Loc: s.cfg.BaseURL + "/sitemaps/pages.xml"}}}
	for i := 1; i <= news.PageCount(n, sitemapPerFile) && n > 0; i++ {
		idx.Sitemaps = append(idx.Sitemaps, sitemapURL{Loc: fmt.Sprintf("%s/sitemaps/articles-%d.xml", s.cfg.BaseURL, i)})
	}
	return writeXML(c, idx)
}

// sitemapFile is /sitemaps/pages.xml (home and listings) or /sitemaps/articles-N.xml.
func (s *Server) sitemapFile(c echo.Context) error {
	ctx := c.Request().Context()
	tree, err := s.news.Tree(ctx)
	if err != nil {
		return err
	}
	type urlset struct {
		XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
		URLs    []sitemapURL `xml:"url"`
	}
	var set urlset
	name := c.Param("file")
	switch {
	case name == "pages.xml":
		set.URLs = append(set.URLs, sitemapURL{Loc: s.cfg.BaseURL + "/"})
		for _, n := range tree.All() {
			if n.Visible() {
				set.URLs = append(set.URLs, sitemapURL{Loc: s.cfg.BaseURL + n.Path})
			}
		}
		set.URLs = append(set.URLs, sitemapURL{Loc: s.cfg.BaseURL + "/archive"}, sitemapURL{Loc: s.cfg.BaseURL + "/tags"})
	case strings.HasPrefix(name, "articles-") && strings.HasSuffix(name, ".xml"):
		i, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(name, "articles-"), ".xml"))
		if err != nil || i < 1 || i > 100000 {
			return news.ErrNotFound
		}
		entries, err := s.news.SitemapEntries(ctx, (i-1)*sitemapPerFile, sitemapPerFile)
		if err != nil {
			return err
		}
		if len(entries) == 0 {
			return news.ErrNotFound
		}
		for _, e := range entries {
			n := tree.Node(e.CategoryID)
			if n == nil || !n.Visible() {
				continue
			}
			set.URLs = append(set.URLs, sitemapURL{
				Loc:     s.cfg.BaseURL + n.Path + "/" + strconv.FormatInt(e.ID, 10) + "/" + e.Slug,
				LastMod: e.UpdatedAt.UTC().Format("2006-01-02"),
			})
		}
	default:
		return news.ErrNotFound
	}
	return writeXML(c, set)
}

func writeXML(c echo.Context, v any) error {
	out, err := xml.Marshal(v)
	if err != nil {
		return fmt.Errorf("web: sitemap: %w", err)
	}
	return c.Blob(http.StatusOK, "application/xml; charset=utf-8", append([]byte(xml.Header), out...))
}

func (s *Server) robots(c echo.Context) error {
	body := "User-agent: *\nDisallow: /editor/\nDisallow: /admin/\nDisallow: /login\nDisallow: /search\n\nSitemap: " +
		s.cfg.BaseURL + "/sitemap.xml\n"
	return c.Blob(http.StatusOK, "text/plain; charset=utf-8", []byte(body))
}

func (s *Server) healthz(c echo.Context) error {
	if err := s.ping(c.Request().Context()); err != nil {
		s.log.Error("health check", "err", err)
		return c.Blob(http.StatusServiceUnavailable, "text/plain; charset=utf-8", []byte("database unavailable\n"))
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "text/plain; charset=utf-8", []byte("ok\n"))
}
