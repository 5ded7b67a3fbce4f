package main

import (
	"fmt"
	"image"
	_ "image/jpeg" // sources
	_ "image/png"  // sources
	"os"
	"path/filepath"

	"golang.org/x/image/draw"
)

// photo is a photograph taken from a Debian package: the file it comes from and the 3:2 part
// of it that is kept. Licences and authors are recorded in content/photos/SOURCES.md.
type photo struct {
	name string
	pkg  string // Debian package (bookworm) that ships the file
	path string // where the package installs it
	// The crop is the largest 3:2 rectangle scaled by zoom (1: as large as fits), centred as
	// near to (fx, fy), fractions of the width and height, as the picture allows.
	fx, fy, zoom float64
	quality      int
}

var photos = []photo{
	{"coastal-centre-facade", "plasma-workspace-wallpapers", "/usr/share/wallpapers/Grey/contents/images/2560x1600.jpg", 0.5, 0.5, 1, 80},
	{"library-clock", "lomiri-wallpapers-16.04", "/usr/share/backgrounds/greentock_by_Peter_Nerlich.jpg", 0.5, 0.5, 1, 80},
	{"water-drop", "mate-backgrounds", "/usr/share/backgrounds/mate/nature/Aqua.jpg", 0.6, 0.5, 1, 80},
	{"kite", "plasma-workspace-wallpapers", "/usr/share/wallpapers/Kite/contents/images/2560x1600.jpg", 0.5, 0.5, 1, 80},
	{"forest-path", "plasma-workspace-wallpapers", "/usr/share/wallpapers/Path/contents/images/2560x1600.jpg", 0.5, 0.5, 1, 66},
	{"raindrops-leaf", "mate-backgrounds", "/usr/share/backgrounds/mate/nature/RainDrops.jpg", 0.5, 0.5, 1, 78},
	{"dune-grass", "mate-backgrounds", "/usr/share/backgrounds/mate/nature/Dune.jpg", 0.5, 0.5, 1, 78},
	{"globe-lamps", "lomiri-wallpapers-16.04", "/usr/share/backgrounds/free_by_Peter_Nerlich.jpg", 0.5, 0.5, 1, 80},
	{"forest-stream", "lomiri-wallpapers-16.04", "/usr/share/backgrounds/life_by_Aitzol_Berasategi.jpg", 0.5, 0.5, 1, 62},
	{"autumn-hillside", "lomiri-wallpapers-16.04", "/usr/share/backgrounds/aitzgorri_by_Aitzol_Berasategi.jpg", 0.5, 0.5, 1, 74},
	{"coloured-cups", "plasma-workspace-wallpapers", "/usr/share/wallpapers/ColorfulCups/contents/images/2560x1600.jpg", 0.5, 0.5, 1, 80},
	{"dandelions", "lomiri-wallpapers-16.04", "/usr/share/backgrounds/seeding_by_Clements_Engelhardt.jpg", 0.35, 0.5, 1, 78},
	{"rowing-boats", "plasma-workspace-wallpapers", "/usr/share/wallpapers/EveningGlow/contents/images/2560x1600.jpg", 0.5, 0.5, 1, 68},
	{"mountain-trail", "lomiri-wallpapers-16.04", "/usr/share/backgrounds/picosdeeuropa_by_Aitzol_Berasategi.jpg", 0.5, 0.5, 1, 66},
	{"hilltop-sunset", "lomiri-wallpapers-16.04", "/usr/share/backgrounds/sunset_by_Aitzol_Berasategi.jpg", 0.5, 0.5, 1, 78},
	{"lakeside-boardwalk", "plasma-workspace-wallpapers", "/usr/share/wallpapers/BytheWater/contents/images/2560x1600.jpg", 0.5, 0.5, 1, 74},
	{"storm-clouds", "mate-backgrounds", "/usr/share/backgrounds/mate/nature/Storm.jpg", 0.5, 0.5, 1, 80},
	{"tidal-flats", "lomiri-wallpapers-16.04", "/usr/share/backgrounds/Bridge_by_Sander_Klootwijk.jpg", 0.5, 0.6, 1, 78},
	{"green-leaf", "mate-backgrounds", "/usr/share/backgrounds/mate/nature/Blinds.jpg", 0.5, 0.5, 1, 80},
}

func debianJobs() []job {
	js := make([]job, len(photos))
	for i, p := range photos {
		js[i] = job{name: p.name, quality: p.quality, make: p.load}
	}
	return js
}

func (p photo) load(root string) (image.Image, error) {
	f, err := os.Open(filepath.Join(root, p.path))
	if err != nil {
		return nil, fmt.Errorf("%w (install or unpack Debian package %s)", err, p.pkg)
	}
	defer f.Close()
	src, _, err := image.Decode(f)
	if err != nil {
		return nil, err
	}
	return cropScale(src, p.fx, p.fy, p.zoom), nil
}

// cropScale cuts the 3:2 rectangle described on photo out of src and scales it to the output
// size with a Catmull-Rom filter, which widens itself when shrinking, so fine detail does not
// alias.
func cropScale(src image.Image, fx, fy, zoom float64) image.Image {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	cw, ch := w, w*outH/outW
	if ch > h {
		ch, cw = h, h*outW/outH
	}
	if zoom > 0 && zoom < 1 {
		cw, ch = int(float64(cw)*zoom), int(float64(ch)*zoom)
	}
	x0 := int(fx*float64(w)) - cw/2
	y0 := int(fy*float64(h)) - ch/2
	x0 = max(0, min(x0, w-cw))
	y0 = max(0, min(y0, h-ch))
	r := image.Rect(b.Min.X+x0, b.Min.Y+y0, b.Min.X+x0+cw, b.Min.Y+y0+ch)
	dst := image.NewRGBA(image.Rect(0, 0, outW, outH))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, r, draw.Src, nil)
	return dst
}
