package wsframe

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/gobwas/ws"
)

// FuzzParseHeader checks ParseHeader against ws.ReadHeader.
func FuzzParseHeader(f *testing.F) {
	for _, s := range [][]byte{
		nil, {0x81}, {0x81, 0x85, 1, 2, 3, 4}, {0x02, 126, 1, 0}, {0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0},
		{0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4}, {0xff, 0xff},
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		h, n, err := ParseHeader(data)
		rd := bytes.NewReader(data)
		wh, werr := ws.ReadHeader(rd)
		switch {
		case werr == io.EOF || werr == io.ErrUnexpectedEOF:
			if err != ErrShort {
				t.Fatalf("ws: %v, ours: %v", werr, err)
			}
		case errors.Is(werr, ws.ErrHeaderLengthMSB):
			if err != ErrLengthMSB {
				t.Fatalf("ws: %v, ours: %v", werr, err)
			}
		case werr != nil:
			t.Fatalf("unexpected oracle error %v", werr)
		default:
			if err != nil || h != wh || n != len(data)-rd.Len() {
				t.Fatalf("ours %+v n=%d %v; ws %+v n=%d", h, n, err, wh, len(data)-rd.Len())
			}
		}
	})
}

// buildStream turns fuzz bytes into a mostly valid frame stream. Each frame
// takes a control byte (opcode choice, FIN, mask, RSV), a length byte and
// that many payload bytes.
func buildStream(spec []byte) []byte {
	ops := [...]ws.OpCode{ws.OpText, ws.OpBinary, ws.OpContinuation, ws.OpContinuation,
		ws.OpPing, ws.OpPong, ws.OpClose, ws.OpText}
	var out []byte
	for len(spec) >= 2 {
		c, l := spec[0], int(spec[1])
		spec = spec[2:]
		l = min(l, len(spec))
		payload := spec[:l]
		spec = spec[l:]
		op := ops[c&7]
		if c&0xf0 == 0xf0 { // rare: raw (possibly reserved) opcode
			op = ws.OpCode(c & 0x0f)
		}
		fin := c&0x08 == 0 || c&0x10 != 0
		start := len(out)
		if c&0xe0 == 0xe0 { // rare: unmasked
			out = AppendHeader(out, op, fin, len(payload))
			out = append(out, payload...)
		} else {
			out = AppendClientFrame(out, op, fin, [4]byte{c, l8(l), 0x5a, 0xa5}, payload)
		}
		if c&0xf8 == 0xd8 { // rare: RSV1
			out[start] |= 0x40
		}
	}
	return out
}

func l8(n int) byte { return byte(n) }

func chunkSizes(b []byte) []int {
	s := make([]int, len(b))
	for i, v := range b {
		s[i] = int(v%64) + 1
	}
	return s
}

// FuzzReaderSplitFeed: a frame stream fed in random chunks must give the
// same messages and error as the stream fed whole.
func FuzzReaderSplitFeed(f *testing.F) {
	f.Add([]byte{0x00, 5, 'h', 'e', 'l', 'l', 'o'}, []byte{0}, uint16(0))
	f.Add([]byte{0x08, 2, 'h', 'e', 0x04, 1, 'p', 0x0a, 2, 'l', 'l', 0x02, 1, 'o'}, []byte{1, 2, 3}, uint16(0))
	f.Add([]byte{0x08, 3, 'a', 0xf0, 0x9f, 0x12, 2, 0x98, 0x80}, []byte{0, 1}, uint16(0))
	f.Add([]byte{0x01, 200}, []byte{5}, uint16(100))
	f.Add([]byte{0x06, 4, 0x03, 0xe8, 'o', 'k', 0x06, 1, 3}, []byte{0}, uint16(0))
	f.Add([]byte{0xe0, 1, 'x', 0xd8, 1, 'y'}, []byte{7}, uint16(0))
	f.Fuzz(func(t *testing.T, spec, chunks []byte, limit uint16) {
		stream := buildStream(spec)
		lim := Limits{MaxMessage: int64(limit)}
		rw := Reader{Limits: lim}
		whole, leftW := decodeWhole(&rw, stream)
		rw.Release()
		rs := Reader{Limits: lim}
		split, leftS := decodeSplit(&rs, stream, chunkSizes(chunks))
		rs.Release()
		if !reflect.DeepEqual(whole, split) || leftW != leftS {
			t.Fatalf("whole %v (left %d)\nsplit %v (left %d)", whole, leftW, split, leftS)
		}
		checkMessages(t, whole)
	})
}

// FuzzReader: arbitrary bytes never panic and results are consistent.
func FuzzReader(f *testing.F) {
	f.Add([]byte{0x81, 0x85, 1, 2, 3, 4, 'h' ^ 1, 'e' ^ 2, 'l' ^ 3, 'l' ^ 4, 'o' ^ 1}, false)
	f.Add(cf(ws.OpClose, true, closeBody(1000, "x")), false)
	f.Add([]byte{0x82, 0xff, 0, 0, 0, 0, 0xff, 0, 0, 0, 1, 2, 3, 4}, true)
	f.Fuzz(func(t *testing.T, data []byte, client bool) {
		r := Reader{Limits: Limits{MaxMessage: 512}, ClientSide: client}
		buf := append([]byte(nil), data...)
		for len(buf) > 0 {
			m, n, err := r.Next(buf)
			if err != nil {
				if CloseCode(err) == ws.StatusInternalServerError {
					t.Fatalf("error without close code: %v", err)
				}
				break
			}
			if n == 0 {
				break
			}
			if n > len(buf) {
				t.Fatalf("consumed %d > %d", n, len(buf))
			}
			checkMessages(t, []got{copyMsg(m)})
			buf = buf[n:]
		}
		r.Release()
	})
}

func checkMessages(t *testing.T, msgs []got) {
	t.Helper()
	for _, m := range msgs {
		switch m.Kind {
		case KindText:
			if !m.Comp && !utf8.ValidString(m.Data) {
				t.Fatalf("invalid UTF-8 text delivered: %q", m.Data)
			}
		case KindPing, KindPong:
			if len(m.Data) > 125 {
				t.Fatalf("control payload %d", len(m.Data))
			}
		case KindClose:
			if m.Code != ws.StatusNoStatusRcvd && !ValidCloseCode(m.Code) {
				t.Fatalf("bad close code %d", m.Code)
			}
		}
	}
}
