package web

import (
	"bytes"
	"encoding/base64"
	"errors"
	"html/template"
	"image/png"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/pquerna/otp"

	"campusnews/internal/accounts"
	"campusnews/internal/validate"
)

// keyTOTPSetup keeps the otpauth URL shown while two-factor login is being set up, so a
// reload or a mistyped code shows the same secret the phone already holds. The session cookie
// is encrypted, and the account itself gets the secret only once a code proves it.
const keyTOTPSetup = "totp_setup"

// qrSize is the width and height of the setup QR code, in pixels.
const qrSize = 200

// AccountPage shows a staff member their own account.
type AccountPage struct {
	Base
	Name         string
	Email        string
	Role         string // as shown
	TOTPEnabled  bool
	TOTPRequired bool // the site requires two-factor login for this role
	RecoveryLeft int
	LastLogin    *time.Time // in the site's time zone
}

// PasswordPage is the form for choosing a new password.
type PasswordPage struct {
	Base
	MustChange bool
	Next       string // where to go once the password is changed
	Errors     validate.Errors
	ErrorList  []FieldError
}

// TwoFactorPage sets up, shows or turns off two-factor login.
type TwoFactorPage struct {
	Base
	Enabled       bool
	Required      bool         // the site requires it for this role: it cannot be turned off
	Secret        string       // grouped in fours, while setting up
	URL           string       // otpauth:// URL, while setting up
	QR            template.URL // data: URL of the QR code PNG, while setting up
	RecoveryCodes []string     // shown once, right after enabling
	RecoveryLeft  int
	Errors        validate.Errors
	Next          string // where to go once it is set up
}

// accountView shows the signed-in member's account.
func (s *Server) accountView(c echo.Context) error {
	u := currentUser(c)
	b := s.staffBase(c, "", "Your account")
	p := AccountPage{Base: b, Name: u.Name, Email: u.Email, Role: u.Role.Label(), TOTPEnabled: u.TOTPEnabled,
		TOTPRequired: totpRequired(b, u), RecoveryLeft: u.RecoveryCodesLeft()}
	if u.LastLoginAt != nil {
		t := u.LastLoginAt.In(b.Site.Location())
		p.LastLogin = &t
	}
	return c.Render(http.StatusOK, "editor/account", p)
}

// totpRequired reports whether the site's settings make u use two-factor login.
func totpRequired(b Base, u *accounts.User) bool {
	return b.Site.Require2FA && u.Role.AtLeast(accounts.Editor)
}

// passwordFields orders the error summary of the password form.
var passwordFields = []string{"current_password", "password", "password_repeat"}

// accountPassword shows the password form.
func (s *Server) accountPassword(c echo.Context) error {
	return s.renderPassword(c, http.StatusOK, nil)
}

func (s *Server) renderPassword(c echo.Context, status int, errs validate.Errors) error {
	p := PasswordPage{Base: s.staffBase(c, "", "Change your password"), MustChange: currentUser(c).MustChangePassword,
		Next: safeNext(c.FormValue("next")), Errors: errs, ErrorList: errorList(errs, "", passwordFields)}
	return c.Render(status, "editor/account_password", p)
}

// accountPasswordPost changes the password. The service ends every session of the account,
// so other devices are logged out, and this browser gets a new login. It then goes on to the
// page asked for before a forced change, which the form carries as next.
func (s *Server) accountPasswordPost(c echo.Context) error {
	u := currentUser(c)
	ctx := c.Request().Context()
	current, next, repeat := c.FormValue("current_password"), c.FormValue("password"), c.FormValue("password_repeat")
	errs := validate.Errors{}
	if current == "" {
		errs.Add("current_password", "Enter your current password")
	}
	if next != repeat {
		errs.Add("password_repeat", "The two new passwords are not the same")
	}
	if msg := accounts.PasswordPolicy(next); msg != "" {
		errs.Add("password", msg)
	}
	if len(errs) == 0 {
		var ve validate.Errors
		var te *accounts.ThrottledError
		switch err := s.users.ChangePassword(ctx, auditActor(c), u.ID, current, next); {
		case errors.As(err, &te):
			errs.Add("current_password", throttledMessage(c, te))
			return s.renderPassword(c, http.StatusTooManyRequests, errs)
		case errors.As(err, &ve):
			for k, msg := range ve {
				if k == "current" {
					k = "current_password"
				}
				errs.Add(k, msg)
			}
		case err != nil:
			return err
		}
	}
	if len(errs) > 0 {
		return s.renderPassword(c, http.StatusUnprocessableEntity, errs)
	}
	fresh, err := s.users.ByID(ctx, u.ID)
	if err != nil {
		return err
	}
	if err := s.startLogin(c, fresh); err != nil {
		return err
	}
	s.addFlash(c, "success", "Your password has been changed. Any other devices logged in as you have been logged out.")
	return c.Redirect(http.StatusSeeOther, safeNext(c.FormValue("next")))
}

// account2FA shows the two-factor state: the setup when off, the way to turn it off when on.
func (s *Server) account2FA(c echo.Context) error {
	u := currentUser(c)
	if u.TOTPEnabled {
		return s.render2FA(c, http.StatusOK, TwoFactorPage{})
	}
	p, err := s.totpSetup(c, u)
	if err != nil {
		return err
	}
	return s.render2FA(c, http.StatusOK, p)
}

// render2FA fills what every state of the two-factor page shares.
func (s *Server) render2FA(c echo.Context, status int, p TwoFactorPage) error {
	u := currentUser(c)
	p.Base = s.staffBase(c, "", "Two-factor login")
	p.Enabled = u.TOTPEnabled
	p.Required = totpRequired(p.Base, u)
	p.RecoveryLeft = u.RecoveryCodesLeft()
	p.Next = safeNext(c.FormValue("next")) // the query on a GET, the form on a POST
	return c.Render(status, "editor/account_2fa", p)
}

// totpSetup returns the page of a setup in progress: the secret already shown in this browser,
// else a new one.
func (s *Server) totpSetup(c echo.Context, u *accounts.User) (TwoFactorPage, error) {
	key, ok := s.pendingTOTP(c, u)
	if !ok {
		var err error
		if key, err = accounts.NewTOTPKey(u.Email); err != nil {
			return TwoFactorPage{}, err
		}
		s.session(c).Values[keyTOTPSetup] = key.URL()
		if err := s.saveSession(c); err != nil {
			return TwoFactorPage{}, err
		}
	}
	img, err := key.Image(qrSize, qrSize)
	if err != nil {
		return TwoFactorPage{}, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return TwoFactorPage{}, err
	}
	// The PNG is made here from the server's own URL, so it is safe as a data: URL.
	qr := template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()))
	return TwoFactorPage{Secret: groupSecret(key.Secret()), URL: key.URL(), QR: qr}, nil
}

// pendingTOTP returns the key of the setup shown in this browser, if it is u's.
func (s *Server) pendingTOTP(c echo.Context, u *accounts.User) (*otp.Key, bool) {
	raw, _ := s.session(c).Values[keyTOTPSetup].(string)
	if raw == "" {
		return nil, false
	}
	key, err := otp.NewKeyFromURL(raw)
	if err != nil || key.AccountName() != u.Email {
		return nil, false
	}
	return key, true
}

// groupSecret writes a secret in groups of four, easier to type from the screen.
func groupSecret(secret string) string {
	var b strings.Builder
	for i, r := range secret {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// account2FAEnablePost turns two-factor login on once the password and a code from the app
// prove the setup, and shows the recovery codes: this once, never again, so they are not put
// in a redirect. Every other session of the account ends; this one stays.
func (s *Server) account2FAEnablePost(c echo.Context) error {
	u := currentUser(c)
	ctx := c.Request().Context()
	in := accounts.TOTPEnable{Password: c.FormValue("password"), Code: c.FormValue("code"), Keep: s.sessionID(c)}
	if key, ok := s.pendingTOTP(c, u); ok {
		in.Secret = key.Secret()
	}
	var codes []string
	errs := missing2FA(in.Password, in.Code)
	if len(errs) == 0 {
		var err error
		codes, err = s.users.EnableTOTP(ctx, auditActor(c), u.ID, in)
		var te *accounts.ThrottledError
		switch {
		case errors.Is(err, accounts.ErrTOTPEnabled):
			s.addFlash(c, "info", "Two-factor login is already on.")
			return c.Redirect(http.StatusSeeOther, "/account/2fa")
		case errors.As(err, &te):
			p, err := s.totpSetup(c, u)
			if err != nil {
				return err
			}
			p.Errors = validate.Errors{"password": throttledMessage(c, te)}
			return s.render2FA(c, http.StatusTooManyRequests, p)
		case errors.As(err, &errs):
		case err != nil:
			return err
		}
	}
	if len(errs) > 0 {
		p, err := s.totpSetup(c, u)
		if err != nil {
			return err
		}
		p.Errors = errs
		return s.render2FA(c, http.StatusUnprocessableEntity, p)
	}
	delete(s.session(c).Values, keyTOTPSetup)
	if err := s.saveSession(c); err != nil {
		return err
	}
	fresh, err := s.users.ByID(ctx, u.ID)
	if err != nil {
		return err
	}
	c.Set(ctxUser, fresh)
	return s.render2FA(c, http.StatusOK, TwoFactorPage{RecoveryCodes: codes})
}

// missing2FA asks for the fields both two-factor forms need.
func missing2FA(password, code string) validate.Errors {
	errs := validate.Errors{}
	if password == "" {
		errs.Add("password", "Enter your password")
	}
	if strings.TrimSpace(code) == "" {
		errs.Add("code", "Enter the code from your authenticator app")
	}
	return errs
}

// account2FADisablePost turns two-factor login off after the password and a current code are
// typed again, unless the site requires it for the member's role. Every other session of the
// account ends; this one stays.
func (s *Server) account2FADisablePost(c echo.Context) error {
	u := currentUser(c)
	ctx := c.Request().Context()
	st, err := s.site.Get(ctx)
	if err != nil {
		return err
	}
	if !u.TOTPEnabled {
		return c.Redirect(http.StatusSeeOther, "/account/2fa")
	}
	if st.Require2FA && u.Role.AtLeast(accounts.Editor) {
		return s.render2FA(c, http.StatusForbidden, TwoFactorPage{Errors: validate.Errors{
			"required": "The site requires two-factor login for your role, so it cannot be turned off."}})
	}
	in := accounts.TOTPDisable{Password: c.FormValue("password"), Code: c.FormValue("code"), Keep: s.sessionID(c)}
	if errs := missing2FA(in.Password, in.Code); len(errs) > 0 {
		return s.render2FA(c, http.StatusUnprocessableEntity, TwoFactorPage{Errors: errs})
	}
	err = s.users.DisableTOTP(ctx, auditActor(c), u.ID, in)
	var te *accounts.ThrottledError
	var errs validate.Errors
	switch {
	case errors.As(err, &te):
		field := "password"
		if te.Code {
			field = "code"
		}
		return s.render2FA(c, http.StatusTooManyRequests, TwoFactorPage{Errors: validate.Errors{
			field: throttledMessage(c, te)}})
	case errors.As(err, &errs):
		return s.render2FA(c, http.StatusUnprocessableEntity, TwoFactorPage{Errors: errs})
	case err != nil:
		return err
	}
	s.addFlash(c, "success", "Two-factor login is off, and your other devices have been logged out. You can turn it on again at any time.")
	return c.Redirect(http.StatusSeeOther, "/account")
}

// accountLogoutEverywherePost ends every login of the member, this browser's too, as after a
// lost phone or a session left open somewhere.
func (s *Server) accountLogoutEverywherePost(c echo.Context) error {
	u := currentUser(c)
	if err := s.users.EndSessions(c.Request().Context(), auditActor(c), u.ID); err != nil {
		return err
	}
	sess := s.session(c)
	for k := range sess.Values {
		delete(sess.Values, k)
	}
	s.addFlash(c, "success", "You are logged out everywhere, on this browser too.")
	return c.Redirect(http.StatusSeeOther, "/login")
}
