package media

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"strings"

	"golang.org/x/image/webp"

	"campusnews/internal/validate"
)

// Limits on what is decoded. The pixel limits are checked from the header alone, before any
// pixel is decoded, so a small file claiming a huge image cannot exhaust memory.
const (
	MaxSide   = 12000      // pixels on either side
	MaxPixels = 40_000_000 // width × height

	maxAlt     = 300
	maxCaption = 500
	maxCredit  = 200
)

// Messages shown beside the form fields.
const (
	msgNoFile     = "Choose an image to upload"
	msgWrongType  = "That file is not a JPEG, PNG, WebP or GIF image"
	msgUnreadable = "The image could not be read; it may be damaged or incomplete"
	msgAlt        = "Describe the image for people who cannot see it, or mark it as decorative"
)

// format is one accepted image type. Each has its own decoder, so a file is only ever decoded
// as the type its content was sniffed as.
type format struct {
	ext          string
	decodeConfig func(io.Reader) (image.Config, error)
	decode       func(io.Reader) (image.Image, error)
}

// formats are the accepted types, keyed by the sniffed media type. For a GIF only the first
// frame is decoded: that proves the file is an image without decoding every frame of an
// animation, whose frame count the header does not bound.
var formats = map[string]format{
	"image/jpeg": {".jpg", jpeg.DecodeConfig, jpeg.Decode},
	"image/png":  {".png", png.DecodeConfig, png.Decode},
	"image/gif":  {".gif", gif.DecodeConfig, gif.Decode},
	"image/webp": {".webp", webp.DecodeConfig, webp.Decode},
}

// header is an upload as its header describes it: enough to refuse it, or to know the memory
// processing it takes, before any pixel is decoded.
type header struct {
	data   []byte
	mime   string
	format format
	config image.Config
	cost   int64  // bytes decoding it and making its variants take
	detail string // what makes it costly besides its size, for a refusal
}

// upload is a checked file: the bytes to store, what it is and its decoded pixels.
type upload struct {
	data   []byte // the upload without its metadata
	mime   string
	format format
	config image.Config
	img    image.Image
	// orientation is the EXIF orientation img must be turned by to show upright; width and
	// height are the sides as shown.
	orientation   int
	width, height int
}

// normalizeMeta trims the descriptive fields of in and checks them.
func normalizeMeta(in *UploadInput, errs validate.Errors) {
	in.Alt = strings.TrimSpace(in.Alt)
	in.Caption = strings.TrimSpace(in.Caption)
	in.Credit = strings.TrimSpace(in.Credit)
	if in.Alt == "" && !in.Decorative {
		errs.Add("alt", msgAlt)
	}
	errs.MaxLen("alt", in.Alt, maxAlt, "Alt text")
	errs.MaxLen("caption", in.Caption, maxCaption, "Caption")
	errs.MaxLen("credit", in.Credit, maxCredit, "Credit")
}

// readHeader decides what data is from its content alone, never from a file name or a
// client's Content-Type, and reads its header. The string is the message for the form when
// data is refused.
func readHeader(data []byte) (*header, string) {
	if len(data) == 0 {
		return nil, msgNoFile
	}
	mime := http.DetectContentType(data)
	f, ok := formats[mime]
	if !ok {
		return nil, msgWrongType
	}
	cfg, err := f.decodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, msgUnreadable
	}
	if msg := checkDimensions(cfg.Width, cfg.Height); msg != "" {
		return nil, msg
	}
	if mime == "image/gif" {
		_, info, ok := cleanGIF(data)
		if !ok {
			return nil, msgUnreadable
		}
		if msg := checkGIF(info); msg != "" {
			return nil, msg
		}
	}
	h := &header{data: data, mime: mime, format: f, config: cfg}
	h.cost, h.detail = decodeCost(mime, data, cfg)
	if mime != "image/gif" {
		h.cost += resizeCost(cfg.Width, cfg.Height)
	}
	h.cost += 3 * int64(len(data)) // cleaned copies
	return h, ""
}

// decode decodes the pixels of h, once, and replaces its data with a copy without metadata.
func decode(h *header) (*upload, string) {
	img, err := h.format.decode(bytes.NewReader(h.data))
	if err != nil {
		return nil, msgUnreadable
	}
	cfg := h.config
	if b := img.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return nil, msgUnreadable
	}
	u := &upload{data: h.data, mime: h.mime, format: h.format, config: cfg, img: img,
		orientation: orientUpright, width: cfg.Width, height: cfg.Height}
	if msg := stripMetadata(u); msg != "" {
		return nil, msg
	}
	if swapsSides(u.orientation) {
		u.width, u.height = u.height, u.width
	}
	return u, ""
}

// stripMetadata replaces u.data with a copy without metadata (see metadata.go and gif.go) and
// sets u.orientation. The copy must hold the same picture, which its structure proves
// (structure.go) without decoding it again. A JPEG or PNG that the cleaner cannot follow, or
// whose copy differs, is re-encoded from its pixels, keeping its orientation; such a WebP,
// which cannot be written here, is refused, and so is such a GIF, whose animation
// re-encoding would lose.
func stripMetadata(u *upload) string {
	var clean []byte
	var ok bool
	switch u.mime {
	case "image/jpeg":
		clean, u.orientation, ok = cleanJPEG(u.data)
		if !ok || !sameJPEG(u.data, clean) {
			clean, ok = reencode(jpegOriginal, u.img, len(u.data))
			clean = insertOrientation(clean, 2, u.orientation) // after SOI; Go writes no JFIF
		}
	case "image/png":
		clean, u.orientation, ok = cleanPNG(u.data)
		if !ok || !samePNG(u.data, clean) {
			clean, ok = reencode(pngEncoder, u.img, len(u.data))
			clean = withPNGOrientation(clean, u.orientation)
		}
	case "image/webp":
		clean, ok = cleanWebP(u.data)
		ok = ok && sameWebP(u.data, clean)
	case "image/gif":
		clean, _, ok = cleanGIF(u.data)
	default:
		return ""
	}
	if !ok {
		u.orientation = orientUpright
		return msgUnreadable
	}
	u.data = clean
	return ""
}

// sameJPEG, samePNG and sameWebP report whether the cleaned copy of a file decodes to the same
// picture as the file, from their structures.
func sameJPEG(orig, clean []byte) bool {
	a, _, ok1 := jpegDigest(orig)
	b, _, ok2 := jpegDigest(clean)
	return ok1 && ok2 && a == b
}

func samePNG(orig, clean []byte) bool {
	a, ok1 := pngDigest(orig)
	b, ok2 := pngDigest(clean)
	return ok1 && ok2 && a == b
}

func sameWebP(orig, clean []byte) bool {
	a, ok1 := webpDigest(orig)
	b, ok2 := webpDigest(clean)
	return ok1 && ok2 && a == b
}

// jpegOriginal re-encodes an original whose structure could not be cleaned, at a quality
// above the variants' since it stands in for the upload.
var jpegOriginal = encoder{".jpg", func(w io.Writer, m image.Image) error {
	return jpeg.Encode(w, m, &jpeg.Options{Quality: 92})
}}

// maxReencoded is how far a re-encoded original may grow beyond the upload it stands for:
// a stand-in many times larger than its upload is refused rather than buffered.
const maxReencoded = 4

// reencode writes m with enc, for an upload of size bytes.
func reencode(enc encoder, m image.Image, size int) ([]byte, bool) {
	b := &cappedBuffer{limit: max(maxReencoded*size, 1<<20)}
	if err := enc.encode(b, m); err != nil {
		return nil, false
	}
	return b.buf.Bytes(), true
}

// cappedBuffer is a buffer that refuses to grow past limit.
type cappedBuffer struct {
	buf   bytes.Buffer
	limit int
}

var errTooLarge = errors.New("media: re-encoded image too large")

func (c *cappedBuffer) Write(p []byte) (int, error) {
	if c.buf.Len()+len(p) > c.limit {
		return 0, errTooLarge
	}
	return c.buf.Write(p)
}

// checkDimensions refuses empty images and ones too big to decode safely.
func checkDimensions(w, h int) string {
	if w <= 0 || h <= 0 {
		return msgUnreadable
	}
	if w > MaxSide || h > MaxSide || int64(w)*int64(h) > MaxPixels {
		return fmt.Sprintf("The image is %d × %d pixels; the limit is 12,000 pixels on a side and 40 megapixels in all",
			w, h)
	}
	return ""
}

// formatSize writes n bytes for people: "10 MB", "1.5 MB", "512 KB".
func formatSize(n int64) string {
	const kb, mb = 1 << 10, 1 << 20
	switch {
	case n >= mb:
		s := fmt.Sprintf("%.1f", float64(n)/mb)
		return strings.TrimSuffix(s, ".0") + " MB"
	case n >= kb:
		return fmt.Sprintf("%d KB", n/kb)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}
