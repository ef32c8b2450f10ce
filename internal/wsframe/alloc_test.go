//go:build !race

package wsframe

import (
	"bytes"
	"testing"

	"github.com/gobwas/ws"
)

// asciiMask keeps ASCII payloads ASCII when applied repeatedly, so a frame
// can be decoded (unmasked in place) over and over and stay valid text.
var asciiMask = [4]byte{0x11, 0x22, 0x33, 0x44}

func TestAllocNextUnfragmented(t *testing.T) {
	tests := []struct {
		name  string
		op    ws.OpCode
		size  int
		kind  Kind
		limit int64
	}{
		{"text 100B", ws.OpText, 100, KindText, 0},
		{"binary 64KiB", ws.OpBinary, 64 << 10, KindBinary, 0},
		{"ping", ws.OpPing, 10, KindPing, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			frame := AppendClientFrame(nil, tt.op, true, asciiMask, bytes.Repeat([]byte{'a'}, tt.size))
			var r Reader
			allocs := testing.AllocsPerRun(200, func() {
				m, n, err := r.Next(frame)
				if err != nil || n != len(frame) || m.Kind != tt.kind {
					t.Fatalf("%v %d %v", m.Kind, n, err)
				}
			})
			if allocs != 0 {
				t.Fatalf("allocs = %v", allocs)
			}
		})
	}
}

func TestAllocNextFragmented(t *testing.T) {
	part := bytes.Repeat([]byte{'b'}, 300)
	stream := cat(
		AppendClientFrame(nil, ws.OpText, false, asciiMask, part),
		AppendClientFrame(nil, ws.OpPing, true, asciiMask, []byte("p")),
		AppendClientFrame(nil, ws.OpContinuation, false, asciiMask, part),
		AppendClientFrame(nil, ws.OpContinuation, true, asciiMask, part),
	)
	var r Reader
	decode := func() {
		buf := stream
		for len(buf) > 0 {
			m, n, err := r.Next(buf)
			if err != nil || n == 0 {
				t.Fatalf("%v %d %v", m.Kind, n, err)
			}
			if m.Kind == KindText && len(m.Payload) != 900 {
				t.Fatalf("payload %d", len(m.Payload))
			}
			buf = buf[n:]
		}
	}
	for range 10 { // warm the pool
		decode()
	}
	if allocs := testing.AllocsPerRun(200, decode); allocs != 0 {
		t.Fatalf("allocs = %v", allocs)
	}
}

func TestAllocEncode(t *testing.T) {
	payload := bytes.Repeat([]byte{'c'}, 100)
	dst := make([]byte, 0, 256)
	tests := []struct {
		name string
		fn   func()
	}{
		{"AppendFrame", func() { dst = AppendFrame(dst[:0], ws.OpText, payload) }},
		{"AppendClose", func() { dst = AppendClose(dst[:0], ws.StatusGoingAway, "bye") }},
		{"AppendPong", func() { dst = AppendPong(dst[:0], payload) }},
		{"PutHeaderBefore", func() {
			dst = append(dst[:MaxHeaderLen], payload...)
			if PutHeaderBefore(dst, MaxHeaderLen, ws.OpText) < 0 {
				t.Fatal("no room")
			}
		}},
		{"ParseHeader", func() { _, _, _ = ParseHeader(payload) }},
	}
	for _, tt := range tests {
		if allocs := testing.AllocsPerRun(200, tt.fn); allocs != 0 {
			t.Fatalf("%s: allocs = %v", tt.name, allocs)
		}
	}
}

// Compression and inflation use pooled flate state: with a warm pool and a
// destination large enough, neither allocates.
func TestAllocDeflate(t *testing.T) {
	msg := bytes.Repeat([]byte(`{"event":"tick","value":12345}`), 100)
	dst := make([]byte, 0, 2*len(msg))
	prefix := []byte{'4'} // escapes (flate keeps it in its window): built once
	frame := AppendDeflateFrame(nil, ws.OpText, 1, prefix, msg)
	if allocs := testing.AllocsPerRun(100, func() {
		dst = AppendDeflateFrame(dst[:0], ws.OpText, 1, prefix, msg)
	}); allocs != 0 {
		t.Fatalf("AppendDeflateFrame allocs = %v", allocs)
	}
	var r Reader
	r.ClientSide, r.Deflate = true, true
	m, _, err := r.Next(frame)
	if err != nil || !m.Compressed {
		t.Fatalf("%v %v", err, m.Compressed)
	}
	if allocs := testing.AllocsPerRun(100, func() {
		out, err := Inflate(dst[:0], m.Payload, 0)
		if err != nil || len(out) != len(msg)+1 {
			t.Fatalf("%v %d", err, len(out))
		}
	}); allocs != 0 {
		t.Fatalf("Inflate allocs = %v", allocs)
	}
}
