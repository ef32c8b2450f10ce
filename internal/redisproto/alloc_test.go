//go:build !race

package redisproto

import "testing"

// TestDecodeAllocs: decoding broadcasts into a reused Broadcast allocates
// nothing once the uid, namespace and rooms were seen; encoding into a
// reused buffer allocates nothing.
func TestDecodeAllocs(t *testing.T) {
	msg := benchMessage(t)
	var m Broadcast
	if err := DecodeBroadcast(msg, &m); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(200, func() { _ = DecodeBroadcast(msg, &m) }); n != 0 {
		t.Errorf("DecodeBroadcast: %v allocs/op", n)
	}
	if m.UID != "uYHpfh" || m.Opts.Rooms[0] != "room-7" || m.Opts.Except[0] != "x" || string(m.Data) != string(benchData) {
		t.Fatalf("decoded %+v", m)
	}
	buf := make([]byte, 0, 256)
	if n := testing.AllocsPerRun(200, func() { buf, _ = AppendBroadcast(buf[:0], &m, AdapterOrder) }); n != 0 {
		t.Errorf("AppendBroadcast: %v allocs/op", n)
	}
}

// TestClusterEncodeAllocs: the sharded adapter's JSON broadcast is built in
// reused buffers without allocating.
func TestClusterEncodeAllocs(t *testing.T) {
	buf, data := make([]byte, 0, 512), make([]byte, 0, 512)
	if n := testing.AllocsPerRun(200, func() { buf, data, _ = benchClusterMessage(buf, data) }); n != 0 {
		t.Errorf("cluster broadcast encoding: %v allocs/op", n)
	}
}
