package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"campusnews/internal/database"
)

// saved is a save the server acknowledged.
type saved struct {
	id        int64
	title     string
	published bool
}

// ackLog collects acknowledged saves from many goroutines; a later save of the same article
// replaces the earlier one.
type ackLog struct {
	mu    sync.Mutex
	saves map[int64]saved
	n     int
	errs  []error
	last  map[string]int64 // each writer's latest article
	cut   int              // requests that lost their connection
}

func (l *ackLog) cutOff() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cut++
}

func newAckLog() *ackLog { return &ackLog{saves: map[int64]saved{}, last: map[string]int64{}} }

func (l *ackLog) setLast(writer string, id int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.last[writer] = id
}

func (l *ackLog) lastOf(writer string) int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.last[writer]
}

func (l *ackLog) add(s saved) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if prev, ok := l.saves[s.id]; ok && prev.published {
		s.published = true // saving a published article keeps it published
	}
	l.saves[s.id] = s
	l.n++
}

func (l *ackLog) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.n
}

func (l *ackLog) snapshot() map[int64]saved {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make(map[int64]saved, len(l.saves))
	for k, v := range l.saves {
		out[k] = v
	}
	return out
}

// checkDatabase opens the database at path and checks that it is intact, that every
// acknowledged save is in it with its title (published ones published and searchable), and
// that no article was half written: each has a revision, and the search index holds exactly
// the published articles.
func checkDatabase(t *testing.T, path string, acks map[int64]saved) {
	t.Helper()
	db, err := database.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(db) //nolint:errcheck
	var result string
	if err := db.Raw("PRAGMA integrity_check").Row().Scan(&result); err != nil || result != "ok" {
		t.Fatalf("integrity_check of %s: %q, %v", path, result, err)
	}
	for id, want := range acks {
		var title, status string
		if err := db.Raw("SELECT title, status FROM articles WHERE id = ?", id).Row().Scan(&title, &status); err != nil {
			t.Errorf("acknowledged article %d (%q) is missing: %v", id, want.title, err)
			continue
		}
		if title != want.title {
			t.Errorf("article %d: title %q, the acknowledged save was %q", id, title, want.title)
		}
		if want.published && status != "published" {
			t.Errorf("article %d: status %s, its publish was acknowledged", id, status)
		}
	}
	for what, q := range map[string]string{
		"articles without a revision":                      "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM revisions r WHERE r.article_id = a.id) AND a.title LIKE 'Test save %'",
		"published articles missing from the search index": "SELECT count(*) FROM articles WHERE status = 'published' AND id NOT IN (SELECT rowid FROM articles_fts)",
		"index entries of unpublished articles":            "SELECT count(*) FROM articles_fts WHERE rowid NOT IN (SELECT id FROM articles WHERE status = 'published')",
	} {
		var n int
		if err := db.Raw(q).Row().Scan(&n); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if n != 0 {
			t.Errorf("%d %s", n, what)
		}
	}
}

// writeUntil runs writers goroutines that each create articles through cl, publishing every
// other one, until ctx ends or the server stops answering. Every acknowledged save goes to acks.
func writeUntil(ctx context.Context, cl *staffClient, cat int64, writers int, label string, acks *ackLog) *sync.WaitGroup {
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				title := fmt.Sprintf("Test save %s w%d n%d", label, w, i)
				action := "save"
				if i%2 == 1 {
					action = "publish"
				}
				id, err := cl.saveArticle(0, cat, title, action)
				if id > 0 {
					acks.add(saved{id: id, title: title, published: action == "publish"})
				}
				if err != nil {
					var ne net.Error
					if errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
						strings.Contains(err.Error(), "connection reset") || strings.Contains(err.Error(), "connection refused") {
						acks.cutOff()
						return // the server is gone
					}
					if ctx.Err() == nil {
						acks.fail(err)
					}
					return
				}
			}
		}()
	}
	return &wg
}

// fail notes an unexpected answer to a save; the test reports it.
func (l *ackLog) fail(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.errs = append(l.errs, err)
}

func (l *ackLog) errors() []error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]error(nil), l.errs...)
}

// waitFor polls cond until it holds or d passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Eight staff browsers save and publish at once while the server is killed with SIGKILL,
// three times over. After each crash the database is intact and holds every save the server
// acknowledged, each whole (article, revision and search index together).
func TestSavesSurviveSIGKILL(t *testing.T) {
	dir := seededData(t, "editor@example.edu")
	cat := firstCategory(t, dir)
	all := map[int64]saved{}
	for round := 1; round <= 3; round++ {
		srv := startServer(t, dir)
		cl, err := newStaffClient(srv.base, "editor@example.edu")
		if err != nil {
			t.Fatal(err)
		}
		acks := newAckLog()
		ctx, cancel := context.WithCancel(context.Background())
		wg := writeUntil(ctx, cl, cat.ID, 8, fmt.Sprintf("r%d", round), acks)
		target := 15 + rand.IntN(30)
		waitFor(t, 120*time.Second, fmt.Sprintf("%d acknowledged saves", target), func() bool { return acks.count() >= target || len(acks.errors()) > 0 })
		srv.kill() // mid-way: eight saves are in flight
		cancel()
		wg.Wait()
		for _, err := range acks.errors() {
			t.Errorf("round %d: %v", round, err)
		}
		for id, s := range acks.snapshot() {
			all[id] = s
		}
		checkDatabase(t, filepath.Join(dir, "campusnews.db"), all)
		t.Logf("round %d: killed after %d acknowledged saves with %d requests cut off; all %d acknowledged so far are intact",
			round, acks.count(), acks.cut, len(all))
	}

	// The site comes back with every acknowledged article, published ones on their pages.
	srv := startServer(t, dir)
	cl, err := newStaffClient(srv.base, "editor@example.edu")
	if err != nil {
		t.Fatal(err)
	}
	for id, s := range all {
		status, body, err := cl.get("/editor/articles/" + strconv.FormatInt(id, 10))
		if err != nil || status != http.StatusOK || !strings.Contains(body, s.title) {
			t.Errorf("article %d after the crashes: status %d, %v", id, status, err)
		}
		if s.published {
			if status, _, err := cl.get(cat.Path + "/" + strconv.FormatInt(id, 10)); err != nil || status != http.StatusMovedPermanently {
				t.Errorf("public page of %d: status %d, %v", id, status, err)
			}
		}
	}
	if code := srv.stop(); code != 0 {
		t.Errorf("SIGTERM: exit code %d\n%s", code, srv.log())
	}
}

var articleLink = regexp.MustCompile(`href="(/[a-z0-9-]+/[a-z0-9-]+/(\d+)/[a-z0-9-]+)"`)

// SIGTERM lets a request in flight finish with 200, writes the view counts still in memory,
// and ends the process with exit code 0.
func TestSIGTERMFinishesRequestsAndFlushesViews(t *testing.T) {
	dir := seededData(t, "editor@example.edu")
	srv := startServer(t, dir)
	cl, err := newStaffClient(srv.base, "editor@example.edu")
	if err != nil {
		t.Fatal(err)
	}
	_, home, err := cl.get("/")
	m := articleLink.FindStringSubmatch(home)
	if err != nil || m == nil {
		t.Fatalf("no article link on the home page: %v", err)
	}
	id, _ := strconv.ParseInt(m[2], 10, 64)
	viewsOf := func() int64 {
		db := openData(t, dir)
		defer database.Close(db) //nolint:errcheck
		var n int64
		if err := db.Raw("SELECT views FROM articles WHERE id = ?", id).Row().Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := viewsOf()
	const reads = 37
	for i := range reads {
		if status, _, err := cl.get(m[1]); err != nil || status != http.StatusOK {
			t.Fatalf("read %d of %s: status %d, %v", i, m[1], status, err)
		}
	}

	// A form submission whose body is still arriving when SIGTERM comes.
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	u, _ := url.Parse(srv.base)
	var cookies []string
	for _, c := range cl.c.Jar.Cookies(u) {
		cookies = append(cookies, c.String())
	}
	body := url.Values{"_csrf": {cl.token}, "body": {"Still *arriving* " + strings.Repeat("text ", 2000)}}.Encode()
	half := len(body) / 2
	fmt.Fprintf(conn, "POST /editor/preview HTTP/1.1\r\nHost: %s\r\nCookie: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s",
		u.Host, strings.Join(cookies, "; "), len(body), body[:half])
	time.Sleep(time.Second) // let the server read the headers and start on the body
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	select {
	case <-srv.done:
		t.Fatalf("the server exited with a request in flight: %v", srv.err)
	default:
	}
	if _, err := io.WriteString(conn, body[half:]); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(60 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the request in flight got no answer: %v", err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), "<em>arriving</em>") {
		t.Errorf("the request in flight: status %d\n%.300s", resp.StatusCode, page)
	}
	srv.wait(60 * time.Second)
	if code := srv.cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("exit code %d after SIGTERM\n%s", code, srv.log())
	}
	if after := viewsOf(); after != before+reads {
		t.Errorf("views of article %d: %d before, %d after %d reads and SIGTERM", id, before, after, reads)
	}
}
