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

// The same broadcast as the sharded adapter publishes it (JSON envelope).
func benchClusterMessage(buf, data []byte) ([]byte, []byte, error) {
	opts := Opts{Rooms: []string{"room-7"}, Except: []string{"x"}}
	data = AppendClusterBroadcastData(data[:0], benchData, "", &opts)
	buf, err := AppendCluster(buf[:0], "0123456789abcdef", "/", ClusterBroadcast, data, nil)
	return buf, data, err
}

func BenchmarkAppendClusterBroadcast(b *testing.B) {
	buf, data := make([]byte, 0, 512), make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if buf, data, err = benchClusterMessage(buf, data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeClusterBroadcast(b *testing.B) {
	msg, _, err := benchClusterMessage(nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		m, err := DecodeCluster(msg)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := DecodeClusterData(m); err != nil {
			b.Fatal(err)
		}
	}
}
