package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"campusnews/internal/site"
	"campusnews/internal/validate"
)

// commonZones are the time zones the settings menu offers; the current one is added when it
// is not among them.
var commonZones = []string{
	"UTC",
	"Africa/Cairo", "Africa/Casablanca", "Africa/Johannesburg", "Africa/Lagos", "Africa/Nairobi",
	"America/Anchorage", "America/Argentina/Buenos_Aires", "America/Bogota", "America/Chicago",
	"America/Denver", "America/Halifax", "America/Lima", "America/Los_Angeles", "America/Mexico_City",
	"America/New_York", "America/Phoenix", "America/Santiago", "America/Sao_Paulo", "America/St_Johns",
	"America/Toronto", "America/Vancouver",
	"Asia/Bangkok", "Asia/Dhaka", "Asia/Dubai", "Asia/Ho_Chi_Minh", "Asia/Hong_Kong", "Asia/Jakarta",
	"Asia/Jerusalem", "Asia/Karachi", "Asia/Kathmandu", "Asia/Kolkata", "Asia/Manila", "Asia/Riyadh",
	"Asia/Seoul", "Asia/Shanghai", "Asia/Singapore", "Asia/Taipei", "Asia/Tehran", "Asia/Tokyo",
	"Atlantic/Reykjavik",
	"Australia/Adelaide", "Australia/Brisbane", "Australia/Perth", "Australia/Sydney",
	"Europe/Amsterdam", "Europe/Athens", "Europe/Berlin", "Europe/Brussels", "Europe/Dublin",
	"Europe/Helsinki", "Europe/Istanbul", "Europe/Lisbon", "Europe/London", "Europe/Madrid",
	"Europe/Moscow", "Europe/Paris", "Europe/Prague", "Europe/Rome", "Europe/Stockholm",
	"Europe/Vienna", "Europe/Warsaw", "Europe/Zurich",
	"Pacific/Auckland", "Pacific/Honolulu",
}

func (s *Server) settingsEdit(c echo.Context) error {
	st, err := s.site.Get(c.Request().Context())
	if err != nil {
		return err
	}
	form := SettingsForm{Name: st.Name, Tagline: st.Tagline, Footer: st.Footer, Contact: st.Contact,
		TimeZone: st.TimeZone, Require2FA: st.Require2FA}
	return s.renderSettings(c, http.StatusOK, form, nil)
}

// settingsEditPost saves the settings. The site service records the change and moves the
// content version, so cached pages go stale at once.
func (s *Server) settingsEditPost(c echo.Context) error {
	ctx := c.Request().Context()
	form := SettingsForm{
		Name:       strings.TrimSpace(c.FormValue("name")),
		Tagline:    strings.TrimSpace(c.FormValue("tagline")),
		Footer:     strings.TrimSpace(c.FormValue("footer")),
		Contact:    strings.TrimSpace(c.FormValue("contact")),
		TimeZone:   strings.TrimSpace(c.FormValue("time_zone")),
		Require2FA: adminChecked(c, "require_2fa"),
	}
	st := site.Settings{Name: form.Name, Tagline: form.Tagline, Footer: form.Footer, Contact: form.Contact,
		TimeZone: form.TimeZone, Require2FA: form.Require2FA}
	err := s.site.Save(ctx, auditActor(c), st)
	if verrs, ok := adminFieldErrors(err); ok {
		return s.renderSettings(c, http.StatusUnprocessableEntity, form, verrs)
	}
	if err != nil {
		return err
	}
	s.addFlash(c, "success", "The settings were saved.")
	return c.Redirect(http.StatusSeeOther, "/admin/settings")
}

// settingsFields orders the error summary of the settings form.
var settingsFields = []string{"name", "tagline", "footer", "contact", "time_zone", "require_2fa"}

func (s *Server) renderSettings(c echo.Context, status int, form SettingsForm, errs validate.Errors) error {
	page := SettingsPage{Base: s.staffBase(c, menuSettings, "Settings"), Form: form, Errors: errs,
		ErrorList: errorList(errs, "set-", settingsFields), Zones: commonZones}
	known := false
	for _, z := range commonZones {
		known = known || z == form.TimeZone
	}
	if !known && form.TimeZone != "" {
		page.Zones = append([]string{form.TimeZone}, commonZones...)
	}
	return c.Render(status, "admin/settings", page)
}
