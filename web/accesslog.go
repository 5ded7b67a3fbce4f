package web

import (
	"context"
	"log/slog"
	"time"

	"github.com/labstack/echo/v4"
)

// LogHandler wraps h so that every record logged with a request's context (InfoContext,
// ErrorContext, LogAttrs) carries the request's id as request_id: the id its error page shows
// and its X-Request-Id header carries. New wraps the logger it is given; a caller that hands
// the same logger to services wraps it first, so their lines carry the id too.
func LogHandler(h slog.Handler) slog.Handler {
	if _, ok := h.(requestIDHandler); ok {
		return h
	}
	return requestIDHandler{h}
}

type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := requestIDFrom(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(attrs)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

// requestIDKey keys a request's id in its context.
type requestIDKey struct{}

// idContext carries a request's id: one allocation, where context.WithValue would take two
// (the string boxed in an interface).
type idContext struct {
	context.Context
	id string
}

func (c *idContext) Value(key any) any {
	if key == (requestIDKey{}) {
		return c.id
	}
	return c.Context.Value(key)
}

// requestIDFrom returns the id of the request ctx belongs to, or "".
func requestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// logRequest writes one access-log line per request after it is answered, through the
// server's logger, so it has the format (text or JSON) and the request_id of every other line.
func (s *Server) logRequest(next echo.HandlerFunc) echo.HandlerFunc {
	if !s.cfg.LogRequests {
		return next
	}
	return func(c echo.Context) error {
		start := time.Now()
		if err := next(c); err != nil {
			c.Error(err) // answer now so the status logged is the one sent
		}
		r, res := c.Request(), c.Response()
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Int("status", res.Status),
			slog.Int64("bytes", res.Size), slog.Duration("took", time.Since(start)), slog.String("ip", c.RealIP()))
		return nil
	}
}
