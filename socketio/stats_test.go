package socketio

import (
	"sync"
	"testing"
	"time"
)

// TestStatsCountTraffic: the counters match the traffic a test sends and
// the server answers: three handshakes, CONNECTs, events and an ack in,
// their answers, emits and one broadcast to three sockets out; the fan-out
// observer sees the broadcast's three recipients.
func TestStatsCountTraffic(t *testing.T) {
	h := newHarness(t, Config{})
	var mu sync.Mutex
	observed, observations := 0, 0
	h.srv.ObserveFanout(func(n int, d time.Duration) {
		mu.Lock()
		observed += n
		observations++
		mu.Unlock()
		if d < 0 {
			t.Errorf("negative fan-out latency %v", d)
		}
	})
	h.srv.OnConnection(func(s *Socket) {
		s.On("ping", func(s *Socket, _ Args, ack AckFunc) { _ = ack("pong") })
	})
	fs, ss := roomFixture(t, h, 3) // 3 handshakes, 3 CONNECTs in, 3 answers out
	fs[0].in(`421["ping"]`, `421["ping"]`)
	fs[0].next(t, 2) // 2 events in, 2 acks out
	_ = ss[1].Emit("direct", 1)
	fs[1].next(t, 1) // 1 emit out
	_ = h.srv.Emit("all", 1)
	for _, f := range fs {
		f.next(t, 1) // 1 broadcast, 3 deliveries out
	}
	h.loop.Do(func() {})
	want := Stats{HandshakesWebSocket: 3, PacketsIn: 5, PacketsOut: 3 + 2 + 1 + 3, Broadcasts: 1, Deliveries: 3}
	if got := h.srv.Stats(); got != want {
		t.Fatalf("stats\n got %+v\nwant %+v", got, want)
	}
	mu.Lock()
	defer mu.Unlock()
	if observed != 3 || observations != 1 { // one loop
		t.Fatalf("observer: %d recipients in %d observations, want 3 in 1", observed, observations)
	}
	h.srv.ObserveFanout(nil)
	_ = h.srv.Emit("all", 2)
	for _, f := range fs {
		f.next(t, 1)
	}
	if observations != 1 {
		t.Fatal("observed after ObserveFanout(nil)")
	}
}
