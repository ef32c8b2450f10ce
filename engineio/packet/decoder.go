package packet

import (
	"bytes"
	"io"
)

// PayloadFormat selects the polling payload framing a PayloadDecoder reads.
type PayloadFormat uint8

// The polling payload framings.
const (
	// PayloadV4 is the v4 form: packets joined by 0x1E, binary as "b"+base64.
	PayloadV4 PayloadFormat = iota
	// PayloadV3 is the v3 text form: "<utf16 length>:<packet>" repeated.
	PayloadV3
	// PayloadV3Binary is the v3 XHR2 form sent with Content-Type
	// application/octet-stream: marker byte, length digits, 0xFF, packet.
	PayloadV3Binary
)

// PayloadDecoder iterates the packets of one polling payload without
// allocating. It is the pull-style counterpart of DecodePayload,
// DecodePayloadV3 and DecodeBinaryPayloadV3, useful when the caller wants
// to stop early or keep the scratch buffer in its session state.
//
// The zero value is ready for Reset. A decoder must be used by one
// goroutine at a time.
type PayloadDecoder struct {
	// Scratch receives base64-decoded data. It is grown on demand and kept
	// across Reset calls, so a long-lived decoder stops allocating once it
	// has seen its largest binary packet.
	Scratch []byte

	rest   []byte
	format PayloadFormat
	first  bool  // no packet returned yet: an empty input is ErrEmpty
	done   bool  // v4: the last piece has been split off
	err    error // sticky error
}

// Reset starts decoding payload, a whole HTTP body, in format f. The
// decoder keeps a reference to payload until the next Reset.
func (d *PayloadDecoder) Reset(payload []byte, f PayloadFormat) {
	d.rest, d.format = payload, f
	d.first, d.done, d.err = true, false, nil
}

// Next returns the next packet, io.EOF after the last one, or the error
// that stopped decoding (returned again by every later call). Packet.Data
// aliases the payload or Scratch and is valid until the next call to Next
// or Reset.
func (d *PayloadDecoder) Next() (Packet, error) {
	if d.err != nil {
		return Packet{}, d.err
	}
	var p Packet
	var err error
	switch d.format {
	case PayloadV3:
		p, err = d.nextV3()
	case PayloadV3Binary:
		p, err = d.nextV3Binary()
	default:
		p, err = d.nextV4()
	}
	d.first = false
	if err != nil {
		d.err = err
	}
	return p, err
}

// nextV4 splits off the next 0x1E-separated piece.
func (d *PayloadDecoder) nextV4() (Packet, error) {
	if d.done {
		return Packet{}, io.EOF
	}
	piece := d.rest
	if i := bytes.IndexByte(piece, Separator); i >= 0 {
		piece, d.rest = piece[:i], piece[i+1:]
	} else {
		d.rest, d.done = nil, true
	}
	return d.decodePieceV4(piece)
}

// each drives Next and hands every packet to fn.
func (d *PayloadDecoder) each(fn func(Packet) error) ([]byte, error) {
	for {
		p, err := d.Next()
		if err == io.EOF {
			return d.Scratch[:0], nil
		}
		if err != nil {
			return d.Scratch[:0], err
		}
		if err := fn(p); err != nil {
			return d.Scratch[:0], err
		}
	}
}

// parseLength reads a decimal length from b up to the terminator byte term.
// digitBase is '0' for ASCII digits (text form) or 0 for the XHR2 form's raw
// digit bytes. The value is bounded by limit (the bytes left after the
// terminator could never hold more), so a long or huge prefix fails early
// instead of overflowing. It returns the length and the bytes consumed
// including the terminator.
func parseLength(b []byte, term, digitBase byte, limit int) (n, used int, err error) {
	for i, c := range b {
		if c == term {
			if i == 0 {
				return 0, 0, ErrBadLength
			}
			return n, i + 1, nil
		}
		c -= digitBase
		if c > 9 {
			return 0, 0, ErrBadLength
		}
		n = n*10 + int(c)
		if n > limit {
			return 0, 0, ErrBadLength
		}
	}
	return 0, 0, ErrBadLength
}
