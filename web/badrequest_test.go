package web

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A request line net/http itself refuses, such as a path with a malformed percent-escape, gets
// the site's 400 page with the security headers, not net/http's bare plain text.
func TestUnparsableRequestGetsTheSitePage(t *testing.T) {
	ae := newAuthzEnv(t)
	addr := ae.http.Listener.Addr().String()
	for _, target := range []string{"/%zz", "/news-events/%zz", "/campus/research/%2", "/%", "/tags/%ff%zz"} {
		resp, body := rawRequest(t, addr, "GET "+target+" HTTP/1.1\r\nHost: localhost\r\n\r\n")
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("GET %s: status %d, want 400", target, resp.StatusCode)
			continue
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") ||
			resp.Header.Get("Content-Security-Policy") != contentSecurityPolicy ||
			resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("X-Request-Id") == "" {
			t.Errorf("GET %s: headers %v", target, resp.Header)
		}
		if !strings.Contains(body, `class="site-header"`) || !strings.Contains(body, "Bad request") ||
			!strings.Contains(body, "Error 400") {
			t.Errorf("GET %s: the 400 is not the site's page:\n%s", target, body)
		}
	}
	// Other requests net/http refuses itself get it too, and the connection still closes.
	resp, body := rawRequest(t, addr, "GET / HTTP/1.1\r\n\r\n") // no Host
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `class="site-header"`) || !resp.Close {
		t.Errorf("no Host: status %d, close %v:\n%.300s", resp.StatusCode, resp.Close, body)
	}
	// A well-formed request on the same kind of connection is untouched.
	resp, body = rawRequest(t, addr, "GET /archive HTTP/1.1\r\nHost: localhost\r\n\r\n")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Archive") {
		t.Errorf("GET /archive: status %d", resp.StatusCode)
	}
}

// rawRequest sends req byte for byte on a new connection and reads one answer.
func rawRequest(t *testing.T, addr, req string) (*http.Response, string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second)) //nolint:errcheck
	if _, err := fmt.Fprint(conn, req); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%q: %v", req, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// net/http's bare answer as it writes it, for the tests below.
const bareAnswer = "HTTP/1.1 400 Bad Request" + bareErrorHeaders + "400 Bad Request"

// Only net/http's own answer, whole, is recognised; a block of some page that merely begins
// like one is not.
func TestBareErrorStatusMatchesOnlyTheWholeAnswer(t *testing.T) {
	for b, want := range map[string]int{
		bareAnswer: 400,
		"HTTP/1.1 431 Request Header Fields Too Large" + bareErrorHeaders + "431 Request Header Fields Too Large":                     431,
		"HTTP/1.1 400 Bad Request: missing required Host header" + bareErrorHeaders + "400 Bad Request: missing required Host header": 400,
		"HTTP/1.1 400" + bareErrorHeaders + "\">Results for you</p></main></html>":                                                    0,
		bareAnswer + "</html>":                          0,
		"HTTP/1.1 200 OK" + bareErrorHeaders + "200 OK": 0,
		"HTTP/1.1 400 Bad Request\r\n":                  0,
	} {
		if got := bareErrorStatus([]byte(b)); got != want {
			t.Errorf("bareErrorStatus(%q) = %d, want %d", b, got, want)
		}
	}
}

// While a handler's response is on the connection nothing is replaced, whatever it holds.
func TestPageConnLeavesHandlerResponsesAlone(t *testing.T) {
	env := newTestEnv(t)
	for _, busy := range []bool{true, false} {
		var out strings.Builder
		pc := &pageConn{Conn: writerConn{&out}, s: env.srv}
		pc.busy.Store(busy)
		if _, err := pc.Write([]byte(bareAnswer)); err != nil {
			t.Fatal(err)
		}
		if replaced := out.String() != bareAnswer; replaced == busy {
			t.Errorf("busy %v: replaced %v", busy, replaced)
		}
	}
}

// writerConn is a connection that only records what is written to it.
type writerConn struct{ w io.Writer }

func (c writerConn) Read([]byte) (int, error)         { return 0, io.EOF }
func (c writerConn) Write(b []byte) (int, error)      { return c.w.Write(b) }
func (c writerConn) Close() error                     { return nil }
func (c writerConn) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (c writerConn) RemoteAddr() net.Addr             { return &net.TCPAddr{} }
func (c writerConn) SetDeadline(time.Time) error      { return nil }
func (c writerConn) SetReadDeadline(time.Time) error  { return nil }
func (c writerConn) SetWriteDeadline(time.Time) error { return nil }

// After a response, the connection is no longer counted as busy: a malformed request that
// follows on the same keep-alive connection still gets the site's page.
func TestBadRequestAfterKeepAliveGetsTheSitePage(t *testing.T) {
	env := newTestEnv(t)
	conn, err := net.Dial("tcp", env.http.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	br := bufio.NewReader(conn)
	for i, req := range []string{"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n", "GET /%zz HTTP/1.1\r\nHost: localhost\r\n\r\n"} {
		if _, err := io.WriteString(conn, req); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("response %d: %v", i+1, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if i == 1 && (resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), `class="site-header"`)) {
			t.Errorf("bad request after a keep-alive one: status %d:\n%.300s", resp.StatusCode, body)
		}
	}
}
