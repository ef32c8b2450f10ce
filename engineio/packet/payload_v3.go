package packet

import (
	"io"
	"strconv"
)

// AppendPayloadV3 appends p to a v3 text-form payload: "<len>:<packet>",
// where len is the JavaScript String.length (UTF-16 code units) of the
// packet string. Text packets are the type digit + data ("6:4hello");
// binary packets are "b" + type digit + standard base64 ("10:b4AQIDBA==").
//
// The text form can carry binary only as base64, which is what clients
// connecting with b64=1 expect. For clients without b64, a response that
// contains binary must use the XHR2 form (AppendBinaryPayloadV3) for the
// whole payload instead. Packets are simply concatenated, so dst may hold
// anything before. An empty v3 payload is written as "0:" by the caller.
// Safe from any goroutine.
func AppendPayloadV3(dst []byte, p Packet) []byte {
	if p.Binary {
		dst = strconv.AppendInt(dst, int64(2+base64Len(len(p.Data))), 10)
		dst = append(dst, ':', 'b', p.Type.digit())
		return appendBase64(dst, p.Data)
	}
	dst = strconv.AppendInt(dst, int64(1+utf16Len(p.Data)), 10)
	dst = append(dst, ':', p.Type.digit())
	return append(dst, p.Data...)
}

// DecodePayloadV3 decodes a v3 text-form payload (a whole HTTP body),
// calling fn for each packet in order; scratch works as in DecodePayload.
//
// Lengths are UTF-16 units: a character outside the BMP (emoji) counts 2, a
// length ending between its two units is ErrBadLength. Invalid UTF-8 counts
// one unit per WHATWG replacement character (see utf16.go) and its bytes
// are passed through unchanged. Zero-length packets ("0:", the empty
// payload) are skipped, as in Node. "b<digit><base64>" packets decode to
// Binary packets of that type. Errors: ErrEmpty (empty body), ErrBadLength,
// ErrBadType, ErrBadBase64. Safe from any goroutine.
func DecodePayloadV3(b []byte, scratch []byte, fn func(Packet) error) ([]byte, error) {
	var d PayloadDecoder
	d.Scratch = scratch
	d.Reset(b, PayloadV3)
	return d.each(fn)
}

// nextV3 reads the next "<len>:<packet>" of a text-form payload.
func (d *PayloadDecoder) nextV3() (Packet, error) {
	for {
		if len(d.rest) == 0 {
			if d.first {
				return Packet{}, ErrEmpty
			}
			return Packet{}, io.EOF
		}
		// Units never exceed bytes, so len(d.rest) bounds any honest length.
		n, used, err := parseLength(d.rest, ':', '0', len(d.rest))
		if err != nil {
			return Packet{}, err
		}
		body := d.rest[used:]
		end := utf16Prefix(body, n)
		if end < 0 {
			return Packet{}, ErrBadLength
		}
		d.rest = body[end:]
		if end == 0 {
			d.first = false
			continue // Node skips empty packets
		}
		return d.decodeStringV3(body[:end])
	}
}

// decodeStringV3 decodes one non-empty v3 packet string: "<digit><data>" or
// "b<digit><base64>".
func (d *PayloadDecoder) decodeStringV3(s []byte) (Packet, error) {
	if s[0] != 'b' {
		return DecodeText(s)
	}
	if len(s) < 2 {
		return Packet{}, ErrBadType
	}
	t := Type(s[1] - '0')
	if t > maxType {
		return Packet{}, ErrBadType
	}
	data, scratch, err := decodeBase64(d.Scratch, s[2:])
	d.Scratch = scratch
	if err != nil {
		return Packet{}, err
	}
	return Packet{Type: t, Data: data, Binary: true}, nil
}
