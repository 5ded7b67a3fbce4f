package main

import (
	"image"
	"image/color"
	"math"
)

// catalystSEM renders what a sponge-like nickel–iron catalyst layer looks like under a
// scanning electron microscope: thin crumpled sheets standing on edge and joined into open
// cells, bright where the beam meets an edge, in three layers of depth, with the instrument's
// data bar and a scale bar.
func catalystSEM(string) (image.Image, error) {
	const bar = 78 // height of the data bar
	c := newCanvas(outW, outH, rgb(0, 0, 0))
	grain := rng(3)
	layers := []struct {
		cell, width, bright, blur float64
		seed                      noise
	}{
		{70, 0.09, 0.30, 1.8, 21},
		{105, 0.07, 0.58, 1.3, 22},
		{160, 0.05, 1.00, 1.0, 23},
	}
	for y := 0; y < outH-bar; y++ {
		for x := 0; x < outW; x++ {
			fx, fy := float64(x), float64(y)
			v := 0.06 + 0.08*noise(5).fbm(fx/260, fy/260, 3) // the dark depths between sheets
			for _, l := range layers {
				// Warping the domain crumples the cell walls into petals.
				wx := fx + 0.55*l.cell*(l.seed.fbm(fx/l.cell/1.7, fy/l.cell/1.7, 3)-0.5)
				wy := fy + 0.55*l.cell*((l.seed+100).fbm(fx/l.cell/1.7, fy/l.cell/1.7, 3)-0.5)
				d, side := cellWall(l.seed, wx/l.cell, wy/l.cell)
				w := l.width * l.blur
				wall := math.Exp(-(d / w) * (d / w))
				// Some walls are broken off, which opens the sponge.
				keep := clamp01((l.seed+9).fbm(wx/l.cell*1.3, wy/l.cell*1.3, 2)*3.2 - 1.05)
				wall *= keep
				// One face of a sheet catches more of the beam than the other; edges glow.
				shade := 0.78 + 0.22*side
				v = v*(1-wall) + wall*l.bright*shade
			}
			v += (grain.float() - 0.5) * 0.06 // detector noise
			g := uint8(255 * clamp01(v))
			c.SetRGBA(x, y, color.RGBA{g, g, g, 255})
		}
	}
	// Data bar: what the layer is, and a scale bar of 200 nm.
	white := rgb(235, 235, 235)
	c.rect(0, outH-bar, outW, outH, rgb(12, 12, 12))
	c.line(0, outH-bar, outW, outH-bar, 2, rgb(90, 90, 90))
	base := float64(outH - bar/2 + 9)
	c.text(36, base, fonts.medium, 26, white, left, "Ni–Fe catalyst layer")
	c.text(340, base, fonts.regular, 24, rgb(170, 170, 170), left, "rendered illustration")
	x1 := float64(outW) - 60
	x0 := x1 - 200
	c.rect(x0, base-16, x1, base-6, white)
	c.text(x0-24, base, fonts.medium, 26, white, right, "200 nm")
	return c.RGBA, nil
}

// cellWall is the distance from (x, y) to the nearest wall of a jittered Voronoi pattern (in
// cell units) and which side of the wall it lies on, as a value in [-1, 1].
func cellWall(n noise, x, y float64) (dist, side float64) {
	ix, iy := int(math.Floor(x)), int(math.Floor(y))
	f1, f2 := math.Inf(1), math.Inf(1)
	var p1x, p2x float64
	for j := -1; j <= 1; j++ {
		for i := -1; i <= 1; i++ {
			cx, cy := ix+i, iy+j
			px := float64(cx) + 0.1 + 0.8*n.lattice(cx, cy)
			py := float64(cy) + 0.1 + 0.8*(n+1).lattice(cx, cy)
			d := math.Hypot(px-x, py-y)
			if d < f1 {
				f2, p2x = f1, p1x
				f1, p1x = d, px
			} else if d < f2 {
				f2, p2x = d, px
			}
		}
	}
	side = 1
	if p1x > p2x {
		side = -1
	}
	return (f2 - f1) / 2, side
}
