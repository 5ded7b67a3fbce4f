// Package media stores uploaded images: it checks what they really are, names them at random,
// makes resized copies for responsive pages and keeps the library of them.
package media

import (
	"encoding/json"
	"errors"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"campusnews/internal/audit"
)

// ErrNotFound means no image or file matches.
var ErrNotFound = errors.New("media: not found")

// ErrForbidden means the actor may not change the image (see Store.MayChange).
var ErrForbidden = errors.New("media: not allowed")

// Actor is who changes the library, as the audit log records them, and what they may do.
type Actor struct {
	audit.Actor
	CanChangeAny bool // editors and administrators; writers change only what they uploaded
}

// URLPrefix is where the web layer serves stored files.
const URLPrefix = "/media/"

// Media is one uploaded image: the original file and its resized variants.
type Media struct {
	ID         int64
	Path       string // stored file name of the original, e.g. "3f9c…e1.jpg"
	Mime       string // sniffed from the content
	Size       int64  // bytes of the original
	Width      int
	Height     int
	Variants   string // JSON list of {"w":480,"name":"3f9c…e1-480.jpg"}, narrowest first
	Alt        string
	Decorative bool
	Caption    string
	Credit     string
	UploadedBy *int64
	CreatedAt  time.Time
}

// TableName keeps GORM on the migration's table.
func (Media) TableName() string { return "media" }

// Variant is a resized copy of an image, stored beside the original.
type Variant struct {
	Width int    `json:"w"`
	Name  string `json:"name"`
}

// VariantList decodes Variants, narrowest first. A damaged or empty list yields none, so pages
// fall back to the original.
func (m *Media) VariantList() []Variant {
	if strings.TrimSpace(m.Variants) == "" {
		return nil
	}
	var vs []Variant
	if err := json.Unmarshal([]byte(m.Variants), &vs); err != nil {
		return nil
	}
	return vs
}

// URL is the address of the original file.
func (m *Media) URL() string { return URLPrefix + m.Path }

// AltText is what belongs in the alt attribute: empty for a decorative image, so screen readers
// skip it even when a description was once written.
func (m *Media) AltText() string {
	if m.Decorative {
		return ""
	}
	return m.Alt
}

// SrcSet lists every variant and then the original, each with its width, for an img srcset.
func (m *Media) SrcSet() string {
	var b strings.Builder
	for _, v := range m.VariantList() {
		b.WriteString(URLPrefix + v.Name + " " + strconv.Itoa(v.Width) + "w, ")
	}
	b.WriteString(m.URL() + " " + strconv.Itoa(m.Width) + "w")
	return b.String()
}

// Best is the URL of the narrowest variant at least maxWidth wide, or of the original when no
// variant is wide enough; list thumbnails use it to avoid sending a full-size photo.
func (m *Media) Best(maxWidth int) string {
	for _, v := range m.VariantList() {
		if v.Width >= maxWidth {
			return URLPrefix + v.Name
		}
	}
	return m.URL()
}

// storedName matches exactly the names Save produces: 32 lower-case hex digits, an optional
// variant width, and one of the extensions written. Anything else is not ours to serve.
var storedName = regexp.MustCompile(`^[0-9a-f]{32}(-[0-9]{2,4})?\.(jpg|png|gif|webp)$`)

// validName reports whether name could be a stored file.
func validName(name string) bool { return storedName.MatchString(name) }

// contentTypes maps the extensions Save writes to their media types.
var contentTypes = map[string]string{
	".jpg":  "image/jpeg",
	".png":  "image/png",
	".gif":  "image/gif",
	".webp": "image/webp",
}

// ContentType is the media type of a stored file, chosen by its extension; a name that is not a
// stored file's gets application/octet-stream so it is never rendered.
func ContentType(name string) string {
	if !validName(name) {
		return "application/octet-stream"
	}
	return contentTypes[path.Ext(name)]
}
