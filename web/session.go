package web

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"campusnews/internal/accounts"
)

// The session cookie holds only the login id, the CSRF token, a pending two-factor user and
// flash messages; who the user is comes from the database on every request.
const (
	sessionCookie   = "campusnews_session"
	sessionMaxAge   = 12 * 60 * 60 // absolute lifetime of a login, seconds
	keySID          = "sid"
	keyCSRF         = "csrf"
	keyPending      = "pending_uid"
	ctxSession      = "session"
	ctxUser         = "user"
	sessionKeyFile  = "session.key"
	minSessionBytes = 32
)

// newCookieStore builds the signed and encrypted cookie store from the configured key, or
// from one generated once and kept in the data directory.
func newCookieStore(key, dataDir string, secure bool) (*sessions.CookieStore, error) {
	if key == "" {
		var err error
		if key, err = loadOrCreateKey(filepath.Join(dataDir, sessionKeyFile)); err != nil {
			return nil, err
		}
	}
	hashKey := sha256.Sum256([]byte("campusnews session signing\x00" + key))
	blockKey := sha256.Sum256([]byte("campusnews session encryption\x00" + key))
	st := sessions.NewCookieStore(hashKey[:], blockKey[:])
	st.Options = &sessions.Options{
		Path:     "/",
		MaxAge:   sessionMaxAge,
		HttpOnly: true,
		Secure:   secure,
		SameSite: http.SameSiteLaxMode,
	}
	st.MaxAge(sessionMaxAge)
	return st, nil
}

func loadOrCreateKey(path string) (string, error) {
	if b, err := os.ReadFile(path); err == nil {
		if k := strings.TrimSpace(string(b)); len(k) >= minSessionBytes {
			return k, nil
		}
		return "", fmt.Errorf("web: session key in %s is too short", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("web: read session key: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return "", fmt.Errorf("web: session key directory: %w", err)
	}
	key := randomToken(32)
	if err := os.WriteFile(path, []byte(key+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("web: write session key: %w", err)
	}
	return key, nil
}

// randomToken is n random bytes, hex encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the system's random source failing is not recoverable
	}
	return hex.EncodeToString(b)
}

// session returns the request's session, read once per request.
func (s *Server) session(c echo.Context) *sessions.Session {
	if sess, ok := c.Get(ctxSession).(*sessions.Session); ok {
		return sess
	}
	sess, err := s.cookies.Get(c.Request(), sessionCookie)
	if err != nil {
		// A cookie from an old key or a tampered one: start afresh.
		sess, _ = s.cookies.New(c.Request(), sessionCookie)
	}
	c.Set(ctxSession, sess)
	return sess
}

func (s *Server) saveSession(c echo.Context) error {
	if err := s.session(c).Save(c.Request(), c.Response()); err != nil {
		return fmt.Errorf("web: save session: %w", err)
	}
	return nil
}

// csrfToken returns the session's CSRF token, creating it when missing.
func (s *Server) csrfToken(c echo.Context) string {
	sess := s.session(c)
	if tok, ok := sess.Values[keyCSRF].(string); ok && tok != "" {
		return tok
	}
	tok := randomToken(32)
	sess.Values[keyCSRF] = tok
	if err := s.saveSession(c); err != nil {
		s.log.ErrorContext(c.Request().Context(), "save session", "err", err)
	}
	return tok
}

// addFlash queues a message for the next page this browser sees.
func (s *Server) addFlash(c echo.Context, kind, msg string) {
	s.session(c).AddFlash(kind + "\x00" + msg)
	if err := s.saveSession(c); err != nil {
		s.log.ErrorContext(c.Request().Context(), "save flash", "err", err)
	}
}

// takeFlashes returns and clears the queued messages.
func (s *Server) takeFlashes(c echo.Context) []Flash {
	sess := s.session(c)
	raw := sess.Flashes()
	if len(raw) == 0 {
		return nil
	}
	out := make([]Flash, 0, len(raw))
	for _, r := range raw {
		if str, ok := r.(string); ok {
			kind, msg, _ := strings.Cut(str, "\x00")
			out = append(out, Flash{Kind: kind, Message: msg})
		}
	}
	if err := s.saveSession(c); err != nil {
		s.log.ErrorContext(c.Request().Context(), "save session", "err", err)
	}
	return out
}

// startLogin replaces whatever the session held with a new login for u: a new session id and
// a new CSRF token, so nothing from before the login carries over.
func (s *Server) startLogin(c echo.Context, u *accounts.User) error {
	sid, err := s.users.StartSession(c.Request().Context(), u.ID, c.RealIP(), c.Request().UserAgent())
	if err != nil {
		return err
	}
	sess := s.session(c)
	for k := range sess.Values {
		delete(sess.Values, k)
	}
	sess.Values[keySID] = sid
	sess.Values[keyCSRF] = randomToken(32)
	c.Set(ctxUser, u)
	return s.saveSession(c)
}

// endLogin ends the login on the server, which records the logout, and clears the cookie.
func (s *Server) endLogin(c echo.Context) error {
	sess := s.session(c)
	if sid := s.sessionID(c); sid != "" {
		if err := s.users.EndSession(c.Request().Context(), auditActor(c), sid); err != nil {
			return err
		}
	}
	for k := range sess.Values {
		delete(sess.Values, k)
	}
	sess.Options.MaxAge = -1
	return s.saveSession(c)
}

// loadUser puts the signed-in, active staff member (if any) into the context. Only staff
// routes use it, so public pages never read a cookie or the users table.
func (s *Server) loadUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		sess := s.session(c)
		if sid, ok := sess.Values[keySID].(string); ok && sid != "" {
			u, err := s.users.SessionUser(c.Request().Context(), sid)
			switch {
			case err == nil:
				c.Set(ctxUser, u)
			case errors.Is(err, accounts.ErrNotFound):
				delete(sess.Values, keySID) // expired, logged out elsewhere, or deactivated
				if err := s.saveSession(c); err != nil {
					return err
				}
			default:
				return err
			}
		}
		return next(c)
	}
}

// sessionID is the secret id of the request's login, "" when there is none.
func (s *Server) sessionID(c echo.Context) string {
	sid, _ := s.session(c).Values[keySID].(string)
	return sid
}

// currentUser is the signed-in staff member, or nil.
func currentUser(c echo.Context) *accounts.User {
	u, _ := c.Get(ctxUser).(*accounts.User)
	return u
}
