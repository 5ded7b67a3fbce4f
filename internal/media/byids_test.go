package media

import (
	"context"
	"testing"
)

func TestByIDs(t *testing.T) {
	s, _ := newTestStore(t, 0)
	ctx := context.Background()
	a := mustSave(t, s, 1200, 800)
	b := mustSave(t, s, 300, 200)
	if err := s.Delete(ctx, editor, b.ID); err != nil {
		t.Fatal(err)
	}
	c := mustSave(t, s, 640, 480)

	got, err := s.ByIDs(ctx, []int64{c.ID, a.ID, b.ID, a.ID, 0, -3, 9999})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[a.ID] == nil || got[c.ID] == nil {
		t.Fatalf("ByIDs = %v, want images %d and %d (the deleted %d and unknown ids left out)", got, a.ID, c.ID, b.ID)
	}
	m := got[a.ID]
	if m.Path != a.Path || m.Width != 1200 || m.Height != 800 || m.Alt != "photo" || m.Mime != "image/jpeg" ||
		m.Size != a.Size || m.SrcSet() != a.SrcSet() {
		t.Errorf("ByIDs read %+v, want the stored %+v", m, a)
	}
	if empty, err := s.ByIDs(ctx, nil); err != nil || len(empty) != 0 {
		t.Errorf("ByIDs(nil) = %v, %v; want an empty map", empty, err)
	}
}

func TestSources(t *testing.T) {
	for _, m := range []*Media{
		{Path: "abc.webp", Width: 1700, Variants: `[{"w":480,"name":"abc-480.jpg"},{"w":960,"name":"abc-960.jpg"},{"w":1600,"name":"abc-1600.jpg"}]`},
		{Path: "x.gif", Width: 300},
	} {
		for _, w := range []int{0, 480, 481, 1600, 1601} {
			src, srcset := m.Sources(w)
			if src != m.Best(w) || srcset != m.SrcSet() {
				t.Errorf("%s: Sources(%d) = %q, %q; want Best %q and SrcSet %q", m.Path, w, src, srcset, m.Best(w), m.SrcSet())
			}
		}
	}
}

func TestSized(t *testing.T) {
	m := &Media{Path: "abc.jpg", Width: 1600, Height: 1067,
		Variants: `[{"w":480,"name":"abc-480.jpg"},{"w":960,"name":"abc-960.jpg"}]`}
	cases := []struct {
		want int
		url  string
		w, h int
	}{
		{400, "/media/abc-480.jpg", 480, 320},
		{960, "/media/abc-960.jpg", 960, 640},
		{1200, "/media/abc.jpg", 1600, 1067},
	}
	for _, c := range cases {
		u, w, h := m.Sized(c.want)
		if u != c.url || w != c.w || h != c.h {
			t.Errorf("Sized(%d) = %s %d×%d, want %s %d×%d", c.want, u, w, h, c.url, c.w, c.h)
		}
	}
	// The height matches the variant Save writes.
	s, _ := newTestStore(t, 0)
	saved := mustSave(t, s, 1000, 333)
	_, w, h := saved.Sized(480)
	if w != 480 || h != 160 {
		t.Errorf("Sized(480) of a 1000×333 image = %d×%d, want 480×160", w, h)
	}
}
