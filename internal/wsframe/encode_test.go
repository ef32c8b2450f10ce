package wsframe

import (
	"bytes"
	"reflect"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/gobwas/ws"
)

func TestAppendFrameMatchesGobwas(t *testing.T) {
	for _, size := range []int{0, 1, 125, 126, 65535, 65536, 100000} {
		for _, op := range []ws.OpCode{ws.OpText, ws.OpBinary} {
			payload := bytes.Repeat([]byte{'z'}, size)
			var want bytes.Buffer
			if err := ws.WriteFrame(&want, ws.NewFrame(op, true, payload)); err != nil {
				t.Fatal(err)
			}
			prefix := []byte("keep")
			got := AppendFrame(prefix, op, payload)
			if !bytes.HasPrefix(got, []byte("keep")) || !bytes.Equal(got[4:], want.Bytes()) {
				t.Fatalf("size %d op %v mismatch", size, op)
			}
		}
	}
}

func TestAppendControl(t *testing.T) {
	long := strings.Repeat("x", 200)
	// 122 ASCII bytes then a 3-byte rune: must cut before the rune.
	runeEdge := strings.Repeat("a", 122) + "€" + "tail"
	tests := []struct {
		name string
		buf  []byte
		want []got
	}{
		{"ping", AppendPing(nil, []byte("hi")), []got{{Kind: KindPing, Data: "hi"}}},
		{"pong", AppendPong(nil, []byte("hi")), []got{{Kind: KindPong, Data: "hi"}}},
		{"ping truncated", AppendPing(nil, []byte(long)), []got{{Kind: KindPing, Data: long[:125]}}},
		{"pong truncated", AppendPong(nil, []byte(long)), []got{{Kind: KindPong, Data: long[:125]}}},
		{"close no status", AppendClose(nil, 0, "ignored"), []got{{Kind: KindClose, Code: ws.StatusNoStatusRcvd}}},
		{"close normal", AppendClose(nil, ws.StatusNormalClosure, ""), []got{{Kind: KindClose, Code: 1000}}},
		{"close reason", AppendClose(nil, ws.StatusGoingAway, "bye"), []got{{Kind: KindClose, Code: 1001, Reason: "bye"}}},
		{"close reason truncated", AppendClose(nil, 4000, long), []got{{Kind: KindClose, Code: 4000, Reason: long[:123]}}},
		{"close reason rune boundary", AppendClose(nil, 1009, runeEdge), []got{{Kind: KindClose, Code: 1009, Reason: runeEdge[:122]}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Reader{ClientSide: true}
			out, left := decodeWhole(&r, tt.buf)
			if !reflect.DeepEqual(out, tt.want) || left != 0 {
				t.Fatalf("got %v left %d, want %v", out, left, tt.want)
			}
		})
	}
	if !bytes.Equal(AppendClose(nil, ws.StatusNormalClosure, ""), ws.CompiledCloseNormalClosure) {
		t.Fatal("close 1000 differs from gobwas compiled frame")
	}
	if !utf8.ValidString(runeEdge[:122]) {
		t.Fatal("bad test data")
	}
}

func TestAppendClientFrame(t *testing.T) {
	payload := []byte("client payload")
	orig := append([]byte(nil), payload...)
	frame := AppendClientFrame(nil, ws.OpBinary, true, testMask, payload)
	if !bytes.Equal(payload, orig) {
		t.Fatal("payload modified")
	}
	f, err := ws.ReadFrame(bytes.NewReader(frame))
	if err != nil {
		t.Fatal(err)
	}
	f = ws.UnmaskFrameInPlace(f)
	if !f.Header.Fin || f.Header.OpCode != ws.OpBinary || !bytes.Equal(f.Payload, payload) {
		t.Fatalf("gobwas read %+v %q", f.Header, f.Payload)
	}
}

// A prepared frame is plain bytes: writing it to many connections (here
// concurrently) leaves it intact and every peer decodes the same message.
func TestPreparedFrameSharedByManyConns(t *testing.T) {
	frame := AppendFrame(nil, ws.OpText, []byte(`42["news",{"n":1}]`))
	snapshot := append([]byte(nil), frame...)
	const conns = 32
	outs := make([]bytes.Buffer, conns)
	var wg sync.WaitGroup
	for i := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3 {
				outs[i].Write(frame)
			}
		}()
	}
	wg.Wait()
	if !bytes.Equal(frame, snapshot) {
		t.Fatal("prepared frame was modified")
	}
	want := got{Kind: KindText, Data: `42["news",{"n":1}]`}
	for i := range outs {
		r := Reader{ClientSide: true}
		out, left := decodeWhole(&r, outs[i].Bytes())
		if len(out) != 3 || left != 0 || out[0] != want || out[2] != want {
			t.Fatalf("conn %d: %v", i, out)
		}
	}
}
