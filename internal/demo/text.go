package demo

import (
	"html"
	"math/rand/v2"
	"strings"
)

// textGen writes pseudo-random but repeatable English-looking text.
type textGen struct {
	r      *rand.Rand
	vocab  []string
	campus []string
	buf    strings.Builder
}

func newTextGen(r *rand.Rand) *textGen {
	return &textGen{r: r, vocab: vocabulary(), campus: campusWords}
}

// word returns a content word: a campus word one time in three, else any of the vocabulary.
func (g *textGen) word() string {
	if g.r.IntN(3) == 0 {
		return strings.TrimSuffix(g.campus[g.r.IntN(len(g.campus))], "'")
	}
	return g.vocab[g.r.IntN(len(g.vocab))]
}

// sentence appends about n words to b: a capital first letter, function words between some
// content words, now and then a comma, a full stop at the end. It returns the words written.
func (g *textGen) sentence(b *strings.Builder, n int) int {
	written := 0
	for i := 0; i < n; i++ {
		w := g.word()
		if i > 0 && i < n-1 && g.r.IntN(3) == 0 {
			w = functionWords[g.r.IntN(len(functionWords))]
		}
		if i == 0 {
			capitalize(b, w)
		} else {
			b.WriteString(w)
		}
		written++
		switch {
		case i == n-1:
			b.WriteByte('.')
		case i > 2 && i < n-3 && g.r.IntN(12) == 0:
			b.WriteString(", ")
		default:
			b.WriteByte(' ')
		}
	}
	return written
}

// title returns 4 to 9 capitalised words, function words in lower case.
func (g *textGen) title() string {
	b := &g.buf
	b.Reset()
	n := 4 + g.r.IntN(6)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		if i > 0 && i < n-1 && g.r.IntN(4) == 0 {
			b.WriteString(functionWords[g.r.IntN(len(functionWords))])
			continue
		}
		capitalize(b, g.word())
	}
	return b.String()
}

// summary returns one sentence of 12 to 24 words.
func (g *textGen) summary() string {
	b := &g.buf
	b.Reset()
	g.sentence(b, 12+g.r.IntN(13))
	return b.String()
}

// body returns 150 to 400 words in 3 to 5 paragraphs two ways: Markdown source (paragraphs
// separated by a blank line) and the HTML markup.Render makes of it, one <p> per paragraph.
func (g *textGen) body() (source, htmlText string) {
	total := 150 + g.r.IntN(251)
	paras := 3 + g.r.IntN(3)
	var src, h strings.Builder
	src.Grow(total * 8)
	h.Grow(total*8 + paras*8)
	written := 0
	for p := 0; p < paras; p++ {
		want := (total - written) / (paras - p)
		b := &g.buf
		b.Reset()
		got := 0
		for got < want {
			n := 8 + g.r.IntN(13)
			if left := want - got; n > left {
				n = max(left, 3)
			}
			if got > 0 {
				b.WriteByte(' ')
			}
			got += g.sentence(b, n)
		}
		written += got
		para := b.String()
		if p > 0 {
			src.WriteString("\n\n")
		}
		src.WriteString(para)
		h.WriteString("<p>")
		h.WriteString(html.EscapeString(para))
		h.WriteString("</p>\n")
	}
	return src.String(), h.String()
}

// capitalize writes w with its first letter in upper case. Every word here is lower-case ASCII.
func capitalize(b *strings.Builder, w string) {
	c := w[0]
	if 'a' <= c && c <= 'z' {
		c -= 'a' - 'A'
	}
	b.WriteByte(c)
	b.WriteString(w[1:])
}
