package media

import (
	"bufio"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"math"
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
// exact area sampling, so the Catmull-Rom pass works on an image less than twice the target.
func scale(src image.Image, w, h int) *image.RGBA {
	b := src.Bounds()
	if k := min(b.Dx()/w, b.Dy()/h); k >= 2 {
		src = boxShrink(src, k)
	}
	return resample(src, w, h)
}

// resample scales src down to dw×dh with the Catmull-Rom filter, widened when shrinking so
// that every source pixel counts, in premultiplied RGBA as x/image/draw does. It is separable
// and streams: each source row is filtered across once, into a ring of the few rows the
// vertical taps need, so besides the result it holds a handful of rows. (draw's kernel keeps
// a float64 copy of the whole image scaled across, 32 bytes a pixel: over 100 MB for one
// 1600-pixel variant of a large photo.)
func resample(src image.Image, dw, dh int) *image.RGBA {
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	xs, ys := filterTaps(sw, dw), filterTaps(sh, dh)
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	ringRows := ys.most
	ring := make([]float32, ringRows*dw*4)
	held := make([]int, ringRows) // the source row each ring slot holds
	for i := range held {
		held[i] = -1
	}
	rgba, isRGBA := src.(*image.RGBA)
	var line *image.RGBA // one source row converted, when src is not RGBA
	if !isRGBA {
		line = image.NewRGBA(image.Rect(0, 0, sw, 1))
	}
	across := func(y int) []float32 {
		slot := y % ringRows
		out := ring[slot*dw*4 : (slot+1)*dw*4]
		if held[slot] == y {
			return out
		}
		held[slot] = y
		var p []uint8
		if isRGBA {
			o := rgba.PixOffset(b.Min.X, b.Min.Y+y)
			p = rgba.Pix[o : o+4*sw]
		} else {
			draw.Draw(line, line.Rect, src, image.Pt(b.Min.X, b.Min.Y+y), draw.Src)
			p = line.Pix
		}
		for x := range dw {
			var r, g, bl, a float32
			start := 4 * xs.start[x]
			for i, w := range xs.weights(x) {
				q := p[start+4*i : start+4*i+4 : start+4*i+4]
				r += w * float32(q[0])
				g += w * float32(q[1])
				bl += w * float32(q[2])
				a += w * float32(q[3])
			}
			out[4*x], out[4*x+1], out[4*x+2], out[4*x+3] = r, g, bl, a
		}
		return out
	}
	sum := make([]float32, dw*4)
	for y := range dh {
		clear(sum)
		for i, w := range ys.weights(y) {
			row := across(ys.start[y] + i)
			for j, v := range row {
				sum[j] += w * v
			}
		}
		out := dst.Pix[y*dst.Stride : y*dst.Stride+4*dw]
		for x := 0; x < len(sum); x += 4 {
			// The filter overshoots at edges: clamp, and keep colour within alpha as
			// premultiplied pixels must be.
			a := clamp255(sum[x+3])
			out[x] = uint8(min(clamp255(sum[x]), a) + 0.5)
			out[x+1] = uint8(min(clamp255(sum[x+1]), a) + 0.5)
			out[x+2] = uint8(min(clamp255(sum[x+2]), a) + 0.5)
			out[x+3] = uint8(a + 0.5)
		}
	}
	return dst
}

func clamp255(v float32) float32 { return min(max(v, 0), 255) }

// taps are the filter weights of each output pixel along one axis: output i reads the
// inputs from start[i] on, with the weights w[off[i]:off[i+1]], which sum to 1.
type taps struct {
	start []int
	off   []int
	w     []float32
	most  int // the most inputs one output reads
}

func (t *taps) weights(i int) []float32 { return t.w[t.off[i]:t.off[i+1]] }

// filterTaps are the Catmull-Rom weights for scaling n inputs to m outputs, m <= n. Inputs
// past the edges are left out and the rest weighted up, as x/image/draw does.
func filterTaps(n, m int) taps {
	s := float64(n) / float64(m)
	stretch := max(s, 1)
	radius := 2 * stretch // Catmull-Rom reaches two pixels each way, widened when shrinking
	t := taps{start: make([]int, m), off: make([]int, m+1)}
	for i := range m {
		center := (float64(i)+0.5)*s - 0.5
		lo := max(int(math.Ceil(center-radius)), 0)
		hi := min(int(math.Floor(center+radius)), n-1)
		first, total := len(t.w), 0.0
		for j := lo; j <= hi; j++ {
			w := catmullRom(math.Abs(float64(j)-center) / stretch)
			t.w = append(t.w, float32(w))
			total += w
		}
		for k := first; k < len(t.w); k++ {
			t.w[k] = float32(float64(t.w[k]) / total)
		}
		t.start[i], t.off[i+1] = lo, len(t.w)
		t.most = max(t.most, hi-lo+1)
	}
	return t
}

// catmullRom is the Catmull-Rom cubic (B=0, C=0.5) at distance x.
func catmullRom(x float64) float64 {
	switch {
	case x < 1:
		return (1.5*x-2.5)*x*x + 1
	case x < 2:
		return ((-0.5*x+2.5)*x-4)*x + 2
	}
	return 0
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
