package demo

import (
	"bytes"
	"image"
	"image/jpeg"
	"io/fs"
	"os"
	"path"
	"strings"
	"testing"
)

// photoBudget caps the photographs' total size: the demo ships inside the binary.
const photoBudget = 6 << 20

func TestPhotosBelongToArticles(t *testing.T) {
	refs, err := referenceArticles()
	if err != nil {
		t.Fatal(err)
	}
	articles := map[string]demoArticle{}
	for _, a := range append(append([]demoArticle{}, demoArticles...), refs...) {
		articles[a.Title] = a
	}
	files, titles := map[string]bool{}, map[string]bool{}
	for _, p := range demoPhotos {
		if files[p.File] {
			t.Errorf("%s is listed twice", p.File)
		}
		files[p.File] = true
		if titles[p.ArticleTitle] {
			t.Errorf("article %q has two photos", p.ArticleTitle)
		}
		titles[p.ArticleTitle] = true
		if _, ok := articles[p.ArticleTitle]; !ok {
			t.Errorf("%s: no demo article is titled %q", p.File, p.ArticleTitle)
		}
		if got, ok := photoFor(p.ArticleTitle); !ok || got.File != p.File {
			t.Errorf("photoFor(%q) = %q, %v; want %q", p.ArticleTitle, got.File, ok, p.File)
		}
	}
	// Every lead story (pinned or featured, notices aside) shows a photo.
	for _, a := range demoArticles {
		if (a.Pinned || a.Featured) && !strings.HasSuffix(a.Category, "/notices") && !titles[a.Title] {
			t.Errorf("lead story %q has no photo", a.Title)
		}
	}
	// And most published stories do.
	published := 0
	with := 0
	for _, a := range append(append([]demoArticle{}, demoArticles...), refs...) {
		if a.Status != "" || strings.HasSuffix(a.Category, "/notices") {
			continue
		}
		published++
		if titles[a.Title] {
			with++
		}
	}
	if with*4 < published*3 {
		t.Errorf("%d of %d published stories (notices aside) have a photo; want at least three in four", with, published)
	}
	if _, ok := photoFor("No Such Article"); ok {
		t.Error("photoFor found a photo for an unknown title")
	}
}

func TestPhotoTexts(t *testing.T) {
	for _, p := range demoPhotos {
		// Limits as the media library enforces them.
		if p.Alt == "" || len([]rune(p.Alt)) > 300 {
			t.Errorf("%s: alt text has %d characters; want 1 to 300", p.File, len([]rune(p.Alt)))
		}
		if len([]rune(p.Caption)) > 500 {
			t.Errorf("%s: caption longer than 500 characters", p.File)
		}
		if p.Credit == "" || len([]rune(p.Credit)) > 200 {
			t.Errorf("%s: credit has %d characters; want 1 to 200", p.File, len([]rune(p.Credit)))
		}
		low := strings.ToLower(p.Alt)
		for _, lazy := range []string{"image of", "picture of", "photo of", "photograph of"} {
			if strings.HasPrefix(low, lazy) {
				t.Errorf("%s: alt text starts with %q; describe the picture instead", p.File, lazy)
			}
		}
		if p.Alt == p.Caption {
			t.Errorf("%s: alt text repeats the caption", p.File)
		}
	}
}

func TestPhotoFiles(t *testing.T) {
	listed := map[string]bool{}
	for _, p := range demoPhotos {
		listed[p.File] = true
	}
	sources, err := os.ReadFile("content/photos/SOURCES.md")
	if err != nil {
		t.Fatal(err)
	}
	names, err := fs.Glob(photoFiles, "content/photos/*")
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, name := range names {
		file := path.Base(name)
		if !listed[file] {
			t.Errorf("%s is embedded but not listed in demoPhotos", file)
		}
		if !bytes.Contains(sources, []byte("`"+file+"`")) {
			t.Errorf("%s has no entry in SOURCES.md", file)
		}
	}
	for _, p := range demoPhotos {
		data, err := readPhoto(p)
		if err != nil {
			t.Errorf("%s: %v", p.File, err)
			continue
		}
		total += int64(len(data))
		if !strings.HasSuffix(p.File, ".jpg") {
			t.Errorf("%s: want a .jpg file", p.File)
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil || format != "jpeg" {
			t.Errorf("%s: decodes as %q: %v", p.File, format, err)
			continue
		}
		if long := max(cfg.Width, cfg.Height); long > 1600 || long < 960 {
			t.Errorf("%s: %d×%d; want the long side between 960 and 1600 px", p.File, cfg.Width, cfg.Height)
		}
		if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
			t.Errorf("%s: %v", p.File, err)
		}
		if seg := metadataSegment(data); seg != "" {
			t.Errorf("%s: carries a %s segment; re-encode it without metadata", p.File, seg)
		}
	}
	if total > photoBudget {
		t.Errorf("photos total %d KB; want at most %d KB", total>>10, photoBudget>>10)
	}
	if _, err := readPhoto(demoPhoto{File: "missing.jpg"}); err == nil {
		t.Error("readPhoto of a missing file: no error")
	}
}

// metadataSegment names the first segment before the image data that carries metadata (EXIF
// or XMP in APP1, IPTC in APP13, a comment), or returns "" if there is none.
func metadataSegment(b []byte) string {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return "non-JPEG"
	}
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xFF {
			return "malformed"
		}
		marker := b[i+1]
		if marker == 0xDA { // start of scan: no more headers
			return ""
		}
		n := int(b[i+2])<<8 | int(b[i+3])
		switch marker {
		case 0xE1:
			return "APP1 (EXIF/XMP)"
		case 0xED:
			return "APP13 (IPTC)"
		case 0xFE:
			return "COM"
		}
		i += 2 + n
	}
	return "truncated"
}

func TestMetadataSegment(t *testing.T) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 8, 8)), nil); err != nil {
		t.Fatal(err)
	}
	clean := buf.Bytes()
	if got := metadataSegment(clean); got != "" {
		t.Fatalf("Go's own JPEG: %q", got)
	}
	exif := append([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x08, 'E', 'x', 'i', 'f', 0, 0}, clean[2:]...)
	if got := metadataSegment(exif); got == "" {
		t.Error("EXIF segment not found")
	}
}
