package wsframe

import (
	"bytes"
	"testing"

	"github.com/gobwas/ws"
)

// benchMask keeps ASCII ASCII, so decoding the same buffer repeatedly
// (which unmasks it in place each time) always sees valid text.
var benchMask = [4]byte{0x11, 0x22, 0x33, 0x44}

func benchDecode(b *testing.B, stream []byte, msgLen int) {
	var r Reader
	b.SetBytes(int64(msgLen))
	b.ReportAllocs()
	for b.Loop() {
		buf := stream
		for len(buf) > 0 {
			_, n, err := r.Next(buf)
			if err != nil || n == 0 {
				b.Fatal(err, n)
			}
			buf = buf[n:]
		}
	}
}

func BenchmarkDecodeText100(b *testing.B) {
	frame := AppendClientFrame(nil, ws.OpText, true, benchMask, bytes.Repeat([]byte{'a'}, 100))
	benchDecode(b, frame, 100)
}

func BenchmarkDecodeBinary64K(b *testing.B) {
	frame := AppendClientFrame(nil, ws.OpBinary, true, benchMask, bytes.Repeat([]byte{'a'}, 64<<10))
	benchDecode(b, frame, 64<<10)
}

func BenchmarkDecodeFragmented(b *testing.B) {
	part := bytes.Repeat([]byte{'a'}, 1024)
	stream := cat(
		AppendClientFrame(nil, ws.OpText, false, benchMask, part),
		AppendClientFrame(nil, ws.OpContinuation, false, benchMask, part),
		AppendClientFrame(nil, ws.OpContinuation, false, benchMask, part),
		AppendClientFrame(nil, ws.OpContinuation, true, benchMask, part),
	)
	benchDecode(b, stream, 4*len(part))
}

func BenchmarkEncodeFrame100(b *testing.B) {
	payload := bytes.Repeat([]byte{'a'}, 100)
	dst := make([]byte, 0, 128)
	b.SetBytes(100)
	b.ReportAllocs()
	for b.Loop() {
		dst = AppendFrame(dst[:0], ws.OpText, payload)
	}
}

func BenchmarkParseHeader(b *testing.B) {
	hdr := AppendClientFrame(nil, ws.OpBinary, true, benchMask, make([]byte, 300))[:8]
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ParseHeader(hdr); err != nil {
			b.Fatal(err)
		}
	}
}

var benchJSON = bytes.Repeat([]byte(`{"event":"tick","value":12345}`), 70) // ~2 KiB

func BenchmarkAppendDeflateFrame(b *testing.B) {
	prefix := []byte{'4'}
	for _, level := range []int{1, -1} {
		b.Run(map[int]string{1: "BestSpeed", -1: "Default"}[level], func(b *testing.B) {
			dst := make([]byte, 0, 4096)
			b.ReportAllocs()
			b.SetBytes(int64(len(benchJSON)))
			for b.Loop() {
				dst = AppendDeflateFrame(dst[:0], ws.OpText, level, prefix, benchJSON)
			}
		})
	}
}

func BenchmarkInflate(b *testing.B) {
	frame := AppendDeflateFrame(nil, ws.OpText, 1, nil, benchJSON)
	r := Reader{ClientSide: true, Deflate: true}
	m, _, _ := r.Next(frame)
	dst := make([]byte, 0, 4096)
	b.ReportAllocs()
	b.SetBytes(int64(len(benchJSON)))
	for b.Loop() {
		dst, _ = Inflate(dst[:0], m.Payload, 0)
	}
}
