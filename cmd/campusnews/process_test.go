package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
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

	"gorm.io/gorm"

	"campusnews/internal/database"
	"campusnews/internal/database/pgtest"
)

// These tests run the real binary on a loopback port, kill it, restart it and read its
// database, as an operator would. They build the binary once.

var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := pgtest.Main(m) // m.Run, and a PostgreSQL for the tests that ask for one

	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// campusnewsBinary builds the command (with FTS5) into a temporary directory, once.
func campusnewsBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		if binDir, buildErr = os.MkdirTemp("", "campusnews-bin-"); buildErr != nil {
			return
		}
		goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
		if _, err := os.Stat(goTool); err != nil {
			goTool = "go"
		}
		binPath = filepath.Join(binDir, "campusnews")
		cmd := exec.Command(goTool, "build", "-tags=sqlite_fts5", "-o", binPath, ".")
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// staffPassword is the password of the accounts these tests create.
const staffPassword = "a-long-test-password-42"

// runCmd runs the binary with args and stdin and fails the test if it fails.
func runCmd(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(campusnewsBinary(t), args...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("campusnews %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// seededData returns a data directory holding the demo site and the staff accounts emails
// (editors unless the address starts with "writer").
func seededData(t *testing.T, emails ...string) string {
	t.Helper()
	dir := t.TempDir()
	runCmd(t, "", "seed", "--data", dir)
	for _, e := range emails {
		role := "editor"
		if strings.HasPrefix(e, "writer") {
			role = "writer"
		}
		runCmd(t, staffPassword+"\n", "user", "add", "--email", e, "--name", strings.Split(e, "@")[0], "--role", role, "--data", dir)
	}
	return dir
}

// server is a running campusnews serve process.
type server struct {
	t       *testing.T
	cmd     *exec.Cmd
	base    string // http://127.0.0.1:port
	logPath string
	done    chan struct{}
	err     error // of Wait, once done is closed
}

var servingLine = regexp.MustCompile(`campusnews serving on (http://127\.0\.0\.1:\d+)`)

// startServer starts serve on a free loopback port with the data in dir and waits until it
// answers its health check. Its output goes to a log file beside dir.
func startServer(t *testing.T, dir string, args ...string) *server {
	t.Helper()
	logFile, err := os.CreateTemp(filepath.Dir(dir), "serve-*.log")
	if err != nil {
		t.Fatal(err)
	}
	args = append([]string{"serve", "--addr", "127.0.0.1:0", "--data", dir}, args...)
	s := &server{t: t, cmd: exec.Command(campusnewsBinary(t), args...), logPath: logFile.Name(), done: make(chan struct{})}
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		s.err = s.cmd.Wait()
		logFile.Close()
		close(s.done)
	}()
	t.Cleanup(func() {
		select {
		case <-s.done:
		default:
			s.kill()
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for s.base == "" {
		if m := servingLine.FindStringSubmatch(s.log()); m != nil {
			s.base = m[1]
			break
		}
		select {
		case <-s.done:
			t.Fatalf("serve exited at start: %v\n%s", s.err, s.log())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start in time:\n%s", s.log())
		}
	}
	for {
		resp, err := http.Get(s.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve does not answer /healthz: %v\n%s", err, s.log())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// log is everything the process wrote so far.
func (s *server) log() string {
	b, _ := os.ReadFile(s.logPath)
	return string(b)
}

// kill ends the process with SIGKILL, as a crash or power cut of the process would.
func (s *server) kill() {
	s.t.Helper()
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	s.wait(60 * time.Second)
}

// stop sends SIGTERM and returns the exit code.
func (s *server) stop() int {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.t.Fatalf("SIGTERM: %v", err)
	}
	s.wait(60 * time.Second)
	return s.cmd.ProcessState.ExitCode()
}

func (s *server) wait(d time.Duration) {
	s.t.Helper()
	select {
	case <-s.done:
	case <-time.After(d):
		_ = s.cmd.Process.Kill()
		<-s.done
		s.t.Fatalf("serve did not exit within %s", d)
	}
}

// staffClient is a browser of a signed-in staff member. Its methods return errors, not
// failing the test, so that goroutines may use them.
type staffClient struct {
	base  string
	c     *http.Client
	token string
}

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// newStaffClient logs email in through the login form.
func newStaffClient(base, email string) (*staffClient, error) {
	jar, _ := cookiejar.New(nil)
	cl := &staffClient{base: base, c: &http.Client{Jar: jar, Timeout: 60 * time.Second,
		Transport:     &http.Transport{MaxIdleConnsPerHost: 64},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if err := cl.readToken("/login"); err != nil {
		return nil, err
	}
	status, _, _, err := cl.post("/login", url.Values{"email": {email}, "password": {staffPassword}})
	if err != nil {
		return nil, err
	}
	if status != http.StatusSeeOther {
		return nil, fmt.Errorf("login %s: status %d", email, status)
	}
	return cl, cl.readToken("/account") // a login starts a new session with a new token
}

func (cl *staffClient) readToken(page string) error {
	status, body, err := cl.get(page)
	if err != nil {
		return err
	}
	m := csrfRe.FindStringSubmatch(body)
	if status != http.StatusOK || m == nil {
		return fmt.Errorf("GET %s: status %d without a CSRF token", page, status)
	}
	cl.token = m[1]
	return nil
}

func (cl *staffClient) get(path string) (int, string, error) {
	resp, err := cl.c.Get(cl.base + path)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// post submits form with the session's token; it returns the status, the Location and the body.
func (cl *staffClient) post(path string, form url.Values) (int, string, string, error) {
	f := url.Values{"_csrf": {cl.token}}
	for k, v := range form {
		f[k] = v
	}
	resp, err := cl.c.PostForm(cl.base+path, f)
	if err != nil {
		return 0, "", "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b), err
}

var editLocation = regexp.MustCompile(`^/editor/articles/(\d+)$`)

// saveArticle posts the article form, a new article when id is 0, and then opens the form the
// server sends it to, as a browser does. It returns the article's id when the server
// acknowledged the save with 303 to the article's form, even if opening the form then failed.
func (cl *staffClient) saveArticle(id int64, category int64, title, action string) (int64, error) {
	path := "/editor/articles/new"
	if id > 0 {
		path = "/editor/articles/" + strconv.FormatInt(id, 10)
	}
	status, loc, body, err := cl.post(path, url.Values{"title": {title}, "summary": {"Summary of " + title},
		"body_source": {"The text of " + title + ".\n\nA second paragraph."}, "category_id": {strconv.FormatInt(category, 10)},
		"tags": {"durability, load"}, "action": {action}})
	if err != nil {
		return 0, err
	}
	m := editLocation.FindStringSubmatch(loc)
	if status != http.StatusSeeOther || m == nil {
		return 0, fmt.Errorf("POST %s %q: status %d to %q\n%.400s", path, title, status, loc, body)
	}
	got, _ := strconv.ParseInt(m[1], 10, 64)
	if status, _, err = cl.get(loc); err == nil && status != http.StatusOK {
		err = fmt.Errorf("GET %s after saving: status %d", loc, status)
	}
	return got, err
}

// category is a category of the seeded site.
type category struct {
	ID   int64
	Path string // /section/category
}

// firstCategory returns a visible category directly below a visible section.
func firstCategory(t *testing.T, dir string) category {
	t.Helper()
	db := openData(t, dir)
	defer database.Close(db) //nolint:errcheck
	var c category
	var sec, cat string
	err := db.Raw(`SELECT c.id, p.slug, c.slug FROM categories c JOIN categories p ON p.id = c.parent_id
		WHERE p.parent_id IS NULL AND p.visible = 1 AND c.visible = 1 ORDER BY p.position, c.position LIMIT 1`).
		Row().Scan(&c.ID, &sec, &cat)
	if err != nil {
		t.Fatalf("no category: %v", err)
	}
	c.Path = "/" + sec + "/" + cat
	return c
}

// openData opens the database of data directory dir, as the server does.
func openData(t *testing.T, dir string) *gorm.DB {
	t.Helper()
	db, err := database.Open(filepath.Join(dir, "campusnews.db"))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// With --log-format json every line serve writes is a JSON object, and a line is written as
// it is logged, never held back: a request's access line is in the log as soon as the request
// is answered, even when the process is killed right after. A request line net/http itself
// refuses (a malformed percent-escape) gets net/http's plain 400, and the server goes on.
func TestServeWritesJSONLogLinesAtOnce(t *testing.T) {
	srv := startServer(t, seededData(t, "editor@example.edu"), "--log-format", "json")
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(srv.base, "http://"), 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second)) //nolint:errcheck
	if _, err := io.WriteString(conn, "GET /news-events/%zz HTTP/1.1\r\nHost: localhost\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a malformed escape: status %d, want 400", resp.StatusCode)
	}

	resp, err = http.Get(srv.base + "/no-such-page")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body) //nolint:errcheck
	resp.Body.Close()
	id := resp.Header.Get("X-Request-Id")
	if resp.StatusCode != http.StatusNotFound || id == "" {
		t.Fatalf("GET /no-such-page: status %d, request id %q", resp.StatusCode, id)
	}
	srv.kill()

	var access bool
	for _, line := range strings.Split(strings.TrimSpace(srv.log()), "\n") {
		var rec struct {
			Msg, Path string
			Status    int
			RequestID string `json:"request_id"`
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("not a JSON line: %v\n%s", err, line)
		}
		access = access || rec.Msg == "request" && rec.Path == "/no-such-page" && rec.Status == 404 && rec.RequestID == id
	}
	if !access {
		t.Errorf("the access line of request %s is not in the log of the killed server:\n%s", id, srv.log())
	}
}
