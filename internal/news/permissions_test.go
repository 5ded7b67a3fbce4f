package news

import (
	"context"
	"testing"
	"time"
)

func TestActorPermissions(t *testing.T) {
	const me, other = 7, 8
	ptr := func(id int64) *int64 { return &id }
	once := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	writerActor := Actor{UserID: me}
	editorActor := Actor{UserID: me, CanPublish: true, CanEditAny: true}
	tests := []struct {
		name            string
		a               Actor
		art             Article
		open, edit, del bool
	}{
		{"writer, own draft", writerActor, Article{CreatedBy: ptr(me), Status: Draft}, true, true, true},
		{"writer, own draft once published", writerActor, Article{CreatedBy: ptr(me), Status: Draft, PublishedAt: &once}, true, true, false},
		{"writer, own in review", writerActor, Article{CreatedBy: ptr(me), Status: Review}, true, true, false},
		{"writer, own published", writerActor, Article{CreatedBy: ptr(me), Status: Published, PublishedAt: &once}, true, false, false},
		{"writer, own scheduled", writerActor, Article{CreatedBy: ptr(me), Status: Scheduled}, true, false, false},
		{"writer, someone else's draft", writerActor, Article{CreatedBy: ptr(other), Status: Draft}, false, false, false},
		{"writer, no creator", writerActor, Article{Status: Draft}, false, false, false},
		{"editor, someone else's published", editorActor, Article{CreatedBy: ptr(other), Status: Published, PublishedAt: &once}, true, true, true},
		{"editor, archived without creator", editorActor, Article{Status: Archived}, true, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.CanOpen(&tt.art); got != tt.open {
				t.Errorf("CanOpen = %v, want %v", got, tt.open)
			}
			if got := tt.a.CanEdit(&tt.art); got != tt.edit {
				t.Errorf("CanEdit = %v, want %v", got, tt.edit)
			}
			if got := tt.a.CanDelete(&tt.art); got != tt.del {
				t.Errorf("CanDelete = %v, want %v", got, tt.del)
			}
		})
	}
}

// Only those who may publish decide what is pinned or featured; a writer's save keeps it.
func TestOnlyPublishersPinAndFeature(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	writer := Actor{UserID: 10}
	editor := Actor{UserID: 20, CanPublish: true, CanEditAny: true}
	in := ArticleInput{Title: "Placement", BodySource: "Body.", CategoryID: f.cat.ID, Pinned: true, Featured: true}
	a, err := f.svc.Create(ctx, writer, in)
	if err != nil {
		t.Fatal(err)
	}
	if a.Pinned || a.Featured {
		t.Fatal("a writer pinned or featured a new article")
	}
	f.clock.advance(time.Second)
	if a, err = f.svc.Update(ctx, editor, a.ID, in, a.UpdatedAt); err != nil || !a.Pinned || !a.Featured {
		t.Fatalf("editor's placement: %+v, %v", a, err)
	}
	f.clock.advance(time.Second)
	in.Pinned, in.Featured = false, false
	if a, err = f.svc.Update(ctx, writer, a.ID, in, a.UpdatedAt); err != nil || !a.Pinned || !a.Featured {
		t.Fatalf("a writer's save changed the placement: %+v, %v", a, err)
	}
}
