//go:build !race

package socketio_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/loop"
	"github.com/sio-fast/sio-fast/socketio"
)

// leastAllocs is the least of three series of AllocsPerRun: the counter is
// process-wide, and a GC emptying pools can add a few to one series.
func leastAllocs(runs int, f func()) float64 {
	n := testing.AllocsPerRun(runs, f)
	for range 2 {
		n = min(n, testing.AllocsPerRun(runs, f))
	}
	return n
}

// TestPollingBroadcastAllocs: a broadcast delivered over long-polling (each
// client's GET read and parked, then answered with the broadcast) allocates
// nothing per delivery. The in-memory peer's Send allocates by itself (a
// task and a channel per call), so the same Sends without bytes are the
// baseline taken off.
func TestPollingBroadcastAllocs(t *testing.T) {
	const n = 1000
	sio := socketio.NewServer(socketio.Config{})
	m := loop.NewMemory(sio.NewEngine(engineio.Config{}))
	defer m.Close()
	clients := pollingClients(t, m, n)
	peers := pollPeers(clients)
	round := func() { pollRound(t, sio, m, clients, pollPayload) }
	round()
	settle(m, peers)
	before := peers[0].Written()
	got := leastAllocs(10, round)
	settle(m, peers)
	if peers[0].Written() == before || peers[n-1].Written() != peers[0].Written() {
		t.Fatalf("clients received %d and %d bytes", peers[0].Written(), peers[n-1].Written())
	}
	base := leastAllocs(10, func() {
		for _, c := range clients {
			c.p.Send(nil)
		}
		m.Tick(0)
	})
	// The broadcast's own encoding and hand-off are a constant handful; one
	// allocation per delivery would add 1,000.
	if extra := got - base; extra > 50 {
		t.Fatalf("%.0f allocations per polled broadcast to %d clients beyond the harness's %.0f", extra, n, base)
	}
	t.Logf("%.0f allocations per round, %.0f of them the harness's", got, base)
}

// TestPollingPongAllocs: a POST carrying a pong, answered "ok", allocates
// nothing on the server.
func TestPollingPongAllocs(t *testing.T) {
	sio := socketio.NewServer(socketio.Config{})
	m := loop.NewMemory(sio.NewEngine(engineio.Config{}))
	defer m.Close()
	c := pollingClients(t, m, 1)[0]
	c.p.SetDiscard(false)
	c.p.Send(c.pong)
	if b, _ := c.p.Recv(time.Second); !bytes.HasPrefix(b, []byte("HTTP/1.1 200 ")) || !bytes.HasSuffix(b, []byte("\r\n\r\nok")) {
		t.Fatalf("pong answered %q", b)
	}
	c.p.SetDiscard(true)
	got := leastAllocs(100, func() { c.p.Send(c.pong) })
	base := leastAllocs(100, func() { c.p.Send(nil) })
	if got-base >= 0.5 {
		t.Fatalf("a pong POST allocates %.2f times beyond the harness's %.0f", got-base, base)
	}
}
