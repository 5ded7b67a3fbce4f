package web

import (
	"io"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
)

// accessLog writes one line per request in the key=value shape of slog's text handler,
// formatted by hand: at tens of thousands of requests a second, slog's per-attribute work
// would cost more than serving a cached page.
type accessLog struct {
	w    io.Writer
	bufs sync.Pool
}

func newAccessLog(w io.Writer) *accessLog {
	return &accessLog{w: w, bufs: sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}}
}

func (l *accessLog) write(now time.Time, id, method, path string, status int, size int64, took time.Duration, ip string) {
	bp := l.bufs.Get().(*[]byte)
	b := (*bp)[:0]
	b = append(b, "time="...)
	b = now.AppendFormat(b, "2006-01-02T15:04:05.000Z07:00")
	b = append(b, " level=INFO msg=request id="...)
	b = append(b, id...)
	b = append(b, " method="...)
	b = appendValue(b, method)
	b = append(b, " path="...)
	b = appendValue(b, path)
	b = append(b, " status="...)
	b = strconv.AppendInt(b, int64(status), 10)
	b = append(b, " bytes="...)
	b = strconv.AppendInt(b, size, 10)
	b = append(b, " took="...)
	b = append(b, took.String()...)
	b = append(b, " ip="...)
	b = appendValue(b, ip)
	b = append(b, '\n')
	l.w.Write(b) //nolint:errcheck // a failing log must not fail the request
	*bp = b
	l.bufs.Put(bp)
}

// appendValue quotes v when it holds anything that would break the key=value shape.
func appendValue(b []byte, v string) []byte {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c <= ' ' || c == '"' || c == '=' || c == '\\' || c >= utf8.RuneSelf {
			return strconv.AppendQuote(b, v)
		}
	}
	if v == "" {
		return append(b, `""`...)
	}
	return append(b, v...)
}

// logRequest writes one access-log line per request after it is answered.
func (s *Server) logRequest(next echo.HandlerFunc) echo.HandlerFunc {
	if s.access == nil {
		return next
	}
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err) // answer now so the status logged is the one sent
		}
		r, res := c.Request(), c.Response()
		s.access.write(start, requestIDOf(c), r.Method, r.URL.Path, res.Status, res.Size, time.Since(start), c.RealIP())
		return nil
	}
}
