package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"gorm.io/gorm"

	"campusnews/internal/audit"
	"campusnews/internal/changes"
	"campusnews/internal/database/dbtest"
	"campusnews/internal/database/pgtest"
)

// The tests run on the engine dbtest.Engine names; PostgreSQL's cluster stops when they end.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// newTestStore opens a fresh migrated database and a store in a temporary directory.
func newTestStore(t *testing.T, maxBytes int64) (*Store, *gorm.DB) {
	t.Helper()
	dir := t.TempDir()
	db := dbtest.Open(t, dbtest.Engine())
	w, err := changes.NewWatcher(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return NewStore(db, filepath.Join(dir, "media"), maxBytes, w, unusedUsage{t}), db
}

// editor may change any image; the tests of the rule for writers, which asks the news
// service, are in rules_test.go.
var editor = Actor{Actor: audit.Actor{UserID: 7, Email: "editor@example.edu", IP: "192.0.2.1"}, CanChangeAny: true}

// unusedUsage fails a test that asks where an image is shown without the news service.
type unusedUsage struct{ t *testing.T }

func (u unusedUsage) ShownBeyondDrafts(*gorm.DB, int64, string, int64) (bool, error) {
	u.t.Error("usage asked in a test without the news service")
	return true, nil
}

// noise is a w×h image of random colours, which compresses badly: a realistic file size.
func noise(w, h int) *image.RGBA {
	r := rand.New(rand.NewPCG(1, 2))
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range m.Pix {
		m.Pix[i] = uint8(r.UintN(256))
	}
	for i := 3; i < len(m.Pix); i += 4 {
		m.Pix[i] = 255
	}
	return m
}

// gradient is a smooth opaque w×h image, quick to encode and small on disk.
func gradient(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		row := m.Pix[y*m.Stride:]
		for x := range w {
			copy(row[4*x:], []byte{uint8(x * 255 / w), uint8(y * 255 / h), 128, 255})
		}
	}
	return m
}

func encodeJPEG(t *testing.T, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodePNG(t *testing.T, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// encodeAnimatedGIF is a two-frame w×h animation.
func encodeAnimatedGIF(t *testing.T, w, h int) []byte {
	t.Helper()
	var frames []*image.Paletted
	for i := range 2 {
		f := image.NewPaletted(image.Rect(0, 0, w, h), palette.Plan9)
		for p := range f.Pix {
			f.Pix[p] = uint8(i*40 + p%7)
		}
		frames = append(frames, f)
	}
	var b bytes.Buffer
	if err := gif.EncodeAll(&b, &gif.GIF{Image: frames, Delay: []int{10, 10}}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pngWithHeaderSize is a valid 1×1 PNG whose IHDR claims w×h (with a correct checksum), so
// its header decodes but its pixels do not match: only a check made before decoding pixels
// can refuse it for its size.
func pngWithHeaderSize(t *testing.T, w, h uint32) []byte {
	t.Helper()
	b := encodePNG(t, image.NewGray(image.Rect(0, 0, 1, 1)))
	if string(b[12:16]) != "IHDR" {
		t.Fatalf("unexpected PNG layout: % x", b[:16])
	}
	binary.BigEndian.PutUint32(b[16:20], w)
	binary.BigEndian.PutUint32(b[20:24], h)
	binary.BigEndian.PutUint32(b[29:33], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// bitWriter writes a VP8L bit stream: values least significant bit first.
type bitWriter struct {
	buf   []byte
	acc   uint64
	nBits uint
}

func (w *bitWriter) write(v uint64, n uint) {
	w.acc |= v << w.nBits
	w.nBits += n
	for w.nBits >= 8 {
		w.buf = append(w.buf, byte(w.acc))
		w.acc >>= 8
		w.nBits -= 8
	}
}

func (w *bitWriter) bytes() []byte {
	if w.nBits > 0 {
		w.buf = append(w.buf, byte(w.acc))
	}
	return w.buf
}

// losslessWebP is a w×h lossless WebP filled with c. Each of the five prefix codes is a
// "simple" code with a single symbol, which takes zero bits per use, so the pixel data is
// empty: the whole file is about 30 bytes at any size.
func losslessWebP(w, h int, c color.NRGBA) []byte {
	var bw bitWriter
	bw.write(0x2f, 8) // VP8L signature
	bw.write(uint64(w-1), 14)
	bw.write(uint64(h-1), 14)
	alphaUsed := uint64(0)
	if c.A != 255 {
		alphaUsed = 1
	}
	bw.write(alphaUsed, 1)
	bw.write(0, 3) // version
	bw.write(0, 1) // no transform
	bw.write(0, 1) // no colour cache
	bw.write(0, 1) // no meta prefix codes
	// The codes in stream order: green, red, blue, alpha, distance.
	for _, sym := range []uint8{c.G, c.R, c.B, c.A, 0} {
		bw.write(1, 1) // simple code
		bw.write(0, 1) // one symbol
		bw.write(1, 1) // 8-bit symbol
		bw.write(uint64(sym), 8)
	}
	data := bw.bytes()
	chunk := append([]byte("VP8L"), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
	chunk = append(chunk, data...)
	if len(data)%2 == 1 {
		chunk = append(chunk, 0)
	}
	out := append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(4+len(chunk)))...)
	out = append(out, "WEBP"...)
	return append(out, chunk...)
}

// filesIn lists the names in dir, failing the test on error other than absence.
func filesIn(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}
