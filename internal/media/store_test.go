package media

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/image/webp"

	"campusnews/internal/database"
	"campusnews/internal/validate"
)

func TestLosslessWebPHelperDecodes(t *testing.T) {
	for _, c := range []color.NRGBA{{0x33, 0x66, 0xcc, 0xff}, {10, 20, 30, 128}} {
		m, err := webp.Decode(bytes.NewReader(losslessWebP(3, 2, c)))
		if err != nil {
			t.Fatalf("decode %v: %v", c, err)
		}
		if got := m.Bounds().Size(); got != image.Pt(3, 2) {
			t.Errorf("size = %v, want 3x2", got)
		}
		if got := color.NRGBAModel.Convert(m.At(2, 1)); got != c {
			t.Errorf("pixel = %v, want %v", got, c)
		}
	}
}

func TestSaveAccepts(t *testing.T) {
	gifData := func(t *testing.T) []byte { return encodeAnimatedGIF(t, 600, 300) }
	tests := []struct {
		name         string
		data         func(*testing.T) []byte
		filename     string
		mime, ext    string
		w, h         int
		variants     []Variant // names are checked for their suffix only
		variantMime  string
		keepOriginal bool // stored bytes must equal the upload
	}{
		{"jpeg 2000x1000", func(t *testing.T) []byte { return encodeJPEG(t, gradient(2000, 1000)) }, "photo.jpg",
			"image/jpeg", ".jpg", 2000, 1000,
			[]Variant{{480, "-480.jpg"}, {960, "-960.jpg"}, {1600, "-1600.jpg"}}, "image/jpeg", true},
		{"jpeg exactly 480 wide", func(t *testing.T) []byte { return encodeJPEG(t, gradient(480, 100)) }, "a.jpeg",
			"image/jpeg", ".jpg", 480, 100, nil, "", true},
		{"png 1000x200", func(t *testing.T) []byte { return encodePNG(t, gradient(1000, 200)) }, "chart.png",
			"image/png", ".png", 1000, 200, []Variant{{480, "-480.png"}, {960, "-960.png"}}, "image/png", true},
		{"animated gif keeps original only", gifData, "anim.gif", "image/gif", ".gif", 600, 300, nil, "", true},
		{"gif named jpg is stored as gif", gifData, "anim.jpg", "image/gif", ".gif", 600, 300, nil, "", true},
		{"webp 1x1", func(*testing.T) []byte { return losslessWebP(1, 1, color.NRGBA{1, 2, 3, 255}) }, "dot.webp",
			"image/webp", ".webp", 1, 1, nil, "", true},
		{"opaque webp gets jpeg variants", func(*testing.T) []byte { return losslessWebP(600, 300, color.NRGBA{50, 100, 150, 255}) },
			"w.webp", "image/webp", ".webp", 600, 300, []Variant{{480, "-480.jpg"}}, "image/jpeg", true},
		{"transparent webp gets png variants", func(*testing.T) []byte { return losslessWebP(600, 300, color.NRGBA{50, 100, 150, 100}) },
			"w.webp", "image/webp", ".webp", 600, 300, []Variant{{480, "-480.png"}}, "image/png", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, _ := newTestStore(t, 0)
			ctx := context.Background()
			data := tt.data(t)
			m, err := s.Save(ctx, editor, bytes.NewReader(data), tt.filename,
				UploadInput{Alt: "  A photo  ", Caption: "Cap", Credit: "Cred"})
			if err != nil {
				t.Fatalf("Save: %v", err)
			}
			if !storedName.MatchString(m.Path) || !strings.HasSuffix(m.Path, tt.ext) {
				t.Errorf("Path = %q, want a random name ending %s", m.Path, tt.ext)
			}
			if m.Mime != tt.mime || m.Width != tt.w || m.Height != tt.h || m.Size != int64(len(data)) {
				t.Errorf("got %s %dx%d %d bytes, want %s %dx%d %d", m.Mime, m.Width, m.Height, m.Size,
					tt.mime, tt.w, tt.h, len(data))
			}
			got, err := s.Get(ctx, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(m, got); diff != "" {
				t.Errorf("Get differs from Save (-saved +got):\n%s", diff)
			}
			if got.Alt != "A photo" || *got.UploadedBy != 7 || got.Caption != "Cap" || got.Credit != "Cred" {
				t.Errorf("meta = %q %v %q %q", got.Alt, *got.UploadedBy, got.Caption, got.Credit)
			}
			checkStoredFile(t, s, m.Path, tt.mime)
			stored, err := os.ReadFile(filepath.Join(s.dir, m.Path))
			if err != nil {
				t.Fatal(err)
			}
			if tt.keepOriginal && !bytes.Equal(stored, data) {
				t.Error("stored original differs from the upload")
			}
			vs := got.VariantList()
			if len(vs) != len(tt.variants) {
				t.Fatalf("variants = %+v, want %d", vs, len(tt.variants))
			}
			base := strings.TrimSuffix(m.Path, tt.ext)
			for i, v := range vs {
				want := tt.variants[i]
				if v.Width != want.Width || v.Name != base+want.Name {
					t.Errorf("variant %d = %+v, want width %d name %s", i, v, want.Width, base+want.Name)
				}
				cfg := checkStoredFile(t, s, v.Name, tt.variantMime)
				wantH := (tt.h*v.Width + tt.w/2) / tt.w
				if cfg.Width != v.Width || cfg.Height != wantH {
					t.Errorf("variant file %s is %dx%d, want %dx%d", v.Name, cfg.Width, cfg.Height, v.Width, wantH)
				}
			}
			if n := len(filesIn(t, s.dir)); n != 1+len(vs) {
				t.Errorf("%d files in the directory, want %d: %v", n, 1+len(vs), filesIn(t, s.dir))
			}
		})
	}
}

// checkStoredFile checks that a stored file is served, is private to the group, and is the
// image type its name says; it returns the file's header.
func checkStoredFile(t *testing.T, s *Store, name, mime string) image.Config {
	t.Helper()
	p, err := s.FilePath(name)
	if err != nil {
		t.Fatalf("FilePath(%q): %v", name, err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o640 {
		t.Errorf("%s mode = %v, want 0640", name, fi.Mode().Perm())
	}
	if ct := ContentType(name); ct != mime {
		t.Errorf("ContentType(%s) = %q, want %q", name, ct, mime)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	f, ok := formats[mime]
	if !ok {
		t.Fatalf("no format %q", mime)
	}
	cfg, err := f.decodeConfig(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s does not decode as %s: %v", name, mime, err)
	}
	return cfg
}

func TestVariantKeepsColour(t *testing.T) {
	s, _ := newTestStore(t, 0)
	red := image.NewRGBA(image.Rect(0, 0, 1000, 100))
	for i := 0; i < len(red.Pix); i += 4 {
		copy(red.Pix[i:], []byte{200, 30, 40, 255})
	}
	m, err := s.Save(context.Background(), editor, bytes.NewReader(encodePNG(t, red)), "r.png", UploadInput{Alt: "red"})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(s.dir, m.VariantList()[0].Name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []image.Point{{0, 0}, {240, 24}, {479, 47}} {
		if got := color.RGBAModel.Convert(img.At(p.X, p.Y)); got != (color.RGBA{200, 30, 40, 255}) {
			t.Errorf("pixel %v = %v, want the original red", p, got)
		}
	}
}

func TestSaveRefuses(t *testing.T) {
	jpegData := encodeJPEG(t, noise(800, 600))
	tests := []struct {
		name     string
		data     []byte
		filename string
		maxBytes int64
		in       UploadInput
		field    string
		msg      string // substring of the message
	}{
		{"text named photo.jpg", []byte("Just some notes, not a photo.\n"), "photo.jpg", 0, UploadInput{Alt: "x"},
			"file", msgWrongType},
		{"html named photo.jpg", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), "photo.jpg", 0,
			UploadInput{Alt: "x"}, "file", msgWrongType},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "a.svg", 0,
			UploadInput{Alt: "x"}, "file", msgWrongType},
		{"jpeg signature then garbage", append([]byte{0xff, 0xd8, 0xff, 0xe0}, bytes.Repeat([]byte("x"), 600)...),
			"a.jpg", 0, UploadInput{Alt: "x"}, "file", msgUnreadable},
		{"truncated jpeg", jpegData[:len(jpegData)/2], "photo.jpg", 0, UploadInput{Alt: "x"}, "file", msgUnreadable},
		{"empty", nil, "", 0, UploadInput{Alt: "x"}, "file", msgNoFile},
		{"larger than the limit", jpegData, "photo.jpg", 1000, UploadInput{Alt: "x"}, "file",
			"The image is larger than 1000 bytes"},
		{"20000x20000 png header", pngWithHeaderSize(t, 20000, 20000), "bomb.png", 0, UploadInput{Alt: "x"}, "file",
			"20000 × 20000 pixels"},
		{"13000x10 png header", pngWithHeaderSize(t, 13000, 10), "wide.png", 0, UploadInput{Alt: "x"}, "file",
			"12,000 pixels on a side"},
		{"8000x6000 png header", pngWithHeaderSize(t, 8000, 6000), "big.png", 0, UploadInput{Alt: "x"}, "file",
			"40 megapixels"},
		{"missing alt", jpegData, "photo.jpg", 0, UploadInput{}, "alt", msgAlt},
		{"blank alt", jpegData, "photo.jpg", 0, UploadInput{Alt: " \t "}, "alt", msgAlt},
		{"alt too long", jpegData, "photo.jpg", 0, UploadInput{Alt: strings.Repeat("é", 301)}, "alt", "at most 300"},
		{"caption too long", jpegData, "photo.jpg", 0, UploadInput{Alt: "x", Caption: strings.Repeat("a", 501)},
			"caption", "at most 500"},
		{"credit too long", jpegData, "photo.jpg", 0, UploadInput{Decorative: true, Credit: strings.Repeat("a", 201)},
			"credit", "at most 200"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, db := newTestStore(t, tt.maxBytes)
			_, err := s.Save(context.Background(), editor, bytes.NewReader(tt.data), tt.filename, tt.in)
			var verr validate.Errors
			if !errors.As(err, &verr) {
				t.Fatalf("err = %v, want validate.Errors", err)
			}
			if !strings.Contains(verr[tt.field], tt.msg) {
				t.Errorf("errors = %v, want %s containing %q", verr, tt.field, tt.msg)
			}
			if len(verr) != 1 {
				t.Errorf("errors = %v, want only %s", verr, tt.field)
			}
			if names := filesIn(t, s.dir); len(names) != 0 {
				t.Errorf("files left behind: %v", names)
			}
			var n int64
			if err := db.Table("media").Count(&n).Error; err != nil || n != 0 {
				t.Errorf("rows = %d (%v), want 0", n, err)
			}
		})
	}
}

func TestSaveReportsEveryField(t *testing.T) {
	s, _ := newTestStore(t, 0)
	_, err := s.Save(context.Background(), editor, strings.NewReader("plain text"), "a.jpg", UploadInput{})
	var verr validate.Errors
	if !errors.As(err, &verr) || verr["file"] != msgWrongType || verr["alt"] != msgAlt {
		t.Fatalf("err = %v, want both file and alt errors", err)
	}
}

func TestSaveDecorativeNeedsNoAlt(t *testing.T) {
	s, _ := newTestStore(t, 0)
	m, err := s.Save(context.Background(), editor, bytes.NewReader(encodePNG(t, gradient(20, 10))), "line.png",
		UploadInput{Decorative: true, Alt: "kept but not announced"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(context.Background(), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Decorative || got.Alt != "kept but not announced" || got.AltText() != "" {
		t.Errorf("got decorative=%v alt=%q AltText=%q", got.Decorative, got.Alt, got.AltText())
	}
}

func TestSaveRemovesFilesWhenInsertFails(t *testing.T) {
	dir := t.TempDir()
	db, err := database.Open(filepath.Join(dir, "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(db)
	// Up to migration 3 there is no media table, so the insert fails after the files exist.
	if _, err := database.MigrateTo(context.Background(), db, 3); err != nil {
		t.Fatal(err)
	}
	s := NewStore(db, filepath.Join(dir, "media"), 0, nil, nil) // no content version before migration 11
	_, err = s.Save(context.Background(), editor, bytes.NewReader(encodeJPEG(t, gradient(600, 50))), "a.jpg",
		UploadInput{Alt: "x"})
	if err == nil {
		t.Fatal("Save succeeded without a media table")
	}
	var verr validate.Errors
	if errors.As(err, &verr) {
		t.Fatalf("err = %v, want a storage error", err)
	}
	if names := filesIn(t, s.dir); len(names) != 0 {
		t.Errorf("files left behind: %v", names)
	}
}

func TestSaveReadsNoMoreThanTheLimit(t *testing.T) {
	s, _ := newTestStore(t, 2000)
	r := &countingReader{r: bytes.NewReader(make([]byte, 1<<20))}
	_, err := s.Save(context.Background(), editor, r, "big.jpg", UploadInput{Alt: "x"})
	var verr validate.Errors
	if !errors.As(err, &verr) || verr["file"] == "" {
		t.Fatalf("err = %v, want a file error", err)
	}
	if r.n > 2001 {
		t.Errorf("read %d bytes, want at most 2001", r.n)
	}
}

type countingReader struct {
	r interface{ Read([]byte) (int, error) }
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestCheckDimensions(t *testing.T) {
	tests := []struct {
		w, h int
		ok   bool
	}{
		{1, 1, true},
		{12000, 3333, true},
		{3333, 12000, true},
		{12001, 1, false},
		{1, 12001, false},
		{7000, 6000, false}, // 42 megapixels
		{0, 10, false},
		{10, -1, false},
	}
	for _, tt := range tests {
		if got := checkDimensions(tt.w, tt.h) == ""; got != tt.ok {
			t.Errorf("checkDimensions(%d, %d) ok = %v, want %v", tt.w, tt.h, got, tt.ok)
		}
	}
}

func TestFormatSize(t *testing.T) {
	tests := map[int64]string{10 << 20: "10 MB", 3 << 19: "1.5 MB", 512 << 10: "512 KB", 1000: "1000 bytes"}
	for n, want := range tests {
		if got := formatSize(n); got != want {
			t.Errorf("formatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestResizeShrinksLargeImages(t *testing.T) {
	src := image.NewYCbCr(image.Rect(0, 0, 3000, 2000), image.YCbCrSubsampleRatio420)
	for i := range src.Y {
		src.Y[i] = 200
	}
	for i := range src.Cb {
		src.Cb[i], src.Cr[i] = 128, 128
	}
	got := resize(src, 480) // six-pixel blocks first, then Catmull-Rom from 500 to 480
	if got.Bounds().Size() != image.Pt(480, 320) {
		t.Fatalf("size = %v, want 480x320", got.Bounds().Size())
	}
	want := color.RGBAModel.Convert(src.At(0, 0)).(color.RGBA)
	for _, p := range []image.Point{{0, 0}, {479, 319}, {200, 100}} {
		if c := got.RGBAAt(p.X, p.Y); c != want {
			t.Errorf("pixel %v = %v, want %v", p, c, want)
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, got, nil); err != nil {
		t.Fatal(err)
	}
}

func TestBoxShrink(t *testing.T) {
	// 5×2 with k=2: two blocks, the last column dropped.
	src := image.NewRGBA(image.Rect(10, 10, 15, 12))
	vals := [][]uint8{{0, 100, 10, 20, 255}, {50, 50, 30, 41, 255}}
	for y, row := range vals {
		for x, v := range row {
			src.SetRGBA(10+x, 10+y, color.RGBA{v, v, v, 255})
		}
	}
	got := boxShrink(src, 2)
	if got.Bounds() != image.Rect(0, 0, 2, 1) {
		t.Fatalf("bounds = %v, want 2x1", got.Bounds())
	}
	for x, want := range []uint8{50, 25} { // (0+100+50+50)/4, (10+20+30+41)/4 rounded
		if c := got.RGBAAt(x, 0); c != (color.RGBA{want, want, want, 255}) {
			t.Errorf("pixel %d = %v, want grey %d", x, c, want)
		}
	}
}
