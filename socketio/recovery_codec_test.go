package socketio

import (
	"fmt"
	"testing"

	"github.com/sio-fast/sio-fast/socketio/parser"
	"github.com/sio-fast/sio-fast/socketio/parser/msgpack"
)

// msgpackPeer speaks socket.io-msgpack-parser to a fake session.
type msgpackPeer struct {
	t   *testing.T
	f   *fakeES
	dec parser.CodecDecoder
}

func (p *msgpackPeer) send(pkt parser.Packet) {
	b, binary, err := msgpack.Parser{}.AppendPacket(nil, &pkt)
	if err != nil {
		p.t.Fatal(err)
	}
	p.f.home.(*fakeLoop).Do(func() { p.f.onMsg(b, binary) })
}

// next decodes the next message the server sent: its type and JSON data.
func (p *msgpackPeer) next() (parser.Type, string) {
	p.f.next(p.t, 1)
	p.f.mu.Lock()
	m := p.f.sent[p.f.read-1]
	p.f.mu.Unlock()
	pkt, err := p.dec.Decode(m.Data, m.Binary)
	if err != nil {
		p.t.Fatal(err)
	}
	return pkt.Type, string(pkt.Data)
}

// With the msgpack parser, offsets and replays are the same packets in the
// other format: the offset is the last element of the msgpack data array.
func TestRecoveryWithMsgpackParser(t *testing.T) {
	h := newHarness(t, Config{Recovery: DefaultRecovery(), Parser: msgpack.Parser{}})
	h.srv.OnConnection(func(s *Socket) {
		if !s.Recovered() {
			s.Join("r")
		}
	})
	p := &msgpackPeer{t: t, f: h.dial(4), dec: msgpack.Parser{}.NewDecoder(nil)}
	p.send(parser.Packet{Type: parser.Connect, Namespace: "/", ID: -1})
	typ, data := p.next()
	m := pidRe.FindStringSubmatch(data)
	if typ != parser.Connect || m == nil {
		t.Fatalf("CONNECT reply %d %s", typ, data)
	}
	_ = h.srv.To("r").Emit("a", 1)
	if _, data := p.next(); data != `["a",1,"1"]` {
		t.Fatalf("live: %s", data)
	}
	p.f.closeFromPeer("transport close")
	_ = h.srv.To("r").Emit("b", []byte{9})

	p2 := &msgpackPeer{t: t, f: h.dial(4), dec: msgpack.Parser{}.NewDecoder(nil)}
	p2.send(parser.Packet{Type: parser.Connect, Namespace: "/", ID: -1, Data: []byte(fmt.Sprintf(`{"pid":%q,"offset":"1"}`, m[1]))})
	typ, data = p2.next()
	if typ != parser.BinaryEvent && typ != parser.Event || data != `["b",{"_placeholder":true,"num":0},"2"]` {
		t.Fatalf("replayed: %d %s", typ, data)
	}
	if typ, data = p2.next(); typ != parser.Connect || !pidRe.MatchString(data) {
		t.Fatalf("CONNECT reply after the replay: %d %s", typ, data)
	}
}
