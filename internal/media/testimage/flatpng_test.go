package testimage

import (
	"bytes"
	"image/color"
	"image/png"
	"testing"
)

// The images decode, whole and white, whatever the remainder of a row after its long copies.
func TestFlatPNGDecodes(t *testing.T) {
	for _, tt := range []struct{ w, h, depth int }{{1, 1, 8}, {3, 2, 16}, {70, 5, 8}, {129, 3, 16}, {1000, 7, 8}, {65, 2, 8}} {
		m, err := png.Decode(bytes.NewReader(FlatPNG(tt.w, tt.h, tt.depth)))
		if err != nil {
			t.Fatalf("%+v: %v", tt, err)
		}
		if b := m.Bounds(); b.Dx() != tt.w || b.Dy() != tt.h {
			t.Fatalf("%+v: %v", tt, b)
		}
		for y := 0; y < tt.h; y++ {
			for x := 0; x < tt.w; x++ {
				if r, g, b, a := m.At(x, y).RGBA(); r != 0xFFFF || g != 0xFFFF || b != 0xFFFF || a != 0xFFFF {
					t.Fatalf("%+v: pixel %d,%d = %v", tt, x, y, color.RGBA64Model.Convert(m.At(x, y)))
				}
			}
		}
	}
}
