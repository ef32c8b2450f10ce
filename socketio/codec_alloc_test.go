//go:build !race

package socketio

import (
	"testing"

	"github.com/sio-fast/sio-fast/socketio/parser/msgpack"
)

// TestAllocMsgpackBroadcastIndependentOfRecipients: with the msgpack
// parser a broadcast is still encoded once, with a number of allocations
// that does not grow with the audience.
func TestAllocMsgpackBroadcastIndependentOfRecipients(t *testing.T) {
	var perRun []float64
	for _, n := range []int{100, 10000} {
		srv, fs := benchServerWith(t, Config{Parser: msgpack.Parser{}}, n, 4, nil)
		before := fs[0].writes.Load()
		allocs := testing.AllocsPerRun(20, func() { _ = srv.Emit("news", "hello", 42) })
		if got := fs[0].writes.Load() - before; got != 21 {
			t.Fatalf("recipient got %d writes", got)
		}
		perRun = append(perRun, allocs)
	}
	if perRun[0] >= 20 || perRun[1] > perRun[0]+2 {
		t.Fatalf("allocs per broadcast (100, 10000 recipients): %v", perRun)
	}
	t.Logf("allocs per broadcast (100, 10000 recipients): %v", perRun)
}
