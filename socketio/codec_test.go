package socketio

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/socketio/parser"
	"github.com/sio-fast/sio-fast/socketio/parser/msgpack"
)

// mpWire is the wire form ("b<base64>") of p in the msgpack format.
func mpWire(t testing.TB, p parser.Packet) string {
	t.Helper()
	b, _, err := msgpack.Parser{}.AppendPacket(nil, &p)
	if err != nil {
		t.Fatal(err)
	}
	return "b" + base64.StdEncoding.EncodeToString(b)
}

// nextMP waits for n messages and decodes them as msgpack packets.
func (f *fakeES) nextMP(t testing.TB, n int) []parser.Packet {
	t.Helper()
	out := make([]parser.Packet, n)
	for i, w := range f.next(t, n) {
		bin, ok := strings.CutPrefix(w, "b")
		if !ok {
			t.Fatalf("message %d is text: %q", i, w)
		}
		raw, _ := base64.StdEncoding.DecodeString(bin)
		p, err := msgpack.Parser{}.NewDecoder(nil).Decode(raw, true)
		if err != nil {
			t.Fatalf("message %d (%x): %v", i, raw, err)
		}
		out[i] = *p
		out[i].Data = bytes.Clone(p.Data)
	}
	return out
}

func newMsgpackHarness(t *testing.T) *harness {
	return newHarness(t, Config{Parser: msgpack.Parser{}})
}

// connectMP connects f to nsp and returns the socket id of the reply.
func connectMP(t *testing.T, f *fakeES, nsp string) string {
	t.Helper()
	f.in(mpWire(t, parser.Packet{Type: parser.Connect, Namespace: nsp, ID: -1}))
	p := f.nextMP(t, 1)[0]
	var reply struct{ Sid string }
	if p.Type != parser.Connect || p.Namespace != nsp || json.Unmarshal(p.Data, &reply) != nil || len(reply.Sid) != 20 {
		t.Fatalf("CONNECT reply %+v %s", p, p.Data)
	}
	return reply.Sid
}

// TestMsgpackEventsAcksBinary: with Config.Parser set, a client's msgpack
// EVENT with binary reaches the handler as Args (JSON values, binary as
// attachments), the ack goes back as one msgpack message with bin inline,
// and server emits and acks asked of the client round-trip too.
func TestMsgpackEventsAcksBinary(t *testing.T) {
	h := newMsgpackHarness(t)
	got := make(chan string, 4)
	h.srv.OnConnection(func(s *Socket) {
		s.On("up", func(s *Socket, a Args, ack AckFunc) {
			name, _ := a.String(0)
			got <- name + ":" + string(a.Bytes(1)) + ":" + string(a.Raw(2))
			ack("done", []byte{0, 1, 2})
		})
		s.On("ask", func(s *Socket, a Args, _ AckFunc) {
			_ = s.EmitAck("q", func(err error, reply Args) { got <- "reply:" + string(reply.Bytes(0)) }, 7)
		})
	})
	f := h.dial(4)
	connectMP(t, f, "/")
	f.in(mpWire(t, parser.Packet{Type: parser.Event, Namespace: "/", ID: 5,
		Data:        []byte(`["up","a",{"_placeholder":true,"num":0},{"k":[1.5,null]}]`),
		Attachments: [][]byte{[]byte("BIN")}}))
	if s := <-got; s != `a:BIN:{"k":[1.5,null]}` {
		t.Fatalf("handler saw %q", s)
	}
	ack := f.nextMP(t, 1)[0]
	if ack.Type != parser.Ack || ack.ID != 5 || string(ack.Data) != `["done",{"_placeholder":true,"num":0}]` ||
		len(ack.Attachments) != 1 || !bytes.Equal(ack.Attachments[0], []byte{0, 1, 2}) {
		t.Fatalf("ack %+v %s", ack, ack.Data)
	}
	f.in(mpWire(t, parser.Packet{Type: parser.Event, Namespace: "/", ID: -1, Data: []byte(`["ask"]`)}))
	q := f.nextMP(t, 1)[0]
	if q.Type != parser.Event || q.ID < 0 || string(q.Data) != `["q",7]` {
		t.Fatalf("server emit %+v %s", q, q.Data)
	}
	f.in(mpWire(t, parser.Packet{Type: parser.Ack, Namespace: "/", ID: q.ID,
		Data: []byte(`[{"_placeholder":true,"num":0}]`), Attachments: [][]byte{[]byte("yes")}}))
	if s := <-got; s != "reply:yes" {
		t.Fatalf("ack callback saw %q", s)
	}
}

// TestMsgpackNamespacesAndErrors: CONNECT to a namespace, CONNECT_ERROR for
// an unknown one and for a middleware refusal, server DISCONNECT, all in
// msgpack.
func TestMsgpackNamespacesAndErrors(t *testing.T) {
	h := newMsgpackHarness(t)
	h.srv.Of("/chat").OnConnection(func(s *Socket) {
		s.On("bye", func(s *Socket, _ Args, _ AckFunc) { s.Disconnect(false) })
	})
	h.srv.Of("/private").Use(func(s *Socket, next func(error)) {
		next(&ConnectError{Message: "not allowed", Data: map[string]any{"code": 42}})
	})
	f := h.dial(4)
	connectMP(t, f, "/chat")
	f.in(mpWire(t, parser.Packet{Type: parser.Connect, Namespace: "/nowhere", ID: -1}))
	f.expect(t, mpWire(t, parser.Packet{Type: parser.ConnectError, Namespace: "/nowhere", ID: -1, Data: []byte(`{"message":"Invalid namespace"}`)}))
	f.in(mpWire(t, parser.Packet{Type: parser.Connect, Namespace: "/private", ID: -1}))
	f.expect(t, mpWire(t, parser.Packet{Type: parser.ConnectError, Namespace: "/private", ID: -1, Data: []byte(`{"message":"not allowed","data":{"code":42}}`)}))
	f.in(mpWire(t, parser.Packet{Type: parser.Event, Namespace: "/chat", ID: -1, Data: []byte(`["bye"]`)}))
	f.expect(t, mpWire(t, parser.Packet{Type: parser.Disconnect, Namespace: "/chat", ID: -1}))
}

// TestMsgpackBroadcast: a broadcast is encoded once, in msgpack, and every
// recipient gets the same bytes; outgoing catch-all listeners still see the
// event with its arguments.
func TestMsgpackBroadcast(t *testing.T) {
	h := newMsgpackHarness(t)
	var mu sync.Mutex
	var seen []string
	h.srv.OnConnection(func(s *Socket) {
		s.OnAnyOutgoing(func(s *Socket, ev string, a Args, _ AckFunc) {
			mu.Lock()
			seen = append(seen, ev+":"+string(a.Bytes(0)))
			mu.Unlock()
		})
	})
	fs := []*fakeES{h.dial(4), h.dial(4), h.dial(4)}
	for _, f := range fs {
		connectMP(t, f, "/")
	}
	if err := h.srv.Emit("news", []byte("hot"), 1); err != nil {
		t.Fatal(err)
	}
	want := mpWire(t, parser.Packet{Type: parser.Event, Namespace: "/", ID: -1,
		Data: []byte(`["news",{"_placeholder":true,"num":0},1]`), Attachments: [][]byte{[]byte("hot")}})
	for _, f := range fs {
		f.expect(t, want)
	}
	waitFor(t, "outgoing listeners", func() bool { mu.Lock(); defer mu.Unlock(); return len(seen) == 3 })
	if seen[0] != "news:hot" {
		t.Fatalf("outgoing listener saw %q", seen[0])
	}
}

// TestMsgpackBadInput: a text message, a malformed packet and a reserved
// event name close the session; an argument that is not JSON is refused by
// Emit with ErrBadArgument, and nothing is sent.
func TestMsgpackBadInput(t *testing.T) {
	for _, wire := range []string{
		`2["x"]`, "b" + base64.StdEncoding.EncodeToString([]byte{0x93, 1}),
		mpWireNoCheck(parser.Packet{Type: parser.Event, Namespace: "/", ID: -1, Data: []byte(`["disconnect"]`)}),
	} {
		h := newMsgpackHarness(t)
		f := h.dial(4)
		connectMP(t, f, "/")
		f.in(wire)
		f.waitClosed(t, 2*time.Second)
	}
	h := newMsgpackHarness(t)
	var emitErr error
	h.srv.OnConnection(func(s *Socket) { emitErr = s.Emit("x", json.RawMessage(`{nope`)) })
	f := h.dial(4)
	connectMP(t, f, "/")
	if !errors.Is(emitErr, ErrBadArgument) {
		t.Fatalf("Emit of invalid raw JSON: %v", emitErr)
	}
	f.expectNone(t, 20*time.Millisecond)
}

func mpWireNoCheck(p parser.Packet) string {
	b, _, _ := msgpack.Parser{}.AppendPacket(nil, &p)
	return "b" + base64.StdEncoding.EncodeToString(b)
}

// FuzzIncomingMsgpack is FuzzIncoming for a server with the msgpack parser:
// the input is a sequence of messages, each a length byte and that many
// bytes, delivered as binary; the server must never panic, nor recover a
// panic of its own (failOnError fails on the error record).
func FuzzIncomingMsgpack(f *testing.F) {
	seq := func(pkts ...parser.Packet) []byte {
		var out []byte
		for _, p := range pkts {
			b, _, _ := msgpack.Parser{}.AppendPacket(nil, &p)
			out = append(append(out, byte(len(b))), b...)
		}
		return out
	}
	connect := parser.Packet{Type: parser.Connect, Namespace: "/", ID: -1}
	f.Add(seq(connect, parser.Packet{Type: parser.Event, Namespace: "/", ID: 1, Data: []byte(`["message-with-ack",1,{"a":[true]}]`)}))
	f.Add(seq(connect, parser.Packet{Type: parser.Event, Namespace: "/", ID: -1,
		Data: []byte(`["message",{"_placeholder":true,"num":0}]`), Attachments: [][]byte{{1, 2}}}))
	f.Add(seq(parser.Packet{Type: parser.Connect, Namespace: "/custom", ID: -1, Data: []byte(`{"x":1}`)},
		parser.Packet{Type: parser.Ack, Namespace: "/custom", ID: 9, Data: []byte(`[]`)},
		parser.Packet{Type: parser.Disconnect, Namespace: "/custom", ID: -1}))
	f.Fuzz(func(t *testing.T, in []byte) {
		srv := NewServer(Config{ConnectTimeout: -1, Parser: msgpack.Parser{}, Logger: slog.New(failOnError{t})})
		echoServer(srv, "/custom")
		es := newFakeES(&syncExec{}, 4)
		srv.HandleEngineSocket(es)
		for len(in) > 0 {
			n := min(int(in[0]), len(in)-1)
			es.onMsg(in[1:1+n], true)
			in = in[1+n:]
		}
	})
}
