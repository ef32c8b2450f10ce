//go:build !race

package engineio

import (
	"net/netip"
	"testing"

	"github.com/sio-fast/sio-fast/loop"
)

// TestBroadcastWalkZeroAlloc: once its table has grown, the fan-out walk
// (Broadcast.WritePrepared to WebSocket sessions, their queued frames and
// the flush) allocates nothing, however many sessions it writes to.
func TestBroadcastWalkZeroAlloc(t *testing.T) {
	const sessions = 1000
	srv := NewServer(Config{})
	var socks []*Socket
	srv.OnConnection(func(s *Socket) { socks = append(socks, s) }) // on the loop; read after Dial returns
	m := loop.NewMemory(srv)
	defer m.Close()
	defer srv.Close()
	for range sessions {
		p := m.Dial(netip.AddrPort{})
		p.SetDiscard(true)
		p.Send([]byte(benchWSHandshake))
	}
	if len(socks) != sessions {
		t.Fatalf("%d sessions, want %d", len(socks), sessions)
	}
	p := NewPrepared(Message{Data: []byte(`2["news",{"n":1}]`)})
	var b Broadcast
	walk := func() { b.WritePrepared(socks, p, false) }
	run := func() {
		m.Loop().Execute(walk)
		m.Tick(0) // the turn that ran walk, and its flush, are over
	}
	run() // grows the tables and the loop's write queues
	if n := testing.AllocsPerRun(20, run); n > 5 {
		// Tick's hand-off to the loop allocates a few; a per-session
		// allocation would show 1,000.
		t.Fatalf("%.0f allocations per walk over %d sessions", n, sessions)
	} else {
		t.Logf("%.0f allocations per walk over %d sessions", n, sessions)
	}
}
