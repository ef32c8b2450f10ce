package wsframe

import (
	"bytes"
	"fmt"

	"github.com/gobwas/ws"
)

var testMask = [4]byte{0x37, 0xfa, 0x21, 0x3d}

// cf builds a masked client frame.
func cf(op ws.OpCode, fin bool, payload string) []byte {
	return AppendClientFrame(nil, op, fin, testMask, []byte(payload))
}

// closeBody builds a close payload with a raw code.
func closeBody(code uint16, reason string) string {
	return string([]byte{byte(code >> 8), byte(code)}) + reason
}

func cat(frames ...[]byte) []byte { return bytes.Join(frames, nil) }

// got is a copied Message (or final error) for comparisons.
type got struct {
	Kind   Kind
	Data   string
	Code   ws.StatusCode
	Reason string
	Comp   bool // Message.Compressed
	Err    error
}

func (g got) String() string {
	if g.Err != nil {
		return "err(" + g.Err.Error() + ")"
	}
	return fmt.Sprintf("%s(%q code=%d reason=%q)", g.Kind, g.Data, g.Code, g.Reason)
}

func copyMsg(m Message) got {
	return got{Kind: m.Kind, Data: string(m.Payload), Code: m.CloseCode, Reason: string(m.CloseReason), Comp: m.Compressed}
}

// decodeWhole runs Next over stream (copied first, since Next unmasks in
// place) until it needs more bytes or fails. KindNone results are skipped.
// The second result is the number of bytes left undecoded.
func decodeWhole(r *Reader, stream []byte) ([]got, int) {
	buf := append([]byte(nil), stream...)
	var out []got
	for {
		m, n, err := r.Next(buf)
		if err != nil {
			return append(out, got{Err: err}), len(buf)
		}
		if n == 0 {
			return out, len(buf)
		}
		if m.Kind != KindNone {
			out = append(out, copyMsg(m))
		}
		buf = buf[n:]
	}
}

// decodeSplit feeds stream in chunks of the given sizes (cycled, 0 treated
// as 1) the way gnet does: bytes accumulate in a connection buffer, Next is
// called on all of them, consumed bytes are discarded.
func decodeSplit(r *Reader, stream []byte, sizes []int) ([]got, int) {
	var pending []byte
	var out []got
	for i := 0; len(stream) > 0; i++ {
		sz := 1
		if len(sizes) > 0 {
			sz = max(sizes[i%len(sizes)], 1)
		}
		sz = min(sz, len(stream))
		pending = append(pending, stream[:sz]...)
		stream = stream[sz:]
		for {
			m, n, err := r.Next(pending)
			if err != nil {
				return append(out, got{Err: err}), len(pending) + len(stream)
			}
			if n == 0 {
				break
			}
			if m.Kind != KindNone {
				out = append(out, copyMsg(m))
			}
			pending = append(pending[:0], pending[n:]...)
		}
	}
	return out, len(pending)
}
