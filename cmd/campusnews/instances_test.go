package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"campusnews/internal/database"
	"campusnews/internal/database/pgtest"
)

// nginxPath is Debian's nginx, which make test installs (make nginx-deps).
const nginxPath = "/usr/sbin/nginx"

// Two instances of serve on one PostgreSQL database, sharing the data directory (media) and
// the session key, behind nginx, as the README's "Several instances" describes: a change made
// through either instance, or from the command line, shows on both within a second; a staff
// session works on both; readers through nginx see no error when an instance is killed or
// stopped, and a stopping instance's /healthz says so.
func TestSeveralInstancesBehindNginx(t *testing.T) {
	if os.Getenv("CAMPUSNEWS_TEST_POSTGRES") == "0" {
		t.Skip("PostgreSQL tests off (CAMPUSNEWS_TEST_POSTGRES=0)")
	}
	if _, err := os.Stat(nginxPath); err != nil {
		t.Fatalf("nginx is not installed (%v): apt-get install nginx, or run make test, which installs it", err)
	}
	begin := time.Now()
	dbURL := pgtest.URL(t)
	data := t.TempDir()
	runCmd(t, "", "migrate", "--data", data, "--database", dbURL)
	runCmd(t, "", "seed", "--data", data, "--database", dbURL)
	const email = "editor@example.edu"
	runCmd(t, staffPassword+"\n", "user", "add", "--email", email, "--name", "Editor", "--role", "editor",
		"--data", data, "--database", dbURL)

	// Fixed ports, so that nginx's upstream names them and an instance can come back on its own.
	portA, portB, portN := freePort(t), freePort(t), freePort(t)
	const key = "a-session-key-shared-by-every-instance-0123456789"
	instance := func(port int) *server {
		// The page cache keeps pages for 10 s: what shows within a second is the change
		// notification at work, not the cache running out.
		return startServer(t, data, "--addr", fmt.Sprintf("127.0.0.1:%d", port), "--database", dbURL,
			"--session-key", key, "--cache-ttl", "10s", "--shutdown-delay", "2s")
	}
	a, b := instance(portA), instance(portB)
	lb := startNginx(t, portN, portA, portB)
	t.Logf("set-up (database, seed, two instances, nginx) took %v", time.Since(begin).Round(time.Millisecond))

	// The demo's photographs, uploaded through instance-less seed into the shared media
	// directory, are served by both.
	_, home := fetch(t, a.base, "/")
	img := regexp.MustCompile(`src="(/media/[^"]+)"`).FindStringSubmatch(home)
	if img == nil {
		t.Fatal("the home page shows no photograph")
	}
	for _, s := range []*server{a, b} {
		if status, _ := fetch(t, s.base, img[1]); status != http.StatusOK {
			t.Errorf("%s%s: status %d", s.base, img[1], status)
		}
	}

	// An editor logs in on A and publishes; B shows the article within a second.
	edA, err := newStaffClient(a.base, email)
	if err != nil {
		t.Fatal(err)
	}
	catID := newsCategory(t, dbURL)
	const title = "Two instances, one newsroom"
	id, err := edA.saveArticle(0, catID, title, "publish")
	if err != nil {
		t.Fatal(err)
	}
	done := time.Now()
	short := "/news-events/news/" + strconv.FormatInt(id, 10) // redirects to the address with the slug
	within(t, b.base, short, done, time.Second, func(status int, body string) bool {
		return status == http.StatusOK && strings.Contains(body, title)
	})
	within(t, b.base, "/news-events/news", done, time.Second, func(_ int, body string) bool {
		return strings.Contains(body, title)
	})

	// The same session (cookie) unpublishes it on B: sessions are cookies signed with the
	// shared key, the accounts and their session versions live in the database. A answers
	// 404 within a second.
	edB := &staffClient{base: b.base, c: edA.c, token: edA.token}
	status, loc, body, err := edB.post("/editor/articles/"+strconv.FormatInt(id, 10)+"/unpublish", nil)
	if err != nil {
		t.Fatal(err)
	}
	if status != http.StatusSeeOther || !strings.HasSuffix(loc, "/editor/articles/"+strconv.FormatInt(id, 10)) {
		t.Fatalf("unpublish on B with the session from A: status %d to %q\n%.400s", status, loc, body)
	}
	done = time.Now()
	within(t, a.base, short, done, time.Second, func(status int, _ string) bool { return status == http.StatusNotFound })
	within(t, a.base, "/news-events/news", done, time.Second, func(_ int, body string) bool {
		return !strings.Contains(body, title)
	})

	// A write from the command line shows on both. Each has the sitemap in its page cache first.
	const sitemap = "/sitemaps/articles-1.xml"
	before := map[string]string{}
	for _, s := range []*server{a, b} {
		_, before[s.base] = fetch(t, s.base, sitemap)
	}
	runCmd(t, "", "seed", "--articles", "3", "--data", data, "--database", dbURL)
	done = time.Now()
	for _, s := range []*server{a, b} {
		within(t, s.base, sitemap, done, time.Second, func(status int, body string) bool {
			return status == http.StatusOK && body != before[s.base]
		})
	}

	// Readers through nginx while A is killed: every answer is a 200.
	readerPaths := []string{"/", "/news-events/news", "/tags", sitemap, "/search?q=campus"}
	readThrough(t, lb, readerPaths, 2*time.Second, "A is killed", func() { a.kill() })

	// A comes back on its port and gets readers again once nginx retries it.
	a = instance(portA)
	comeback := time.Now()
	for !strings.Contains(a.log(), "path=/archive") {
		if status, _ := fetch(t, lb, "/archive"); status != http.StatusOK {
			t.Fatalf("/archive through nginx: status %d", status)
		}
		if time.Since(comeback) > 10*time.Second {
			t.Fatalf("nginx sent no reader to the restarted instance within 10 s:\n%s", a.log())
		}
		time.Sleep(50 * time.Millisecond)
	}

	// B is stopped (SIGTERM) while readers go on: its /healthz answers 503 at once, its pages
	// are still served during --shutdown-delay, it exits cleanly, and readers through nginx
	// see no error.
	readThrough(t, lb, readerPaths, 3500*time.Millisecond, "B stops", func() {
		if err := b.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Errorf("SIGTERM: %v", err)
			return
		}
		sent := time.Now()
		within(t, b.base, "/healthz", sent, time.Second, func(status int, body string) bool {
			return status == http.StatusServiceUnavailable && body == "shutting down\n"
		})
		if status, _ := fetch(t, b.base, "/news-events/news"); status != http.StatusOK {
			t.Errorf("B during its shutdown delay: status %d, want 200", status)
		}
		b.wait(30 * time.Second)
		t.Logf("B exited %v after SIGTERM", time.Since(sent).Round(time.Millisecond))
		if code := b.cmd.ProcessState.ExitCode(); code != 0 {
			t.Errorf("B exited with %d after SIGTERM\n%s", code, b.log())
		}
	})
	t.Logf("whole test: %v", time.Since(begin).Round(time.Millisecond))
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// newsCategory is the id of the demo's News category below News & Events.
func newsCategory(t *testing.T, dbURL string) int64 {
	t.Helper()
	db, err := database.OpenURL(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(db) //nolint:errcheck
	var id int64
	err = db.Raw(`SELECT c.id FROM categories c JOIN categories p ON p.id = c.parent_id
		WHERE p.parent_id IS NULL AND p.slug = 'news-events' AND c.slug = 'news'`).Row().Scan(&id)
	if err != nil {
		t.Fatalf("no News category: %v", err)
	}
	return id
}

// startNginx runs nginx in the foreground on 127.0.0.1:port as a load balancer in front of
// the instances on ports, with a configuration and every file it writes in a temporary
// directory, and returns its base URL once it answers. It is stopped when the test ends.
func startNginx(t *testing.T, port int, ports ...int) string {
	t.Helper()
	dir := t.TempDir()
	var servers strings.Builder
	for _, p := range ports {
		// One failure takes an instance out for a second; then nginx tries it again.
		fmt.Fprintf(&servers, "\t\tserver 127.0.0.1:%d max_fails=1 fail_timeout=1s;\n", p)
	}
	user := ""
	if os.Geteuid() == 0 {
		// Workers would otherwise run as nobody, who cannot enter the test's temporary directory.
		user = "user root;"
	}
	conf := fmt.Sprintf(`%[1]s
daemon off;
master_process on;
worker_processes 1;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log warn;
events { worker_connections 512; }
http {
	access_log %[2]s/access.log;
	client_body_temp_path %[2]s/client_body;
	proxy_temp_path %[2]s/proxy;
	fastcgi_temp_path %[2]s/fastcgi;
	uwsgi_temp_path %[2]s/uwsgi;
	scgi_temp_path %[2]s/scgi;
	upstream campusnews {
%[3]s		keepalive 16;
	}
	server {
		listen 127.0.0.1:%[4]d;
		location / {
			proxy_pass http://campusnews;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			proxy_set_header Host $http_host;
			proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
			proxy_connect_timeout 1s;
			proxy_next_upstream error timeout http_502 http_503 http_504;
		}
	}
}
`, user, dir, servers.String(), port)
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(nginxPath, "-p", dir, "-c", "nginx.conf", "-e", filepath.Join(dir, "error.log"))
	out, err := os.Create(filepath.Join(dir, "stderr.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	// nginx gets SIGTERM should this process die without stopping it (go test's -timeout).
	// The parent-death signal follows the thread that started it: that thread stays locked
	// until nginx exits.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM, Setpgid: true}
	started, exited := make(chan error, 1), make(chan struct{})
	go func() {
		runtime.LockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			close(exited)
			return
		}
		started <- nil
		cmd.Wait() //nolint:errcheck // an exit is what we wait for
		out.Close()
		close(exited)
	}()
	if err := <-started; err != nil {
		t.Fatalf("start nginx: %v", err)
	}
	logs := func() string {
		e, _ := os.ReadFile(filepath.Join(dir, "error.log"))
		o, _ := os.ReadFile(filepath.Join(dir, "stderr.log"))
		return string(o) + string(e)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM) //nolint:errcheck // gone already is fine
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill() //nolint:errcheck
			<-exited
		}
		if t.Failed() {
			t.Logf("nginx's log:\n%s", logs())
		}
	})
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base
			}
		}
		select {
		case <-exited:
			t.Fatalf("nginx exited at start:\n%s", logs())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("nginx does not answer: %v\n%s", err, logs())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// readThrough has four readers fetch paths through base, round and round, for d, and runs
// event a third of the way in. Every answer must be a complete 200.
func readThrough(t *testing.T, base string, paths []string, d time.Duration, what string, event func()) {
	t.Helper()
	var (
		mu   sync.Mutex
		n    int
		bad  []string
		wg   sync.WaitGroup
		stop = time.Now().Add(d)
	)
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func(r int) {
			defer wg.Done()
			jar, _ := cookiejar.New(nil)
			cl := &http.Client{Jar: jar, Timeout: 10 * time.Second}
			for i := r; time.Now().Before(stop); i++ {
				p := paths[i%len(paths)]
				var problem string
				resp, err := cl.Get(base + p)
				if err != nil {
					problem = err.Error()
				} else {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK || err != nil {
						problem = fmt.Sprintf("status %d, %v", resp.StatusCode, err)
					}
				}
				mu.Lock()
				n++
				if problem != "" {
					bad = append(bad, p+": "+problem)
				}
				mu.Unlock()
			}
		}(r)
	}
	time.Sleep(d / 3)
	event()
	wg.Wait()
	t.Logf("while %s: %d reads through nginx, %d failed", what, n, len(bad))
	if len(bad) > 0 {
		if len(bad) > 10 {
			bad = bad[:10]
		}
		t.Errorf("while %s, readers through nginx saw errors:\n%s", what, strings.Join(bad, "\n"))
	}
	if n < 20 {
		t.Errorf("while %s: only %d reads through nginx", what, n)
	}
}
