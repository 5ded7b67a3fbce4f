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
