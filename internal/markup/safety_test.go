package markup

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

var (
	eventAttr    = regexp.MustCompile(`(?i)\son[a-z]+\s*=`)
	quotedValue  = regexp.MustCompile(`"[^"]*"|'[^']*'`)
	bannedTags   = []string{"script", "iframe", "object", "embed", "svg", "math", "style", "base", "meta", "form", "link", "input", "button", "textarea", "frame", "frameset", "applet", "template", "noscript"}
	urlAttrs     = map[string]bool{"href": true, "src": true, "srcset": true, "cite": true, "action": true, "formaction": true, "poster": true, "background": true, "xlink:href": true, "data": true}
	badSchemes   = []string{"javascript:", "vbscript:", "data:"}
	urlNoiseChar = strings.NewReplacer("\t", "", "\n", "", "\r", "")
)

// unsafeParts lists what is wrong with sanitized output, empty when nothing.
// It reads the output with the same tokenizer a browser-grade parser uses, so
// text that merely looks like markup (escaped by the sanitizer) is not
// mistaken for a tag.
func unsafeParts(out string) []string {
	var bad []string
	lower := strings.ToLower(out)
	for _, tag := range bannedTags {
		if strings.Contains(lower, "<"+tag) {
			bad = append(bad, "tag <"+tag)
		}
	}
	var open []string // elements not yet closed, to catch unbalanced output
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if len(open) > 0 {
				bad = append(bad, fmt.Sprintf("unclosed %v", open))
			}
			return bad
		}
		raw, tok := string(z.Raw()), z.Token()
		open, bad = trackNesting(tok, open, bad)
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken && tt != html.EndTagToken {
			continue
		}
		// A plain \son…= search, run on the tag with its attribute values
		// blanked, since an alt text may legitimately say "onerror=".
		if eventAttr.MatchString(quotedValue.ReplaceAllString(raw, `""`)) {
			bad = append(bad, "event attribute in "+raw)
		}
		for _, a := range tok.Attr {
			bad = append(bad, attrProblems(tok.Data, a)...)
		}
	}
}

var voidElements = map[string]bool{"br": true, "hr": true, "img": true, "wbr": true, "col": true}

func trackNesting(tok html.Token, open, bad []string) ([]string, []string) {
	tag := tok.Data
	switch {
	case tok.Type == html.StartTagToken && !voidElements[tag]:
		open = append(open, tag)
	case tok.Type == html.EndTagToken:
		if len(open) == 0 || open[len(open)-1] != tag {
			return open, append(bad, fmt.Sprintf("</%s> does not close %v", tag, open))
		}
		open = open[:len(open)-1]
	}
	return open, bad
}

func attrProblems(tag string, a html.Attribute) []string {
	var bad []string
	switch {
	case strings.HasPrefix(a.Key, "on"):
		bad = append(bad, fmt.Sprintf("event attribute %s on <%s>", a.Key, tag))
	case a.Key == "style":
		bad = append(bad, "style attribute on <"+tag+">")
	case a.Key == "class" && (tag != "code" || !strings.HasPrefix(a.Val, "language-")):
		bad = append(bad, fmt.Sprintf("class %q on <%s>", a.Val, tag))
	case urlAttrs[a.Key]:
		// Browsers drop tabs and newlines anywhere in a URL and leading
		// control characters and spaces, so "java\tscript:" still runs.
		for _, u := range strings.Split(a.Val, ",") {
			u = strings.ToLower(strings.TrimLeft(urlNoiseChar.Replace(u), "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "))
			for _, s := range badSchemes {
				if strings.HasPrefix(u, s) {
					bad = append(bad, fmt.Sprintf("%s URL in %s=%q", s, a.Key, a.Val))
				}
			}
		}
	}
	return bad
}

func TestRenderXSS(t *testing.T) {
	if len(xssPayloads) < 50 {
		t.Fatalf("corpus has %d payloads, want at least 50", len(xssPayloads))
	}
	for _, p := range xssPayloads {
		out := Render(p)
		if bad := unsafeParts(out); len(bad) > 0 {
			t.Errorf("Render(%q) = %q\nunsafe: %v", p, out, bad)
		}
		if out := Sanitize(p); len(unsafeParts(out)) > 0 {
			t.Errorf("Sanitize(%q) = %q\nunsafe: %v", p, out, unsafeParts(out))
		}
	}
}

// TestUnsafePartsCatches guards the checker itself: a checker that sees
// nothing would let every other safety test pass.
func TestUnsafePartsCatches(t *testing.T) {
	for _, raw := range []string{
		`<script>x</script>`,
		`<img src=/x onerror=alert(1)>`,
		`<a href="java&#x09;script:alert(1)">x</a>`,
		`<a href=" VBScript:x">x</a>`,
		`<img src="/a.png" srcset="/b.png 1x, data:image/png,x 2x">`,
		`<p style="color:red">x</p>`,
		`<p class="admin">x</p>`,
		`<svg></svg>`,
		`<a href="/x">open`,
		`<b><i>x</b></i>`,
	} {
		if len(unsafeParts(raw)) == 0 {
			t.Errorf("unsafeParts(%q) found nothing", raw)
		}
	}
	for _, ok := range []string{
		`<p>&lt;img src=x onerror=alert(1)&gt; javascript:alert(1)</p>`,
		`<img src="/a.png" alt="says onerror=1">`,
		`<a href="/javascript:x">x</a>`,
		`<pre><code class="language-go">x</code></pre>`,
	} {
		if bad := unsafeParts(ok); len(bad) > 0 {
			t.Errorf("unsafeParts(%q) = %v, want nothing", ok, bad)
		}
	}
}

func FuzzRender(f *testing.F) {
	for _, p := range xssPayloads {
		f.Add(p)
	}
	for _, a := range append(adversarial(300), dense(300)...) {
		f.Add(a.src)
	}
	// Without raw HTML, the deepest output is block containers to the limit, a table in the
	// last (table, tbody, tr, td), emphasis in emphasis to the limit in a cell and a link or
	// code span among them.
	const deepest = MaxNesting + 4 + maxDelimiters/2 + 1
	f.Fuzz(func(t *testing.T, src string) {
		out := Render(src)
		if bad := unsafeParts(out); len(bad) > 0 {
			t.Errorf("Render(%q) = %q\nunsafe: %v", src, out, bad)
		}
		if d := depth(out); d > deepest && !strings.Contains(src, "<") {
			t.Errorf("Render(%q) nests %d deep, more than %d", src, d, deepest)
		}
	})
}
