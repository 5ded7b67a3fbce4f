package wordpress

import (
	"regexp"
	"strconv"
	"strings"
)

// shortcode is one [name attrs]content[/name] of post content.
type shortcode struct {
	name       string
	attrs      map[string]string // named attributes, names lower-cased
	positional []string
	content    string
	enclosing  bool   // had a closing tag
	open       string // the opening tag as written
}

// scanShortcodes replaces every shortcode of s by what handle returns; handle's false leaves it
// as written. It follows get_shortcode_regex(): a tag is "[" name, attributes up to the first
// "]" ("/]" closes it), then optionally content up to the first "[/name]"; "[[name]]" is an
// escaped, literal "[name]". Unlike WordPress, which only sees registered shortcodes, it sees
// every name that looks like one (see looksLikeShortcode), so that unknown ones can be reported.
func scanShortcodes(s string, handle func(sc *shortcode) (string, bool)) string {
	if !strings.Contains(s, "[") {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '[' {
			continue
		}
		sc, start, end, escaped, ok := parseShortcodeAt(s, i)
		if !ok {
			continue
		}
		if escaped { // [[name]] is the literal text [name]
			b.WriteString(s[last:i])
			b.WriteString(s[i+1 : end-1])
			last = end
			i = end - 1
			continue
		}
		repl, ok := handle(sc)
		if !ok {
			continue
		}
		b.WriteString(s[last:start])
		b.WriteString(repl)
		last = end
		i = end - 1
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// parseShortcodeAt parses a shortcode whose "[" is at i. start and end delimit the text it
// replaces; escaped reports "[[...]]".
func parseShortcodeAt(s string, i int) (sc *shortcode, start, end int, escaped, ok bool) {
	j := i + 1
	double := j < len(s) && s[j] == '['
	if double {
		j++
	}
	n := j
	for n < len(s) && isWordByte(s[n]) {
		n++
	}
	name := s[j:n]
	if name == "" || n >= len(s) || !(s[n] == ']' || s[n] == '/' || isPCRESpace(s[n])) {
		return nil, 0, 0, false, false
	}
	k := strings.IndexByte(s[n:], ']')
	if k < 0 {
		return nil, 0, 0, false, false
	}
	closeAt := n + k
	attrText := s[n:closeAt]
	selfClosing := closeAt > n && s[closeAt-1] == '/'
	if selfClosing {
		attrText = s[n : closeAt-1]
	}
	end = closeAt + 1
	sc = &shortcode{name: name, open: s[j-1 : end]}
	if !selfClosing {
		if c := strings.Index(s[end:], "[/"+name+"]"); c >= 0 {
			sc.content = s[end : end+c]
			sc.enclosing = true
			end += c + len("[/"+name+"]")
		}
	}
	if !looksLikeShortcode(sc, attrText, selfClosing) {
		return nil, 0, 0, false, false
	}
	trailing := end < len(s) && s[end] == ']'
	if double && trailing {
		return sc, i, end + 1, true, true
	}
	sc.attrs, sc.positional = parseShortcodeAtts(attrText)
	start = i
	if double { // "[[name]" without "]]": the first "[" stays as text
		start = i + 1
	}
	return sc, start, end, false, true
}

// looksLikeShortcode tells a shortcode from bracketed prose such as "[1]", "[sic]" is the one
// kind it lets through. WordPress knows which names are registered; an export does not say, so
// a core shortcode always counts and another name only when written as plugins write theirs:
// lower case, and bare, with attributes "name=value", self-closing or with a closing tag.
func looksLikeShortcode(sc *shortcode, attrText string, selfClosing bool) bool {
	for _, n := range coreShortcodes {
		if sc.name == n {
			return true
		}
	}
	if sc.name[0] < 'a' || sc.name[0] > 'z' {
		return false
	}
	for i := 0; i < len(sc.name); i++ {
		if c := sc.name[i]; 'A' <= c && c <= 'Z' {
			return false
		}
	}
	return strings.TrimSpace(attrText) == "" || strings.Contains(attrText, "=") || selfClosing || sc.enclosing
}

// shortcodeAtts is get_shortcode_atts_regex().
var shortcodeAtts = regexp.MustCompile(`([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)`)

// parseShortcodeAtts is shortcode_parse_atts().
func parseShortcodeAtts(text string) (map[string]string, []string) {
	text = strings.NewReplacer("\u00a0", " ", "\u200b", " ").Replace(text)
	attrs := map[string]string{}
	var pos []string
	for _, m := range shortcodeAtts.FindAllStringSubmatch(text, -1) {
		switch {
		case m[1] != "":
			attrs[strings.ToLower(m[1])] = stripCSlashes(m[2])
		case m[3] != "":
			attrs[strings.ToLower(m[3])] = stripCSlashes(m[4])
		case m[5] != "":
			attrs[strings.ToLower(m[5])] = stripCSlashes(m[6])
		case m[7] != "":
			pos = append(pos, stripCSlashes(m[7]))
		case m[8] != "":
			pos = append(pos, stripCSlashes(m[8]))
		case m[9] != "":
			pos = append(pos, stripCSlashes(m[9]))
		}
	}
	return attrs, pos
}

// stripCSlashes undoes the common backslash escapes, as PHP's stripcslashes does.
func stripCSlashes(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// blockComment is one block delimiter: <!-- wp:name {attrs} --> or <!-- /wp:name --> or the
// self-closing <!-- wp:name {attrs} /-->.
type blockComment struct {
	name    string // "paragraph", "core/paragraph" is written without "core/"
	attrs   string // the JSON, if any
	closing bool
	void    bool
}

// blockName matches WordPress's block delimiter after "<!--": namespace/name.
var blockName = regexp.MustCompile(`^\s+(/)?wp:((?:[a-z][a-z0-9_-]*/)?[a-z][a-z0-9_-]*)\s+`)

// scanBlocks replaces every block delimiter of s by what handle returns. WordPress escapes "--"
// in block attributes, so a delimiter ends at the first "-->".
func scanBlocks(s string, handle func(bc blockComment) string) string {
	var b strings.Builder
	last := 0
	for i := 0; ; {
		k := strings.Index(s[i:], "<!--")
		if k < 0 {
			break
		}
		start := i + k
		m := blockName.FindStringSubmatchIndex(s[start+4:])
		if m == nil {
			i = start + 4
			continue
		}
		e := strings.Index(s[start+4:], "-->")
		if e < 0 || e < m[1]-1 {
			i = start + 4
			continue
		}
		end := start + 4 + e + 3
		inner := s[start+4+m[1] : start+4+e] // attributes, then "/" for void blocks
		bc := blockComment{name: s[start+4+m[4] : start+4+m[5]], closing: m[2] >= 0}
		inner = strings.TrimSpace(inner)
		if strings.HasSuffix(inner, "/") {
			bc.void = true
			inner = strings.TrimSpace(strings.TrimSuffix(inner, "/"))
		}
		bc.attrs = inner
		b.WriteString(s[last:start])
		b.WriteString(handle(bc))
		last = end
		i = end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

var blockRef = regexp.MustCompile(`"ref"\s*:\s*(\d+)`)

// ref is the "ref" attribute of a reusable block, 0 if none.
func (bc blockComment) ref() int64 {
	m := blockRef.FindStringSubmatch(bc.attrs)
	if m == nil {
		return 0
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	return n
}
