//go:build e2e

package e2e

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// xssPayload is one hostile string staff might type. Every payload that could run script
// calls alert with its own ID, so a detector that fires names the payload that got through.
type xssPayload struct {
	ID   string // P01, P02, …
	Text string
}

// xssMaxLen is the longest payload: the shortest limit among the fields every payload goes
// into (a category's name).
const xssMaxLen = 80

// xssTexts is the corpus, in the order the IDs are given. Each string stays on one line (the
// single-line fields would change a line break) and has no control character but tab, which
// XML cannot carry and the feeds would have to replace.
var xssTexts = []string{
	// Script elements: plain, mixed case, with attributes, split and nested.
	`<script>alert('P01')</script>`,
	`<SCRIPT>alert('P02')</SCRIPT>`,
	`<ScRiPt>alert('P03')</sCrIpT>`,
	`<script type="text/javascript" defer>alert('P04')</script>`,
	`<scr<script>ipt>alert('P05')</scr</script>ipt>`,
	`<<script>alert('P06');//<</script>`,
	`<script src="data:text/javascript,alert('P07')"></script>`,
	"<script\t>alert('P08')</script\t>",
	// Event handlers.
	`<img src=x onerror=alert('P09')>`,
	`<IMG SRC=/x.png ONERROR="alert('P10')">`,
	`<img/src=x/onerror=alert('P11')>`,
	`<svg onload=alert('P12')>`,
	`<svg/onload=alert('P13')//`,
	`<body onload=alert('P14')>`,
	`<details open ontoggle=alert('P15')>x</details>`,
	`<input autofocus onfocus=alert('P16')>`,
	`<video><source onerror=alert('P17')></video>`,
	`<audio src=x onerror=alert('P18')>`,
	`<div onmouseover="alert('P19')">hover</div>`,
	`<iframe onload=alert('P20')></iframe>`,
	`<a href="/ok" autofocus onfocus=alert('P21')>x</a>`,
	// javascript: URLs in Markdown and HTML, plain, mixed case, encoded and obfuscated.
	`[click](javascript:alert('P22'))`,
	`[click](JaVaScRiPt:alert('P23'))`,
	`[click](jav&#x61;script:alert('P24'))`,
	`[click](&#106;avascript&#58;alert('P25'))`,
	`![img](javascript:alert('P26'))`,
	`[x](<javascript:alert('P27')>)`,
	`<a href="javascript:alert('P28')">click</a>`,
	`<a href=" &#14; javascript:alert('P29')">x</a>`,
	`<a href="java&#x09;script:alert('P30')">x</a>`,
	"<a href=\"jav\tascript:alert('P31')\">x</a>",
	`<a href="&#x6A;avascript&colon;alert('P32')">x</a>`,
	// data: URLs and embedding.
	"[x](data:text/html;base64," + base64.StdEncoding.EncodeToString([]byte(`<script>alert('P33')</script>`)) + ")",
	`<a href="data:text/html,<script>alert('P34')</script>">x</a>`,
	`<object data="data:text/html,<script>alert('P35')</script>"></object>`,
	`<embed src="data:text/html,<script>alert('P36')</script>">`,
	`<iframe src="javascript:alert('P37')"></iframe>`,
	`<iframe srcdoc="<script>alert('P38')</script>"></iframe>`,
	// SVG and MathML.
	`<svg><script>alert('P39')</script></svg>`,
	`<svg><a xlink:href="javascript:alert('P40')"><text y=9>x</text></a></svg>`,
	`<svg><animate onbegin=alert('P41') attributeName=x dur=1s>`,
	`<math><mtext><table><mglyph><style><img src=x onerror=alert('P42')>`,
	`<math href="javascript:alert('P43')">x</math>`,
	// Document-level elements.
	`<meta http-equiv="refresh" content="0;url=javascript:alert('P44')">`,
	`<base href="javascript:alert('P45')//">`,
	`<style>@import url("javascript:alert('P46')");</style>`,
	`<link rel=stylesheet href="javascript:alert('P47')">`,
	`<form action="javascript:alert('P48')"><button>go</button></form>`,
	`<button formaction="javascript:alert('P49')">x</button>`,
	// Breaking out of attributes, elements and other contexts.
	`"><script>alert('P50')</script>`,
	`'><img src=x onerror=alert('P51')>`,
	`" autofocus onfocus="alert('P52')`,
	`</title><script>alert('P53')</script>`,
	`</script><script>alert('P54')</script>`,
	`</textarea><script>alert('P55')</script>`,
	`\u003c/script>\u003cscript>alert('P56')\u003c/script>`,
	`</style><script>alert('P57')</script>`,
	`--><script>alert('P58')</script><!--`,
	`]]><script>alert('P59')</script>`,
	// Template injection: must show as typed, never evaluated.
	`{{.}}`,
	`{{template "layout" .}}`,
	`${7*7} #{7*7} {{7*7}}`,
	`<%= 7*7 %> [[7*7]]`,
	`{{constructor.constructor('alert("P64")')()}}`,
	// Encoded and look-alike variants: decoded twice they would be markup.
	`%3Cscript%3Ealert('P65')%3C/script%3E`,
	`&lt;script&gt;alert('P66')&lt;/script&gt;`,
	`&amp;lt;img src=x onerror=alert('P67')&amp;gt;`,
	`＜script＞alert('P68')＜/script＞`,
	`<img src=x onerror=&#97;lert('P69')>`,
	// Mutation XSS: harmless as parsed once, script when re-parsed.
	`<noscript><p title="</noscript><img src=x onerror=alert('P70')>">`,
	`<svg></p><style><a id="</style><img src=1 onerror=alert('P71')>">`,
	`<math><mtext><table><mglyph><style><!--</style><img src onerror=alert('P72')>`,
	`<a href="/ok" title="&quot;><img src=x onerror=alert('P73')>">x</a>`,
	// Markdown's own ways to make attributes.
	`[<img src=x onerror=alert('P74')>](/ok)`,
	`![" onerror="alert('P75')](/x.png)`,
	`[x](/ok "t\" onmouseover=\"alert('P76')")`,
	`<https://example.com/"onmouseover="alert('P77')>`,
	`www.example.com/<script>alert('P78')</script>`,
	"`<script>alert('P79')</script>`",
	`<a href="/ok" style="background:url(javascript:alert('P80'))">x</a>`,
}

// xssCorpus numbers xssTexts.
func xssCorpus() []xssPayload {
	out := make([]xssPayload, len(xssTexts))
	for i, s := range xssTexts {
		out[i] = xssPayload{ID: fmt.Sprintf("P%02d", i+1), Text: s}
	}
	return out
}

// xssTag is the tag a payload goes into an article with. Tags are split at commas, at most
// 40 characters and need a letter or digit, so a payload that breaks one of these rules is
// cut down to its ID and as much of its start as fits.
func xssTag(p xssPayload) string {
	if utf8.RuneCountInString(p.Text) <= 40 && !strings.Contains(p.Text, ",") && xssHasAlnum(p.Text) &&
		strings.Contains(p.Text, p.ID) {
		return strings.Join(strings.Fields(p.Text), " ") // the site collapses spaces in tags
	}
	r := []rune(p.ID + " " + strings.ReplaceAll(p.Text, ",", " "))
	return strings.Join(strings.Fields(string(r[:min(len(r), 40)])), " ")
}

func xssHasAlnum(s string) bool {
	for _, r := range s {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return true
		}
	}
	return false
}

// TestXSSCorpus checks the corpus itself: big enough, every string fits every field, and every
// marker names its own payload, so a detector that fires points at the right one.
func TestXSSCorpus(t *testing.T) {
	corpus := xssCorpus()
	if len(corpus) < 50 {
		t.Errorf("the corpus has %d payloads, want at least 50", len(corpus))
	}
	marker := regexp.MustCompile(`P\d\d`)
	seen := map[string]bool{}
	for _, p := range corpus {
		if seen[p.Text] {
			t.Errorf("%s repeats an earlier payload", p.ID)
		}
		seen[p.Text] = true
		if n := utf8.RuneCountInString(p.Text); n > xssMaxLen {
			t.Errorf("%s is %d characters, longer than %d: %s", p.ID, n, xssMaxLen, p.Text)
		}
		if p.Text != strings.TrimSpace(p.Text) {
			t.Errorf("%s starts or ends with a space, which the forms trim", p.ID)
		}
		for _, r := range p.Text {
			if unicode.IsControl(r) && r != '\t' {
				t.Errorf("%s holds the control character %U", p.ID, r)
			}
		}
		for _, m := range marker.FindAllString(p.Text, -1) {
			if m != p.ID {
				t.Errorf("%s carries the marker %s", p.ID, m)
			}
		}
		if strings.Contains(p.Text, "alert(") && !strings.Contains(p.Text, p.ID) {
			t.Errorf("%s calls alert without its ID", p.ID)
		}
		if tag := xssTag(p); utf8.RuneCountInString(tag) > 40 || strings.Contains(tag, ",") || !xssHasAlnum(tag) {
			t.Errorf("%s: the tag %q would be refused", p.ID, tag)
		}
	}
}
