package packet

import (
	"io"
	"strconv"
)

// Marker bytes of the v3 XHR2 binary payload form.
const (
	markerText   byte = 0x00
	markerBinary byte = 0x01
	lengthEnd    byte = 0xFF
)

// AppendBinaryPayloadV3 appends p to a v3 XHR2 binary-form payload (sent
// with Content-Type application/octet-stream): 0x00 for a text packet or
// 0x01 for a binary one, the packet length in bytes written as one byte per
// decimal digit (values 0-9), 0xFF, then the packet: the type digit + UTF-8
// text, or the raw type byte + data. "4hello" → 00 06 ff 34 68 65 6c 6c 6f;
// binary message 01 02 03 04 → 01 05 ff 04 01 02 03 04.
// Safe from any goroutine.
func AppendBinaryPayloadV3(dst []byte, p Packet) []byte {
	marker, typ := markerText, p.Type.digit()
	if p.Binary {
		marker, typ = markerBinary, byte(p.Type)
	}
	dst = append(dst, marker)
	start := len(dst)
	dst = strconv.AppendInt(dst, int64(1+len(p.Data)), 10)
	for i := start; i < len(dst); i++ {
		dst[i] -= '0' // digits as raw byte values
	}
	dst = append(dst, lengthEnd, typ)
	return append(dst, p.Data...)
}

// DecodeBinaryPayloadV3 decodes a v3 XHR2 binary-form payload (a whole
// HTTP body), calling fn for each packet in order. Text packets may be
// "b<digit><base64>" as in Node; their data is decoded into scratch, which
// works as in DecodePayload. Errors: ErrEmpty (empty body or a zero length),
// ErrBadFormat (marker not 0x00/0x01), ErrBadLength (digit byte above 9, no
// 0xFF, length beyond the input), ErrBadType, ErrBadBase64.
// Safe from any goroutine.
func DecodeBinaryPayloadV3(b []byte, scratch []byte, fn func(Packet) error) ([]byte, error) {
	var d PayloadDecoder
	d.Scratch = scratch
	d.Reset(b, PayloadV3Binary)
	return d.each(fn)
}

// nextV3Binary reads the next marker/length/packet record.
func (d *PayloadDecoder) nextV3Binary() (Packet, error) {
	if len(d.rest) == 0 {
		if d.first {
			return Packet{}, ErrEmpty
		}
		return Packet{}, io.EOF
	}
	marker := d.rest[0]
	if marker != markerText && marker != markerBinary {
		return Packet{}, ErrBadFormat
	}
	rest := d.rest[1:]
	n, used, err := parseLength(rest, lengthEnd, 0, len(rest))
	if err != nil {
		return Packet{}, err
	}
	body := rest[used:]
	if n > len(body) {
		return Packet{}, ErrBadLength
	}
	if n == 0 {
		return Packet{}, ErrEmpty
	}
	s := body[:n]
	d.rest = body[n:]
	if marker == markerText {
		return d.decodeStringV3(s)
	}
	return DecodeBinary(s, true)
}
