package socketio

import (
	"testing"

	"github.com/sio-fast/sio-fast/socketio/parser"
	"github.com/sio-fast/sio-fast/socketio/parser/msgpack"
)

// benchParsers are the formats the side-by-side benchmarks compare.
var benchParsers = []struct {
	name  string
	codec parser.Codec
}{{"json", nil}, {"msgpack", msgpack.Parser{}}}

// benchMessage is pkt in codec's format, as the engine delivers it.
func benchMessage(tb testing.TB, codec parser.Codec, pkt parser.Packet) ([]byte, bool) {
	if codec == nil {
		return parser.AppendPacket(nil, &pkt), false
	}
	b, binary, err := codec.AppendPacket(nil, &pkt)
	if err != nil {
		tb.Fatal(err)
	}
	return b, binary
}

// BenchmarkParserEcho: one incoming event with ack id answered with the
// same arguments (decode, dispatch, encode, send), per parser.
func BenchmarkParserEcho(b *testing.B) {
	for _, bp := range benchParsers {
		b.Run(bp.name, func(b *testing.B) {
			_, fs := benchServerWith(b, Config{Parser: bp.codec}, 1, 1, func(srv *Server) {
				srv.OnConnection(func(s *Socket) {
					s.On("ack", func(_ *Socket, a Args, ack AckFunc) { ack(a) })
				})
			})
			msg, binary := benchMessage(b, bp.codec, parser.Packet{Type: parser.Event, Namespace: "/", ID: 17,
				Data: []byte(`["ack","hello",{"n":1}]`)})
			b.ReportAllocs()
			for b.Loop() {
				fs[0].onMsg(msg, binary)
			}
		})
	}
}

// BenchmarkParserBroadcast10k: one broadcast to 10,000 sockets on 4 loops,
// per parser (the packet is encoded once either way).
func BenchmarkParserBroadcast10k(b *testing.B) {
	for _, bp := range benchParsers {
		b.Run(bp.name, func(b *testing.B) {
			srv, _ := benchServerWith(b, Config{Parser: bp.codec}, 10000, 4, nil)
			b.ReportAllocs()
			for b.Loop() {
				_ = srv.Emit("news", "hello", 42)
			}
		})
	}
}
