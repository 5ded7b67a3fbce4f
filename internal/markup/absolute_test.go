package markup

import (
	"net/url"
	"strings"
	"testing"
)

func TestAbsoluteURLs(t *testing.T) {
	base, err := url.Parse("https://news.example.edu/campus/research/7/a-study")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ in, want string }{
		{`<p><a href="/tags/alumni">t</a></p>`, `<p><a href="https://news.example.edu/tags/alumni">t</a></p>`},
		{`<a href="other">o</a>`, `<a href="https://news.example.edu/campus/research/7/other">o</a>`},
		{`<a href="#notes">n</a>`, `<a href="https://news.example.edu/campus/research/7/a-study#notes">n</a>`},
		{`<a href="https://elsewhere.org/x" rel="nofollow noopener">e</a>`, `<a href="https://elsewhere.org/x" rel="nofollow noopener">e</a>`},
		{`<a href="mailto:press@example.edu">m</a>`, `<a href="mailto:press@example.edu">m</a>`},
		{`<img src="/media/a.jpg" srcset="/media/a-480.jpg 480w, /media/a-960.jpg 960w" alt="A &amp; B"/>`,
			`<img src="https://news.example.edu/media/a.jpg" srcset="https://news.example.edu/media/a-480.jpg 480w, https://news.example.edu/media/a-960.jpg 960w" alt="A &amp; B"/>`},
		{`<blockquote cite="/campus">q</blockquote>`, `<blockquote cite="https://news.example.edu/campus">q</blockquote>`},
		{`<p>/not/a/link &lt;a href=&#34;/x&#34;&gt;</p>`, `<p>/not/a/link &lt;a href=&#34;/x&#34;&gt;</p>`},
	} {
		if got := AbsoluteURLs(tc.in, base); got != tc.want {
			t.Errorf("AbsoluteURLs(%s)\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
	// What Render makes comes back the same apart from its URLs.
	body := Render("# Title\n\nText with *emphasis* & a [link](/campus) and ![pic](/media/p.jpg).\n\n| a | b |\n|---|:-:|\n| 1 | 2 |\n")
	abs := AbsoluteURLs(body, base)
	if want := strings.ReplaceAll(body, `="/`, `="https://news.example.edu/`); abs != want {
		t.Errorf("rendered body changed beyond its URLs:\n got %s\nwant %s", abs, want)
	}
}
