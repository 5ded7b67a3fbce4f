package demo

import (
	"embed"
	"fmt"
)

// photoFiles holds the demo site's photographs. Each is 1600×1067 JPEG without metadata;
// content/photos/SOURCES.md records where each comes from and under which licence, and
// photogen/ makes them again.
//
//go:embed content/photos/*.jpg
var photoFiles embed.FS

// demoPhoto is the cover photograph of one demo article.
type demoPhoto struct {
	File         string // name in content/photos
	ArticleTitle string // the article it belongs to, by exact title
	Alt          string // what the picture shows, for someone who cannot see it
	Caption      string // optional
	Credit       string
}

// readPhoto returns the bytes of p's file.
func readPhoto(p demoPhoto) ([]byte, error) {
	b, err := photoFiles.ReadFile("content/photos/" + p.File)
	if err != nil {
		return nil, fmt.Errorf("demo: photo %s: %w", p.File, err)
	}
	return b, nil
}

// photoFor returns the photo of the article titled title, if it has one.
func photoFor(title string) (demoPhoto, bool) {
	for _, p := range demoPhotos {
		if p.ArticleTitle == title {
			return p, true
		}
	}
	return demoPhoto{}, false
}

const (
	byKDE    = "via Debian plasma-workspace-wallpapers"
	byMATE   = "via Debian mate-backgrounds"
	byLomiri = "via Debian lomiri-wallpapers-16.04"
	drawn    = "Illustration: campusnews demo"
)

// demoPhotos are the cover photographs of the demo articles: every pinned or featured story
// and most others. Notices and a few short statements have none.
var demoPhotos = []demoPhoto{
	// News & Events
	{
		File:         "coastal-centre-facade.jpg",
		ArticleTitle: "Northbridge Opens New Centre for Coastal Engineering",
		Alt:          "Black-and-white view up a modern building whose facade is made of curving, overlapping bands of white metal, like rolling waves.",
		Caption:      "Wave-like bands on a modern facade.",
		Credit:       "Photo: Sigi Sagi, GPL-2+, " + byKDE,
	},
	{
		File:         "library-clock.jpg",
		ArticleTitle: "University Library Extends Opening Hours During Examination Period",
		Alt:          "A large white wall clock seen at a steep angle, with slim black hands and cut-out numerals glowing yellow-green from a light behind it.",
		Caption:      "Both libraries stay open until 2 a.m. from 29 April to 7 June.",
		Credit:       "Photo: Peter Nerlich, CC BY-SA 4.0, " + byLomiri,
	},
	{
		File:         "partners-map.jpg",
		ArticleTitle: "Northbridge Signs Partnership Agreements with Universities in Kenya and Ghana",
		Alt:          "Dot map of Europe and Africa on a dark blue background, with gold arcs linking Northbridge in Britain to Ghana and to Kenya; a panel lists joint research in water and public health and up to 60 students a year each way.",
		Credit:       drawn + "; land outline from NASA Blue Marble via Debian xplanet-images",
	},
	{
		File:         "solar-canopy-output.jpg",
		ArticleTitle: "Solar Canopy on the Main Car Park Now Supplies a Fifth of Campus Electricity",
		Alt:          "Bar chart of the solar canopy's monthly output from July 2021 to June 2022, in megawatt hours: highest in May (560) and July (550), lowest in December (75); 3,900 in all.",
		Caption:      "Output peaks in early summer and falls to a seventh of that in December.",
		Credit:       "Chart: campusnews demo",
	},
	{
		File:         "open-day-campus-map.jpg",
		ArticleTitle: "Open Day 2026: Explore Northbridge on Saturday 17 October",
		Alt:          "Illustrated map of the Main Campus between Cathedral Road and the river, with numbered red markers: 1 Great Hall, 2 Science Quarter, 3 Humanities Building, 4 Harrington Lecture Theatre, 5 Library, 6 Sports Centre, 7 Halls of Residence.",
		Caption:      "Registration is in the Great Hall; shuttle buses stop on Cathedral Road.",
		Credit:       drawn,
	},
	{
		File:         "water-drop.jpg",
		ArticleTitle: "Public Lecture: The Chemistry of Clean Water",
		Alt:          "Close-up of a drop falling into still, pale blue water and throwing up a ring of droplets like a small crown.",
		Credit:       "Photo: Charles Barbin, GPL-2+, " + byMATE,
	},
	{
		File:         "kite.jpg",
		ArticleTitle: "Northbridge Science Festival Returns to the City Centre",
		Alt:          "A small rainbow-coloured kite flying high in a deep blue sky, with wisps of white cloud at the edges.",
		Credit:       "Photo: Risto Saukonpää, GPL-2+, " + byKDE,
	},
	// Research
	{
		File:         "catalyst-microscope.jpg",
		ArticleTitle: "Chemists Develop a Cheaper Catalyst for Green Hydrogen",
		Alt:          "Rendered electron-microscope view of a grey, sponge-like layer of thin crumpled sheets joined into open cells, with a scale bar of 200 nanometres.",
		Caption:      "How a sponge-like nickel–iron layer looks under an electron microscope (rendered illustration).",
		Credit:       drawn,
	},
	{
		File:         "forest-path.jpg",
		ArticleTitle: "Study of 12,000 Adults Links Daily Walking to Better Sleep",
		Alt:          "A narrow dirt path winding through a dense, dark green spruce forest with moss and ferns on the ground.",
		Caption:      "People who walked at least 7,000 steps a day slept 25 minutes longer on average.",
		Credit:       "Photo: Risto Saukonpää, GPL-2+, " + byKDE,
	},
	{
		File:         "harbour-radar-survey.jpg",
		ArticleTitle: "Archaeologists Map a Medieval Harbour Beneath the Old Town",
		Alt:          "Colour-coded radar map of Old Town streets: strong red reflections trace a long quay wall and its return, a rectangular slipway with bands across it, and the footings of a building marked 'Customs house?'.",
		Caption:      "A depth slice about two metres below the streets: red marks strong reflections from buried stone.",
		Credit:       drawn,
	},
	{
		File:         "raindrops-leaf.jpg",
		ArticleTitle: "Professor Amara Osei Elected Fellow of the Royal Society of Chemistry",
		Alt:          "Beads of rainwater resting on broad green leaves among blades of grass.",
		Credit:       "Photo: blackcombwhistler07, GPL-2+, " + byMATE,
	},
	{
		File:         "dune-grass.jpg",
		ArticleTitle: "Research Team Wins £2.4 Million Grant to Study Coastal Flooding",
		Alt:          "Dry golden dune grass bending in the wind in front of a blue sea under a clear sky.",
		Credit:       "Photo: Marco Cogoni and Hylke Bons, GPL-2+, " + byMATE,
	},
	{
		File:         "globe-lamps.jpg",
		ArticleTitle: "Early-Career Researchers Receive University Innovation Awards",
		Alt:          "Two round lamps glowing against a grey ceiling, with a small painted wooden bird, wings spread, hanging beneath them on a spring.",
		Credit:       "Photo: Peter Nerlich, CC BY-SA 4.0, " + byLomiri,
	},
	// Campus Life
	{
		File:         "forest-stream.jpg",
		ArticleTitle: "Student Volunteers Log 30,000 Hours in the Community",
		Alt:          "A shallow stream running over pale rocks and small waterfalls through a green wood, with fallen leaves on the banks.",
		Caption:      "A weekly clean-up of the river path was among the most popular projects.",
		Credit:       "Photo: Aitzol Berasategi, CC BY 4.0, " + byLomiri,
	},
	{
		File:         "racing-car-drawing.jpg",
		ArticleTitle: "Engineering Students Build an Electric Racing Car in Eight Months",
		Alt:          "Blueprint-style side view of a single-seat racing car with front and rear wings and a roll hoop behind the driver's helmet, dimensioned with a wheelbase of 1,530 mm and a length of 2,950 mm.",
		Caption:      "Tern weighs 210 kilograms and reaches 100 km/h in under four seconds.",
		Credit:       drawn,
	},
	{
		File:         "autumn-hillside.jpg",
		ArticleTitle: "Alumni Weekend Brings 1,200 Graduates Back to Campus",
		Alt:          "A green meadow sloping down to woods in orange autumn colours, with a long grey mountain ridge behind under a pale blue sky.",
		Credit:       "Photo: Aitzol Berasategi, CC BY 4.0, " + byLomiri,
	},
	{
		File:         "coloured-cups.jpg",
		ArticleTitle: "From Chemistry Lab to Vaccine Factory: An Alumna's Story",
		Alt:          "Rows of identical plastic cups, pale blue inside and red outside, packed closely together and seen from above.",
		Credit:       "Photo: Dmitri Popov, GPL-2+, " + byKDE,
	},
	{
		File:         "dandelions.jpg",
		ArticleTitle: "Class of 1976 Funds New Scholarship for First-Generation Students",
		Alt:          "Dandelion seed heads in a grassy meadow, lit from behind by a low sun.",
		Credit:       "Photo: Clemens Engelhardt, CC0 1.0, " + byLomiri,
	},
	{
		File:         "rowing-boats.jpg",
		ArticleTitle: "Women's Rowing Eight Win National University Championship",
		Alt:          "Wooden rowing boats pulled up side by side on the pebble shore of a lake, with dark hills and an orange sunset sky behind.",
		Credit:       "Photo: Ian Hex, GPL-2+, " + byKDE,
	},
	{
		File:         "swimming-pool.jpg",
		ArticleTitle: "New Sports Centre Opens with 25-Metre Pool and Climbing Wall",
		Alt:          "Rendered view from above of a swimming pool: lanes divided by red, white and blue lane ropes, dark lane lines on the tiled floor, and numbered starting blocks along one end.",
		Credit:       drawn,
	},
	// Admissions
	{
		File:         "mountain-trail.jpg",
		ArticleTitle: "Applications for 2027 Entry Are Now Open",
		Alt:          "A worn footpath across a grassy slope, leading towards jagged grey peaks with patches of snow under white clouds.",
		Credit:       "Photo: Aitzol Berasategi, CC BY 4.0, " + byLomiri,
	},
	{
		File:         "tidal-flats.jpg",
		ArticleTitle: "Fully Funded PhD Studentships in Data Science and Climate",
		Alt:          "Steel cables of a bridge crossing a blue sky above wide, sandy tidal flats and a low line of coast.",
		Credit:       "Photo: Sander Klootwijk, CC BY-SA 4.0, " + byLomiri,
	},
	{
		File:         "hilltop-sunset.jpg",
		ArticleTitle: "Graduate School Launches Part-Time Master's Programmes for Professionals",
		Alt:          "The sun setting over layers of distant hills, seen from a grassy hilltop with patches of snow and a round stone viewpoint table in the foreground.",
		Credit:       "Photo: Aitzol Berasategi, CC BY 4.0, " + byLomiri,
	},
	{
		File:         "lakeside-boardwalk.jpg",
		ArticleTitle: "Welcome Week for International Students: What to Expect",
		Alt:          "Close-up of sunlit wooden planks at the edge of a lake, with sparkling water and a tree-lined far shore behind, in cool blue tones.",
		Credit:       "Photo: Maciej Wiklo, GPL-2+, " + byKDE,
	},
	{
		File:         "scholars-map.jpg",
		ArticleTitle: "Northbridge Global Scholarships Now Cover Full Tuition for 40 Students",
		Alt:          "World map with red lines from cities in Latin America, Africa and Asia converging on Northbridge, above three figures: 40 scholarships a year, 100% of tuition fees paid, and a 1 May deadline for an offer of a place.",
		Credit:       drawn + "; land outline from NASA Blue Marble via Debian xplanet-images",
	},
	// About
	{
		File:         "green-leaf.jpg",
		ArticleTitle: "University Council Approves Ten-Year Strategy 'Northbridge 2035'",
		Alt:          "Close-up of a bright green leaf with fine parallel veins, lit from behind.",
		Credit:       "Photo: Lennart Poettering and Andrea Cimitan, GPL-2+, " + byMATE,
	},
	{
		File:         "storm-clouds.jpg",
		ArticleTitle: "Northbridge Experts Available to Comment on Coastal Storms",
		Alt:          "Dark grey storm clouds over flat open country, seen from a moving car, with the roadside blurred in the foreground.",
		Credit:       "Photo: Sergey Nazarov, GPL-2+, " + byMATE,
	},
	// The reference article: a graphic of the figures its text gives.
	{
		File:         "xinjiang-in-figures.jpg",
		ArticleTitle: "Wang Hansong,secretary of the Party Committee of DUT Visited Alumni and Aid Cadres in Xinjiang.",
		Alt:          "Graphic titled Talent Support to Xinjiang with four figures: 1980, when preparatory classes began; 2,000+ students from more than 40 ethnic minorities; 4,000+ trainees; 21 cadres over 11 years.",
		Caption:      "The figures given in the article.",
		Credit:       "Graphic: campusnews demo",
	},
}
