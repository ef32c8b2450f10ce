//go:build !race

package engineio

import "testing"

// TestPolledDeliveryAlloc: a polled delivery (a broadcast answering a
// parked GET, then the client's next GET parsed, routed, looked up and
// parked) allocates nothing once the loop's tables have grown.
func TestPolledDeliveryAlloc(t *testing.T) {
	const sessions = 1000
	f := newPollFleet(t, sessions)
	defer f.close()
	p := NewPrepared(Message{Data: []byte(`2["news",{"n":1}]`)})
	run := func() { f.round(p) }
	run() // grows the loop's write queues and the broadcast's table
	if n := testing.AllocsPerRun(10, run); n > 10 {
		// The test's hand-offs to the loop (Execute, Tick) allocate a
		// few per round; one per delivery would show 1,000.
		t.Fatalf("%.0f allocations per round of %d polled deliveries", n, sessions)
	} else {
		t.Logf("%.0f allocations per round of %d polled deliveries", n, sessions)
	}
}
