package web

// routes registers every route of the site. Groups carry their guards, so a new route
// inherits the guard of its group.
func (s *Server) routes() {
	e := s.echo

	// Public pages.
	e.GET("/", s.homeView)
	e.GET("/search", s.searchView)
	e.GET("/tags", s.tagsIndex)
	e.GET("/tags/:slug", s.tagView)
	e.GET("/archive", s.archiveIndex)
	e.GET("/archive/:year", s.archiveYear)
	e.GET("/archive/:year/:month", s.archiveMonth)
	e.GET("/feed.atom", s.siteFeed)
	e.GET("/sitemap.xml", s.sitemapIndex)
	e.GET("/sitemaps/:file", s.sitemapFile)
	e.GET("/robots.txt", s.robots)
	e.GET("/healthz", s.healthz)
	e.GET("/assets/*", s.serveAsset)
	e.GET("/:section", s.sectionView)
	e.GET("/:section/feed.atom", s.sectionFeed)
	e.GET("/:section/:category", s.categoryView)
	e.GET("/:section/:category/feed.atom", s.categoryFeed)
	e.GET("/:section/:category/:id", s.articleView)
	e.GET("/:section/:category/:id/:slug", s.articleView)
}
