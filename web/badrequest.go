package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
)

// A request net/http cannot parse, such as "GET /%zz HTTP/1.1" (url.ParseRequestURI rejects
// the escape), is answered by the server itself before any handler runs: it writes a fixed
// plain-text "400 Bad Request" straight to the connection and closes it. No handler or
// middleware of ours sees the request, and net/http has no hook for it, so WrapListener
// recognises that answer on the connection and sends the site's error page in its place.

// bareErrorHeaders follows the status line of every answer net/http writes this way. A
// response from a handler never has it there: its headers come sorted (Connection before
// Content-Type), with Date first among net/http's own, and ours always carry the security
// headers before them.
const bareErrorHeaders = "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"

// WrapListener returns ln, whose connections turn net/http's own plain-text 4xx answers into the
// site's error page, in the layout and with the security headers of every other page. It hooks
// hs, which must serve ln, to learn when a handler's response is on the connection: such a
// response may carry any bytes (a search query is echoed into its page), so nothing written
// while it is in progress is ever replaced.
func (s *Server) WrapListener(hs *http.Server, ln net.Listener) net.Listener {
	prevContext, prevState := hs.ConnContext, hs.ConnState
	hs.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
		if prevContext != nil {
			ctx = prevContext(ctx, c)
		}
		return context.WithValue(ctx, connKey{}, c)
	}
	hs.ConnState = func(c net.Conn, st http.ConnState) {
		// net/http reports a connection idle once a response is wholly written.
		if pc, ok := c.(*pageConn); ok && (st == http.StateIdle || st == http.StateNew) {
			pc.busy.Store(false)
		}
		if prevState != nil {
			prevState(c, st)
		}
	}
	return &pageListener{Listener: ln, s: s}
}

// connKey keys a request's connection in its context.
type connKey struct{}

// handling marks r's connection as carrying a handler's response until net/http reports it
// idle again.
func handling(r *http.Request) {
	if pc, ok := r.Context().Value(connKey{}).(*pageConn); ok {
		pc.busy.Store(true)
	}
}

type pageListener struct {
	net.Listener
	s *Server
}

func (l *pageListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &pageConn{Conn: c, s: l.s}, nil
}

type pageConn struct {
	net.Conn
	s    *Server
	busy atomic.Bool // a handler's response is being written
}

func (c *pageConn) Write(b []byte) (int, error) {
	if c.busy.Load() {
		return c.Conn.Write(b)
	}
	if status := bareErrorStatus(b); status != 0 {
		if page := c.s.errorPageBytes(status); page != nil {
			if _, err := c.Conn.Write(page); err != nil {
				return 0, err
			}
			return len(b), nil
		}
	}
	return c.Conn.Write(b)
}

// ReadFrom keeps the connection's own (sendfile on TCP) for media files.
func (c *pageConn) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := c.Conn.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(struct{ io.Writer }{c.Conn}, r)
}

// CloseWrite lets net/http half-close after a 431, as it does on a bare TCP connection.
func (c *pageConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// bareErrorStatus returns the 4xx status of b when b is exactly one of net/http's own
// plain-text answers ("HTTP/1.1 " + status + headers + the status again), else 0.
func bareErrorStatus(b []byte) int {
	const proto = "HTTP/1.1 "
	if len(b) > 1024 || !bytes.HasPrefix(b, []byte(proto+"4")) {
		return 0
	}
	rest := b[len(proto):]
	i := bytes.Index(rest, []byte(bareErrorHeaders))
	if i < 3 {
		return 0
	}
	status, body := rest[:i], rest[i+len(bareErrorHeaders):]
	if !bytes.Equal(status, body) || bytes.ContainsAny(status, "\r\n") || (len(status) > 3 && status[3] != ' ') {
		return 0
	}
	code, err := strconv.Atoi(string(status[:3]))
	if err != nil || code < 400 || code > 499 {
		return 0
	}
	return code
}

// errorPageBytes is the whole HTTP answer of the site's error page for status, made by the
// same middleware and error handler as any other, or nil if that fails.
func (s *Server) errorPageBytes(status int) (out []byte) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("panic rendering a bad request page", "panic", fmt.Sprint(r))
			out = nil
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	// The request could not be read, so this stands in for it.
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "/", nil)
	if err != nil {
		return nil
	}
	w := &bufferWriter{header: http.Header{}}
	c := s.echo.NewContext(req, w)
	h := s.requestID(s.securityHeaders(func(echo.Context) error { return echo.NewHTTPError(status) }))
	if err := h(c); err != nil {
		s.handleError(err, c)
	}
	if w.status == 0 {
		return nil
	}
	w.header.Set("Content-Length", strconv.Itoa(w.body.Len()))
	w.header.Set("Connection", "close") // net/http closes the connection after this answer
	w.header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "HTTP/1.1 %d %s\r\n", w.status, http.StatusText(w.status))
	if err := w.header.Write(&buf); err != nil {
		return nil
	}
	buf.WriteString("\r\n")
	buf.Write(w.body.Bytes())
	return buf.Bytes()
}

// bufferWriter keeps an answer in memory.
type bufferWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *bufferWriter) Header() http.Header { return w.header }
func (w *bufferWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *bufferWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.Write(b)
}
