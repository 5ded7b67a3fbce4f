package wordpress

import (
	"regexp"
	"strconv"
	"strings"
)

// This file ports WordPress's wpautop() and shortcode_unautop() (wp-includes/formatting.php,
// WordPress 6.1) step by step, so that posts written in the classic editor, which stores
// paragraphs as blank lines, get the paragraphs WordPress showed. Each step says which line of
// the PHP it is; patterns that Go's regexp cannot express (look-behind, back-references,
// possessive loops) are written out as loops with the same result. testdata/wpautop.json holds
// WordPress's own output for the tests to compare against.

// pcreSpace is PCRE's \s: Go's \s lacks the vertical tab.
const pcreSpace = `[\t\n\v\f\r ]`

const allBlocks = `(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)`

func re(pattern string) *regexp.Regexp {
	return regexp.MustCompile(strings.ReplaceAll(pattern, `\s`, pcreSpace))
}

var (
	autopDoubleBr     = re(`<br\s*/?>\s*<br\s*/?>`)
	autopBlockOpen    = regexp.MustCompile(`(<` + allBlocks + "[\t\n\v\f\r /\\>])")
	autopBlockClose   = regexp.MustCompile(`(</` + allBlocks + `>)`)
	autopHr           = re(`(<hr\s*?/?>)`)
	autopOptionBefore = re(`\s*<option`)
	autopOptionAfter  = re(`</option>\s*`)
	autopObjectOpen   = re(`(<object[^>]*>)\s*`)
	autopObjectClose  = re(`\s*</object>`)
	autopParamEmbed   = re(`\s*(</?(?:param|embed)[^>]*>)\s*`)
	autopMediaOpen    = re(`([<\[](?:audio|video)[^>\]]*[>\]])\s*`)
	autopMediaClose   = re(`\s*([<\[]/(?:audio|video)[>\]])`)
	autopSourceTrack  = re(`\s*(<(?:source|track)[^>]*>)\s*`)
	autopFigcapOpen   = re(`\s*(<figcaption[^>]*>)`)
	autopFigcapClose  = re(`</figcaption>\s*`)
	autopManyNewlines = regexp.MustCompile(`\n\n+`)
	autopSplit        = re(`\n\s*\n`)
	autopEmptyP       = re(`<p>\s*</p>`)
	autopCloseInside  = regexp.MustCompile(`<p>([^<]+)</(div|address|form)>`)
	autopUnwrapBlock  = re(`<p>\s*(</?` + allBlocks + `[^>]*>)\s*</p>`)
	autopLiInP        = regexp.MustCompile(`<p>(<li.+?)</p>`)
	autopBlockquoteP  = regexp.MustCompile(`(?i)<p><blockquote([^>]*)>`)
	autopPBeforeBlock = re(`<p>\s*(</?` + allBlocks + `[^>]*>)`)
	autopPAfterBlock  = re(`(</?` + allBlocks + `[^>]*>)\s*</p>`)
	autopBrAfterBlock = re(`(</?` + allBlocks + `[^>]*>)\s*<br />`)
	autopBrBeforeSome = re(`<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)`)
)

// wpautop is WordPress's wpautop($text, $br).
func wpautop(text string, br bool) string {
	if strings.Trim(text, " \t\n\r\x00\x0b") == "" {
		return ""
	}
	text += "\n"

	// <pre> blocks are set aside and put back at the end.
	var preTags []string // placeholder, content, placeholder, content...
	if strings.Contains(text, "<pre") {
		parts := strings.Split(text, "</pre>")
		last := parts[len(parts)-1]
		var b strings.Builder
		i := 0
		for _, part := range parts[:len(parts)-1] {
			start := strings.Index(part, "<pre")
			if start < 0 { // malformed HTML: WordPress drops the stray </pre>
				b.WriteString(part)
				continue
			}
			name := "<pre wp-pre-tag-" + strconv.Itoa(i) + "></pre>"
			preTags = append(preTags, name, part[start:]+"</pre>")
			b.WriteString(part[:start])
			b.WriteString(name)
			i++
		}
		b.WriteString(last)
		text = b.String()
	}

	if strings.Contains(text, "<br") {
		text = autopDoubleBr.ReplaceAllString(text, "\n\n")
	}
	text = autopBlockOpen.ReplaceAllString(text, "\n\n$1")
	text = autopBlockClose.ReplaceAllString(text, "$1\n\n")
	if strings.Contains(text, "<hr") {
		text = autopHr.ReplaceAllString(text, "$1\n\n")
	}
	text = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(text)
	text = replaceInHTMLTags(text, "\n", " <!-- wpnl --> ")

	if strings.Contains(text, "<option") {
		text = autopOptionBefore.ReplaceAllString(text, "<option")
		text = autopOptionAfter.ReplaceAllString(text, "</option>")
	}
	if strings.Contains(text, "</object>") {
		text = autopObjectOpen.ReplaceAllString(text, "$1")
		text = autopObjectClose.ReplaceAllString(text, "</object>")
		text = autopParamEmbed.ReplaceAllString(text, "$1")
	}
	if strings.Contains(text, "<source") || strings.Contains(text, "<track") {
		text = autopMediaOpen.ReplaceAllString(text, "$1")
		text = autopMediaClose.ReplaceAllString(text, "$1")
		text = autopSourceTrack.ReplaceAllString(text, "$1")
	}
	if strings.Contains(text, "<figcaption") {
		text = autopFigcapOpen.ReplaceAllString(text, "$1")
		text = autopFigcapClose.ReplaceAllString(text, "</figcaption>")
	}

	text = autopManyNewlines.ReplaceAllString(text, "\n\n")

	var b strings.Builder
	for _, p := range autopSplit.Split(text, -1) {
		if p == "" { // PREG_SPLIT_NO_EMPTY
			continue
		}
		b.WriteString("<p>")
		b.WriteString(strings.Trim(p, "\n"))
		b.WriteString("</p>\n")
	}
	text = b.String()

	text = autopEmptyP.ReplaceAllString(text, "")
	text = autopCloseInside.ReplaceAllString(text, "<p>$1</p></$2>")
	text = autopUnwrapBlock.ReplaceAllString(text, "$1")
	if strings.Contains(text, "<li") {
		text = autopLiInP.ReplaceAllString(text, "$1")
	}
	text = autopBlockquoteP.ReplaceAllString(text, "<blockquote$1><p>")
	text = strings.ReplaceAll(text, "</blockquote></p>", "</p></blockquote>")
	text = autopPBeforeBlock.ReplaceAllString(text, "$1")
	text = autopPAfterBlock.ReplaceAllString(text, "$1")

	if br {
		text = preserveNewlines(text)
		text = strings.NewReplacer("<br>", "<br />", "<br/>", "<br />").Replace(text)
		text = newlinesToBr(text)
		text = strings.ReplaceAll(text, "<WPPreserveNewline />", "\n")
	}

	if strings.Contains(text, "<br />") {
		text = autopBrAfterBlock.ReplaceAllString(text, "$1")
		text = autopBrBeforeSome.ReplaceAllString(text, "$1")
	}
	// preg_replace( "|\n</p>$|", '</p>', $text ): PCRE's $ also matches before a final newline.
	if strings.HasSuffix(text, "\n</p>") {
		text = text[:len(text)-len("\n</p>")] + "</p>"
	} else if strings.HasSuffix(text, "\n</p>\n") {
		text = text[:len(text)-len("\n</p>\n")] + "</p>\n"
	}

	for i := 0; i < len(preTags); i += 2 {
		text = strings.ReplaceAll(text, preTags[i], preTags[i+1])
	}
	if strings.Contains(text, "<!-- wpnl -->") {
		text = strings.NewReplacer(" <!-- wpnl --> ", "\n", "<!-- wpnl -->", "\n").Replace(text)
	}
	return text
}

// htmlSplit is wp_html_split(): text and elements alternate, elements (tags, comments, CDATA)
// at odd indices. get_html_split_regex() matches from every "<": a comment to its "-->", CDATA
// to its "]]>", anything else to the next ">" — or to the end of the input when unterminated.
func htmlSplit(s string) []string {
	var out []string
	last := 0
	for i := 0; i < len(s); {
		if s[i] != '<' {
			i++
			continue
		}
		end := htmlElementEnd(s, i)
		out = append(out, s[last:i], s[i:end])
		i, last = end, end
	}
	return append(out, s[last:])
}

func htmlElementEnd(s string, i int) int {
	rest := s[i+1:]
	switch {
	case strings.HasPrefix(rest, "!--"):
		// '!' (?: -(?!->) [^-]*+ )*+ (?:-->)?
		j := i + 2
		for j < len(s) && s[j] == '-' && !strings.HasPrefix(s[j+1:], "->") {
			j++
			for j < len(s) && s[j] != '-' {
				j++
			}
		}
		if strings.HasPrefix(s[j:], "-->") {
			j += 3
		}
		return j
	case strings.HasPrefix(rest, "![CDATA["):
		// '![CDATA[' [^\]]*+ (?: ](?!]>) [^\]]*+ )*+ (?:]]>)?
		j := i + len("<![CDATA[")
		for j < len(s) && s[j] != ']' {
			j++
		}
		for j < len(s) && s[j] == ']' && !strings.HasPrefix(s[j+1:], "]>") {
			j++
			for j < len(s) && s[j] != ']' {
				j++
			}
		}
		if strings.HasPrefix(s[j:], "]]>") {
			j += 3
		}
		return j
	}
	if k := strings.IndexByte(rest, '>'); k >= 0 {
		return i + 1 + k + 1
	}
	return len(s)
}

// replaceInHTMLTags is wp_replace_in_html_tags() with one pair: needle is replaced inside
// elements only.
func replaceInHTMLTags(s, needle, repl string) string {
	parts := htmlSplit(s)
	changed := false
	for i := 1; i < len(parts); i += 2 {
		if strings.Contains(parts[i], needle) {
			parts[i] = strings.ReplaceAll(parts[i], needle, repl)
			changed = true
		}
	}
	if !changed {
		return s
	}
	return strings.Join(parts, "")
}

// preserveNewlines is preg_replace_callback('/<(script|style|svg).*?<\/\1>/s', ...): newlines
// inside those elements are kept from becoming <br />.
func preserveNewlines(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '<' {
			continue
		}
		for _, name := range [...]string{"script", "style", "svg"} {
			if !strings.HasPrefix(s[i+1:], name) {
				continue
			}
			k := strings.Index(s[i+1+len(name):], "</"+name+">")
			if k < 0 {
				continue
			}
			end := i + 1 + len(name) + k + len("</"+name+">")
			b.WriteString(s[last:i])
			b.WriteString(strings.ReplaceAll(s[i:end], "\n", "<WPPreserveNewline />"))
			last = end
			i = end - 1
			break
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isPCRESpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// newlinesToBr is preg_replace('|(?<!<br />)\s*\n|', "<br />\n", $text): from each position not
// preceded by "<br />", the longest run of whitespace that ends in a newline becomes one break.
func newlinesToBr(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		if !isPCRESpace(s[i]) {
			i++
			continue
		}
		j, nl := i, -1
		for j < len(s) && isPCRESpace(s[j]) {
			if s[j] == '\n' {
				nl = j
			}
			j++
		}
		switch {
		case nl < 0:
			i = j // no newline in this run: no match can start in it
		case strings.HasSuffix(s[:i], "<br />"):
			i++ // the look-behind fails here; the next position may match
		default:
			b.WriteString(s[last:i])
			b.WriteString("<br />\n")
			i = nl + 1
			last = i
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// coreShortcodes are the shortcodes WordPress itself registers, in registration order; they are
// the ones shortcode_unautop() knows on a site without plugins.
var coreShortcodes = []string{"wp_caption", "caption", "gallery", "playlist", "audio", "video", "embed"}

// shortcodeUnautop is shortcode_unautop(): a paragraph holding only a core shortcode (and
// whitespace) loses its <p> and </p>.
func shortcodeUnautop(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; ; {
		k := strings.Index(s[i:], "<p>")
		if k < 0 {
			break
		}
		start := i + k
		j := skipWPSpaces(s, start+3)
		scStart := j
		scEnd, ok := unautopShortcode(s, j)
		if !ok {
			i = start + 1
			continue
		}
		b.WriteString(s[last:start])
		b.WriteString(s[scStart:scEnd])
		last = scEnd
		last = skipWPSpaces(s, last) + len("</p>")
		i = last
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// skipWPSpaces skips wp_spaces_regexp(): [\r\n\t ]|\xC2\xA0|&nbsp;
func skipWPSpaces(s string, j int) int {
	for j < len(s) {
		switch {
		case s[j] == '\r' || s[j] == '\n' || s[j] == '\t' || s[j] == ' ':
			j++
		case strings.HasPrefix(s[j:], "\u00a0"):
			j += 2
		case strings.HasPrefix(s[j:], "&nbsp;"):
			j += 6
		default:
			return j
		}
	}
	return j
}

func isWordByte(c byte) bool {
	return c == '_' || c == '-' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// unautopShortcode matches, at j, a core shortcode followed by optional spaces and </p>, and
// returns the end of the shortcode.
func unautopShortcode(s string, j int) (int, bool) {
	if j >= len(s) || s[j] != '[' {
		return 0, false
	}
	var name string
	for _, n := range coreShortcodes {
		if strings.HasPrefix(s[j+1:], n) {
			name = n
			break
		}
	}
	after := j + 1 + len(name)
	if name == "" || after < len(s) && isWordByte(s[after]) {
		return 0, false
	}
	// The opening tag ends at the first "]"; "/]" makes it self-closing.
	k := strings.IndexByte(s[after:], ']')
	if k < 0 {
		return 0, false
	}
	closeBracket := after + k
	endsAt := func(end int) bool {
		e := skipWPSpaces(s, end)
		return strings.HasPrefix(s[e:], "</p>")
	}
	if s[closeBracket-1] == '/' && closeBracket-1 >= after {
		end := closeBracket + 1
		return end, endsAt(end)
	}
	// Optionally content up to the first closing tag; without it, the opening tag alone.
	if c := strings.Index(s[closeBracket+1:], "[/"+name+"]"); c >= 0 {
		end := closeBracket + 1 + c + len("[/"+name+"]")
		if endsAt(end) {
			return end, true
		}
	}
	end := closeBracket + 1
	return end, endsAt(end)
}
