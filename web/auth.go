package web

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"campusnews/internal/accounts"
)

// Login flow settings and messages.
const (
	// pendingTTL is how long the second step of a login waits for its code.
	pendingTTL   = 5 * time.Minute
	keyPendingAt = "pending_at"
	// carryPrefix and carryActionField hold a kept submission inside the login forms.
	carryPrefix      = "carry."
	carryActionField = "carry_action"
	maxEmailLen      = 254

	msgBadLogin    = "E-mail or password is wrong."
	msgBadCode     = "That code is not right. Check the time on your phone, or use one of your recovery codes."
	msgLoginAgain  = "Your login took too long to finish. Please log in again."
	msgResubmitted = "You are logged in again. Press Save to finish what you were doing."
)

// TOTPLoginPage asks for the second factor of a login.
type TOTPLoginPage struct {
	Base
	Next    string
	Message string
	Errors  map[string]string
	Carry   *Carried
}

// loginView shows the login form; a signed-in user goes straight on.
func (s *Server) loginView(c echo.Context) error {
	next := safeNext(c.QueryParam("next"))
	if currentUser(c) != nil {
		return c.Redirect(http.StatusSeeOther, next)
	}
	// A next= means a staff page sent the visitor here; say why, unless a message already does.
	return s.renderLogin(c, http.StatusOK, LoginPage{Next: next, Asked: c.QueryParam("next") != ""})
}

// loginPost checks the e-mail address and password. An unknown address and a wrong password
// get the same answer, so the form does not reveal who has an account.
func (s *Server) loginPost(c echo.Context) error {
	email := truncate(strings.TrimSpace(c.FormValue("email")), maxEmailLen)
	password := c.FormValue("password")
	page := LoginPage{Email: email, Next: safeNext(c.FormValue("next")), Carry: postedCarry(c)}
	if email == "" || password == "" {
		page.Errors = map[string]string{}
		if email == "" {
			page.Errors["email"] = "Enter your e-mail address"
		}
		if password == "" {
			page.Errors["password"] = "Enter your password"
		}
		return s.renderLogin(c, http.StatusUnprocessableEntity, page)
	}
	u, err := s.users.Authenticate(c.Request().Context(), auditActor(c), email, password)
	var te *accounts.ThrottledError
	switch {
	case errors.As(err, &te):
		page.Errors = map[string]string{"login": throttledMessage(c, te)}
		return s.renderLogin(c, http.StatusTooManyRequests, page)
	case errors.Is(err, accounts.ErrInvalidCredentials):
		page.Errors = map[string]string{"login": msgBadLogin}
		return s.renderLogin(c, http.StatusUnprocessableEntity, page)
	case err != nil:
		return err
	}
	if u.TOTPEnabled {
		return s.askSecondFactor(c, u, page)
	}
	return s.finishLogin(c, u, page.Next, page.Carry)
}

// askSecondFactor remembers, for pendingTTL, that u got the password right and asks for the
// code. A kept submission cannot ride a redirect, so then the code form is the answer itself.
func (s *Server) askSecondFactor(c echo.Context, u *accounts.User, p LoginPage) error {
	sess := s.session(c)
	sess.Values[keyPending] = u.ID
	sess.Values[keyPendingAt] = time.Now().Unix()
	if err := s.saveSession(c); err != nil {
		return err
	}
	if p.Carry != nil {
		return s.renderTOTP(c, http.StatusOK, TOTPLoginPage{Next: p.Next, Carry: p.Carry})
	}
	return c.Redirect(http.StatusSeeOther, "/login/2fa?next="+url.QueryEscape(p.Next))
}

// pendingUser is the account waiting for its second factor, if it is still in time.
func (s *Server) pendingUser(c echo.Context) (int64, bool) {
	sess := s.session(c)
	id, ok := sess.Values[keyPending].(int64)
	at, ok2 := sess.Values[keyPendingAt].(int64)
	if !ok || !ok2 || id <= 0 {
		return 0, false
	}
	age := time.Since(time.Unix(at, 0))
	return id, age >= 0 && age < pendingTTL
}

// clearPending forgets a half-finished login.
func (s *Server) clearPending(c echo.Context) error {
	sess := s.session(c)
	delete(sess.Values, keyPending)
	delete(sess.Values, keyPendingAt)
	return s.saveSession(c)
}

// loginTOTPView shows the code form of a login whose password step has passed.
func (s *Server) loginTOTPView(c echo.Context) error {
	next := safeNext(c.QueryParam("next"))
	if _, ok := s.pendingUser(c); !ok {
		if err := s.clearPending(c); err != nil {
			return err
		}
		s.addFlash(c, "info", msgLoginAgain)
		return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(next))
	}
	return s.renderTOTP(c, http.StatusOK, TOTPLoginPage{Next: next})
}

// loginTOTPPost finishes a login with a code from the authenticator app or a recovery code.
func (s *Server) loginTOTPPost(c echo.Context) error {
	page := TOTPLoginPage{Next: safeNext(c.FormValue("next")), Carry: postedCarry(c)}
	id, ok := s.pendingUser(c)
	if !ok {
		if err := s.clearPending(c); err != nil {
			return err
		}
		return s.renderLogin(c, http.StatusUnauthorized, LoginPage{Next: page.Next, Carry: page.Carry, Message: msgLoginAgain})
	}
	code := strings.TrimSpace(c.FormValue("code"))
	if code == "" {
		page.Errors = map[string]string{"code": "Enter the six-digit code or a recovery code"}
		return s.renderTOTP(c, http.StatusUnprocessableEntity, page)
	}
	ctx := c.Request().Context()
	err := s.users.VerifySecondFactor(ctx, auditActor(c), id, code)
	var te *accounts.ThrottledError
	switch {
	case errors.As(err, &te):
		page.Errors = map[string]string{"code": throttledMessage(c, te)}
		return s.renderTOTP(c, http.StatusTooManyRequests, page)
	case errors.Is(err, accounts.ErrTOTPInvalid):
		page.Errors = map[string]string{"code": msgBadCode}
		return s.renderTOTP(c, http.StatusUnprocessableEntity, page)
	case errors.Is(err, accounts.ErrInactive), errors.Is(err, accounts.ErrNotFound):
		if err := s.clearPending(c); err != nil {
			return err
		}
		return s.renderLogin(c, http.StatusUnprocessableEntity, LoginPage{Next: page.Next, Carry: page.Carry,
			Errors: map[string]string{"login": msgBadLogin}})
	case err != nil:
		return err
	}
	u, err := s.users.ByID(ctx, id)
	if err != nil {
		return err
	}
	return s.finishLogin(c, u, page.Next, page.Carry)
}

// finishLogin starts u's session and sends them on: to a kept submission, which they send
// again with one button, or to next. The accounts service has recorded the login.
func (s *Server) finishLogin(c echo.Context, u *accounts.User, next string, carry *Carried) error {
	if err := s.startLogin(c, u); err != nil {
		return err
	}
	if carry != nil && !u.MustChangePassword {
		page := ResubmitPage{Base: s.staffBase(c, "", "Save your work"), Message: msgResubmitted, Carry: carry}
		return c.Render(http.StatusOK, "pages/resubmit", page)
	}
	return c.Redirect(http.StatusSeeOther, next)
}

// logoutView answers someone who types /logout: logging out changes state, so it takes the
// page's button (a POST with the CSRF token) rather than happening on a GET that any link or
// image could send. Without a login there is nothing to end.
func (s *Server) logoutView(c echo.Context) error {
	if currentUser(c) == nil {
		return c.Redirect(http.StatusSeeOther, "/login")
	}
	return c.Render(http.StatusOK, "pages/logout", LogoutPage{Base: s.staffBase(c, "", "Log out")})
}

// logoutPost ends the login on the server, so a copied cookie no longer works either.
func (s *Server) logoutPost(c echo.Context) error {
	if err := s.endLogin(c); err != nil {
		return err
	}
	// endLogin expired the cookie; a fresh, empty one carries the message.
	s.session(c).Options.MaxAge = sessionMaxAge
	s.addFlash(c, "success", "You are logged out.")
	return c.Redirect(http.StatusSeeOther, "/login")
}

// renderLogin draws the login form. When the login form itself is posted, what it carried
// (a kept submission, where to go next) stays in it whatever went wrong.
func (s *Server) renderLogin(c echo.Context, status int, p LoginPage) error {
	r := c.Request()
	if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/login") {
		if p.Carry == nil {
			p.Carry = postedCarry(c)
		}
		if n := c.FormValue("next"); n != "" {
			p.Next = safeNext(n)
		}
	}
	p.Carry = keepCarry(p.Carry)
	if p.Next == "" {
		p.Next = safeNext("")
	}
	p.Base = s.staffBase(c, "", "Log in")
	return c.Render(status, "pages/login", p)
}

// renderTOTP draws the code form of the login.
func (s *Server) renderTOTP(c echo.Context, status int, p TOTPLoginPage) error {
	p.Carry = keepCarry(p.Carry)
	p.Base = s.staffBase(c, "", "Two-factor login")
	return c.Render(status, "pages/login_2fa", p)
}

// throttledMessage says how long to wait, also in a Retry-After header.
func throttledMessage(c echo.Context, te *accounts.ThrottledError) string {
	secs := int(math.Ceil(te.RetryAfter.Seconds()))
	c.Response().Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	mins := max(int(math.Ceil(te.RetryAfter.Minutes())), 1)
	if mins == 1 {
		return "Too many failed attempts. Try again in 1 minute."
	}
	return fmt.Sprintf("Too many failed attempts. Try again in %d minutes.", mins)
}

// postedCarry reads a kept submission back from the hidden carry fields of a login form.
func postedCarry(c echo.Context) *Carried {
	params, err := c.FormParams()
	if err != nil {
		return nil
	}
	cr := &Carried{Action: params.Get(carryActionField)}
	names := make([]string, 0, len(params))
	for k := range params {
		if strings.HasPrefix(k, carryPrefix) {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range params[k] {
			cr.Fields = append(cr.Fields, CarriedField{Name: strings.TrimPrefix(k, carryPrefix), Value: v})
		}
	}
	return keepCarry(cr)
}

// carryAction is a staff form address of this site: no host, no query, no dot segments.
var carryAction = regexp.MustCompile(`^/(editor|admin|account)(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*$`)

// keepCarry returns cr when it is worth offering again: text to send to a staff form of this
// site. The hidden fields come back from the browser, so the address is checked again.
func keepCarry(cr *Carried) *Carried {
	if cr == nil || len(cr.Fields) == 0 || !carryAction.MatchString(cr.Action) {
		return nil
	}
	return cr
}

// truncate cuts s to at most n characters.
func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
