package search

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// parseCases are the Parse table; FuzzParse also runs every input against real FTS5.
var parseCases = []struct {
	name  string
	input string
	match string
	terms []string
}{
	{"empty", "", "", nil},
	{"spaces", "  \t\n ", "", nil},
	{"one word being typed", "Xinji", `"Xinji"*`, []string{"xinji"}},
	{"one finished word", "wang ", `"wang"`, []string{"wang"}},
	{"words are ANDed, last is a prefix", "Wang Hansong", `"Wang" AND "Hansong"*`, []string{"wang", "hansong"}},
	{"no prefix for one letter", "vitamin c", `"vitamin" AND "c"`, []string{"vitamin", "c"}},
	{"no prefix for two letters", "Xi", `"Xi"`, []string{"xi"}},
	{"prefix from three letters", "Xin", `"Xin"*`, []string{"xin"}},
	{"prefix counts runes", "北京大", `"北京大"*`, []string{"北京大"}},
	{"trailing punctuation ends the word", "exam.", `"exam"`, []string{"exam"}},
	{"phrase", `"wang hansong" visit`, `"wang hansong" AND "visit"*`, []string{"wang hansong", "visit"}},
	{"phrase last gets no star", `visit "Wang Hansong"`, `"visit" AND "Wang Hansong"`, []string{"visit", "wang hansong"}},
	{"punctuation inside a phrase", `"wang, hansong!"`, `"wang hansong"`, []string{"wang hansong"}},
	{"unbalanced quote runs to the end", `"wang hans`, `"wang hans"`, []string{"wang hans"}},
	{"lone quote", `"`, "", nil},
	{"empty quotes", `"""" ""`, "", nil},
	{"NOT with minus", "exam -cancelled", `"exam" NOT "cancelled"`, []string{"exam"}},
	{"NOT phrase", `exam -"final exam" `, `"exam" NOT "final exam"`, []string{"exam"}},
	{"NOT keyword", "exam NOT cancelled", `"exam" NOT "cancelled"`, []string{"exam"}},
	{"several NOTs after a group", "a OR b -c -d", `("a" OR "b") NOT "c" NOT "d"`, []string{"a", "b"}},
	{"NOT after two words", "exam paper -cancelled", `("exam" AND "paper") NOT "cancelled"`, []string{"exam", "paper"}},
	{"only negative", "-exam", "", nil},
	{"only negative phrase", `-"final exam"`, "", nil},
	{"hyphen inside a word is no NOT", "well-known", `"well" AND "known"*`, []string{"well", "known"}},
	{"lone minus", "a - b", `"a" AND "b"`, []string{"a", "b"}},
	{"double minus", "--exam", "", nil},
	{"OR", "library OR museum", `("library" OR "museum"*)`, []string{"library", "museum"}},
	{"OR then AND", "a OR b c", `("a" OR "b") AND "c"`, []string{"a", "b", "c"}},
	{"OR chain", "a OR b OR c ", `("a" OR "b" OR "c")`, []string{"a", "b", "c"}},
	{"lower-case or is a word", "library or museum", `"library" AND "or" AND "museum"*`, []string{"library", "or", "museum"}},
	{"leading OR", "OR abc", `"abc"*`, []string{"abc"}},
	{"trailing OR", "a OR", `"a"`, []string{"a"}},
	{"OR before NOT", "a OR -b", `"a" NOT "b"`, []string{"a"}},
	{"only operators", "OR AND NOT", "", nil},
	{"trailing AND", "a AND", `"a"`, []string{"a"}},
	{"AND between words", "a AND b", `"a" AND "b"`, []string{"a", "b"}},
	{"star", "*", "", nil},
	{"negated word with star", "a -b*", `"a" NOT "b"`, []string{"a"}},
	{"caret", "^", "", nil},
	{"colon", ":", "", nil},
	{"column filter", "title:x", `"title" AND "x"`, []string{"title", "x"}},
	{"column set", "{title body}: x", `"title" AND "body" AND "x"`, []string{"title", "body", "x"}},
	{"NEAR group", "NEAR(a b)", `"NEAR" AND "a" AND "b"`, []string{"near", "a", "b"}},
	{"open NEAR", "NEAR(", `"NEAR"`, []string{"near"}},
	{"explicit prefix star", "xin* exam", `"xin"* AND "exam"*`, []string{"xin", "exam"}},
	{"initial token", "^wang", `"wang"*`, []string{"wang"}},
	{"SQL", "'; DROP TABLE articles_fts; --", `"DROP" AND "TABLE" AND "articles" AND "fts"`, []string{"drop", "table", "articles", "fts"}},
	{"unicode", "Ünïcödé 北京 2024", `"Ünïcödé" AND "北京" AND "2024"*`, []string{"ünïcödé", "北京", "2024"}},
	{"invalid UTF-8", "caf\xff\xfeé", `"caf" AND "é"`, []string{"caf", "é"}},
	{"NUL", "a\x00b", `"a" AND "b"`, []string{"a", "b"}},
	{"marker characters", "\uE000wang\uE001", `"wang"`, []string{"wang"}},
	{"word of 64 runes kept", strings.Repeat("x", 64), `"` + strings.Repeat("x", 64) + `"*`, []string{strings.Repeat("x", 64)}},
	{"word of 65 runes dropped", strings.Repeat("x", 65), "", nil},
	{"long word dropped, rest kept", "exam " + strings.Repeat("é", 65), `"exam"`, []string{"exam"}},
	{
		"at most 12 terms", "a b c d e f g h i j k l m n o",
		`"a" AND "b" AND "c" AND "d" AND "e" AND "f" AND "g" AND "h" AND "i" AND "j" AND "k" AND "l"`,
		[]string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"},
	},
	{"2000 characters of syntax junk", strings.Repeat(`*^:()"-+{},.'`, 154), "", nil},
	{"2000 characters of quotes", strings.Repeat(`"`, 2000), "", nil},
}

func TestParse(t *testing.T) {
	for _, tc := range parseCases {
		t.Run(tc.name, func(t *testing.T) {
			q := Parse(tc.input)
			if q.Match != tc.match {
				t.Errorf("Parse(%q).Match = %s, want %s", tc.input, q.Match, tc.match)
			}
			if !slices.Equal(q.Terms, tc.terms) {
				t.Errorf("Parse(%q).Terms = %q, want %q", tc.input, q.Terms, tc.terms)
			}
		})
	}
}

func TestParseTruncatesInput(t *testing.T) {
	// Only the first 256 runes count: the word after them is never seen.
	input := strings.Repeat("é", 64) + strings.Repeat(" ", 192) + "visible invisible"
	if n := utf8.RuneCountInString(input); n <= MaxInputRunes {
		t.Fatalf("test input has %d runes, want more than %d", n, MaxInputRunes)
	}
	q := Parse(input)
	if want := `"` + strings.Repeat("é", 64) + `"`; q.Match != want {
		t.Errorf("Match = %s, want %s", q.Match, want)
	}
}

func TestParseLongWordsCapped(t *testing.T) {
	q := Parse(strings.Repeat("word ", 400))
	if got := len(q.Terms); got != MaxTerms {
		t.Errorf("len(Terms) = %d, want %d", got, MaxTerms)
	}
}

// Parse reports what its limits leave out, so a page can say the query was shortened, and
// Text shows what was searched instead.
func TestParseReportsWhatLimitsLeaveOut(t *testing.T) {
	long := strings.Repeat("x", 100)
	for _, tc := range []struct {
		name, input, text string
		cut               bool
		long, extra       int
	}{
		{"nothing left out", `"Wang Hansong" visit -exam a OR b`, `"Wang Hansong" visit -exam a OR b`, false, 0, 0},
		{"NOT keyword as a minus", "exam NOT cancelled", "exam -cancelled", false, 0, 0},
		{"syntax that only separates", "title:x NEAR(a b)", "title x NEAR a b", false, 0, 0},
		{"thirteenth word", "the a of and in to for at on with by from zzzqqq",
			"the a of and in to for at on with by from", false, 0, 1},
		{"exclusions count too", "a b c d e f g h i j k -l -m", "a b c d e f g h i j k -l", false, 0, 1},
		{"only a long word", long, "", false, 1, 0},
		{"long word dropped, rest kept", "exam " + long, "exam", false, 1, 0},
		{"long word in a phrase", `"final ` + long + ` exam"`, `"final exam"`, false, 1, 0},
		{"long excluded word", "exam -" + long, "exam", false, 1, 0},
		{"cut between words", "exam" + strings.Repeat(" ", 252) + "later", "exam", true, 0, 0},
		{"a word cut in two is left out", "exam" + strings.Repeat(" ", 250) + "abcdefghij", "exam", true, 0, 0},
		{"only a cut word", strings.Repeat(" ", 250) + "abcdefghij", "", true, 0, 0},
		{"the only positive word is the thirteenth", strings.Repeat("-x ", 12) + "visible", "", false, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := Parse(tc.input)
			if q.Text != tc.text || q.Cut != tc.cut || q.LongWords != tc.long || q.ExtraTerms != tc.extra {
				t.Errorf("Parse(%.40q): Text %q Cut %v LongWords %d ExtraTerms %d, want %q %v %d %d",
					tc.input, q.Text, q.Cut, q.LongWords, q.ExtraTerms, tc.text, tc.cut, tc.long, tc.extra)
			}
			if want := tc.cut || tc.long > 0 || tc.extra > 0; q.Shortened() != want {
				t.Errorf("Shortened() = %v, want %v", q.Shortened(), want)
			}
		})
	}
}

// The prefix and OR limits: what they keep, and what they report.
func TestParseBoundsPrefixesAndOr(t *testing.T) {
	for _, tc := range []struct {
		name, input, match, text string
		extraOr, whole           int
	}{
		{"one short prefix", "con*", `"con"*`, "con", 0, 0},
		{"a second prefix needs four letters", "con* pro*", `"con"* AND "pro"`, "con pro", 0, 1},
		{"a long second prefix", "con* prof*", `"con"* AND "prof"*`, "con prof", 0, 0},
		{"two long prefixes", "conf* prof*", `"conf"* AND "prof"*`, "conf prof", 0, 0},
		{"at most two prefixes", "conf* prof* stud*", `"conf"* AND "prof"* AND "stud"`, "conf prof stud", 0, 1},
		{"the last word counts as a prefix", "conf* prof* stud", `"conf"* AND "prof"* AND "stud"`, "conf prof stud", 0, 0},
		{"OR needs four letters", "con* OR prof*", `("con" OR "prof"*)`, "con OR prof", 0, 1},
		{"typed prefix after OR", "cat OR dog", `("cat" OR "dog")`, "cat OR dog", 0, 0},
		{"four ORed words", "a OR b OR c OR d", `("a" OR "b" OR "c" OR "d")`, "a OR b OR c OR d", 0, 0},
		{"the fifth ORed word is left out", "a OR b OR c OR d OR e ", `("a" OR "b" OR "c" OR "d")`, "a OR b OR c OR d", 1, 0},
		{"ORs count in all", "a OR b c OR d e OR f ", `("a" OR "b") AND ("c" OR "d") AND "e"`, "a OR b c OR d e", 1, 0},
		{"twelve ORed prefixes", "con* OR pro* OR res* OR stu* OR sci* OR uni* OR pre* OR com* OR dev* OR int* OR exp* OR sta*",
			`("con" OR "pro" OR "res" OR "stu")`, "con OR pro OR res OR stu", 8, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := Parse(tc.input)
			if q.Match != tc.match || q.Text != tc.text || q.ExtraOrTerms != tc.extraOr || q.WholeWords != tc.whole {
				t.Errorf("Parse(%q) = %s %q ExtraOrTerms %d WholeWords %d, want %s %q %d %d", tc.input,
					q.Match, q.Text, q.ExtraOrTerms, q.WholeWords, tc.match, tc.text, tc.extraOr, tc.whole)
			}
			if want := tc.extraOr > 0 || tc.whole > 0; q.Shortened() != want {
				t.Errorf("Shortened() = %v, want %v", q.Shortened(), want)
			}
		})
	}
}

func TestMarkHTML(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain <b> & \"q\"", "plain &lt;b&gt; &amp; &#34;q&#34;"},
		{markOpen + "a" + markClose + " b", "<mark>a</mark> b"},
		{markClose + "a" + markOpen + "b", "a<mark>b</mark>"},
		{markOpen + markOpen + "<a>" + markClose + markClose, "<mark>&lt;a&gt;</mark>"},
	}
	for _, tc := range tests {
		if got := markHTML(tc.in); got != tc.want {
			t.Errorf("markHTML(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TSQuery is Match in PostgreSQL's words, term for term.
func TestParseTSQuery(t *testing.T) {
	for _, tc := range []struct{ input, want string }{
		{"", ""},
		{"-exam", ""},
		{"Xinji", `'Xinji':*`},
		{"Wang Hansong", `'Wang' & 'Hansong':*`},
		{`"wang hansong" visit`, `'wang hansong' & 'visit':*`},
		{`visit "Wang Hansong"`, `'visit' & 'Wang Hansong'`},
		{"exam paper -cancelled", `'exam' & 'paper' & !('cancelled')`},
		{`exam -"final exam" `, `'exam' & !('final exam')`},
		{"a OR b c -d", `('a' | 'b') & 'c' & !('d')`},
		{"conf* prof* stud*", `'conf':* & 'prof':* & 'stud'`},
		{"Ünïcödé 北京 2024", `'Ünïcödé' & '北京' & '2024':*`},
		{"'; DROP TABLE x; --", `'DROP' & 'TABLE' & 'x'`},
	} {
		if got := Parse(tc.input).TSQuery; got != tc.want {
			t.Errorf("Parse(%q).TSQuery = %s, want %s", tc.input, got, tc.want)
		}
	}
	if got, want := tsQuote([]string{`it's`, `a\b`}, true), `'it''s a\\b':*`; got != want {
		t.Errorf("tsQuote = %s, want %s", got, want)
	}
}
