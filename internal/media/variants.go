package media

import (
	"bufio"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"

	"golang.org/x/image/draw"
)

// VariantWidths are the widths of the resized copies; only those narrower than the original
// are made.
var VariantWidths = []int{480, 960, 1600}

// jpegQuality is high enough that photos show no blocking and low enough to keep phones fast.
const jpegQuality = 82

// encoder writes a resized image in one format.
type encoder struct {
	ext    string
	encode func(io.Writer, image.Image) error
}

var (
	jpegEncoder = encoder{".jpg", func(w io.Writer, m image.Image) error {
		return jpeg.Encode(w, m, &jpeg.Options{Quality: jpegQuality})
	}}
	pngEncoder = encoder{".png", png.Encode}
)

// variantEncoder chooses the format of an upload's variants, or reports none. GIFs keep only
// their original so animations survive. WebP cannot be written with the standard library, so
// its variants are JPEG, or PNG when the image has any transparency that JPEG would lose.
func variantEncoder(u *upload) (encoder, bool) {
	switch u.mime {
	case "image/jpeg":
		return jpegEncoder, true
	case "image/png":
		return pngEncoder, true
	case "image/webp":
		if o, ok := u.img.(interface{ Opaque() bool }); ok && o.Opaque() {
			return jpegEncoder, true
		}
		return pngEncoder, true
	}
	return encoder{}, false
}

// resize scales src to width w, keeping its aspect ratio.
func resize(src image.Image, w int) *image.RGBA {
	b := src.Bounds()
	return scale(src, w, max(1, (b.Dy()*w+b.Dx()/2)/b.Dx()))
}

// scale resizes src to w×h. A large reduction first averages whole blocks of pixels, which is
// exact area sampling, so the Catmull-Rom pass works on an image at most twice the target:
// its scratch buffer grows with the source height, and a 24-megapixel photo would otherwise
// need hundreds of megabytes for one thumbnail.
func scale(src image.Image, w, h int) *image.RGBA {
	b := src.Bounds()
	if k := min(b.Dx()/w, b.Dy()/h); k >= 2 {
		src = boxShrink(src, k)
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
	return dst
}

// boxShrink averages each k×k block of src into one pixel, in premultiplied RGBA so edges of
// transparent areas keep no stray colour. It converts k rows at a time, keeping memory to one
// strip; up to k-1 pixels at the right and bottom edges are dropped.
func boxShrink(src image.Image, k int) *image.RGBA {
	b := src.Bounds()
	w, h := b.Dx()/k, b.Dy()/k
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	strip := image.NewRGBA(image.Rect(0, 0, w*k, k))
	sums := make([]uint32, 4*w)
	n, half := uint32(k*k), uint32(k*k/2)
	for y := range h {
		draw.Draw(strip, strip.Rect, src, image.Pt(b.Min.X, b.Min.Y+y*k), draw.Src)
		clear(sums)
		for sy := range k {
			row := strip.Pix[sy*strip.Stride : sy*strip.Stride+4*w*k]
			p := 0
			for o := 0; o < len(sums); o += 4 {
				for range k {
					sums[o] += uint32(row[p])
					sums[o+1] += uint32(row[p+1])
					sums[o+2] += uint32(row[p+2])
					sums[o+3] += uint32(row[p+3])
					p += 4
				}
			}
		}
		dst := out.Pix[y*out.Stride : y*out.Stride+4*w]
		for i, s := range sums {
			dst[i] = uint8((s + half) / n)
		}
	}
	return out
}

// writeVariants writes the resized copies of u named after base (the random name without its
// extension). It returns the variants and every file it wrote, which the caller removes if
// anything later fails.
func (s *Store) writeVariants(u *upload, base string) ([]Variant, []string, error) {
	enc, ok := variantEncoder(u)
	if !ok {
		return nil, nil, nil
	}
	var vs []Variant
	var written []string
	for _, w := range VariantWidths {
		if w >= u.width {
			continue
		}
		// Variants carry no EXIF, so they are turned upright here: scaled first, while the
		// image is still on its side, then turned, which is cheap at their size.
		h := max(1, (u.height*w+u.width/2)/u.width)
		sw, sh := w, h
		if swapsSides(u.orientation) {
			sw, sh = h, w
		}
		img := orient(scale(u.img, sw, sh), u.orientation)
		name := fmt.Sprintf("%s-%d%s", base, w, enc.ext)
		if err := s.writeFile(name, func(out io.Writer) error { return enc.encode(out, img) }); err != nil {
			return nil, written, err
		}
		written = append(written, name)
		vs = append(vs, Variant{Width: w, Name: name})
	}
	return vs, written, nil
}

// writeFile writes name in the store's directory atomically: into a hidden temporary file
// that is synced and then renamed, so a reader never sees half a file and a crash leaves
// only a temporary file that is never served.
func (s *Store) writeFile(name string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(s.dir, ".upload-*")
	if err != nil {
		return fmt.Errorf("media: create temporary file: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()           //nolint:errcheck // already failing
			os.Remove(tmp.Name()) //nolint:errcheck // already failing
		}
	}()
	bw := bufio.NewWriterSize(tmp, 64<<10)
	if err := write(bw); err != nil {
		return fmt.Errorf("media: write %s: %w", name, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("media: write %s: %w", name, err)
	}
	if err := tmp.Chmod(0o640); err != nil {
		return fmt.Errorf("media: chmod %s: %w", name, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("media: sync %s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("media: close %s: %w", name, err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(s.dir, name)); err != nil {
		return fmt.Errorf("media: rename %s: %w", name, err)
	}
	return nil
}
