package wsframe

import (
	"encoding/binary"

	"github.com/gobwas/ws"
)

// MaxHeaderLen is the largest frame header (64-bit length plus mask). An
// encoder that reserves this many bytes before its payload can always call
// PutHeaderBefore. Unmasked server headers need at most 10 of them.
const MaxHeaderLen = ws.MaxHeaderSize

// ParseHeader decodes the frame header at the start of buf. It returns the
// header and its length n in bytes. It returns ErrShort when buf does not yet
// hold the whole header, and ErrLengthMSB when a 64-bit length has its top
// bit set. It does not check the header against the protocol state (see
// Reader) and never allocates. Like ws.ReadHeader it accepts lengths that
// are not minimally encoded. Safe from any goroutine.
func ParseHeader(buf []byte) (h ws.Header, n int, err error) {
	if len(buf) < ws.MinHeaderSize {
		return h, 0, ErrShort
	}
	b0, b1 := buf[0], buf[1]
	n = 2
	l7 := b1 & 0x7f
	switch l7 {
	case 126:
		n += 2
	case 127:
		n += 8
	}
	masked := b1&0x80 != 0
	if masked {
		n += 4
	}
	if len(buf) < n {
		return h, 0, ErrShort
	}
	switch l7 {
	case 126:
		h.Length = int64(binary.BigEndian.Uint16(buf[2:4]))
	case 127:
		if buf[2]&0x80 != 0 {
			return ws.Header{}, 0, ErrLengthMSB
		}
		h.Length = int64(binary.BigEndian.Uint64(buf[2:10]))
	default:
		h.Length = int64(l7)
	}
	h.Fin = b0&0x80 != 0
	h.Rsv = (b0 & 0x70) >> 4
	h.OpCode = ws.OpCode(b0 & 0x0f)
	if masked {
		h.Masked = true
		copy(h.Mask[:], buf[n-4:n])
	}
	return h, n, nil
}

// HeaderLen returns the length of an unmasked (server) frame header for a
// payload of payloadLen bytes: 2, 4 or 10. Safe from any goroutine.
func HeaderLen(payloadLen int) int {
	switch {
	case payloadLen <= 125:
		return 2
	case payloadLen <= 0xffff:
		return 4
	default:
		return 10
	}
}

// AppendHeader appends an unmasked frame header (RSV bits zero) for a payload
// of length bytes. The length is minimally encoded, byte-for-byte what
// ws.WriteHeader produces. It panics if length is negative, which is a bug in
// the caller, never peer input. Safe from any goroutine.
func AppendHeader(dst []byte, op ws.OpCode, fin bool, length int) []byte {
	b0 := byte(op) & 0x0f
	if fin {
		b0 |= 0x80
	}
	switch {
	case length < 0:
		panic("wsframe: negative payload length")
	case length <= 125:
		return append(dst, b0, byte(length))
	case length <= 0xffff:
		return append(dst, b0, 126, byte(length>>8), byte(length))
	default:
		return binary.BigEndian.AppendUint64(append(dst, b0, 127), uint64(length))
	}
}

// PutHeaderBefore writes the header of a single (FIN) unmasked frame whose
// payload is buf[payloadStart:] into the bytes right before payloadStart, and
// returns the offset where the frame starts: buf[start:] is the whole frame.
// This lets an encoder reserve MaxHeaderLen bytes, write the payload straight
// into the frame buffer and add the header afterwards, with no copy.
// It returns -1, writing nothing, if payloadStart leaves too little room
// (reserving MaxHeaderLen bytes always suffices). Safe from any goroutine.
func PutHeaderBefore(buf []byte, payloadStart int, op ws.OpCode) (start int) {
	if payloadStart < 0 || payloadStart > len(buf) {
		return -1
	}
	n := len(buf) - payloadStart
	start = payloadStart - HeaderLen(n)
	if start < 0 {
		return -1
	}
	// Appending to a zero-length slice at start writes in place: the
	// capacity after start covers the header, so append cannot reallocate.
	AppendHeader(buf[start:start:payloadStart], op, true, n)
	return start
}
