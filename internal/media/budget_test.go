package media

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/color/palette"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/image/draw"

	"campusnews/internal/media/testimage"
	"campusnews/internal/validate"
)

// allocated is how many bytes f allocates on the heap.
func allocated(f func()) int64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return int64(after.TotalAlloc - before.TotalAlloc)
}

func testdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The estimate an image is admitted on covers everything decoding it and writing its original
// and variants allocate, for each decoder output type; otherwise the budget would not bound
// memory. (A sequential test: it counts the whole process's allocations.)
func TestCostCoversAllocations(t *testing.T) {
	s, _ := newTestStore(t, 0)
	paletted := image.NewPaletted(image.Rect(0, 0, 1000, 700), palette.Plan9)
	for i := range paletted.Pix {
		paletted.Pix[i] = uint8(i % 200)
	}
	nrgba := image.NewNRGBA(image.Rect(0, 0, 1000, 600))
	draw.Draw(nrgba, nrgba.Rect, gradient(1000, 600), image.Point{}, draw.Src)
	nrgba.Pix[3] = 10 // not opaque
	deep := image.NewNRGBA64(image.Rect(0, 0, 1000, 600))
	draw.Draw(deep, deep.Rect, gradient(1000, 600), image.Point{}, draw.Src)
	gray16 := image.NewGray16(image.Rect(0, 0, 1000, 600))
	gray := image.NewGray(image.Rect(0, 0, 1200, 600))
	for i := range gray.Pix {
		gray.Pix[i] = uint8(i)
	}
	for _, tt := range []struct {
		name string
		data []byte
	}{
		{"jpeg 4:2:0", encodeJPEG(t, gradient(1700, 1100))},
		{"jpeg on its side", cameraJPEG(encodeJPEG(t, gradient(1100, 700)), 6)},
		{"jpeg grey", encodeJPEG(t, gray)},
		{"jpeg progressive", testdata(t, "progressive.jpg")},
		{"jpeg cmyk", testdata(t, "cmyk.jpg")},
		{"png rgba", encodePNG(t, gradient(1100, 700))},
		{"png nrgba", encodePNG(t, nrgba)},
		{"png 16 bits", encodePNG(t, deep)},
		{"png grey 16 bits", encodePNG(t, gray16)},
		{"png paletted", encodePNG(t, paletted)},
		{"png interlaced", testdata(t, "interlaced.png")},
		{"gif", encodeAnimatedGIF(t, 600, 300)},
		{"webp lossless", losslessWebP(1100, 700, color.NRGBA{10, 20, 30, 255})},
		{"webp lossy", testdata(t, "lossy.webp")},
		{"webp lossy with alpha", testdata(t, "lossy-alpha.webp")},
	} {
		h, msg := readHeader(tt.data)
		if msg != "" {
			t.Fatalf("%s: %s", tt.name, msg)
		}
		cost := h.cost
		var werr error
		used := allocated(func() {
			u, msg := decode(h)
			if msg != "" {
				werr = errors.New(msg)
				return
			}
			var written []string
			_, written, werr = s.writeImage(u)
			if werr == nil {
				werr = s.removeFiles(written)
			}
		})
		if werr != nil {
			t.Fatalf("%s: %v", tt.name, werr)
		}
		t.Logf("%-22s %5d×%-5d estimate %6.1f MB, allocated %6.1f MB", tt.name, h.config.Width, h.config.Height,
			float64(cost)/(1<<20), float64(used)/(1<<20))
		if used > cost {
			t.Errorf("%s: allocated %d bytes, more than the estimate of %d", tt.name, used, cost)
		}
	}
}

// An image is decoded once: the cleaned copy is checked by its structure, not decoded again.
// (Sequential: it wraps the package's decoders.)
func TestSaveDecodesOnce(t *testing.T) {
	var decodes atomic.Int32
	saved := make(map[string]format, len(formats))
	for mime, f := range formats {
		saved[mime] = f
		orig := f.decode
		f.decode = func(r io.Reader) (image.Image, error) { decodes.Add(1); return orig(r) }
		formats[mime] = f
	}
	t.Cleanup(func() {
		for mime, f := range saved {
			formats[mime] = f
		}
	})
	s, _ := newTestStore(t, 0)
	for _, tt := range []struct {
		name string
		data []byte
	}{
		{"camera jpeg", cameraJPEG(encodeJPEG(t, halves(1000, 600)), 6)},
		{"png", encodePNG(t, gradient(1000, 600))},
		{"webp", losslessWebP(600, 300, color.NRGBA{1, 2, 3, 255})},
		{"gif", encodeAnimatedGIF(t, 60, 30)},
	} {
		decodes.Store(0)
		if _, err := s.Save(context.Background(), editor, bytes.NewReader(tt.data), "f", UploadInput{Alt: "x"}); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if n := decodes.Load(); n != 1 {
			t.Errorf("%s: decoded %d times, want once", tt.name, n)
		}
	}
}

// The 40-megapixel limit let through an image that needs 320 MB once decoded: the budget
// counts bytes, and says so in words.
func TestSaveRefusesWhatExceedsTheMemoryBudget(t *testing.T) {
	s, db := newTestStore(t, 0)
	data := testimage.FlatPNG(6324, 6324, 16)
	var used int64
	var err error
	used = allocated(func() {
		_, err = s.Save(context.Background(), editor, bytes.NewReader(data), "deep.png", UploadInput{Alt: "x"})
	})
	var verr validate.Errors
	if !errors.As(err, &verr) {
		t.Fatalf("err = %v, want the file refused", err)
	}
	for _, want := range []string{"6324 × 6324 pixels, 16 bits per colour", "the limit is 192 MB", "8 bits per colour"} {
		if !strings.Contains(verr["file"], want) {
			t.Errorf("message %q lacks %q", verr["file"], want)
		}
	}
	if used > 32<<20 {
		t.Errorf("refusing it allocated %d MB", used>>20)
	}
	if names := filesIn(t, s.dir); len(names) != 0 {
		t.Errorf("files left behind: %v", names)
	}
	var n int64
	if err := db.Table("media").Count(&n).Error; err != nil || n != 0 {
		t.Errorf("rows = %d (%v), want 0", n, err)
	}

	// The same picture at fewer pixels fits, and is stored.
	m, err := s.Save(context.Background(), editor, bytes.NewReader(testimage.FlatPNG(1200, 900, 16)), "deep.png", UploadInput{Alt: "x"})
	if err != nil {
		t.Fatalf("1200×900 at 16 bits: %v", err)
	}
	if len(m.VariantList()) != 2 {
		t.Errorf("variants %v, want two", m.VariantList())
	}
}

// The streaming filter draws what x/image/draw's Catmull-Rom draws, within rounding.
func TestResampleMatchesCatmullRom(t *testing.T) {
	src := noise(500, 400)
	for i := 0; i < len(src.Pix); i += 4 { // smooth it so that rounding, not aliasing, differs
		src.Pix[i] = uint8(i / 4 % 500 / 2)
	}
	for _, size := range []image.Point{{240, 190}, {499, 399}, {300, 50}} {
		got := resample(src, size.X, size.Y)
		want := image.NewRGBA(image.Rect(0, 0, size.X, size.Y))
		draw.CatmullRom.Scale(want, want.Rect, src, src.Rect, draw.Src, nil)
		worst := 0
		for i := range got.Pix {
			worst = max(worst, int(math.Abs(float64(got.Pix[i])-float64(want.Pix[i]))))
		}
		if worst > 2 {
			t.Errorf("%v: pixels differ from draw's by up to %d", size, worst)
		}
	}
}

// The structural digests tell a cleaned copy from one whose pixels differ.
func TestDigestsSeePixelChanges(t *testing.T) {
	j := encodeJPEG(t, halves(64, 32))
	clean, _, ok := cleanJPEG(cameraJPEG(j, 6))
	if !ok || !sameJPEG(cameraJPEG(j, 6), clean) {
		t.Fatal("a cleaned camera JPEG is not the same picture")
	}
	other := bytes.Clone(clean)
	other[len(other)-10] ^= 0x01 // a bit of the scan
	if sameJPEG(clean, other) {
		t.Error("a changed scan is the same picture")
	}
	// The JFIF segment decides how three components turn into colours.
	rgb := encodeJPEG(t, halves(16, 8))
	sof := bytes.Index(rgb, []byte{0xFF, 0xC0})
	rgb[sof+10], rgb[sof+13], rgb[sof+16] = 'R', 'G', 'B' // component ids
	sos := bytes.Index(rgb, []byte{0xFF, jpegSOS})
	for k := 0; k < 3; k++ {
		rgb[sos+5+2*k] = "RGB"[k]
	}
	withJFIF := append(append([]byte{0xFF, jpegSOI}, segment(jpegAPP0, []byte("JFIF\x00\x01\x02\x00\x00\x01\x00\x01\x00\x00"))...), rgb[2:]...)
	if sameJPEG(rgb, withJFIF) {
		t.Error("adding JFIF to an RGB JPEG is the same picture")
	}
	if _, err := jpeg.Decode(bytes.NewReader(rgb)); err != nil {
		t.Fatalf("RGB test file: %v", err)
	}

	p := encodePNG(t, gradient(40, 20))
	if !samePNG(p, withPNGOrientation(p, 6)) {
		t.Error("an added eXIf chunk changed the PNG's picture")
	}
	q := bytes.Clone(p)
	q[len(q)-20] ^= 0x01
	if samePNG(p, q) {
		t.Error("a changed IDAT is the same picture")
	}
	w := losslessWebP(3, 2, color.NRGBA{1, 2, 3, 255})
	w2 := losslessWebP(3, 2, color.NRGBA{1, 2, 4, 255})
	if !sameWebP(w, w) || sameWebP(w, w2) {
		t.Error("WebP digests do not tell pictures apart")
	}
	if _, err := png.Decode(bytes.NewReader(p)); err != nil {
		t.Fatal(err)
	}
}
