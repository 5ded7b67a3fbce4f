package web

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"runtime/debug"
	"strconv"
	"sync/atomic"

	"github.com/labstack/echo/v4"
)

// contentSecurityPolicy allows only the site's own files: no inline script or style, no
// framing, forms post only here.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; " +
	"frame-ancestors 'none'"

// middleware installs the chain every request goes through, outermost first. The request id
// comes first so that everything after it logs with it; the access log sits outside the panic
// recovery so that a panicking request is logged with the 500 it was answered with. Metrics,
// when on, sit beside the access log, outside the recovery too; when off they are not in the
// chain at all.
func (s *Server) middleware() {
	chain := []echo.MiddlewareFunc{s.requestID, s.logRequest}
	if s.metrics != nil {
		chain = append(chain, s.measureRequest)
	}
	s.echo.Use(append(chain, s.recoverPanic, s.securityHeaders)...)
}

// recoverPanic turns a panic into a 500 page and a log line with the stack.
func (s *Server) recoverPanic(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				s.log.ErrorContext(c.Request().Context(), "panic", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				err = fmt.Errorf("web: panic: %v", r)
			}
		}()
		return next(c)
	}
}

var (
	idPrefix  = randomHex(4)
	idCounter atomic.Uint64
)

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// requestID gives every request an id, shown on error pages, sent as X-Request-Id and put on
// every log line of the request (see LogHandler): a random per-process prefix and a counter,
// so it costs no system call.
func (s *Server) requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := idPrefix + "-" + strconv.FormatUint(idCounter.Add(1), 36)
		c.Response().Header()[echo.HeaderXRequestID] = []string{id}
		r := c.Request()
		c.SetRequest(r.WithContext(&idContext{Context: r.Context(), id: id}))
		return next(c)
	}
}

func requestIDOf(c echo.Context) string {
	return c.Response().Header().Get(echo.HeaderXRequestID)
}

// securityHeaders sets the headers every response carries. The values are built once and
// assigned without canonicalising on every request. Framing is refused by the CSP's
// frame-ancestors, which every current browser honours, so X-Frame-Options is not sent too.
func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	fixed := map[string][]string{
		"Content-Security-Policy":    {contentSecurityPolicy},
		"X-Content-Type-Options":     {"nosniff"},
		"Referrer-Policy":            {"strict-origin-when-cross-origin"},
		"Cross-Origin-Opener-Policy": {"same-origin"},
	}
	hsts := []string{"max-age=31536000; includeSubDomains"}
	return func(c echo.Context) error {
		h := c.Response().Header()
		for k, v := range fixed {
			h[k] = v
		}
		if s.cfg.SecureCookies || c.IsTLS() {
			h["Strict-Transport-Security"] = hsts
		}
		return next(c)
	}
}
