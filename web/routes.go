package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"campusnews/internal/accounts"
)

// formLimit bounds a staff form submission; uploads have their own limit.
const formLimit = "2M"

// routes registers every route of the site. Groups carry their guards, so a new route
// inherits the guard of its group.
func (s *Server) routes() {
	e := s.echo

	// Public pages: no session, no cookies, served from the page cache.
	page := s.cachePage
	// Public pages answer HEAD too (link checkers, monitors): the same handler, no body.
	get := func(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
		e.GET(path, h, m...)
		e.HEAD(path, h, m...)
	}
	get("/", s.homeView, s.oldPostQuery, page)
	get("/search", s.searchView, page)
	get("/tags", s.tagsIndex, page)
	get("/tags/:slug", s.tagView, page)
	get("/archive", s.archiveIndex, page)
	get("/archive/:year", s.archiveYear, page)
	get("/archive/:year/:month", s.archiveMonth, page)
	get("/accessibility", s.accessibilityView, page)
	get("/events", s.eventsView, page)
	get("/events/past", s.eventsPastView, page)
	get("/events/:file", s.eventCalendar, page) // "<id>.ics"
	get("/events.ics", s.eventsCalendar, page)
	get("/feed.atom", s.siteFeed, page)
	get("/sitemap.xml", s.sitemapIndex, page)
	get("/sitemaps/:file", s.sitemapFile, page)
	get("/robots.txt", s.robots, page)
	get("/healthz", s.healthz)
	get("/assets/*", s.serveAsset)
	get("/media/:name", s.mediaFile)
	get("/:section", s.sectionView, page)
	get("/:section/feed.atom", s.sectionFeed, page)
	get("/:section/events.ics", s.sectionCalendar, page)
	get("/:section/:category", s.categoryView, page)
	get("/:section/:category/feed.atom", s.categoryFeed, page)
	get("/:section/:category/:id", s.articleView, page)
	get("/:section/:category/:id/:slug", s.articleView, page)

	limit := middleware.BodyLimit(formLimit)
	// Twice the upload limit, so an image somewhat too large reaches the form's own check and
	// is refused beside its field with the description kept; beyond that, the 413 page.
	uploadLimit := middleware.BodyLimit(fmt.Sprintf("%dK", 2*s.cfg.MaxUpload/1024+64))

	// Logging in and out: a session, CSRF, no login needed. (Route-level middleware: a group
	// at the root would add a catch-all route.)
	auth := []echo.MiddlewareFunc{s.loadUser, limit, s.csrf}
	e.GET("/login", s.loginView, auth...)
	e.POST("/login", s.loginPost, auth...)
	e.GET("/login/2fa", s.loginTOTPView, auth...)
	e.POST("/login/2fa", s.loginTOTPPost, auth...)
	e.GET("/logout", s.logoutView, auth...)
	e.POST("/logout", s.logoutPost, auth...)

	// A staff member's own account.
	acct := e.Group("/account", s.loadUser, limit, s.csrf, s.requireStaff)
	acct.GET("", s.accountView)
	acct.GET("/password", s.accountPassword)
	acct.POST("/password", s.accountPasswordPost)
	acct.GET("/2fa", s.account2FA)
	acct.POST("/2fa/enable", s.account2FAEnablePost)
	acct.POST("/2fa/disable", s.account2FADisablePost)
	acct.POST("/logout-everywhere", s.accountLogoutEverywherePost)

	// Writing and publishing: every staff role; finer rules are the news service's.
	ed := e.Group("/editor", s.loadUser, s.csrfUpload(uploadLimit, limit), s.csrf, s.requireStaff)
	ed.GET("", s.editorDashboard)
	ed.GET("/articles", s.articleList)
	ed.GET("/articles/new", s.articleNew)
	ed.POST("/articles/new", s.articleNewPost)
	ed.GET("/articles/:id", s.articleEdit)
	ed.POST("/articles/:id", s.articleEditPost)
	ed.POST("/articles/:id/unpublish", s.articleUnpublishPost)
	ed.POST("/articles/:id/archive", s.articleArchivePost)
	ed.GET("/articles/:id/delete", s.articleDelete)
	ed.POST("/articles/:id/delete", s.articleDeletePost)
	ed.GET("/articles/:id/revisions", s.articleRevisions)
	ed.GET("/articles/:id/revisions/:rev", s.articleRevision)
	ed.POST("/articles/:id/revisions/:rev/restore", s.articleRevisionRestorePost)
	ed.POST("/preview", s.articlePreviewPost)
	ed.GET("/media", s.mediaLibrary)
	ed.POST("/media", s.mediaUploadPost)
	ed.GET("/media/:id", s.mediaEdit)
	ed.POST("/media/:id", s.mediaEditPost)
	ed.POST("/media/:id/delete", s.mediaDeletePost)

	// Site administration: admins only.
	ad := e.Group("/admin", s.loadUser, limit, s.csrf, s.requireStaff, s.requireRole(accounts.Admin))
	ad.GET("", s.adminHome)
	ad.GET("/categories", s.categoryList)
	ad.GET("/categories/new", s.categoryNew)
	ad.POST("/categories/new", s.categoryNewPost)
	ad.GET("/categories/:id", s.categoryEdit)
	ad.POST("/categories/:id", s.categoryEditPost)
	ad.POST("/categories/:id/move", s.categoryMovePost)
	ad.GET("/categories/:id/delete", s.categoryDelete)
	ad.POST("/categories/:id/delete", s.categoryDeletePost)
	ad.GET("/users", s.userList)
	ad.GET("/users/new", s.userNew)
	ad.POST("/users/new", s.userNewPost)
	ad.GET("/users/:id", s.userEdit)
	ad.POST("/users/:id", s.userEditPost)
	ad.POST("/users/:id/password", s.userPasswordPost)
	ad.POST("/users/:id/2fa/disable", s.userTOTPDisablePost)
	ad.GET("/settings", s.settingsEdit)
	ad.POST("/settings", s.settingsEditPost)
	ad.GET("/audit", s.auditList)
}

// csrfUpload applies the upload size limit to the media upload and the form limit elsewhere
// in the editor group. An upload over the limit is answered in the media library's words.
func (s *Server) csrfUpload(upload, form echo.MiddlewareFunc) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		up, fo := upload(next), form(next)
		return func(c echo.Context) error {
			if c.Path() == "/editor/media" && c.Request().Method == "POST" {
				err := up(c)
				if errors.Is(err, echo.ErrStatusRequestEntityTooLarge) {
					return explained{status: http.StatusRequestEntityTooLarge, heading: "Image too large",
						message: "The image is larger than " + humanSize(s.media.MaxBytes()) +
							", the most this site accepts. Go back to the media library and choose a smaller file.",
						backURL: "/editor/media", backLabel: "Back to the media library"}
				}
				return err
			}
			return fo(c)
		}
	}
}
