package news

import (
	"context"
	"runtime"
	"strconv"
	"testing"
)

// heapAfterGC is the live heap.
func heapAfterGC() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// A batch holds nothing per statement it runs: an import writes every article of a site in
// one, hundreds of thousands of statements. (GORM's prepared statements were each kept by the
// transaction to its end: 2 KB of Go memory an article here, and
// far more of SQLite's: an import of 20,000 posts took 1.2 GB.)
func TestBatchMemoryDoesNotGrowWithItsStatements(t *testing.T) {
	f := newFixture(t)
	const n = 2000
	var base, end uint64
	err := f.svc.Batch(context.Background(), editor, func(b *Batch) error {
		for i := range n {
			if i == 200 {
				base = heapAfterGC()
			}
			_, err := b.Import(Imported{ArticleInput: ArticleInput{Title: "Article " + strconv.Itoa(i), BodySource: "Text.",
				CategoryID: f.cat.ID, Tags: []string{"one", "two"}}, SlugWithID: true})
			if err != nil {
				return err
			}
		}
		end = heapAfterGC()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	per := (int64(end) - int64(base)) / (n - 200)
	t.Logf("%d bytes an article", per)
	if per > 1000 {
		t.Errorf("the batch holds %d bytes for each article it wrote", per)
	}
}
