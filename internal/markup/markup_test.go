package markup

import (
	"errors"
	"html"
	"os"
	"regexp"
	"strings"
	"testing"
)

const referencePath = "../../../shared/content/dut-xinjiang-alumni-visit.md"

// referenceBody returns the reference article without its front matter.
func referenceBody(tb testing.TB) string {
	tb.Helper()
	s, err := loadReference()
	if os.IsNotExist(err) {
		tb.Skip("reference article not found at " + referencePath)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func loadReference() (string, error) {
	b, err := os.ReadFile(referencePath)
	if err != nil {
		return "", err
	}
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	if rest, ok := strings.CutPrefix(s, "---\n"); ok {
		_, body, found := strings.Cut(rest, "\n---\n")
		if !found {
			return "", errors.New("front matter is not closed")
		}
		s = body
	}
	return s, nil
}

var paragraphTag = regexp.MustCompile(`(?s)<p>(.*?)</p>`)

// TestReferenceParagraphs checks that a real article comes out paragraph by
// paragraph, its text unchanged: no smart quotes, no added punctuation.
func TestReferenceParagraphs(t *testing.T) {
	body := referenceBody(t)
	var want []string
	for _, p := range strings.Split(body, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			want = append(want, p)
		}
	}
	out := Render(body)
	var got []string
	for _, m := range paragraphTag.FindAllStringSubmatch(out, -1) {
		got = append(got, html.UnescapeString(m[1]))
	}
	if len(got) != len(want) {
		t.Fatalf("got %d paragraphs, want %d\n%s", len(got), len(want), out)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("paragraph %d changed\n got: %q\nwant: %q", i+1, got[i], want[i])
		}
	}
	for _, s := range []string{"alma mater’s", "&#34;Talent Support to Xinjiang&#34;", "Xinjiang It was also", "Xinjiang&#39;s"} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q", s)
		}
	}
	if strings.Contains(out, "<br") {
		t.Error("hard wraps must stay off")
	}
}

func TestRenderFeatures(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
		notWant   []string
	}{
		{"table with alignment", "| a | b |\n|:--|--:|\n| 1 | 2 |",
			[]string{"<table>", `<th align="left">a</th>`, `<td align="right">2</td>`}, []string{"style="}},
		{"fenced code keeps language class", "```go\nx := 1 < 2\n```",
			[]string{`<pre><code class="language-go">x := 1 &lt; 2`}, nil},
		{"code class must be language-*", `<code class="admin">x</code>`,
			[]string{"<code>x</code>"}, []string{"admin"}},
		{"absolute link is nofollow noopener", "[DUT](https://en.dlut.edu.cn/)",
			[]string{`<a href="https://en.dlut.edu.cn/" rel="nofollow noopener">DUT</a>`}, []string{"target="}},
		{"relative link stays plain", "[news](/news-events/news)",
			[]string{`<a href="/news-events/news">news</a>`}, []string{"rel="}},
		{"mailto link", "[mail](mailto:news@example.edu)",
			[]string{`<a href="mailto:news@example.edu">mail</a>`}, nil},
		{"staff rel and target are replaced", `<a href="https://x.example/" rel="opener" target="_blank">x</a>`,
			[]string{`<a href="https://x.example/" rel="nofollow noopener">x</a>`}, []string{`rel="opener"`, "_blank"}},
		{"linkify", "see www.dlut.edu.cn today",
			[]string{`<a href="http://www.dlut.edu.cn" rel="nofollow noopener">www.dlut.edu.cn</a>`}, nil},
		{"image with alt", `![Alumni at the symposium: “DUT”](/media/a.jpg)`,
			[]string{`<img src="/media/a.jpg" alt="Alumni at the symposium: “DUT”"`}, nil},
		{"responsive image", `<img src="/a.jpg" srcset="/a-480.jpg 480w, /a.jpg 960w" sizes="(max-width: 600px) 480px, 960px" width="960" height="640" loading="lazy" alt="">`,
			[]string{`srcset="/a-480.jpg 480w, /a.jpg 960w"`, `sizes="(max-width: 600px) 480px, 960px"`, `loading="lazy"`, `width="960"`}, nil},
		{"outside images are not loaded", `![x](https://cdn.example/a.jpg) <img src="//cdn.example/b.jpg" srcset="/a.jpg 1x, https://cdn.example/a.jpg 2x" alt="y">`,
			nil, []string{"cdn.example"}},
		{"page-relative image src dropped", `<img src="a.jpg" alt="x">`, nil, []string{"src="}},
		{"figure", "<figure><img src=\"/a.jpg\" alt=\"a\"><figcaption>Caption</figcaption></figure>",
			[]string{"<figure>", "<figcaption>Caption</figcaption>"}, nil},
		{"inline html", "H<sub>2</sub>O and 10<sup>3</sup>", []string{"H<sub>2</sub>O and 10<sup>3</sup>"}, nil},
		{"strikethrough", "~~old~~ new", []string{"<del>old</del> new"}, nil},
		{"task list without form controls", "- [x] done\n- [ ] open",
			[]string{"<li>☑ done</li>", "<li>☐ open</li>"}, []string{"<input"}},
		{"ordered list start", "3. three\n4. four", []string{`<ol start="3">`}, nil},
		{"headings and quote", "## Title\n\n> quoted", []string{"<h2>Title</h2>", "<blockquote>\n<p>quoted</p>"}, nil},
		{"no typographer", `"quoted" -- and... 'single'`, []string{"&#34;quoted&#34; -- and... &#39;single&#39;"}, []string{"“", "–", "…"}},
		{"template actions stay text", `{{.}} {{template "x"}}`, []string{"<p>{{.}} {{template &#34;x&#34;}}</p>"}, nil},
		{"unclosed link is closed", `<a href="https://x.example/">rest of page`,
			[]string{`rel="nofollow noopener">rest of page</a>`}, nil},
		{"unclosed table is closed", "<table><tr><td>x", []string{"</td></tr></tbody></table>"}, nil},
		{"no id attributes", `<h2 id="location">x</h2>`, []string{"<h2>x</h2>"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := Render(tt.src)
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("Render(%q) = %q, want it to contain %q", tt.src, out, w)
				}
			}
			for _, nw := range tt.notWant {
				if strings.Contains(out, nw) {
					t.Errorf("Render(%q) = %q, must not contain %q", tt.src, out, nw)
				}
			}
		})
	}
}

func TestSanitizeIdempotent(t *testing.T) {
	for _, src := range append([]string{"[a](https://x.example/) and [b](/b)"}, xssPayloads...) {
		once := Render(src)
		if twice := Sanitize(once); twice != once {
			t.Errorf("Sanitize changed already-safe output\n once: %q\ntwice: %q", once, twice)
		}
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct{ src, want string }{
		{"# Title\n\nFirst   line\nsecond\tline.\n\n- one\n- two", "Title First line second line. one two"},
		{"**DUT**’s H<sub>2</sub>O", "DUT’s H2O"},
		{"Tom &amp; Jerry &lt;3 \"quotes\"", `Tom & Jerry <3 "quotes"`},
		{"text <script>alert(1)</script> more", "text more"},
		{"| a | b |\n|---|---|\n| 1 | 2 |", "a b 1 2"},
		{"  \n\n  ", ""},
	}
	for _, tt := range tests {
		if got := PlainText(tt.src); got != tt.want {
			t.Errorf("PlainText(%q) = %q, want %q", tt.src, got, tt.want)
		}
	}
}

func TestExcerpt(t *testing.T) {
	tests := []struct {
		src  string
		max  int
		want string
	}{
		{"short text", 50, "short text"},
		{"short text", 10, "short text"},
		{"one two three four", 9, "one two…"},
		{"one two three four", 7, "one two…"},
		{"one two three four", 8, "one two…"},
		{"one two, three", 9, "one two…"},
		{"Supercalifragilistic word", 5, "Super…"},
		{"alma mater’s cultivation", 13, "alma mater’s…"},
		{"**bold** words here", 9, "bold…"},
		{"anything", 0, ""},
	}
	for _, tt := range tests {
		got := Excerpt(tt.src, tt.max)
		if got != tt.want {
			t.Errorf("Excerpt(%q, %d) = %q, want %q", tt.src, tt.max, got, tt.want)
		}
		if n := len([]rune(strings.TrimSuffix(got, "…"))); n > tt.max {
			t.Errorf("Excerpt(%q, %d) kept %d runes", tt.src, tt.max, n)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	body := referenceBody(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		Render(body)
	}
}
