package packet

import (
	"bytes"
	"testing"
)

var (
	benchEvent  = []byte(`42["message",{"user":"alice","text":"hello world, this is a chat line"}]`)
	benchBinary = bytes.Repeat([]byte{1, 2, 3, 4, 5, 6, 7, 8}, 128) // 1 KiB
	benchSink   int
)

func benchPayload(f PayloadFormat, withBinary bool) []byte {
	ps := []Packet{txt(Ping, ""), {Type: Message, Data: benchEvent[1:]}, {Type: Message, Data: benchEvent[1:]}}
	if withBinary {
		ps = append(ps, Packet{Type: Message, Data: benchBinary, Binary: true})
	}
	return encodeAll(f, ps)
}

func benchDecode(b *testing.B, f PayloadFormat, withBinary bool) {
	in := benchPayload(f, withBinary)
	scratch := make([]byte, 0, 2048)
	fn := func(p Packet) error { benchSink += len(p.Data); return nil }
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		var err error
		switch f {
		case PayloadV3:
			scratch, err = DecodePayloadV3(in, scratch, fn)
		case PayloadV3Binary:
			scratch, err = DecodeBinaryPayloadV3(in, scratch, fn)
		default:
			scratch, err = DecodePayload(in, scratch, fn)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodePayloadText(b *testing.B)       { benchDecode(b, PayloadV4, false) }
func BenchmarkDecodePayloadBinary(b *testing.B)     { benchDecode(b, PayloadV4, true) }
func BenchmarkDecodePayloadV3Text(b *testing.B)     { benchDecode(b, PayloadV3, false) }
func BenchmarkDecodePayloadV3Binary(b *testing.B)   { benchDecode(b, PayloadV3, true) }
func BenchmarkDecodeBinaryPayloadV3(b *testing.B)   { benchDecode(b, PayloadV3Binary, true) }
func BenchmarkDecodeBinaryPayloadV3Tx(b *testing.B) { benchDecode(b, PayloadV3Binary, false) }

func BenchmarkDecodeText(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		p, _ := DecodeText(benchEvent)
		benchSink += len(p.Data)
	}
}

func BenchmarkDecodeBinary(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		p, _ := DecodeBinary(benchBinary, true)
		benchSink += len(p.Data)
	}
}

func benchEncode(b *testing.B, enc func([]byte, Packet) []byte, p Packet) {
	dst := make([]byte, 0, 4096)
	b.SetBytes(int64(len(p.Data)))
	b.ReportAllocs()
	for b.Loop() {
		dst = enc(dst[:0], p)
	}
	benchSink += len(dst)
}

var (
	benchTextPacket = Packet{Type: Message, Data: benchEvent[1:]}
	benchBinPacket  = Packet{Type: Message, Data: benchBinary, Binary: true}
	benchEmoji      = Packet{Type: Message, Data: []byte(`2["message","héllo 😀 世界 héllo 😀 世界 héllo 😀 世界"]`)}
)

func BenchmarkAppendText(b *testing.B)             { benchEncode(b, AppendText, benchTextPacket) }
func BenchmarkAppendPayloadText(b *testing.B)      { benchEncode(b, AppendPayload, benchTextPacket) }
func BenchmarkAppendPayloadBinary(b *testing.B)    { benchEncode(b, AppendPayload, benchBinPacket) }
func BenchmarkAppendPayloadV3Text(b *testing.B)    { benchEncode(b, AppendPayloadV3, benchTextPacket) }
func BenchmarkAppendPayloadV3Unicode(b *testing.B) { benchEncode(b, AppendPayloadV3, benchEmoji) }
func BenchmarkAppendPayloadV3Binary(b *testing.B)  { benchEncode(b, AppendPayloadV3, benchBinPacket) }
func BenchmarkAppendBinaryPayloadV3(b *testing.B) {
	benchEncode(b, AppendBinaryPayloadV3, benchBinPacket)
}

func BenchmarkAppendBinaryV3(b *testing.B) {
	benchEncode(b, func(dst []byte, p Packet) []byte { return AppendBinaryV3(dst, p.Data) }, benchBinPacket)
}

func BenchmarkAppendOpen(b *testing.B) {
	h := Handshake{SID: "lv_VI97HAXpY6yYWAAAC", Upgrades: []string{"websocket"}, PingInterval: 25000, PingTimeout: 20000, MaxPayload: 1e6}
	dst := make([]byte, 0, 256)
	b.ReportAllocs()
	for b.Loop() {
		dst = AppendOpen(dst[:0], h, false)
	}
	benchSink += len(dst)
}
