package redisproto

import "testing"

// A bench-contract broadcast as another node publishes it.
var benchData = []byte(`["broadcast",{"t":100123456789,"p":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}]`)

func benchMessage(b testing.TB) []byte {
	m := &Broadcast{UID: "uYHpfh", Nsp: "/", Data: benchData, Opts: Opts{Rooms: []string{"room-7"}, Except: []string{"x"}}}
	msg, err := AppendBroadcast(nil, m, AdapterOrder)
	if err != nil {
		b.Fatal(err)
	}
	return msg
}

func BenchmarkDecodeBroadcast(b *testing.B) {
	msg := benchMessage(b)
	var m Broadcast
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		if err := DecodeBroadcast(msg, &m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendBroadcast(b *testing.B) {
	m := &Broadcast{UID: "uYHpfh", Nsp: "/", Data: benchData, Opts: Opts{Rooms: []string{"room-7"}}}
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if buf, err = AppendBroadcast(buf[:0], m, AdapterOrder); err != nil {
			b.Fatal(err)
		}
	}
}
