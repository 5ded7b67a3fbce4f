package main

import (
	"image"
	"math"
)

// racingCar draws a blueprint-style side elevation of the student team's electric racing car,
// with its main dimensions and a title block.
func racingCar(string) (image.Image, error) {
	c := newCanvas(outW, outH, rgb(24, 74, 132))
	// Drawing-paper grid.
	for x := 0.0; x <= outW; x += 20 {
		a := 0.07
		if int(x)%100 == 0 {
			a = 0.16
		}
		c.line(x, 0, x, outH, 1, rgba(255, 255, 255, a))
	}
	for y := 0.0; y <= outH; y += 20 {
		a := 0.07
		if int(y)%100 == 0 {
			a = 0.16
		}
		c.line(0, y, outW, y, 1, rgba(255, 255, 255, a))
	}
	const s, x0, ground = 0.44, 175.0, 780.0
	// p maps millimetres along the car (from the nose) and above the ground to pixels.
	p := func(x, z float64) pt { return pt{x0 + x*s, ground - z*s} }
	ps := func(xz ...float64) []pt {
		out := make([]pt, 0, len(xz)/2)
		for i := 0; i+1 < len(xz); i += 2 {
			out = append(out, p(xz[i], xz[i+1]))
		}
		return out
	}
	ink := rgba(255, 255, 255, 0.92)
	faint := rgba(255, 255, 255, 0.45)
	fillInk := rgba(255, 255, 255, 0.08)
	shape := func(w float64, xz ...float64) {
		pts := ps(xz...)
		c.fill(pts, fillInk)
		c.stroke(append(pts, pts[0]), w, ink)
	}
	// Ground line.
	c.line(60, ground, outW-60, ground, 2, faint)

	// Body: nose, monocoque and engine cover as one outline.
	shape(3.5,
		60, 230, 300, 300, 700, 420, 1050, 560, 1120, 640, // nose rising to the cockpit
		1300, 600, 1560, 660, 1650, 760, // cockpit rim up to the main hoop
		1900, 700, 2250, 560, 2420, 420, 2460, 300, // engine cover falling to the tail
		2400, 170, 1900, 130, 1100, 120, 700, 130, 300, 170, 80, 200) // floor
	// Sidepod.
	shape(2.5, 1150, 170, 1150, 440, 1220, 500, 1800, 520, 1950, 470, 2000, 300, 1950, 170)
	for i := 0.0; i < 4; i++ { // radiator louvres
		a, b := p(1280+i*60, 230), p(1330+i*60, 420)
		c.line(a.X, a.Y, b.X, b.Y, 2, faint)
	}
	// Driver's helmet and the roll hoops.
	h := p(1440, 745)
	c.circle(h.X, h.Y, 120*s, fillInk)
	c.ring(h.X, h.Y, 120*s, 3, ink)
	v := ps(1390, 775, 1562, 775, 1562, 715, 1400, 715)
	c.stroke(append(v, v[0]), 2.5, ink)
	c.stroke(ps(1650, 640, 1690, 1150, 1740, 1150, 1760, 640), 3.5, ink) // main hoop
	c.stroke(ps(1060, 560, 1110, 730, 1150, 720), 3, ink)                // front hoop
	c.stroke(ps(1740, 1100, 2150, 620), 2.5, ink)                        // hoop brace

	// Front wing and its endplate.
	shape(3, 0, 60, 480, 75, 470, 110, 10, 100)
	shape(2.5, 40, 130, 460, 150, 450, 190, 60, 165)
	c.stroke(ps(20, 40, 20, 320, 430, 330, 470, 40, 20, 40), 2, faint)
	// Rear wing: two elements on an endplate, with struts.
	shape(3, 2440, 900, 2920, 960, 2900, 1010, 2450, 960)
	shape(2.5, 2700, 1030, 2930, 1090, 2910, 1140, 2690, 1080)
	c.stroke(ps(2420, 480, 2420, 1180, 2950, 1180, 2950, 480, 2420, 480), 2, faint)
	c.stroke(ps(2380, 420, 2600, 930), 3, ink)
	c.stroke(ps(2300, 480, 2560, 920), 3, ink)
	// Diffuser.
	c.stroke(ps(2250, 135, 2650, 250, 2880, 250), 2.5, ink)

	// Wheels: tyre, rim, hub; suspension wishbones to the body.
	const wheelbase, front, rTyre, rRim = 1530.0, 560.0, 230.0, 150.0
	for _, wx := range []float64{front, front + wheelbase} {
		w := p(wx, rTyre)
		c.circle(w.X, w.Y, rTyre*s, rgb(24, 74, 132))
		c.circle(w.X, w.Y, rTyre*s, fillInk)
		c.ring(w.X, w.Y, rTyre*s, 4, ink)
		c.ring(w.X, w.Y, rRim*s, 2.5, ink)
		c.ring(w.X, w.Y, 40*s, 2.5, ink)
		for k := 0; k < 5; k++ { // spokes
			a := float64(k) * 2 * math.Pi / 5
			c.line(w.X+40*s*math.Cos(a), w.Y+40*s*math.Sin(a), w.X+rRim*s*math.Cos(a), w.Y+rRim*s*math.Sin(a), 2, faint)
		}
		dir := 1.0
		if wx > front {
			dir = -1
		}
		c.stroke(ps(wx, rTyre+60, wx+dir*420, 330), 2.5, ink)
		c.stroke(ps(wx, rTyre-60, wx+dir*420, 150), 2.5, ink)
	}

	// Dimensions.
	dim := func(a, b pt, label string, vertical bool) {
		c.line(a.X, a.Y, b.X, b.Y, 2, ink)
		arrow := func(tip pt, dx, dy float64) {
			c.fill([]pt{tip, {tip.X + dx*16 - dy*6, tip.Y + dy*16 + dx*6}, {tip.X + dx*16 + dy*6, tip.Y + dy*16 - dx*6}}, ink)
		}
		if vertical {
			arrow(a, 0, 1)
			arrow(b, 0, -1)
			c.text(a.X-14, (a.Y+b.Y)/2+9, fonts.medium, 26, ink, right, label)
			return
		}
		arrow(a, 1, 0)
		arrow(b, -1, 0)
		mid := (a.X + b.X) / 2
		c.rect(mid-62, a.Y-17, mid+62, a.Y+17, rgb(24, 74, 132))
		c.text(mid, a.Y+9, fonts.medium, 26, ink, center, label)
	}
	wf, wr := p(front, 0), p(front+wheelbase, 0)
	for _, w := range []pt{wf, wr} {
		c.line(w.X, w.Y-rTyre*s, w.X, ground+85, 1.5, faint)
	}
	dim(pt{wf.X, ground + 70}, pt{wr.X, ground + 70}, "1,530", false)
	nose, tail := p(0, 0), p(2950, 0)
	c.line(nose.X, ground, nose.X, ground+140, 1.5, faint)
	c.line(tail.X, ground, tail.X, ground+140, 1.5, faint)
	dim(pt{nose.X, ground + 125}, pt{tail.X, ground + 125}, "2,950", false)
	top := p(1740, 1180)
	c.line(top.X, top.Y, 120, top.Y, 1.5, faint)
	dim(pt{120, top.Y}, pt{120, ground}, "1,180", true)

	// Notes and title block.
	c.text(170, 110, fonts.bold, 30, ink, left, "NORTHBRIDGE RACING  ·  TERN")
	c.text(170, 148, fonts.regular, 23, faint, left, "Electric, two motors  ·  mass 210 kg  ·  0–100 km/h under 4 s")
	tb := struct{ x0, y0, x1, y1 float64 }{1130, 932, 1560, 1042}
	c.rect(tb.x0, tb.y0, tb.x1, tb.y1, rgba(255, 255, 255, 0.06))
	c.stroke([]pt{{tb.x0, tb.y0}, {tb.x1, tb.y0}, {tb.x1, tb.y1}, {tb.x0, tb.y1}, {tb.x0, tb.y0}}, 2.5, ink)
	c.line(tb.x0, tb.y0+44, tb.x1, tb.y0+44, 1.5, faint)
	c.line(tb.x0, tb.y0+77, tb.x1, tb.y0+77, 1.5, faint)
	c.text(tb.x0+18, tb.y0+32, fonts.bold, 24, ink, left, "SIDE ELEVATION")
	c.text(tb.x0+18, tb.y0+68, fonts.regular, 20, ink, left, "School of Mechanical Engineering")
	c.text(tb.x0+18, tb.y0+101, fonts.regular, 20, ink, left, "Dimensions in mm  ·  Sheet 1 of 4")
	return c.RGBA, nil
}
