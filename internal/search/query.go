package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what a reader's query may cost. They keep a pasted essay or a robot's junk from
// turning into an expensive FTS5 expression.
const (
	maxInputRunes = 256
	maxTerms      = 12
	maxWordRunes  = 64
	// minPrefixRunes keeps a single typed letter from expanding to thousands of index terms:
	// a prefix of one or two letters costs about as much as OR-ing every word it begins.
	minPrefixRunes = 3
)

// Query is a reader's search box input turned into a safe FTS5 expression.
type Query struct {
	// Match is an FTS5 MATCH expression made only of quoted strings, parentheses and the
	// operators AND, OR and NOT, or "" when the input has nothing to search for.
	Match string
	// Terms are the positive words and phrases, lower-cased, for display ("results for …").
	Terms []string
}

// Parse turns free text into a Query. Words are runs of letters and digits and are all
// required; "a phrase" in double quotes must match as a phrase; -word (or NOT word) excludes
// word when something positive remains; an upper-case OR between two terms accepts either;
// the last word gets a prefix match when the input ends inside it, so "Xinji" finds Xinjiang,
// and so does any word followed directly by a star ("xin*"); words shorter than three
// letters never match as prefixes.
// Everything else, FTS5 syntax included, is a separator, so Match never fails to parse.
func Parse(input string) Query {
	return build(lex(truncateRunes(input, maxInputRunes)))
}

// term is one word or phrase of the input, or a bare upper-case operator.
type term struct {
	words  []string
	op     string // "OR", "AND" or "NOT" for a bare operator; then words is empty
	phrase bool
	neg    bool
	prefix bool
}

// truncateRunes cuts s to at most n runes. Invalid UTF-8 becomes U+FFFD, a separator.
func truncateRunes(s string, n int) []rune {
	rs := make([]rune, 0, min(len(s), n))
	for _, r := range s {
		if len(rs) == n {
			break
		}
		rs = append(rs, r)
	}
	return rs
}

// isWordStart reports whether r begins a word: FTS5's unicode61 tokenizer keeps letters and
// numbers as well, so quoting them is always safe.
func isWordStart(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsNumber(r))
}

// isWordRune reports whether r continues a word; combining marks stay with their letter.
func isWordRune(r rune) bool {
	return isWordStart(r) || unicode.IsMark(r)
}

// lex splits rs into terms.
func lex(rs []rune) []term {
	var terms []term
	neg := false
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case r == '"':
			end := i + 1
			for end < len(rs) && rs[end] != '"' {
				end++
			}
			// An unbalanced quote makes the rest of the input the phrase.
			words := splitWords(rs[i+1 : end])
			if len(words) > 0 {
				terms = append(terms, term{words: words, phrase: true, neg: neg})
			}
			neg = false
			i = end + 1
		case r == '-' && (i == 0 || !isWordRune(rs[i-1])) && i+1 < len(rs) &&
			(rs[i+1] == '"' || isWordStart(rs[i+1])):
			// A hyphen inside a word ("well-known") is a separator, not a NOT.
			neg = true
			i++
		case isWordStart(r):
			end := i + 1
			for end < len(rs) && isWordRune(rs[end]) {
				end++
			}
			w := string(rs[i:end])
			switch {
			case end-i > maxWordRunes:
				// Too long to be a word anyone searches for.
			case !neg && (w == "OR" || w == "AND" || w == "NOT"):
				terms = append(terms, term{op: w})
			default:
				// The word still being typed, or one with an explicit star, matches as a prefix.
				prefix := !neg && end-i >= minPrefixRunes && (end == len(rs) || rs[end] == '*')
				terms = append(terms, term{words: []string{w}, neg: neg, prefix: prefix})
			}
			neg = false
			i = end
		default:
			neg = false
			i++
		}
	}
	return terms
}

// splitWords returns the words of a quoted phrase, dropping over-long ones.
func splitWords(rs []rune) []string {
	var words []string
	for i := 0; i < len(rs); {
		if !isWordStart(rs[i]) {
			i++
			continue
		}
		end := i + 1
		for end < len(rs) && isWordRune(rs[end]) {
			end++
		}
		if end-i <= maxWordRunes {
			words = append(words, string(rs[i:end]))
		}
		i = end
	}
	return words
}

// build assembles the FTS5 expression: OR-groups joined by AND, then each exclusion with NOT.
// NOT binds tighter than AND and OR in FTS5, and an implicit AND is not allowed after a
// parenthesis, so the expression is fully parenthesised and uses explicit AND.
func build(terms []term) Query {
	var (
		groups    [][]string // each group is a list of alternatives
		negs      []string
		display   []string
		count     int
		orPending bool
		notNext   bool
		lastPos   bool // the previous term was a positive one, so OR may join it
	)
	for _, t := range terms {
		switch t.op {
		case "OR":
			orPending = lastPos
			continue
		case "AND":
			orPending = false
			continue
		case "NOT":
			notNext = true
			orPending = false
			continue
		}
		if count == maxTerms {
			break
		}
		count++
		if t.neg || notNext {
			negs = append(negs, quote(t.words, false))
			orPending, notNext, lastPos = false, false, false
			continue
		}
		s := quote(t.words, t.prefix && !t.phrase)
		if orPending && len(groups) > 0 {
			groups[len(groups)-1] = append(groups[len(groups)-1], s)
		} else {
			groups = append(groups, []string{s})
		}
		display = append(display, strings.ToLower(strings.Join(t.words, " ")))
		orPending, lastPos = false, true
	}
	if len(groups) == 0 {
		return Query{}
	}
	parts := make([]string, len(groups))
	for i, g := range groups {
		parts[i] = g[0]
		if len(g) > 1 {
			parts[i] = "(" + strings.Join(g, " OR ") + ")"
		}
	}
	match := strings.Join(parts, " AND ")
	if len(negs) > 0 {
		if len(groups) > 1 {
			match = "(" + match + ")"
		}
		for _, n := range negs {
			match += " NOT " + n
		}
	}
	return Query{Match: match, Terms: display}
}

// quote makes an FTS5 string of words, doubling any double quote, with a prefix star if asked.
func quote(words []string, prefix bool) string {
	s := `"` + strings.ReplaceAll(strings.Join(words, " "), `"`, `""`) + `"`
	if prefix {
		s += "*"
	}
	return s
}
