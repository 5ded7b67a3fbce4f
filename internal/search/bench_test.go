package search

import (
	"context"
	"flag"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"
)

// benchDocs sets the size of BenchmarkSearch's index; the target is a median under 5 ms at
// 100,000: go test -tags sqlite_fts5 -run='^$' -bench=Search ./internal/search/ -args -search.docs=100000
var benchDocs = flag.Int("search.docs", 20_000, "documents BenchmarkSearch indexes")

const (
	benchVocab     = 2_000
	benchBodyWords = 200
)

// benchVocabulary returns n distinct made-up words of two to four syllables.
func benchVocabulary(r *rand.Rand, n int) []string {
	consonants := []string{"b", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "z", "ch", "sh", "zh"}
	vowels := []string{"a", "e", "i", "o", "u", "ai", "ao", "ei", "ia", "ou"}
	seen := make(map[string]bool, n)
	words := make([]string, 0, n)
	for len(words) < n {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(consonants[r.IntN(len(consonants))])
			b.WriteString(vowels[r.IntN(len(vowels))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	return words
}

func benchText(r *rand.Rand, vocab []string, n int) string {
	words := make([]string, n)
	for i := range words {
		words[i] = vocab[r.IntN(len(vocab))]
	}
	return strings.Join(words, " ")
}

// benchIndex fills db with docs of random words in one transaction and returns the vocabulary.
func benchIndex(b *testing.B, db *gorm.DB, docs int) []string {
	r := rand.New(rand.NewPCG(1, 2))
	vocab := benchVocabulary(r, benchVocab)
	err := db.Transaction(func(tx *gorm.DB) error {
		for id := range docs {
			d := Doc{
				ID:      int64(id + 1),
				Title:   benchText(r, vocab, 8),
				Summary: benchText(r, vocab, 25),
				Body:    benchText(r, vocab, benchBodyWords),
			}
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
		b.Fatal(err)
	}
	return vocab
}

// BenchmarkSearch measures one page of 10 (count, rank, highlight, snippets) for two-word
// queries over -search.docs documents. Each iteration uses the next of 100 random queries; p50-ns
// and p95-ns report the spread.
func BenchmarkSearch(b *testing.B) {
	db := newTestDB(b)
	vocab := benchIndex(b, db, *benchDocs)
	r := rand.New(rand.NewPCG(3, 4))
	pick := func() string { return vocab[r.IntN(len(vocab))] }
	cases := []struct {
		name   string
		inputs func() string
	}{
		// Finished words: about 1% of the documents match both.
		{"two-words", func() string { return pick() + " " + pick() + " " }},
		// As a form submits them, with no trailing space: the second word is a prefix.
		{"two-words-submitted", func() string { return pick() + " " + pick() }},
		// The second word still being typed: its first three letters, as a prefix.
		{"two-words-typing", func() string { return pick() + " " + string([]rune(pick())[:3]) }},
		// Either word: about 20% of the documents match.
		{"or", func() string { return pick() + " OR " + pick() + " " }},
	}
	ctx := context.Background()
	for _, c := range cases {
		queries := make([]Query, 100)
		for i := range queries {
			queries[i] = Parse(c.inputs())
		}
		b.Run(c.name, func(b *testing.B) {
			var took []time.Duration
			var matched int64
			for i := 0; b.Loop(); i++ {
				start := time.Now()
				res, err := Search(ctx, db, queries[i%len(queries)], nil, 1, 10)
				if err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(start))
				matched += res.Total
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Nanoseconds()), "p50-ns")
			b.ReportMetric(float64(took[len(took)*95/100].Nanoseconds()), "p95-ns")
			b.ReportMetric(float64(matched)/float64(len(took)), "matches/op")
		})
	}
}
