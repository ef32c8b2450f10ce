package wsframe

import (
	"bytes"
	"errors"
	"testing"

	"github.com/gobwas/ws"
)

func TestParseHeader(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want ws.Header
		n    int
		err  error
	}{
		{"empty", nil, ws.Header{}, 0, ErrShort},
		{"one byte", []byte{0x81}, ws.Header{}, 0, ErrShort},
		{"unmasked 5", []byte{0x81, 5}, ws.Header{Fin: true, OpCode: ws.OpText, Length: 5}, 2, nil},
		{"masked short", []byte{0x82, 0x85, 1, 2, 3}, ws.Header{}, 0, ErrShort},
		{"masked 5", []byte{0x82, 0x85, 1, 2, 3, 4}, ws.Header{Fin: true, OpCode: ws.OpBinary, Masked: true, Mask: [4]byte{1, 2, 3, 4}, Length: 5}, 6, nil},
		{"len16", []byte{0x01, 126, 0x01, 0x00}, ws.Header{OpCode: ws.OpText, Length: 256}, 4, nil},
		{"len16 short", []byte{0x01, 126, 0x01}, ws.Header{}, 0, ErrShort},
		{"len64", []byte{0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0}, ws.Header{Fin: true, OpCode: ws.OpBinary, Length: 65536}, 10, nil},
		{"len64 masked short", []byte{0x82, 0xff, 0, 0, 0, 0, 0, 1, 0, 0, 9}, ws.Header{}, 0, ErrShort},
		{"len64 msb", []byte{0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 0}, ws.Header{}, 0, ErrLengthMSB},
		{"rsv", []byte{0xf1, 0}, ws.Header{Fin: true, Rsv: 7, OpCode: ws.OpText}, 2, nil},
		{"non-minimal len16", []byte{0x81, 126, 0, 5}, ws.Header{Fin: true, OpCode: ws.OpText, Length: 5}, 4, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, n, err := ParseHeader(tt.in)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if err != nil {
				return
			}
			if h != tt.want || n != tt.n {
				t.Fatalf("got %+v n=%d, want %+v n=%d", h, n, tt.want, tt.n)
			}
			// The oracle must agree.
			wh, werr := ws.ReadHeader(bytes.NewReader(tt.in))
			if werr != nil || wh != h {
				t.Fatalf("ws.ReadHeader = %+v, %v", wh, werr)
			}
		})
	}
}

func TestAppendHeaderMatchesWriteHeader(t *testing.T) {
	ops := []ws.OpCode{ws.OpContinuation, ws.OpText, ws.OpBinary, ws.OpClose, ws.OpPing, ws.OpPong}
	lengths := []int{0, 1, 125, 126, 127, 1000, 65535, 65536, 1 << 20, 1<<31 + 5, 1<<62 + 3}
	for _, op := range ops {
		for _, fin := range []bool{true, false} {
			for _, l := range lengths {
				var want bytes.Buffer
				if err := ws.WriteHeader(&want, ws.Header{Fin: fin, OpCode: op, Length: int64(l)}); err != nil {
					t.Fatal(err)
				}
				got := AppendHeader(nil, op, fin, l)
				if !bytes.Equal(got, want.Bytes()) {
					t.Fatalf("op=%v fin=%v len=%d: got % x want % x", op, fin, l, got, want.Bytes())
				}
				if HeaderLen(l) != len(got) {
					t.Fatalf("HeaderLen(%d) = %d, want %d", l, HeaderLen(l), len(got))
				}
				h, n, err := ParseHeader(got)
				if err != nil || n != len(got) || h.Length != int64(l) || h.OpCode != op || h.Fin != fin {
					t.Fatalf("round trip: %+v %d %v", h, n, err)
				}
			}
		}
	}
}

func TestAppendHeaderNegativePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	AppendHeader(nil, ws.OpText, true, -1)
}

func TestPutHeaderBefore(t *testing.T) {
	for _, size := range []int{0, 5, 125, 126, 65535, 65536, 70000} {
		payload := bytes.Repeat([]byte{'a'}, size)
		buf := make([]byte, MaxHeaderLen, MaxHeaderLen+size)
		buf = append(buf, payload...)
		start := PutHeaderBefore(buf, MaxHeaderLen, ws.OpText)
		if start < 0 {
			t.Fatalf("size %d: start %d", size, start)
		}
		want := AppendFrame(nil, ws.OpText, payload)
		if !bytes.Equal(buf[start:], want) {
			t.Fatalf("size %d: frame mismatch", size)
		}
	}
	tests := []struct {
		name  string
		buf   []byte
		start int
	}{
		{"no room", []byte("xhello"), 1},
		{"negative", []byte("x"), -1},
		{"past end", []byte("x"), 2},
	}
	for _, tt := range tests {
		if got := PutHeaderBefore(tt.buf, tt.start, ws.OpText); got != -1 {
			t.Fatalf("%s: got %d, want -1", tt.name, got)
		}
	}
}
