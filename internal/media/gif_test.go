package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"image/color/palette"
	"image/gif"
	"strings"
	"testing"

	"campusnews/internal/validate"
)

// gifSubBlocks splits data into GIF sub-blocks with their terminator.
func gifSubBlocks(data []byte) []byte {
	var out []byte
	for len(data) > 0 {
		n := min(len(data), 255)
		out = append(append(out, byte(n)), data[:n]...)
		data = data[n:]
	}
	return append(out, 0)
}

// cameraGIF is an animation as a phone app or an editor leaves it: a comment with a position,
// XMP in an application extension, a plain-text extension, a second loop block with room
// for more, and bytes after the trailer.
func cameraGIF(t *testing.T) []byte {
	t.Helper()
	plain := encodeAnimatedGIF(t, 60, 30)
	loop := bytes.Index(plain, []byte("NETSCAPE2.0"))
	if loop < 3 {
		t.Fatal("no loop block in the test animation")
	}
	at := loop - 3 // 0x21 0xFF 0x0B
	var extra []byte
	extra = append(extra, 0x21, 0xFE)
	extra = append(extra, gifSubBlocks([]byte("SECRET-GPS 48.8584N 2.2945E"))...)
	extra = append(extra, 0x21, 0xFF, 11)
	extra = append(extra, "XMP DataXMP"...)
	extra = append(extra, gifSubBlocks([]byte("<x:xmpmeta>SECRET-XMP</x:xmpmeta>"))...)
	extra = append(extra, 0x21, 0x01, 12, 0, 0, 0, 0, 8, 0, 8, 0, 8, 8, 1, 0)
	extra = append(extra, gifSubBlocks([]byte("SECRET-COMMENT in plain text"))...)
	var b []byte
	b = append(b, plain[:at]...)
	b = append(b, extra...)
	b = append(b, plain[at:at+19]...) // the loop block
	// A loop block's name with room for more than the count.
	b = append(b, 0x21, 0xFF, 11)
	b = append(b, "NETSCAPE2.0"...)
	b = append(b, gifSubBlocks([]byte("\x01\x00\x00SECRET-XMP"))...)
	b = append(b, plain[at+19:]...)
	return append(b, "SECRET-TRAILER"...)
}

// A GIF keeps its frames, delays and loop count, and loses every comment, every application
// extension but its loop count, and whatever follows the trailer; it still animates.
func TestSaveCleansGIF(t *testing.T) {
	s, _ := newTestStore(t, 0)
	up := cameraGIF(t)
	before, err := gif.DecodeAll(bytes.NewReader(up))
	if err != nil {
		t.Fatalf("test file does not decode: %v", err)
	}
	m, err := s.Save(context.Background(), editor, bytes.NewReader(up), "anim.gif", UploadInput{Alt: "x"})
	if err != nil {
		t.Fatal(err)
	}
	stored := readStored(t, s, m.Path)
	assertNoSecrets(t, "stored GIF", stored)
	if bytes.Contains(stored, []byte("XMP")) || bytes.Count(stored, []byte("NETSCAPE2.0")) != 1 {
		t.Error("application extensions other than one loop block were kept")
	}
	if stored[len(stored)-1] != gifTrailer {
		t.Error("the stored file does not end with the trailer")
	}
	after, err := gif.DecodeAll(bytes.NewReader(stored))
	if err != nil {
		t.Fatalf("stored GIF does not decode: %v", err)
	}
	if len(after.Image) != 2 || after.LoopCount != before.LoopCount || after.Delay[0] != before.Delay[0] ||
		after.Delay[1] != before.Delay[1] {
		t.Errorf("animation changed: %d frames, loop %d, delays %v; was loop %d, delays %v", len(after.Image),
			after.LoopCount, after.Delay, before.LoopCount, before.Delay)
	}
	for i := range after.Image {
		if !bytes.Equal(after.Image[i].Pix, before.Image[i].Pix) {
			t.Errorf("frame %d changed", i)
		}
	}
	if m.Mime != "image/gif" || m.Width != 60 || m.Height != 30 {
		t.Errorf("got %s %d×%d", m.Mime, m.Width, m.Height)
	}
}

// gifFrames is a w×h GIF header followed by n frames of fw×fh whose pixel data is not valid:
// only its structure is read before such a file is refused.
func gifFrames(w, h, fw, fh, n int) []byte {
	b := []byte("GIF89a")
	b = binary.LittleEndian.AppendUint16(b, uint16(w))
	b = binary.LittleEndian.AppendUint16(b, uint16(h))
	b = append(b, 0x80, 0, 0) // a two-colour global table follows
	b = append(b, 0, 0, 0, 255, 255, 255)
	for range n {
		b = append(b, gifImage, 0, 0, 0, 0)
		b = binary.LittleEndian.AppendUint16(b, uint16(fw))
		b = binary.LittleEndian.AppendUint16(b, uint16(fh))
		b = append(b, 0, 2)
		b = append(b, gifSubBlocks([]byte{0x4C, 0x01})...)
	}
	return append(b, gifTrailer)
}

func TestSaveRefusesAbsurdAnimations(t *testing.T) {
	s, _ := newTestStore(t, 0)
	for _, tt := range []struct {
		name, want string
		data       []byte
	}{
		{"too many frames", "has 1001 frames; the limit is 1000", gifFrames(4, 4, 4, 4, 1001)},
		{"too many pixels in all", "add up to 180 megapixels; the limit is 150 megapixels", gifFrames(6000, 6000, 6000, 6000, 5)},
		{"cut in a frame", msgUnreadable, gifFrames(4, 4, 4, 4, 2)[:40]},
	} {
		_, err := s.Save(context.Background(), editor, bytes.NewReader(tt.data), "a.gif", UploadInput{Alt: "x"})
		var verr validate.Errors
		if !errors.As(err, &verr) || !strings.Contains(verr["file"], tt.want) {
			t.Errorf("%s: err = %v, want the file refused with %q", tt.name, err, tt.want)
		}
	}
	// A real animation of many frames within the limits is kept whole.
	var frames []*image.Paletted
	for i := range 300 {
		f := image.NewPaletted(image.Rect(0, 0, 8, 8), palette.Plan9)
		f.Pix[i%64] = uint8(i)
		frames = append(frames, f)
	}
	var b bytes.Buffer
	if err := gif.EncodeAll(&b, &gif.GIF{Image: frames, Delay: make([]int, len(frames))}); err != nil {
		t.Fatal(err)
	}
	m, err := s.Save(context.Background(), editor, bytes.NewReader(b.Bytes()), "a.gif", UploadInput{Alt: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if got := readStored(t, s, m.Path); !bytes.Equal(got, b.Bytes()) {
		t.Error("a clean animation was not stored as it was")
	}
}

// A GIF that ends after a whole frame without its trailer gets one; cleaning is idempotent.
func TestCleanGIFAddsTrailer(t *testing.T) {
	full := encodeAnimatedGIF(t, 20, 10)
	cut := full[:len(full)-1]
	got, info, ok := cleanGIF(cut)
	if !ok || !bytes.Equal(got, full) || info.frames != 2 || info.pixels != 400 {
		t.Errorf("cleaned (ok %v, %+v) differs from the whole file", ok, info)
	}
	again, _, ok := cleanGIF(got)
	if !ok || !bytes.Equal(again, got) {
		t.Error("cleaning a clean GIF changed it")
	}
}
