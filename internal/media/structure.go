package media

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"hash"
)

// An upload is decoded once. Its cleaned copy (metadata.go) is proved to hold the same picture
// by its structure instead of a second decode: each function below reads a file as the
// decoder does and digests exactly the parts that decide its pixels, so equal digests of the
// upload and of its cleaned copy mean equal pixels. They are written apart from the cleaners,
// which copy those parts unchanged, so a slip in a cleaner shows as a difference here.

// digest is what decides the pixels of a file, as a hash.
type digest [sha256.Size]byte

// sum writes each part with its length, so that parts cannot run into each other.
func sum(h hash.Hash, parts ...[]byte) {
	for _, p := range parts {
		h.Write(binary.BigEndian.AppendUint32(nil, uint32(len(p))))
		h.Write(p)
	}
}

// jpegInfo is what the frame header and the application segments of a JPEG tell a decoder:
// its size, its components and how they turn into colours.
type jpegInfo struct {
	width, height  int
	progressive    bool
	comps          []jpegComp
	jfif           bool // the last APP0 segment said JFIF
	adobe          bool // an Adobe segment was seen
	adobeTransform byte
}

type jpegComp struct{ id, h, v byte }

// isRGB reports whether Go's decoder takes three components for red, green and blue rather
// than luma and chroma (image/jpeg's isRGB).
func (j *jpegInfo) isRGB() bool {
	switch {
	case len(j.comps) != 3 || j.jfif:
		return false
	case j.adobe:
		return j.adobeTransform == 0
	}
	return j.comps[0].id == 'R' && j.comps[1].id == 'G' && j.comps[2].id == 'B'
}

// jpegDigest reads data as image/jpeg does up to the end of the image: frame, tables, restart
// interval and scans with their entropy-coded data, without the fill bytes markers may follow
// (the specification makes them meaningless), and the colour transform the APP0 and Adobe
// segments select. It reports false for a structure it cannot follow.
func jpegDigest(data []byte) (digest, jpegInfo, bool) {
	var info jpegInfo
	h := sha256.New()
	if len(data) < 4 || data[0] != 0xFF || data[1] != jpegSOI {
		return digest{}, info, false
	}
	sofs := 0
	for i := 2; ; {
		// Bytes before a marker are skipped, as are fill bytes and a lone 0xFF00.
		for i < len(data) && data[i] != 0xFF {
			i++
		}
		for i < len(data) && data[i] == 0xFF {
			i++
		}
		if i >= len(data) {
			return digest{}, info, false
		}
		marker := data[i]
		i++
		switch {
		case marker == 0x00, isRST(marker):
			continue
		case marker == jpegEOI:
			var d digest
			transform := []byte{0}
			if len(info.comps) == 3 && info.isRGB() {
				transform[0] = 1
			}
			if len(info.comps) == 4 && info.adobe && info.adobeTransform != 0 {
				transform[0] = 2
			}
			sum(h, transform)
			copy(d[:], h.Sum(nil))
			return d, info, sofs == 1
		}
		if i+2 > len(data) {
			return digest{}, info, false
		}
		n := int(binary.BigEndian.Uint16(data[i:]))
		if n < 2 || i+n > len(data) {
			return digest{}, info, false
		}
		payload := data[i+2 : i+n]
		i += n
		switch {
		case marker == 0xC0 || marker == 0xC1 || marker == 0xC2:
			sofs++
			if !info.readSOF(marker, payload) {
				return digest{}, info, false
			}
			sum(h, []byte{marker}, payload)
		case marker == 0xC4 || marker == 0xDB || marker == 0xDD: // DHT, DQT, DRI
			sum(h, []byte{marker}, payload)
		case marker == jpegSOS:
			sum(h, []byte{marker}, payload)
			scan, next, ok := copyScan(nil, data, i)
			if !ok {
				return digest{}, info, false
			}
			sum(h, scan)
			i = next
		case marker == jpegAPP0 && len(payload) >= 5:
			info.jfif = bytes.HasPrefix(payload, jfifHeader)
		case marker == jpegAPPE && len(payload) >= adobeKept:
			if bytes.HasPrefix(payload, adobeHeader) {
				info.adobe, info.adobeTransform = true, payload[11]
			}
		case marker >= 0xE0 && marker <= 0xEF, marker == 0xFE:
			// Application data and comments: nothing a decoder draws.
		default:
			return digest{}, info, false // a marker image/jpeg refuses
		}
	}
}

// readSOF reads a baseline, extended or progressive frame header.
func (j *jpegInfo) readSOF(marker byte, p []byte) bool {
	if len(p) < 6 {
		return false
	}
	j.progressive = marker == 0xC2
	j.height = int(binary.BigEndian.Uint16(p[1:]))
	j.width = int(binary.BigEndian.Uint16(p[3:]))
	n := int(p[5])
	if n == 0 || n > 4 || len(p) < 6+3*n {
		return false
	}
	j.comps = j.comps[:0]
	for k := range n {
		c := p[6+3*k:]
		h, v := c[1]>>4, c[1]&0x0F
		if h < 1 || h > 4 || v < 1 || v > 4 {
			return false
		}
		j.comps = append(j.comps, jpegComp{id: c[0], h: h, v: v})
	}
	return true
}

// pngPixelChunks are the chunks whose content decides the pixels of a PNG, its animation
// frames included.
var pngPixelChunks = map[string]bool{"IHDR": true, "PLTE": true, "tRNS": true, "IDAT": true,
	"acTL": true, "fcTL": true, "fdAT": true}

// pngDigest digests the pixel chunks of a PNG in order, up to IEND.
func pngDigest(data []byte) (digest, bool) {
	if !bytes.HasPrefix(data, pngSignature) {
		return digest{}, false
	}
	h := sha256.New()
	for i := len(pngSignature); i+12 <= len(data); {
		n := int64(binary.BigEndian.Uint32(data[i:]))
		end := int64(i) + 12 + n
		if end > int64(len(data)) {
			return digest{}, false
		}
		typ := data[i+4 : i+8]
		if pngPixelChunks[string(typ)] {
			sum(h, typ, data[i+8:end-4])
		}
		if string(typ) == "IEND" {
			var d digest
			copy(d[:], h.Sum(nil))
			return d, true
		}
		i = int(end)
	}
	return digest{}, false
}

// pngInterlaced reports whether a PNG's IHDR (checked by DecodeConfig) says Adam7.
func pngInterlaced(data []byte) bool { return len(data) > 28 && data[28] == 1 }

// webpPixelChunks are the chunks whose content decides the pixels of a WebP.
var webpPixelChunks = map[string]bool{"VP8 ": true, "VP8L": true, "ALPH": true, "ANIM": true, "ANMF": true}

// webpDigest digests the image chunks of a WebP and its VP8X header without the flags that
// announce metadata.
func webpDigest(data []byte) (digest, bool) {
	if len(data) < 12 || string(data[:4]) != "RIFF" || string(data[8:12]) != "WEBP" {
		return digest{}, false
	}
	size := int64(binary.LittleEndian.Uint32(data[4:])) + 8
	if size > int64(len(data)) || size < 12 {
		return digest{}, false
	}
	data = data[:size]
	h := sha256.New()
	for i := 12; i < len(data); {
		if i+8 > len(data) {
			return digest{}, false
		}
		n := int64(binary.LittleEndian.Uint32(data[i+4:]))
		end := int64(i) + 8 + n
		if end > int64(len(data)) {
			return digest{}, false
		}
		typ, payload := data[i:i+4], data[i+8:end]
		switch {
		case string(typ) == "VP8X" && n >= 1:
			flags := []byte{payload[0] &^ (webpFlagEXIF | webpFlagXMP)}
			sum(h, typ, flags, payload[1:])
		case webpPixelChunks[string(typ)]:
			sum(h, typ, payload)
		}
		i = int(min(end+n%2, int64(len(data))))
	}
	var d digest
	copy(d[:], h.Sum(nil))
	return d, true
}
