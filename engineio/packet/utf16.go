package packet

import "encoding/binary"

// The v3 text payload counts lengths in UTF-16 code units, the unit of
// JavaScript's String.length, while our bytes are UTF-8. A JavaScript peer
// sees our bytes after a UTF-8 decode that replaces every invalid sequence
// with U+FFFD following the WHATWG Encoding Standard ("maximal subpart":
// one U+FFFD per truncated or broken sequence, one per stray byte). The
// counting here reproduces that decoder exactly, so lengths stay correct
// even for invalid UTF-8: each replacement counts as one unit and the bytes
// themselves are passed through unchanged. (Go's utf8 package instead
// reports one error per byte, which would differ for "\xE2\x82A".)

// seqUnits returns how many UTF-16 units the UTF-8 sequence starting at
// b[0] (a non-ASCII byte) decodes to, and how many bytes it spans.
func seqUnits(b []byte) (units, size int) {
	var need int
	lo, hi := byte(0x80), byte(0xBF) // allowed range of the second byte
	switch c := b[0]; {
	case c >= 0xC2 && c <= 0xDF:
		need = 1
	case c == 0xE0:
		need, lo = 2, 0xA0
	case c == 0xED:
		need, hi = 2, 0x9F // excludes UTF-16 surrogates
	case c >= 0xE1 && c <= 0xEF:
		need = 2
	case c == 0xF0:
		need, lo = 3, 0x90
	case c == 0xF4:
		need, hi = 3, 0x8F // excludes code points above U+10FFFF
	case c >= 0xF1 && c <= 0xF3:
		need = 3
	default: // continuation byte, C0, C1 or F5-FF: one U+FFFD
		return 1, 1
	}
	for i := 1; i <= need; i++ {
		if i >= len(b) || b[i] < lo || b[i] > hi {
			return 1, i // truncated: U+FFFD for the maximal subpart
		}
		lo, hi = 0x80, 0xBF
	}
	if need == 3 {
		return 2, 4 // outside the BMP: a surrogate pair
	}
	return 1, need + 1
}

// asciiLen returns the length of the leading ASCII run of b, eight bytes
// at a time: JSON payloads are mostly ASCII.
func asciiLen(b []byte) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		if binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 != 0 {
			break
		}
	}
	for i < len(b) && b[i] < 0x80 {
		i++
	}
	return i
}

// utf16Len returns the JavaScript String.length of b decoded as UTF-8.
func utf16Len(b []byte) int {
	n := 0
	for i := 0; i < len(b); {
		a := asciiLen(b[i:])
		n += a
		i += a
		if i == len(b) {
			break
		}
		u, size := seqUnits(b[i:])
		n += u
		i += size
	}
	return n
}

// utf16Prefix returns how many bytes of b make up exactly n UTF-16 units,
// or -1 when b is too short or unit n falls inside a surrogate pair.
func utf16Prefix(b []byte, n int) int {
	units, i := 0, 0
	for units < n {
		// An ASCII run counts one unit per byte; never run past unit n.
		a := asciiLen(b[i:min(len(b), i+n-units)])
		units += a
		i += a
		if units == n {
			break
		}
		if i >= len(b) {
			return -1
		}
		if b[i] < 0x80 { // ASCII stopped only by the unit bound: impossible here
			units++
			i++
			continue
		}
		u, size := seqUnits(b[i:])
		units += u
		i += size
	}
	if units != n {
		return -1
	}
	return i
}
