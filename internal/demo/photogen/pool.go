package main

import (
	"image"
	"image/color"
	"math"
	"strconv"
)

// pool renders the new sports centre's 25-metre pool from above: lane lines on the floor seen
// through rippling water, lane ropes, the gutters, the deck and the starting blocks.
func pool(string) (image.Image, error) {
	c := newCanvas(outW, outH, rgb(232, 230, 224))
	const m = 56.0                // pixels per metre
	const wx0, wx1 = 95.0, 1495.0 // the pool's end walls: 25 m apart
	const lane = 2.5 * m
	yOff := -0.55 * lane // where lane boundaries fall: the picture shows about seven lanes
	n := noise(41)
	for y := 0; y < outH; y++ {
		for x := int(wx0); x < int(wx1); x++ {
			fx, fy := float64(x), float64(y)
			// Refraction: the floor seen through ripples is shifted a little.
			rx := fx + 6*(n.fbm(fx/70, fy/70, 3)-0.5)
			ry := fy + 6*((n+1).fbm(fx/70, fy/70, 3)-0.5)
			floor := poolFloor(rx, ry, wx0, wx1, lane, yOff, m)
			// Water: deeper towards the left-hand end.
			depth := (wx1 - fx) / (wx1 - wx0)
			water := mix(rgb(64, 184, 222), rgb(22, 120, 180), depth*0.8)
			col := mixMul(floor, water)
			// Caustics: a net of light focused by the waves.
			d, _ := cellWall(n+2, (rx+25*n.fbm(fx/90, fy/90, 2))/34, (ry+25*(n+3).fbm(fx/90, fy/90, 2))/30)
			light := 0.5 * math.Exp(-(d/0.045)*(d/0.045))
			col = mix(col, rgb(235, 252, 255), light*(1-depth*0.45))
			c.SetRGBA(x, y, col)
		}
	}
	// Deck tiles and the gutters along each end wall.
	for x := 0.0; x < outW; x += 28 {
		if x > wx0-30 && x < wx1+30 {
			continue
		}
		c.line(x, 0, x, outH, 1, rgba(0, 0, 0, 0.08))
	}
	for y := 0.0; y < outH; y += 28 {
		c.line(0, y, wx0-26, y, 1, rgba(0, 0, 0, 0.08))
		c.line(wx1+26, y, outW, y, 1, rgba(0, 0, 0, 0.08))
	}
	for _, gx := range []float64{wx0 - 26, wx1} {
		c.rect(gx, 0, gx+26, outH, rgb(150, 156, 160))
		for y := 0.0; y < outH; y += 9 {
			c.rect(gx+3, y, gx+23, y+4, rgb(96, 102, 108))
		}
	}
	// Lane ropes: floats, red within 5 m of each wall, blue and white between.
	for k := -1; k < 9; k++ {
		y := yOff + float64(k)*lane
		if y < -20 || y > outH+20 {
			continue
		}
		wave := func(x float64) float64 { return y + 3*math.Sin(x/120+float64(k)) }
		// The rope's shadow on the floor.
		var sh []pt
		for x := wx0; x <= wx1; x += 20 {
			sh = append(sh, pt{x + 14, wave(x) + 26})
		}
		c.stroke(sh, 10, rgba(0, 40, 70, 0.18))
		for x := wx0 + 8; x < wx1-6; x += 17 {
			col := rgb(30, 80, 190)
			switch {
			case x-wx0 < 5*m || wx1-x < 5*m:
				col = rgb(210, 40, 40)
			case int((x-wx0)/17)%4 == 0:
				col = rgb(245, 245, 245)
			}
			yy := wave(x)
			c.circle(x, yy, 9, mix(col, rgb(0, 0, 0), 0.25))
			c.circle(x-1.5, yy-1.5, 7.5, col)
			c.circle(x-3, yy-3, 2.5, rgba(255, 255, 255, 0.6))
		}
	}
	// Starting blocks at the deep end... here the right-hand end, with lane numbers.
	num := 0
	for k := 0; k < 9; k++ {
		cy := yOff + (float64(k)+0.5)*lane
		if cy < 30 || cy > outH-30 {
			continue
		}
		num++
		c.rect(wx1+34, cy-30, wx1+104, cy+30, rgba(0, 0, 0, 0.15))
		c.roundRect(wx1+30, cy-34, wx1+100, cy+26, 6, rgb(246, 246, 246))
		c.rect(wx1+30, cy-34, wx1+52, cy+26, rgb(40, 110, 190))
		c.text(wx1+76, cy+8, fonts.bold, 26, rgb(40, 40, 40), center, strconv.Itoa(num))
	}
	return c.RGBA, nil
}

// poolFloor is the colour of the pool floor at (x, y): white tiles, a dark lane line down the
// middle of each lane ending in a T a metre from each wall, and targets on the end walls.
func poolFloor(x, y, wx0, wx1, lane, yOff, m float64) color.RGBA {
	tile := rgb(236, 244, 246)
	if math.Mod(x-wx0, 0.25*m) < 1.2 || math.Mod(y-yOff+1000*lane, 0.25*m) < 1.2 {
		tile = rgb(222, 234, 238)
	}
	ly := math.Mod(y-yOff+1000*lane, lane) - lane/2 // distance from the lane's centre line
	half := 0.125 * m
	ink := rgb(24, 40, 70)
	if math.Abs(ly) < half && x > wx0+2*m && x < wx1-2*m {
		return ink
	}
	for _, tx := range []float64{wx0 + 2*m, wx1 - 2*m} {
		if math.Abs(x-tx) < half && math.Abs(ly) < 0.5*m {
			return ink
		}
	}
	for _, wx := range []float64{wx0, wx1} { // wall targets
		if math.Abs(x-wx) < 0.35*m && math.Abs(ly) < half {
			return ink
		}
	}
	return tile
}

// mixMul tints a floor colour by the water above it.
func mixMul(a, b color.RGBA) color.RGBA {
	f := func(x, y uint8) uint8 { return uint8(float64(x) * (0.35 + 0.65*float64(y)/255)) }
	return color.RGBA{f(a.R, b.R), f(a.G, b.G), f(a.B, b.B), 255}
}
