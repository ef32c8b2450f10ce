//go:build !race

package socketio_test

import (
	"encoding/json"
	"net/netip"
	"runtime/debug"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/internal/wsframe"
	"github.com/sio-fast/sio-fast/loop"
	"github.com/sio-fast/sio-fast/socketio"

	"github.com/gobwas/ws"
)

// TestBroadcastPipelineZeroAllocPerRecipient runs the whole stack —
// socketio broadcast, engineio prepared packet, loop batched writes — over
// 10,000 in-memory WebSocket clients and checks that a broadcast's
// allocations do not grow with the number of recipients: to all (each
// loop walks its recipient table, recipients.go) and except a room (the
// room index is enumerated and the recipients grouped by loop).
func TestBroadcastPipelineZeroAllocPerRecipient(t *testing.T) {
	t.Run("all", func(t *testing.T) {
		testBroadcastPipelineAllocs(t, func(sio *socketio.Server, v any) error { return sio.Emit("broadcast", v) })
	})
	t.Run("except", func(t *testing.T) {
		testBroadcastPipelineAllocs(t, func(sio *socketio.Server, v any) error { return sio.Except("nobody").Emit("broadcast", v) })
	})
}

func testBroadcastPipelineAllocs(t *testing.T, emit func(*socketio.Server, any) error) {
	const clients = 10000
	sio := socketio.NewServer(socketio.Config{})
	m := loop.NewMemory(sio.NewEngine(engineio.Config{}))
	defer m.Close()
	connect := wsframe.AppendClientFrame(nil, ws.OpText, true, [4]byte{1, 2, 3, 4}, []byte("40"))
	peers := make([]*loop.MemPeer, clients)
	for i := range peers {
		p := m.Dial(netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(i)))
		p.Send([]byte(wsHandshake))
		p.Send(connect)
		peers[i] = p
	}
	// Every client received its 101, open frame and CONNECT reply.
	for i, p := range peers {
		if b, _ := p.Recv(time.Second); len(b) == 0 {
			t.Fatalf("client %d got nothing", i)
		}
		p.SetDiscard(true)
	}
	if n := sio.Sockets().NumSockets(); n != clients {
		t.Fatalf("%d sockets connected, want %d", n, clients)
	}
	payload := []byte(`{"t":100123456789,"p":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}`)
	broadcast := func() {
		if err := emit(sio, json.RawMessage(payload)); err != nil {
			t.Fatal(err)
		}
		m.Tick(0) // one more turn on the loop: the broadcast task has run
	}
	broadcast()
	// No collection during the series: one empties the sync.Pools the
	// pipeline reuses, and refilling them counts as allocations of this
	// broadcast (under a parallel make alloc, an observed series once read
	// 13 against 12 without that).
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	before := peers[0].Written()
	// The counter is process-wide: a GC emptying the task pools, or the
	// runtime on a loaded machine, can add a few allocations to one series.
	// A per-recipient allocation would add 10,000 to every series, so the
	// least of three series is what the pipeline itself costs.
	allocs := testing.AllocsPerRun(20, broadcast)
	for range 2 {
		allocs = min(allocs, testing.AllocsPerRun(20, broadcast))
	}
	per := peers[0].Written() - before
	if per == 0 {
		t.Fatal("recipients received nothing")
	}
	// A constant number per broadcast (encoding, one hand-off per loop, the
	// test's own Tick), nothing per recipient.
	if allocs > 30 {
		t.Fatalf("%.0f allocations per broadcast to %d recipients", allocs, clients)
	}
	t.Logf("%.0f allocations per broadcast to %d recipients", allocs, clients)

	// With a fan-out observer (metrics on): the same allocations, and the
	// observer hears of every recipient once the loop flushed them all.
	var observed atomic.Int64
	sio.ObserveFanout(func(n int, _ time.Duration) { observed.Add(int64(n)) })
	broadcast()
	observedAllocs := testing.AllocsPerRun(20, broadcast)
	for range 2 {
		observedAllocs = min(observedAllocs, testing.AllocsPerRun(20, broadcast))
	}
	if observedAllocs > allocs {
		t.Fatalf("%.0f allocations per broadcast with a fan-out observer, %.0f without", observedAllocs, allocs)
	}
	const broadcasts = 1 + 3*21 // AllocsPerRun runs once more to warm up
	deadline := time.Now().Add(10 * time.Second)
	for observed.Load() != broadcasts*clients && time.Now().Before(deadline) {
		m.Tick(0)
	}
	if got := observed.Load(); got != broadcasts*clients {
		t.Fatalf("observer saw %d recipients, want %d", got, broadcasts*clients)
	}
}
