package wordpress

import (
	"bytes"
	"testing"
)

// FuzzCleanHTML: cleaning any content never panics, gives valid UTF-8, and renders through
// campusnews's Markdown and sanitizer without raw markup becoming visible text (checkClean).
// Seeds: every post of the export and the edges of wpautop, shortcodes and blocks.
func FuzzCleanHTML(f *testing.F) {
	data := readExportFile(f)
	r := NewReader(bytes.NewReader(data))
	for it, err := range r.All() {
		if err != nil {
			f.Fatal(err)
		}
		// The smaller posts: the fuzzer's time goes by the size of what it mutates.
		if it.Content != "" && len(it.Content) < 1500 {
			f.Add(it.Content)
		}
	}
	for _, s := range []string{
		"a\n\nb\nc", "<pre>x\n\ny</pre>\n\n</pre>z", "<p>open", "<iframe src=\"https://x.example/v\"></iframe>",
		"[caption width=\"300\"]<a href=\"/f.jpg\"><img src=\"/a-300x200.jpg\" alt=\"[x]\"></a> *cap*[/caption]",
		"[[gallery]] [gallery ids=\"1,x\"] [embed]javascript:alert(1)[/embed] [video src=\"https://v.example/a.mp4\"]",
		"<!-- wp:image {\"id\":1} --><figure><img src=\"a b.jpg\" alt=\"\"/><figcaption><b>c</b></figcaption></figure><!-- /wp:image -->",
		"<!-- wp:latest-posts /--><!-- wp:block {\"ref\":3} /-->", "<script>alert(1)</script><style>p{}</style>",
		"<a href=\"javascript:alert(1)\" onclick=\"x()\">t</a>", "&lt;script&gt; is text", "<svg><script>x</script></svg>",
		"<table><tr><td><figure><img src=\"/i.jpg\"><figcaption>c</figcaption></figure></td></tr></table>",
		"wpimga0x wpimgqa0x <img src=/x.jpg>", "wpi<span>mga</span>0x<img src=/y.jpg>", "\xff\xfe<b>\x00</b>",
		"<ul><li>a<ul><li>b</li></ul></li></ul>", "<ol start=\"3\"><li>x<ol><li>y</li></ol></li></ol>",
		"<BloCkquote\n<", "x\n\n<p class='a", "<b>x</b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, content string) {
		checkClean(t, content)
	})
}
