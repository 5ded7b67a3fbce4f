package media

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// Limits on an animated GIF. Only its first frame is decoded here, but browsers decode them
// all: these keep a small file from making every reader's browser do a great deal of work.
const (
	MaxGIFFrames      = 1000
	MaxGIFFramePixels = 150_000_000 // all frames' areas added up
)

// GIF block introducers and extension labels.
const (
	gifExtension  = 0x21
	gifImage      = 0x2C
	gifTrailer    = 0x3B
	gifControl    = 0xF9 // graphic control: delay, disposal, transparent colour
	gifLabelAppl  = 0xFF
	gifHeaderSize = 6 + 7 // "GIF89a" and the logical screen descriptor
)

// gifLoopBlocks are the application extensions that hold an animation's loop count, whose
// exact shape is 11 bytes of name, then one sub-block of 3 bytes: 1 and a 16-bit count.
var gifLoopBlocks = [][]byte{[]byte("NETSCAPE2.0"), []byte("ANIMEXTS1.0")}

// gifInfo is what walking a GIF found.
type gifInfo struct {
	frames int
	pixels int64 // the frames' areas added up
}

// cleanGIF returns data with only what draws the picture and animates it: the header and
// colour tables, graphic control extensions, the frames, and one loop-count block of its exact
// shape. Comments, other application extensions (XMP is one), plain-text extensions, unknown
// extensions and everything after the trailer go. A file that ends after a whole frame
// without its trailer gets one. It reports false for a structure it cannot follow.
func cleanGIF(data []byte) ([]byte, gifInfo, bool) {
	var info gifInfo
	if len(data) < gifHeaderSize || (!bytes.HasPrefix(data, []byte("GIF87a")) && !bytes.HasPrefix(data, []byte("GIF89a"))) {
		return nil, info, false
	}
	i := gifHeaderSize
	if flags := data[10]; flags&0x80 != 0 {
		i += 3 << (flags&7 + 1)
	}
	if i > len(data) {
		return nil, info, false
	}
	out := make([]byte, 0, len(data))
	out = append(out, data[:i]...)
	looped := false
	for {
		if i >= len(data) {
			return append(out, gifTrailer), info, true // ends after a whole block: add the trailer
		}
		switch data[i] {
		case gifTrailer:
			return append(out, gifTrailer), info, true
		case gifImage:
			start := i
			if i+10 > len(data) {
				return nil, info, false
			}
			w := int64(binary.LittleEndian.Uint16(data[i+5:]))
			h := int64(binary.LittleEndian.Uint16(data[i+7:]))
			flags := data[i+9]
			i += 10
			if flags&0x80 != 0 {
				i += 3 << (flags&7 + 1)
			}
			i++ // LZW minimum code size
			end, ok := gifSubBlocksEnd(data, i)
			if !ok {
				return nil, info, false
			}
			info.frames++
			info.pixels += w * h
			out = append(out, data[start:end]...)
			i = end
		case gifExtension:
			if i+2 > len(data) {
				return nil, info, false
			}
			label := data[i+1]
			end, ok := gifSubBlocksEnd(data, i+2)
			if !ok {
				return nil, info, false
			}
			block := data[i:end]
			switch {
			case label == gifControl && len(block) == 8 && block[2] == 4:
				out = append(out, block...)
			case label == gifLabelAppl && !looped && isGIFLoop(block):
				looped = true
				out = append(out, block...)
			}
			i = end
		default:
			return nil, info, false
		}
	}
}

// gifSubBlocksEnd returns the index after the sub-blocks starting at i and their terminator.
func gifSubBlocksEnd(data []byte, i int) (int, bool) {
	for {
		if i >= len(data) {
			return 0, false
		}
		n := int(data[i])
		i++
		if n == 0 {
			return i, true
		}
		i += n
	}
}

// isGIFLoop reports whether an application extension is exactly a loop-count block, which
// has room for nothing else.
func isGIFLoop(b []byte) bool {
	if len(b) != 19 || b[2] != 11 || b[14] != 3 || b[15] != 1 || b[18] != 0 {
		return false
	}
	for _, name := range gifLoopBlocks {
		if bytes.Equal(b[3:14], name) {
			return true
		}
	}
	return false
}

// checkGIF refuses an animation with more frames, or more pixels in all, than browsers
// should be made to decode.
func checkGIF(info gifInfo) string {
	if info.frames > MaxGIFFrames {
		return fmt.Sprintf("The animation has %d frames; the limit is %d", info.frames, MaxGIFFrames)
	}
	if info.pixels > MaxGIFFramePixels {
		return fmt.Sprintf("The animation's frames add up to %d megapixels; the limit is %d megapixels",
			info.pixels/1_000_000, MaxGIFFramePixels/1_000_000)
	}
	return ""
}
