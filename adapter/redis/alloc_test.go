//go:build !race

package redis_test

import (
	"testing"

	"github.com/sio-fast/sio-fast/adapter/redis"
	"github.com/sio-fast/sio-fast/internal/redistest"
)

// TestRemoteBroadcastAllocs: a broadcast received from another node for a
// room this node does not have costs no allocation (dropped before
// decoding, as Node does), and one for the namespace with no local
// recipient decodes without allocating.
func TestRemoteBroadcastAllocs(t *testing.T) {
	r := redistest.Start(t)
	a := startNode(t, r, redis.Options{}, nil).adapter()
	other := remoteBroadcast(t, "elsewhere")
	all := remoteBroadcast(t)
	a.HandleMessage("socket.io#/#", all)
	if n := testing.AllocsPerRun(200, func() { a.HandleMessage("socket.io#/#elsewhere#", other) }); n != 0 {
		t.Errorf("room of another node: %v allocs/op", n)
	}
	if n := testing.AllocsPerRun(200, func() { a.HandleMessage("socket.io#/#", all) }); n != 0 {
		t.Errorf("namespace broadcast, no recipient: %v allocs/op", n)
	}
}
