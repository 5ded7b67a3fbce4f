package web

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"campusnews/internal/audit"
	"campusnews/internal/news"
)

// loggedServer is env's site served by a second Server that logs every request, writing its
// lines through h.
func loggedServer(tb testing.TB, env *testEnv, h slog.Handler) *Server {
	tb.Helper()
	cfg := env.srv.cfg
	cfg.LogRequests = true
	srv, err := New(Deps{Config: cfg, Changes: env.changes, News: env.news, Views: news.NewViews(env.db), Site: env.srv.site,
		Users: env.users, Audit: audit.New(env.db), Media: env.media, Log: slog.New(h), Ping: env.srv.ping})
	if err != nil {
		tb.Fatal(err)
	}
	// A handler that panics, as a bug would.
	srv.Echo().GET("/test/panic", func(echo.Context) error { panic("a bug") })
	return srv
}

// failingRequests are answered with a 500: a panic, and the database closed under a page that
// reads it.
func failingRequests(t *testing.T, env *testEnv, srv *Server) (ids []string) {
	t.Helper()
	get := func(path string) {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		id := rec.Header().Get(echo.HeaderXRequestID)
		if rec.Code != http.StatusInternalServerError || id == "" || !strings.Contains(rec.Body.String(), id) {
			t.Fatalf("GET %s: status %d, request id %q not on the page\n%.300s", path, rec.Code, id, rec.Body.String())
		}
		ids = append(ids, id)
	}
	get("/test/panic")
	sqlDB, err := env.db.DB()
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlDB.Close(); err != nil {
		t.Fatal(err)
	}
	get("/search?q=research")
	return ids
}

// With --log-format json every line written while serving a failing request is a JSON object
// carrying the request id the response was sent with: the error with its cause, and the
// access line with the 500.
func TestJSONLogLinesCarryTheRequestID(t *testing.T) {
	env := newTestEnv(t)
	var out bytes.Buffer
	srv := loggedServer(t, env, slog.NewJSONHandler(&out, nil))
	ids := failingRequests(t, env, srv)

	byID := map[string][]map[string]any{}
	for _, line := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("not a JSON line: %v\n%s", err, line)
		}
		id, _ := rec["request_id"].(string)
		byID[id] = append(byID[id], rec)
	}
	if len(byID) != len(ids) {
		t.Errorf("log lines of %d request ids, want %d:\n%s", len(byID), len(ids), out.String())
	}
	for i, want := range []string{"panic", "request failed"} {
		recs := byID[ids[i]]
		var errorLine, accessLine bool
		for _, r := range recs {
			switch {
			case r["level"] == "ERROR" && r["msg"] == want:
				errorLine = true
			case r["level"] == "INFO" && r["msg"] == "request" && r["status"] == float64(500) && r["path"] != nil:
				accessLine = true
			}
		}
		if !errorLine || !accessLine {
			t.Errorf("request %s: error line %v, access line %v:\n%v", ids[i], errorLine, accessLine, recs)
		}
	}
}

// The text format carries the same, as key=value.
func TestTextLogLinesCarryTheRequestID(t *testing.T) {
	env := newTestEnv(t)
	var out bytes.Buffer
	srv := loggedServer(t, env, slog.NewTextHandler(&out, nil))
	ids := failingRequests(t, env, srv)
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	for _, line := range lines {
		if !strings.HasSuffix(line, " request_id="+ids[0]) && !strings.HasSuffix(line, " request_id="+ids[1]) {
			t.Errorf("a line without the request id: %s", line)
		}
	}
	for _, id := range ids {
		var errorLine, accessLine bool
		for _, line := range lines {
			if strings.HasSuffix(line, " request_id="+id) {
				errorLine = errorLine || strings.Contains(line, " level=ERROR ")
				accessLine = accessLine || strings.Contains(line, " msg=request ") && strings.Contains(line, " status=500 ")
			}
		}
		if !errorLine || !accessLine {
			t.Errorf("request %s: error line %v, access line %v:\n%s", id, errorLine, accessLine, out.String())
		}
	}
}

// Services given the server's logger log with the request's id too when they log with its
// context; outside a request nothing is added.
func TestLogHandlerAddsTheIDFromTheContext(t *testing.T) {
	var out bytes.Buffer
	log := slog.New(LogHandler(slog.NewJSONHandler(&out, nil))).With("service", "news")
	if LogHandler(log.Handler()) != log.Handler() {
		t.Error("LogHandler wraps an already wrapped handler again")
	}
	ctx := (&idContext{Context: t.Context(), id: "abc-1"})
	log.InfoContext(ctx, "in a request")
	log.Info("outside")
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"service":"news","request_id":"abc-1"`) ||
		strings.Contains(lines[1], "request_id") {
		t.Errorf("lines:\n%s", out.String())
	}
}
