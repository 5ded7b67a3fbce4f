package media

import (
	"bytes"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"slices"
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

// inspect decides what data is from its content alone, never from a file name or a client's
// Content-Type, and decodes it. The string is the message for the form when data is refused.
func inspect(data []byte) (*upload, string) {
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
	img, err := f.decode(bytes.NewReader(data))
	if err != nil {
		return nil, msgUnreadable
	}
	if b := img.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return nil, msgUnreadable
	}
	u := &upload{data: data, mime: mime, format: f, config: cfg, img: img,
		orientation: orientUpright, width: cfg.Width, height: cfg.Height}
	if msg := stripMetadata(u); msg != "" {
		return nil, msg
	}
	if swapsSides(u.orientation) {
		u.width, u.height = u.height, u.width
	}
	return u, ""
}

// stripMetadata replaces u.data with a copy without metadata (see metadata.go) and sets
// u.orientation. A JPEG or PNG that the cleaner cannot follow, or whose cleaned copy does not
// decode to the same pixels, is re-encoded from its pixels, keeping its orientation; such a
// WebP, which cannot be written here, is refused. GIFs are kept: they carry no camera data,
// and re-encoding would lose an animation.
func stripMetadata(u *upload) string {
	var clean []byte
	var ok bool
	switch u.mime {
	case "image/jpeg":
		clean, u.orientation, ok = cleanJPEG(u.data)
		if !ok || !decodesTo(u.format, clean, u.img) {
			clean, ok = reencode(jpegOriginal, u.img)
			clean = insertOrientation(clean, 2, u.orientation) // after SOI; Go writes no JFIF
		}
	case "image/png":
		clean, u.orientation, ok = cleanPNG(u.data)
		if !ok || !decodesTo(u.format, clean, u.img) {
			clean, ok = reencode(pngEncoder, u.img)
			clean = withPNGOrientation(clean, u.orientation)
		}
	case "image/webp":
		clean, ok = cleanWebP(u.data)
		ok = ok && decodesTo(u.format, clean, u.img)
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

// jpegOriginal re-encodes an original whose structure could not be cleaned, at a quality
// above the variants' since it stands in for the upload.
var jpegOriginal = encoder{".jpg", func(w io.Writer, m image.Image) error {
	return jpeg.Encode(w, m, &jpeg.Options{Quality: 92})
}}

// decodesTo reports whether data decodes as f to exactly the pixels of want.
func decodesTo(f format, data []byte, want image.Image) bool {
	got, err := f.decode(bytes.NewReader(data))
	return err == nil && samePixels(got, want)
}

// samePixels reports whether a and b are the same image. Both come from the same decoder, so
// they share a type; the common ones are compared as memory, any other pixel by pixel.
func samePixels(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	switch a := a.(type) {
	case *image.YCbCr:
		b, ok := b.(*image.YCbCr)
		return ok && a.SubsampleRatio == b.SubsampleRatio &&
			bytes.Equal(a.Y, b.Y) && bytes.Equal(a.Cb, b.Cb) && bytes.Equal(a.Cr, b.Cr)
	case *image.NYCbCrA:
		b, ok := b.(*image.NYCbCrA)
		return ok && samePixels(&a.YCbCr, &b.YCbCr) && bytes.Equal(a.A, b.A)
	case *image.Gray:
		b, ok := b.(*image.Gray)
		return ok && bytes.Equal(a.Pix, b.Pix)
	case *image.CMYK:
		b, ok := b.(*image.CMYK)
		return ok && bytes.Equal(a.Pix, b.Pix)
	case *image.RGBA:
		b, ok := b.(*image.RGBA)
		return ok && bytes.Equal(a.Pix, b.Pix)
	case *image.NRGBA:
		b, ok := b.(*image.NRGBA)
		return ok && bytes.Equal(a.Pix, b.Pix)
	case *image.Paletted:
		b, ok := b.(*image.Paletted)
		return ok && bytes.Equal(a.Pix, b.Pix) && slices.Equal(a.Palette, b.Palette)
	}
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}

func reencode(enc encoder, m image.Image) ([]byte, bool) {
	var b bytes.Buffer
	if err := enc.encode(&b, m); err != nil {
		return nil, false
	}
	return b.Bytes(), true
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
