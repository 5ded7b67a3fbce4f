package markup

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	nethtml "golang.org/x/net/html"
)

// adversarial are bodies of about n bytes that made goldmark's time grow faster than their
// length: nesting, and searches that each read to the end of the line or paragraph.
func adversarial(n int) []struct{ name, src string } {
	return []struct{ name, src string }{
		// Containers nested in one line or over many.
		{"blockquote", fill(">", n)},
		{"blockquote-spaced", fill("> ", n)},
		{"blockquote-lines", lines(n, func(i int) string { return strings.Repeat(">", i%600) + "a" })},
		{"bullet-list", fill("+ ", n)},
		{"ordered-list", fill("1. ", n)},
		{"quote-list", fill("> - ", n)},
		{"list-lines", lines(n, func(i int) string { return strings.Repeat("1. ", i%400) + "a" })},
		{"list-indent", lines(n, func(i int) string { return strings.Repeat("  ", i) + "- a" })},
		// Link brackets and destinations.
		{"brackets", fill("[", n/2) + fill("]", n/2)},
		{"open-brackets", fill("[", n)},
		{"images", fill("![", n/2) + fill("](/a)", n/2)},
		{"link-destinations", fill("[a](", n)},
		{"angle-destinations", fill("[a](<", n)},
		{"link-titles", fill("[a](b '", n)},
		{"reference-labels", fill("[a][", n)},
		// Emphasis and strikethrough that wait for partners.
		{"emphasis-unmatched", fill("*a_", n)},
		{"emphasis-runs", fill("*_", n)},
		{"emphasis-links", fill("*[", n/2) + fill("]*", n/2)},
		{"emphasis-nested", fill("*a _b ", n/2) + fill("c_ d*", n/2)},
		{"strikethrough", fill("~~a", n)},
		// Code spans and raw HTML that search on.
		{"backtick-runs", backtickRuns(n)},
		{"html-attributes", fill("<a b", n)},
		{"html-quoted", "<a" + fill(" b='<a b='", n-2)},
		{"html-lines", fill("<a\nb", n)},
		// Link reference definitions.
		{"definitions", fill("[a]: /u\n", n)},
		{"definitions-used", fill("[a]: /u\n", n/2) + fill("[a]", n/2)},
		{"definition-title", "[a]: /u '" + fill("x\n", n-9)},
	}
}

// dense are bodies of many small elements: no search or nesting, their time is the time to
// write and sanitize that many elements.
func dense(n int) []struct{ name, src string } {
	return []struct{ name, src string }{
		{"table-rows", "|a|b|\n|-|-|\n" + fill("|x|y|\n", n-12)},
		{"table-columns", fill("|a", n/2-2) + "|\n" + fill("|-", n/2-2) + "|\n"},
		{"headings", fill("a\n=\n", n)},
		{"code-spans", fill("`a", n)},
		{"emphasis", fill("a*", n)},
		{"soft-breaks", fill("a\n", n)},
	}
}

// fill repeats s to exactly n bytes.
func fill(s string, n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat(s, n/len(s)+1)[:n]
}

// lines joins line(0), line(1), … up to n bytes.
func lines(n int, line func(int) string) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		b.WriteString(line(i) + "\n")
	}
	return b.String()[:n]
}

// backtickRuns is runs of 1, 2, 3, … backticks: each searches the paragraph for a run of its
// own length and finds none.
func backtickRuns(n int) string {
	var b strings.Builder
	for i := 1; b.Len() < n; i++ {
		b.WriteString(strings.Repeat("`", i) + " ")
	}
	return b.String()[:n]
}

// depth returns how deeply the elements of fragment nest.
func depth(fragment string) int {
	z := nethtml.NewTokenizer(strings.NewReader(fragment))
	d, deepest := 0, 0
	for {
		switch z.Next() {
		case nethtml.ErrorToken:
			return deepest
		case nethtml.StartTagToken:
			if name, _ := z.TagName(); !voidElements[string(name)] {
				d++
				deepest = max(deepest, d)
			}
		case nethtml.EndTagToken:
			d--
		}
	}
}

// TestNestingBounded renders the adversarial bodies and checks that what comes out nests no
// deeper than the limits allow: block containers, a paragraph, emphasis inside it.
func TestNestingBounded(t *testing.T) {
	const n = 5000
	bound := MaxNesting + 1 + maxDelimiters/2
	for _, tt := range append(adversarial(n), dense(n)...) {
		if got := depth(Render(tt.src)); got > bound {
			t.Errorf("%s: elements nest %d deep, want at most %d", tt.name, got, bound)
		}
	}
	for _, tt := range []struct {
		name, src string
		want      int
	}{
		{"block quotes", fill(">", n), MaxNesting + 1},                 // and the paragraph
		{"lists", fill("+ ", n), MaxNesting + 1},                       // ul and li each
		{"quotes and lists", fill("> - ", n), MaxNesting + 1},          // blockquote, ul, li, …
		{"emphasis", fill("*a _b ", n/2) + fill("c_ d*", n/2), 1 + 50}, // p, then em in em
	} {
		if got := depth(Render(tt.src)); got > tt.want {
			t.Errorf("%s: elements nest %d deep, want at most %d", tt.name, got, tt.want)
		}
	}
}

// textOf returns the text of fragment, tags left out and entities decoded.
func textOf(fragment string) string {
	var b strings.Builder
	z := nethtml.NewTokenizer(strings.NewReader(fragment))
	for {
		switch z.Next() {
		case nethtml.ErrorToken:
			return b.String()
		case nethtml.TextToken:
			b.Write(z.Text())
		}
	}
}

// TestBeyondLimitsIsText checks that what the limits stop renders as the characters typed.
func TestBeyondLimitsIsText(t *testing.T) {
	const n = 5000
	out := Render(fill(">", n) + " end")
	if got, want := strings.Count(textOf(out), ">"), n-MaxNesting; got != want || !strings.Contains(out, "end") {
		t.Errorf("block quotes: %d '>' left as text, want %d", got, want)
	}
	src := fill("[", n/2) + "a" + fill("]", n/2)
	if got := strings.TrimSpace(textOf(Render(src))); got != src {
		t.Errorf("brackets: text %.80q…, want the input", got)
	}
	src = fill("*a_", n)
	if got := strings.TrimSpace(textOf(Render(src))); got != src {
		t.Errorf("unmatched emphasis: text %.80q…, want the input", got)
	}
	// Past the delimiter limit, emphasis markers are text.
	src = strings.Repeat("*a* ", maxDelimiters)
	out = Render(src)
	if got, want := strings.Count(out, "<em>"), maxDelimiters/2; got != want {
		t.Errorf("emphasis: %d <em>, want %d", got, want)
	}
	if got, want := strings.Count(out, "*a*"), maxDelimiters/2; got != want {
		t.Errorf("emphasis: %d *a* left as text, want %d", got, want)
	}
	// A bracket past the limit takes its "]" with it as text: once all are closed, a link
	// after them works.
	brackets := fill("[", maxOpenBrackets+3) + "x" + fill("]", maxOpenBrackets+3)
	out = Render(brackets + " [link](/l)")
	if !strings.Contains(out, `<a href="/l">link</a>`) || !strings.Contains(out, brackets) {
		t.Errorf("brackets past the limit: %s", out)
	}
}

// TestLimitsKeepOrdinaryText renders ordinary text, and text just within each limit, with
// goldmark's own parser and with the limited one: the HTML must be the same byte for byte.
func TestLimitsKeepOrdinaryText(t *testing.T) {
	stock := newMarkdown(goldmark.DefaultParser())
	var defs, refs strings.Builder
	for i := range 700 {
		fmt.Fprintf(&defs, "[d%d]: /u/%d \"Title %d\"\n", i, i, i)
		fmt.Fprintf(&refs, "[d%d] ", i*7%700)
	}
	var missedCode strings.Builder
	for i := range maxCodeMisses - 1 {
		missedCode.WriteString(strings.Repeat("`", i+2) + "x ")
	}
	corpus := []string{
		strings.Repeat(">", MaxNesting) + " deepest quote",
		strings.Repeat("> ", MaxNesting) + "deepest quote\n" + strings.Repeat("> ", MaxNesting-1) + "lazy",
		strings.Repeat("+ ", MaxNesting/2) + "deepest item",
		lines(20000, func(i int) string { return strings.Repeat("  ", i%(MaxNesting/2)) + "- item " + fmt.Sprint(i) }),
		lines(20000, func(i int) string { return strings.Repeat("> ", i%MaxNesting) + "line " + fmt.Sprint(i) }),
		strings.Repeat("*a* _b_ ", maxDelimiters/4) + "\n\n" + strings.Repeat("**bold** ", maxDelimiters/2),
		strings.Repeat("~~gone~~ ", maxDelimiters/2),
		strings.Repeat("a * b _ c ~ d ", 500) + "*still emphasis*",
		strings.Repeat("snake_case_name ", 500) + "*still emphasis*",
		strings.Repeat("[", maxOpenBrackets) + "deep" + strings.Repeat("](/x)", maxOpenBrackets),
		strings.Repeat("[a](b c) ", maxLinkMisses-1) + "[ok](/ok)",
		strings.Repeat("[a][nowhere] ", maxLinkMisses-1) + "[ok](/ok)",
		strings.Repeat("[1] [sic] ", 500) + "[ok](/ok)",
		missedCode.String() + "`code`",
		strings.Repeat("p<0.05 ", maxTagMisses-1) + "H<sub>2</sub>O",
		defs.String() + "\n" + refs.String(),
		defs.String() + "a paragraph after the definitions",
		"[a]:\n/u\n'title\nover lines'\n" + strings.Repeat("[a] ", 50),
		lines(50000, func(i int) string { return fmt.Sprintf("line %d of a long paragraph with [a link](/x) and `code`", i) }),
		"| " + strings.Repeat("a | ", 60) + "\n|" + strings.Repeat("---|", 60) + "\n| " + strings.Repeat("**b** | ", 60),
	}
	corpus = append(corpus, xssPayloads...)
	if body, err := loadReference(); err == nil {
		corpus = append(corpus, body)
	}
	for _, src := range corpus {
		var want, got bytes.Buffer
		if err := stock.Convert([]byte(src), &want); err != nil {
			t.Fatal(err)
		}
		if err := md.Convert([]byte(src), &got); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("the limits changed %.120q\n got %.300q\nwant %.300q", src, got.String(), want.String())
		}
	}
}

// TestLimitsPerBlock checks that the limits count per paragraph: a body of many paragraphs,
// each well within them, renders as goldmark renders it.
func TestLimitsPerBlock(t *testing.T) {
	stock := newMarkdown(goldmark.DefaultParser())
	para := strings.Repeat("*a* [l](/l) `c` ", maxDelimiters/2-1) + strings.Repeat("[a](b c) ", maxLinkMisses-1)
	src := strings.Repeat(para+"\n\n", 30) + "| a | b |\n|---|---|\n| " + para + " | " + para + " |\n"
	var want, got bytes.Buffer
	_ = stock.Convert([]byte(src), &want)
	_ = md.Convert([]byte(src), &got)
	if got.String() != want.String() {
		t.Error("the limits changed a body of paragraphs each within them")
	}
	if strings.Count(got.String(), "<em>") != 32*(maxDelimiters/2-1) {
		t.Errorf("%d <em>", strings.Count(got.String(), "<em>"))
	}
}

// BenchmarkRenderAdversarial renders each adversarial and dense body at the largest size the
// article form accepts (200,000 characters). Each must stay well under 100 ms:
//
//	go test -tags sqlite_fts5 -run '^$' -bench RenderAdversarial ./internal/markup/
func BenchmarkRenderAdversarial(b *testing.B) {
	const n = 200_000
	for _, tt := range append(adversarial(n), dense(n)...) {
		b.Run(tt.name, func(b *testing.B) {
			b.SetBytes(int64(len(tt.src)))
			for b.Loop() {
				Render(tt.src)
			}
		})
	}
}
