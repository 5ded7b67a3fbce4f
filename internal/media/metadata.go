package media

import (
	"bytes"
	"encoding/binary"
	"image"
)

// Uploaded originals are published as they are, so whatever a camera or an editing program
// wrote into them would be too: EXIF with GPS position, camera serial number and time, XMP,
// IPTC, comments, embedded previews. The cleaners below copy a file's structure without those
// parts and without bytes after its end, never touching the compressed pixels. What the
// picture needs to look right stays: colour profiles, the Adobe colour-transform marker and,
// for JPEG, the EXIF orientation, rewritten as a minimal EXIF block of that one value.
//
// Each cleaner reports false for a structure it does not follow; Save then re-encodes the
// decoded pixels instead, so metadata is never kept by mistake.

// Orientation values from EXIF (TIFF tag 0x0112): 1 is upright; 5 to 8 turn the image a
// quarter, so it shows with width and height swapped.
const (
	orientUpright = 1
	orientMax     = 8
)

// swapsSides reports whether orientation o shows the image turned a quarter.
func swapsSides(o int) bool { return o >= 5 && o <= 8 }

// JPEG markers the cleaner handles by name.
const (
	jpegSOI  = 0xD8
	jpegEOI  = 0xD9
	jpegSOS  = 0xDA
	jpegAPP0 = 0xE0
	jpegAPP1 = 0xE1
	jpegAPP2 = 0xE2
	jpegAPP3 = 0xE3
	jpegAPPE = 0xEE // Adobe: says how to turn the stored channels into colours
	jpegAPPF = 0xEF
	jpegCOM  = 0xFE
)

var (
	exifHeader = []byte("Exif\x00\x00")
	iccHeader  = []byte("ICC_PROFILE\x00")
)

// cleanJPEG returns data without metadata segments and the EXIF orientation it carried
// (orientUpright when none). A non-upright orientation is kept in a minimal EXIF segment.
func cleanJPEG(data []byte) ([]byte, int, bool) {
	if len(data) < 4 || data[0] != 0xFF || data[1] != jpegSOI {
		return nil, 0, false
	}
	out := make([]byte, 0, len(data))
	out = append(out, 0xFF, jpegSOI)
	orientation, app1At := orientUpright, len(out)
	for i := 2; ; {
		// Decoders skip stray bytes and fill bytes before a marker, and so does this.
		for i < len(data) && data[i] != 0xFF {
			i++
		}
		for i < len(data) && data[i] == 0xFF {
			i++
		}
		if i >= len(data) {
			return nil, 0, false // no end of image
		}
		marker := data[i]
		i++
		switch {
		case marker == jpegEOI:
			out = append(out, 0xFF, jpegEOI)
			return insertOrientation(out, app1At, orientation), orientation, true
		case marker >= 0xD0 && marker <= 0xD7, marker == 0x01:
			out = append(out, 0xFF, marker) // markers without a length
			continue
		}
		if i+2 > len(data) {
			return nil, 0, false
		}
		n := int(binary.BigEndian.Uint16(data[i:]))
		if n < 2 || i+n > len(data) {
			return nil, 0, false
		}
		payload := data[i+2 : i+n]
		seg := data[i-2 : i+n]
		i += n
		switch {
		case marker == jpegAPP0:
			out = append(out, seg...)
			if app1At == 2 && len(out) == 2+len(seg) {
				app1At = len(out) // JFIF must stay first
			}
		case marker == jpegAPP1:
			if bytes.HasPrefix(payload, exifHeader) {
				orientation = exifOrientation(payload[len(exifHeader):])
			}
		case marker == jpegAPP2:
			if bytes.HasPrefix(payload, iccHeader) {
				out = append(out, seg...)
			}
		case marker == jpegAPPE:
			out = append(out, seg...)
		case marker >= jpegAPP3 && marker <= jpegAPPF, marker == jpegCOM:
			// dropped
		case marker == jpegSOS:
			out = append(out, seg...)
			// Entropy-coded data runs to the next marker; inside it 0xFF is followed by 0x00
			// (a stuffed byte) or a restart marker.
			start := i
			for i < len(data) {
				if data[i] == 0xFF && i+1 < len(data) {
					if next := data[i+1]; next != 0x00 && (next < 0xD0 || next > 0xD7) {
						break
					}
					i += 2
					continue
				}
				i++
			}
			out = append(out, data[start:i]...)
		default:
			out = append(out, seg...)
		}
	}
}

// insertOrientation puts a minimal EXIF segment holding orientation o at offset at of jpeg,
// unless o is upright.
func insertOrientation(jpeg []byte, at, o int) []byte {
	if o == orientUpright {
		return jpeg
	}
	// TIFF, big-endian: header, IFD0 at offset 8 with one entry (tag 0x0112, SHORT, count 1),
	// and no next IFD.
	tiff := []byte{'M', 'M', 0, 42, 0, 0, 0, 8,
		0, 1,
		0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, byte(o), 0, 0,
		0, 0, 0, 0}
	seg := []byte{0xFF, jpegAPP1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(2+len(exifHeader)+len(tiff)))
	seg = append(append(seg, exifHeader...), tiff...)
	out := make([]byte, 0, len(jpeg)+len(seg))
	out = append(append(append(out, jpeg[:at]...), seg...), jpeg[at:]...)
	return out
}

// exifOrientation reads tag 0x0112 from the first IFD of a TIFF structure, or returns
// orientUpright when it is missing or out of range.
func exifOrientation(tiff []byte) int {
	if len(tiff) < 8 {
		return orientUpright
	}
	var order binary.ByteOrder
	switch string(tiff[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return orientUpright
	}
	if order.Uint16(tiff[2:]) != 42 {
		return orientUpright
	}
	ifd := int64(order.Uint32(tiff[4:]))
	if ifd < 8 || ifd+2 > int64(len(tiff)) {
		return orientUpright
	}
	count := int64(order.Uint16(tiff[ifd:]))
	for e := ifd + 2; e+12 <= int64(len(tiff)) && count > 0; e, count = e+12, count-1 {
		if order.Uint16(tiff[e:]) != 0x0112 {
			continue
		}
		if order.Uint16(tiff[e+2:]) != 3 { // SHORT
			return orientUpright
		}
		if o := int(order.Uint16(tiff[e+8:])); o >= orientUpright && o <= orientMax {
			return o
		}
		return orientUpright
	}
	return orientUpright
}

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// pngDropped are the PNG chunks that hold text, EXIF or a modification time.
var pngDropped = map[string]bool{"tEXt": true, "zTXt": true, "iTXt": true, "eXIf": true, "tIME": true}

// cleanPNG returns data without text, EXIF and time chunks or anything after IEND.
func cleanPNG(data []byte) ([]byte, bool) {
	if !bytes.HasPrefix(data, pngSignature) {
		return nil, false
	}
	out := make([]byte, 0, len(data))
	out = append(out, pngSignature...)
	for i := len(pngSignature); i+12 <= len(data); {
		n := int64(binary.BigEndian.Uint32(data[i:]))
		end := int64(i) + 12 + n
		if end > int64(len(data)) {
			return nil, false
		}
		typ := string(data[i+4 : i+8])
		if !pngDropped[typ] {
			out = append(out, data[i:end]...)
		}
		if typ == "IEND" {
			return out, true
		}
		i = int(end)
	}
	return nil, false
}

// WebP extended-format flags (in the VP8X chunk) for the metadata chunks.
const (
	webpFlagEXIF = 0x08
	webpFlagXMP  = 0x04
)

// cleanWebP returns data without its EXIF and XMP chunks, with the flags and sizes that
// announce them corrected, and without anything after the RIFF container.
func cleanWebP(data []byte) ([]byte, bool) {
	if len(data) < 12 || string(data[:4]) != "RIFF" || string(data[8:12]) != "WEBP" {
		return nil, false
	}
	size := int64(binary.LittleEndian.Uint32(data[4:])) + 8
	if size > int64(len(data)) || size < 12 {
		return nil, false
	}
	data = data[:size]
	out := make([]byte, 12, len(data))
	copy(out, data[:12])
	vp8x := -1
	for i := 12; i < len(data); {
		if i+8 > len(data) {
			return nil, false
		}
		n := int64(binary.LittleEndian.Uint32(data[i+4:]))
		end := int64(i) + 8 + n + n%2
		if end > int64(len(data)) {
			if end-int64(len(data)) != 1 || n%2 == 0 { // a missing last pad byte is tolerated
				return nil, false
			}
			end = int64(len(data))
		}
		switch typ := string(data[i : i+4]); typ {
		case "EXIF", "XMP ":
		default:
			if typ == "VP8X" && n >= 1 {
				vp8x = len(out) + 8
			}
			out = append(out, data[i:end]...)
		}
		i = int(end)
	}
	if vp8x >= 0 {
		out[vp8x] &^= webpFlagEXIF | webpFlagXMP
	}
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out, true
}

// orient turns m as EXIF orientation o says, so that it shows upright without the tag.
func orient(m *image.RGBA, o int) *image.RGBA {
	if o <= orientUpright || o > orientMax {
		return m
	}
	w, h := m.Rect.Dx(), m.Rect.Dy()
	dw, dh := w, h
	if swapsSides(o) {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := range dh {
		for x := range dw {
			var sx, sy int
			switch o {
			case 2: // mirrored
				sx, sy = w-1-x, y
			case 3: // turned half
				sx, sy = w-1-x, h-1-y
			case 4: // flipped
				sx, sy = x, h-1-y
			case 5: // transposed
				sx, sy = y, x
			case 6: // turned a quarter clockwise to show
				sx, sy = y, h-1-x
			case 7: // transversed
				sx, sy = w-1-y, h-1-x
			case 8: // turned a quarter anticlockwise to show
				sx, sy = w-1-y, x
			}
			si := m.PixOffset(m.Rect.Min.X+sx, m.Rect.Min.Y+sy)
			di := dst.PixOffset(x, y)
			copy(dst.Pix[di:di+4], m.Pix[si:si+4])
		}
	}
	return dst
}
