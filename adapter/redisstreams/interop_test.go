package redisstreams_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/adapter/internal/interop"
	"github.com/sio-fast/sio-fast/internal/redistest"
	"github.com/sio-fast/sio-fast/internal/scripttest"
	"github.com/sio-fast/sio-fast/socketio"
)

// mixedCases are the cases interop/cluster.js reports, in order.
var mixedCases = []string{
	"node-to-go-broadcast", "go-to-node-broadcast", "binary-both-ways", "node-ack-across", "go-ack-across",
	"node-fetch-go-sockets", "go-fetch-node-sockets", "server-side-emit-node-to-go", "server-side-emit-go-to-node",
	"sockets-join-across", "recovery-go-to-node", "recovery-node-to-go", "disconnect-across",
}

// TestMixedClusterWithNode runs a sio-fast node and a Node node
// (socket.io 4.8 + @socket.io/redis-streams-adapter 0.3) on one Redis,
// connection state recovery on both, with socket.io-client 4.8 clients on
// both: broadcasts, acks, fetchSockets, serverSideEmit, socketsJoin and
// disconnectSockets both ways, and clients recovering their session on the
// other node in both directions.
func TestMixedClusterWithNode(t *testing.T) {
	dir := filepath.Join("interop")
	scripttest.NeedNode(t, dir)
	r := redistest.Start(t)
	rec := &socketio.Recovery{MaxDisconnectionDuration: time.Minute}
	g := startNode(t, r, rec, func(sio *socketio.Server) { interop.GoClusterEvents(sio, nil) })
	scripttest.RunCases(t, 120*time.Second, mixedCases, dir, "node", "cluster.js", r.URL(), g.URL)
}
