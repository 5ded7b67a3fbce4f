package web

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"campusnews/internal/markup"
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

// Atom 1.0 (RFC 4287), only the parts the feeds use.
type (
	atomFeed struct {
		XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
		Title    string      `xml:"title"`
		Subtitle string      `xml:"subtitle,omitempty"`
		ID       string      `xml:"id"`
		Updated  string      `xml:"updated"`
		Rights   string      `xml:"rights,omitempty"`
		Links    []atomLink  `xml:"link"`
		Author   atomPerson  `xml:"author"`
		Entries  []atomEntry `xml:"entry"`
	}
	atomLink struct {
		Rel    string `xml:"rel,attr"`
		Type   string `xml:"type,attr,omitempty"`
		Href   string `xml:"href,attr"`
		Length int64  `xml:"length,attr,omitempty"`
	}
	atomPerson struct {
		Name string `xml:"name"`
	}
	atomText struct {
		Type string `xml:"type,attr"`
		Text string `xml:",chardata"`
	}
	atomEntry struct {
		Title     string      `xml:"title"`
		ID        string      `xml:"id"`
		Updated   string      `xml:"updated"`
		Published string      `xml:"published,omitempty"`
		Links     []atomLink  `xml:"link"`
		Author    *atomPerson `xml:"author,omitempty"`
		Summary   *atomText   `xml:"summary,omitempty"`
		Content   *atomText   `xml:"content,omitempty"`
	}
)

// feed writes the Atom feed of the whole site (path "") or of the category at path.
//
// Ids never change with the addresses: an article's is a tag URI (RFC 4151) of its number,
// and a category feed's one of the category's, so renaming or moving either does not make
// feed readers show old news as new. The site feed keeps the home page's address.
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
	title, link, id := st.Name, s.cfg.BaseURL+"/", s.cfg.BaseURL+"/"
	if path != "" {
		n := tree.ByPath(path)
		if n == nil || !n.Visible() {
			return news.ErrNotFound
		}
		f.CategoryIDs = n.VisibleIDs()
		title, link = st.Name+" – "+n.Name, s.cfg.BaseURL+n.Path
		// A deleted category's id can be given again, so the creation second tells them apart.
		id = s.tagURI(n.CreatedAt, "category/"+strconv.FormatInt(n.ID, 10)+"/"+strconv.FormatInt(n.CreatedAt.Unix(), 10))
	}
	arts, err := s.news.FeedArticles(ctx, f, feedItems)
	if err != nil {
		return err
	}
	var photos []int64
	for i := range arts {
		if id := arts[i].CoverMediaID; id != nil {
			photos = append(photos, *id)
		}
	}
	cv, err := s.coversOf(ctx, photos)
	if err != nil {
		return err
	}
	feed := &atomFeed{
		Title:    title,
		Subtitle: st.Tagline,
		ID:       id,
		Rights:   st.Footer,
		Links: []atomLink{
			{Rel: "alternate", Type: "text/html", Href: link},
			{Rel: "self", Type: "application/atom+xml", Href: s.cfg.BaseURL + path + "/feed.atom"},
		},
		// Atom wants an author for every entry; the site stands in for entries without one.
		Author: atomPerson{Name: st.Name},
	}
	var updated time.Time
	for i := range arts {
		a := &arts[i]
		u := s.cfg.BaseURL + articleURL(tree, a)
		e := atomEntry{
			Title:   a.Title,
			ID:      s.tagURI(a.CreatedAt, "article/"+strconv.FormatInt(a.ID, 10)),
			Updated: a.UpdatedAt.UTC().Format(time.RFC3339),
			Links:   []atomLink{{Rel: "alternate", Type: "text/html", Href: u}},
			Summary: &atomText{Type: "text", Text: a.Summary},
		}
		if a.CoverMediaID != nil {
			// The cover as an enclosure, the original file with its type and size, which
			// feed readers show beside the entry.
			if m := cv[*a.CoverMediaID]; m != nil {
				e.Links = append(e.Links, atomLink{Rel: "enclosure", Type: m.Mime, Href: s.cfg.BaseURL + m.URL(), Length: m.Size})
			}
		}
		if a.Summary == "" {
			e.Summary = nil
		}
		if a.PublishedAt != nil {
			e.Published = a.PublishedAt.UTC().Format(time.RFC3339)
		}
		if a.Author != "" {
			e.Author = &atomPerson{Name: a.Author}
		} else if a.Source != "" {
			e.Author = &atomPerson{Name: a.Source}
		}
		if a.BodyHTML != "" {
			// Read in a feed reader, "/media/x.jpg" has no site: links are made absolute,
			// against the article's own address as the page would resolve them.
			base, err := url.Parse(u)
			if err != nil {
				return fmt.Errorf("web: atom feed: article URL: %w", err)
			}
			e.Content = &atomText{Type: "html", Text: markup.AbsoluteURLs(a.BodyHTML, base)}
		}
		if a.UpdatedAt.After(updated) {
			updated = a.UpdatedAt
		}
		feed.Entries = append(feed.Entries, e)
	}
	if updated.IsZero() {
		updated = time.Unix(0, 0)
	}
	feed.Updated = updated.UTC().Format(time.RFC3339)
	out, err := xml.MarshalIndent(feed, "", "  ")
	if err != nil {
		return fmt.Errorf("web: atom feed: %w", err)
	}
	return c.Blob(http.StatusOK, "application/atom+xml; charset=utf-8", append([]byte(xml.Header), out...))
}

// tagURI is a tag URI (RFC 4151) minted by the site's host on day, the day the thing it names
// was created, which never changes: "tag:news.example.edu,2024-05-01:article/7".
func (s *Server) tagURI(day time.Time, specific string) string {
	host := "localhost"
	if u, err := url.Parse(s.cfg.BaseURL); err == nil && u.Hostname() != "" {
		host = strings.ToLower(u.Hostname())
	}
	return "tag:" + host + "," + day.UTC().Format("2006-01-02") + ":" + specific
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
	c.Response().Header().Set("Cache-Control", "no-store")
	if s.draining.Load() {
		return c.Blob(http.StatusServiceUnavailable, "text/plain; charset=utf-8", []byte("shutting down\n"))
	}
	if err := s.ping(c.Request().Context()); err != nil {
		s.log.ErrorContext(c.Request().Context(), "health check", "err", err)
		return c.Blob(http.StatusServiceUnavailable, "text/plain; charset=utf-8", []byte("database unavailable\n"))
	}
	return c.Blob(http.StatusOK, "text/plain; charset=utf-8", []byte("ok\n"))
}
