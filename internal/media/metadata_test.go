package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/image/webp"
)

// secrets are what a camera or an editor leaves in a file; none may reach a stored file.
var secrets = []string{"SECRET-GPS", "SECRET-XMP", "SECRET-COMMENT", "SECRET-IPTC", "SECRET-TRAILER"}

func segment(marker byte, payload []byte) []byte {
	s := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(s[2:], uint16(2+len(payload)))
	return append(s, payload...)
}

// exifTIFF is a little-endian TIFF block with a camera make (pointing outside the entry, as
// long strings do) and, when o > 0, an orientation.
func exifTIFF(o int) []byte {
	le := binary.LittleEndian
	n := uint16(1)
	if o > 0 {
		n = 2
	}
	t := []byte("II*\x00")
	t = le.AppendUint32(t, 8)
	t = le.AppendUint16(t, n)
	text := "SECRET-GPS 48.8584N 2.2945E\x00"
	dataAt := uint32(8 + 2 + 12*int(n) + 4)
	t = le.AppendUint16(t, 0x010F) // Make
	t = le.AppendUint16(t, 2)      // ASCII
	t = le.AppendUint32(t, uint32(len(text)))
	t = le.AppendUint32(t, dataAt)
	if o > 0 {
		t = le.AppendUint16(t, 0x0112)
		t = le.AppendUint16(t, 3)
		t = le.AppendUint32(t, 1)
		t = le.AppendUint16(t, uint16(o))
		t = le.AppendUint16(t, 0)
	}
	t = le.AppendUint32(t, 0)
	return append(t, text...)
}

// cameraJPEG is jpegData with the metadata segments a phone and an editor add, a colour
// profile, and bytes after the end of the image.
func cameraJPEG(jpegData []byte, orientation int) []byte {
	var b []byte
	b = append(b, 0xFF, jpegSOI)
	b = append(b, segment(jpegAPP0, []byte("JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"))...)
	b = append(b, segment(jpegAPP1, append([]byte("Exif\x00\x00"), exifTIFF(orientation)...))...)
	b = append(b, segment(jpegAPP1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>SECRET-XMP</x:xmpmeta>"))...)
	b = append(b, segment(jpegAPP2, []byte("ICC_PROFILE\x00\x01\x01PROFILE-KEPT"))...)
	b = append(b, segment(jpegAPP2, []byte("MPF\x00SECRET-GPS preview"))...)
	b = append(b, segment(0xED, []byte("Photoshop 3.0\x00SECRET-IPTC"))...)
	b = append(b, segment(0xFE, []byte("SECRET-COMMENT"))...)
	b = append(b, jpegData[2:]...)
	return append(b, "SECRET-TRAILER"...)
}

// halves is a w×h image, red on the left half and blue on the right.
func halves(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{220, 20, 20, 255}
			if x >= w/2 {
				c = color.RGBA{20, 20, 220, 255}
			}
			m.SetRGBA(x, y, c)
		}
	}
	return m
}

func readStored(t *testing.T, s *Store, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(s.dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func assertNoSecrets(t *testing.T, name string, b []byte) {
	t.Helper()
	for _, s := range secrets {
		if bytes.Contains(b, []byte(s)) {
			t.Errorf("%s still holds %q", name, s)
		}
	}
}

func isRed(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r > 0xA000 && g < 0x4000 && b < 0x4000
}

func isBlue(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return b > 0xA000 && r < 0x4000 && g < 0x4000
}

// A phone photo taken upright is stored on its side with orientation 6. The original loses
// every piece of metadata but the orientation and colour profile, keeps its compressed pixels
// unchanged, and is described by its upright size; the variants are turned upright.
func TestSaveStripsMetadataAndKeepsOrientation(t *testing.T) {
	s, _ := newTestStore(t, 0)
	plain := encodeJPEG(t, halves(2000, 1000))
	upload := cameraJPEG(plain, 6)
	m, err := s.Save(context.Background(), editor, bytes.NewReader(upload), "IMG_0001.JPG", UploadInput{Alt: "A lecture"})
	if err != nil {
		t.Fatalf("Save: %v", err)
	}
	if m.Width != 1000 || m.Height != 2000 {
		t.Errorf("size = %d×%d, want the upright 1000×2000", m.Width, m.Height)
	}
	orig := readStored(t, s, m.Path)
	assertNoSecrets(t, "original", orig)
	if !bytes.Contains(orig, []byte("PROFILE-KEPT")) {
		t.Error("the colour profile was dropped")
	}
	if int64(len(orig)) != m.Size {
		t.Errorf("Size = %d, stored file has %d bytes", m.Size, len(orig))
	}
	if _, o, ok := cleanJPEG(orig); !ok || o != 6 {
		t.Errorf("stored original has orientation %d (ok %v), want 6", o, ok)
	}
	// The scan data is copied, not re-encoded: the stored file ends with the plain encoding's.
	if scan := plain[bytes.Index(plain, []byte{0xFF, jpegSOS}):]; !bytes.HasSuffix(orig, scan) {
		t.Error("the compressed pixels of the original changed")
	}
	if !bytes.HasPrefix(orig, []byte{0xFF, jpegSOI, 0xFF, jpegAPP0}) {
		t.Errorf("JFIF is no longer the first segment: % x", orig[:8])
	}

	vs := m.VariantList()
	if got := []int{vs[0].Width, vs[1].Width}; len(vs) != 2 || !slices.Equal(got, []int{480, 960}) {
		t.Fatalf("variants = %+v, want 480 and 960 (the upright width is 1000)", vs)
	}
	v := readStored(t, s, vs[0].Name)
	assertNoSecrets(t, "variant", v)
	img, err := jpeg.Decode(bytes.NewReader(v))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 480 || b.Dy() != 960 {
		t.Fatalf("variant is %v, want 480×960", b)
	}
	// Orientation 6 shows the stored left edge at the top.
	if top, bottom := img.At(240, 100), img.At(240, 860); !isRed(top) || !isBlue(bottom) {
		t.Errorf("variant is not upright: top %v, bottom %v", top, bottom)
	}
}

// Without an orientation, the stored original gets no EXIF at all.
func TestSaveUprightJPEGHasNoEXIF(t *testing.T) {
	s, _ := newTestStore(t, 0)
	m, err := s.Save(context.Background(), editor, bytes.NewReader(cameraJPEG(encodeJPEG(t, halves(300, 200)), 0)),
		"a.jpg", UploadInput{Alt: "x"})
	if err != nil {
		t.Fatal(err)
	}
	orig := readStored(t, s, m.Path)
	assertNoSecrets(t, "original", orig)
	if bytes.Contains(orig, exifHeader) {
		t.Error("an upright original still has an EXIF segment")
	}
	if m.Width != 300 || m.Height != 200 {
		t.Errorf("size = %d×%d, want 300×200", m.Width, m.Height)
	}
}

func TestSaveStripsPNGText(t *testing.T) {
	s, _ := newTestStore(t, 0)
	plain := encodePNG(t, gradient(64, 32))
	ihdrEnd := 8 + 12 + 13
	var up []byte
	up = append(up, plain[:ihdrEnd]...)
	up = append(up, pngChunk("tEXt", []byte("Comment\x00SECRET-COMMENT"))...)
	up = append(up, pngChunk("eXIf", append([]byte(nil), exifTIFF(0)...))...)
	up = append(up, pngChunk("tIME", []byte{7, 234, 11, 26, 5, 6, 7})...)
	up = append(up, plain[ihdrEnd:]...)
	up = append(up, "SECRET-TRAILER"...)
	m, err := s.Save(context.Background(), editor, bytes.NewReader(up), "chart.png", UploadInput{Alt: "x"})
	if err != nil {
		t.Fatal(err)
	}
	orig := readStored(t, s, m.Path)
	assertNoSecrets(t, "original", orig)
	if !bytes.Equal(orig, plain) {
		t.Error("stored PNG is not the upload without its text, EXIF, time and trailer")
	}
}

func TestSaveStripsWebPMetadata(t *testing.T) {
	s, _ := newTestStore(t, 0)
	simple := losslessWebP(40, 20, color.NRGBA{10, 200, 30, 255})
	vp8l := simple[12:]
	vp8x := make([]byte, 10)
	vp8x[0] = webpFlagEXIF | webpFlagXMP
	vp8x[4], vp8x[7] = 39, 19 // canvas width and height minus one, 24-bit little-endian
	chunk := func(typ string, data []byte) []byte {
		c := append([]byte(typ), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
		c = append(c, data...)
		if len(data)%2 == 1 {
			c = append(c, 0)
		}
		return c
	}
	body := []byte("WEBP")
	body = append(body, chunk("VP8X", vp8x)...)
	body = append(body, vp8l...)
	body = append(body, chunk("EXIF", exifTIFF(0))...)
	body = append(body, chunk("XMP ", []byte("<x:xmpmeta>SECRET-XMP</x:xmpmeta>"))...)
	body = append(body, chunk("C2PA", []byte("SECRET-GPS content credentials"))...)
	up := append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...)
	up = append(up, body...)
	up = append(up, "SECRET-TRAILER"...)
	if _, err := webp.Decode(bytes.NewReader(up)); err != nil {
		t.Fatalf("test file does not decode: %v", err)
	}
	m, err := s.Save(context.Background(), editor, bytes.NewReader(up), "w.webp", UploadInput{Alt: "x"})
	if err != nil {
		t.Fatal(err)
	}
	orig := readStored(t, s, m.Path)
	assertNoSecrets(t, "original", orig)
	if int(binary.LittleEndian.Uint32(orig[4:]))+8 != len(orig) {
		t.Errorf("RIFF size %d does not match the %d-byte file", binary.LittleEndian.Uint32(orig[4:]), len(orig))
	}
	if flags := orig[20]; flags&(webpFlagEXIF|webpFlagXMP) != 0 {
		t.Errorf("VP8X flags %#x still announce metadata", flags)
	}
	img, err := webp.Decode(bytes.NewReader(orig))
	if err != nil {
		t.Fatalf("stored WebP does not decode: %v", err)
	}
	if r, g, b, _ := img.At(5, 5).RGBA(); r>>8 != 10 || g>>8 != 200 || b>>8 != 30 {
		t.Errorf("pixel changed: %d %d %d", r>>8, g>>8, b>>8)
	}
}

// A file whose structure the cleaner cannot follow is re-encoded from its pixels rather than
// stored with whatever it holds.
func TestStripMetadataReencodesWhatItCannotFollow(t *testing.T) {
	img := halves(40, 20)
	jpegFormat, pngFormat := formats["image/jpeg"], formats["image/png"]
	// Unfollowable: no end of image, or bytes that decode to nothing.
	truncated := append(append([]byte{0xFF, jpegSOI}, segment(jpegAPP1, append([]byte("Exif\x00\x00"), exifTIFF(6)...))...),
		"SECRET-GPS and no end"...)
	for _, tt := range []struct {
		mime   string
		f      format
		data   []byte
		orient int
	}{
		{"image/jpeg", jpegFormat, truncated, 6},
		{"image/png", pngFormat, []byte("\x89PNG\r\n\x1a\nSECRET-GPS"), 1},
	} {
		u := &upload{data: tt.data, mime: tt.mime, format: tt.f, img: img, orientation: orientUpright}
		if msg := stripMetadata(u); msg != "" {
			t.Fatalf("%s: %s", tt.mime, msg)
		}
		assertNoSecrets(t, tt.mime, u.data)
		got, err := tt.f.decode(bytes.NewReader(u.data))
		if err != nil || got.Bounds() != img.Bounds() {
			t.Errorf("re-encoded %s does not decode to a %v image: %v", tt.mime, img.Bounds(), err)
		}
		if u.orientation != tt.orient {
			t.Errorf("%s: orientation %d, want %d kept", tt.mime, u.orientation, tt.orient)
		}
		if _, o, _ := cleanJPEG(u.data); tt.mime == "image/jpeg" && o != tt.orient {
			t.Errorf("re-encoded JPEG carries orientation %d, want %d", o, tt.orient)
		}
	}
	u := &upload{data: []byte("RIFF...."), mime: "image/webp", format: formats["image/webp"], img: img}
	if msg := stripMetadata(u); msg != msgUnreadable {
		t.Errorf("an unfollowable WebP gave %q, want it refused", msg)
	}
}

// Each EXIF orientation, applied to a 3×2 image, shows it as the EXIF specification draws.
func TestOrient(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 3, 2))
	for i := range 6 { // a b c / d e f
		src.Pix[4*i] = byte('a' + i)
	}
	tests := []struct {
		o    int
		want string // rows, top to bottom
	}{
		{1, "abc/def"},
		{2, "cba/fed"},
		{3, "fed/cba"},
		{4, "def/abc"},
		{5, "ad/be/cf"},
		{6, "da/eb/fc"},
		{7, "fc/eb/da"},
		{8, "cf/be/ad"},
	}
	for _, tt := range tests {
		got := orient(src, tt.o)
		var rows []string
		for y := range got.Rect.Dy() {
			var r []byte
			for x := range got.Rect.Dx() {
				r = append(r, got.Pix[got.PixOffset(x, y)])
			}
			rows = append(rows, string(r))
		}
		if s := strings.Join(rows, "/"); s != tt.want {
			t.Errorf("orientation %d: %s, want %s", tt.o, s, tt.want)
		}
	}
}

func TestExifOrientation(t *testing.T) {
	tests := []struct {
		name string
		tiff []byte
		want int
	}{
		{"little-endian 6", exifTIFF(6), 6},
		{"big-endian 8", insertOrientation([]byte{0xFF, jpegSOI}, 2, 8)[4+2+len(exifHeader):], 8},
		{"no orientation", exifTIFF(0), 1},
		{"out of range", exifTIFF(9), 1},
		{"empty", nil, 1},
		{"bad byte order", []byte("XX*\x00\x08\x00\x00\x00"), 1},
		{"IFD past the end", []byte("II*\x00\xff\xff\x00\x00"), 1},
		{"entry count past the end", []byte("II*\x00\x08\x00\x00\x00\xff\xff"), 1},
	}
	for _, tt := range tests {
		if got := exifOrientation(tt.tiff); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
}

// The cleaners take any bytes without panicking, and what they return is never longer than
// what they were given plus the one segment they may add.
func FuzzClean(f *testing.F) {
	f.Add(cameraJPEG(encodeJPEGForFuzz(), 6))
	f.Add(losslessWebP(3, 2, color.NRGBA{1, 2, 3, 4}))
	f.Add([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x00IEND\xaeB`\x82"))
	f.Add([]byte("RIFF\x04\x00\x00\x00WEBP"))
	f.Add(gifFrames(4, 4, 2, 2, 2))
	f.Add(encodeGIFForFuzz())
	f.Fuzz(func(t *testing.T, data []byte) {
		if out, _, ok := cleanGIF(data); ok {
			checkCleanGIF(t, data, out)
		}
		if out, _, ok := cleanJPEG(data); ok && len(out) > len(data)+40 {
			t.Errorf("JPEG grew from %d to %d bytes", len(data), len(out))
		}
		if out, _, ok := cleanPNG(data); ok && len(out) > len(data)+len(pngChunk("eXIf", orientationTIFF(8))) {
			t.Errorf("PNG grew from %d to %d bytes", len(data), len(out))
		}
		if out, ok := cleanWebP(data); ok && len(out) > len(data)+1 {
			t.Errorf("WebP grew from %d to %d bytes", len(data), len(out))
		}
	})
}

// checkCleanGIF holds a cleaned GIF to what cleanGIF promises: no longer than the file and a
// trailer, clean already, and, when the file decodes, the same frames.
func checkCleanGIF(t *testing.T, data, out []byte) {
	if len(out) > len(data)+1 {
		t.Errorf("GIF grew from %d to %d bytes", len(data), len(out))
	}
	if again, _, ok := cleanGIF(out); !ok || !bytes.Equal(again, out) {
		t.Error("cleaning a cleaned GIF changed it")
	}
	cfg, err := gif.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width*cfg.Height > 1<<16 {
		return
	}
	before, err := gif.DecodeAll(bytes.NewReader(data))
	if err != nil {
		return
	}
	after, err := gif.DecodeAll(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("the file decodes, its cleaned copy does not: %v", err)
	}
	if len(after.Image) != len(before.Image) {
		t.Fatalf("%d frames, want %d", len(after.Image), len(before.Image))
	}
	for i := range after.Image {
		if after.Image[i].Rect != before.Image[i].Rect || !bytes.Equal(after.Image[i].Pix, before.Image[i].Pix) ||
			after.Delay[i] != before.Delay[i] || after.Disposal[i] != before.Disposal[i] {
			t.Errorf("frame %d changed", i)
		}
	}
}

func encodeGIFForFuzz() []byte {
	var b bytes.Buffer
	frames := []*image.Paletted{image.NewPaletted(image.Rect(0, 0, 4, 3), palette.Plan9),
		image.NewPaletted(image.Rect(0, 0, 4, 3), palette.Plan9)}
	frames[1].Pix[5] = 9
	if err := gif.EncodeAll(&b, &gif.GIF{Image: frames, Delay: []int{5, 7}, LoopCount: 3}); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func encodeJPEGForFuzz() []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, halves(16, 8), nil); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// Restart markers may follow fill bytes, as decoders accept; the cleaner drops the fill bytes
// and keeps every restart, so the result is the file without them.
func TestCleanJPEGRestartMarkersAfterFillBytes(t *testing.T) {
	plain, err := os.ReadFile("testdata/restart-markers.jpg")
	if err != nil {
		t.Fatal(err)
	}
	scan := bytes.Index(plain, []byte{0xFF, jpegSOS})
	var filled []byte
	filled = append(filled, plain[:scan]...)
	for i := scan; i < len(plain); i++ {
		if plain[i] == 0xFF && i+1 < len(plain) && isRST(plain[i+1]) {
			filled = append(filled, 0xFF) // a fill byte before every restart marker
		}
		filled = append(filled, plain[i])
	}
	if len(filled) == len(plain) {
		t.Fatal("test file has no restart markers")
	}
	if _, err := jpeg.Decode(bytes.NewReader(filled)); err != nil {
		t.Fatalf("decoders accept fill bytes, but: %v", err)
	}
	got, _, ok := cleanJPEG(filled)
	if !ok || !bytes.Equal(got, plain) {
		t.Errorf("cleaned (ok %v) is %d bytes, want the %d-byte file without fill bytes", ok, len(got), len(plain))
	}
}

// Parts of a JPEG that decoders skip or that hold pictures of their own are not kept: a JFIF
// thumbnail, a JFXX extension, data after a stray 0xFF00, an Adobe segment's extra bytes; and
// only the first EXIF block gives the orientation, as in browsers.
func TestCleanJPEGHiddenMetadata(t *testing.T) {
	plain := encodeJPEG(t, halves(64, 32))
	var b []byte
	b = append(b, 0xFF, jpegSOI)
	jfif := []byte("JFIF\x00\x01\x02\x00\x00\x01\x00\x01\x02\x01SECRET") // a 2×1 thumbnail
	b = append(b, segment(jpegAPP0, jfif)...)
	b = append(b, segment(jpegAPP0, []byte("JFXX\x00\x10SECRET-GPS thumbnail"))...)
	b = append(b, 0xFF, 0x00) // stray bytes decoders skip, hiding nothing from them
	b = append(b, segment(jpegAPP1, append([]byte("Exif\x00\x00"), exifTIFF(6)...))...)
	b = append(b, segment(jpegAPP1, append([]byte("Exif\x00\x00"), exifTIFF(3)...))...)
	b = append(b, segment(jpegAPPE, []byte("Adobe\x00\x64\x00\x00\x00\x00\x01SECRET-IPTC"))...)
	b = append(b, plain[2:]...)
	if _, err := jpeg.Decode(bytes.NewReader(b)); err != nil {
		t.Fatalf("test file does not decode: %v", err)
	}
	got, o, ok := cleanJPEG(b)
	if !ok {
		t.Fatal("not cleaned")
	}
	assertNoSecrets(t, "cleaned", got)
	if bytes.Contains(got, []byte("SECRET")) {
		t.Error("thumbnail kept")
	}
	if o != 6 {
		t.Errorf("orientation %d, want 6 from the first EXIF block", o)
	}
	wantJFIF := segment(jpegAPP0, []byte("JFIF\x00\x01\x02\x00\x00\x01\x00\x01\x00\x00"))
	if !bytes.HasPrefix(got[2:], wantJFIF) {
		t.Errorf("JFIF segment % x, want it first without its thumbnail", got[2:2+len(wantJFIF)])
	}
	if !bytes.Contains(got, segment(jpegAPPE, []byte("Adobe\x00\x64\x00\x00\x00\x00\x01"))) {
		t.Error("Adobe segment not kept at its fixed length")
	}
}

// A PNG's EXIF orientation, which browsers apply, stays as a minimal eXIf chunk, and its
// variants are turned upright; unknown chunks, such as content credentials, go.
func TestSavePNGOrientationAndUnknownChunks(t *testing.T) {
	s, _ := newTestStore(t, 0)
	plain := encodePNG(t, halves(1000, 500))
	var up []byte
	up = append(up, plain[:pngIHDREnd]...)
	up = append(up, pngChunk("eXIf", exifTIFF(6))...)
	up = append(up, pngChunk("caBX", []byte("SECRET-GPS content credentials"))...)
	up = append(up, plain[pngIHDREnd:]...)
	m, err := s.Save(context.Background(), editor, bytes.NewReader(up), "scan.png", UploadInput{Alt: "x"})
	if err != nil {
		t.Fatal(err)
	}
	orig := readStored(t, s, m.Path)
	assertNoSecrets(t, "original", orig)
	if want := withPNGOrientation(plain, 6); !bytes.Equal(orig, want) {
		t.Error("stored PNG is not the plain PNG with a minimal eXIf")
	}
	if m.Width != 500 || m.Height != 1000 {
		t.Errorf("size %d×%d, want the upright 500×1000", m.Width, m.Height)
	}
	vs := m.VariantList()
	if len(vs) != 1 || vs[0].Width != 480 {
		t.Fatalf("variants %+v, want one 480 wide", vs)
	}
	img, err := png.Decode(bytes.NewReader(readStored(t, s, vs[0].Name)))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 480 || b.Dy() != 960 || !isRed(img.At(240, 100)) || !isBlue(img.At(240, 860)) {
		t.Errorf("variant %v is not upright", img.Bounds())
	}
}
