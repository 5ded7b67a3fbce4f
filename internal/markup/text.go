package markup

import (
	"bytes"
	"html"
	"strings"

	"github.com/microcosm-cc/bluemonday"
)

// strict drops every tag, and with script and style their content too.
var strict = bluemonday.StrictPolicy()

// PlainText renders Markdown and returns its text only, whitespace collapsed
// to single spaces, for search indexing and meta descriptions. The result is
// text, not HTML: entities are decoded, so "<" may appear and callers must
// escape it (html/template does) before putting it in a page.
func PlainText(src string) string {
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		// See Render: cannot happen with a bytes.Buffer.
		return strings.Join(strings.Fields(src), " ")
	}
	// No space is added where tags are stripped: it would split
	// "H<sub>2</sub>O" and "**DUT**’s". goldmark already puts a newline
	// between blocks, list items and table cells.
	text := html.UnescapeString(strict.Sanitize(buf.String()))
	return strings.Join(strings.Fields(text), " ")
}

// Excerpt returns PlainText(src) cut to at most max runes at a word boundary,
// with "…" appended when anything was cut (so a cut result is max+1 runes at
// most). A single word longer than max is cut inside the word.
func Excerpt(src string, max int) string {
	if max <= 0 {
		return ""
	}
	text := PlainText(src)
	runes := []rune(text)
	if len(runes) <= max {
		return text
	}
	cut := runes[:max]
	// Cutting right before a space ends on a whole word; otherwise step back
	// to the last space, unless that would leave nothing.
	if runes[max] != ' ' {
		if i := lastSpace(cut); i > 0 {
			cut = cut[:i]
		}
	}
	// A trailing comma or colon before "…" reads as a typo.
	return strings.TrimRight(string(cut), " ,;:") + "…"
}

func lastSpace(r []rune) int {
	for i := len(r) - 1; i >= 0; i-- {
		if r[i] == ' ' {
			return i
		}
	}
	return -1
}
