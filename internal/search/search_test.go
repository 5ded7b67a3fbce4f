package search

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"campusnews/internal/database"
	"campusnews/internal/database/dbtest"
	"campusnews/internal/database/pgtest"
)

// The tests run on the engine dbtest.Engine names; PostgreSQL's cluster stops when they end.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// newTestDB opens a fresh migrated database of the run's engine.
func newTestDB(tb testing.TB) *gorm.DB {
	tb.Helper()
	return dbtest.Open(tb, dbtest.Engine())
}

// addArticle adds, with tx, a bare article with id unless there is one: PostgreSQL's index
// refers to its article (SQLite's FTS5 table holds whatever it is given).
func addArticle(tx *gorm.DB, id int64) error {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := tx.Exec("INSERT INTO categories (id, name, slug, created_at, updated_at) VALUES (1, 'Test', 'test', ?, ?) "+
		"ON CONFLICT DO NOTHING", now, now).Error; err != nil {
		return err
	}
	return tx.Exec("INSERT INTO articles (id, category_id, title, slug, created_at, updated_at) VALUES (?, 1, '', ?, ?, ?) "+
		"ON CONFLICT DO NOTHING", id, fmt.Sprintf("a%d", id), now, now).Error
}

// mustIndex indexes docs in one transaction.
func mustIndex(tb testing.TB, db *gorm.DB, docs ...Doc) {
	tb.Helper()
	err := db.Transaction(func(tx *gorm.DB) error {
		for _, d := range docs {
			if err := addArticle(tx, d.ID); err != nil {
				return err
			}
			if err := Index(tx, d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// mustSearch parses input and returns the first page of 10.
func mustSearch(tb testing.TB, db *gorm.DB, input string) *Results {
	tb.Helper()
	res, err := Search(context.Background(), db, Parse(input), nil, 1, 10)
	if err != nil {
		tb.Fatalf("Search(%q): %v", input, err)
	}
	return res
}

func hitIDs(hits []Hit) []int64 {
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	return ids
}

// The fixture: 1 matches "xinjiang" in its title, 3 only in its body (three times).
var fixtureDocs = []Doc{
	{ID: 1, Title: "Wang Hansong visited alumni in Xinjiang", Summary: "A visit to graduates in the west.",
		Body: "The vice president met graduates working in Urumqi and thanked them for their support."},
	{ID: 2, Title: `Phishing alert: <script>alert(1)</script> & "quotes"`, Summary: "Be careful with mail.",
		Body: `Messages containing <script>alert(1)</script> & "quotes" pretend to come from the exam office.`},
	{ID: 3, Title: "Library opening hours", Summary: "The library is open late.",
		Body: "Books about Xinjiang, maps of Xinjiang and a Xinjiang photo exhibition are on the second floor."},
	{ID: 4, Title: "Final exam schedule", Summary: "Dates for the spring exam.",
		Body: "The exam in physics is cancelled and moves to June."},
	{ID: 5, Title: "Forged markers", Summary: "",
		Body: "A body with \uE000fake\uE001 highlight markers and a stray \uE001 close."},
}

func TestSearchRanksTitleAboveBody(t *testing.T) {
	db := newTestDB(t)
	mustIndex(t, db, fixtureDocs...)
	res := mustSearch(t, db, "xinjiang ")
	if got, want := hitIDs(res.Hits), []int64{1, 3}; !slices.Equal(got, want) {
		t.Fatalf("hits = %v, want %v (title match first)", got, want)
	}
	if res.Total != 2 {
		t.Errorf("Total = %d, want 2", res.Total)
	}
	if want := "Wang Hansong visited alumni in <mark>Xinjiang</mark>"; res.Hits[0].Title != want {
		t.Errorf("Title = %q, want %q", res.Hits[0].Title, want)
	}
	if !strings.Contains(res.Hits[1].Snippet, "<mark>Xinjiang</mark>") {
		t.Errorf("Snippet = %q, want a <mark>ed Xinjiang", res.Hits[1].Snippet)
	}
}

func TestSearchPrefix(t *testing.T) {
	db := newTestDB(t)
	mustIndex(t, db, fixtureDocs...)
	res := mustSearch(t, db, "wang xinji")
	if got, want := hitIDs(res.Hits), []int64{1}; !slices.Equal(got, want) {
		t.Fatalf("hits = %v, want %v", got, want)
	}
	if want := "<mark>Wang</mark> Hansong visited alumni in <mark>Xinjiang</mark>"; res.Hits[0].Title != want {
		t.Errorf("Title = %q, want %q", res.Hits[0].Title, want)
	}
	if got := mustSearch(t, db, "xinji ").Total; got != 0 {
		t.Errorf(`"xinji " (finished word) found %d, want 0`, got)
	}
}

func TestSearchEscapesHTML(t *testing.T) {
	db := newTestDB(t)
	mustIndex(t, db, fixtureDocs...)
	res := mustSearch(t, db, "alert")
	if len(res.Hits) != 1 || res.Hits[0].ID != 2 {
		t.Fatalf("hits = %v, want [2]", hitIDs(res.Hits))
	}
	h := res.Hits[0]
	wantTitle := "Phishing <mark>alert</mark>: &lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt; &amp; &#34;quotes&#34;"
	if h.Title != wantTitle {
		t.Errorf("Title = %q\nwant    %q", h.Title, wantTitle)
	}
	if !strings.Contains(h.Snippet, "&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt; &amp; &#34;quotes&#34;") {
		t.Errorf("Snippet = %q, want the escaped script with alert marked", h.Snippet)
	}
	for _, s := range []string{h.Title, h.Snippet} {
		rest := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(s)
		if strings.ContainsAny(rest, `<>"`) {
			t.Errorf("%q has unescaped markup besides <mark>", s)
		}
	}
}

func TestSearchCannotForgeMarks(t *testing.T) {
	db := newTestDB(t)
	mustIndex(t, db, fixtureDocs...)
	res := mustSearch(t, db, "highlight ")
	if len(res.Hits) != 1 || res.Hits[0].ID != 5 {
		t.Fatalf("hits = %v, want [5]", hitIDs(res.Hits))
	}
	want := "A body with fake <mark>highlight</mark> markers and a stray  close."
	if got := res.Hits[0].Snippet; got != want {
		t.Errorf("Snippet = %q, want %q", got, want)
	}
}

func TestSearchSnippetFallsBackToSummary(t *testing.T) {
	db := newTestDB(t)
	mustIndex(t, db, fixtureDocs...)
	res := mustSearch(t, db, "spring ")
	if len(res.Hits) != 1 || res.Hits[0].ID != 4 {
		t.Fatalf("hits = %v, want [4]", hitIDs(res.Hits))
	}
	if want := "Dates for the <mark>spring</mark> exam."; res.Hits[0].Snippet != want {
		t.Errorf("Snippet = %q, want %q", res.Hits[0].Snippet, want)
	}
}

func TestSearchNotAndOr(t *testing.T) {
	db := newTestDB(t)
	mustIndex(t, db, fixtureDocs...)
	tests := []struct {
		input string
		want  []int64
	}{
		{"exam ", []int64{4, 2}},
		{"exam -cancelled", []int64{2}},
		{"exam NOT physics", []int64{2}},
		{`-"exam office" exam `, []int64{4}},
		{"library OR phishing ", []int64{3, 2}},
		{`"maps of xinjiang"`, []int64{3}},
		{`"maps xinjiang"`, nil},
	}
	for _, tc := range tests {
		got := hitIDs(mustSearch(t, db, tc.input).Hits)
		slices.Sort(got)
		want := slices.Sorted(slices.Values(tc.want))
		if !slices.Equal(got, want) {
			t.Errorf("%q: hits = %v, want %v", tc.input, got, want)
		}
	}
}

func TestSearchPagination(t *testing.T) {
	db := newTestDB(t)
	docs := make([]Doc, 25)
	for i := range docs {
		docs[i] = Doc{ID: int64(i + 1), Title: fmt.Sprintf("Seminar %d", i+1), Body: "A seminar for students."}
	}
	mustIndex(t, db, docs...)
	ctx := context.Background()
	q := Parse("seminar")
	seen := map[int64]bool{}
	for page, wantHits := range map[int]int{1: 10, 2: 10, 3: 5, 4: 0, 1000: 0} {
		res, err := Search(ctx, db, q, nil, page, 10)
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 25 || res.Page != page || res.PerPage != 10 || res.Pages() != 3 {
			t.Errorf("page %d: Total, Page, PerPage, Pages = %d, %d, %d, %d; want 25, %d, 10, 3",
				page, res.Total, res.Page, res.PerPage, res.Pages(), page)
		}
		if len(res.Hits) != wantHits {
			t.Errorf("page %d: %d hits, want %d", page, len(res.Hits), wantHits)
		}
		for _, h := range res.Hits {
			if seen[h.ID] {
				t.Errorf("page %d: id %d already seen on another page", page, h.ID)
			}
			seen[h.ID] = true
		}
	}
	if len(seen) != 25 {
		t.Errorf("pages together hold %d ids, want 25", len(seen))
	}

	res, err := Search(ctx, db, q, nil, -3, 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Page != 1 || res.PerPage != DefaultPerPage || len(res.Hits) != DefaultPerPage {
		t.Errorf("page -3, perPage 0: Page %d, PerPage %d, %d hits; want 1, %d, %d",
			res.Page, res.PerPage, len(res.Hits), DefaultPerPage, DefaultPerPage)
	}
	res, err = Search(ctx, db, q, nil, 1, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	if res.PerPage != MaxPerPage || len(res.Hits) != 25 {
		t.Errorf("perPage 1e6: PerPage %d, %d hits; want %d, 25", res.PerPage, len(res.Hits), MaxPerPage)
	}
}

func TestSearchEmptyQueryAsksNothing(t *testing.T) {
	// A nil database proves no query runs.
	res, err := Search(context.Background(), nil, Parse(`-"only" NOT excluded *`), nil, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 0 || len(res.Hits) != 0 || res.Page != 1 {
		t.Errorf("results = %+v, want empty page 1", res)
	}
}

func TestSearchWrapsSQLiteErrors(t *testing.T) {
	db := newTestDB(t)
	mustIndex(t, db, fixtureDocs...)
	_, err := Search(context.Background(), db, Query{Match: "NEAR(", TSQuery: "!("}, nil, 1, 10)
	if err == nil || !strings.HasPrefix(err.Error(), "search: query: ") {
		t.Fatalf("err = %v, want one starting with %q", err, "search: query: ")
	}
}

func TestIndexReplacesAndRemove(t *testing.T) {
	db := newTestDB(t)
	mustIndex(t, db, fixtureDocs...)
	mustIndex(t, db, Doc{ID: 4, Title: "Final exam schedule", Body: "Now in the great hall."})
	if got := mustSearch(t, db, "physics ").Total; got != 0 {
		t.Errorf("old text still found after re-indexing: Total %d", got)
	}
	if got := hitIDs(mustSearch(t, db, "great hall").Hits); !slices.Equal(got, []int64{4}) {
		t.Errorf("new text: hits %v, want [4]", got)
	}
	if err := Remove(db, 4); err != nil {
		t.Fatal(err)
	}
	if got := mustSearch(t, db, "great hall").Total; got != 0 {
		t.Errorf("found after Remove: Total %d", got)
	}
}

func FuzzParse(f *testing.F) {
	for _, tc := range parseCases {
		f.Add(tc.input)
	}
	for _, s := range []string{`a"b`, `"a" OR`, "NOT", "a NOT", `-"`, "-", "\u0301", "a \u0301", "\u0301x", "x\u0301*"} {
		f.Add(s)
	}
	db := newTestDB(f)
	mustIndex(f, db, fixtureDocs...)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, input string) {
		q := Parse(input)
		if len(q.Terms) > MaxTerms {
			t.Errorf("Parse(%q) has %d terms", input, len(q.Terms))
		}
		if (q.Match == "") != (len(q.Terms) == 0) || (q.Match == "") != (q.Text == "") || (q.Match == "") != (q.TSQuery == "") {
			t.Errorf("Parse(%q) = %+v: Match, Terms and Text disagree on emptiness", input, q)
		}
		if q.Cut != (utf8.RuneCountInString(input) > MaxInputRunes) {
			t.Errorf("Parse(%q).Cut = %v for %d runes", input, q.Cut, utf8.RuneCountInString(input))
		}
		res, err := Search(ctx, db, q, nil, 1, 10)
		if err != nil {
			t.Fatalf("Parse(%q).Match = %s: %v", input, q.Match, err)
		}
		for _, h := range res.Hits {
			for _, s := range []string{h.Title, h.Snippet} {
				rest := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(s)
				if strings.ContainsAny(rest, "<>\uE000\uE001") {
					t.Errorf("Parse(%q): unsafe hit HTML %q", input, s)
				}
			}
		}
	})
}

// A search leaves out, in its count and its hits, the entries whose category is hidden, by the
// category the index keeps; moving a category's articles moves their entries with them.
func TestHiddenCategoriesLeftOut(t *testing.T) {
	db := newTestDB(t)
	mustIndex(t, db,
		Doc{ID: 1, CategoryID: 10, Title: "Harbour survey"},
		Doc{ID: 2, CategoryID: 20, Title: "Harbour festival"},
		Doc{ID: 3, CategoryID: 20, Title: "Harbour walk"})
	search := func(hidden ...int64) []int64 {
		t.Helper()
		res, err := Search(context.Background(), db, Parse("harbour"), hidden, 1, 10)
		if err != nil {
			t.Fatal(err)
		}
		if int(res.Total) != len(res.Hits) {
			t.Errorf("hidden %v: total %d for %d hits", hidden, res.Total, len(res.Hits))
		}
		ids := hitIDs(res.Hits)
		slices.Sort(ids)
		return ids
	}
	if got := search(20); !slices.Equal(got, []int64{1}) {
		t.Errorf("category 20 hidden: %v, want [1]", got)
	}
	if err := db.Transaction(func(tx *gorm.DB) error { return MoveCategory(tx, 20, 10) }); err != nil {
		t.Fatal(err)
	}
	if got := search(20); !slices.Equal(got, []int64{1, 2, 3}) {
		t.Errorf("after moving 20 into 10, category 20 hidden: %v, want all", got)
	}
	if got := search(10); len(got) != 0 {
		t.Errorf("category 10 hidden: %v, want none", got)
	}
}

// A query matching more than RankWindow articles ranks only the most recently added
// RankWindow of them, and says so, so that its cost stays that of RankWindow matches.
func TestRankWindow(t *testing.T) {
	db := newTestDB(t)
	docs := make([]Doc, 0, RankWindow+100)
	for id := int64(1); id <= RankWindow+100; id++ {
		d := Doc{ID: id, Title: "Report", Body: "harbour"}
		switch id {
		case 5, 100:
			d.Title = "Harbour harbour harbour" // the best matches, but the oldest outside the window
		case 101:
			d.Title = "Harbour harbour" // the best in the window, and its oldest
		}
		docs = append(docs, d)
	}
	mustIndex(t, db, docs...)
	res := mustSearch(t, db, "harbour")
	if !res.More || res.Total != RankWindow {
		t.Fatalf("more %v, total %d; want true, %d", res.More, res.Total, RankWindow)
	}
	if len(res.Hits) == 0 || res.Hits[0].ID != 101 {
		t.Errorf("hits %v; want the oldest match in the window, 101, first", hitIDs(res.Hits))
	}
	for _, h := range res.Hits {
		if h.ID <= 100 {
			t.Errorf("hit %d is older than the newest %d matches", h.ID, RankWindow)
		}
	}
	if res := mustSearch(t, db, "harbour harbour harbour report"); res.More != true {
		t.Errorf("a query still matching every document: more %v", res.More)
	}
	few := mustSearch(t, db, "harbour -report") // the three retitled
	if ids := hitIDs(few.Hits); few.More || few.Total != 3 || !slices.Equal(slices.Sorted(slices.Values(ids)), []int64{5, 100, 101}) {
		t.Errorf("a query matching three: more %v, total %d, hits %v", few.More, few.Total, hitIDs(few.Hits))
	}
}

// The word still being typed matches as the beginning of words only while no article has it as
// a whole word: "researc" finds researchers, "research" finds research.
func TestTypedWordWholeOnceIndexed(t *testing.T) {
	db := newTestDB(t)
	mustIndex(t, db,
		Doc{ID: 1, Title: "Research day"},
		Doc{ID: 2, Title: "Researchers meet"},
		Doc{ID: 3, Title: "Xinjiang visit"})
	for in, want := range map[string][]int64{
		"researc":   {1, 2},
		"research":  {1},
		"research*": {1, 2}, // a star asks for the prefix
		"xinji":     {3},
	} {
		got := hitIDs(mustSearch(t, db, in).Hits)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%q: %v, want %v", in, got, want)
		}
	}
}

// The query language finds the same articles on either engine: case and accents ignored,
// prefixes, phrases, OR and exclusions, words joined by hyphens, numbers.
func TestSearchQueryLanguage(t *testing.T) {
	db := newTestDB(t)
	mustIndex(t, db, append(fixtureDocs, Doc{ID: 6, Title: "Zürich exchange",
		Body: "Students from Zürich and São Paulo visit the well-known lab in 2024."})...)
	for _, tc := range []struct {
		input string
		want  []int64
	}{
		{"zurich ", []int64{6}},
		{"ZÜRICH ", []int64{6}},
		{"zür", []int64{6}},
		{"sao paulo", []int64{6}},
		{"well-known", []int64{6}},
		{`"well known"`, []int64{6}},
		{`"known well"`, nil},
		{"2024 ", []int64{6}},
		{"visit", []int64{1, 6}},
		{"visit ", []int64{1, 6}},
		{"visit -zurich", []int64{1}},
		{"graduates OR students ", []int64{1, 6}},
		{`"maps of xinjiang" OR zurich `, []int64{3, 6}},
		{"xinjiang library ", []int64{3}},
		{"xinjiang -library ", []int64{1}},
		{"nothingmatches", nil},
	} {
		got := hitIDs(mustSearch(t, db, tc.input).Hits)
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q: hits %v, want %v", tc.input, got, tc.want)
		}
	}
}

// Optimize leaves SQLite's index in one segment, where each load's transaction added one, and
// every search finds what it found before.
func TestOptimizeMergesSegments(t *testing.T) {
	db := newTestDB(t)
	for id := int64(1); id <= 40; id++ {
		mustIndex(t, db, Doc{ID: id, Title: fmt.Sprintf("Harbour report %d", id), Body: "harbour"})
	}
	segments := func() int {
		var n int
		if err := db.Raw("SELECT count(DISTINCT segid) FROM articles_fts_idx").Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	isSQLite := database.Engine(db) == database.SQLite
	before := mustSearch(t, db, "harbour report")
	if isSQLite && segments() < 2 {
		t.Fatalf("40 transactions left %d segments", segments())
	}
	if err := Optimize(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	if isSQLite && segments() != 1 {
		t.Errorf("optimized index has %d segments", segments())
	}
	after := mustSearch(t, db, "harbour report")
	if after.Total != 40 || !slices.Equal(hitIDs(after.Hits), hitIDs(before.Hits)) {
		t.Errorf("after optimize: total %d, hits %v; before: %d, %v", after.Total, hitIDs(after.Hits), before.Total, hitIDs(before.Hits))
	}
}
