//go:build e2e

// Package e2e drives the real campusnews binary with Chromium: the reader's way through the
// public pages at phone and desktop widths, and the staff workflow from a writer's draft to a
// published article and an administrator's changes to the navigation.
//
// Run it with "make test-e2e" (which installs Chromium when it is missing), or with
// go test -tags=sqlite_fts5,e2e ./e2e/. CAMPUSNEWS_E2E=0 skips it.
package e2e

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Settings of the harness.
const (
	// stepTimeout bounds one group of browser steps; the machine may be small and busy.
	stepTimeout = 60 * time.Second
	// startTimeout bounds the wait for a started server to print its address and answer
	// /healthz.
	startTimeout = 60 * time.Second
	// generatedArticles are added to the demo site so the reference article has neighbours
	// in its category (previous/next links) and the category listing has several pages.
	generatedArticles = 80
	// screenshotDir receives the full-page screenshots (git-ignored).
	screenshotDir = "screenshots"
)

// binPath is the campusnews binary built once for the package; chromePath is the browser.
var binPath, chromePath string

func TestMain(m *testing.M) {
	if os.Getenv("CAMPUSNEWS_E2E") == "0" {
		fmt.Println("e2e: skipped because CAMPUSNEWS_E2E=0")
		os.Exit(0)
	}
	chromePath = findChromium()
	dir, err := os.MkdirTemp("", "campusnews-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	binPath = filepath.Join(dir, "campusnews")
	if err := buildBinary(binPath); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// buildBinary compiles the server as the Makefile does. The tag is given explicitly because a
// plain "go test" has no GOFLAGS, and full-text search needs it.
func buildBinary(out string) error {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		goCmd = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	cmd := exec.Command(goCmd, "build", "-tags=sqlite_fts5", "-o", out, "../cmd/campusnews")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build campusnews: %v\n%s", err, b)
	}
	return nil
}

// findChromium returns the browser to drive: $CAMPUSNEWS_CHROMIUM, else Debian's chromium;
// "" when there is none.
func findChromium() string {
	if p := os.Getenv("CAMPUSNEWS_CHROMIUM"); p != "" {
		p, _ = exec.LookPath(p)
		return p
	}
	for _, name := range []string{"chromium", "/usr/bin/chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// site is one running server with its own data directory.
type site struct {
	URL           string // http://127.0.0.1:PORT, no trailing slash
	Data          string
	AdminEmail    string // printed once at the first start
	AdminPassword string

	cmd  *exec.Cmd
	out  *lockedBuffer
	done chan error
}

// Regular expressions over the first lines the server prints (see cmd/campusnews/serve.go).
var (
	reServing   = regexp.MustCompile(`serving on (http://\S+)`)
	reAdminMail = regexp.MustCompile(`^\s*e-mail:\s+(\S+)\s*$`)
	reAdminPass = regexp.MustCompile(`^\s*password:\s+(\S+)\s+\(one-time`)
)

// startSite loads the demo site plus generated articles into a fresh data directory, starts
// the server on a free loopback port and stops it with SIGTERM when the test ends.
func startSite(t *testing.T) *site { return startSiteWith(t, generatedArticles) }

// startSiteWith is startSite with generated more articles (none: the demo site as make run
// shows it).
func startSiteWith(t *testing.T, generated int) *site {
	t.Helper()
	s := &site{Data: t.TempDir(), out: &lockedBuffer{}, done: make(chan error, 1)}
	s.run(t, "", "seed", "--data", s.Data)
	if generated > 0 {
		s.run(t, "", "seed", "--data", s.Data, "--articles", fmt.Sprint(generated))
	}

	s.cmd = exec.Command(binPath, "serve", "--data", s.Data, "--addr", "127.0.0.1:0", "--cache-ttl", "10s")
	s.cmd.Env = cleanEnv()
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s.cmd.Stderr = s.out
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("start server: %v", err)
	}
	ready := make(chan struct{})
	go s.readOutput(stdout, ready)
	go func() { s.done <- s.cmd.Wait() }()
	t.Cleanup(func() { s.stop(t) })

	select {
	case <-ready:
	case err := <-s.done:
		s.done <- err
		t.Fatalf("server exited before it was ready: %v\n%s", err, s.out.String())
	case <-time.After(startTimeout):
		t.Fatalf("server did not start within %s:\n%s", startTimeout, s.out.String())
	}
	if s.AdminEmail == "" || s.AdminPassword == "" {
		t.Fatalf("server printed no first administrator:\n%s", s.out.String())
	}
	s.waitHealthy(t)
	return s
}

// readOutput copies the server's output into s.out and fills in the address and the first
// administrator's credentials; it closes ready once the address is known.
func (s *site) readOutput(r io.Reader, ready chan struct{}) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		s.out.WriteString(line + "\n")
		if s.URL != "" {
			continue // the fields below are read by the test once ready is closed
		}
		if m := reAdminMail.FindStringSubmatch(line); m != nil {
			s.AdminEmail = m[1]
		}
		if m := reAdminPass.FindStringSubmatch(line); m != nil {
			s.AdminPassword = m[1]
		}
		if m := reServing.FindStringSubmatch(line); m != nil {
			s.URL = strings.TrimRight(m[1], "/")
			close(ready)
		}
	}
	io.Copy(io.Discard, r) //nolint:errcheck // keep the pipe drained
}

func (s *site) waitHealthy(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(startTimeout)
	for {
		resp, err := http.Get(s.URL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("/healthz did not answer 200 within %s (last error %v):\n%s", startTimeout, err, s.out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stop ends the server with SIGTERM, as a service manager would, and shows its output when
// the test failed.
func (s *site) stop(t *testing.T) {
	if s.cmd.Process == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM) //nolint:errcheck // it may have exited already
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("server did not stop cleanly on SIGTERM: %v", err)
		}
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill() //nolint:errcheck
		<-s.done
		t.Errorf("server did not stop within 30 s of SIGTERM")
	}
	if t.Failed() {
		t.Logf("server output:\n%s", s.out.Tail(80))
	}
}

// run runs a campusnews subcommand against the site's data directory with stdin as input.
func (s *site) run(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(binPath, args...)
	cmd.Env = cleanEnv()
	cmd.Stdin = strings.NewReader(stdin)
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("campusnews %s: %v\n%s", strings.Join(args, " "), err, b)
	}
	return string(b)
}

// addUser creates a staff account from the command line, as an operator would.
func (s *site) addUser(t *testing.T, email, name, role, password string) {
	t.Helper()
	s.run(t, password+"\n", "user", "add", "--email", email, "--name", name, "--role", role, "--data", s.Data)
}

// get fetches a public page as an anonymous reader and returns its status and body.
func (s *site) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(s.URL + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return resp.StatusCode, string(b)
}

// cleanEnv is the environment without CAMPUSNEWS_* settings, so the caller's shell cannot
// change what the tests run against.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CAMPUSNEWS_") {
			env = append(env, kv)
		}
	}
	return env
}

// lockedBuffer is an output buffer the server's reader goroutine and the test share.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) WriteString(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.WriteString(s)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Tail is the last n lines of the buffer.
func (l *lockedBuffer) Tail(n int) string {
	lines := strings.Split(strings.TrimRight(l.String(), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
