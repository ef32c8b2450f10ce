//go:build !race

package metrics

import (
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/socketio"
)

// TestMetricsHooksZeroAlloc: the event hooks (per connection, per
// disconnect, per API emit, per broadcast and loop) allocate nothing once a
// label pair was seen. The counters read at scrapes (socketio.Stats,
// loop.Stats) have their own zero-allocation tests in their packages.
func TestMetricsHooksZeroAlloc(t *testing.T) {
	m := New(Source{})
	m.Connected("/")
	m.Disconnected("/", socketio.ReasonTransportClose)
	allocs := testing.AllocsPerRun(1000, func() {
		m.Connected("/")
		m.Disconnected("/", socketio.ReasonTransportClose)
		m.AuthRefused()
		m.Published(10, time.Millisecond)
		m.observeFanout(10, time.Millisecond)
	})
	if allocs != 0 {
		t.Fatalf("%v allocs per run", allocs)
	}
	var off *Metrics // metrics disabled
	if n := testing.AllocsPerRun(100, func() { off.Connected("/"); off.Published(1, 0) }); n != 0 {
		t.Fatalf("disabled: %v allocs", n)
	}
}
