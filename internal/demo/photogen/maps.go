package main

import (
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // the Blue Marble map
	"math"
	"os"
	"path/filepath"
)

// earthMap is the NASA Blue Marble image shipped by Debian's xplanet-images, used only to tell
// land from sea.
const earthMap = "/usr/share/xplanet/images/earth.jpg"

// landMask reads earthMap and reports for a longitude and latitude whether it is land.
func landMask(root string) (func(lon, lat float64) bool, error) {
	f, err := os.Open(filepath.Join(root, earthMap))
	if err != nil {
		return nil, fmt.Errorf("%w (install or unpack Debian package xplanet-images)", err)
	}
	defer f.Close()
	m, _, err := image.Decode(f)
	if err != nil {
		return nil, err
	}
	b := m.Bounds()
	return func(lon, lat float64) bool {
		x := b.Min.X + int((lon+180)/360*float64(b.Dx()))
		y := b.Min.Y + int((90-lat)/180*float64(b.Dy()))
		x = ((x-b.Min.X)%b.Dx()+b.Dx())%b.Dx() + b.Min.X
		y = max(b.Min.Y, min(y, b.Max.Y-1))
		r, g, bl, _ := m.At(x, y).RGBA()
		r, g, bl = r>>8, g>>8, bl>>8
		// The sea is dark blue; land is green, brown or white.
		return !(bl > r+25 && bl+10 >= g && r < 100)
	}, nil
}

// place is a labelled point on a dot map.
type place struct {
	name     string
	lon, lat float64
	al       align
}

// partnersMap shows Northbridge and its two new partner countries, joined by arcs.
func partnersMap(root string) (image.Image, error) {
	land, err := landMask(root)
	if err != nil {
		return nil, err
	}
	c := newCanvas(outW, outH, rgb(14, 32, 54))
	// Equirectangular, 10 px to a degree: longitudes -42..118, latitudes 68..-38.7.
	const pxPerDeg, lonW, latN = 10.0, -42.0, 68.0
	proj := func(lon, lat float64) pt { return pt{(lon - lonW) * pxPerDeg, (latN - lat) * pxPerDeg} }
	dots(c, land, proj, pxPerDeg, 1.2, rgb(58, 104, 132))
	home := place{"Northbridge", -1.6, 54.9, left}
	partners := []place{{"Kenya", 36.8, -1.3, left}, {"Ghana", -0.2, 5.6, right}}
	for _, p := range partners {
		arc(c, proj(home.lon, home.lat), proj(p.lon, p.lat), 0.22, rgba(247, 200, 80, 0.9))
	}
	for _, p := range append([]place{home}, partners...) {
		marker(c, proj(p.lon, p.lat), p.name, p.al)
	}
	white, soft := rgb(255, 255, 255), rgb(170, 196, 220)
	c.roundRect(1010, 820, 1560, 1030, 14, rgba(14, 32, 54, 0.85))
	c.text(1040, 875, fonts.bold, 36, white, left, "Two new partnerships")
	for i, l := range []string{"Joint research in water and public health", "Up to 60 students a year each way", "Projects funded for five years"} {
		c.text(1040, 920+float64(i)*36, fonts.regular, 25, soft, left, l)
	}
	return c.RGBA, nil
}

// scholarsMap shows where Global Scholarship students come from, on a world map.
func scholarsMap(root string) (image.Image, error) {
	land, err := landMask(root)
	if err != nil {
		return nil, err
	}
	c := newCanvas(outW, outH, rgb(250, 248, 242))
	// Equirectangular over the whole width: 360° in 1600 px, latitudes 80..-58 below a title.
	const top = 215.0
	pxPerDeg := float64(outW) / 360
	proj := func(lon, lat float64) pt { return pt{(lon + 180) * pxPerDeg, top + (80-lat)*pxPerDeg} }
	dots(c, land, proj, pxPerDeg, 2.2, rgb(196, 204, 196))
	home := place{"Northbridge", -1.6, 54.9, left}
	from := []place{
		{"Lagos", 3.4, 6.5, right}, {"Nairobi", 36.8, -1.3, left}, {"Cairo", 31.2, 30.0, left},
		{"Delhi", 77.2, 28.6, left}, {"Dhaka", 90.4, 23.8, left}, {"Hanoi", 105.8, 21.0, left},
		{"Jakarta", 106.8, -6.2, left}, {"Lima", -77.0, -12.0, right}, {"São Paulo", -46.6, -23.5, left},
		{"Mexico City", -99.1, 19.4, right}, {"Kathmandu", 85.3, 27.7, right}, {"Accra", -0.2, 5.6, left},
	}
	for _, p := range from {
		arc(c, proj(p.lon, p.lat), proj(home.lon, home.lat), 0.18, rgba(200, 40, 60, 0.55))
	}
	for _, p := range from {
		q := proj(p.lon, p.lat)
		c.circle(q.X, q.Y, 7, rgb(200, 40, 60))
		c.ring(q.X, q.Y, 7, 2, rgb(255, 255, 255))
	}
	q := proj(home.lon, home.lat)
	c.circle(q.X, q.Y, 12, rgb(20, 60, 110))
	c.ring(q.X, q.Y, 12, 3, rgb(255, 255, 255))
	c.haloText(q.X-18, q.Y-18, fonts.bold, 26, rgb(20, 60, 110), rgb(250, 248, 242), right, "Northbridge")
	dark, grey := rgb(34, 34, 34), rgb(100, 100, 100)
	for i, f := range []struct{ big, small string }{
		{"40", "scholarships a year"},
		{"100%", "of tuition fees paid"},
		{"1 May", "deadline for an offer of a place"},
	} {
		x := 90 + float64(i)*500
		c.rect(x, 900, x+6, 1010, rgb(200, 40, 60))
		c.text(x+30, 962, fonts.bold, 60, dark, left, f.big)
		c.text(x+30, 1002, fonts.regular, 26, grey, left, f.small)
	}
	c.text(90, 95, fonts.bold, 46, dark, left, "Northbridge Global Scholarships")
	c.text(90, 145, fonts.regular, 28, grey, left, "40 awards a year, covering full tuition for international undergraduates")
	return c.RGBA, nil
}

// dots fills the map with a dot for every grid point on land.
func dots(c *canvas, land func(lon, lat float64) bool, proj func(lon, lat float64) pt, pxPerDeg, stepDeg float64, col color.RGBA) {
	o := proj(0, 0)
	b := c.Bounds()
	step := stepDeg * pxPerDeg
	for y := math.Mod(o.Y, step); y < float64(b.Dy()); y += step {
		for x := math.Mod(o.X, step); x < float64(b.Dx()); x += step {
			lon := (x - o.X) / pxPerDeg
			lat := -(y - o.Y) / pxPerDeg
			if lat > 84 || lat < -60 || !land(lon, lat) {
				continue
			}
			c.circle(x, y, step*0.34, col)
		}
	}
}

// arc joins a and b with a curve that bows up by lift times their distance.
func arc(c *canvas, a, b pt, lift float64, col color.RGBA) {
	mx, my := (a.X+b.X)/2, (a.Y+b.Y)/2
	d := math.Hypot(b.X-a.X, b.Y-a.Y)
	nx, ny := (b.Y-a.Y)/d, -(b.X-a.X)/d
	if ny > 0 {
		nx, ny = -nx, -ny
	}
	cx, cy := mx+nx*d*lift, my+ny*d*lift
	var pts []pt
	for i := 0; i <= 48; i++ {
		t := float64(i) / 48
		u := 1 - t
		pts = append(pts, pt{u*u*a.X + 2*u*t*cx + t*t*b.X, u*u*a.Y + 2*u*t*cy + t*t*b.Y})
	}
	c.stroke(pts, 3.5, col)
}

// marker draws a glowing point with a label beside it.
func marker(c *canvas, p pt, name string, al align) {
	for r := 34.0; r > 12; r -= 4 {
		c.circle(p.X, p.Y, r, rgba(247, 200, 80, 0.07))
	}
	c.circle(p.X, p.Y, 10, rgb(247, 200, 80))
	c.ring(p.X, p.Y, 10, 3, rgb(255, 255, 255))
	dx := 24.0
	if al == right {
		dx = -24
	}
	c.haloText(p.X+dx, p.Y+10, fonts.bold, 30, rgb(255, 255, 255), rgb(14, 32, 54), al, name)
}
