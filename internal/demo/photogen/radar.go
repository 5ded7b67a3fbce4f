package main

import (
	"image"
	"image/color"
	"math"
)

// harbourRadar draws a ground-penetrating radar depth slice of the kind the archaeology story
// describes: reflections of buried quays, a slipway and a building's foundations, shown in the
// streets the radar was pulled along, over a plain map of the blocks between them.
func harbourRadar(string) (image.Image, error) {
	c := newCanvas(outW, outH, rgb(226, 222, 212))
	// The surveyed streets.
	streets := [][]pt{
		{{-10, 330}, {1610, 290}, {1610, 520}, {-10, 560}},   // Water Street
		{{930, -10}, {1160, -10}, {1190, 1080}, {960, 1080}}, // Custom House Lane
		{{260, 540}, {780, 530}, {800, 930}, {240, 950}},     // Fish Market square
		{{1160, 560}, {1610, 560}, {1610, 760}, {1170, 770}}, // Quay Row
	}
	inStreet := func(x, y float64) bool {
		for _, s := range streets {
			if inPolygon(s, x, y) {
				return true
			}
		}
		return false
	}
	// Buried features: each a polyline that reflects strongly.
	features := [][]pt{
		{{-10, 470}, {400, 455}, {800, 445}, {1050, 438}},  // the old quay front
		{{1050, 438}, {1075, 760}, {1090, 1080}},           // the quay's return along the lane
		{{420, 600}, {700, 590}}, {{430, 880}, {720, 870}}, // slipway sides
		{{420, 600}, {430, 880}}, {{700, 590}, {720, 870}}, //
		{{1230, 590}, {1560, 585}, {1565, 735}, {1235, 742}, {1230, 590}}, // customs house footings
		{{1400, 588}, {1402, 738}},                                        // and its cross wall
		{{-10, 360}, {300, 352}},                                          // a later drain
	}
	n := noise(31)
	amp := func(x, y float64) float64 {
		a := 0.12 + 0.24*n.fbm(x/90, y/90, 4)
		a += 0.16 * ((n+3).at(x/7, y/5) - 0.5)       // clutter from stones and pipes
		a += 0.05 * math.Sin(y/7) * n.at(x/40, y/40) // survey-line banding
		for _, f := range features {
			d := distToPolyline(f, x, y)
			broken := (n+5).fbm(x/70, y/70, 3)*2.4 - 0.45 // walls survive in patches
			a += 0.72 * clamp01(broken) * math.Exp(-(d/13)*(d/13))
		}
		// Slipway ramps: bands across the slipway.
		if x > 430 && x < 705 && y > 600 && y < 870 {
			a += 0.22 * (0.5 + 0.5*math.Cos((y-600)/270*2*math.Pi*5))
		}
		return a
	}
	for y := 0; y < outH; y++ {
		for x := 0; x < outW; x++ {
			fx, fy := float64(x), float64(y)
			if inStreet(fx, fy) {
				c.SetRGBA(x, y, radarColour(amp(fx, fy)))
			}
		}
	}
	dark, white := rgb(30, 30, 30), rgb(255, 255, 255)
	c.haloText(150, 285, fonts.medium, 22, rgb(90, 86, 78), rgb(226, 222, 212), left, "WATER STREET")
	c.haloText(1400, 805, fonts.medium, 22, rgb(90, 86, 78), rgb(226, 222, 212), center, "QUAY ROW")

	callout := func(x, y, tx, ty float64, s string) {
		c.line(x, y, tx, ty, 2.5, dark)
		c.circle(x, y, 6, dark)
		al := left
		if tx < x || tx > 1400 {
			al = right
		}
		c.haloText(tx, ty+8, fonts.bold, 26, dark, white, al, s)
	}
	callout(640, 449, 560, 390, "Medieval quay")
	callout(700, 740, 860, 760, "Slipway")
	callout(1480, 665, 1545, 900, "Customs house?")
	callout(1086, 985, 1220, 1010, "Quay return")

	// Title, colour scale, scale bar and north arrow.
	c.roundRect(40, 40, 610, 200, 12, rgba(255, 255, 255, 0.93))
	c.text(64, 88, fonts.bold, 30, dark, left, "Old Town radar survey")
	c.text(64, 122, fonts.regular, 21, dark, left, "Depth slice 1.8–2.2 m below street level")
	for i := 0; i < 300; i++ {
		col := radarColour(0.1 + float64(i)/300)
		c.rect(64+float64(i), 140, 65+float64(i), 162, col)
	}
	c.text(64, 188, fonts.regular, 18, dark, left, "weak")
	c.text(364, 188, fonts.regular, 18, dark, right, "strong reflection")
	c.rect(1280, 80, 1480, 90, dark)
	c.rect(1280, 80, 1380, 90, white)
	c.stroke([]pt{{1280, 80}, {1480, 80}, {1480, 90}, {1280, 90}, {1280, 80}}, 1.5, dark)
	c.haloText(1380, 124, fonts.medium, 22, dark, white, center, "20 m")
	c.fill([]pt{{1540, 60}, {1556, 112}, {1540, 102}, {1524, 112}}, dark)
	c.haloText(1540, 140, fonts.bold, 22, dark, white, center, "N")
	return c.RGBA, nil
}

// radarColour maps a reflection strength to a colour: deep blue through teal and yellow to red.
func radarColour(a float64) color.RGBA {
	stops := []struct {
		at  float64
		col color.RGBA
	}{
		{0.0, rgb(20, 24, 80)}, {0.25, rgb(30, 90, 160)}, {0.45, rgb(40, 170, 170)},
		{0.65, rgb(240, 220, 80)}, {0.85, rgb(235, 110, 40)}, {1.0, rgb(170, 20, 30)},
	}
	a = clamp01(a)
	for i := 1; i < len(stops); i++ {
		if a <= stops[i].at {
			t := (a - stops[i-1].at) / (stops[i].at - stops[i-1].at)
			return mix(stops[i-1].col, stops[i].col, t)
		}
	}
	return stops[len(stops)-1].col
}

// distToPolyline is the distance from (x, y) to the nearest point of the polyline pts.
func distToPolyline(pts []pt, x, y float64) float64 {
	best := math.Inf(1)
	for i := 0; i+1 < len(pts); i++ {
		p, q := pts[i], pts[i+1]
		dx, dy := q.X-p.X, q.Y-p.Y
		t := clamp01(((x-p.X)*dx + (y-p.Y)*dy) / (dx*dx + dy*dy))
		best = math.Min(best, math.Hypot(x-(p.X+t*dx), y-(p.Y+t*dy)))
	}
	return best
}

// inPolygon reports whether (x, y) lies inside the polygon pts (even-odd rule).
func inPolygon(pts []pt, x, y float64) bool {
	in := false
	for i, j := 0, len(pts)-1; i < len(pts); j, i = i, i+1 {
		p, q := pts[i], pts[j]
		if (p.Y > y) != (q.Y > y) && x < (q.X-p.X)*(y-p.Y)/(q.Y-p.Y)+p.X {
			in = !in
		}
	}
	return in
}
