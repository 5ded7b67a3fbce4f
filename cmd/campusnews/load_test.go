package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// loadDuration is how long TestLoadWithWriters runs: CAMPUSNEWS_LOAD_DURATION when set,
// else 5 s with -short and 30 s without.
func loadDuration(t *testing.T) time.Duration {
	t.Helper()
	if v := os.Getenv("CAMPUSNEWS_LOAD_DURATION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			t.Fatalf("CAMPUSNEWS_LOAD_DURATION=%q: want a duration such as 30s", v)
		}
		return d
	}
	if testing.Short() {
		return 5 * time.Second
	}
	return 30 * time.Second
}

// latencies collects request durations and failures from many goroutines.
type latencies struct {
	mu    sync.Mutex
	took  []time.Duration
	fails []string
	// refused counts searches answered 503 because they ran past the search budget: what a
	// search gets when the machine is overloaded, by design (internal/search).
	refused int
}

func (l *latencies) add(d time.Duration, fail string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.took = append(l.took, d)
	if fail != "" {
		l.fails = append(l.fails, fail)
	}
}

// summary is count, p50, p99 and max.
func (l *latencies) summary() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.took) == 0 {
		return "none"
	}
	s := slices.Clone(l.took)
	slices.Sort(s)
	q := func(p float64) time.Duration { return s[min(len(s)-1, int(float64(len(s))*p))] }
	return fmt.Sprintf("%d, p50 %s, p99 %s, max %s", len(s), q(0.50).Round(time.Microsecond),
		q(0.99).Round(time.Microsecond), s[len(s)-1].Round(time.Microsecond))
}

var sectionLink = regexp.MustCompile(`href="(/[a-z0-9-]+(?:/[a-z0-9-]+)?)"`)

// readerURLs is what the readers ask for: the home page, listings, articles, searches, feeds,
// topics and the archive, each checked to answer 200 before the load starts.
func readerURLs(t *testing.T, base string, cat category) []string {
	t.Helper()
	urls := []string{"/", cat.Path, cat.Path + "?page=2", "/search?q=campus", "/search?q=test+save", "/search?q=load*",
		"/feed.atom", cat.Path + "/feed.atom", "/tags", "/archive", "/sitemap.xml", "/robots.txt"}
	for _, page := range []string{"/", cat.Path} {
		_, body := mustGet(t, base+page)
		for _, m := range articleLink.FindAllStringSubmatch(body, 15) {
			urls = append(urls, m[1])
		}
		for _, m := range sectionLink.FindAllStringSubmatch(body, -1) {
			if !strings.HasPrefix(m[1], "/assets") && !strings.HasPrefix(m[1], "/login") && !slices.Contains(urls, m[1]) {
				urls = append(urls, m[1])
			}
		}
	}
	for _, u := range urls {
		if status, _ := mustGet(t, base+u); status != http.StatusOK {
			t.Fatalf("GET %s: status %d before the load", u, status)
		}
	}
	return urls
}

func mustGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// read is one reader: it walks urls from offset until ctx ends.
func read(ctx context.Context, c *http.Client, base string, urls []string, offset int, l *latencies) {
	for i := offset; ctx.Err() == nil; i++ {
		u := urls[i%len(urls)]
		start := time.Now()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+u, nil)
		resp, err := c.Do(req)
		if err != nil {
			if ctx.Err() == nil {
				l.add(time.Since(start), fmt.Sprintf("GET %s: %v", u, err))
			}
			return
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		fail := ""
		switch {
		case err != nil && ctx.Err() != nil:
			return
		case err != nil:
			fail = fmt.Sprintf("GET %s: reading the body: %v", u, err)
		case resp.StatusCode == http.StatusServiceUnavailable && strings.HasPrefix(u, "/search"):
			l.mu.Lock()
			l.refused++
			l.mu.Unlock()
		case resp.StatusCode != http.StatusOK:
			fail = fmt.Sprintf("GET %s: status %d", u, resp.StatusCode)
		}
		l.add(time.Since(start), fail)
	}
}

// write is one staff member: each round writes an article and then saves it again under a
// new title. Editors publish and then edit the live article; writers save a draft and then
// submit it for review.
func write(ctx context.Context, cl *staffClient, cat int64, name string, editor bool, acks *ackLog, l *latencies) {
	first, second := "save", "submit"
	if editor {
		first, second = "publish", "save"
	}
	for i := 0; ctx.Err() == nil; i++ {
		title := fmt.Sprintf("Test save load %s n%d", name, i)
		for step, action := range []string{first, second} {
			id := int64(0)
			if step == 1 {
				id = acks.lastOf(name)
				title += " (edited)"
			}
			start := time.Now()
			got, err := cl.saveArticle(id, cat, title, action)
			if got > 0 {
				acks.add(saved{id: got, title: title, published: action == "publish"})
				acks.setLast(name, got)
			}
			if err != nil {
				if ctx.Err() == nil {
					l.add(time.Since(start), fmt.Sprintf("%s: %v", name, err))
				}
				return
			}
			l.add(time.Since(start), "")
		}
	}
}

// Fifty readers and five staff members saving at once for loadDuration: no answer is a server
// error, the log never says "database is locked", every acknowledged save is in the database
// afterwards, and the server shuts down cleanly.
func TestLoadWithWriters(t *testing.T) {
	staff := []string{"editor1@example.edu", "editor2@example.edu", "editor3@example.edu",
		"writer1@example.edu", "writer2@example.edu"}
	dir := seededData(t, staff...)
	runCmd(t, "", "seed", "--articles", "2000", "--data", dir)
	cat := firstCategory(t, dir)
	srv := startServer(t, dir)
	urls := readerURLs(t, srv.base, cat)
	clients := make([]*staffClient, len(staff))
	for i, e := range staff {
		var err error
		if clients[i], err = newStaffClient(srv.base, e); err != nil {
			t.Fatal(err)
		}
	}

	d := loadDuration(t)
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	readers := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConns: 100, MaxIdleConnsPerHost: 100},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var reads, saves latencies
	acks := newAckLog()
	var wg sync.WaitGroup
	for r := range 50 {
		wg.Add(1)
		go func() { defer wg.Done(); read(ctx, readers, srv.base, urls, r*7, &reads) }()
	}
	for i, cl := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			write(ctx, cl, cat.ID, strings.Split(staff[i], "@")[0], strings.HasPrefix(staff[i], "editor"), acks, &saves)
		}()
	}
	wg.Wait()

	for _, l := range []*latencies{&reads, &saves} {
		for i, f := range l.fails {
			if i == 10 {
				t.Errorf("… and %d more failures", len(l.fails)-10)
				break
			}
			t.Error(f)
		}
	}
	log := srv.log()
	if strings.Contains(log, "database is locked") || strings.Contains(log, "SQLITE_BUSY") {
		t.Error("the server log reports a locked database")
	}
	// A search past its budget is a 503 by design; more than one in a hundred reads is not.
	if reads.refused*100 > len(reads.took) {
		t.Errorf("%d of %d reads were searches refused past their budget", reads.refused, len(reads.took))
	}
	log = regexp.MustCompile(`(?m)^.*path=/search status=503.*$`).ReplaceAllString(log, "")
	if m := regexp.MustCompile(`(?m)^.*(status=5\d\d|level=ERROR).*$`).FindAllString(log, 5); m != nil {
		t.Errorf("the server log has errors:\n%s", strings.Join(m, "\n"))
	}
	if code := srv.stop(); code != 0 {
		t.Errorf("SIGTERM after the load: exit code %d", code)
	}
	all := acks.snapshot()
	checkDatabase(t, dir+"/campusnews.db", all)
	if acks.count() == 0 || len(reads.took) == 0 {
		t.Fatal("no work was done")
	}
	t.Logf("%s with 50 readers and %d staff: reads %s (%.0f/s); saves %s (%.1f/s), %d articles",
		d, len(staff), reads.summary(), float64(len(reads.took))/d.Seconds(), saves.summary(),
		float64(acks.count())/d.Seconds(), len(all))
}
