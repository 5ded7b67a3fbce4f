package web

import (
	"strings"
	"testing"
)

// photoTag escapes every value for a quoted attribute: an alt text cannot leave its attribute.
func TestPhotoTagEscapes(t *testing.T) {
	got := string(photoTag(&Image{Src: "/media/a.jpg", SrcSet: "/media/a.jpg 480w", Sizes: "100vw", Width: 480, Height: 320,
		Alt: `A "quoted" <script>alert(1)</script> & 'more'`, Lazy: true}))
	want := `<img class="photo" src="/media/a.jpg" srcset="/media/a.jpg 480w" sizes="100vw" width="480" height="320" ` +
		`alt="A &#34;quoted&#34; &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;more&#39;" loading="lazy" decoding="async">`
	if got != want {
		t.Errorf("photoTag:\n got %s\nwant %s", got, want)
	}
	if strings.Contains(photoTagOf(false, true), "lazy") || !strings.Contains(photoTagOf(false, true), `fetchpriority="high"`) {
		t.Errorf("an eager priority photo: %s", photoTagOf(false, true))
	}
}

func photoTagOf(lazy, priority bool) string {
	return string(photoTag(&Image{Src: "/m.jpg", Lazy: lazy, Priority: priority}))
}
