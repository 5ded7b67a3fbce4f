package media

import (
	"fmt"
	"image"
	"image/color"
)

// What processing an image costs in memory is known from its header, before any pixel is
// decoded: the decoder's output type sets the bytes per pixel, and the sizes of the variants
// set what resizing takes. The estimates below follow what the decoders and this package
// allocate (TestCostCoversAllocations holds them to it), so the gate (gate.go) can refuse or
// queue an image before it takes the memory.

// costSlack covers the decoders' and encoders' fixed buffers: compression windows, Huffman
// tables, row buffers, file writers.
const costSlack = 2 << 20

// decodeCost is the memory decoding data (whose header is cfg) takes, and a few words on what
// makes it large for the message of a refusal ("" when only its size does).
func decodeCost(mime string, data []byte, cfg image.Config) (int64, string) {
	w, h := int64(cfg.Width), int64(cfg.Height)
	switch mime {
	case "image/jpeg":
		if _, info, ok := jpegDigest(data); ok && info.width == cfg.Width && info.height == cfg.Height {
			return jpegCost(&info), jpegDetail(&info)
		}
		// A structure the digest cannot follow is re-encoded after decoding; assume the
		// dearest decode: progressive, full-resolution colour, converted to RGBA.
		return w*h*(3+12+4) + costSlack, "stored as a progressive JPEG"
	case "image/png":
		bpp, detail := bytesPerPixel(cfg.ColorModel)
		n := w * h * bpp
		if pngInterlaced(data) {
			n *= 2 // each pass is decoded apart and then merged into the whole
			detail = joinDetail(detail, "interlaced")
		}
		return n + 2*(8*w+1) + costSlack, detail
	case "image/gif":
		return w*h + costSlack, "" // the first frame only
	case "image/webp":
		switch cfg.ColorModel {
		case color.YCbCrModel:
			return w*h*2 + costSlack, ""
		case color.NYCbCrAModel:
			// The alpha plane is stored losslessly and decoded as a whole RGBA image first.
			return w*h*(2+1+8) + costSlack, ""
		}
		return w*h*8 + costSlack, "" // lossless: four bytes a pixel, and as many for transforms
	}
	return w*h*8 + costSlack, ""
}

// bytesPerPixel is the size of one pixel of an image in model, and words for a deep one.
func bytesPerPixel(m color.Model) (int64, string) {
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1, ""
	case color.Gray16Model, color.Alpha16Model:
		return 2, "16 bits per pixel"
	case color.RGBAModel, color.NRGBAModel, color.CMYKModel:
		return 4, ""
	case color.RGBA64Model, color.NRGBA64Model:
		return 8, "16 bits per colour"
	}
	if _, ok := m.(color.Palette); ok {
		return 1, ""
	}
	return 8, ""
}

// jpegCost follows image/jpeg: a plane of samples for each component, in whole blocks counted
// in the first component's units; for a progressive image every coefficient (4 bytes a
// sample) kept until the last scan; and a conversion to RGBA or CMYK for RGB and four-colour
// images.
func jpegCost(j *jpegInfo) int64 {
	h0, v0 := int64(j.comps[0].h), int64(j.comps[0].v)
	if len(j.comps) == 1 {
		h0, v0 = 1, 1 // a grey image is read in 8×8 blocks whatever its factors say
	}
	mcusX := (int64(j.width) + 8*h0 - 1) / (8 * h0)
	mcusY := (int64(j.height) + 8*v0 - 1) / (8 * v0)
	var n int64
	for _, c := range j.comps {
		samples := mcusX * mcusY * 64 * int64(c.h) * int64(c.v)
		if len(j.comps) == 1 {
			samples = mcusX * mcusY * 64
		}
		n += samples
		if j.progressive {
			n += 4 * samples
		}
	}
	if len(j.comps) == 4 || (len(j.comps) == 3 && j.isRGB()) {
		n += 4 * int64(j.width) * int64(j.height)
	}
	return n + costSlack
}

func jpegDetail(j *jpegInfo) string {
	if j.progressive {
		return "stored as a progressive JPEG"
	}
	return ""
}

func joinDetail(a, b string) string {
	if a == "" {
		return b
	}
	return a + ", " + b
}

// resizeCost is the memory making the variants of a w×h image takes, the larger of its two
// orientations (which is known only once the metadata is read). Each variant holds its
// block-averaged source, the strip that averages it, the filter's rows, the result and, for
// a turned image, the result turned; they are summed, as the collector may keep them all
// until the image is done.
func resizeCost(w, h int) int64 {
	return max(variantsCost(w, h, false), variantsCost(w, h, true))
}

func variantsCost(w, h int, turned bool) int64 {
	shownW, shownH := w, h
	if turned {
		shownW, shownH = h, w
	}
	var n int64
	for _, vw := range VariantWidths {
		if vw >= shownW {
			continue
		}
		vh := max(1, (shownH*vw+shownW/2)/shownW)
		dw, dh := vw, vh
		if turned {
			dw, dh = vh, vw
		}
		sw, sh := int64(w), int64(h)
		if k := min(w/dw, h/dh); k >= 2 {
			sw, sh = int64(w/k), int64(h/k)
			n += sw*sh*4 + int64(w)*int64(k)*4 + 16*sw // result, strip, sums
		}
		out := int64(dw) * int64(dh) * 4
		n += out + 4*sw + 16*int64(dw)*(4*(sh/int64(dh)+1)+2) // result, a source row, the filter's rows
		if turned {
			n += out
		}
		n += 4 * (int64(dw)*(4*sw/int64(dw)+5) + int64(dh)*(4*sh/int64(dh)+5)) // weights
		n += costSlack
	}
	return n
}

// msgTooCostly explains a refusal for memory in words that say what to do.
func msgTooCostly(cfg image.Config, cost, budget int64, detail string) string {
	what := fmt.Sprintf("%d × %d pixels", cfg.Width, cfg.Height)
	if detail != "" {
		what += ", " + detail
	}
	return fmt.Sprintf("The image is too large to process: at %s it needs about %s of memory, and the limit is %s. "+
		"Save it with fewer pixels (2,000 pixels wide is plenty for the web) or 8 bits per colour.",
		what, formatSize(cost), formatSize(budget))
}
