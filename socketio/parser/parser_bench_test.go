package parser

import "testing"

var (
	benchEvent  = []byte(`2["broadcast",{"t":1,"p":"xx"}]`)
	benchEcho   = []byte(`2317["echo",{"id":317,"text":"hello world, this is a chat message","tags":["a","b"],"n":12.5}]`)
	benchBinary = []byte(`52-["upload",{"name":"f","parts":[{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]}]`)
)

func BenchmarkDecodeEvent(b *testing.B) {
	var d Decoder
	b.ReportAllocs()
	b.SetBytes(int64(len(benchEcho)))
	for b.Loop() {
		d.DecodeText(benchEcho)
	}
}

func BenchmarkDecodeBroadcast(b *testing.B) {
	var d Decoder
	b.ReportAllocs()
	for b.Loop() {
		d.DecodeText(benchEvent)
	}
}

func BenchmarkDecodeBinary(b *testing.B) {
	var d Decoder
	att := make([]byte, 1024)
	b.ReportAllocs()
	for b.Loop() {
		d.DecodeText(benchBinary)
		d.DecodeBinary(att)
		d.DecodeBinary(att)
	}
}

func BenchmarkSplitEvent(b *testing.B) {
	data := benchEcho[4:]
	b.ReportAllocs()
	for b.Loop() {
		SplitEvent(data)
	}
}

func BenchmarkForEachArg(b *testing.B) {
	_, args, _ := SplitEvent(benchEcho[4:])
	b.ReportAllocs()
	for b.Loop() {
		ForEachArg(args, func([]byte) error { return nil })
	}
}

func BenchmarkAppendEvent(b *testing.B) {
	dst := make([]byte, 0, 256)
	arg := []byte(`{"t":1,"p":"xx"}`)
	b.ReportAllocs()
	for b.Loop() {
		dst = AppendEvent(dst[:0], "/chat", -1, "broadcast", arg)
	}
}

func BenchmarkAppendPacket(b *testing.B) {
	dst := make([]byte, 0, 256)
	p := &Packet{Type: Event, Namespace: "/", ID: 317, Data: benchEcho[4:]}
	b.ReportAllocs()
	for b.Loop() {
		dst = AppendPacket(dst[:0], p)
	}
}

func BenchmarkDeconstruct(b *testing.B) {
	v := []any{"upload", map[string]any{"name": "f", "size": 2048, "parts": []any{make([]byte, 1024), make([]byte, 1024)}}}
	b.ReportAllocs()
	for b.Loop() {
		Deconstruct(v)
	}
}

func BenchmarkDeconstructNoBinary(b *testing.B) {
	v := []any{"chat", map[string]any{"text": "hello", "n": 1}}
	b.ReportAllocs()
	for b.Loop() {
		Deconstruct(v)
	}
}

func BenchmarkReconstruct(b *testing.B) {
	data := benchBinary[4:]
	atts := [][]byte{make([]byte, 1024), make([]byte, 1024)}
	b.ReportAllocs()
	for b.Loop() {
		Reconstruct(data, atts)
	}
}
