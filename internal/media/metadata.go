package media

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
)

// Uploaded originals are published as they are, so whatever a camera or an editing program
// wrote into them would be too: EXIF with GPS position, camera serial number and time, XMP,
// IPTC, comments, embedded previews. The cleaners below copy a file's structure without those
// parts and without bytes after its end, never touching the compressed pixels. They keep only
// the parts they know a picture needs to look right (colour profiles, the Adobe
// colour-transform marker, JPEG and PNG EXIF orientation, rewritten as a minimal EXIF block of
// that one value); anything unknown goes.
//
// Each cleaner reports false for a structure it does not follow, and Save checks that the
// cleaned file holds the same picture, by comparing the parts of both that decide the pixels
// (structure.go); otherwise the pixels are re-encoded, so metadata is never kept, nor a broken
// file published, by mistake.

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
	jpegAPPE = 0xEE // Adobe: says how to turn the stored channels into colours
)

var (
	exifHeader  = []byte("Exif\x00\x00")
	iccHeader   = []byte("ICC_PROFILE\x00")
	jfifHeader  = []byte("JFIF\x00")
	adobeHeader = []byte("Adobe")
)

// Lengths of the parts of JFIF and Adobe segments kept: everything before JFIF's thumbnail
// (whose size bytes are zeroed) and Adobe's fixed fields.
const (
	jfifKept  = 14
	adobeKept = 12
)

// jpegKeeps reports whether a segment with a length is kept: the frame, tables, restart
// interval and scan headers a decoder needs. Anything else, application data and comments
// included, goes.
func jpegKeeps(marker byte) bool {
	switch {
	case marker >= 0xC0 && marker <= 0xCF && marker != 0xC8: // frames, Huffman and arithmetic tables
		return true
	case marker == 0xDB, marker == 0xDC, marker == 0xDD, marker == jpegSOS: // DQT, DNL, DRI, SOS
		return true
	}
	return false
}

func isRST(b byte) bool { return b >= 0xD0 && b <= 0xD7 }

// cleanJPEG returns data without metadata segments and the EXIF orientation browsers would
// apply (orientUpright when none). A non-upright orientation is kept in a minimal EXIF
// segment. The orientation is returned even when the structure cannot be followed.
func cleanJPEG(data []byte) ([]byte, int, bool) {
	if len(data) < 4 || data[0] != 0xFF || data[1] != jpegSOI {
		return nil, orientUpright, false
	}
	out := make([]byte, 0, len(data))
	out = append(out, 0xFF, jpegSOI)
	orientation, seenExif, seenJFIF, scanned := orientUpright, false, false, false
	app1At := len(out)
	for i := 2; ; {
		// Decoders skip stray bytes, fill bytes and a lone 0xFF00 before a marker; so does this.
		for i < len(data) && data[i] != 0xFF {
			i++
		}
		for i < len(data) && data[i] == 0xFF {
			i++
		}
		if i >= len(data) {
			return nil, orientation, false // no end of image
		}
		marker := data[i]
		i++
		switch {
		case marker == 0x00:
			continue
		case marker == jpegEOI:
			out = append(out, 0xFF, jpegEOI)
			return insertOrientation(out, app1At, orientation), orientation, true
		case isRST(marker), marker == 0x01:
			out = append(out, 0xFF, marker) // markers without a length
			continue
		}
		if i+2 > len(data) {
			return nil, orientation, false
		}
		n := int(binary.BigEndian.Uint16(data[i:]))
		if n < 2 || i+n > len(data) {
			return nil, orientation, false
		}
		payload := data[i+2 : i+n]
		seg := data[i-2 : i+n]
		i += n
		switch {
		case marker == jpegAPP0:
			// Only the first JFIF header is kept, without its thumbnail; JFIF must stay first.
			if !seenJFIF && len(out) == 2 && len(payload) >= jfifKept && bytes.HasPrefix(payload, jfifHeader) {
				seenJFIF = true
				out = append(out, 0xFF, jpegAPP0, 0, 2+jfifKept)
				out = append(out, payload[:jfifKept-2]...)
				out = append(out, 0, 0) // no thumbnail
				app1At = len(out)
			}
		case marker == jpegAPP1:
			// Browsers apply the first EXIF block before the image data.
			if !seenExif && !scanned && bytes.HasPrefix(payload, exifHeader) {
				seenExif = true
				orientation = exifOrientation(payload[len(exifHeader):])
			}
		case marker == jpegAPP2:
			if bytes.HasPrefix(payload, iccHeader) {
				out = append(out, seg...)
			}
		case marker == jpegAPPE:
			if len(payload) >= adobeKept && bytes.HasPrefix(payload, adobeHeader) {
				out = append(out, 0xFF, jpegAPPE, 0, 2+adobeKept)
				out = append(out, payload[:adobeKept]...)
			}
		case marker == jpegSOS:
			scanned = true
			out = append(out, seg...)
			var ok bool
			if out, i, ok = copyScan(out, data, i); !ok {
				return nil, orientation, false
			}
		case jpegKeeps(marker):
			out = append(out, seg...)
		}
	}
}

// copyScan appends the entropy-coded data starting at data[i] to out and returns the index of
// the marker that ends it. Inside the data, 0xFF (after any fill bytes) is followed by 0x00,
// a stuffed byte, or by a restart marker; these are copied without the fill bytes.
func copyScan(out, data []byte, i int) ([]byte, int, bool) {
	for {
		j := bytes.IndexByte(data[i:], 0xFF)
		if j < 0 {
			return nil, 0, false // no end of image
		}
		out = append(out, data[i:i+j]...)
		i += j
		k := i
		for k < len(data) && data[k] == 0xFF {
			k++
		}
		if k >= len(data) {
			return nil, 0, false
		}
		if next := data[k]; next != 0x00 && !isRST(next) {
			return out, i, true
		}
		out = append(out, 0xFF, data[k])
		i = k + 1
	}
}

// insertOrientation puts a minimal EXIF segment holding orientation o at offset at of jpeg,
// unless o is upright.
func insertOrientation(jpeg []byte, at, o int) []byte {
	if o == orientUpright {
		return jpeg
	}
	tiff := orientationTIFF(o)
	seg := []byte{0xFF, jpegAPP1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(2+len(exifHeader)+len(tiff)))
	seg = append(append(seg, exifHeader...), tiff...)
	out := make([]byte, 0, len(jpeg)+len(seg))
	out = append(append(append(out, jpeg[:at]...), seg...), jpeg[at:]...)
	return out
}

// orientationTIFF is the smallest EXIF (TIFF) block holding orientation o: big-endian header,
// IFD0 at offset 8 with one entry (tag 0x0112, SHORT, count 1), and no next IFD.
func orientationTIFF(o int) []byte {
	return []byte{'M', 'M', 0, 42, 0, 0, 0, 8,
		0, 1,
		0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, byte(o), 0, 0,
		0, 0, 0, 0}
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

// pngKeeps are the PNG chunks kept: pixels, palette and transparency, colour and size
// information, and animation frames. Text, EXIF, times and private chunks go.
var pngKeeps = map[string]bool{
	"IHDR": true, "PLTE": true, "IDAT": true, "IEND": true, "tRNS": true,
	"gAMA": true, "cHRM": true, "sRGB": true, "iCCP": true, "sBIT": true, "cICP": true,
	"mDCv": true, "cLLi": true, "bKGD": true, "pHYs": true,
	"acTL": true, "fcTL": true, "fdAT": true,
}

// cleanPNG returns data with only the chunks in pngKeeps, nothing after IEND, and the EXIF
// orientation of an eXIf chunk (which browsers apply), kept in a minimal eXIf when not upright.
func cleanPNG(data []byte) ([]byte, int, bool) {
	if !bytes.HasPrefix(data, pngSignature) {
		return nil, orientUpright, false
	}
	out := make([]byte, 0, len(data))
	out = append(out, pngSignature...)
	orientation, seenExif := orientUpright, false
	for i := len(pngSignature); i+12 <= len(data); {
		n := int64(binary.BigEndian.Uint32(data[i:]))
		end := int64(i) + 12 + n
		if end > int64(len(data)) {
			return nil, orientation, false
		}
		typ := string(data[i+4 : i+8])
		switch {
		case typ == "eXIf":
			if !seenExif {
				seenExif = true
				orientation = exifOrientation(data[i+8 : end-4])
			}
		case pngKeeps[typ]:
			out = append(out, data[i:end]...)
		}
		if typ == "IEND" {
			return withPNGOrientation(out, orientation), orientation, true
		}
		i = int(end)
	}
	return nil, orientation, false
}

// pngIHDREnd is where the chunk after IHDR starts: IHDR comes first and is 13 bytes long.
const pngIHDREnd = 8 + 4 + 4 + 13 + 4

// withPNGOrientation puts a minimal eXIf chunk holding orientation o right after the IHDR of
// png, where browsers look for it, unless o is upright.
func withPNGOrientation(png []byte, o int) []byte {
	if o == orientUpright || len(png) < pngIHDREnd {
		return png
	}
	chunk := pngChunk("eXIf", orientationTIFF(o))
	out := make([]byte, 0, len(png)+len(chunk))
	return append(append(append(out, png[:pngIHDREnd]...), chunk...), png[pngIHDREnd:]...)
}

// pngChunk is a PNG chunk of type typ holding data, with its checksum.
func pngChunk(typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(append(c, typ...), data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// WebP extended-format flags (in the VP8X chunk) for the metadata chunks.
const (
	webpFlagEXIF = 0x08
	webpFlagXMP  = 0x04
)

// webpKeeps are the WebP chunks kept: the image, its alpha, colour profile and animation.
var webpKeeps = map[string]bool{"VP8X": true, "VP8 ": true, "VP8L": true, "ALPH": true, "ICCP": true,
	"ANIM": true, "ANMF": true}

// cleanWebP returns data with only the chunks in webpKeeps, with the flags and sizes that
// announce the others corrected, and without anything after the RIFF container. Browsers do not
// apply EXIF orientation to WebP, so none is read.
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
		if typ := string(data[i : i+4]); webpKeeps[typ] {
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
