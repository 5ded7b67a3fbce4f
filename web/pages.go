package web

import (
	"html/template"
	"time"

	"campusnews/internal/news"
	"campusnews/internal/site"
)

// Base is what every page's layout needs. Each page struct embeds it.
type Base struct {
	Site        site.Settings
	Title       string // page title without the site name
	Description string // meta description
	Canonical   string // absolute URL
	OGType      string // "website" or "article"
	OGImage     string // absolute URL of a share image, if any
	// The share image's size and description, for og:image:width, og:image:height and
	// og:image:alt (the alt text is empty for a decorative image, and then left out).
	OGImageWidth, OGImageHeight int
	OGImageAlt                  string
	Breadcrumb                  []Crumb
	Nav                         []NavItem
	Feeds                       []FeedLink
	Calendars                   []FeedLink  // iCalendar feeds, advertised like the Atom feeds
	JSONLD                      template.JS // a JSON-LD document, already escaped for a <script> block
	Section                     string      // slug of the active section, for the navigation
	CSRF                        string
	User                        *UserView
	Flash                       []Flash
	RequestID                   string
	NoIndex                     bool // keep staff and error pages out of search engines
	Year                        int
	Menu                        string // the staff menu entry to mark as current (menuArticles…), "" for none

	gen uint64 // the content version of the tree the page was built from; 0 when unknown
}

// The entries of the staff menu, for Base.Menu. A page names its entry rather than the menu
// matching titles, so sub-pages (an article's form, an image's details) mark their section.
const (
	menuDashboard  = "dashboard"
	menuArticles   = "articles"
	menuWrite      = "write"
	menuMedia      = "media"
	menuCategories = "categories"
	menuUsers      = "users"
	menuSettings   = "settings"
	menuAudit      = "audit"
)

// Crumb is one step of the breadcrumb; the last has no URL.
type Crumb struct {
	Name string
	URL  string
}

// NavItem is a section in the main navigation with its visible categories.
type NavItem struct {
	Name     string
	Slug     string
	URL      string
	Children []NavItem
}

// FeedLink is an Atom feed advertised with <link rel="alternate">.
type FeedLink struct {
	Title string
	URL   string
}

// Flash is a one-time message shown after a redirect.
type Flash struct {
	Kind    string // "success", "error" or "info"
	Message string
}

// UserView is the signed-in staff member as pages show them.
type UserView struct {
	ID    int64
	Name  string
	Email string
	Role  string
	// MustChange: the user must first replace a password set for them, or set up the
	// two-factor login the site requires for their role; until then the staff header leaves
	// out the menu, whose every entry would send them back.
	MustChange bool
}

// ArticleCard is an article in a list: enough to draw a card, nothing more.
type ArticleCard struct {
	news.Article
	// The article's title and summary again, at the top level: a template finds a field of
	// an embedded struct only by a search that allocates, and pages look these up per card.
	Title, Summary string
	URL            string
	CategoryName   string
	CategoryURL    string
	Published      time.Time // in the site's time zone
	Expires        time.Time // in the site's time zone; zero when it does not expire
	// Cover is the article's photo as this list shows it; nil draws the text-only card.
	Cover *Image
}

// Pager draws page links for a listing.
type Pager struct {
	Page, Pages int
	Total       int64
	BaseURL     string // the listing's URL without ?page
	Query       string // extra query parameters, e.g. "q=exam&", already encoded
	// Ranked pages are sorted by relevance, not date: their links say Previous and Next
	// instead of Newer and Older.
	Ranked bool
}

// PagerLink is one numbered page link; Number 0 marks a gap.
type PagerLink struct {
	Number  int
	URL     string
	Current bool
}

// HomePage is the front page. No story is on it twice: the lead, the other headlines, the
// section blocks and the notices each leave out what an earlier part shows.
type HomePage struct {
	Base
	Lead       *ArticleCard  // the first pinned or featured story, or the newest
	Headlines  []ArticleCard // the other pinned and featured stories
	Sections   []SectionBlock
	Notices    []ArticleCard // current notices: their own block, never among the stories
	NoticesURL string        // the notices category, when there is one
	Tags       []news.TagCount
}

// SectionBlock is a section's latest articles on the home page.
type SectionBlock struct {
	Name     string
	URL      string
	Articles []ArticleCard
}

// ListingPage is a section, category, tag or archive listing.
type ListingPage struct {
	Base
	Heading     string
	Intro       string
	Articles    []ArticleCard
	Pager       Pager
	Subsections []NavItem // a section's categories
	FeedURL     string
}

// ArticlePage is one article.
type ArticlePage struct {
	Base
	Article      news.Article
	Body         template.HTML
	ShowSummary  bool // false when the summary merely repeats the body's opening
	Published    time.Time
	Updated      time.Time
	CategoryName string
	CategoryURL  string
	Cover        *Image
	Prev, Next   *ArticleCard
	RelatedCards []template.HTML // the related stories' cards, each rendered once (fragments.go)
	Views        int64
	Event        *EventView  // the article's event, if it announces one
	EventLD      template.JS // its schema.org Event, beside the NewsArticle of Base.JSONLD
}

// Image is a picture with its responsive variants.
type Image struct {
	Src     string
	SrcSet  string
	Sizes   string
	Width   int
	Height  int
	Alt     string
	Caption string
	Credit  string
	// Lazy images load when scrolled near: those below the first screen. Priority marks the
	// one image the first screen is built around (the home page's lead).
	Lazy, Priority bool
}

// TagsPage lists every tag.
type TagsPage struct {
	Base
	Tags []news.TagCount
}

// ArchivePage lists the months that have articles.
type ArchivePage struct {
	Base
	Years []ArchiveYear
}

// ArchiveYear is a year of the archive with its months.
type ArchiveYear struct {
	Year   int
	URL    string
	Count  int64
	Months []ArchiveMonth
}

// ArchiveMonth is a month of the archive.
type ArchiveMonth struct {
	Name  string
	URL   string
	Count int64
}

// SearchPage shows search results.
type SearchPage struct {
	Base
	Query   string
	Results []SearchResult
	Total   int64
	Pager   Pager
	Tried   bool // a non-empty query was run
	// Searched is the query as it was run when the search limits left part of Query out;
	// Notes then say what, and TooLong that nothing was left to search for.
	Searched string
	Notes    []string
	TooLong  bool
	TimedOut bool // the search was stopped at its time budget
	More     bool // more matched than were ranked: Total is the newest search.RankWindow
	// Suggest offers a way on when nothing matched.
	Suggest *Suggestions
}

// Suggestions are the latest stories and the popular topics, offered where a reader would
// otherwise be at a dead end: a search without results, the page-not-found page.
type Suggestions struct {
	Latest []ArticleCard
	Tags   []news.TagCount
}

// SearchResult is one hit with its highlighted title and snippet.
type SearchResult struct {
	ArticleCard
	TitleHTML   template.HTML
	SnippetHTML template.HTML
}

// AccessibilityPage is the accessibility statement.
type AccessibilityPage struct {
	Base
	ContactMail string // the site's contact when it is an e-mail address, for a mailto link
}

// ErrorPage is the 4xx/5xx page.
type ErrorPage struct {
	Base
	Status  int
	Heading string
	Message string
	Staff   bool // shown inside the staff area to a signed-in user
	// Back is where the staff page's button leads, with its label: the dashboard unless the
	// message names a better place.
	BackURL, BackLabel string
	Suggest            *Suggestions // on the public not-found page, when they could be loaded
}

// Carried is a form submission kept across a login or an expired token, sent again by the
// user. Action is the local path it was posted to.
type Carried struct {
	Action string
	Fields []CarriedField
}

// CarriedField is one kept form value.
type CarriedField struct {
	Name  string
	Value string
}

// LoginPage is the login form, possibly holding a submission to send once logged in.
type LoginPage struct {
	Base
	Email   string
	Next    string
	Message string
	Errors  map[string]string
	Carry   *Carried
	Asked   bool // reached from a staff page that needs a login, rather than opened directly
}

// LogoutPage offers the button that logs out.
type LogoutPage struct {
	Base
}

// ResubmitPage offers to send a kept submission again.
type ResubmitPage struct {
	Base
	Message string
	Carry   *Carried
}
