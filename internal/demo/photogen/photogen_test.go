package main

import (
	"bytes"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
)

// TestDrawingsMatchCommitted renders every illustration and compares it with the file in
// content/photos, so the committed images stay what this program makes. Both go through the
// same JPEG encoder; a small tolerance allows for a change in the encoder between Go releases.
// The maps need the Blue Marble image from Debian's xplanet-images and are skipped without it;
// PHOTOGEN_ROOT names where packages are unpacked, as photogen's -root does (default /).
func TestDrawingsMatchCommitted(t *testing.T) {
	if raceOn || testing.Short() {
		t.Skip("renders nine full-size images, single-threaded: run without -race and -short")
	}
	root := os.Getenv("PHOTOGEN_ROOT")
	if root == "" {
		root = "/"
	}
	for _, d := range drawings {
		t.Run(d.name, func(t *testing.T) {
			m, err := d.make(root)
			if os.IsNotExist(unwrapAll(err)) {
				t.Skipf("source not installed: %v", err)
			}
			if err != nil {
				t.Fatal(err)
			}
			if b := m.Bounds(); b.Dx() != outW || b.Dy() != outH {
				t.Fatalf("size %v; want %d×%d", b.Size(), outW, outH)
			}
			var buf bytes.Buffer
			if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: d.quality}); err != nil {
				t.Fatal(err)
			}
			got, err := jpeg.Decode(&buf)
			if err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(filepath.Join("..", "content", "photos", d.name+".jpg"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			want, err := jpeg.Decode(f)
			if err != nil {
				t.Fatal(err)
			}
			if n := changedPixels(got, want); n > 20 {
				t.Errorf("%d pixels differ from the committed file; run photogen", n)
			}
		})
	}
}

func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return err
		}
		err = u.Unwrap()
	}
}

// changedPixels counts the pixels whose colour differs by more than a JPEG encoder's rounding
// could explain (40 of 255 levels in some channel); a different size counts as all of them.
func changedPixels(a, b image.Image) int {
	ab, bb := a.Bounds(), b.Bounds()
	if ab.Size() != bb.Size() {
		return ab.Dx() * ab.Dy()
	}
	n := 0
	for y := 0; y < ab.Dy(); y++ {
		for x := 0; x < ab.Dx(); x++ {
			r1, g1, b1, _ := a.At(ab.Min.X+x, ab.Min.Y+y).RGBA()
			r2, g2, b2, _ := b.At(bb.Min.X+x, bb.Min.Y+y).RGBA()
			if max(absDiff(r1, r2), absDiff(g1, g2), absDiff(b1, b2)) > 40*257 {
				n++
			}
		}
	}
	return n
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

func TestCropScale(t *testing.T) {
	// A wide source keeps its full height, a tall one its full width; both come out 3:2.
	for _, size := range []image.Point{{2400, 600}, {600, 2400}} {
		src := image.NewRGBA(image.Rectangle{Max: size})
		m := cropScale(src, 0.9, 0.1, 1)
		if b := m.Bounds(); b.Dx() != outW || b.Dy() != outH {
			t.Errorf("%v: got %v", size, b.Size())
		}
	}
}
