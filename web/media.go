package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"campusnews/internal/accounts"
	"campusnews/internal/audit"
	"campusnews/internal/media"
	"campusnews/internal/validate"
)

// mediaPerPage is how many images a page of the library shows.
const mediaPerPage = 24

// mediaFields orders the error summary of the media forms.
var mediaFields = []string{"file", "alt", "decorative", "caption", "credit"}

// MediaForm is the description of an image as typed.
type MediaForm struct {
	Alt, Caption, Credit string
	Decorative           bool
}

// MediaItem is an image in the library grid.
type MediaItem struct {
	ID         int64
	Thumb      string
	Alt        string
	Decorative bool
	Width      int
	Height     int
	Size       string
	EditURL    string
}

// MediaLibraryPage is the upload form and the grid of images.
type MediaLibraryPage struct {
	Base
	Items     []MediaItem
	Pager     Pager
	Total     int64
	Form      MediaForm
	Errors    map[string]string
	ErrorList []FieldError
	// UploadNote says, after a refused upload, what the form kept and that the file must be
	// chosen again (browsers never keep it).
	UploadNote string
	FileChosen bool // the refused upload had a file, which must be chosen again
	MaxSize    string
	MaxBytes   int64
}

// MediaEditPage shows one image with its description form and its Markdown.
type MediaEditPage struct {
	Base
	Media     *media.Media
	Preview   string
	Size      string
	Uploader  string
	Markdown  string
	Form      MediaForm
	Errors    map[string]string
	ErrorList []FieldError
	CanChange bool // editors, and the uploader
}

func readMediaForm(c echo.Context) MediaForm {
	return MediaForm{Alt: c.FormValue("alt"), Caption: c.FormValue("caption"), Credit: c.FormValue("credit"),
		Decorative: c.FormValue("decorative") != ""}
}

func (f MediaForm) input() media.UploadInput {
	return media.UploadInput{Alt: f.Alt, Caption: f.Caption, Credit: f.Credit, Decorative: f.Decorative}
}

// humanSize writes n bytes for people.
func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/(1<<20)), ".0") + " MB"
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// mediaActorOf is the signed-in user as the media library sees them: editors and
// administrators may change any image.
func mediaActorOf(c echo.Context) media.Actor {
	u := currentUser(c)
	if u == nil {
		return media.Actor{Actor: audit.Actor{IP: c.RealIP()}}
	}
	return media.Actor{Actor: audit.Actor{UserID: u.ID, Email: u.Email, IP: c.RealIP()},
		CanChangeAny: u.Role.AtLeast(accounts.Editor)}
}

// mediaFile serves a stored image. Names are random and never reused, so a file may be cached
// for good.
func (s *Server) mediaFile(c echo.Context) error {
	name := c.Param("name")
	p, err := s.media.FilePath(name)
	if err != nil {
		return err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return media.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("web: open media %s: %w", name, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("web: stat media %s: %w", name, err)
	}
	h := c.Response().Header()
	h.Set("Content-Type", media.ContentType(name))
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(c.Response(), c.Request(), name, fi.ModTime(), f)
	return nil
}

func (s *Server) mediaLibrary(c echo.Context) error {
	return s.renderLibrary(c, http.StatusOK, MediaForm{}, nil, false)
}

// renderLibrary shows page ?page= of the library with the upload form holding f and errs.
// fileChosen tells whether the refused upload came with a file.
func (s *Server) renderLibrary(c echo.Context, status int, f MediaForm, errs validate.Errors, fileChosen bool) error {
	page := pageParam(c)
	if page == 0 {
		return media.ErrNotFound
	}
	ms, total, err := s.media.List(c.Request().Context(), page, mediaPerPage)
	if err != nil {
		return err
	}
	pages := int((total + mediaPerPage - 1) / mediaPerPage)
	if page > max(pages, 1) {
		return media.ErrNotFound
	}
	p := MediaLibraryPage{Base: s.staffBase(c, menuMedia, "Media library"), Total: total, Form: f, Errors: errs,
		ErrorList: errorList(errs, "", mediaFields), MaxSize: humanSize(s.media.MaxBytes()), MaxBytes: s.media.MaxBytes(),
		Pager: Pager{Page: page, Pages: max(pages, 1), Total: total, BaseURL: "/editor/media"}}
	if len(errs) > 0 {
		p.FileChosen, p.UploadNote = fileChosen, uploadNote(f, fileChosen)
	}
	for i := range ms {
		m := &ms[i]
		p.Items = append(p.Items, MediaItem{ID: m.ID, Thumb: m.Best(320), Alt: m.AltText(), Decorative: m.Decorative,
			Width: m.Width, Height: m.Height, Size: humanSize(m.Size), EditURL: mediaURL(m.ID)})
	}
	return c.Render(status, "editor/media", p)
}

// uploadNote is what a refused upload keeps: the description, if anything was typed, but
// never the file, which browsers make people choose again.
func uploadNote(f MediaForm, fileChosen bool) string {
	typed := strings.TrimSpace(f.Alt+f.Caption+f.Credit) != ""
	switch {
	case typed && fileChosen:
		return "What you typed is kept below, but browsers do not keep a chosen file: please choose the image again."
	case typed:
		return "What you typed is kept below."
	case fileChosen:
		return "Browsers do not keep a chosen file: please choose the image again."
	}
	return ""
}

func mediaURL(id int64) string { return "/editor/media/" + strconv.FormatInt(id, 10) }

func (s *Server) mediaUploadPost(c echo.Context) error {
	f := readMediaForm(c)
	var r io.Reader = bytes.NewReader(nil) // no file: Save reports it beside the file field
	name := ""
	if fh, err := c.FormFile("file"); err == nil {
		file, err := fh.Open()
		if err != nil {
			return fmt.Errorf("web: open upload: %w", err)
		}
		defer file.Close()
		r, name = file, fh.Filename
	} else if errors.Is(err, echo.ErrStatusRequestEntityTooLarge) {
		return err
	}
	start := time.Now()
	m, err := s.media.Save(c.Request().Context(), mediaActorOf(c), r, name, f.input())
	s.observeUpload(err, time.Since(start))
	var verrs validate.Errors
	if errors.As(err, &verrs) {
		return s.renderLibrary(c, http.StatusUnprocessableEntity, f, verrs, name != "")
	}
	if errors.Is(err, media.ErrBusy) {
		c.Response().Header().Set("Retry-After", "60")
		return explained{status: http.StatusServiceUnavailable, heading: "Busy",
			message: "The server is busy processing other images. Please try again in a minute.",
			backURL: "/editor/media", backLabel: "Back to the media library"}
	}
	if err != nil {
		return err
	}
	s.addFlash(c, "success", "Uploaded. Copy the Markdown below into an article, or choose the image as a cover.")
	return c.Redirect(http.StatusSeeOther, mediaURL(m.ID))
}

// openMedia loads the image of the :id parameter.
func (s *Server) openMedia(c echo.Context) (*media.Media, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	return s.media.Get(c.Request().Context(), id)
}

func (s *Server) mediaEdit(c echo.Context) error {
	m, err := s.openMedia(c)
	if err != nil {
		return err
	}
	f := MediaForm{Alt: m.Alt, Caption: m.Caption, Credit: m.Credit, Decorative: m.Decorative}
	return s.renderMediaEdit(c, http.StatusOK, m, f, nil)
}

func (s *Server) renderMediaEdit(c echo.Context, status int, m *media.Media, f MediaForm, errs validate.Errors) error {
	p := MediaEditPage{Base: s.staffBase(c, menuMedia, "Image details"), Media: m, Preview: m.Best(960), Size: humanSize(m.Size),
		Markdown: markdownOf(m), Form: f, Errors: errs, ErrorList: errorList(errs, "", mediaFields),
	}
	var err error
	if p.CanChange, err = s.media.MayChange(c.Request().Context(), mediaActorOf(c), m); err != nil {
		return err
	}
	if m.UploadedBy != nil {
		if u, err := s.users.ByID(c.Request().Context(), *m.UploadedBy); err == nil {
			p.Uploader = u.Name
		}
	}
	return c.Render(status, "editor/media_edit", p)
}

func (s *Server) mediaEditPost(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	f := readMediaForm(c)
	_, err = s.media.UpdateMeta(c.Request().Context(), mediaActorOf(c), id, f.input())
	var verrs validate.Errors
	if errors.As(err, &verrs) {
		m, err := s.media.Get(c.Request().Context(), id)
		if err != nil {
			return err
		}
		return s.renderMediaEdit(c, http.StatusUnprocessableEntity, m, f, verrs)
	}
	if err != nil {
		return refuseMediaIf(err)
	}
	s.addFlash(c, "success", "The image details are saved.")
	return c.Redirect(http.StatusSeeOther, mediaURL(id))
}

func (s *Server) mediaDeletePost(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.media.Delete(c.Request().Context(), mediaActorOf(c), id); err != nil {
		return refuseMediaIf(err)
	}
	s.addFlash(c, "success", "The image was deleted. Articles that used it as their cover no longer have one.")
	return c.Redirect(http.StatusSeeOther, "/editor/media")
}

// coverImage is m as an article page shows its cover: the width of the reading column.
func coverImage(m *media.Media) *Image {
	return cardImage(m, "(min-width: 50rem) 48rem, 100vw", 960)
}

// refuseMediaIf words media.ErrForbidden as a 403 page that says whom to ask; other errors
// pass as they are.
func refuseMediaIf(err error) error {
	if errors.Is(err, media.ErrForbidden) {
		return refuse("Writers can change or delete only images they uploaded, and only while no article but their own drafts shows them; ask an editor.")
	}
	return err
}
