package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what a reader's query may cost. They keep a pasted essay or a robot's junk from
// turning into an expensive FTS5 expression. What they leave out is reported in Query, so a
// page never presents a shortened query as the one typed. Search also stops any query that
// runs past its time budget (DefaultBudget).
const (
	MaxInputRunes = 256 // characters read; the rest of the input is ignored
	MaxTerms      = 12  // words and phrases searched; later ones are ignored
	MaxWordRunes  = 64  // letters in a word; longer words are ignored
	// MaxPrefixes is how many words may match as beginnings of words ("xin*", or the word at
	// the end of the input); later ones match whole. Each prefix reads the index entries of
	// every word it begins: at 100,000 articles "con*" costs twice a common word.
	MaxPrefixes = 2
	// MaxOrTerms is how many words and phrases may be joined by OR in all; later alternatives
	// are left out. Each adds its matches to those to count and rank.
	MaxOrTerms = 4
	// minPrefixRunes keeps a single typed letter from expanding to thousands of index terms:
	// a prefix of one or two letters costs about as much as OR-ing every word it begins.
	minPrefixRunes = 3
	// MinOtherPrefixRunes is the length a prefix needs when another prefix of three letters
	// came before it, or when it is joined by OR: "con* pro*" or "con* OR pro*" cost three to
	// five times a common word, "conf* prof*" about one.
	MinOtherPrefixRunes = 4
)

// Query is a reader's search box input turned into a safe FTS5 expression, and the same
// query as a PostgreSQL text search query.
type Query struct {
	// Match is an FTS5 MATCH expression made only of quoted strings, parentheses and the
	// operators AND, OR and NOT, or "" when the input has nothing to search for.
	Match string
	// TSQuery is Match as the text of PostgreSQL's to_tsquery: quoted words and phrases
	// (a phrase's words follow each other, <->), :* for a prefix, & for AND, | for OR and
	// & ! for NOT. "" exactly when Match is.
	TSQuery string
	// Terms are the positive words and phrases, lower-cased, for display ("results for …").
	Terms []string
	// Text is what Match searches for, written as a reader would type it: the input without
	// what the limits left out and without syntax that was only a separator. "" when Match is.
	Text string

	// What the limits left out of the input.
	Cut          bool // the input ran past MaxInputRunes; a word cut in two there is left out too
	LongWords    int  // words longer than MaxWordRunes
	ExtraTerms   int  // words and phrases after the first MaxTerms
	ExtraOrTerms int  // alternatives joined by OR after the first MaxOrTerms
	WholeWords   int  // words typed with a star that the prefix limits searched as whole words

	// Typing is the last word when the input ends inside it, which Match searches as a prefix,
	// so that "xinji" finds Xinjiang; WholeMatch is Match with it as a whole word. A prefix
	// reads the index entries of every word it begins ("research" begins five, with 76,000
	// entries at 100,000 articles), so when the word is in the index whole, Search uses
	// WholeMatch.
	Typing       string
	WholeMatch   string
	WholeTSQuery string
}

// Shortened reports whether the limits left out part of the input, so that Match searches
// for less than the reader typed.
func (q Query) Shortened() bool {
	return q.Cut || q.LongWords > 0 || q.ExtraTerms > 0 || q.ExtraOrTerms > 0 || q.WholeWords > 0
}

// Parse turns free text into a Query. Words are runs of letters and digits and are all
// required; "a phrase" in double quotes must match as a phrase; -word (or NOT word) excludes
// word when something positive remains; an upper-case OR between two terms accepts either;
// the last word gets a prefix match when the input ends inside it, so "Xinji" finds Xinjiang,
// and so does any word followed directly by a star ("xin*"); words shorter than three
// letters never match as prefixes, and MaxPrefixes, MaxOrTerms and MinOtherPrefixRunes bound
// what prefixes and OR may cost.
// Everything else, FTS5 syntax included, is a separator, so Match never fails to parse.
func Parse(input string) Query {
	rs, cut := truncateRunes(input, MaxInputRunes)
	terms, long := lex(rs)
	q := build(terms)
	q.Cut, q.LongWords = cut, long
	return q
}

// term is one word or phrase of the input, or a bare upper-case operator.
type term struct {
	words  []string
	op     string // "OR", "AND" or "NOT" for a bare operator; then words is empty
	phrase bool
	neg    bool
	prefix bool
	star   bool // the prefix was asked for with a star, not by ending the input
}

// truncateRunes cuts s to at most n runes and reports whether it did. A word the cut falls
// inside is left out whole: its first letters would otherwise be searched as a prefix.
// Invalid UTF-8 becomes U+FFFD, a separator.
func truncateRunes(s string, n int) ([]rune, bool) {
	rs := make([]rune, 0, min(len(s), n))
	for _, r := range s {
		if len(rs) == n {
			if isWordRune(r) {
				for len(rs) > 0 && isWordRune(rs[len(rs)-1]) {
					rs = rs[:len(rs)-1]
				}
			}
			return rs, true
		}
		rs = append(rs, r)
	}
	return rs, false
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

// lex splits rs into terms and counts the words left out for being longer than MaxWordRunes.
func lex(rs []rune) ([]term, int) {
	var terms []term
	long := 0
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
			words, n := splitWords(rs[i+1 : end])
			long += n
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
			case end-i > MaxWordRunes:
				// Too long to be a word anyone searches for.
				long++
			case !neg && (w == "OR" || w == "AND" || w == "NOT"):
				terms = append(terms, term{op: w})
			default:
				// The word still being typed, or one with an explicit star, matches as a prefix.
				star := end < len(rs) && rs[end] == '*'
				prefix := !neg && end-i >= minPrefixRunes && (end == len(rs) || star)
				terms = append(terms, term{words: []string{w}, neg: neg, prefix: prefix, star: star && prefix})
			}
			neg = false
			i = end
		default:
			neg = false
			i++
		}
	}
	return terms, long
}

// splitWords returns the words of a quoted phrase, dropping over-long ones, and how many it
// dropped.
func splitWords(rs []rune) ([]string, int) {
	var words []string
	long := 0
	for i := 0; i < len(rs); {
		if !isWordStart(rs[i]) {
			i++
			continue
		}
		end := i + 1
		for end < len(rs) && isWordRune(rs[end]) {
			end++
		}
		if end-i <= MaxWordRunes {
			words = append(words, string(rs[i:end]))
		} else {
			long++
		}
		i = end
	}
	return words, long
}

// build assembles the FTS5 expression: OR-groups joined by AND, then each exclusion with NOT.
// NOT binds tighter than AND and OR in FTS5, and an implicit AND is not allowed after a
// parenthesis, so the expression is fully parenthesised and uses explicit AND.
func build(terms []term) Query {
	var (
		q         Query
		groups    [][]term // each group is a list of alternatives
		negs      [][]string
		display   []string
		text      []string // Query.Text, term by term
		count     int
		orTerms   int // terms in groups of more than one
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
		if count == MaxTerms {
			q.ExtraTerms++
			continue
		}
		count++
		typed := strings.Join(t.words, " ")
		if t.phrase {
			typed = `"` + typed + `"`
		}
		if t.neg || notNext {
			negs = append(negs, t.words)
			text = append(text, "-"+typed)
			orPending, notNext, lastPos = false, false, false
			continue
		}
		if orPending && len(groups) > 0 {
			g := &groups[len(groups)-1]
			joins := 1
			if len(*g) == 1 {
				joins = 2 // the first alternative becomes an OR term too
			}
			if orTerms+joins > MaxOrTerms {
				q.ExtraOrTerms++
				orPending = false
				continue
			}
			orTerms += joins
			*g = append(*g, t)
			text = append(text, "OR")
		} else {
			groups = append(groups, []term{t})
		}
		text = append(text, typed)
		display = append(display, strings.ToLower(strings.Join(t.words, " ")))
		orPending, lastPos = false, true
	}
	if len(groups) == 0 {
		return Query{ExtraTerms: q.ExtraTerms, ExtraOrTerms: q.ExtraOrTerms}
	}
	q.WholeWords = limitPrefixes(groups)
	q.Match, q.TSQuery = matchOf(groups, negs)
	q.Terms, q.Text = display, strings.Join(text, " ")
	// The word still being typed matches as a prefix; Search asks whether it is a whole word
	// of the index already, and then searches it as one (see Typing).
	for i := range groups {
		for j := range groups[i] {
			if t := &groups[i][j]; t.prefix && !t.star && !t.phrase {
				t.prefix = false
				q.Typing = t.words[0]
				q.WholeMatch, q.WholeTSQuery = matchOf(groups, negs)
				return q
			}
		}
	}
	return q
}

// matchOf is the FTS5 expression and the to_tsquery text of groups (terms joined by AND, the
// alternatives of a group by OR) and negs.
func matchOf(groups [][]term, negs [][]string) (match, tsQuery string) {
	parts := make([]string, len(groups))
	tsParts := make([]string, len(groups), len(groups)+len(negs))
	for i, g := range groups {
		alts := make([]string, len(g))
		tsAlts := make([]string, len(g))
		for j, t := range g {
			alts[j] = quote(t.words, t.prefix && !t.phrase)
			tsAlts[j] = tsQuote(t.words, t.prefix && !t.phrase)
		}
		parts[i], tsParts[i] = alts[0], tsAlts[0]
		if len(alts) > 1 {
			parts[i] = "(" + strings.Join(alts, " OR ") + ")"
			tsParts[i] = "(" + strings.Join(tsAlts, " | ") + ")"
		}
	}
	match = strings.Join(parts, " AND ")
	if len(negs) > 0 {
		if len(groups) > 1 {
			match = "(" + match + ")"
		}
		for _, n := range negs {
			match += " NOT " + quote(n, false)
			tsParts = append(tsParts, "!("+tsQuote(n, false)+")")
		}
	}
	return match, strings.Join(tsParts, " & ")
}

// limitPrefixes keeps the prefix match of at most MaxPrefixes terms, in the order typed: one
// of them may have minPrefixRunes letters, any other, and any joined by OR, needs
// MinOtherPrefixRunes. The rest match as whole words; it returns how many of those had been
// typed with a star.
func limitPrefixes(groups [][]term) int {
	kept, short, whole := 0, false, 0
	for _, g := range groups {
		for i := range g {
			t := &g[i]
			if !t.prefix || t.phrase {
				continue
			}
			need := minPrefixRunes
			if short || len(g) > 1 {
				need = MinOtherPrefixRunes
			}
			n := utf8.RuneCountInString(t.words[0])
			if kept == MaxPrefixes || n < need {
				t.prefix = false
				if t.star {
					whole++
				}
				continue
			}
			kept++
			short = short || n < MinOtherPrefixRunes
		}
	}
	return whole
}

// tsQuote makes a to_tsquery operand of words: quoted, so that PostgreSQL's parser splits and
// normalises them as it did the indexed text, and several words become a phrase; quotes and
// backslashes doubled (words have none, but the text must never break out); :* for a prefix.
func tsQuote(words []string, prefix bool) string {
	s := "'" + tsEscaper.Replace(strings.Join(words, " ")) + "'"
	if prefix {
		s += ":*"
	}
	return s
}

var tsEscaper = strings.NewReplacer(`'`, `''`, `\`, `\\`)

// quote makes an FTS5 string of words, doubling any double quote, with a prefix star if asked.
func quote(words []string, prefix bool) string {
	s := `"` + strings.ReplaceAll(strings.Join(words, " "), `"`, `""`) + `"`
	if prefix {
		s += "*"
	}
	return s
}
