package wsframe

import (
	"bytes"
	"encoding/binary"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/gobwas/ws"
)

func TestReaderMessages(t *testing.T) {
	big := strings.Repeat("é", 40000) // 80000 bytes: 64-bit length header
	tests := []struct {
		name   string
		stream []byte
		want   []got
	}{
		{"text", cf(ws.OpText, true, "hello"), []got{{Kind: KindText, Data: "hello"}}},
		{"empty binary", cf(ws.OpBinary, true, ""), []got{{Kind: KindBinary}}},
		{"binary not utf8", cf(ws.OpBinary, true, "\xff\xfe"), []got{{Kind: KindBinary, Data: "\xff\xfe"}}},
		{"len16 text", cf(ws.OpText, true, strings.Repeat("x", 300)), []got{{Kind: KindText, Data: strings.Repeat("x", 300)}}},
		{"len64 text", cf(ws.OpText, true, big), []got{{Kind: KindText, Data: big}}},
		{"ping pong", cat(cf(ws.OpPing, true, "p"), cf(ws.OpPong, true, "q")),
			[]got{{Kind: KindPing, Data: "p"}, {Kind: KindPong, Data: "q"}}},
		{"fragmented with ping", cat(
			cf(ws.OpText, false, "he"), cf(ws.OpPing, true, "mid"),
			cf(ws.OpContinuation, false, "ll"), cf(ws.OpContinuation, true, "o")),
			[]got{{Kind: KindPing, Data: "mid"}, {Kind: KindText, Data: "hello"}}},
		{"fragmented binary then text", cat(
			cf(ws.OpBinary, false, "\x00\x01"), cf(ws.OpContinuation, true, "\x02"),
			cf(ws.OpText, true, "next")),
			[]got{{Kind: KindBinary, Data: "\x00\x01\x02"}, {Kind: KindText, Data: "next"}}},
		{"utf8 split across fragments", cat(
			cf(ws.OpText, false, "a\xf0\x9f"), cf(ws.OpContinuation, false, "\x98"),
			cf(ws.OpContinuation, true, "\x80b")),
			[]got{{Kind: KindText, Data: "a😀b"}}},
		{"empty fragments", cat(cf(ws.OpText, false, ""), cf(ws.OpContinuation, true, "")),
			[]got{{Kind: KindText}}},
		{"close empty", cf(ws.OpClose, true, ""), []got{{Kind: KindClose, Code: ws.StatusNoStatusRcvd}}},
		{"close code only", cf(ws.OpClose, true, closeBody(1000, "")), []got{{Kind: KindClose, Code: 1000}}},
		{"close with reason", cf(ws.OpClose, true, closeBody(1001, "bye ✓")),
			[]got{{Kind: KindClose, Code: 1001, Reason: "bye ✓"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, split := range [][]int{nil, {1}, {2, 3, 7}, {1000}} {
				var r Reader
				var out []got
				var left int
				if split == nil {
					out, left = decodeWhole(&r, tt.stream)
				} else {
					out, left = decodeSplit(&r, tt.stream, split)
				}
				if !reflect.DeepEqual(out, tt.want) || left != 0 {
					t.Fatalf("split %v: got %v (left %d), want %v", split, out, left, tt.want)
				}
				r.Release()
			}
		})
	}
}

func TestReaderErrors(t *testing.T) {
	unmasked := AppendFrame(nil, ws.OpText, []byte("hi"))
	rsv := cf(ws.OpText, true, "hi")
	rsv[0] |= 0x40
	msb := []byte{0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4}
	longPing := cf(ws.OpPing, true, strings.Repeat("p", 126))[:8] // header only
	tests := []struct {
		name   string
		limit  int64
		stream []byte
		want   *CloseError
		code   ws.StatusCode
	}{
		{"unmasked client frame", 0, unmasked, ErrMaskRequired, 1002},
		{"rsv without extension", 0, rsv, ErrRsv, 1002},
		{"reserved data opcode", 0, cf(3, true, ""), ErrOpCode, 1002},
		{"reserved control opcode", 0, cf(0xb, true, ""), ErrOpCode, 1002},
		{"control too long (header only)", 0, longPing, ErrControlTooLong, 1002},
		{"fragmented control", 0, cf(ws.OpPing, false, "x"), ErrControlFragment, 1002},
		{"continuation without start", 0, cf(ws.OpContinuation, true, "x"), ErrContinuation, 1002},
		{"new data frame inside fragmented", 0, cat(cf(ws.OpText, false, "a"), cf(ws.OpText, true, "b")), ErrExpectedContinue, 1002},
		{"binary inside fragmented", 0, cat(cf(ws.OpBinary, false, "a"), cf(ws.OpBinary, false, "b")), ErrExpectedContinue, 1002},
		{"length msb", 0, msb, ErrLengthMSB, 1002},
		{"invalid utf8 text", 0, cf(ws.OpText, true, "a\xffb"), ErrInvalidUTF8, 1007},
		{"surrogate utf8 text", 0, cf(ws.OpText, true, "\xed\xa0\x80"), ErrInvalidUTF8, 1007},
		{"invalid utf8 fails fast in fragment", 0, cf(ws.OpText, false, "a\xffb"), ErrInvalidUTF8, 1007},
		{"incomplete utf8 at end of message", 0, cat(cf(ws.OpText, false, "a"), cf(ws.OpContinuation, true, "\xf0\x9f")), ErrInvalidUTF8, 1007},
		{"bad utf8 prefix fails fast", 0, cf(ws.OpText, false, "a\xed\xa0"), ErrInvalidUTF8, 1007},
		{"close 1 byte", 0, cf(ws.OpClose, true, "\x03"), ErrCloseShort, 1002},
		{"close reason utf8", 0, cf(ws.OpClose, true, closeBody(1000, "\xff")), ErrCloseReasonUTF8, 1007},
		{"too big", 100, cf(ws.OpBinary, true, strings.Repeat("x", 101)), ErrTooBig, 1009},
		{"too big text", 100, cf(ws.OpText, true, strings.Repeat("x", 101)), ErrTooBig, 1009},
		{"too big fragmented", 100, cat(cf(ws.OpBinary, false, strings.Repeat("x", 60)),
			cf(ws.OpContinuation, true, strings.Repeat("x", 41))), ErrTooBig, 1009},
	}
	for _, code := range []uint16{0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535} {
		tests = append(tests, struct {
			name   string
			limit  int64
			stream []byte
			want   *CloseError
			code   ws.StatusCode
		}{"close code " + itoa(int(code)), 0, cf(ws.OpClose, true, closeBody(code, "")), ErrCloseCode, 1002})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, split := range [][]int{nil, {1}} {
				r := Reader{Limits: Limits{MaxMessage: tt.limit}}
				var out []got
				if split == nil {
					out, _ = decodeWhole(&r, tt.stream)
				} else {
					out, _ = decodeSplit(&r, tt.stream, split)
				}
				if len(out) == 0 || out[len(out)-1].Err != tt.want {
					t.Fatalf("split %v: got %v, want %v", split, out, tt.want)
				}
				if CloseCode(tt.want) != tt.code {
					t.Fatalf("code %d, want %d", tt.want.Code, tt.code)
				}
				r.Release()
			}
		})
	}
}

func TestValidCloseCodes(t *testing.T) {
	for _, code := range []ws.StatusCode{1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999} {
		var r Reader
		out, _ := decodeWhole(&r, cf(ws.OpClose, true, closeBody(uint16(code), "r")))
		want := []got{{Kind: KindClose, Code: code, Reason: "r"}}
		if !reflect.DeepEqual(out, want) {
			t.Fatalf("code %d: got %v", code, out)
		}
	}
}

// A 2 GiB frame must be refused as soon as its header is in, without
// waiting for (or allocating) the payload.
func TestMaxSizeBeforePayload(t *testing.T) {
	hdr := []byte{0x82, 0xff}
	hdr = binary.BigEndian.AppendUint64(hdr, 2<<30)
	hdr = append(hdr, testMask[:]...)
	var r Reader
	var err error
	allocs := testing.AllocsPerRun(10, func() {
		_, _, err = r.Next(hdr)
	})
	if err != ErrTooBig {
		t.Fatalf("err = %v, want ErrTooBig", err)
	}
	if CloseCode(err) != ws.StatusMessageTooBig {
		t.Fatalf("code %d", CloseCode(err))
	}
	if allocs != 0 && !raceEnabled {
		t.Fatalf("allocs = %v", allocs)
	}
	// Same inside a fragmented message: the running total is checked.
	r = Reader{Limits: Limits{MaxMessage: 1000}}
	stream := cf(ws.OpText, false, strings.Repeat("a", 600))
	stream = append(stream, 0x80, 0x80|126, 0x01, 0x91) // continuation of 401 bytes, no payload yet
	stream = append(stream, testMask[:]...)
	out, _ := decodeWhole(&r, stream)
	if len(out) != 1 || out[0].Err != ErrTooBig {
		t.Fatalf("got %v", out)
	}
	r.Release()
}

func TestNeedMoreLeavesBufferUntouched(t *testing.T) {
	frame := cf(ws.OpText, true, "hello world")
	for i := 0; i < len(frame); i++ {
		part := append([]byte(nil), frame[:i]...)
		var r Reader
		m, n, err := r.Next(part)
		if n != 0 || err != nil || m.Kind != KindNone {
			t.Fatalf("prefix %d: %v %d %v", i, m, n, err)
		}
		if !bytes.Equal(part, frame[:i]) {
			t.Fatalf("prefix %d modified", i)
		}
	}
}

func TestClientSideReader(t *testing.T) {
	r := Reader{ClientSide: true}
	out, _ := decodeWhole(&r, AppendFrame(nil, ws.OpText, []byte("srv")))
	if !reflect.DeepEqual(out, []got{{Kind: KindText, Data: "srv"}}) {
		t.Fatalf("got %v", out)
	}
	out, _ = decodeWhole(&r, cf(ws.OpText, true, "masked"))
	if len(out) != 1 || out[0].Err != ErrMaskUnexpected {
		t.Fatalf("got %v", out)
	}
}

func TestReleaseMidFragment(t *testing.T) {
	var r Reader
	out, _ := decodeWhole(&r, cf(ws.OpText, false, "part"))
	if len(out) != 0 || r.frag == nil {
		t.Fatalf("got %v frag=%v", out, r.frag)
	}
	r.Release()
	if r.frag != nil || r.state != 0 {
		t.Fatal("Release kept state")
	}
	// A continuation is now unexpected; a new message works.
	out, _ = decodeWhole(&r, cf(ws.OpText, true, "new"))
	if !reflect.DeepEqual(out, []got{{Kind: KindText, Data: "new"}}) {
		t.Fatalf("got %v", out)
	}
}

func TestKindString(t *testing.T) {
	tests := map[Kind]string{KindNone: "none", KindText: "text", KindClose: "close", Kind(99): "invalid"}
	for k, want := range tests {
		if k.String() != want {
			t.Fatalf("%d: %q", k, k.String())
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// A server holds one Reader per idle WebSocket: it stays three words, so
// that engineio's per-connection state (a Reader and a pointer) fills the
// 32-byte size class.
func TestReaderIsCompact(t *testing.T) {
	if n := unsafe.Sizeof(Reader{}); n > 24 {
		t.Fatalf("Reader is %d bytes, want at most 24", n)
	}
}

// A compressed fragmented message does not leave its flag to the next,
// uncompressed one.
func TestFragmentedCompressionFlagIsPerMessage(t *testing.T) {
	r := Reader{Deflate: true}
	first := cf(ws.OpText, false, "a")
	first[0] |= 0x40 // RSV1: compressed
	out, _ := decodeWhole(&r, append(first, cf(ws.OpContinuation, true, "b")...))
	if len(out) != 1 || out[0].Err != nil || !out[0].Comp {
		t.Fatalf("first message: %+v", out)
	}
	out, _ = decodeWhole(&r, append(cf(ws.OpText, false, "c"), cf(ws.OpContinuation, true, "d")...))
	if len(out) != 1 || out[0].Err != nil || out[0].Comp || out[0].Data != "cd" {
		t.Fatalf("second message: %+v", out)
	}
}
