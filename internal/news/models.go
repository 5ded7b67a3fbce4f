// Package news holds articles, categories, tags and revisions, and the rules of publishing.
package news

import (
	"time"
)

// Status is where an article stands in the workflow.
type Status string

// The workflow: draft → review → scheduled → published → expired or archived.
const (
	Draft     Status = "draft"
	Review    Status = "review"
	Scheduled Status = "scheduled"
	Published Status = "published"
	Expired   Status = "expired"
	Archived  Status = "archived"
)

// Statuses lists every status in workflow order.
var Statuses = []Status{Draft, Review, Scheduled, Published, Expired, Archived}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// Label is the status as shown to people, in lists, filters and badges.
func (s Status) Label() string {
	switch s {
	case Draft:
		return "Draft"
	case Review:
		return "In review"
	case Scheduled:
		return "Scheduled"
	case Published:
		return "Published"
	case Expired:
		return "Expired"
	case Archived:
		return "Archived"
	}
	return string(s)
}

// Category is a section (ParentID nil) or a category inside a section.
type Category struct {
	ID          int64
	ParentID    *int64
	Name        string
	Slug        string
	Description string
	Position    int
	Visible     bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// IsSection reports whether c is a top-level section.
func (c Category) IsSection() bool { return c.ParentID == nil }

// Article is one news item. Its body is stored apart (article_bodies) and read only where a
// page shows it: BodySource is the Markdown, BodyHTML the sanitized HTML and BodyText the
// plain text, both rendered from it on save.
type Article struct {
	ID           int64
	CategoryID   int64
	Title        string
	Slug         string
	Summary      string
	BodySource   string `gorm:"->"`
	BodyHTML     string `gorm:"->"`
	BodyText     string `gorm:"->"`
	CoverMediaID *int64
	Source       string
	Author       string
	Photographer string
	Editor       string
	Status       Status
	PublishedAt  *time.Time
	ExpiresAt    *time.Time
	Pinned       bool
	Featured     bool
	Views        int64
	CreatedBy    *int64
	ApprovedBy   *int64
	UpdatedBy    *int64
	CreatedAt    time.Time
	UpdatedAt    time.Time

	Tags []Tag `gorm:"many2many:article_tags"`
	// Event is when and where the event the article announces takes place; nil for most
	// articles. Read only where a page shows it.
	Event *Event `gorm:"-"`
}

// Tag labels articles across categories.
type Tag struct {
	ID   int64
	Name string
	Slug string
}

// Revision is a saved state of an article, kept on every save.
type Revision struct {
	ID         int64
	ArticleID  int64
	Title      string
	Summary    string
	BodySource string
	Snapshot   string // JSON of the editable fields at that save
	UserID     *int64
	Note       string
	CreatedAt  time.Time
}
