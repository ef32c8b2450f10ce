package msgpack

import (
	"testing"

	"github.com/sio-fast/sio-fast/socketio/parser"
)

// benchPackets are the packets of the side-by-side benchmarks: the bench
// contract's broadcast, a chat-like echo with an ack id, and an upload with
// two 1 KiB binary values.
var benchPackets = []struct {
	name string
	pkt  parser.Packet
}{
	{"broadcast", parser.Packet{Type: parser.Event, Namespace: "/", ID: -1, Data: []byte(`["broadcast",{"t":1,"p":"xx"}]`)}},
	{"echo", parser.Packet{Type: parser.Event, Namespace: "/", ID: 317,
		Data: []byte(`["echo",{"id":317,"text":"hello world, this is a chat message","tags":["a","b"],"n":12.5}]`)}},
	{"binary", parser.Packet{Type: parser.BinaryEvent, Namespace: "/", ID: -1,
		Data:        []byte(`["upload",{"name":"f","parts":[{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]}]`),
		Attachments: [][]byte{make([]byte, 1024), make([]byte, 1024)}}},
}

// BenchmarkCodec decodes and encodes the same packets with the default
// text parser (json) and with this one (msgpack), side by side. Decoding
// includes the attachments (separate messages for json); encoding writes
// every message of the packet into a reused buffer.
func BenchmarkCodec(b *testing.B) {
	for _, bp := range benchPackets {
		text := parser.AppendPacket(nil, &bp.pkt)
		bin, _, err := Parser{}.AppendPacket(nil, &bp.pkt)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("decode/json/"+bp.name, func(b *testing.B) {
			var d parser.Decoder
			b.ReportAllocs()
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				_, done, err := d.DecodeText(text)
				for _, a := range bp.pkt.Attachments {
					_, done, err = d.DecodeBinary(a)
				}
				if !done || err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("decode/msgpack/"+bp.name, func(b *testing.B) {
			d := Parser{}.NewDecoder(nil)
			b.ReportAllocs()
			b.SetBytes(int64(len(bin)))
			for b.Loop() {
				if _, err := d.Decode(bin, true); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("encode/json/"+bp.name, func(b *testing.B) {
			dst := make([]byte, 0, 4096)
			b.ReportAllocs()
			for b.Loop() {
				dst = parser.AppendPacket(dst[:0], &bp.pkt)
				for _, a := range bp.pkt.Attachments {
					dst = append(dst, a...) // what the engine frames after the header
				}
			}
		})
		b.Run("encode/msgpack/"+bp.name, func(b *testing.B) {
			dst := make([]byte, 0, 4096)
			b.ReportAllocs()
			for b.Loop() {
				dst, _, _ = Parser{}.AppendPacket(dst[:0], &bp.pkt)
			}
		})
	}
}
