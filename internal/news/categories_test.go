package news

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"campusnews/internal/changes"
	"campusnews/internal/database/dbtest"

	"github.com/google/go-cmp/cmp"
)

// childSlugs lists the slugs of the section's categories in tree order.
func childSlugs(t *testing.T, svc *Service, sectionID int64) []string {
	t.Helper()
	tree, err := svc.Tree(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range tree.Node(sectionID).Children {
		out = append(out, n.Slug)
	}
	return out
}

func TestCreateCategoryRules(t *testing.T) {
	ctx := context.Background()
	svc, _ := newTestService(t)
	sec := mustCreateCategory(t, svc, "Research", nil)
	child := mustCreateCategory(t, svc, "Lab News", &sec.ID)
	other := mustCreateCategory(t, svc, "Campus", nil)
	if child.Slug != "lab-news" || child.Position != 0 || other.Position != 1 {
		t.Errorf("created %+v and %+v", child, other)
	}
	if _, err := svc.CreateCategory(ctx, editor, CategoryInput{Name: "Lab news", ParentID: &other.ID}); err != nil {
		t.Errorf("same slug in another section: %v", err)
	}
	tests := []struct {
		name  string
		in    CategoryInput
		field string
		msg   string
	}{
		{"reserved section slug", CategoryInput{Name: "Search"}, "slug", "This address is used by the site itself"},
		{"reserved typed slug", CategoryInput{Name: "Staff", Slug: "admin"}, "slug", "This address is used by the site itself"},
		{"sibling slug taken", CategoryInput{Name: "Lab news!", ParentID: &sec.ID}, "slug", "A category with this slug already exists here"},
		{"section slug taken", CategoryInput{Name: "research"}, "slug", "A category with this slug already exists here"},
		{"bad slug", CategoryInput{Name: "X", Slug: "X Y"}, "slug", "Use lower-case letters, digits and hyphens"},
		{"name missing", CategoryInput{Name: " "}, "name", "Name is required"},
		{"three levels", CategoryInput{Name: "Deep", ParentID: &child.ID}, "parent_id", "Choose a section"},
		{"unknown parent", CategoryInput{Name: "Lost", ParentID: ptr(int64(999))}, "parent_id", "Choose a section"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := svc.CreateCategory(ctx, editor, tt.in)
			if got := fieldError(t, err, tt.field); got != tt.msg {
				t.Errorf("%s: %q, want %q", tt.field, got, tt.msg)
			}
		})
	}
	// A reserved word is fine below a section: the path is /research/search.
	if _, err := svc.CreateCategory(ctx, editor, CategoryInput{Name: "Search", ParentID: &sec.ID}); err != nil {
		t.Errorf("reserved slug inside a section: %v", err)
	}
	if _, err := svc.CreateCategory(ctx, writer, CategoryInput{Name: "Mine"}); !errors.Is(err, ErrForbidden) {
		t.Errorf("writer creates a category: %v", err)
	}
}

func TestUpdateCategory(t *testing.T) {
	ctx := context.Background()
	svc, _ := newTestService(t)
	a := mustCreateCategory(t, svc, "Alpha", nil)
	b := mustCreateCategory(t, svc, "Beta", nil)
	a1 := mustCreateCategory(t, svc, "One", &a.ID)
	a2 := mustCreateCategory(t, svc, "Two", &a.ID)
	mustCreateCategory(t, svc, "Three", &a.ID)
	if _, err := svc.Tree(ctx); err != nil { // cache the tree: updates must drop it
		t.Fatal(err)
	}

	gen := svc.Generation()
	if _, err := svc.UpdateCategory(ctx, editor, a1.ID, CategoryInput{Name: "Uno", Slug: "uno", ParentID: &a.ID, Visible: false}); err != nil {
		t.Fatal(err)
	}
	if svc.Generation() == gen {
		t.Error("update did not change the generation")
	}
	tree, _ := svc.Tree(ctx)
	if n := tree.ByPath("/alpha/uno"); n == nil || n.Name != "Uno" || n.Category.Visible {
		t.Fatalf("renamed and hidden: %+v", n)
	}

	// Move Two into Beta: last there, and Alpha renumbered.
	if _, err := svc.UpdateCategory(ctx, editor, a2.ID, CategoryInput{Name: "Two", ParentID: &b.ID, Visible: true}); err != nil {
		t.Fatal(err)
	}
	tree, _ = svc.Tree(ctx)
	if n := tree.ByPath("/beta/two"); n == nil || n.Position != 0 {
		t.Errorf("moved: %+v", n)
	}
	var positions []int
	for _, n := range tree.Node(a.ID).Children {
		positions = append(positions, n.Position)
	}
	if diff := cmp.Diff([]int{0, 1}, positions); diff != "" {
		t.Errorf("positions left behind (-want +got):\n%s", diff)
	}

	_, err := svc.UpdateCategory(ctx, editor, a.ID, CategoryInput{Name: "Alpha", ParentID: &b.ID, Visible: true})
	if msg := fieldError(t, err, "parent_id"); msg != "A section that has categories cannot move into another section" {
		t.Errorf("section with children moved: %q", msg)
	}
	_, err = svc.UpdateCategory(ctx, editor, b.ID, CategoryInput{Name: "Beta", Slug: "alpha", Visible: true})
	if msg := fieldError(t, err, "slug"); msg != "A category with this slug already exists here" {
		t.Errorf("duplicate section slug: %q", msg)
	}
	if _, err := svc.UpdateCategory(ctx, editor, 999, CategoryInput{Name: "X"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown category: %v", err)
	}
	// A category may become a section when its slug is free there.
	if _, err := svc.UpdateCategory(ctx, editor, a2.ID, CategoryInput{Name: "Two", Visible: true}); err != nil {
		t.Errorf("category to section: %v", err)
	}
	tree, _ = svc.Tree(ctx)
	if n := tree.ByPath("/two"); n == nil || !n.IsSection() {
		t.Errorf("new section: %+v", n)
	}
}

func TestMoveCategory(t *testing.T) {
	ctx := context.Background()
	svc, _ := newTestService(t)
	sec := mustCreateCategory(t, svc, "Section", nil)
	var ids []int64
	for _, name := range []string{"A", "B", "C", "D"} {
		ids = append(ids, mustCreateCategory(t, svc, name, &sec.ID).ID)
	}
	steps := []struct {
		id    int64
		delta int
		want  []string
		moved bool
	}{
		{ids[2], -1, []string{"a", "c", "b", "d"}, true},
		{ids[2], -1, []string{"c", "a", "b", "d"}, true},
		{ids[2], -1, []string{"c", "a", "b", "d"}, false}, // already first
		{ids[0], +1, []string{"c", "b", "a", "d"}, true},
		{ids[3], -10, []string{"d", "c", "b", "a"}, true},
		{ids[3], +10, []string{"c", "b", "a", "d"}, true},
		{ids[3], +1, []string{"c", "b", "a", "d"}, false}, // already last
	}
	for i, st := range steps {
		gen := svc.Generation()
		moved, err := svc.MoveCategory(ctx, editor, st.id, st.delta)
		if err != nil {
			t.Fatal(err)
		}
		if moved != st.moved || (svc.Generation() != gen) != st.moved {
			t.Errorf("step %d: moved %v, generation changed %v, want %v", i, moved, svc.Generation() != gen, st.moved)
		}
		if diff := cmp.Diff(st.want, childSlugs(t, svc, sec.ID)); diff != "" {
			t.Errorf("step %d (-want +got):\n%s", i, diff)
		}
	}
	if acts := auditActions(t, svc, fmt.Sprintf("category %d", ids[2])); len(acts) != 3 {
		t.Errorf("moves of C audited: %v, want the create and two moves", acts)
	}
	tree, _ := svc.Tree(ctx)
	for i, n := range tree.Node(sec.ID).Children {
		if n.Position != i {
			t.Errorf("%s at position %d, want %d", n.Slug, n.Position, i)
		}
	}
	if _, err := svc.MoveCategory(ctx, editor, 999, 1); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown category: %v", err)
	}
}

func TestDeleteCategory(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc := f.svc
	target := mustCreateCategory(t, svc, "Archive 2020", &f.section.ID)
	empty := mustCreateCategory(t, svc, "Empty", &f.section.ID)
	a1 := mustCreateArticle(t, svc, writer, f.cat.ID, "One", "")
	mustCreateArticle(t, svc, writer, f.cat.ID, "Two", "")
	mustPublish(t, svc, a1.ID)

	counts, err := svc.CategoryArticleCounts(ctx)
	if err != nil || counts[f.cat.ID] != 2 || counts[empty.ID] != 0 {
		t.Fatalf("counts = %v, %v", counts, err)
	}

	err = svc.DeleteCategory(ctx, editor, f.cat.ID, nil)
	var ne *CategoryNotEmptyError
	if !errors.Is(err, ErrCategoryNotEmpty) || !errors.As(err, &ne) || ne.Articles != 2 {
		t.Fatalf("delete of a full category: %v", err)
	}
	err = svc.DeleteCategory(ctx, editor, f.section.ID, &target.ID)
	if !errors.As(err, &ne) || ne.Children != 3 {
		t.Fatalf("delete of a section with categories: %v", err)
	}
	if msg := fieldError(t, svc.DeleteCategory(ctx, editor, f.cat.ID, &f.cat.ID), "move_to"); msg == "" {
		t.Error("moved articles onto the category being deleted")
	}
	if err := svc.DeleteCategory(ctx, writer, empty.ID, nil); !errors.Is(err, ErrForbidden) {
		t.Errorf("writer deletes a category: %v", err)
	}
	if err := svc.DeleteCategory(ctx, editor, empty.ID, nil); err != nil {
		t.Fatalf("delete of an empty category: %v", err)
	}

	gen := svc.Generation()
	if err := svc.DeleteCategory(ctx, editor, f.cat.ID, &target.ID); err != nil {
		t.Fatalf("delete with move: %v", err)
	}
	if svc.Generation() == gen {
		t.Error("delete did not change the generation")
	}
	counts, _ = svc.CategoryArticleCounts(ctx)
	if counts[target.ID] != 2 || counts[f.cat.ID] != 0 {
		t.Errorf("counts after move = %v", counts)
	}
	got, err := svc.PublishedArticle(ctx, a1.ID)
	if err != nil || got.CategoryID != target.ID {
		t.Errorf("moved article: %+v, %v", got, err)
	}
	tree, _ := svc.Tree(ctx)
	if tree.Node(f.cat.ID) != nil || tree.Node(target.ID).Position != 0 {
		t.Errorf("tree after delete: %+v", tree.Node(target.ID))
	}
	if acts := auditActions(t, svc, fmt.Sprintf("category %d", f.cat.ID)); acts[len(acts)-1] != "category.delete" {
		t.Errorf("audit = %v", acts)
	}
}

// TestArticlesLiveInCategories: an article in a section has no address, so no change may put
// one there.
func TestArticlesLiveInCategories(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc := f.svc
	other := mustCreateCategory(t, svc, "Events", &f.section.ID)
	art := mustCreateArticle(t, svc, writer, f.cat.ID, "One", "")

	_, err := svc.Create(ctx, writer, ArticleInput{Title: "In a section", CategoryID: f.section.ID})
	if msg := fieldError(t, err, "category_id"); msg != "Choose a category" {
		t.Errorf("create in a section: %q", msg)
	}
	_, err = svc.Update(ctx, writer, art.ID, ArticleInput{Title: "One", CategoryID: f.section.ID}, time.Time{})
	if msg := fieldError(t, err, "category_id"); msg != "Choose a category" {
		t.Errorf("update into a section: %q", msg)
	}

	err = svc.DeleteCategory(ctx, editor, f.cat.ID, &f.section.ID)
	if msg := fieldError(t, err, "move_to"); msg != "Choose a category, not a section: articles cannot be placed directly in a section" {
		t.Errorf("delete moving articles into a section: %q", msg)
	}

	_, err = svc.UpdateCategory(ctx, editor, f.cat.ID, CategoryInput{Name: "News", Slug: "news-top", Visible: true})
	if msg := fieldError(t, err, "parent_id"); !strings.HasPrefix(msg, "A section cannot hold articles, and this category holds 1.") {
		t.Errorf("category with articles made a section: %q", msg)
	}
	if got, _ := svc.Article(ctx, art.ID); got.CategoryID != f.cat.ID {
		t.Fatalf("article moved to %d", got.CategoryID)
	}
	tree, _ := svc.Tree(ctx)
	if n := tree.Node(f.cat.ID); n.IsSection() || !n.IsCategory() || tree.Node(f.section.ID).IsCategory() {
		t.Fatalf("tree changed: %+v", n.Category)
	}

	// A revision naming a category that has since become a section leaves the category as it is.
	if _, err := svc.Update(ctx, writer, art.ID, ArticleInput{Title: "One", CategoryID: other.ID}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.UpdateCategory(ctx, editor, f.cat.ID, CategoryInput{Name: "News", Slug: "news-top", Visible: true}); err != nil {
		t.Fatalf("empty category made a section: %v", err)
	}
	revs, err := svc.Revisions(ctx, art.ID)
	if err != nil {
		t.Fatal(err)
	}
	got, err := svc.RestoreRevision(ctx, writer, art.ID, revs[len(revs)-1].ID)
	if err != nil || got.CategoryID != other.ID {
		t.Fatalf("restored into %+v, %v", got, err)
	}
}

// Two instances moving two categories of one section at once: both moves count, as if made
// one after the other.
func TestMoveCategoriesAtOnceAcrossInstances(t *testing.T) {
	svc, _ := newTestService(t)
	otherDB := dbtest.Reopen(t, svc.db)
	w, err := changes.NewWatcher(context.Background(), otherDB)
	if err != nil {
		t.Fatal(err)
	}
	other := NewService(otherDB, w)
	ctx := context.Background()
	for round := range 5 {
		sec := mustCreateCategory(t, svc, fmt.Sprintf("Section %d", round), nil)
		var ids []int64
		for _, name := range []string{"A", "B", "C", "D"} {
			ids = append(ids, mustCreateCategory(t, svc, name, &sec.ID).ID)
		}
		a, b, c, d := ids[0], ids[1], ids[2], ids[3]
		var wg sync.WaitGroup
		wg.Go(func() {
			if _, err := svc.MoveCategory(ctx, editor, b, 1); err != nil {
				t.Error(err)
			}
		})
		wg.Go(func() {
			if _, err := other.MoveCategory(ctx, editor, d, -1); err != nil {
				t.Error(err)
			}
		})
		wg.Wait()
		var order []int64
		if err := svc.db.Model(&Category{}).Where("parent_id = ?", sec.ID).Order("position, id").Pluck("id", &order).Error; err != nil {
			t.Fatal(err)
		}
		// B down first, then D up; or D up first, then B down.
		if !slices.Equal(order, []int64{a, c, d, b}) && !slices.Equal(order, []int64{a, d, b, c}) {
			t.Errorf("round %d: order %v, want both moves of %v", round, order, ids)
		}
	}
}
