package news

import (
	"fmt"
	"sort"

	"gorm.io/gorm"
)

// Node is a category in the tree with its place: parent, children and URL path.
type Node struct {
	Category
	Parent   *Node
	Children []*Node
	Path     string // "/news-events" for a section, "/news-events/news" for a category
}

// Tree is the whole category tree, read once and replaced after every category change.
type Tree struct {
	// Gen is the content version read before the tree was: the tree is at least that new.
	Gen      uint64
	Sections []*Node // every section, by position
	byID     map[int64]*Node
	bySlug   map[string]*Node // by Path
}

// Node returns the category with id, or nil.
func (t *Tree) Node(id int64) *Node { return t.byID[id] }

// ByPath returns the category at "/section" or "/section/category", or nil.
func (t *Tree) ByPath(path string) *Node { return t.bySlug[path] }

// Visible reports whether n and its section are shown to readers.
func (n *Node) Visible() bool {
	for c := n; c != nil; c = c.Parent {
		if !c.Category.Visible {
			return false
		}
	}
	return true
}

// Section returns the top-level node above n (n itself for a section).
func (n *Node) Section() *Node {
	for n.Parent != nil {
		n = n.Parent
	}
	return n
}

// IsCategory reports whether n is a category inside a section: the only place an article may
// live, since an article's address is /section/category/id/slug.
func (n *Node) IsCategory() bool { return n.Parent != nil && n.Parent.Parent == nil }

// VisibleIDs returns n's id and those of its visible descendants: the categories whose
// articles a listing of n shows. A hidden n gives none.
func (n *Node) VisibleIDs() []int64 {
	if !n.Category.Visible {
		return nil
	}
	ids := []int64{n.ID}
	for _, c := range n.Children {
		ids = append(ids, c.VisibleIDs()...)
	}
	return ids
}

// VisibleChildren returns the children readers may see.
func (n *Node) VisibleChildren() []*Node {
	out := make([]*Node, 0, len(n.Children))
	for _, c := range n.Children {
		if c.Category.Visible {
			out = append(out, c)
		}
	}
	return out
}

// VisibleSections returns the sections readers may see.
func (t *Tree) VisibleSections() []*Node {
	out := make([]*Node, 0, len(t.Sections))
	for _, s := range t.Sections {
		if s.Category.Visible {
			out = append(out, s)
		}
	}
	return out
}

// All returns every node, sections each followed by their categories.
func (t *Tree) All() []*Node {
	var out []*Node
	var walk func([]*Node)
	walk = func(ns []*Node) {
		for _, n := range ns {
			out = append(out, n)
			walk(n.Children)
		}
	}
	walk(t.Sections)
	return out
}

// VisibleIDs returns the ids of every category readers may see.
func (t *Tree) VisibleIDs() []int64 { return t.idsWhere(true) }

// HiddenIDs returns the ids of every category readers may not see, itself or through its
// section being hidden.
func (t *Tree) HiddenIDs() []int64 { return t.idsWhere(false) }

// idsWhere returns the ids of the nodes whose visibility to readers is visible.
func (t *Tree) idsWhere(visible bool) []int64 {
	var ids []int64
	for _, n := range t.All() {
		if n.Visible() == visible {
			ids = append(ids, n.ID)
		}
	}
	return ids
}

// loadTree reads the whole tree with db, which may be a transaction.
func loadTree(db *gorm.DB) (*Tree, error) {
	var cats []Category
	if err := db.Order("position, name, id").Find(&cats).Error; err != nil {
		return nil, fmt.Errorf("news: load categories: %w", err)
	}
	t := &Tree{byID: make(map[int64]*Node, len(cats)), bySlug: make(map[string]*Node, len(cats))}
	for _, c := range cats {
		t.byID[c.ID] = &Node{Category: c}
	}
	for _, c := range cats {
		n := t.byID[c.ID]
		if c.ParentID == nil {
			t.Sections = append(t.Sections, n)
			continue
		}
		if p := t.byID[*c.ParentID]; p != nil {
			n.Parent = p
			p.Children = append(p.Children, n)
		}
	}
	var setPath func(ns []*Node, prefix string)
	setPath = func(ns []*Node, prefix string) {
		sort.SliceStable(ns, func(i, j int) bool { return ns[i].Position < ns[j].Position })
		for _, n := range ns {
			n.Path = prefix + "/" + n.Slug
			t.bySlug[n.Path] = n
			setPath(n.Children, n.Path)
		}
	}
	setPath(t.Sections, "")
	return t, nil
}

// NoticesSlug is the slug of the categories whose current articles the home page lists as
// notices.
const NoticesSlug = "notices"

// ReservedSlugs cannot be section slugs: the site's own pages live at these paths, and a
// fixed route wins over /:section, which would hide the section or its categories. Every
// first path segment of web/routes.go must be here; a test there checks it.
var ReservedSlugs = map[string]bool{
	"admin": true, "editor": true, "login": true, "logout": true, "account": true, "assets": true,
	"media": true, "tags": true, "archive": true, "search": true, "feed.atom": true, "feeds": true,
	"sitemap.xml": true, "sitemaps": true, "robots.txt": true, "healthz": true, "favicon.ico": true,
	"static": true, "accessibility": true, "events": true, "events.ics": true,
}
