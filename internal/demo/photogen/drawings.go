package main

import "image"

// drawing is an illustration the program renders itself.
type drawing struct {
	name    string
	quality int
	make    func(root string) (image.Image, error)
}

var drawings = []drawing{
	{"open-day-campus-map", 85, campusMap},
	{"catalyst-microscope", 76, catalystSEM},
	{"racing-car-drawing", 85, racingCar},
	{"harbour-radar-survey", 82, harbourRadar},
	{"solar-canopy-output", 88, solarOutput},
	{"xinjiang-in-figures", 88, xinjiangFigures},
	{"partners-map", 74, partnersMap},
	{"scholars-map", 85, scholarsMap},
	{"swimming-pool", 74, pool},
}
