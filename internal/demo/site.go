package demo

import "campusnews/internal/news"

// siteSection is a section of the demo site with its categories, in display order.
type siteSection struct {
	Name, Slug, Description string
	Categories              []siteCategory
}

type siteCategory struct {
	Name, Slug, Description string
}

var siteSections = []siteSection{
	{"News & Events", "news-events", "What is happening at the university: news, coming events and official notices.", []siteCategory{
		{"News", "news", "Stories from across the university's schools, departments and campuses."},
		{"Events", "events", "Lectures, open days, concerts and conferences open to students, staff and visitors."},
		{"Notices", "notices", "Official announcements: closures, deadlines, changes to services."},
	}},
	{"Research", "research", "Discoveries, projects and the people behind them.", []siteCategory{
		{"Research News", "research-news", "New findings and publications from our laboratories, institutes and research groups."},
		{"Awards & Grants", "awards-grants", "Prizes, fellowships and research funding won by our staff and students."},
	}},
	{"Campus Life", "campus-life", "Studying, living and playing at Northbridge.", []siteCategory{
		{"Students", "students", "Achievements, clubs, volunteering and student voices."},
		{"Alumni", "alumni", "Graduates of the university and what they are doing now."},
		{"Sports", "sports", "Results, teams and facilities of Northbridge Athletics."},
	}},
	{"Admissions", "admissions", "How to join the university as a student.", []siteCategory{
		{"Undergraduate", "undergraduate", "Bachelor's programmes, entry requirements, open days and applications."},
		{"Graduate", "graduate", "Master's and doctoral programmes, funding and supervision."},
		{"International Students", "international", "Visas, scholarships, language support and arriving from abroad."},
	}},
	{"About", "about", "The university: its history, governance and people.", []siteCategory{
		{"University Leadership", "leadership", "The President, the Council and the senior leadership team."},
		{"Media Relations", "media-relations", "Statements, press releases and contacts for journalists."},
	}},
}

// tagNames is the shared set of tags; each article carries one to three of them by slug.
var tagNames = []string{
	"Research", "Students", "Alumni", "International", "Awards", "Sustainability", "Engineering",
	"Admissions", "Sports", "Community", "Innovation", "Events", "Library", "Health", "Arts",
}

// demoArticle is one article of the demo site as written here. Times are UTC, "2006-01-02
// 15:04"; an empty Status means published.
type demoArticle struct {
	Category     string // "section/category" slug path, or "Section › Category" by name
	Title        string
	Summary      string // one sentence; empty: an excerpt of Body
	Source       string
	Author       string
	Photographer string
	Editor       string
	Tags         []string // slugs
	Status       news.Status
	Published    string // empty for drafts and articles in review
	Created      string // empty: the day before Published
	Expires      string
	Pinned       bool
	Featured     bool
	Body         string // Markdown
}
