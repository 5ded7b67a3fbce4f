package main

import (
	"image"
	"image/color"
	"math"

	"golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomedium"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// canvas is an RGBA image with the few drawing operations the illustrations need: filled
// anti-aliased paths, strokes, circles and text.
type canvas struct {
	*image.RGBA
	r *vector.Rasterizer
}

func newCanvas(w, h int, bg color.RGBA) *canvas {
	c := &canvas{RGBA: image.NewRGBA(image.Rect(0, 0, w, h)), r: vector.NewRasterizer(w, h)}
	draw.Draw(c.RGBA, c.Bounds(), image.NewUniform(bg), image.Point{}, draw.Src)
	return c
}

type pt struct{ X, Y float64 }

// fill paints the closed polygon pts.
func (c *canvas) fill(pts []pt, col color.RGBA) {
	if len(pts) < 3 {
		return
	}
	b, ok := c.begin(pts, 0)
	if !ok {
		return
	}
	c.moveTo(b, pts[0].X, pts[0].Y)
	for _, p := range pts[1:] {
		c.lineTo(b, p.X, p.Y)
	}
	c.r.ClosePath()
	c.r.Draw(c.RGBA, b, image.NewUniform(col), b.Min)
}

// begin readies the rasterizer for a path within pts' bounding box grown by pad, clipped to
// the canvas, so that a small shape costs little on a large canvas. It reports false if
// nothing of the box is on the canvas.
func (c *canvas) begin(pts []pt, pad float64) (image.Rectangle, bool) {
	x0, y0, x1, y1 := pts[0].X, pts[0].Y, pts[0].X, pts[0].Y
	for _, p := range pts {
		x0, y0, x1, y1 = math.Min(x0, p.X), math.Min(y0, p.Y), math.Max(x1, p.X), math.Max(y1, p.Y)
	}
	r := image.Rect(int(math.Floor(x0-pad))-1, int(math.Floor(y0-pad))-1, int(math.Ceil(x1+pad))+1, int(math.Ceil(y1+pad))+1)
	r = r.Intersect(c.Bounds())
	if r.Empty() {
		return r, false
	}
	c.r.Reset(r.Dx(), r.Dy())
	c.r.DrawOp = draw.Over
	return r, true
}

func (c *canvas) moveTo(b image.Rectangle, x, y float64) {
	c.r.MoveTo(float32(x-float64(b.Min.X)), float32(y-float64(b.Min.Y)))
}

func (c *canvas) lineTo(b image.Rectangle, x, y float64) {
	c.r.LineTo(float32(x-float64(b.Min.X)), float32(y-float64(b.Min.Y)))
}

// rect paints an axis-aligned rectangle (anti-aliased at fractional edges).
func (c *canvas) rect(x0, y0, x1, y1 float64, col color.RGBA) {
	c.fill([]pt{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}, col)
}

// roundRect paints a rectangle with rounded corners of radius rad.
func (c *canvas) roundRect(x0, y0, x1, y1, rad float64, col color.RGBA) {
	var pts []pt
	corner := func(cx, cy, a0 float64) {
		for i := 0; i <= 8; i++ {
			a := a0 + float64(i)*math.Pi/16
			pts = append(pts, pt{cx + rad*math.Cos(a), cy + rad*math.Sin(a)})
		}
	}
	corner(x1-rad, y0+rad, -math.Pi/2)
	corner(x1-rad, y1-rad, 0)
	corner(x0+rad, y1-rad, math.Pi/2)
	corner(x0+rad, y0+rad, math.Pi)
	c.fill(pts, col)
}

// circle paints a disc.
func (c *canvas) circle(cx, cy, rad float64, col color.RGBA) {
	n := 16 + int(rad)
	if n > 128 {
		n = 128
	}
	pts := make([]pt, n)
	for i := range pts {
		a := 2 * math.Pi * float64(i) / float64(n)
		pts[i] = pt{cx + rad*math.Cos(a), cy + rad*math.Sin(a)}
	}
	c.fill(pts, col)
}

// ring paints a circle's outline of width w.
func (c *canvas) ring(cx, cy, rad, w float64, col color.RGBA) {
	n := 24 + int(rad)
	if n > 160 {
		n = 160
	}
	pts := make([]pt, 0, n+1)
	for i := 0; i <= n; i++ {
		a := 2 * math.Pi * float64(i) / float64(n)
		pts = append(pts, pt{cx + rad*math.Cos(a), cy + rad*math.Sin(a)})
	}
	c.stroke(pts, w, col)
}

// stroke paints the open polyline pts with width w and round joins. Segments are drawn as one
// path so that overlapping pieces do not darken a translucent colour.
func (c *canvas) stroke(pts []pt, w float64, col color.RGBA) {
	if len(pts) < 2 {
		return
	}
	h := w / 2
	b, ok := c.begin(pts, h+1)
	if !ok {
		return
	}
	for i := 0; i+1 < len(pts); i++ {
		p, q := pts[i], pts[i+1]
		dx, dy := q.X-p.X, q.Y-p.Y
		l := math.Hypot(dx, dy)
		if l == 0 {
			continue
		}
		// Every piece is wound the same way (as the joins' circles), so where pieces overlap
		// their coverage adds up instead of cancelling.
		nx, ny := dy/l*h, -dx/l*h
		c.moveTo(b, p.X+nx, p.Y+ny)
		c.lineTo(b, q.X+nx, q.Y+ny)
		c.lineTo(b, q.X-nx, q.Y-ny)
		c.lineTo(b, p.X-nx, p.Y-ny)
		c.r.ClosePath()
	}
	if h > 0.75 {
		for _, p := range pts[1 : len(pts)-1] {
			for i := 0; i < 12; i++ {
				a := 2 * math.Pi * float64(i) / 12
				x, y := p.X+h*math.Cos(a), p.Y+h*math.Sin(a)
				if i == 0 {
					c.moveTo(b, x, y)
				} else {
					c.lineTo(b, x, y)
				}
			}
			c.r.ClosePath()
		}
	}
	c.r.Draw(c.RGBA, b, image.NewUniform(col), b.Min)
}

// line is a stroke of one segment.
func (c *canvas) line(x0, y0, x1, y1, w float64, col color.RGBA) {
	c.stroke([]pt{{x0, y0}, {x1, y1}}, w, col)
}

// fonts are the Go fonts, parsed once.
var fonts = struct{ regular, medium, bold *opentype.Font }{
	mustFont(goregular.TTF), mustFont(gomedium.TTF), mustFont(gobold.TTF),
}

func mustFont(ttf []byte) *opentype.Font {
	f, err := opentype.Parse(ttf)
	if err != nil {
		panic(err)
	}
	return f
}

func face(f *opentype.Font, size float64) font.Face {
	fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		panic(err)
	}
	return fc
}

// align is where a text's x coordinate sits on it.
type align int

const (
	left align = iota
	center
	right
)

// text draws s with its baseline at y and returns its width.
func (c *canvas) text(x, y float64, f *opentype.Font, size float64, col color.RGBA, al align, s string) float64 {
	fc := face(f, size)
	defer fc.Close()
	w := float64(font.MeasureString(fc, s)) / 64
	switch al {
	case center:
		x -= w / 2
	case right:
		x -= w
	}
	d := font.Drawer{Dst: c.RGBA, Src: image.NewUniform(col), Face: fc, Dot: fixed.Point26_6{X: fixed.Int26_6(x * 64), Y: fixed.Int26_6(y * 64)}}
	d.DrawString(s)
	return w
}

// haloText draws s over a soft outline of colour halo, so it reads on a busy background.
func (c *canvas) haloText(x, y float64, f *opentype.Font, size float64, col, halo color.RGBA, al align, s string) {
	r := size / 9
	for i := 0; i < 12; i++ {
		a := 2 * math.Pi * float64(i) / 12
		c.text(x+r*math.Cos(a), y+r*math.Sin(a), f, size, halo, al, s)
	}
	c.text(x, y, f, size, col, al, s)
}

func rgb(r, g, b uint8) color.RGBA { return color.RGBA{r, g, b, 255} }

// rgba is a colour with straight (not premultiplied) alpha a, as the drawing calls want it
// premultiplied.
func rgba(r, g, b uint8, a float64) color.RGBA {
	return color.RGBA{uint8(float64(r) * a), uint8(float64(g) * a), uint8(float64(b) * a), uint8(255 * a)}
}

// mix blends two colours, t=0 giving a and t=1 giving b.
func mix(a, b color.RGBA, t float64) color.RGBA {
	t = clamp01(t)
	f := func(x, y uint8) uint8 { return uint8(float64(x)*(1-t) + float64(y)*t + 0.5) }
	return color.RGBA{f(a.R, b.R), f(a.G, b.G), f(a.B, b.B), f(a.A, b.A)}
}

func clamp01(t float64) float64 { return math.Max(0, math.Min(1, t)) }

// noise is deterministic 2-D value noise: a hashed lattice, smoothly interpolated.
type noise uint64

func (n noise) lattice(x, y int) float64 {
	h := uint64(n) ^ uint64(int64(x))*0x9E3779B97F4A7C15 ^ uint64(int64(y))*0xC2B2AE3D27D4EB4F
	h ^= h >> 33
	h *= 0xFF51AFD7ED558CCD
	h ^= h >> 33
	h *= 0xC4CEB9FE1A85EC53
	h ^= h >> 33
	return float64(h>>11) / float64(1<<53)
}

func (n noise) at(x, y float64) float64 {
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := x-x0, y-y0
	ix, iy := int(x0), int(y0)
	sx, sy := fx*fx*(3-2*fx), fy*fy*(3-2*fy)
	a := n.lattice(ix, iy) + sx*(n.lattice(ix+1, iy)-n.lattice(ix, iy))
	b := n.lattice(ix, iy+1) + sx*(n.lattice(ix+1, iy+1)-n.lattice(ix, iy+1))
	return a + sy*(b-a)
}

// fbm sums octaves of noise; the result lies in [0, 1).
func (n noise) fbm(x, y float64, octaves int) float64 {
	sum, amp, norm := 0.0, 1.0, 0.0
	for i := 0; i < octaves; i++ {
		sum += amp * noise(uint64(n)+uint64(i)*7919).at(x, y)
		norm += amp
		amp /= 2
		x, y = x*2.03, y*2.03
	}
	return sum / norm
}

// rng is a small deterministic random source (SplitMix64), so the same program draws the
// same picture on every run.
type rng uint64

func (r *rng) next() uint64 {
	*r += 0x9E3779B97F4A7C15
	z := uint64(*r)
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	return z ^ z>>31
}

// float is uniform in [0, 1).
func (r *rng) float() float64 { return float64(r.next()>>11) / float64(1<<53) }

// between is uniform in [a, b).
func (r *rng) between(a, b float64) float64 { return a + (b-a)*r.float() }
