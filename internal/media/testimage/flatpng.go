// Package testimage makes large test images without the time and memory of encoding them:
// the images that bound what decoding may cost are hundreds of megabytes once decoded.
package testimage

import (
	"encoding/binary"
	"hash/crc32"
)

// FlatPNG is a w×h opaque white RGBA PNG of depth 8 or 16 bits a channel. Its compressed
// stream is written directly, one row's codes repeated, so making it takes milliseconds
// however large the image: at 6324×6324 and 16 bits it is 2 MB that decode to 320 MB (zlib's
// own, with codes fitted to the data, would be 311 KB).
func FlatPNG(w, h, depth int) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, byte(depth), 6, 0, 0, 0) // RGBA, deflate, no filter, not interlaced
	rowLen := 1 + 4*w*depth/8                    // a filter byte (none) and 0xFF for every sample

	var bw bitWriter
	bw.bits(1, 1) // the last block
	bw.bits(1, 2) // fixed codes
	for range h {
		bw.literal(0x00)
		bw.literal(0xFF)
		for n := rowLen - 2; n > 0; { // copies of the byte before: distance 1
			l := min(n, 258)
			if l < 3 {
				bw.literal(0xFF)
				n--
				continue
			}
			bw.length(l)
			bw.code(0, 5) // distance code 0: distance 1
			n -= l
		}
	}
	bw.code(0, 7) // end of block
	z := append([]byte{0x78, 0x01}, bw.flush()...)
	row := adler32Of(rowLen)
	sum := uint32(1)
	for range h {
		sum = adler32Combine(sum, row, int64(rowLen))
	}
	z = binary.BigEndian.AppendUint32(z, sum)

	out := []byte("\x89PNG\r\n\x1a\n")
	out = append(out, chunk("IHDR", ihdr)...)
	out = append(out, chunk("IDAT", z)...)
	return append(out, chunk("IEND", nil)...)
}

func chunk(typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(append(c, typ...), data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// bitWriter writes a deflate stream: values least significant bit first, Huffman codes most
// significant bit first.
type bitWriter struct {
	out   []byte
	acc   uint64
	nbits uint
}

func (b *bitWriter) bits(v uint64, n uint) {
	b.acc |= v << b.nbits
	b.nbits += n
	for b.nbits >= 8 {
		b.out = append(b.out, byte(b.acc))
		b.acc >>= 8
		b.nbits -= 8
	}
}

// code writes an n-bit Huffman code.
func (b *bitWriter) code(c uint64, n uint) {
	var r uint64
	for i := range n {
		r |= (c >> i & 1) << (n - 1 - i)
	}
	b.bits(r, n)
}

// literal writes byte v with the fixed literal codes.
func (b *bitWriter) literal(v int) {
	if v < 144 {
		b.code(uint64(0x30+v), 8)
	} else {
		b.code(uint64(0x190+v-144), 9)
	}
}

// Match lengths 3…258 as symbols 257…285: each symbol's first length and extra bits.
var (
	lengthBase  = []int{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = []uint{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
)

// length writes a match length of 3 to 258 with the fixed codes.
func (b *bitWriter) length(l int) {
	i := len(lengthBase) - 1
	for lengthBase[i] > l {
		i--
	}
	if sym := 257 + i; sym < 280 {
		b.code(uint64(sym-256), 7)
	} else {
		b.code(uint64(0xC0+sym-280), 8)
	}
	b.bits(uint64(l-lengthBase[i]), lengthExtra[i])
}

func (b *bitWriter) flush() []byte {
	if b.nbits > 0 {
		b.out = append(b.out, byte(b.acc))
	}
	return b.out
}

const adlerMod = 65521

// adler32Of is the Adler-32 of a row: a zero byte and n-1 bytes of 0xFF.
func adler32Of(n int) uint32 {
	a, s := uint32(1), uint32(1) // after the zero byte
	for range n - 1 {
		a = (a + 0xFF) % adlerMod
		s = (s + a) % adlerMod
	}
	return s<<16 | a
}

// adler32Combine is the Adler-32 of two blocks from theirs and the second's length (zlib's
// adler32_combine).
func adler32Combine(a1, a2 uint32, len2 int64) uint32 {
	rem := uint32(len2 % adlerMod)
	sum1 := a1 & 0xFFFF
	sum2 := rem * sum1 % adlerMod
	sum1 += (a2 & 0xFFFF) + adlerMod - 1
	sum2 += (a1 >> 16) + (a2 >> 16) + adlerMod - rem
	if sum1 >= adlerMod {
		sum1 -= adlerMod
	}
	if sum1 >= adlerMod {
		sum1 -= adlerMod
	}
	if sum2 >= adlerMod<<1 {
		sum2 -= adlerMod << 1
	}
	if sum2 >= adlerMod {
		sum2 -= adlerMod
	}
	return sum1 | sum2<<16
}
