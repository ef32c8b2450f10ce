package wsframe

import (
	"bytes"
	"compress/flate"
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsflate"
)

// deflateRaw compresses p the way a permessage-deflate peer does (sync
// flush, tail removed), with gobwas/ws/wsflate as an independent encoder.
func deflateRaw(t testing.TB, p []byte) []byte {
	t.Helper()
	out, err := wsflate.DefaultHelper.Compress(p)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// cfRsv1 builds a masked client frame with RSV1 set.
func cfRsv1(op ws.OpCode, fin bool, payload []byte) []byte {
	f := AppendClientFrame(nil, op, fin, testMask, payload)
	f[0] |= 0x40
	return f
}

func TestReaderDeflateRsv(t *testing.T) {
	text := strings.Repeat("hello deflate ", 20)
	comp := deflateRaw(t, []byte(text))
	half := len(comp) / 2
	tests := []struct {
		name    string
		deflate bool
		stream  []byte
		want    []got
	}{
		{"rsv1 text", true, cfRsv1(ws.OpText, true, comp),
			[]got{{Kind: KindText, Data: string(comp), Comp: true}}},
		{"rsv1 binary", true, cfRsv1(ws.OpBinary, true, comp),
			[]got{{Kind: KindBinary, Data: string(comp), Comp: true}}},
		{"plain text still validated", true, cf(ws.OpText, true, "\xff"),
			[]got{{Err: ErrInvalidUTF8}}},
		{"rsv1 without deflate", false, cfRsv1(ws.OpText, true, comp),
			[]got{{Err: ErrRsv}}},
		{"rsv1 on ping", true, cfRsv1(ws.OpPing, true, []byte("x")),
			[]got{{Err: ErrRsv}}},
		{"rsv1 on close", true, cfRsv1(ws.OpClose, true, nil),
			[]got{{Err: ErrRsv}}},
		{"rsv1 on continuation", true,
			cat(cfRsv1(ws.OpText, false, comp[:half]), cfRsv1(ws.OpContinuation, true, comp[half:])),
			[]got{{Err: ErrRsv}}},
		{"rsv2 with deflate", true,
			func() []byte { f := cf(ws.OpText, true, "a"); f[0] |= 0x20; return f }(),
			[]got{{Err: ErrRsv}}},
		{"fragmented compressed with ping between", true,
			cat(cfRsv1(ws.OpText, false, comp[:half]), cf(ws.OpPing, true, "p"), cf(ws.OpContinuation, true, string(comp[half:]))),
			[]got{{Kind: KindPing, Data: "p"}, {Kind: KindText, Data: string(comp), Comp: true}}},
		{"next message plain again", true,
			cat(cfRsv1(ws.OpText, true, comp), cf(ws.OpText, true, "plain")),
			[]got{{Kind: KindText, Data: string(comp), Comp: true}, {Kind: KindText, Data: "plain"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Reader{Deflate: tt.deflate}
			out, _ := decodeWhole(&r, tt.stream)
			r.Release()
			if !reflect.DeepEqual(out, tt.want) {
				t.Fatalf("got  %v\nwant %v", out, tt.want)
			}
		})
	}
}

func TestInflate(t *testing.T) {
	text := []byte(strings.Repeat("inflate me please ", 500))
	tests := []struct {
		name    string
		p       []byte
		max     int64
		want    []byte
		wantErr error
	}{
		{"round trip", deflateRaw(t, text), 0, text, nil},
		{"exactly at cap", deflateRaw(t, text), int64(len(text)), text, nil},
		{"one over cap", deflateRaw(t, text), int64(len(text)) - 1, nil, ErrTooBig},
		{"empty message", []byte{0x00}, 0, []byte{}, nil},
		{"no bytes at all is not deflate", nil, 0, nil, ErrInflate},
		{"garbage", []byte{0xff, 0xff, 0xff, 0xff}, 0, nil, ErrInflate},
		{"truncated", deflateRaw(t, text)[:10], 0, nil, ErrInflate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Inflate(nil, tt.p, tt.max)
			if err != tt.wantErr {
				t.Fatalf("err %v, want %v", err, tt.wantErr)
			}
			if err == nil && !bytes.Equal(out, tt.want) {
				t.Fatalf("got %d bytes, want %d", len(out), len(tt.want))
			}
		})
	}
}

// A zip bomb (a small message inflating to gigabytes) fails with ErrTooBig
// having allocated no more than the cap.
func TestInflateZipBomb(t *testing.T) {
	var bomb bytes.Buffer
	fw, _ := flate.NewWriter(&bomb, flate.BestCompression)
	zeros := make([]byte, 1<<20)
	for range 16 { // 16 MiB of zeros
		_, _ = fw.Write(zeros)
	}
	_ = fw.Flush()
	p := bytes.TrimSuffix(bomb.Bytes(), []byte{0, 0, 0xff, 0xff})
	const limit = 100_000
	out, err := Inflate(nil, p, limit)
	if err != ErrTooBig || CloseCode(err) != ws.StatusMessageTooBig {
		t.Fatalf("err %v", err)
	}
	if cap(out) > limit+1 {
		t.Fatalf("grew to %d bytes, cap %d", cap(out), limit)
	}
	t.Logf("%d compressed bytes stopped at %d inflated", len(p), len(out))
}

func TestAppendDeflateFrame(t *testing.T) {
	big := []byte(strings.Repeat(`{"event":"tick","value":12345}`, 100))
	rnd := make([]byte, 2000)
	for i := range rnd {
		rnd[i] = byte(rand.Uint32())
	}
	tests := []struct {
		name           string
		op             ws.OpCode
		prefix, data   []byte
		wantCompressed bool
	}{
		{"text with prefix", ws.OpText, []byte{'4'}, big, true},
		{"binary no prefix", ws.OpBinary, nil, big, true},
		{"incompressible sent plain", ws.OpBinary, nil, rnd, false},
		{"tiny sent plain", ws.OpText, []byte{'4'}, []byte("x"), false},
	}
	for _, tt := range tests {
		for _, level := range []int{flate.BestSpeed, flate.DefaultCompression, flate.HuffmanOnly, 42} {
			frame := AppendDeflateFrame([]byte("keep"), tt.op, level, tt.prefix, tt.data)
			if string(frame[:4]) != "keep" {
				t.Fatalf("%s: dst prefix lost", tt.name)
			}
			r := Reader{ClientSide: true, Deflate: true}
			m, n, err := r.Next(frame[4:])
			if err != nil || n != len(frame)-4 || m.Compressed != tt.wantCompressed {
				t.Fatalf("%s/%d: n=%d err=%v compressed=%v", tt.name, level, n, err, m.Compressed)
			}
			want := append(append([]byte(nil), tt.prefix...), tt.data...)
			got := m.Payload
			if m.Compressed {
				// Cross-check with the wsflate decoder, then ours.
				oracle, err := wsflate.DefaultHelper.Decompress(m.Payload)
				if err != nil || !bytes.Equal(oracle, want) {
					t.Fatalf("%s/%d: wsflate: %v", tt.name, level, err)
				}
				if got, err = Inflate(nil, m.Payload, 0); err != nil {
					t.Fatal(err)
				}
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%s/%d: round trip differs", tt.name, level)
			}
		}
	}
}

// FuzzInflate: arbitrary data never panics, never exceeds the cap, and
// every error carries a close code.
func FuzzInflate(f *testing.F) {
	f.Add([]byte{0x00}, uint16(10))
	f.Add([]byte{0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00}, uint16(3))
	f.Add([]byte{0xff}, uint16(100))
	f.Fuzz(func(t *testing.T, p []byte, max uint16) {
		out, err := Inflate(nil, p, int64(max)+1)
		if len(out) > int(max)+2 {
			t.Fatalf("output %d over cap %d", len(out), int(max)+1)
		}
		if err != nil && !errors.Is(err, ErrTooBig) && !errors.Is(err, ErrInflate) {
			t.Fatalf("unexpected error %v", err)
		}
	})
}

// FuzzDeflateRoundTrip: what AppendDeflateFrame sends, a deflate Reader
// and Inflate give back unchanged.
func FuzzDeflateRoundTrip(f *testing.F) {
	f.Add([]byte("4"), []byte(strings.Repeat("abc", 100)), int8(1))
	f.Add([]byte(nil), []byte{}, int8(-2))
	f.Fuzz(func(t *testing.T, prefix, data []byte, level int8) {
		frame := AppendDeflateFrame(nil, ws.OpBinary, int(level), prefix, data)
		r := Reader{ClientSide: true, Deflate: true, Limits: Limits{MaxMessage: 1 << 30}}
		m, n, err := r.Next(frame)
		if err != nil || n != len(frame) {
			t.Fatalf("n=%d err=%v", n, err)
		}
		got := m.Payload
		if m.Compressed {
			if got, err = Inflate(nil, m.Payload, 1<<30); err != nil {
				t.Fatal(err)
			}
		}
		if want := append(append([]byte{}, prefix...), data...); !bytes.Equal(got, want) {
			t.Fatalf("round trip differs")
		}
	})
}

// FuzzReaderSplitFeedDeflate is FuzzReaderSplitFeed with permessage-deflate
// negotiated (RSV1 frames in the stream become compressed messages).
func FuzzReaderSplitFeedDeflate(f *testing.F) {
	f.Add([]byte{0xd8, 3, 0xf2, 0x48, 0x00, 0x00, 5, 'h', 'e', 'l', 'l', 'o'}, []byte{0}, uint16(0))
	f.Add([]byte{0xd0, 2, 'h', 'e', 0x04, 1, 'p', 0xda, 2, 'l', 'l'}, []byte{1, 2, 3}, uint16(0))
	f.Fuzz(func(t *testing.T, spec, chunks []byte, limit uint16) {
		stream := buildStream(spec)
		lim := Limits{MaxMessage: int64(limit)}
		rw := Reader{Limits: lim, Deflate: true}
		whole, leftW := decodeWhole(&rw, stream)
		rw.Release()
		rs := Reader{Limits: lim, Deflate: true}
		split, leftS := decodeSplit(&rs, stream, chunkSizes(chunks))
		rs.Release()
		if !reflect.DeepEqual(whole, split) || leftW != leftS {
			t.Fatalf("whole %v (left %d)\nsplit %v (left %d)", whole, leftW, split, leftS)
		}
		checkMessages(t, whole)
	})
}
