package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"campusnews/internal/accounts"
	"campusnews/internal/validate"
)

func (s *Server) userList(c echo.Context) error {
	users, err := s.users.List(c.Request().Context())
	if err != nil {
		return err
	}
	page := UserListPage{Base: s.staffBase(c, menuUsers, "Users")}
	loc := page.Site.Location()
	for i := range users {
		page.Users = append(page.Users, userRow(&users[i], loc))
	}
	return c.Render(http.StatusOK, "admin/users", page)
}

func (s *Server) userNew(c echo.Context) error {
	form := UserForm{Role: string(accounts.Writer), Active: true, PasswordMode: "generate"}
	return s.renderUserForm(c, http.StatusOK, nil, form, nil)
}

// userNewPost creates an account whose owner must choose a new password at first login. A
// generated password is shown once, on the page this request answers with.
func (s *Server) userNewPost(c echo.Context) error {
	ctx := c.Request().Context()
	form := UserForm{Email: strings.TrimSpace(c.FormValue("email")), Name: strings.TrimSpace(c.FormValue("name")),
		Role: c.FormValue("role"), Active: true, PasswordMode: c.FormValue("password_mode")}
	pw := c.FormValue("password")
	if form.PasswordMode != "typed" {
		form.PasswordMode = "generate"
		var err error
		if pw, err = accounts.OneTimePassword(); err != nil {
			return err
		}
	}
	u, err := s.users.Create(ctx, auditActor(c), accounts.NewUser{Email: form.Email, Name: form.Name, Role: accounts.Role(form.Role),
		Password: pw, MustChangePassword: true})
	if verrs, ok := adminFieldErrors(err); ok {
		return s.renderUserForm(c, http.StatusUnprocessableEntity, nil, form, verrs)
	}
	if err != nil {
		return err
	}
	if form.PasswordMode == "typed" {
		s.addFlash(c, "success", fmt.Sprintf("The account for %s was created. They must choose a new password when they first log in.", u.Email))
		return c.Redirect(http.StatusSeeOther, "/admin/users")
	}
	return s.renderOneTimePassword(c, u, pw, true)
}

func (s *Server) userEdit(c echo.Context) error {
	u, err := s.adminUser(c)
	if err != nil {
		return err
	}
	form := UserForm{Email: u.Email, Name: u.Name, Role: string(u.Role), Active: u.Active}
	return s.renderUserForm(c, http.StatusOK, u, form, nil)
}

// userEditPost changes name, role and active state. The accounts service ends the sessions of
// an account that is deactivated or changes role, so the change applies at once, and records
// what changed.
func (s *Server) userEditPost(c echo.Context) error {
	ctx := c.Request().Context()
	before, err := s.adminUser(c)
	if err != nil {
		return err
	}
	form := UserForm{Email: before.Email, Name: strings.TrimSpace(c.FormValue("name")), Role: c.FormValue("role"),
		Active: adminChecked(c, "active")}
	u, err := s.users.Update(ctx, auditActor(c), before.ID, accounts.UserUpdate{Name: form.Name, Role: accounts.Role(form.Role), Active: form.Active})
	if verrs, ok := adminFieldErrors(err); ok {
		return s.renderUserForm(c, http.StatusUnprocessableEntity, before, form, verrs)
	}
	if err != nil {
		return err
	}
	s.addFlash(c, "success", fmt.Sprintf("The account of %s was saved.", u.Email))
	return c.Redirect(http.StatusSeeOther, "/admin/users")
}

// userPasswordPost gives an account a new one-time password, shown once, and ends its
// sessions. Admins change their own password on their account page instead, which asks for
// the current one.
func (s *Server) userPasswordPost(c echo.Context) error {
	ctx := c.Request().Context()
	u, err := s.adminUser(c)
	if err != nil {
		return err
	}
	if me := currentUser(c); me != nil && me.ID == u.ID {
		s.addFlash(c, "info", "Change your own password here; it needs your current one.")
		return c.Redirect(http.StatusSeeOther, "/account/password")
	}
	pw, err := accounts.OneTimePassword()
	if err != nil {
		return err
	}
	// SetPassword ends the account's sessions and records the reset in the same transaction.
	if err := s.users.SetPassword(ctx, auditActor(c), u.ID, pw, true); err != nil {
		return err
	}
	return s.renderOneTimePassword(c, u, pw, false)
}

// userTOTPDisablePost turns off the two-factor login of someone who has lost both their
// authenticator app and their recovery codes, and ends their sessions. Admins turn off their
// own on their account page instead, which asks for a current code.
func (s *Server) userTOTPDisablePost(c echo.Context) error {
	ctx := c.Request().Context()
	u, err := s.adminUser(c)
	if err != nil {
		return err
	}
	if me := currentUser(c); me != nil && me.ID == u.ID {
		s.addFlash(c, "info", "Turn off your own two-factor login here; it needs a current code.")
		return c.Redirect(http.StatusSeeOther, "/account/2fa")
	}
	back := "/admin/users/" + strconv.FormatInt(u.ID, 10)
	if !u.TOTPEnabled {
		s.addFlash(c, "info", fmt.Sprintf("Two-factor login of %s is already off.", u.Email))
		return c.Redirect(http.StatusSeeOther, back)
	}
	// ResetTOTP ends the account's sessions and records the reset in the same transaction.
	if err := s.users.ResetTOTP(ctx, auditActor(c), u.ID); err != nil {
		return err
	}
	s.addFlash(c, "success", fmt.Sprintf("Two-factor login of %s is off, and they have been logged out everywhere. "+
		"They now log in with their password alone and can set up two-factor login again on their account page.", u.Email))
	return c.Redirect(http.StatusSeeOther, back)
}

// renderOneTimePassword answers a POST with the page showing pw. It is never stored in a
// flash message or any cookie, and the page must not be cached.
func (s *Server) renderOneTimePassword(c echo.Context, u *accounts.User, pw string, created bool) error {
	title := "Password reset"
	if created {
		title = "Account created"
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	page := UserPasswordPage{Base: s.staffBase(c, menuUsers, title), ID: u.ID, Name: u.Name, Email: u.Email, Password: pw, Created: created}
	return c.Render(http.StatusOK, "admin/user_password", page)
}

// adminUser returns the account named by :id, or a 404.
func (s *Server) adminUser(c echo.Context) (*accounts.User, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	u, err := s.users.ByID(c.Request().Context(), id)
	if errors.Is(err, accounts.ErrNotFound) {
		return nil, echo.ErrNotFound
	}
	return u, err
}

// userFields orders the error summary of the user form.
var userFields = []string{"email", "name", "role", "active", "password"}

// renderUserForm shows the new-account form (u nil) or the edit form of u.
func (s *Server) renderUserForm(c echo.Context, status int, u *accounts.User, form UserForm, errs validate.Errors) error {
	title := "New user"
	if u != nil {
		title = "Edit " + u.Name
	}
	page := UserFormPage{Base: s.staffBase(c, menuUsers, title), Form: form, Errors: errs,
		ErrorList: errorList(errs, "user-", userFields)}
	for _, r := range accounts.Roles {
		page.Roles = append(page.Roles, RoleOption{Value: string(r), Label: r.Label()})
	}
	if u != nil {
		row := userRow(u, page.Site.Location())
		page.ID, page.User = u.ID, &row
		page.Self = page.Base.User != nil && page.Base.User.ID == u.ID
	}
	return c.Render(status, "admin/user_form", page)
}

// userRow is u as the user pages show it, with times in loc.
func userRow(u *accounts.User, loc *time.Location) UserRow {
	r := UserRow{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role), RoleLabel: u.Role.Label(),
		Active: u.Active, TwoFactor: u.TOTPEnabled, MustChange: u.MustChangePassword, Created: u.CreatedAt.In(loc)}
	if u.LastLoginAt != nil {
		r.LastLogin = u.LastLoginAt.In(loc)
	}
	return r
}
