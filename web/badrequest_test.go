package web

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A malformed percent-escape never makes a 500. On the wire net/http refuses the request
// line itself with its plain 400; a path that reaches the router holding a literal or
// malformed escape is a page that does not exist: the site's 404 in its layout.
func TestMalformedEscapes(t *testing.T) {
	ae := newAuthzEnv(t)
	addr := ae.http.Listener.Addr().String()
	for _, target := range []string{"/%zz", "/news-events/%zz", "/campus/research/%2", "/%", "/tags/%ff%zz"} {
		resp, body := rawRequest(t, addr, "GET "+target+" HTTP/1.1\r\nHost: localhost\r\n\r\n")
		if resp.StatusCode != http.StatusBadRequest || !resp.Close {
			t.Errorf("GET %s: status %d, close %v, want net/http's 400 and a closed connection\n%.300s",
				target, resp.StatusCode, resp.Close, body)
		}
	}
	// The server goes on answering on new connections.
	if resp, body := rawRequest(t, addr, "GET /archive HTTP/1.1\r\nHost: localhost\r\n\r\n"); resp.StatusCode != http.StatusOK ||
		!strings.Contains(body, "Archive") {
		t.Errorf("GET /archive after bad requests: status %d", resp.StatusCode)
	}

	// Escaped percent signs are well-formed on the wire and reach the router as "%zz".
	cl := ae.client()
	for _, path := range []string{"/%25zz", "/campus/%25zz", "/campus/research/%25zz", "/tags/%25ff%25zz", "/campus/research/99999/%25zz"} {
		resp, body := cl.get(path)
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, `class="site-header"`) {
			t.Errorf("GET %s: status %d, want the site's 404\n%.300s", path, resp.StatusCode, body)
		}
	}
	// A malformed escape in the raw path handed to the router by whatever stands in front of it.
	for _, raw := range []string{"/%zz", "/campus/%zz", "/tags/%ff%zz", "/media/%zz.png", "/assets/%zz"} {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL.Path, req.URL.RawPath = raw, raw
		rec := httptest.NewRecorder()
		ae.srv.ServeHTTP(rec, req)
		if rec.Code >= 500 || rec.Code == http.StatusOK {
			t.Errorf("raw path %s: status %d\n%.300s", raw, rec.Code, rec.Body.String())
		}
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
