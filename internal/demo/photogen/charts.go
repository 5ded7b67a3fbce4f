package main

import (
	"image"
	"strconv"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
)

// solarOutput charts the solar canopy's first year month by month. The months add up to the
// 3,900 MWh the story reports, shaped by the season.
func solarOutput(string) (image.Image, error) {
	c := newCanvas(outW, outH, rgb(251, 250, 246))
	months := []string{"Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun"}
	mwh := []float64{550, 480, 350, 220, 115, 75, 95, 170, 320, 460, 560, 505}
	dark, grey := rgb(34, 34, 34), rgb(110, 110, 110)
	c.text(110, 110, fonts.bold, 46, dark, left, "Solar canopy: the first year")
	c.text(110, 156, fonts.regular, 27, grey, left, "Electricity generated each month, in megawatt hours. Total: 3,900 MWh,")
	c.text(110, 190, fonts.regular, 27, grey, left, "about a fifth of the university's annual use.")
	const x0, x1, y0, y1, top = 180.0, 1520.0, 270.0, 910.0, 600.0
	for v := 0.0; v <= top; v += 100 {
		y := y1 - (y1-y0)*v/top
		col := rgb(222, 220, 212)
		if v == 0 {
			col = rgb(120, 120, 120)
		}
		c.line(x0, y, x1, y, 2, col)
		c.text(x0-18, y+9, fonts.regular, 24, grey, right, strconv.Itoa(int(v)))
	}
	slot := (x1 - x0) / float64(len(mwh))
	for i, v := range mwh {
		bx := x0 + slot*float64(i) + slot*0.16
		bw := slot * 0.68
		y := y1 - (y1-y0)*v/top
		c.rect(bx, y, bx+bw, y1-1, rgb(240, 168, 30))
		c.rect(bx, y, bx+bw, y+5, rgb(214, 132, 10))
		c.text(bx+bw/2, y-12, fonts.medium, 23, dark, center, strconv.Itoa(int(v)))
		c.text(bx+bw/2, y1+38, fonts.medium, 25, dark, center, months[i])
	}
	c.text(x0+slot*0.16, y1+78, fonts.regular, 22, grey, left, "2021")
	c.text(x0+slot*6+slot*0.16, y1+78, fonts.regular, 22, grey, left, "2022")
	c.line(x0+slot*6, y1+8, x0+slot*6, y1+90, 2, rgb(200, 198, 190))
	c.text(110, 1040, fonts.regular, 21, grey, left, "Source: canopy sensors, Department of Electrical Engineering")
	return c.RGBA, nil
}

// wrap breaks s into lines no wider than width when set in f at size.
func wrap(f *opentype.Font, size float64, width float64, s string) []string {
	fc := face(f, size)
	defer fc.Close()
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		try := w
		if line != "" {
			try = line + " " + w
		}
		if float64(font.MeasureString(fc, try))/64 > width && line != "" {
			lines = append(lines, line)
			line = w
			continue
		}
		line = try
	}
	return append(lines, line)
}

// xinjiangFigures sets the figures the reference article gives for the university's support of
// students and cadres from Xinjiang as a newsroom graphic; every number is the article's.
func xinjiangFigures(string) (image.Image, error) {
	c := newCanvas(outW, outH, rgb(12, 52, 120))
	for y := 0; y < outH; y++ { // a gentle vertical gradient
		col := mix(rgb(16, 62, 138), rgb(8, 34, 86), float64(y)/outH)
		c.rect(0, float64(y), outW, float64(y+1), col)
	}
	for x := -float64(outH); x < outW; x += 36 { // fine diagonal hatching
		c.line(x, outH, x+outH, 0, 1, rgba(255, 255, 255, 0.035))
	}
	white, soft := rgb(255, 255, 255), rgb(196, 214, 240)
	gold := rgb(247, 200, 80)
	c.text(100, 130, fonts.bold, 50, white, left, "Talent Support to Xinjiang")
	c.text(100, 180, fonts.regular, 28, soft, left, "Dalian University of Technology, in figures")
	tiles := []struct{ big, text string }{
		{"1980", "Preparatory classes for ethnic minority students from Xinjiang began: among the earliest in China."},
		{"2,000+", "students from more than 40 ethnic minorities, such as Uygur and Kazak, taught in 38 years."},
		{"4,000+", "trainees on courses for Xinjiang minority enterprise management cadres."},
		{"21", "cadres selected for aid work in Xinjiang over 11 years of the central programme."},
	}
	for i, t := range tiles {
		x := 100 + float64(i%2)*720
		y := 250 + float64(i/2)*370
		c.roundRect(x, y, x+680, y+330, 18, rgba(255, 255, 255, 0.08))
		c.rect(x, y+40, x+8, y+150, gold)
		c.text(x+48, y+140, fonts.bold, 110, gold, left, t.big)
		for j, l := range wrap(fonts.regular, 30, 590, t.text) {
			c.text(x+48, y+205+float64(j)*40, fonts.regular, 30, white, left, l)
		}
	}
	return c.RGBA, nil
}
