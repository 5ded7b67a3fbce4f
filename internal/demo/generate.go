package demo

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"campusnews/internal/news"
)

const (
	// genBatch is how many articles one transaction writes: big enough that commits cost
	// little, small enough that readers are not held up for long.
	genBatch = 5000
	// genSeed with the number of published articles seeds the generator: the same database
	// gives the same articles, and a second run gives different ones.
	genSeed = 0x6e6f72746862 // "northb"
	// genNewsShare of every 20 generated articles go to News when the demo categories exist.
	genNewsShare = 7
	// genSpan is how far back publication dates go.
	genSpan = 8 * 365 * 24 * time.Hour
)

// Generate adds n published articles for load tests, with their search index entries and one
// or two existing tags each (a few tags are created if there are none). If the demo's News
// category exists it gets 35% of them and the other leaf categories share the rest; in a
// site without categories a "Generated" section with 19 categories is created first.
// Text comes from a generator seeded with the number of published articles, so a given
// database always gets the same titles and bodies (dates count back from now).
// Progress lines go to progress (nil for none).
//
// It writes through the news service, genBatch articles a transaction, while another
// goroutine makes the text of the next batch.
func Generate(ctx context.Context, svc *news.Service, n int, progress io.Writer) error {
	if n <= 0 {
		return nil
	}
	if progress == nil {
		progress = io.Discard
	}
	plan, err := planGeneration(ctx, svc)
	if err != nil {
		return err
	}
	start := time.Now()
	step := 10000
	if n < 100000 {
		step = (n + 9) / 10
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []news.Imported, 2)
	go plan.produce(ctx, n, min(genBatch, step), batches)

	done, next := 0, step
	for rows := range batches {
		err := svc.Batch(ctx, Loader, func(b *news.Batch) error {
			for i := range rows {
				if _, err := b.Import(rows[i]); err != nil {
					return fmt.Errorf("demo: generate: %w", err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		done += len(rows)
		if done >= next || done == n {
			fmt.Fprintf(progress, "seeded %d/%d articles (%.1f s)\n", done, n, time.Since(start).Seconds())
			for next <= done {
				next += step
			}
		}
	}
	if done < n {
		return fmt.Errorf("demo: generate: stopped after %d of %d articles: %w", done, n, context.Cause(ctx))
	}
	if err := svc.OptimizeSearch(ctx); err != nil {
		return err
	}
	secs := time.Since(start).Seconds()
	fmt.Fprintf(progress, "seeded %d articles in %.1f s (%.0f articles/s)\n", n, secs, float64(n)/secs)
	return nil
}

// produce makes n rows in batches of size and sends them to out, which it closes at the end
// or when ctx ends.
func (p *genPlan) produce(ctx context.Context, n, size int, out chan<- []news.Imported) {
	defer close(out)
	r := rand.New(rand.NewPCG(genSeed, uint64(p.seed)))
	g := newTextGen(r)
	now := time.Now().UTC().Truncate(time.Second)
	for i := 0; i < n; i += size {
		rows := make([]news.Imported, min(size, n-i))
		for j := range rows {
			p.fill(&rows[j], g, i+j, n, now)
		}
		select {
		case out <- rows:
		case <-ctx.Done():
			return
		}
	}
}

// fill makes row the k-th of n generated articles.
func (p *genPlan) fill(row *news.Imported, g *textGen, k, n int, now time.Time) {
	r := g.r
	switch {
	case p.news != 0 && k%20 < genNewsShare:
		row.CategoryID = p.news
	case len(p.others) > 0:
		row.CategoryID = p.others[r.IntN(len(p.others))]
	default:
		row.CategoryID = p.news
	}
	row.Status, row.SlugWithID = news.Published, true
	row.Title = g.title()
	row.Summary = g.summary()
	var rendered news.Rendered
	row.BodySource, rendered.HTML = g.body()
	// A generated body is plain paragraphs: its text is the source with a space between them.
	rendered.Text = strings.ReplaceAll(row.BodySource, "\n\n", " ")
	row.Rendered = &rendered
	row.Source = genSources[r.IntN(len(genSources))]
	row.Author = genFirst[r.IntN(len(genFirst))] + " " + genLast[r.IntN(len(genLast))]
	if r.IntN(10) < 7 {
		row.Photographer = genFirst[r.IntN(len(genFirst))] + " " + genLast[r.IntN(len(genLast))]
	}
	row.Editor = genEditors[r.IntN(len(genEditors))]
	// Dates climb with the ids, as a real archive's do: article k of n falls in the k-th of n
	// equal slices of the span, at a random second inside it. Inserting in date order also
	// puts the listing indexes' new entries at their ends rather than all over them, which
	// measured about a tenth less CPU than random dates.
	span := int64(genSpan / time.Second)
	ago := span - int64(k)*span/int64(n) - r.Int64N(max(span/int64(n), 1))
	published := now.Add(-time.Duration(max(ago, 1)) * time.Second)
	row.PublishedAt = &published
	row.CreatedAt = published.Add(-time.Duration(600+r.Int64N(3*24*3600)) * time.Second)
	row.Views = 5 + int64(r.ExpFloat64()*400)
	first := r.IntN(len(p.tags))
	row.Tags = []string{p.tags[first]}
	if len(p.tags) > 1 && r.IntN(2) == 0 {
		second := first
		for second == first {
			second = r.IntN(len(p.tags))
		}
		row.Tags = append(row.Tags, p.tags[second])
	}
}

var (
	genSources = []string{"Office of Communications", "School of Chemical Engineering", "Faculty of Arts",
		"School of Medicine", "Department of Physics", "University Library", "Students' Union",
		"Northbridge Athletics", "Graduate School", "International Office", "Alumni Relations",
		"Research Office", "School of Business", "School of Law", "Department of Computer Science"}
	genFirst = []string{"Alice", "Ben", "Chloe", "Daniel", "Emma", "Farid", "Grace", "Hannah", "Isaac",
		"Jun", "Katie", "Liam", "Maria", "Nikhil", "Olivia", "Priya", "Rosa", "Samuel", "Tom", "Yara"}
	genLast = []string{"Adams", "Brennan", "Chen", "Dlamini", "Evans", "Fischer", "Garcia", "Hughes",
		"Iqbal", "Jones", "Kowalski", "Li", "Murphy", "Novak", "Okafor", "Patel", "Quinn", "Rossi",
		"Smith", "Walsh"}
	genEditors = []string{"Helen Marsh", "David Okoye", "Sarah Lindqvist", "Mark Feeney"}
)
