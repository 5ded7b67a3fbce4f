package web

import (
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"campusnews/internal/news"
)

// relatedCount is how many related articles an article page lists.
const relatedCount = 4

func (s *Server) articleView(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		return news.ErrNotFound
	}
	gen := s.news.Generation() // before reading: what is rendered below is at least this new
	view, err := s.news.ArticleView(ctx, id, relatedCount)
	if err != nil {
		return err
	}
	a := view.Article
	tree, err := s.news.Tree(ctx)
	if err != nil {
		return err
	}
	n := tree.Node(a.CategoryID)
	if n == nil || !n.Visible() {
		return news.ErrNotFound
	}
	// A renamed or moved article keeps its id: any old URL leads to the current one. But an
	// address of an imported site's may look like one of ours (/2019/02/14/a-title with
	// WordPress's day-and-name links): then it is that site's address.
	if want := articleURL(tree, a); c.Request().URL.Path != want {
		if to, known := s.oldAddress(c); known {
			if to == "" {
				return news.ErrNotFound
			}
			return redirectOld(c, to)
		}
		return c.Redirect(http.StatusMovedPermanently, want)
	}
	if c.Request().Method == http.MethodGet { // a HEAD is a checker, not a reader
		s.views.Add(a.ID)
	}
	c.Set(ctxArticleID, a.ID)
	prev, next := view.Prev, view.Next
	b, err := s.base(c, tree, a.Title, a.Summary)
	if err != nil {
		return err
	}
	loc := b.Site.Location()
	b.Section = n.Section().Slug
	b.Breadcrumb = append(crumbsOf(n), Crumb{Name: a.Title})
	b.OGType = "article"
	b.Feeds = append(b.Feeds, FeedLink{Title: b.Site.Name + " – " + n.Name, URL: n.Path + "/feed.atom"})
	page := ArticlePage{
		Base:         b,
		Article:      *a,
		Body:         template.HTML(a.BodyHTML), // sanitized by markup on save
		Updated:      a.UpdatedAt.In(loc),
		CategoryName: n.Name,
		CategoryURL:  n.Path,
		Views:        a.Views + s.views.Pending(a.ID),
	}
	if a.PublishedAt != nil {
		page.Published = a.PublishedAt.In(loc)
	}
	// A summary that only repeats the opening of the body is not shown twice. The body's text
	// was kept when it was saved: a page view never renders Markdown.
	lead := strings.TrimSuffix(strings.TrimSpace(a.Summary), "…")
	page.ShowSummary = lead != "" && !strings.HasPrefix(a.BodyText, lead)
	// The related stories' cards are rendered once per content version; those not rendered
	// yet have their photos read in the same read of the library as the cover.
	shown := make([]template.HTML, len(view.Related))
	var fresh []ArticleCard
	var freshAt []int // where each fresh card goes in shown
	for i := range view.Related {
		r := &view.Related[i]
		var ok bool
		if shown[i], ok = s.relatedCards.get(gen, r.ID); ok {
			continue
		}
		if n := tree.Node(r.CategoryID); n != nil && n.Visible() {
			fresh = append(fresh, card(tree, r, loc))
			freshAt = append(freshAt, i)
		}
	}
	var own []int64
	if a.CoverMediaID != nil {
		own = append(own, *a.CoverMediaID)
	}
	cv, err := s.coversOf(ctx, own, fresh)
	if err != nil {
		return err
	}
	cv.set(fresh, sizesRelated, 0)
	for j := range fresh {
		h, err := s.render.Partial("card", fresh[j])
		if err != nil {
			return err
		}
		s.relatedCards.put(gen, fresh[j].ID, h)
		shown[freshAt[j]] = h
	}
	page.RelatedCards = shown
	if a.CoverMediaID != nil {
		if m := cv[*a.CoverMediaID]; m != nil {
			page.Cover = coverImage(m)
			s.shareImage(&page.Base, m)
		}
	}
	if prev != nil {
		cp := card(tree, prev, loc)
		page.Prev = &cp
	}
	if next != nil {
		cn := card(tree, next, loc)
		page.Next = &cn
	}
	page.JSONLD = s.newsArticleLD(&page)
	if a.Event != nil {
		ev := eventView(a.Event, a.ID, time.Now())
		page.Event = &ev
		page.EventLD = s.eventLD(&page, a.Event)
	}
	return c.Render(http.StatusOK, "pages/article", page)
}

// newsArticleLD is the schema.org NewsArticle of the page. encoding/json escapes <, > and &,
// so the text cannot close the <script> block it goes in.
func (s *Server) newsArticleLD(p *ArticlePage) template.JS {
	type thing struct {
		Type string `json:"@type"`
		Name string `json:"name"`
		URL  string `json:"url,omitempty"`
	}
	ld := struct {
		Context       string   `json:"@context"`
		Type          string   `json:"@type"`
		Headline      string   `json:"headline"`
		Description   string   `json:"description,omitempty"`
		URL           string   `json:"url"`
		MainEntity    string   `json:"mainEntityOfPage"`
		DatePublished string   `json:"datePublished,omitempty"`
		DateModified  string   `json:"dateModified"`
		Section       string   `json:"articleSection"`
		Keywords      []string `json:"keywords,omitempty"`
		Author        *thing   `json:"author,omitempty"`
		Publisher     thing    `json:"publisher"`
		Image         []string `json:"image,omitempty"`
	}{
		Context:      "https://schema.org",
		Type:         "NewsArticle",
		Headline:     p.Article.Title,
		Description:  p.Article.Summary,
		URL:          p.Canonical,
		MainEntity:   p.Canonical,
		DateModified: p.Article.UpdatedAt.UTC().Format("2006-01-02T15:04:05Z07:00"),
		Section:      p.CategoryName,
		Publisher:    thing{Type: "Organization", Name: p.Site.Name, URL: s.cfg.BaseURL + "/"},
	}
	if !p.Published.IsZero() {
		ld.DatePublished = p.Published.Format("2006-01-02T15:04:05Z07:00")
	}
	for _, t := range p.Article.Tags {
		ld.Keywords = append(ld.Keywords, t.Name)
	}
	if p.Article.Author != "" {
		ld.Author = &thing{Type: "Person", Name: p.Article.Author}
	} else if p.Article.Source != "" {
		ld.Author = &thing{Type: "Organization", Name: p.Article.Source}
	}
	if p.OGImage != "" {
		ld.Image = []string{p.OGImage}
	}
	out, err := json.Marshal(ld)
	if err != nil {
		return ""
	}
	return template.JS(out)
}
