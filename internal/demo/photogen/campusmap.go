package main

import (
	"image"
	"math"
	"strconv"
)

// campusMap draws an illustrated map of the fictional Main Campus for the open day story:
// the buildings the programme names, numbered as in its legend.
func campusMap(string) (image.Image, error) {
	c := newCanvas(outW, outH, rgb(205, 226, 178))
	n := noise(11)
	// Grass that is not one flat colour.
	for y := 0; y < outH; y++ {
		for x := 0; x < outW; x++ {
			v := n.fbm(float64(x)/180, float64(y)/180, 4) - 0.5
			c.SetRGBA(x, y, mix(rgb(198, 222, 170), rgb(214, 232, 186), 0.5+v*1.6))
		}
	}

	// The river along the south edge, with a towpath.
	river := func(x float64) float64 { return 985 + 40*math.Sin(x/260+0.6) - x*0.03 }
	var bank, water, path []pt
	for x := -20.0; x <= outW+20; x += 10 {
		bank = append(bank, pt{x, river(x) - 62})
		water = append(water, pt{x, river(x) - 48})
		path = append(path, pt{x, river(x) - 80})
	}
	closeDown := func(top []pt) []pt {
		return append(append([]pt{}, top...), pt{outW + 20, outH + 20}, pt{-20, outH + 20})
	}
	c.fill(closeDown(bank), rgb(170, 204, 150))
	c.fill(closeDown(water), rgb(142, 192, 224))
	for i := 0; i < 5; i++ {
		var ripple []pt
		off := 20 + float64(i)*26
		for x := float64(i * 90); x <= outW; x += 10 {
			ripple = append(ripple, pt{x, river(x) - 48 + off})
		}
		c.stroke(ripple, 2, rgba(255, 255, 255, 0.35))
	}
	c.stroke(path, 7, rgb(236, 224, 196))

	// Roads: Cathedral Road across the north, University Avenue down to the river.
	road := func(pts []pt, w float64) {
		c.stroke(pts, w+6, rgb(200, 190, 170))
		c.stroke(pts, w, rgb(250, 246, 236))
	}
	cathedral := []pt{{-20, 318}, {400, 300}, {800, 292}, {1200, 296}, {1620, 310}}
	road(cathedral, 44)
	avenue := []pt{{585, 300}, {578, 520}, {600, 700}, {650, 895}}
	road(avenue, 30)
	road([]pt{{578, 560}, {900, 575}, {1180, 560}, {1540, 540}}, 24)
	// Footpaths.
	foot := func(pts []pt) { c.stroke(pts, 8, rgb(238, 228, 204)) }
	foot([]pt{{760, 540}, {780, 640}, {760, 700}})
	foot([]pt{{330, 560}, {360, 640}, {420, 680}})
	foot([]pt{{1000, 560}, {1020, 500}, {1060, 440}})
	foot([]pt{{250, 300}, {240, 250}, {260, 200}})
	foot([]pt{{1335, 490}, {1340, 550}})
	// Dashed centre line on Cathedral Road.
	for x := 0.0; x < outW; x += 46 {
		c.line(x, along(cathedral, x), x+22, along(cathedral, x+22), 3, rgb(225, 212, 180))
	}

	// Paved square in front of the Great Hall.
	c.roundRect(610, 330, 960, 545, 14, rgb(236, 226, 204))

	box := func(x0, y0, x1, y1 float64) []pt { return []pt{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}} }
	var fan []pt // the lecture theatre: a quarter-circle fan
	for i := 0; i <= 16; i++ {
		a := math.Pi*0.05 + math.Pi*0.4*float64(i)/16
		fan = append(fan, pt{985 + 190*math.Cos(a), 760 - 190*math.Sin(a)})
	}
	fan = append(fan, pt{985, 760})
	buildings := []building{
		{box(650, 370, 920, 505), [3]uint8{196, 120, 92}},    // Great Hall
		{box(690, 395, 880, 480), [3]uint8{214, 146, 116}},   // its raised roof
		{box(1000, 115, 1170, 255), [3]uint8{150, 162, 176}}, // Science Quarter
		{box(1200, 115, 1420, 180), [3]uint8{160, 172, 186}},
		{box(1200, 195, 1420, 255), [3]uint8{142, 154, 170}},
		{[]pt{{150, 380}, {470, 380}, {470, 450}, {250, 450}, {250, 570}, {150, 570}}, [3]uint8{214, 180, 128}}, // Humanities
		{fan, [3]uint8{170, 186, 150}},                                                                          // Harrington Lecture Theatre
		{box(290, 640, 500, 775), [3]uint8{176, 140, 170}},                                                      // Library
		{box(1200, 355, 1470, 480), [3]uint8{120, 160, 190}},                                                    // Sports Centre
		{box(700, 610, 870, 720), [3]uint8{226, 170, 90}},                                                       // Students' Union
	}
	for i := 0; i < 6; i++ { // halls of residence
		x := 90 + float64(i%3)*130
		y := 70 + float64(i/3)*105
		buildings = append(buildings, building{box(x, y, x+100, y+70), [3]uint8{200, 156, 120}})
	}
	for _, b := range buildings {
		shadow := make([]pt, len(b.pts))
		for i, p := range b.pts {
			shadow[i] = pt{p.X + 9, p.Y + 9}
		}
		c.fill(shadow, rgba(60, 70, 50, 0.28))
	}
	for _, b := range buildings {
		c.fill(b.pts, rgb(b.roof[0], b.roof[1], b.roof[2]))
		c.stroke(append(b.pts, b.pts[0]), 2, rgba(70, 50, 40, 0.35))
	}
	// Roof detail: ridge lines on the Great Hall, skylights on the sports centre.
	c.line(690, 437, 880, 437, 2, rgba(120, 60, 40, 0.5))
	for x := 1225.0; x < 1460; x += 40 {
		c.rect(x, 372, x+22, 462, rgba(200, 225, 240, 0.55))
	}

	// Trees, kept off roads, buildings and water.
	r := rng(7)
	blocked := func(x, y float64) bool {
		if y > river(x)-95 || math.Abs(y-300) < 50 || (y > 300 && math.Abs(x-585) < 40 && y < 720) {
			return true
		}
		for _, b := range buildings {
			if inside(b.pts, x, y, 26) {
				return true
			}
		}
		return x > 600 && x < 970 && y > 320 && y < 555
	}
	for i := 0; i < 900; i++ {
		x, y := r.between(0, outW), r.between(0, outH)
		// Trees grow in clumps: accept a point more readily where noise is high.
		if n.fbm(x/140+40, y/140, 3) < 0.52 || blocked(x, y) {
			continue
		}
		rad := r.between(11, 20)
		c.circle(x+5, y+6, rad, rgba(50, 70, 40, 0.30))
		c.circle(x, y, rad, rgb(92, 140, 82))
		c.circle(x-rad*0.3, y-rad*0.3, rad*0.55, rgb(120, 168, 98))
	}

	// Labels, pins and the legend.
	dark, white := rgb(40, 40, 40), rgb(255, 255, 255)
	label := func(x, y float64, s string) { c.haloText(x, y, fonts.bold, 24, dark, white, center, s) }
	label(785, 580-50, "Great Hall")
	label(1210, 98, "Science Quarter")
	label(300, 610, "Humanities Building")
	label(1010, 800, "Harrington Lecture Theatre")
	label(395, 812, "Library")
	label(1335, 522, "Sports Centre")
	label(285, 285, "Halls of Residence")
	label(785, 755, "Students' Union")
	c.haloText(1480, 288, fonts.medium, 22, rgb(110, 96, 70), rgb(250, 246, 236), center, "CATHEDRAL ROAD")
	c.haloText(700, river(700)+20, fonts.medium, 22, rgb(40, 90, 130), rgb(142, 192, 224), center, "RIVER NORTH")

	pin := func(x, y float64, num int) {
		c.circle(x+3, y+4, 21, rgba(0, 0, 0, 0.3))
		c.circle(x, y, 21, rgb(178, 24, 48))
		c.ring(x, y, 21, 3, white)
		c.text(x, y+8, fonts.bold, 22, white, center, strconv.Itoa(num))
	}
	pins := []struct {
		x, y float64
		text string
	}{
		{785, 437, "Registration and welcome talk"},
		{1085, 185, "Subject talks and lab tours"},
		{300, 415, "Subject talks: humanities"},
		{1020, 690, "Applying and student finance"},
		{395, 707, "Library tours"},
		{1335, 417, "Sports centre open house"},
		{240, 105, "Accommodation tours"},
	}
	for i, p := range pins {
		pin(p.x, p.y, i+1)
	}
	// Shuttle bus stop on Cathedral Road.
	c.roundRect(470, 235, 520, 272, 8, rgb(30, 90, 160))
	c.text(495, 262, fonts.bold, 22, white, center, "B")
	c.haloText(540, 262, fonts.medium, 20, dark, white, left, "Shuttle bus")

	// Legend panel.
	lx, ly := 1190.0, 665.0
	c.roundRect(lx+6, ly+6, lx+386, ly+376, 16, rgba(0, 0, 0, 0.18))
	c.roundRect(lx, ly, lx+380, ly+370, 16, rgba(255, 255, 255, 0.95))
	c.text(lx+26, ly+46, fonts.bold, 30, rgb(120, 16, 36), left, "Open Day")
	c.text(lx+26, ly+78, fonts.medium, 20, rgb(70, 70, 70), left, "Saturday 17 October, 9.30–16.00")
	for i, p := range pins {
		y := ly + 125 + float64(i)*34
		c.circle(lx+42, y-7, 13, rgb(178, 24, 48))
		c.text(lx+42, y, fonts.bold, 16, white, center, strconv.Itoa(i+1))
		c.text(lx+66, y, fonts.regular, 19, dark, left, p.text)
	}

	// North arrow.
	c.circle(1530, 70, 34, rgba(255, 255, 255, 0.9))
	c.fill([]pt{{1530, 44}, {1544, 84}, {1530, 76}, {1516, 84}}, dark)
	c.text(1530, 128, fonts.bold, 22, dark, center, "N")
	return c.RGBA, nil
}

// building is a footprint on the campus map and the colour of its roof.
type building struct {
	pts  []pt
	roof [3]uint8
}

// along is the y of the polyline pts at x, by linear interpolation (pts sorted by x).
func along(pts []pt, x float64) float64 {
	for i := 0; i+1 < len(pts); i++ {
		p, q := pts[i], pts[i+1]
		if x <= q.X {
			return p.Y + (q.Y-p.Y)*(x-p.X)/(q.X-p.X)
		}
	}
	return pts[len(pts)-1].Y
}

// inside reports whether (x, y) lies within the polygon's bounding box grown by margin.
func inside(pts []pt, x, y, margin float64) bool {
	x0, y0, x1, y1 := pts[0].X, pts[0].Y, pts[0].X, pts[0].Y
	for _, p := range pts {
		x0, y0, x1, y1 = math.Min(x0, p.X), math.Min(y0, p.Y), math.Max(x1, p.X), math.Max(y1, p.Y)
	}
	return x > x0-margin && x < x1+margin && y > y0-margin && y < y1+margin
}
